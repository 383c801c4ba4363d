/** Where a client changes one character of an issued token: a signature or checksum often sits at one end. */
export const TOKEN_PLACES = ['first', 'middle', 'last'] as const;
export type TokenPlace = (typeof TOKEN_PLACES)[number];

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The token without its base64 padding: a change or cut there could decode to the same bytes. */
const significant = (token: string): string => token.replace(/=+$/, '');

const indexOf = (token: string, place: TokenPlace): number => {
  const length = significant(token).length;
  return place === 'first' ? 0 : place === 'last' ? length - 1 : Math.floor(length / 2);
};

/** Whether a token is long enough to be changed or cut and still be a token (two characters besides its padding). */
export const alterable = (token: string): boolean => significant(token).length >= 2;

/** The place of the one character in which `changed` differs from `token`, if that is how they differ. */
export function placeOfChange(token: string, changed: string): TokenPlace | undefined {
  if (token.length !== changed.length) return undefined;
  const at = [...token].flatMap((c, i) => (c === changed[i] ? [] : [i]));
  if (at.length !== 1) return undefined;
  return TOKEN_PLACES.find((p) => indexOf(token, p) === at[0]) ?? 'middle';
}

/**
 * One character of a token changed, at its first, middle or last place (padding aside): a base64
 * character to the one 32 places away, which flips the highest of its six bits, so that even the
 * last character of a group changes the bytes it decodes to; any other character to "x" or "y".
 */
export function tamperToken(token: string, place: TokenPlace = 'middle'): string {
  const at = indexOf(token, place);
  const c = token[at];
  const alphabet = BASE64.includes(c) ? BASE64 : BASE64URL;
  const i = alphabet.indexOf(c);
  const swap = i >= 0 ? alphabet[i ^ 32] : c === 'x' ? 'y' : 'x';
  return token.slice(0, at) + swap + token.slice(at + 1);
}

/** The token cut short by its last character (padding aside, and the padding dropped): a shorter token, never the same bytes. */
export const cutToken = (token: string): string => significant(token).slice(0, -1);
