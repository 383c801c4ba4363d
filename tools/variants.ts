/**
 * Correct variants the suite must accept: the reference service with the choices the contract
 * leaves open (order, token format, default page size, last-page token, unknown dataset, error
 * type style, timestamps, unknown members, slow lifecycles, listing lag, short pages, long
 * tokens, a listing status that trails Describe, pages cut before the filter, errors without a
 * message, another actor at work in the account) and the documented rules (in-progress limit,
 * FULL before INCREMENTAL) switched, each run in strict mode; and lenient variants that only the
 * SDK tolerates (ValidationException, null members), where every MUST must pass. Writes
 * reports/variants.json and reports/variants.md; exits 1 when one fails.
 *   npm run test:variants [-- name ...]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../src/paths';
import { failedRequirements, runAll, type SuiteRunResult } from './suite-runs';

export interface Variant {
  /** Options of the reference service (reference-service/options.ts), as CONFORMANCE_VARIANT takes them. */
  options: string;
  /**
   * strict: the contract allows the behaviour, so every requirement must pass (SHOULD too);
   * lenient: only the SDK's tolerance covers it, so every MUST must pass.
   */
  mode: 'strict' | 'lenient';
  /** Settings of the suite the variant needs, by their variables' names (a listing lag states the time a job SHOULD be listed within). */
  settings?: Record<string, string>;
  /**
   * Requirements some of whose scenarios this variant's choices leave nothing to observe: those
   * scenarios must end not shown with the cause "choice" (and nothing else may fail or go unshown).
   */
  choiceHides?: string[];
}

/** Every unknown dataset refused as invalid input: a 256-character ARN's refusal cannot be told from a broken constraint. */
const UNKNOWN_DATASET_REFUSED = ['LDIJ-ERR-002'];

/** Every option of reference-service/options.ts takes each of its values in at least one combination. */
export const VARIANTS: Record<string, Variant> = {
  'newest-first-opaque-25': { mode: 'strict', options: 'order=newest-first,tokenFormat=opaque,defaultPageSize=25,lastPageToken=empty' },
  'by-name-checksummed-namespaced': { mode: 'strict', options: 'order=by-name,tokenFormat=checksummed,unknownDataset=invalid-input,errorTypeStyle=namespaced', choiceHides: UNKNOWN_DATASET_REFUSED },
  'by-hash-header-fractional-extra': { mode: 'strict', options: 'order=by-hash,errorTypeStyle=header,timestampStyle=fractional-seconds,extraSummaryFields=true' },
  'oldest-first-signed-slow': { mode: 'strict', options: 'order=oldest-first,tokenFormat=signed,defaultPageSize=100,pendingMs=9000,inProgressMs=9000' },
  'newest-first-empty-invalid-fractional': { mode: 'strict', options: 'order=newest-first,lastPageToken=empty,unknownDataset=invalid-input,timestampStyle=fractional-seconds,tokenFormat=checksummed', choiceHides: UNKNOWN_DATASET_REFUSED },
  'by-name-opaque-header-25-extra': { mode: 'strict', options: 'order=by-name,tokenFormat=opaque,errorTypeStyle=header,defaultPageSize=25,extraSummaryFields=true,lastPageToken=empty' },
  // What the real service is documented or seen to do (issue 10).
  // The documented rules are on by default; a service without them lists just as well.
  'without-documented-limits': { mode: 'strict', options: 'inProgressLimit=off,fullBeforeIncremental=false' },
  // A lag shorter than a job's lifecycle, as on the real service (seconds against minutes): under a lag
  // longer than the whole lifecycle no listing could show a job before it finished (LDIJ-FILTER-007, RESP-012).
  'listing-lag': { mode: 'strict', options: 'listingLagMs=5000,pendingMs=9000,inProgressMs=9000', settings: { CONFORMANCE_LISTING_WAIT_MS: '1000' } },
  'short-pages': { mode: 'strict', options: 'shortPages=true' },
  'long-tokens': { mode: 'strict', options: 'longTokens=true,tokenFormat=opaque' },
  'real-service-like': { mode: 'strict', options: 'listingLagMs=3000,pendingMs=6000,inProgressMs=6000,shortPages=true,longTokens=true,timestampStyle=fractional-seconds', settings: { CONFORMANCE_LISTING_WAIT_MS: '1000' } },
  // What an index-backed control plane plausibly does (issue 18). On the mock a request moves the
  // clock by 1 s and a job lives 4 s, so a status lag shows only above 1 s.
  // The listing wait is also how soon a listing SHOULD follow Describe (LDIJ-CONS-001), in the service's time: above the lag.
  'status-lag': { mode: 'strict', options: 'statusLagMs=2500', settings: { CONFORMANCE_LISTING_WAIT_MS: '10000' } },
  'filter-after-page': { mode: 'strict', options: 'filterAfterPage=true' },
  // Lenient: the model does not require a message (MUSTs pass), but an error SHOULD say what is wrong (LDIJ-ERR-011).
  'errors-without-message': { mode: 'lenient', options: 'errorsWithoutMessage=true' },
  'other-actor': { mode: 'strict', options: 'otherActorEvery=10' },
  // Its listings take several requests (pages cut before the filter), and on the mock each request moves the clock a second:
  // a lifecycle longer than a listing, as on the real service (minutes), lets the listings follow a job through it.
  'index-backed': { mode: 'strict', options: 'statusLagMs=2500,filterAfterPage=true,otherActorEvery=10,pendingMs=9000,inProgressMs=9000', settings: { CONFORMANCE_LISTING_WAIT_MS: '10000' } },
  // Lenient: only the SDK's tolerance covers these.
  'validation-exception': { mode: 'lenient', options: 'constraintErrorType=ValidationException' },
  'null-members': { mode: 'lenient', options: 'nullMembers=true' },
};

