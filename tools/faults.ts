/**
 * The fault catalog, proven: the suite runs once per fault of reference-service/faults.ts (strict,
 * in-process mock) and must fail every time. Prints a table (fault, caught, by which requirements)
 * and writes reports/faults.json and reports/faults.md. Exits 1 when a fault survives.
 *   npm run test:faults [-- name ...]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAULTS } from '../reference-service/faults';
import { ROOT } from '../src/paths';
import { failedRequirements, runAll } from './suite-runs';

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const names = (Object.keys(FAULTS) as (keyof typeof FAULTS)[]).filter((n) => !only.length || only.includes(n));
  const base = join(ROOT, 'reports', 'faults');
  mkdirSync(base, { recursive: true });
  console.log(`faults: running the suite once per fault: ${names.length} faults`);
  const results = await runAll(
    names.map((name) => ({ name, env: { CONFORMANCE_FAULTS: name, CONFORMANCE_STRICT: '1' }, reports: join(base, name) })),
    (r) => console.log(`faults: ${r.name}: ${failedRequirements(r).length ? 'caught' : 'SURVIVED'} (${r.seconds.toFixed(0)} s)`),
  );
  const rows = results.map((r) => {
    const by = failedRequirements(r);
    const broken = !r.report;
    return { fault: r.name, description: FAULTS[r.name as keyof typeof FAULTS].description, caught: by.length > 0, by, ...(broken && { error: r.tail }) };
  });
  const caught = rows.filter((r) => r.caught).length;
  writeFileSync(join(ROOT, 'reports', 'faults.json'), JSON.stringify({ faults: rows.length, caught, rows }, null, 2) + '\n');
  const md = [
    '# Fault catalog: what the suite catches', '',
    `${caught} of ${rows.length} faults caught.`, '',
    '| Fault | What goes wrong | Caught | By requirements |', '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.fault} | ${r.description} | ${r.caught ? 'yes' : '**NO**'} | ${r.by.join(', ')} |`), '',
  ].join('\n');
  writeFileSync(join(ROOT, 'reports', 'faults.md'), md);
  const width = Math.max(...rows.map((r) => r.fault.length));
  console.log(`\n${'fault'.padEnd(width)}  caught  by requirements`);
  for (const r of rows) console.log(`${r.fault.padEnd(width)}  ${r.caught ? 'yes   ' : 'NO    '}  ${r.by.join(', ') || (r as { error?: string }).error || ''}`);
  console.log(`\nfaults: ${caught} of ${rows.length} caught; table in reports/faults.md`);
  process.exitCode = caught === rows.length ? 0 : 1;
}

main();
