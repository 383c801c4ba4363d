/**
 * Recording and replay of read-only scenarios with nock.back: one fixture per scenario under
 * fixtures/recordings/. Requests are matched on X-Amz-Target and body (every operation is POST /);
 * volatile values are redacted declaratively, keeping identity: account ids become 111111111111,
 * each continuation token a stable placeholder (token-1, token-2, ... in the order they appear,
 * in responses and in the requests that send them back), request ids and dates are dropped.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { redactText } from './redact';
import { tamperToken } from './tokens';

export { RECORDINGS } from './paths';
import { RECORDINGS } from './paths';
const KEPT_RESPONSE_HEADERS = new Set(['content-type', 'x-amzn-errortype']);

export interface RecordingMetadata {
  recordedTarget: string;
  recordedAt: string;
  suiteVersion: string;
  scenario: string;
}

interface Definition {
  scope: string;
  method: string;
  path: string;
  body?: unknown;
  status: number;
  response?: unknown;
  rawHeaders?: string[] | Record<string, string>;
  reqheaders?: Record<string, string | string[]>;
  recording?: RecordingMetadata;
}

/** A file name per scenario: readable, and unique by a hash of feature and name. */
export function fixtureName(uri: string, scenario: string): string {
  const hash = createHash('sha256').update(`${uri}\n${scenario}`).digest('hex').slice(0, 8);
  const slug = scenario.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
  return `${uri.replace(/^features\//, '').replace(/\.feature$/, '')}--${slug}--${hash}.json`;
}

/** Replaces each token by a placeholder that keeps identity across the scenario's calls. */
class TokenMap {
  private readonly placeholders = new Map<string, string>();
  forResponse(token: string): string {
    if (token === '') return token;
    let p = this.placeholders.get(token);
    if (!p) this.placeholders.set(token, (p = `token-${this.placeholders.size + 1}`));
    return p;
  }
  forRequest(token: string): string {
    const known = this.placeholders.get(token);
    if (known) return known;
    // A token the client changed by one character stays "that token, changed", in the same way.
    for (const [real, placeholder] of this.placeholders) {
      if (real.length === token.length && [...real].filter((c, i) => c !== token[i]).length === 1) return tamperToken(placeholder);
    }
    return token;
  }
}

function parse(v: unknown): any {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** nock.back afterRecord: what is kept of a scenario's exchanges, redacted. */
export function redactRecording(defs: Definition[], metadata: RecordingMetadata, region: string): Definition[] {
  const tokens = new TokenMap();
  return defs.map((def) => {
    const target = String(def.reqheaders?.['x-amz-target'] ?? def.reqheaders?.['X-Amz-Target'] ?? '');
    const body = parse(def.body) ?? {};
    const response = parse(def.response);
    if (response && typeof response === 'object' && typeof response.nextToken === 'string') response.nextToken = tokens.forResponse(response.nextToken);
    if (body && typeof body === 'object' && typeof body.nextToken === 'string') body.nextToken = tokens.forRequest(body.nextToken);
    const raw = def.rawHeaders ?? {};
    const pairs: [string, string][] = Array.isArray(raw) ? raw.flatMap((v, i) => (i % 2 ? [] : [[v, raw[i + 1]] as [string, string]])) : Object.entries(raw);
    const headers = Object.fromEntries(pairs.filter(([k]) => KEPT_RESPONSE_HEADERS.has(k.toLowerCase())).map(([k, v]) => [k.toLowerCase(), v]));
    const kept: Definition = {
      // One canonical scope, whatever was recorded: a recording of a real account and one of an emulator replay alike.
      scope: `https://personalize.${region}.amazonaws.com:443`,
      method: def.method,
      path: def.path,
      body,
      status: def.status,
      response,
      rawHeaders: headers,
      reqheaders: { 'x-amz-target': target },
      recording: metadata,
    };
    return JSON.parse(redactText(JSON.stringify(kept)));
  });
}
