/**
 * Recording and replay of read-only scenarios with nock.back: one file per scenario, named by its
 * stable id (src/scenario-id.ts), in the run's recordings folder (src/settings.ts: the committed
 * fixtures/recordings/ by default for replay, a new folder under reports/ for recording).
 * Requests are matched on X-Amz-Target and body (every operation is POST /); volatile values are
 * redacted declaratively, keeping identity: account ids become 111111111111, each continuation
 * token a stable placeholder (token-1, token-2, ... in the order they appear, in responses and in
 * the requests that send them back), request ids and dates are dropped.
 */
import { relative } from 'node:path';
import { ROOT } from './paths';
import { redactValue } from './redact';
import type { ScenarioIdentity } from './scenario-id';
import { cutToken, placeOfChange, tamperToken } from './tokens';

const KEPT_RESPONSE_HEADERS = new Set(['content-type', 'x-amzn-errortype']);

export interface RecordingMetadata {
  recordedTarget: string;
  recordedAt: string;
  suiteVersion: string;
  /** Where the scenario was written, and its title when recorded (for people; not the key). */
  scenario: string;
  /** The scenario's stable identity (src/scenario-id.ts): the file is named by the id. */
  scenarioKey: string;
  scenarioId: string;
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

/** The recording file of a scenario: its requirement (to read), then its stable id. */
export function recordingFileName(scenario: Pick<ScenarioIdentity, 'requirement' | 'id'>): string {
  return `${scenario.requirement}--${scenario.id}.json`;
}

/** A recordings folder as reports name it: inside the package relative to it (fixtures/recordings), else in full. */
export function recordingsLabel(dir: string): string {
  const inside = relative(ROOT, dir);
  return inside && !inside.startsWith('..') ? inside : dir;
}

/** Replaces each token by a placeholder that keeps identity across the scenario's calls. */
export class TokenMap {
  private readonly placeholders = new Map<string, string>();
  forResponse(token: string): string {
    if (token === '') return token;
    let p = this.placeholders.get(token);
    if (!p) this.placeholders.set(token, (p = `token-${this.placeholders.size + 1}-t`));
    return p;
  }
  forRequest(token: string): string {
    const known = this.placeholders.get(token);
    if (known) return known;
    // A token the client changed by one character stays "that token, changed", in the same place.
    for (const [real, placeholder] of this.placeholders) {
      const place = placeOfChange(real, token);
      if (place) return tamperToken(placeholder, place);
      // A token the client cut short stays "that token, cut short".
      if (token.length > 0 && token === cutToken(real)) return cutToken(placeholder);
    }
    return token;
  }
}

function parse(v: unknown): unknown {
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
    if (response && typeof response === 'object' && 'nextToken' in response && typeof response.nextToken === 'string') response.nextToken = tokens.forResponse(response.nextToken);
    if (body && typeof body === 'object' && 'nextToken' in body && typeof body.nextToken === 'string') body.nextToken = tokens.forRequest(body.nextToken);
    const raw = def.rawHeaders ?? {};
    const pairs: [string, string][] = Array.isArray(raw) ? raw.flatMap((v, i) => (i % 2 ? [] : [[v, raw[i + 1]] as [string, string]])) : Object.entries(raw); // raw headers: name, value, name, value…
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
    return redactValue(kept);
  });
}
