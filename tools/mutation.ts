/**
 * Mutation testing of the reference service's list, filter, pagination and validation code,
 * killed by the suite on the in-process mock (Stryker 9 with the cucumber runner).
 *   npm run test:mutation
 *   npm run test:mutation -- --from-reports   (score and survivors of the last runs again, from their reports)
 *   npm run test:mutation -- --follow-ups 3,4 (only those follow-up variants, over what the last runs left open)
 * A first run mutates the code with the service's default choices. Code that only other correct
 * choices reach (other orders and token formats, an unknown dataset answered with
 * InvalidInputException, short pages, long tokens, a listing lag, the documented rules switched
 * off, ValidationException, null members) is then mutated again, line by line, with the suite run
 * against FOLLOW_UP_VARIANTS; a mutant counts as killed when any run kills it. Prints and writes the score
 * (reports/mutation/summary.json) and the survivors, checked against the list of equivalent
 * mutants in reference-service/EQUIVALENT-MUTANTS.md. The scope is the correct model only: faults
 * live in reference-service/faults/, outside it, so no mutant needs ignoring. A survivor is named
 * by a stable identity, a hash of its file, mutator, original and mutated code (not line numbers).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { redactFiles } from '../src/redact';
import { join } from 'node:path';
import { ROOT } from '../src/paths';

/** The part of Stryker's MutantResult this script reads (@stryker-mutator/api/core). */
interface MutantResult {
  fileName: string;
  mutatorName: string;
  replacement?: string;
  status: string;
  /** Why, for an ignored mutant: the reason of its disable comment. */
  statusReason?: string;
  location: { start: { line: number; column: number }; end: { line: number; column: number } };
}

/** Stryker is an ES module; the suite runs as CommonJS (ts-node), so it is imported at run time. */
interface StrykerModule { Stryker: new (options: Record<string, unknown>) => { runMutationTest(): Promise<MutantResult[]> } }
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- a real import() that TypeScript's CommonJS output would turn into require()
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<StrykerModule>;

/**
 * A correct variant of the reference service (reference-service/options.ts) that reaches code the
 * defaults do not, with the suite settings it needs. A lenient variant (behaviour only the SDK's
 * tolerance covers) runs the MUST scenarios only: its SHOULD scenarios fail by design.
 */
interface FollowUpVariant {
  options: string;
  env?: Record<string, string>;
  tags?: string[];
}

/** Together they switch on every option whose code is in the scope (each value other than the default at least once). */
export const FOLLOW_UP_VARIANTS: FollowUpVariant[] = [
  { options: 'order=newest-first,tokenFormat=opaque,unknownDataset=invalid-input,extraSummaryFields=true,lastPageToken=empty,filterAfterPage=true' },
  { options: 'order=by-name,tokenFormat=checksummed,longTokens=true,shortPages=true' },
  // The documented rules off, and a listing lag the suite is told to wait for (as tools/variants.ts does).
  { options: 'inProgressLimit=off,fullBeforeIncremental=false,listingLagMs=500', env: { CONFORMANCE_LISTING_WAIT_MS: '1000' } },
  { options: 'constraintErrorType=ValidationException,nullMembers=true', tags: ['@must'] },
];

/** Lines from the first line matching `from` to the line before the one matching `to` (or the end). */
function range(file: string, from: RegExp, to?: RegExp): string {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  const start = lines.findIndex((l) => from.test(l)) + 1;
  if (start === 0) throw new Error(`${file}: no line matches ${from}`);
  const end = to ? lines.findIndex((l, i) => i >= start && to.test(l)) : lines.length;
  return `${file}:${start}-${end === -1 ? lines.length : end}`;
}

