import './quiet-sdk-warning';
/**
 * Runs the conformance suite against a target and writes the reports:
 *   node src/run.ts [--target mock|endpoint|aws] [--endpoint URL] [--tags EXPR] [--strict]
 *                       [--reports DIR] [--parallel N] [--readonly]
 * Exit code: 0 when every MUST requirement passed (and every SHOULD one with --strict), 1 when
 * one failed, 2 when the suite could not run (bad configuration, unreachable endpoint).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { contractEdition } from '../schemas';
import { ConfigurationError, readConfig, runTimeout, type TargetKind } from './config';
import { FIXTURES, loadDataSets, loadValidatedJson } from './fixtures';
import { preflight } from './preflight';
import { recordingsLabel } from './recording';
import { redactConsole, redactFiles } from './redact';
import { buildReport, ROOT, toMarkdown, type Deviation } from './report';
import { handleStopSignals, runChild, runStop, settleMessages } from './supervise';

interface Options { target?: string; endpoint?: string; tags?: string; strict: boolean; reports: string; parallel?: number; readonly: boolean; smoke: boolean; record: boolean; quiet: boolean }

const USAGE = `usage: personalize-list-import-jobs-conformance [options]
  --target mock|endpoint|aws|replay[,...]
                               where to send requests (default: mock, or endpoint when --endpoint is given);
                               several targets run one after another, each reporting to its own folder
  --endpoint URL               the endpoint to test (sets AWS_ENDPOINT_URL_PERSONALIZE)
  --tags EXPR                  run only scenarios matching a cucumber tag expression
  --strict                     SHOULD requirements count as MUST (CONFORMANCE_STRICT=1)
  --readonly                   run only scenarios that change nothing (@readonly)
  --smoke                      the smoke run: @readonly scenarios, cheapest first, within the call budget
  --record                     record each @readonly scenario's exchanges to fixtures/recordings (nock.back)
  --reports DIR                where to write the reports (default: ./reports)
  --parallel N                 run scenarios in N worker processes`;

function parseArgs(argv: string[]): Options {
  const o: Options = { strict: process.env.CONFORMANCE_STRICT === '1', reports: 'reports', readonly: false, smoke: false, record: false, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new ConfigurationError(`${a} needs a value.\n${USAGE}`);
      return v;
    };
    if (a === '--target') o.target = value();
    else if (a === '--endpoint') o.endpoint = value();
    else if (a === '--tags') o.tags = value();
    else if (a === '--reports') o.reports = value();
    else if (a === '--parallel') o.parallel = Number(value());
    else if (a === '--strict') o.strict = true;
    else if (a === '--readonly') o.readonly = true;
    else if (a === '--smoke') o.smoke = true;
    else if (a === '--record') o.record = true;
    else if (a === '--quiet') o.quiet = true;
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new ConfigurationError(`Unknown option ${a}.\n${USAGE}`);
  }
  return o;
}

function version(pkgDir: string): string {
  try {
    return JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/** The known deviations of fixtures/known-deviations.json, checked against their schema. */
function loadDeviations(): Deviation[] {
  const file = join(FIXTURES, 'known-deviations.json');
  return existsSync(file) ? loadValidatedJson<{ deviations: Deviation[] }>(file, 'known-deviations.schema.json').deviations : [];
}

/** When the run must end (CONFORMANCE_RUN_TIMEOUT_MS), set by main. */
let deadlineAt: number | undefined;

export async function main(argv: string[]): Promise<number> {
  redactConsole();
  handleStopSignals();
  const o = parseArgs(argv);
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  if (o.endpoint) process.env.AWS_ENDPOINT_URL_PERSONALIZE = o.endpoint;
  if (o.strict) process.env.CONFORMANCE_STRICT = '1';
  if (o.record) {
    process.env.CONFORMANCE_RECORD = '1';
    process.env.CONFORMANCE_CALL_BUDGET ??= 'none';
    process.env.CONFORMANCE_MAX_RPS ??= 'none';
  }
  const userPrefix = process.env.CONFORMANCE_RUN_PREFIX;
  const targets = (o.target ?? process.env.CONFORMANCE_TARGET ?? (o.endpoint ? 'endpoint' : 'mock')).split(',');
  // One deadline for the whole invocation, however many targets it runs.
  const timeout = runTimeout(process.env, (targets[0] ?? 'mock') as TargetKind);
  deadlineAt = timeout ? Date.now() + timeout : undefined;
  let worst = 0;
  let passed = 0;
  let failed = 0;
  for (const [i, target] of targets.entries()) {
    process.env.CONFORMANCE_TARGET = target;
    if (userPrefix) process.env.CONFORMANCE_RUN_PREFIX = userPrefix;
    else delete process.env.CONFORMANCE_RUN_PREFIX;
    const reports = i === 0 ? o.reports : join(o.reports, target);
    if (runStop.reason) {
      console.log(`conformance: target ${target} not run: ${runStop.reason}`);
      continue;
    }
    const r = await runTarget(o, reports);
    worst = Math.max(worst, r.code);
    passed += r.passed;
    failed += r.failed;
  }
  if (targets.length > 1) console.log(`\n${passed} passed, ${failed} failed`);
  return worst;
}

