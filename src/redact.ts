/**
 * Redaction of what a run writes: account ids (in ARNs and on their own after "account"), access
 * key ids and session tokens are replaced by placeholders, so that reports and recordings of a
 * real account can be shared. Identity is kept where it matters: every account id becomes the
 * same placeholder in one file, and ARNs keep their resource path.
 *
 * Patterns find credentials of known shapes; the credentials in use are also replaced by their
 * literal values (registerCredentials), wherever they appear and whatever their shape: an endpoint
 * that echoes a request's headers must not put the caller's session token into a report.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export const PLACEHOLDER_ACCOUNT = '111111111111';

const RULES: [RegExp, string][] = [
  // arn:partition:service:region:ACCOUNT:resource
  [/(arn:[a-z0-9-]+:[a-z0-9-]+:[a-z0-9-]*:)(\d{12})(:)/g, `$1${PLACEHOLDER_ACCOUNT}$3`],
  // access key ids
  [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, '<access-key-id>'],
  // Credential=KEY/date/region/service/aws4_request in logged headers
  [/Credential=[^/\s,"]+\//g, 'Credential=<access-key-id>/'],
  // session tokens (base64 blobs of STS, of each generation seen)
  [/\b(FwoGZXIvYXdzE|FQoGZXIvYXdzE|AQoDYXdzE|IQoJb3JpZ2luX2Vj)[A-Za-z0-9+/=]{20,}/g, '<session-token>'],
];

/** The credentials of a run, as the SDK resolved them. */
export interface CredentialValues { accessKeyId?: string; secretAccessKey?: string; sessionToken?: string }

/**
 * Values shorter than this are not replaced: emulators accept keys such as `test`, and replacing
 * every `test` would rewrite the reports without protecting anything.
 */
const SHORTEST_SECRET = 8;

/** Literal values to replace, longest first (a token may contain a key id). */
let literals: [string, string][] = [];

/**
 * From now on, redaction replaces these literal values (and their URL-encoded forms) wherever they
 * appear. The runner calls it with the credentials it resolved; each process that writes reports
 * or prints target text must call it with its own.
 */
export function registerCredentials(credentials: CredentialValues): void {
  const placeholders: [string | undefined, string][] = [
    [credentials.accessKeyId, '<access-key-id>'],
    [credentials.secretAccessKey, '<secret-access-key>'],
    [credentials.sessionToken, '<session-token>'],
  ];
  const known = new Map(literals);
  for (const [value, placeholder] of placeholders) {
    if (!value || value.length < SHORTEST_SECRET) continue;
    for (const form of new Set([value, encodeURIComponent(value)])) known.set(form, placeholder);
  }
  literals = [...known].sort(([a], [b]) => b.length - a.length);
}

export function redactText(text: string): string {
  const withoutLiterals = literals.reduce((t, [value, placeholder]) => (t.includes(value) ? t.split(value).join(placeholder) : t), text);
  return RULES.reduce((t, [pattern, replacement]) => t.replace(pattern, replacement), withoutLiterals);
}

/** A JSON value (a report) with every string in it redacted, before any format escapes it. */
export function redactValue<T>(value: T): T {
  return JSON.parse(redactText(JSON.stringify(value))) as T; // a JSON value's round trip through JSON: the same shape
}

/** Redacts files in place (those that exist); returns how many changed. */
export function redactFiles(paths: string[]): number {
  let changed = 0;
  for (const path of paths.filter((p) => existsSync(p))) {
    const before = readFileSync(path, 'utf8');
    const after = redactText(before);
    if (after !== before) {
      writeFileSync(path, after);
      changed++;
    }
  }
  return changed;
}

let redactingConsole = false;

/** From now on, everything this process writes to stdout and stderr is redacted as the reports are. */
export function redactConsole(): void {
  if (redactingConsole) return;
  redactingConsole = true;
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean; // write's overloads ((chunk, cb), (chunk, encoding, cb)): their arguments passed through
    stream.write = ((chunk: unknown, ...rest: unknown[]) =>
      write(typeof chunk === 'string' || Buffer.isBuffer(chunk) ? redactText(chunk.toString()) : chunk, ...rest));
  }
}