/** The code under mutation, found by what it is rather than by line numbers. */
export function mutationScope(): string[] {
  return [
    range('reference-service/sorted-index.ts', /^export type SortKey/, /---- removal and iteration/),
    'reference-service/tokens.ts',
    range('reference-service/service.ts', /^ {2}listDatasetImportJobs\(/, /\/\*\* Paging for the small lists/),
    range('reference-service/service.ts', /\/\*\* What a token is bound to/, /\/\*\* Issues a token/),
    range('reference-service/service.ts', /^ {2}createDatasetImportJob\(/, /^ {2}describeDatasetImportJob\(/),
    range('reference-service/protocol.ts', /\/\*\* The request schema decides what is valid/, /\/\*\* HTTP 200 with the output/),
    // Only the body of a success depends on an option (nullMembers); its status and headers do not.
    range('reference-service/protocol.ts', /^\s+body: JSON\.stringify\(output, this\.service\.options\.nullMembers/, /^\s+};/),
  ];
}

const sourceLines = new Map<string, string[]>();

/** The code a mutant replaced (Stryker's report positions: lines and columns from 1). */
function originalCode(m: MutantResult): string {
  const file = m.fileName.replace(/^.*reference-service\//, 'reference-service/');
  let lines = sourceLines.get(file);
  if (!lines) sourceLines.set(file, (lines = readFileSync(join(ROOT, file), 'utf8').split('\n')));
  const { start, end } = m.location;
  const text = lines.slice(start.line - 1, end.line).join('\n');
  const endOffset = text.length - (lines[end.line - 1].length - (end.column - 1));
  return text.slice(start.column - 1, endOffset);
}

/** A mutant's stable identity: file, mutator, original and mutated code, hashed (line numbers move, this does not). */
export function mutantId(m: MutantResult): string {
  const file = m.fileName.replace(/^.*reference-service\//, 'reference-service/');
  return createHash('sha256').update([file, m.mutatorName, originalCode(m), m.replacement ?? ''].join('\0')).digest('hex').slice(0, 12);
}

/** How a survivor reads in the list: identity, then where it is today and what it does (for people). */
export const describe = (m: MutantResult) =>
  `\`${mutantId(m)}\` ${m.fileName.replace(/^.*reference-service\//, 'reference-service/')}:${m.location.start.line} ${m.mutatorName}: \`${originalCode(m).replace(/\s+/g, ' ').slice(0, 80)}\` → \`${(m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 80)}\``;

const detected = (m: MutantResult) => m.status === 'Killed' || m.status === 'Timeout';
/**
 * Mutants that count neither way: code that does not compile or run, and the few that a
 * `// Stryker disable next-line StringLiteral: <reason>` comment in the code leaves out, each with
 * its reason (free-text messages only: the contract asks for a message, not its words).
 */
const outOfScore = (m: MutantResult) => m.status === 'CompileError' || m.status === 'RuntimeError' || m.status === 'Ignored';

async function run(mutate: string[], variant: FollowUpVariant | undefined, name: string): Promise<MutantResult[]> {
  // Stryker's test runners are child processes: they take the environment as it is when they start.
  const env: Record<string, string | undefined> = { CONFORMANCE_VARIANT: variant?.options, CONFORMANCE_LISTING_WAIT_MS: undefined, ...variant?.env };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  console.log(`mutation: run "${name}"${variant ? ` (variant ${variant.options}${variant.tags ? `, scenarios ${variant.tags.join(' and ')}` : ''})` : ''}: ${mutate.join(', ')}`);
  const config = JSON.parse(readFileSync(join(ROOT, 'stryker.config.json'), 'utf8')) as { _comment?: string; cucumber?: object; tempDirName?: string };
  delete config._comment;
  const { Stryker } = await importEsm('@stryker-mutator/core');
  return new Stryker({
    ...config,
    ...(variant?.tags && { cucumber: { ...config.cucumber, tags: variant.tags } }),
    mutate,
    reporters: ['progress-append-only', 'json'],
    jsonReporter: { fileName: `reports/mutation/${name}.json` },
    // Its own sandbox folder, inside the ignored one: Stryker deletes the folder after a run.
    tempDirName: `${config.tempDirName}/${name}`,
  }).runMutationTest();
}

/**
 * Exactly the code a mutant replaced, as a mutate pattern (lines from 1, columns from 0 in a pattern;
 * from 1 in a report), so a follow-up mutates what is open and not the rest of a block's lines.
 */
function mutateRange(m: MutantResult): string {
  const { start, end } = m.location;
  return `${m.fileName.replace(/^.*reference-service\//, 'reference-service/')}:${start.line}:${start.column - 1}-${end.line}:${end.column - 1}`;
}

/** Merges a later run's results: killed beats survived, and survived (reached, not killed) says more than not covered. */
function merge(all: Map<string, MutantResult>, later: MutantResult[]): void {
  for (const m of later) {
    const before = all.get(mutantId(m));
    if (before && !detected(before) && (detected(m) || (before.status === 'NoCoverage' && m.status === 'Survived'))) all.set(mutantId(m), m);
  }
}

/** The mutants of a run's JSON report (Stryker's mutation-testing-report-schema), as the run returned them. */
function fromReport(name: string): MutantResult[] {
  const file = join(ROOT, 'reports', 'mutation', `${name}.json`);
  if (!existsSync(file)) return [];
  const report = JSON.parse(readFileSync(file, 'utf8')) as { files: Record<string, { mutants: Omit<MutantResult, 'fileName'>[] }> };
  return Object.entries(report.files).flatMap(([fileName, f]) => f.mutants.map((m) => ({ ...m, fileName })));
}

async function main(): Promise<void> {
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  mkdirSync(join(ROOT, 'reports', 'mutation'), { recursive: true });
  const all = new Map<string, MutantResult>();
  // --from-reports: the score and survivors of the last runs again, from their reports (after EQUIVALENT-MUTANTS.md changed).
  // --follow-ups 3,4: only those follow-up variants, over what the reports of the last runs left open
  // (variants in separate processes at once, each in its own sandbox folder; then --from-reports).
  const followUps = process.argv.indexOf('--follow-ups');
  if (process.argv.includes('--from-reports') || followUps > 0) {
    for (const m of fromReport('default')) all.set(mutantId(m), m);
    if (!all.size) throw new Error('no reports/mutation/default.json: run npm run test:mutation first');
    for (const i of FOLLOW_UP_VARIANTS.keys()) merge(all, fromReport(`variant-${i + 1}`));
  } else {
    for (const m of await run(mutationScope(), undefined, 'default')) all.set(mutantId(m), m);
  }
  if (!process.argv.includes('--from-reports')) {
    const chosen = followUps > 0 ? (process.argv[followUps + 1] ?? '').split(',').map(Number) : [...FOLLOW_UP_VARIANTS.keys()].map((i) => i + 1);
    for (const n of chosen) {
      const variant = FOLLOW_UP_VARIANTS[n - 1];
      if (!variant) throw new Error(`--follow-ups: no follow-up variant ${n} (1 to ${FOLLOW_UP_VARIANTS.length})`);
      const open = [...all.values()].filter((m) => !detected(m) && !outOfScore(m));
      if (!open.length) break;
      merge(all, await run([...new Set(open.map(mutateRange))], variant, `variant-${n}`));
    }
  }

  const results = [...all.values()];
  const killed = results.filter(detected);
  const undetected = results.filter((m) => !detected(m) && !outOfScore(m));
  const ignored = results.filter((m) => m.status === 'Ignored');
  const score = (100 * killed.length) / (killed.length + undetected.length);
  // The list has two parts: equivalent survivors with their reasons, then (under "## Gaps") survivors
  // that show a gap of the suite, each with what would kill it. Only the first part is equivalent.
  const [equivalentPart, gapPart = ''] = readFileSync(join(ROOT, 'reference-service', 'EQUIVALENT-MUTANTS.md'), 'utf8').split(/^## Gaps/m);
  const listedIn = (text: string) => (m: MutantResult) => text.includes(`\`${mutantId(m)}\``);
  const equivalent = undetected.filter(listedIn(equivalentPart));
  const gaps = undetected.filter(listedIn(gapPart));
  const unexplained = undetected.filter((m) => !equivalent.includes(m) && !gaps.includes(m));
  const kind = (m: MutantResult) => (equivalent.includes(m) ? 'equivalent' : gaps.includes(m) ? 'gap' : 'unlisted');
  // The score counts every survivor, equivalent or not, against the suite (as Stryker does); the
  // score without the survivors listed as equivalent is shown beside it, for reading only.
  const summary = {
    score: Number(score.toFixed(2)),
    scoreCountingIgnoredAsSurvived: Number(((100 * killed.length) / (killed.length + undetected.length + ignored.length)).toFixed(2)),
    scoreWithoutListedEquivalent: Number(((100 * killed.length) / (killed.length + undetected.length - equivalent.length)).toFixed(2)),
    killed: killed.length,
    undetected: undetected.length,
    equivalentListed: equivalent.length,
    gapsListed: gaps.length,
    ignoredInCode: ignored.map((m) => ({ id: mutantId(m), at: m.location, mutator: m.mutatorName, original: originalCode(m), reason: m.statusReason })),
    scope: mutationScope(),
    followUpVariants: FOLLOW_UP_VARIANTS,
    survivors: undetected.map((m) => ({ id: mutantId(m), kind: kind(m), status: m.status, at: m.location, mutator: m.mutatorName, original: originalCode(m), replacement: m.replacement })),
  };
  writeFileSync(join(ROOT, 'reports', 'mutation', 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  // Stryker's reports quote failing scenarios, whose messages name ARNs of the mock's accounts.
  const dir = join(ROOT, 'reports', 'mutation');
  redactFiles(readdirSync(dir).map((f) => join(dir, f)));
  for (const m of unexplained) console.log(`mutation: not listed in EQUIVALENT-MUTANTS.md: ${describe(m)} (${m.status})`);
  // A mutant listed as equivalent that a run killed: a stale entry, or a kill that was not the mutant's doing.
  const killedButListed = killed.filter(listedIn(equivalentPart));
  for (const m of killedButListed) console.log(`mutation: listed as equivalent in EQUIVALENT-MUTANTS.md, but killed (a stale entry, or a false kill): ${describe(m)}`);
  console.log(`mutation: score ${score.toFixed(1)}% (${killed.length} killed, ${undetected.length} survived or not covered: ${equivalent.length} listed as equivalent, ${gaps.length} as gaps of the suite, ${unexplained.length} not listed; ${summary.scoreWithoutListedEquivalent}% without the equivalent ones; ${ignored.length} free-text mutants left out by a disable comment, ${((100 * killed.length) / (killed.length + undetected.length + ignored.length)).toFixed(1)}% counting them as survivors)`);
  // The gate: every mutant killed or listed with its reason (a score alone would reward false kills; see EQUIVALENT-MUTANTS.md).
  process.exitCode = results.length > 0 && unexplained.length === 0 && killedButListed.length === 0 ? 0 : 1;
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(2);
  });
}