async function main(): Promise<void> {
  const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const unknown = only.filter((n) => !(n in VARIANTS));
  if (unknown.length) {
    console.error(`variants: unknown variant ${unknown.join(', ')}; known: ${Object.keys(VARIANTS).join(', ')}`);
    process.exit(2);
  }
  const chosen = Object.entries(VARIANTS).filter(([name]) => !only.length || only.includes(name));
  const base = join(ROOT, 'reports', 'variants');
  mkdirSync(base, { recursive: true });
  console.log(`variants: ${chosen.length} correct variants of the reference service`);
  const results = await runAll(
    chosen.map(([name, v]) => ({ name, settings: { CONFORMANCE_VARIANT: v.options, CONFORMANCE_STRICT: v.mode === 'strict' ? '1' : '0', ...v.settings }, reports: join(base, name) })),
    (r) => console.log(`variants: ${r.name}: ${accepted(r, VARIANTS[r.name]) ? 'passed' : 'FAILED'} (${r.seconds.toFixed(0)} s)`),
  );
  const rows = results.map((r) => ({
    variant: r.name, options: VARIANTS[r.name].options, mode: VARIANTS[r.name].mode, passed: accepted(r, VARIANTS[r.name]), failed: failedRequirements(r),
    hidden: hiddenByChoice(r).map((s) => `${s.requirement}: ${s.name}`),
    scenarios: r.report?.summary.scenarios, unknownMembers: r.report?.warnings.unknownMembers.length ?? 0,
    ...(r.exitCode !== 0 && { output: r.tail }),
  }));
  const passed = rows.filter((r) => r.passed).length;
  writeFileSync(join(ROOT, 'reports', 'variants.json'), JSON.stringify({ variants: rows.length, passed, rows }, null, 2) + '\n');
  for (const r of rows.filter((x) => x.hidden.length)) console.log(`variants: ${r.variant}: not shown by its choice, as the contract allows: ${r.hidden.join('; ')}`);
  writeFileSync(join(ROOT, 'reports', 'variants.md'), [
    '# Correct variants the suite accepts', '',
    `${passed} of ${rows.length} variants pass (strict: every requirement; lenient, where only the SDK tolerates the behaviour: every MUST).`, '',
    '| Variant | Mode | Options | Result | Failed requirements | Not shown by its choice | Unknown members warned |', '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.variant} | ${r.mode} | \`${r.options}\` | ${r.passed ? 'passed' : '**FAILED**'} | ${r.failed.join(', ')} | ${r.hidden.join('; ')} | ${r.unknownMembers} |`), '',
  ].join('\n'));
  for (const r of rows.filter((x) => !x.passed)) console.log(`variants: ${r.variant} failed ${r.failed.join(', ')}\n${r.output}`);
  // A lenient variant that passed failed only SHOULD scenarios, as the SDK-only behaviour is expected to.
  const expected = (r: (typeof rows)[number]) => r.mode === 'lenient' && r.passed;
  const scen = rows.reduce((a, r) => ({
    p: a.p + (r.scenarios?.passed ?? 0),
    f: a.f + (expected(r) ? 0 : (r.scenarios?.['failed (MUST)'] ?? 0) + (r.scenarios?.['failed (SHOULD)'] ?? 0)),
    should: a.should + (expected(r) ? r.scenarios?.['failed (SHOULD)'] ?? 0 : 0),
  }), { p: 0, f: 0, should: 0 });
  console.log(`variants: ${passed} of ${rows.length} passed; table in reports/variants.md`);
  if (scen.should) console.log(`variants: ${scen.should} scenarios of SHOULD requirements failed in lenient variants, as expected (see the table)`);
  console.log(`${scen.p} passed, ${scen.f} failed`);
  process.exitCode = passed === rows.length ? 0 : 1;
}

/** The scenarios a run left not shown because of the target's choice (cause "choice"). */
function hiddenByChoice(r: SuiteRunResult): { requirement: string; name: string }[] {
  return r.report?.requirements.flatMap((q) => q.scenarios.filter((s) => s.notShown?.cause === 'choice').map((s) => ({ requirement: q.id, name: s.name }))) ?? [];
}

/**
 * A variant passes when its run passed, or when the only thing between it and a pass is what its
 * choices hide: no requirement failed, and every scenario not shown is one of its declared
 * requirements, not shown by the cause "choice" (a run that shows fewer MUSTs exits non-zero).
 */
function accepted(r: SuiteRunResult, v: Variant): boolean {
  if (r.exitCode === 0) return true;
  if (!r.report || !v.choiceHides?.length || failedRequirements(r).length) return false;
  const notShown = r.report.requirements.flatMap((q) => q.scenarios.filter((s) => s.class === 'not shown').map((s) => ({ q: q.id, cause: s.notShown?.cause })));
  const hidden = v.choiceHides;
  return notShown.length > 0 && notShown.every((s) => s.cause === 'choice' && hidden.includes(s.q));
}

void main();
