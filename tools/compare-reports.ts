/**
 * Compares two conformance reports requirement by requirement:
 *   ts-node tools/compare-reports.ts reports/conformance.json reports/endpoint/conformance.json
 * Exits 1 when any requirement's outcome differs (the in-repo targets share one reference model,
 * so they must agree).
 */
import { readFileSync } from 'node:fs';
import type { ConformanceReport } from '../src/report';

const [a, b] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: compare-reports A.json B.json');
  process.exit(2);
}
/** A report, or one line and exit 2 when the file is missing or is not a conformance report. */
function load(f: string): ConformanceReport {
  try {
    const report = JSON.parse(readFileSync(f, 'utf8')) as Partial<ConformanceReport> | null;
    if (Array.isArray(report?.requirements)) return report as ConformanceReport;
    console.error(`compare-reports: ${f} is not a conformance report (conformance.json)`);
  } catch (e) {
    console.error(`compare-reports: cannot read ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  process.exit(2);
}
const left = load(a);
const right = load(b);
const rightById = new Map(right.requirements.map((r) => [r.id, r]));
const differences: string[] = [];
for (const r of left.requirements) {
  const other = rightById.get(r.id);
  if (!other) differences.push(`${r.id}: only in ${a}`);
  else if (other.class !== r.class) differences.push(`${r.id}: ${r.class} on ${left.target}, ${other.class} on ${right.target}`);
  rightById.delete(r.id);
}
for (const id of rightById.keys()) differences.push(`${id}: only in ${b}`);
for (const d of differences) console.log(`compare: ${d}`);
console.log(`compare: ${left.requirements.length} requirements, ${differences.length} differ (${left.target} vs ${right.target})`);
process.exit(differences.length ? 1 : 0);
