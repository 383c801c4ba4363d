/**
 * The fault catalog, proven: the suite runs once per fault of reference-service/faults (strict,
 * in-process mock) and must fail every time, by the requirement the fault is about. Prints a table
 * (fault, caught, by which requirements) and writes reports/faults.json and reports/faults.md.
 * Exits 1 when a fault survives or is not charged to its own requirement.
 *   npm run test:faults [-- name ...]
 * Fast mode (CI): `--fast` or FAULTS_FAST=1 runs, per fault, first only the scenarios of the
 * requirements it is about, then (if that did not catch it) the whole suite, each stopping at its
 * first failing scenario; it only tells whether each fault is caught, and writes no table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAULTS, type FaultName } from '../reference-service/faults';
import { ROOT } from '../src/paths';
import { loadCatalog } from '../src/report';
import { thenStepsBrokenByFaults } from './fault-checks';
import { failedRequirements, runAll, type SuiteRun, type SuiteRunResult } from './suite-runs';

const base = join(ROOT, 'reports', 'faults');
const runOf = (name: FaultName, extra: Partial<SuiteRun> = {}): SuiteRun =>
  ({ name, settings: { CONFORMANCE_FAULTS: name, CONFORMANCE_STRICT: '1' }, reports: join(base, name), ...extra });
const tagsOf = (name: FaultName) => FAULTS[name].about.map((r) => `@req:${r}`).join(' or ');

/** Caught or not, as fast as the suite can tell. */
async function fast(names: FaultName[]): Promise<number> {
  const started = Date.now();
  console.log(`faults (fast): ${names.length} faults, each first on the scenarios of its own requirements, stopping at the first failure`);
  // Runs of their own, so that a fast run never mixes into the full run's reports.
  const fastRun = (n: FaultName, tags?: string) => runOf(n, { tags, failFast: true, reports: join(ROOT, 'reports', 'faults-fast', n) });
  const first = await runAll(names.map((n) => fastRun(n, tagsOf(n))));
  const missed = first.filter((r) => !failedRequirements(r).length).map((r) => r.name as FaultName);
  if (missed.length) console.log(`faults (fast): not caught by their own requirements, running the whole suite: ${missed.join(', ')}`);
  const second = await runAll(missed.map((n) => fastRun(n)));
  const survived = second.filter((r) => !failedRequirements(r).length);
  const seconds = (Date.now() - started) / 1000;
  for (const r of survived) console.log(`faults (fast): ${r.name}: SURVIVED${r.report ? '' : `\n${r.tail}`}`);
  console.log(`faults (fast): ${names.length - survived.length} of ${names.length} caught (${missed.length - survived.length} only outside their own requirements) in ${seconds.toFixed(1)} s`);
  return survived.length ? 1 : 0;
}

/** How many requirements the faults fail: max, median, mean. */
function spread(counts: number[]): string {
  const sorted = [...counts].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  const mean = counts.reduce((a, b) => a + b, 0) / (counts.length || 1);
  return `requirements failed per fault: max ${sorted.at(-1) ?? 0}, median ${median}, mean ${mean.toFixed(1)}`;
}

/** Every fault's whole run, into the table. */
async function full(names: FaultName[]): Promise<number> {
  mkdirSync(base, { recursive: true });
  console.log(`faults: running the suite once per fault: ${names.length} faults`);
  const results: SuiteRunResult[] = await runAll(
    names.map((n) => runOf(n)),
    (r) => console.log(`faults: ${r.name}: ${failedRequirements(r).length ? 'caught' : 'SURVIVED'} (${r.seconds.toFixed(0)} s)`),
  );
  const rows = results.map((r) => {
    const fault = FAULTS[r.name as FaultName];
    const by = failedRequirements(r);
    const byItsOwn = fault.about.some((q) => by.includes(q));
    return { fault: r.name, description: fault.description, about: fault.about, caught: by.length > 0, byItsOwn, by, ...(!r.report && { error: r.tail }) };
  });
  const caught = rows.filter((r) => r.caught).length;
  const own = rows.filter((r) => r.byItsOwn).length;
  const stats = spread(rows.map((r) => r.by.length));
  const checks = thenStepsBrokenByFaults(base);
  writeFileSync(join(ROOT, 'reports', 'faults.json'), JSON.stringify({ faults: rows.length, caught, caughtByTheirOwn: own, rows }, null, 2) + '\n');
  const md = [
    '# Fault catalog: what the suite catches', '',
    `${caught} of ${rows.length} faults caught, ${own} of them by the requirement they are about; ${stats}.`, '',
    '| Fault | What goes wrong | About | Caught | By requirements |', '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.fault} | ${r.description} | ${r.about.join(', ')} | ${r.caught ? (r.byItsOwn ? 'yes' : '**elsewhere**') : '**NO**'} | ${r.by.join(', ')} |`), '',
    // Which checks the catalog shows able to fail (complete only when every fault ran).
    ...(names.length === Object.keys(FAULTS).length ? [checks.markdown] : []),
  ].join('\n');
  writeFileSync(join(ROOT, 'reports', 'faults.md'), md);
  const width = Math.max(...rows.map((r) => r.fault.length));
  console.log(`\n${'fault'.padEnd(width)}  caught  by requirements`);
  for (const r of rows) console.log(`${r.fault.padEnd(width)}  ${r.caught ? (r.byItsOwn ? 'yes   ' : 'ELSEWH') : 'NO    '}  ${r.by.join(', ') || (r as { error?: string }).error || ''}`);
  console.log(`\nfaults: ${caught} of ${rows.length} caught, ${own} by their own requirement; ${stats}; table in reports/faults.md`);
  // Every check must be shown able to fail: with the whole catalog run, a Then step no fault breaks fails the run.
  const everyFault = names.length === Object.keys(FAULTS).length;
  if (checks.unbroken.length) console.log(`faults: Then steps no fault breaks${everyFault ? '' : ' (of the faults run)'}: ${checks.unbroken.join('; ')}`);
  return own === rows.length && !(everyFault && checks.unbroken.length) ? 0 : 1;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const isFast = args.includes('--fast') || process.env.FAULTS_FAST === '1';
  const only = args.filter((a) => !a.startsWith('--'));
  const unknown = only.filter((n) => !(n in FAULTS));
  if (unknown.length) {
    console.error(`faults: unknown fault ${unknown.join(', ')}; known: ${Object.keys(FAULTS).join(', ')}`);
    process.exit(2);
  }
  const names = (Object.keys(FAULTS) as FaultName[]).filter((n) => !only.length || only.includes(n));
  const known = new Set(loadCatalog().map((q) => q.id));
  const strays = names.flatMap((n) => FAULTS[n].about.filter((q) => !known.has(q)).map((q) => `${n}: ${q}`));
  if (strays.length) {
    console.error(`faults: a fault is about a requirement features/requirements.json does not hold: ${strays.join('; ')}`);
    process.exit(2);
  }
  process.exitCode = isFast ? await fast(names) : await full(names);
}

void main();
