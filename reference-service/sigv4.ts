/**
 * Verification of AWS Signature Version 4 (header form), for an emulator run with
 * --verify-signatures: the canonical request is rebuilt from the signed headers and the body.
 *
 * What makes a signature mean something (IAM User Guide, "AWS Signature Version 4 for API
 * requests", "Protect against potential replay attacks"; botocore issue 149 for the error):
 * - the payload hash in the canonical request is the SHA-256 of the body received, so a signature
 *   never covers another body; an `x-amz-content-sha256` header must equal it (this service signs
 *   its payloads: `UNSIGNED-PAYLOAD` is refused);
 * - the request time (`x-amz-date`, signed) lies within five minutes of the emulator's clock, as
 *   AWS requires "in most cases"; an exact replay within that window is accepted, as AWS does;
 * - `host`, `x-amz-date` and every `x-amz-*` header sent are signed, so the operation
 *   (`x-amz-target`) cannot be changed under a signature either.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { WireRequest } from './protocol';

/** "A request must reach AWS within five minutes of the time stamp in the request." */
export const SIGNATURE_WINDOW_MS = 5 * 60_000;

/** Why a request's signature is refused: the AWS error type and its message. */
export interface SignatureRefusal { type: 'InvalidSignatureException' | 'IncompleteSignatureException'; message: string }

const sha256hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

function headerValue(headers: WireRequest['headers'], name: string): string {
  const entry = Object.entries(headers).find(([k]) => k.toLowerCase() === name);
  const v = entry?.[1];
  return (Array.isArray(v) ? v.join(',') : v ?? '').trim().replace(/\s+/g, ' ');
}

/** 20261202T170000Z, as x-amz-date writes a time. */
function amzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function parseAmzDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return amzDate(ms) === text ? ms : undefined; // no 30 February
}

const invalid = (message: string): SignatureRefusal => ({ type: 'InvalidSignatureException', message });
const incomplete = (message: string): SignatureRefusal => ({ type: 'IncompleteSignatureException', message });

/** Undefined when the request is signed with `secretAccessKey`, for this body, at a time within the window of `nowMs`. */
export function verifySignature(req: WireRequest, secretAccessKey: string, nowMs: number): SignatureRefusal | undefined {
  const authorization = headerValue(req.headers, 'authorization');
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(authorization);
  if (!m) return incomplete('Authorization header is not a valid AWS Signature Version 4 header.');
  const [, , date, region, service, signedHeaders, signature] = m;
  const names = signedHeaders.split(';');
  const unsigned = ['host', 'x-amz-date', ...Object.keys(req.headers).map((k) => k.toLowerCase()).filter((k) => k.startsWith('x-amz-'))]
    .filter((n) => !names.includes(n));
  if (unsigned.length) return incomplete(`Headers that must be signed are not: ${[...new Set(unsigned)].join(', ')}.`);

  const amzDateText = headerValue(req.headers, 'x-amz-date');
  const signedAt = parseAmzDate(amzDateText);
  if (signedAt === undefined) return incomplete(`X-Amz-Date must be a time such as ${amzDate(nowMs)}.`);
  if (!amzDateText.startsWith(date)) return invalid(`The credential scope date ${date} is not the date of X-Amz-Date ${amzDateText}.`);
  // AWS's own wording (botocore issue 149).
  if (signedAt < nowMs - SIGNATURE_WINDOW_MS) {
    return invalid(`Signature expired: ${amzDateText} is now earlier than ${amzDate(nowMs - SIGNATURE_WINDOW_MS)} (${amzDate(nowMs)} - 5 min.)`);
  }
  if (signedAt > nowMs + SIGNATURE_WINDOW_MS) {
    return invalid(`Signature not yet current: ${amzDateText} is still later than ${amzDate(nowMs + SIGNATURE_WINDOW_MS)} (${amzDate(nowMs)} + 5 min.)`);
  }

  const payloadHash = sha256hex(req.body);
  const declaredHash = headerValue(req.headers, 'x-amz-content-sha256');
  if (declaredHash === 'UNSIGNED-PAYLOAD') return invalid('UNSIGNED-PAYLOAD is not accepted: sign the payload.');
  if (declaredHash && declaredHash !== payloadHash) return invalid('The x-amz-content-sha256 header is not the SHA-256 of the body that arrived.');

  const [path, query = ''] = req.path.split('?');
  const canonicalQuery = query.split('&').filter(Boolean).sort().join('&');
  const canonicalHeaders = names.map((n) => `${n}:${headerValue(req.headers, n)}\n`).join('');
  const canonicalRequest = [req.method, path || '/', canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDateText, scope, sha256hex(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), 'aws4_request');
  const expected = Buffer.from(createHmac('sha256', key).update(stringToSign).digest('hex'));
  const given = Buffer.from(signature);
  if (expected.length === given.length && timingSafeEqual(expected, given)) return undefined;
  return invalid('The request signature we calculated does not match the signature you provided.');
}
