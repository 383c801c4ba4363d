/**
 * Verification of AWS Signature Version 4 (header form), for an emulator run with
 * --verify-signatures: the canonical request is rebuilt from the signed headers and the body.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { WireRequest } from './protocol';

const sha256hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

function headerValue(headers: WireRequest['headers'], name: string): string {
  const entry = Object.entries(headers).find(([k]) => k.toLowerCase() === name);
  const v = entry?.[1];
  return (Array.isArray(v) ? v.join(',') : v ?? '').trim().replace(/\s+/g, ' ');
}

export function verifySignature(req: WireRequest, secretAccessKey: string): boolean {
  const authorization = headerValue(req.headers, 'authorization');
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(authorization);
  if (!m) return false;
  const [, , date, region, service, signedHeaders, signature] = m;
  const amzDate = headerValue(req.headers, 'x-amz-date');
  if (!amzDate.startsWith(date)) return false;
  const [path, query = ''] = req.path.split('?');
  const canonicalQuery = query.split('&').filter(Boolean).sort().join('&');
  const names = signedHeaders.split(';');
  const canonicalHeaders = names.map((n) => `${n}:${headerValue(req.headers, n)}\n`).join('');
  const payloadHash = headerValue(req.headers, 'x-amz-content-sha256') || sha256hex(req.body);
  const canonicalRequest = [req.method, path || '/', canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256hex(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), 'aws4_request');
  const expected = Buffer.from(createHmac('sha256', key).update(stringToSign).digest('hex'));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
