/**
 * Continuation tokens. Whatever its format, a token carries the cursor (last sort key returned)
 * and the scope it was issued for (account, region, operation, filter), so that it cannot be
 * replayed against another filter (Smithy paginated trait: services "MUST reject a request that
 * changes filtering input parameters while paging").
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isPlainObject } from '../schemas';
import { invalidNextToken } from './errors';
import type { TokenFormat } from './options';
import type { SortKey } from './sorted-index';

export interface Cursor {
  scope: string;
  key: SortKey;
  /** How many pages of the listing came before the one this token asks for (short pages use it). */
  page?: number;
}

export interface TokenCodec {
  issue(cursor: Cursor): string;
  /** The cursor a token stands for; InvalidNextTokenException for anything not issued here. */
  read(token: string): Cursor;
}

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64url');

/** The longest string a cursor's key holds (an ARN or a job name: far below a token's 1500 characters). */
const MAX_KEY_STRING = 2048;

/**
 * The cursor a token's payload stands for, or InvalidNextTokenException. Strict, because a token
 * can be forged wherever its key is known: exactly the members a cursor has, a key of none, one or two
 * elements that are all strings or all finite numbers (the shape of every sort key, see
 * store.ts orderKey), and a page that is a count. Anything else never reaches a comparison.
 */
export function cursorOf(value: unknown): Cursor {
  if (!isPlainObject(value)) throw invalidNextToken();
  if (Object.keys(value).some((k) => k !== 'scope' && k !== 'key' && k !== 'page')) throw invalidNextToken();
  const { scope, key, page } = value;
  if (typeof scope !== 'string' || !isSortKey(key)) throw invalidNextToken();
  if (page === undefined) return { scope, key };
  if (typeof page !== 'number' || !Number.isSafeInteger(page) || page < 0) throw invalidNextToken();
  return { scope, key, page };
}

/** A sort key: none (the start of a listing), or one or two strings, or one or two finite numbers. */
function isSortKey(key: unknown): key is SortKey {
  if (!Array.isArray(key) || key.length > 2) return false;
  const strings = key.every((k) => typeof k === 'string' && k.length <= MAX_KEY_STRING);
  const numbers = key.every((k) => typeof k === 'number' && Number.isFinite(k));
  return strings || numbers;
}

function parsePayload(body: string): Cursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw invalidNextToken();
  }
  return cursorOf(value);
}

/** base64url(payload).mac, where mac is a keyed HMAC (signed) or a plain digest (checksummed). */
class SelfDescribingCodec implements TokenCodec {
  constructor(private readonly mac: (body: string) => string) {}
  issue(cursor: Cursor): string {
    const body = b64(JSON.stringify(cursor));
    return `${body}.${this.mac(body)}`;
  }
  read(token: string): Cursor {
    const [body, mac, ...rest] = token.split('.');
    if (!body || !mac || rest.length) throw invalidNextToken();
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalidNextToken();
    return parsePayload(body);
  }
}

/** A random handle; the service keeps what it stands for (bounded, oldest dropped first). */
class OpaqueCodec implements TokenCodec {
  private readonly issued = new Map<string, Cursor>();
  constructor(private readonly capacity = 200_000) {}
  issue(cursor: Cursor): string {
    const handle = randomBytes(18).toString('hex');
    this.issued.set(handle, cursor);
    if (this.issued.size > this.capacity) this.issued.delete(this.issued.keys().next().value as string); // more than capacity (≥ 0) handles: a first one exists
    return handle;
  }
  read(token: string): Cursor {
    const cursor = this.issued.get(token);
    if (!cursor) throw invalidNextToken();
    return cursor;
  }
}

/**
 * Tokens of the real service's length: the inner token and filler drawn from its digest, base64
 * (as an AWS Encryption SDK message would look), cut to `length` characters. Every character
 * counts: a token read back must be exactly the one its inner token gives.
 */
class LongCodec implements TokenCodec {
  constructor(private readonly inner: TokenCodec, private readonly length: number) {}
  issue(cursor: Cursor): string {
    return this.encode(this.inner.issue(cursor));
  }
  read(token: string): Cursor {
    const text = Buffer.from(token, 'base64').toString('latin1');
    const inner = text.slice(0, Math.max(0, text.indexOf('\0')));
    if (!inner || this.encode(inner) !== token) throw invalidNextToken();
    return this.inner.read(inner);
  }
  private encode(inner: string): string {
    const head = Buffer.from(inner + '\0', 'latin1');
    const bytes = Math.floor((this.length * 3) / 4);
    // Stryker disable next-line StringLiteral: the message of an internal error no issued token reaches
    if (head.length > bytes) throw new Error(`a token of ${head.length} bytes does not fit in ${this.length} characters`);
    const filler: Buffer[] = [];
    for (let block = createHash('sha256').update(inner).digest(), n = head.length; n < bytes; n += block.length) {
      filler.push(block);
      block = createHash('sha256').update(block).digest();
    }
    return Buffer.concat([head, ...filler]).subarray(0, bytes).toString('base64');
  }
}

/**
 * The key of signed tokens when none is configured: random per process, so that nobody can forge
 * a token for an emulator they did not configure (a fixed key in the source would be public).
 */
const PROCESS_TOKEN_KEY = randomBytes(32).toString('base64url');

/** `key` signs tokens (signed format); without one, a random key of this process does. */
export function tokenCodec(format: TokenFormat, key: string | undefined, longTokenLength?: number): TokenCodec {
  const codec = BASE_CODECS[format](key || PROCESS_TOKEN_KEY);
  return longTokenLength ? new LongCodec(codec, longTokenLength) : codec;
}

/** The codec of each token format. */
const BASE_CODECS: Record<TokenFormat, (key: string) => TokenCodec> = {
  opaque: () => new OpaqueCodec(),
  checksummed: () => new SelfDescribingCodec((body) => createHash('sha256').update(body).digest('hex').slice(0, 16)),
  signed: (key) => new SelfDescribingCodec((body) => createHmac('sha256', key).update(body).digest('base64url').slice(0, 22)),
};
