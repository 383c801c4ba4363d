/**
 * Redaction of what a run writes: account ids (in ARNs and on their own after "account"), access
 * key ids and session tokens are replaced by placeholders, so that reports and recordings of a
 * real account can be shared. Identity is kept where it matters: every account id becomes the
 * same placeholder in one file, and ARNs keep their resource path.
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
  // session tokens (base64 blobs of STS)
  [/\b(FwoGZXIvYXdzE|IQoJb3JpZ2luX2Vj)[A-Za-z0-9+/=]{20,}/g, '<session-token>'],
];

export function redactText(text: string): string {
  return RULES.reduce((t, [pattern, replacement]) => t.replace(pattern, replacement), text);
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
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) =>
      write(typeof chunk === 'string' || Buffer.isBuffer(chunk) ? redactText(chunk.toString()) : chunk, ...rest)) as typeof stream.write;
  }
}
