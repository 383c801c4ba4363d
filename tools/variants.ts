/**
 * Correct variants the suite must accept: the reference service with the choices the contract
 * leaves open (order, token format, default page size, last-page token, unknown dataset, error
 * type style, timestamps, unknown members, slow lifecycles) switched, each combination run in
 * strict mode. Writes reports/variants.json and reports/variants.md; exits 1 when one fails.
 *   npm run test:variants
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../src/paths';
import { failedRequirements, runAll } from './suite-runs';

/** Every option of reference-service/options.ts takes each of its values in at least one combination. */
export const VARIANTS: Record<string, string> = {
  'newest-first-opaque-25': 'order=newest-first,tokenFormat=opaque,defaultPageSize=25,lastPageToken=empty',
  'by-name-checksummed-namespaced': 'order=by-name,tokenFormat=checksummed,unknownDataset=invalid-input,errorTypeStyle=namespaced',
  'by-hash-header-fractional-extra': 'order=by-hash,errorTypeStyle=header,timestampStyle=fractional-seconds,extraSummaryFields=true',
  'oldest-first-signed-slow': 'order=oldest-first,tokenFormat=signed,defaultPageSize=100,pendingMs=9000,inProgressMs=9000',
  'newest-first-empty-invalid-fractional': 'order=newest-first,lastPageToken=empty,unknownDataset=invalid-input,timestampStyle=fractional-seconds,tokenFormat=checksummed',
  'by-name-opaque-header-25-extra': 'order=by-name,tokenFormat=opaque,errorTypeStyle=header,defaultPageSize=25,extraSummaryFields=true,lastPageToken=empty',
};

async function main(): Promise<void> {
  const base = join(ROOT, 'reports', 'variants');
  mkdirSync(base, { recursive: true });
  console.log(`variants: ${Object.keys(VARIANTS).length} correct variants of the reference service, strict`);
  const results = await runAll(
    Object.entries(VARIANTS).map(([name, variant]) => ({ name, env: { CONFORMANCE_VARIANT: variant, CONFORMANCE_STRICT: '1' }, reports: join(base, name) })),
    (r) => console.log(`variants: ${r.name}: ${r.exitCode === 0 ? 'passed' : 'FAILED'} (${r.seconds.toFixed(0)} s)`),
  );
  const rows = results.map((r) => ({
    variant: r.name, options: VARIANTS[r.name], passed: r.exitCode === 0, failed: failedRequirements(r),
    scenarios: r.report?.summary.scenarios ?? {}, unknownMembers: r.report?.warnings.unknownMembers.length ?? 0,
    ...(r.exitCode !== 0 && { output: r.tail }),
  }));
  const passed = rows.filter((r) => r.passed).length;
  writeFileSync(join(ROOT, 'reports', 'variants.json'), JSON.stringify({ variants: rows.length, passed, rows }, null, 2) + '\n');
  writeFileSync(join(ROOT, 'reports', 'variants.md'), [
    '# Correct variants the suite accepts', '', `${passed} of ${rows.length} variants pass in strict mode.`, '',
    '| Variant | Options | Result | Failed requirements | Unknown members warned |', '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.variant} | \`${r.options}\` | ${r.passed ? 'passed' : '**FAILED**'} | ${r.failed.join(', ')} | ${r.unknownMembers} |`), '',
  ].join('\n'));
  for (const r of rows.filter((x) => !x.passed)) console.log(`variants: ${r.variant} failed ${r.failed.join(', ')}\n${r.output}`);
  const scen = rows.reduce((a, r) => ({ p: a.p + (r.scenarios.passed ?? 0), f: a.f + (r.scenarios.failed ?? 0) }), { p: 0, f: 0 });
  console.log(`variants: ${passed} of ${rows.length} passed; table in reports/variants.md`);
  console.log(`${scen.p} passed, ${scen.f} failed`);
  process.exitCode = passed === rows.length ? 0 : 1;
}

main();