async function runTarget(o: Options, reportsOption: string): Promise<{ code: number; passed: number; failed: number }> {
  const config = readConfig();
  loadDataSets();
  const deviations = loadDeviations();
  process.env.CONFORMANCE_RUN_PREFIX = config.runPrefix;
  // The workers run from the package's folder: they get the recordings folder resolved here.
  process.env.CONFORMANCE_RECORDINGS = config.recordings.dir;
  // The preflight's requests count against the run's call budget too.
  process.env.CONFORMANCE_PREFLIGHT_CALLS = String(config.target !== 'mock' && config.target !== 'replay' ? await preflight(config) : 0);
  if (config.allowWrites && config.target !== 'mock') console.log(`conformance: resources of this run are named ${config.runPrefix}-… and tagged conformance-run=${config.runPrefix} (npm run cleanup -- --prefix ${config.runPrefix} removes leftovers)`);

  const reports = isAbsolute(reportsOption) ? reportsOption : resolve(process.cwd(), reportsOption);
  mkdirSync(reports, { recursive: true });
  const messagesFile = join(reports, 'messages.ndjson');
  rmSync(messagesFile, { force: true });

  const readonly = o.smoke || o.readonly || !config.allowWrites;
  const args = [
    join(dirname(require.resolve('@cucumber/cucumber/package.json')), 'bin', 'cucumber.js'),
    '-p', o.smoke ? 'smoke' : readonly ? 'readonly' : 'default',
    '--format', `html:${join(reports, 'cucumber.html')}`,
    '--format', `junit:${join(reports, 'junit.xml')}`,
    '--format', `message:${messagesFile}`,
    ...(o.quiet ? [] : ['--format', 'progress']),
    ...(o.tags ? ['--tags', o.tags] : []),
    ...(o.parallel && o.parallel > 1 ? ['--parallel', String(o.parallel)] : []),
  ];
  if (runStop.reason) {
    console.log(`conformance: ${runStop.reason}: no scenario was started`);
    return { code: runStop.signal === 'SIGINT' ? 130 : 143, passed: 0, failed: 0 };
  }
  const graceMs = Number(process.env.CONFORMANCE_STOP_GRACE_MS) || (config.target === 'aws' ? 5 * 60_000 : 30_000);
  const run = await runChild(args, { cwd: ROOT, env: process.env, deadlineAt, graceMs });
  if (!existsSync(messagesFile)) {
    console.error(`conformance: cucumber ended (exit ${run.status}) without writing ${messagesFile}.`);
    return { code: runStop.reason ? 1 : 2, passed: 0, failed: 0 };
  }
  if (run.killed) settleMessages(messagesFile);

  const targetDescription = config.target === 'mock'
    ? `in-process mock (reference service${process.env.CONFORMANCE_VARIANT ? `, variant ${process.env.CONFORMANCE_VARIANT}` : ''}${process.env.CONFORMANCE_FAULTS ? `, faults ${process.env.CONFORMANCE_FAULTS}` : ''})`
    : config.target === 'endpoint' ? `endpoint ${config.endpoint}, region ${config.region}`
      : config.target === 'replay' ? `replay of ${recordingsLabel(config.recordings.dir)} (no network)`
        : `${process.env.AWS_ENDPOINT_URL_PERSONALIZE ? `the default credential chain's account at ${process.env.AWS_ENDPOINT_URL_PERSONALIZE}` : 'AWS account (default credential chain)'}, region ${config.region}`;
  const { report, finished, broken } = buildReport({
    messagesFile, target: targetDescription, targetKind: process.env.CONFORMANCE_TARGET_NAME || config.target, strict: config.strict, tags: o.tags,
    suiteVersion: version(ROOT), sdkVersion: version(join(ROOT, 'node_modules', '@aws-sdk', 'client-personalize')),
    contractEdition, excludedTags: readonly ? '@writes scenarios are left out where the suite may not write' : undefined,
    deviations,
  });
  // The scenarios stop a little before the deadline itself: their reasons say so.
  runStop.reason ??= report.requirements.flatMap((q) => q.scenarios).find((sc) => /reached its deadline/.test(sc.reason ?? ''))?.reason;
  if (runStop.reason) {
    for (const q of report.requirements) if (q.outcome === 'not run' && q.note === 'no scenario ran') q.note = `the run stopped before its scenarios ran: ${runStop.reason}`;
  }
  writeFileSync(join(reports, 'conformance.json'), JSON.stringify(report, null, 2) + '\n');
  writeFileSync(join(reports, 'conformance.md'), toMarkdown(report));
  // Reports may be published: no account id, key or token of the target stays in them.
  redactFiles(['conformance.json', 'conformance.md', 'cucumber.html', 'junit.xml', 'messages.ndjson'].map((f) => join(reports, f)));

  const s = report.summary;
  const reqLine = Object.entries(s.requirements).filter(([, n]) => n).map(([k, n]) => `${n} ${k}`).join(', ');
  console.log(`\nconformance: target ${report.target}`);
  console.log(`conformance: requirements: ${reqLine}; response bodies validated: ${s.validatedBodies}`);
  const preflightCalls = Number(process.env.CONFORMANCE_PREFLIGHT_CALLS) || 0;
  console.log(`conformance: API calls made by the scenarios: ${s.apiCalls}${preflightCalls ? `, by the preflight: ${preflightCalls}` : ''}${config.callBudget ? ` (budget ${config.callBudget}, for both)` : ''}`);
  if (report.warnings.unknownMembers.length) console.log(`conformance: warning: ${report.warnings.unknownMembers.length} members outside the schemas (see conformance.md)`);
  if (s.mustFailed.length) console.log(`conformance: MUST requirements failed: ${s.mustFailed.join(', ')}`);
  if (s.shouldFailed.length) console.log(`conformance: SHOULD requirements failed${config.strict ? '' : ' (not failing the run; --strict would)'}: ${s.shouldFailed.join(', ')}`);
  for (const b of broken) console.log(`conformance: scenario ${b.name} (${b.uri}) is ${b.status.toLowerCase()}${b.requirement ? '' : ' and names no requirement'}`);
  console.log(`conformance: reports in ${reports} (conformance.md, conformance.json, cucumber.html, junit.xml)`);
  const passed = s.scenarios.passed ?? 0;
  const failed = (s.scenarios.failed ?? 0) + broken.filter((b) => b.status !== 'FAILED').length;
  console.log(`${passed} passed, ${failed} failed${s.scenarios.skipped ? `, ${s.scenarios.skipped} skipped` : ''}`);

  const deviating = report.requirements.filter((q) => q.outcome === 'known deviation');
  if (deviating.length) console.log(`conformance: known deviations of ${process.env.CONFORMANCE_TARGET_NAME || config.target}: ${deviating.map((q) => q.id).join(', ')} (fixtures/known-deviations.json)`);
  if (runStop.reason) console.log(`conformance: ${runStop.reason}: the reports hold what ran; every scenario that did not run is reported not run`);
  const notRun = report.requirements.flatMap((q) => q.scenarios).filter((sc) => sc.status === 'skipped' && sc.reason).length;
  if (notRun) console.log(`conformance: ${notRun} scenarios not run (throttling, transport trouble, budget, data or a stop: see their reasons in conformance.md)`);
  if (runStop.signal) return { code: runStop.signal === 'SIGINT' ? 130 : 143, passed, failed };
  const failing = !!runStop.reason || !finished || broken.length > 0 || s.mustFailed.length > 0 || (config.strict && s.shouldFailed.length > 0);
  return { code: failing ? 1 : 0, passed, failed };
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
    if (e instanceof ConfigurationError) {
      console.error(`conformance: ${e.message}`);
      process.exit(2);
    }
    console.error('conformance: the suite could not run:', e);
    process.exit(2);
  });
}
