/**
 * Checks conformance reports against their published schema (report/conformance.schema.json), and
 * that each says one thing: its counts are the tally of its classes, its lists and its verdict follow
 * from them, its requirements are in the table's order, and every failure carries a finding.
 *   ts-node tools/check-report.ts reports/conformance.json [more.json ...]
 * Exit 1 when one does not match, 2 when one cannot be read.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { ROOT } from '../src/paths';
import { REQUIREMENT_CLASSES, type ConformanceReport, type RequirementClass } from '../src/report/types';

export function schemaValidator() {
  const ajv = new Ajv2020({ allErrors: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(join(ROOT, 'report', 'conformance.schema.json'), 'utf8')) as object);
}

function tally<T extends string>(classes: T[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of classes) counts[c] = (counts[c] ?? 0) + 1;
  return counts;
}

const same = (a: string[], b: string[]) => [...a].sort().join() === [...b].sort().join();

/** What the verdict must be, from the classes. */
function expectedVerdict(r: ConformanceReport): ConformanceReport['verdict'] {
  const failing = r.requirements.some((q) => q.class === 'failed (MUST)' || (r.strict && q.class === 'failed (SHOULD)'));
  if (failing) return 'not conformant';
  const unshown = r.requirements.some((q) => q.class === 'not shown' && (q.level === 'must' || r.strict));
  const anyScenario = r.requirements.some((q) => q.scenarios.length > 0);
  return unshown || !anyScenario ? 'incomplete' : 'conformant';
}

/** Where a report that matches the schema contradicts itself. */
export function inconsistencies(r: ConformanceReport): string[] {
  const problems: string[] = [];
  const requirementTally = tally(r.requirements.map((q) => q.class));
  const scenarioTally = tally(r.requirements.flatMap((q) => q.scenarios.map((s) => s.class)));
  for (const c of REQUIREMENT_CLASSES) {
    if (r.summary.requirements[c] !== (requirementTally[c] ?? 0)) problems.push(`summary.requirements["${c}"] is ${r.summary.requirements[c]}, the requirements hold ${requirementTally[c] ?? 0}`);
    if (c !== 'not selected' && r.summary.scenarios[c] !== (scenarioTally[c] ?? 0)) problems.push(`summary.scenarios["${c}"] is ${r.summary.scenarios[c]}, the scenarios hold ${scenarioTally[c] ?? 0}`);
  }
  const ids = (c: RequirementClass, level?: 'must') => r.requirements.filter((q) => q.class === c && (!level || q.level === level)).map((q) => q.id);
  if (!same(r.summary.mustFailed, ids('failed (MUST)'))) problems.push('summary.mustFailed is not the list of requirements failed (MUST)');
  if (!same(r.summary.shouldFailed, ids('failed (SHOULD)'))) problems.push('summary.shouldFailed is not the list of requirements failed (SHOULD)');
  if (!same(r.summary.mustNotShown, ids('not shown', 'must'))) problems.push('summary.mustNotShown is not the list of MUST requirements not shown');
  const verdict = expectedVerdict(r);
  if (r.verdict !== verdict) problems.push(`verdict is "${r.verdict}", its classes make it "${verdict}"`);
  const ranks = r.requirements.map((q) => REQUIREMENT_CLASSES.indexOf(q.class));
  if (ranks.some((rank, i) => i > 0 && rank < ranks[i - 1])) problems.push(`requirements are not in the table's order (${REQUIREMENT_CLASSES.join(', ')})`);
  for (const q of r.requirements) {
    if ((q.class.startsWith('failed') || q.class === 'known deviation') && !q.findings.length) problems.push(`${q.id} is ${q.class} without a finding`);
    if (q.class === 'not shown' && !q.notShownCauses?.length) problems.push(`${q.id} is not shown without a cause`);
    for (const s of q.scenarios) if (s.class === 'not shown' && !s.notShown) problems.push(`${q.id}: scenario "${s.name}" is not shown without a cause`);
  }
  return problems;
}

/** Every problem of one report: where it does not match the schema, or else where it contradicts itself. */
export function checkReport(report: unknown, validate = schemaValidator()): string[] {
  if (!validate(report)) return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}`);
  return inconsistencies(report as ConformanceReport);
}

function main(files: string[]): number {
  if (!files.length) {
    console.error('usage: check-report conformance.json [...]');
    return 2;
  }
  const validate = schemaValidator();
  let status = 0;
  for (const file of files) {
    let report: unknown;
    try {
      report = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      console.error(`check-report: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return 2;
    }
    const problems = checkReport(report, validate);
    if (!problems.length) console.log(`check-report: ${file} matches report/conformance.schema.json and is consistent`);
    else {
      status = 1;
      console.log(`check-report: ${file}: ${problems.join('; ')}`);
    }
  }
  return status;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
