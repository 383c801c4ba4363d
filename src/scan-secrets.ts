/**
 * Fails when fixtures/ or reports/ hold anything that looks like a secret: an access key id, a
 * secret access key, a session token, or an account id other than the placeholders.
 *   npm run scan-secrets [-- folder ...]        (default: fixtures reports)
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ROOT } from './report';

/** Account ids that are placeholders, never real accounts. */
const PLACEHOLDER_ACCOUNTS = new Set(['111111111111', '222222222222', '000000000000', '123456789012']);

const DETECTORS: { what: string; pattern: RegExp; allow?: (match: string) => boolean }[] = [
  { what: 'an AWS access key id', pattern: /\b(AKIA|ASIA|AIDA|AROA)[A-Z0-9]{16}\b/g },
  { what: 'a secret access key', pattern: /(secret_?access_?key|SecretAccessKey|aws_secret)["'\s:=]+[A-Za-z0-9/+]{40}\b/gi },
  { what: 'a session token', pattern: /\b(FwoGZXIvYXdzE|IQoJb3JpZ2luX2Vj)[A-Za-z0-9+/=]{20,}/g },
  { what: 'a signed Authorization header', pattern: /Credential=(?!<access-key-id>)[A-Z0-9]{16,}\//g },
  {
    what: 'an account id',
    pattern: /(?<=arn:[a-z0-9-]+:[a-z0-9-]+:[a-z0-9-]*:)\d{12}(?=:)|(?<="?(?:account|accountId|Account)"?\s*[:=]\s*"?)\d{12}\b/g,
    allow: (m) => PLACEHOLDER_ACCOUNTS.has(m),
  },
];

export interface Finding { file: string; line: number; what: string; sample: string }

export function scanText(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  for (const d of DETECTORS) {
    for (const m of text.matchAll(d.pattern)) {
      if (d.allow?.(m[0])) continue;
      const line = text.slice(0, m.index).split('\n').length;
      findings.push({ file, line, what: d.what, sample: `${m[0].slice(0, 4)}…(${m[0].length} chars)` });
    }
  }
  return findings;
}

export function scanFolder(dir: string): Finding[] {
  if (!existsSync(dir)) return [];
  const out: Finding[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) out.push(...scanFolder(path));
    else if (st.size < 50 * 1024 * 1024) out.push(...scanText(relative(ROOT, path), readFileSync(path, 'utf8')));
  }
  return out;
}

export function main(given: string[]): void {
  const folders = given.length ? given.map((f) => resolve(process.cwd(), f)) : ['fixtures', 'reports'].map((f) => join(ROOT, f));
  const findings = folders.flatMap((f) => scanFolder(f));
  for (const f of findings) console.log(`secret scan: ${f.file}:${f.line}: looks like ${f.what} (${f.sample})`);
  console.log(`secret scan: ${folders.map((f) => relative(process.cwd(), f) || '.').join(', ')}: ${findings.length} findings`);
  process.exitCode = findings.length ? 1 : 0;
}

if (require.main === module) main(process.argv.slice(2));
