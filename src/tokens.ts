/** One character of a token changed to another of the same kind, in the middle of the token. */
export function tamperToken(token: string): string {
  const at = Math.floor(token.length / 2);
  const c = token[at];
  let swap: string;
  if (/[0-9]/.test(c)) swap = String((Number(c) + 1) % 10);
  else if (/[a-y]/.test(c) || /[A-Y]/.test(c)) swap = String.fromCharCode(c.charCodeAt(0) + 1);
  else if (c === 'z') swap = 'a';
  else if (c === 'Z') swap = 'A';
  else swap = c === 'x' ? 'y' : 'x';
  return token.slice(0, at) + swap + token.slice(at + 1);
}
