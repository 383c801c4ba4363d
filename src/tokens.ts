/** Where a client changes one character of an issued token: a signature or checksum often sits at one end. */
export const TOKEN_PLACES = ['first', 'middle', 'last'] as const;
export type TokenPlace = (typeof TOKEN_PLACES)[number];

const indexOf = (token: string, place: TokenPlace): number => (place === 'first' ? 0 : place === 'last' ? token.length - 1 : Math.floor(token.length / 2));

/** The place of the one character in which `changed` differs from `token`, if that is how they differ. */
export function placeOfChange(token: string, changed: string): TokenPlace | undefined {
  if (token.length !== changed.length) return undefined;
  const at = [...token].flatMap((c, i) => (c === changed[i] ? [] : [i]));
  if (at.length !== 1) return undefined;
  return TOKEN_PLACES.find((p) => indexOf(token, p) === at[0]) ?? 'middle';
}

/** One character of a token changed to another of the same kind, at its first, middle or last place. */
export function tamperToken(token: string, place: TokenPlace = 'middle'): string {
  const at = indexOf(token, place);
  const c = token[at];
  let swap: string;
  if (/[0-9]/.test(c)) swap = String((Number(c) + 1) % 10);
  else if (/[a-y]/.test(c) || /[A-Y]/.test(c)) swap = String.fromCharCode(c.charCodeAt(0) + 1);
  else if (c === 'z') swap = 'a';
  else if (c === 'Z') swap = 'A';
  else swap = c === 'x' ? 'y' : 'x';
  return token.slice(0, at) + swap + token.slice(at + 1);
}
