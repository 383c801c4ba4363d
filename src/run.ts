import './quiet-sdk-warning';
/**
 * Runs the conformance suite against a target and writes the reports (`--help` lists every option).
 * Exit code: 0 when every MUST requirement passed (and every SHOULD one with --strict), 1 when
 * one failed, 2 when the suite could not run (bad configuration, unreachable endpoint).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync, accessSync, constants } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { contractEdition } from '../schemas';
import { ConfigurationError, envFlag, parseBoolean, parseNumber, readConfig, resolveRegion, runTimeout, type TargetKind } from './config';
import { FIXTURES, loadDataSets, loadValidatedJson } from './fixtures';
import { recordingsLabel } from './recording';
import { redactConsole, redactFiles } from './redact';
import { buildReport, closingLine, describeImplementation, EXIT_CODES, loadCatalog, ROOT, runErrors, toJUnit, toMarkdown, withHtmlBanner, type Deviation, type Implementation } from './report';
import { handleStopSignals, runChild, runStop } from './supervise';
import { checkBudget, DEFAULT_IMPORT_JOB_BUDGET_ON_AWS, handOver, planRun, planText, secondAccountOf, type ArrangeSettings } from './arrange/runner';
import { DEFAULT_IMPORT_MINUTES_ON_AWS } from './arrange/estimate';

interface Options {
  target?: string; endpoint?: string; tags?: string; requirements: string[]; listRequirements: boolean;
  strict: boolean; reports: string; parallel?: number; readonly: boolean; smoke: boolean; record: boolean; quiet: boolean;
  recordings?: string; updateFixtures: boolean; deviations?: string; deviationsTarget?: string;
  implementation: Partial<Implementation>;
  arrange: ArrangeSettings;
}

/** Every option: its flag, the variable that sets it too, its default and what it does (--help is made from this). */
const OPTIONS: { flag: string; value?: string; env?: string; default?: string; help: string; set: (o: Options, v: string, flag: string) => void }[] = [
  { flag: '--target', value: 'mock|endpoint|aws|replay[,...]', env: 'CONFORMANCE_TARGET', default: 'mock (endpoint with --endpoint)', help: 'where requests go; several targets run one after another, each reporting to its own folder', set: (o, v) => { o.target = v; } },
  { flag: '--endpoint', value: 'URL', env: 'AWS_ENDPOINT_URL_PERSONALIZE', help: 'the endpoint to test (target endpoint)', set: (o, v) => { o.endpoint = v; } },
  { flag: '--tags', value: 'EXPR', help: 'only scenarios matching a cucumber tag expression (a syntax error or no match is exit 2)', set: (o, v) => { o.tags = v; } },
  { flag: '--requirement', value: 'ID[,ID...]', help: 'only the scenarios of these requirements (repeatable; see --list-requirements)', set: (o, v) => { o.requirements.push(...v.split(',').map((x) => x.trim()).filter(Boolean)); } },
  { flag: '--list-requirements', help: 'print the requirement catalog (id, level, statement) and exit', set: (o) => { o.listRequirements = true; } },
  { flag: '--strict', env: 'CONFORMANCE_STRICT', default: 'no', help: 'SHOULD requirements count as MUST', set: (o) => { o.strict = true; } },
  { flag: '--readonly', help: 'only scenarios that change nothing (@readonly)', set: (o) => { o.readonly = true; } },
  { flag: '--smoke', help: 'the smoke run: @readonly scenarios, cheapest first, within the call budget', set: (o) => { o.smoke = true; } },
  { flag: '--record', env: 'CONFORMANCE_RECORD', default: 'no', help: "record each @readonly scenario's exchanges (a live target: aws or endpoint)", set: (o) => { o.record = true; } },
  { flag: '--recordings', value: 'DIR', env: 'CONFORMANCE_RECORDINGS', default: 'recording: a new folder under reports/; replay: the shipped fixtures/recordings', help: 'where --record writes and --target replay reads recordings', set: (o, v) => { o.recordings = v; } },
  { flag: '--update-fixtures', env: 'CONFORMANCE_UPDATE_FIXTURES', default: 'no', help: "let --record overwrite the suite's own fixtures/recordings", set: (o) => { o.updateFixtures = true; } },
  { flag: '--deviations', value: 'FILE', env: 'CONFORMANCE_DEVIATIONS', default: "the suite's fixtures/known-deviations.json", help: 'your known deviations (fixtures/known-deviations.schema.json): reported as such, not as failures', set: (o, v) => { o.deviations = v; } },
  { flag: '--deviations-target', value: 'NAME', env: 'CONFORMANCE_TARGET_NAME', default: 'the target (mock, endpoint, aws, replay)', help: 'the target name your known deviations are filed under', set: (o, v) => { o.deviationsTarget = v; } },
  { flag: '--implementation-name', value: 'NAME', env: 'CONFORMANCE_IMPLEMENTATION_NAME', default: 'the reference service on mock/replay, Amazon Personalize on aws', help: 'the implementation under test, named in the reports', set: (o, v) => { o.implementation.name = v; } },
  { flag: '--implementation-version', value: 'VERSION', env: 'CONFORMANCE_IMPLEMENTATION_VERSION', help: 'its version', set: (o, v) => { o.implementation.version = v; } },
  { flag: '--implementation-url', value: 'URL|CONTACT', env: 'CONFORMANCE_IMPLEMENTATION_URL', help: 'where to find it or whom to ask', set: (o, v) => { o.implementation.url = v; } },
  { flag: '--reports', value: 'DIR', default: './reports', help: 'where to write conformance.json/.md, cucumber.html and junit.xml', set: (o, v) => { o.reports = v; } },
  { flag: '--parallel', value: 'N', default: '1', help: 'run scenarios in N worker processes (an integer from 1 to 64)', set: (o, v, flag) => { o.parallel = parseNumber(flag, v, { min: 1, max: 64, integer: true }); } },
  { flag: '--quiet', help: 'no progress dots; only the summary lines', set: (o) => { o.quiet = true; } },
  // Planning and arranging the run's data (src/arrange/runner.ts).
  { flag: '--plan', help: 'print what the selected scenarios would create (resources, import jobs), the API calls to expect and the time at --assume-import-minutes, and exit without calling the target', set: (o) => { o.arrange.planOnly = true; } },
  { flag: '--assume-import-minutes', value: 'N', env: 'CONFORMANCE_ASSUME_IMPORT_MINUTES', default: `${DEFAULT_IMPORT_MINUTES_ON_AWS} on aws; elsewhere the target's own lifecycle`, help: "the import duration the plan's time assumes", set: (o, v, flag) => { o.arrange.assumeImportMinutes = parseNumber(flag, v, { min: 0 }); } },
  { flag: '--keep-fixtures', env: 'CONFORMANCE_KEEP_FIXTURES', default: 'no', help: "keep the run's shared data, tagged with the catalog's fingerprint and the contract edition, for later runs on the account and region to reuse (npm run cleanup -- --prefix <the printed prefix> removes it)", set: (o) => { o.arrange.keepFixtures = true; } },
  { flag: '--import-job-budget', value: 'N', env: 'CONFORMANCE_IMPORT_JOB_BUDGET', default: `${DEFAULT_IMPORT_JOB_BUDGET_ON_AWS} on aws, else none`, help: 'a writing run on a real account that would create more import jobs prints its plan and stops (exit 2), unless --accept-plan', set: (o, v, flag) => { o.arrange.importJobBudget = parseNumber(flag, v, { min: 0, integer: true }); } },
  { flag: '--accept-plan', help: 'go on past the import-job budget', set: (o) => { o.arrange.acceptPlan = true; } },
  { flag: '--help', help: 'this text (also -h)', set: () => { console.log(USAGE); process.exit(0); } },
];

/** Variables read by the suite that no flag sets. */
const ENVIRONMENT: [string, string, string][] = [
  ['AWS_REGION, AWS_PROFILE', "the SDK's provider chain (variable, then profile)", 'region of target aws (us-east-1 elsewhere); credentials come from the same chain'],
  ['CONFORMANCE_ALLOW_WRITES', 'no', 'on aws, let scenarios create and delete (tagged) resources'],
  ['CONFORMANCE_SECOND_ACCESS_KEY_ID, CONFORMANCE_SECOND_SECRET_ACCESS_KEY', 'unset', 'a second account, for the cross-account requirement'],
  ['CONFORMANCE_OTHER_REGION', 'us-west-2 (eu-west-1 from us-west-2)', 'a second region, for the cross-region requirement'],
  ['CONFORMANCE_CALL_BUDGET', '40 on a read-only aws run, else none', 'most API calls of the run (a number or "none")'],
  ['CONFORMANCE_MAX_RPS', '2 on aws, else none', 'most requests per second (a number or "none")'],
  ['CONFORMANCE_WAIT_TIMEOUT_MS', '1800000 on aws, else 60000', 'how long to wait for a resource to reach a state'],
  ['CONFORMANCE_POLL_INTERVAL_MS', '20000 on aws, 20 on an endpoint, 0 on mock', 'how often to look'],
  ['CONFORMANCE_STEP_TIMEOUT_MS', '300000', 'most time for one step'],
  ['CONFORMANCE_RUN_PREFIX', 'a new cf… prefix per run', 'prefix of the names of resources the run creates'],
  ['CONFORMANCE_KEEP_RESOURCES', 'no', 'leave created resources in place (npm run cleanup removes them)'],
  ['CONFORMANCE_DATA_LOCATION_INTERACTIONS, _ITEMS, _USERS (CONFORMANCE_DATA_LOCATION: Interactions)', 's3://personalize-conformance-fixtures/<type>.csv', 'the data file of each dataset type'],
  ['CONFORMANCE_MISSING_DATA_LOCATION', 's3://personalize-conformance-fixtures/missing/does-not-exist.csv', 'a location that does not exist, for jobs meant to fail'],
  ['CONFORMANCE_SCHEMA_INTERACTIONS, _ITEMS, _USERS', 'fixtures/avro/<type>.json', 'a file with the Avro schema of each dataset type'],
  ['CONFORMANCE_IN_PROGRESS_LIMIT', '5', 'most import jobs in progress at once while arranging'],
  ['CONFORMANCE_LISTING_WAIT_MS', '300000 on aws, 5000 on an endpoint, 300 on mock', 'how long a created job may take to be listed'],
  ['CONFORMANCE_REQUEST_TIMEOUT_MS', '30000 on aws, else 10000', 'one request is aborted after this (0: never)'],
  ['CONFORMANCE_MAX_RESPONSE_BYTES', '4194304', 'a larger response body is a contract violation'],
  ['CONFORMANCE_RUN_TIMEOUT_MS', '3600000 on aws, else 1200000', 'the whole run (0: none)'],
  ['CONFORMANCE_STOP_GRACE_MS', '300000 on aws, else 30000', 'after the deadline, how long cleanup may still take'],
  ['CONFORMANCE_IMPORT_ROLE_ARN', 'unset', 'role for import jobs on a real account'],
  ['CONFORMANCE_VARIANT, CONFORMANCE_FAULTS', 'unset', 'choices and injected faults of the in-process mock (for testing the suite)'],
];

const USAGE = [
  'usage: personalize-list-import-jobs-conformance [options]      (--flag value or --flag=value)',
  '',
  'Options (environment variable; default):',
  ...OPTIONS.map((d) => {
    const left = `  ${d.flag}${d.value ? ` ${d.value}` : ''}`;
    const extra = [d.env, d.default && `default: ${d.default}`].filter(Boolean).join('; ');
    return `${left}\n      ${d.help}${extra ? ` (${extra})` : ''}`;
  }),
  '',
  'Booleans (variables) accept 1/true/yes and 0/false/no.',
  '',
  'Environment (default):',
  ...ENVIRONMENT.map(([name, def, help]) => `  ${name}\n      ${help} (default: ${def})`),
  '',
  'Exit codes: 0 the target conforms (every MUST requirement passed; every SHOULD one too with --strict),',
  '            1 a requirement failed, 2 configuration (bad option, nothing selected, unreachable endpoint).',
].join('\n');

const HINT = 'see --help';

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): Options {
  const o: Options = {
    requirements: [], listRequirements: false, strict: envFlag('CONFORMANCE_STRICT', env), reports: 'reports',
    readonly: false, smoke: false, record: envFlag('CONFORMANCE_RECORD', env), quiet: false,
    updateFixtures: envFlag('CONFORMANCE_UPDATE_FIXTURES', env), recordings: env.CONFORMANCE_RECORDINGS || undefined,
    deviations: env.CONFORMANCE_DEVIATIONS || undefined, deviationsTarget: env.CONFORMANCE_TARGET_NAME || undefined,
    arrange: {
      planOnly: false,
      assumeImportMinutes: env.CONFORMANCE_ASSUME_IMPORT_MINUTES ? parseNumber('CONFORMANCE_ASSUME_IMPORT_MINUTES', env.CONFORMANCE_ASSUME_IMPORT_MINUTES, { min: 0 }) : undefined,
      keepFixtures: envFlag('CONFORMANCE_KEEP_FIXTURES', env),
      importJobBudget: env.CONFORMANCE_IMPORT_JOB_BUDGET ? parseNumber('CONFORMANCE_IMPORT_JOB_BUDGET', env.CONFORMANCE_IMPORT_JOB_BUDGET, { min: 0, integer: true }) : undefined,
      acceptPlan: false,
    },
    implementation: {
      name: env.CONFORMANCE_IMPLEMENTATION_NAME || undefined,
      version: env.CONFORMANCE_IMPLEMENTATION_VERSION || undefined,
      url: env.CONFORMANCE_IMPLEMENTATION_URL || undefined,
    },
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = arg === '-h' ? '--help' : eq > 0 ? arg.slice(0, eq) : arg;
    const option = OPTIONS.find((d) => d.flag === flag);
    if (!option) throw new ConfigurationError(`unknown ${arg.startsWith('-') ? 'option' : 'argument'} ${arg} (${HINT})`);
    let value = '';
    if (option.value) {
      value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || (eq < 0 && value.startsWith('--')) || value === '') throw new ConfigurationError(`${flag} needs a value: ${flag} ${option.value} (${HINT})`);
    } else if (eq > 0) {
      // A switch given a value (--strict=no): read it as a boolean.
      if (!parseBoolean(flag, arg.slice(eq + 1))) continue;
    }
    option.set(o, value, flag);
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

function sdkVersion(): string {
  try {
    return version(dirname(require.resolve('@aws-sdk/client-personalize/package.json', { paths: [ROOT] })));
  } catch {
    return version(join(ROOT, 'node_modules', '@aws-sdk', 'client-personalize'));
  }
}

function readTargetKind(target: string): TargetKind {
  return readConfig({ CONFORMANCE_TARGET: target, AWS_REGION: 'checked-later', AWS_ENDPOINT_URL_PERSONALIZE: 'http://checked-later' }).target;
}

/** Known deviations (the suite's own file, or --deviations FILE), checked against their schema. */
function loadDeviations(file: string | undefined): { file: string; deviations: Deviation[] } {
  const path = file ? resolve(process.cwd(), file) : join(FIXTURES, 'known-deviations.json');
  if (!existsSync(path)) {
    if (file) throw new ConfigurationError(`--deviations ${file}: no such file.`);
    return { file: path, deviations: [] };
  }
  return { file: path, deviations: loadValidatedJson<{ deviations: Deviation[] }>(path, 'known-deviations.schema.json').deviations };
}

function printCatalog(): void {
  for (const r of loadCatalog()) console.log(`${r.id}  ${r.level.toUpperCase().padEnd(6)} ${r.statement}`);
}

/** The tag expression of --tags and --requirement together; an unknown requirement id is a configuration error. */
function selection(o: Options): string | undefined {
  const known = new Set(loadCatalog().map((r) => r.id));
  const unknown = o.requirements.filter((id) => !known.has(id));
  if (unknown.length) throw new ConfigurationError(`--requirement ${unknown.join(',')}: no such requirement (--list-requirements prints the catalog).`);
  const byId = o.requirements.length ? o.requirements.map((id) => `@req:${id}`).join(' or ') : undefined;
  if (o.tags && byId) return `(${o.tags}) and (${byId})`;
  return o.tags ?? byId;
}

/** Fails with one line, before any scenario runs, when the in-process mock's faults or variant name something unknown. */
function checkReferenceSetup(env: NodeJS.ProcessEnv): void {
  for (const [name, setup] of [['CONFORMANCE_FAULTS', { faults: env.CONFORMANCE_FAULTS }], ['CONFORMANCE_VARIANT', { variant: env.CONFORMANCE_VARIANT }]] as const) {
    if (!env[name]) continue;
    // Loaded only here: a run without faults or a variant does not need the model in this process.
    const { createReferenceFrontEnd } = require('../reference-service') as typeof import('../reference-service');
    try {
      createReferenceFrontEnd(setup);
    } catch (e) {
      throw new ConfigurationError(`${name}=${env[name]}: ${(e as Error).message}`);
    }
  }
}

/** The scenarios a run would execute: a tag syntax error or an empty selection ends the run before it starts. */
async function checkSelection(profile: string, tags: string | undefined): Promise<void> {
  // A profile's own selection is the suite's, never empty (tests/cli.test.ts): only a user's tags are checked, which costs loading cucumber's sources.
  if (!tags) return;
  const { loadConfiguration, loadSources } = await import('@cucumber/cucumber/api');
  const { runConfiguration } = await loadConfiguration({ profiles: [profile], provided: tags ? { tags } : {} }, { cwd: ROOT });
  let planned: number;
  try {
    planned = (await loadSources(runConfiguration.sources, { cwd: ROOT })).plan.length;
  } catch (e) {
    const cause = ((e as Error & { cause?: Error }).cause ?? (e as Error)).message;
    throw new ConfigurationError(`--tags ${tags}: not a tag expression (${cause.replace(/^.*because of /, '')})`);
  }
  if (planned === 0) {
    throw new ConfigurationError(`no scenario is selected by ${runConfiguration.sources.tagExpression || 'the profile'} (profile ${profile}); check --tags and --requirement.`);
  }
}

/** The reports folder, created and writable, or one line saying why not. */
function reportsFolder(option: string): string {
  const reports = isAbsolute(option) ? option : resolve(process.cwd(), option);
  try {
    mkdirSync(reports, { recursive: true });
    accessSync(reports, constants.W_OK);
  } catch (e) {
    throw new ConfigurationError(`--reports ${option}: cannot write there (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
  return reports;
}

/** Who is under test, for the reports: the flags, else what the target says about itself. */
function implementationFor(target: TargetKind, given: Partial<Implementation>): Implementation {
  const known: Partial<Record<TargetKind, Implementation>> = {
    mock: { name: 'reference service (in-process mock)', version: version(ROOT) },
    replay: { name: 'recorded exchanges (replay)', version: version(ROOT) },
    aws: { name: 'Amazon Personalize', url: 'https://aws.amazon.com/personalize/' },
  };
  const fallback = known[target] ?? { name: 'unnamed implementation (set --implementation-name)' };
  return given.name ? { ...given, name: given.name } : { ...fallback, ...given, name: fallback.name };
}

/** When the run must end (CONFORMANCE_RUN_TIMEOUT_MS), set by main. */
let deadlineAt: number | undefined;

export async function main(argv: string[]): Promise<number> {
  redactConsole();
  handleStopSignals();
  return runSuite(argv);
}

/** The run itself, without the process-wide console redaction and signal handling of main (tests call it). */
export async function runSuite(argv: string[]): Promise<number> {
  const o = parseArgs(argv);
  if (o.listRequirements) {
    printCatalog();
    return 0;
  }
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  if (o.endpoint) process.env.AWS_ENDPOINT_URL_PERSONALIZE = o.endpoint;
  if (o.strict) process.env.CONFORMANCE_STRICT = '1';
  if (o.record) {
    process.env.CONFORMANCE_RECORD = '1';
    process.env.CONFORMANCE_CALL_BUDGET ??= 'none';
    process.env.CONFORMANCE_MAX_RPS ??= 'none';
  }
  // Recordings are read and written by the steps (src/recording.ts): handed over as absolute paths.
  if (o.recordings) process.env.CONFORMANCE_RECORDINGS = resolve(process.cwd(), o.recordings);
  if (o.updateFixtures) process.env.CONFORMANCE_UPDATE_FIXTURES = '1';
  checkReferenceSetup(process.env);
  const tags = selection(o);
  const deviations = loadDeviations(o.deviations);
  const userPrefix = process.env.CONFORMANCE_RUN_PREFIX;
  const targets = (o.target ?? process.env.CONFORMANCE_TARGET ?? (o.endpoint ? 'endpoint' : 'mock')).split(',');
  // Each target's region is resolved on its own (an in-repo target's default must not reach target aws).
  const givenRegion = process.env.AWS_REGION;
  const regions: string[] = [];
  for (const target of targets) {
    const region = await resolveRegion(readTargetKind(target), { ...process.env, AWS_REGION: givenRegion });
    readConfig({ ...process.env, CONFORMANCE_TARGET: target, AWS_REGION: region });
    regions.push(region);
  }
  // One deadline for the whole invocation, however many targets it runs.
  const timeout = runTimeout(process.env, readTargetKind(targets[0] ?? 'mock'));
  deadlineAt = timeout ? Date.now() + timeout : undefined;
  let worst = 0;
  const total = { passed: 0, failed: 0, knownDeviations: 0, skipped: 0 };
  for (const [i, target] of targets.entries()) {
    process.env.CONFORMANCE_TARGET = target;
    process.env.AWS_REGION = regions[i];
    if (userPrefix) process.env.CONFORMANCE_RUN_PREFIX = userPrefix;
    else delete process.env.CONFORMANCE_RUN_PREFIX;
    const reports = i === 0 ? o.reports : join(o.reports, target);
    if (runStop.reason) {
      console.log(`conformance: target ${target} not run: ${runStop.reason}`);
      continue;
    }
    const r = await runTarget(o, reports, tags, deviations);
    worst = Math.max(worst, r.code);
    for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += r.counts[k];
  }
  if (targets.length > 1) console.log(`\n${total.passed} passed, ${total.failed} failed${total.knownDeviations ? `, ${total.knownDeviations} known deviations` : ''}${total.skipped ? `, ${total.skipped} not shown` : ''} (scenarios of ${targets.length} targets)`);
  return worst;
}

type Counts = { passed: number; failed: number; knownDeviations: number; skipped: number };

async function runTarget(o: Options, reportsOption: string, tags: string | undefined, known: { file: string; deviations: Deviation[] }): Promise<{ code: number; counts: Counts }> {
  const config = readConfig();
  loadDataSets();
  process.env.CONFORMANCE_RUN_PREFIX = config.runPrefix;
  // The workers run from the package's folder: they get the recordings folder resolved here.
  process.env.CONFORMANCE_RECORDINGS = config.recordings.dir;
  const readonly = o.smoke || o.readonly || !config.allowWrites;
  const profile = o.smoke ? 'smoke' : readonly ? 'readonly' : 'default';
  await checkSelection(profile, tags);
  const none = { passed: 0, failed: 0, knownDeviations: 0, skipped: 0 };
  // The run's data: planned from the selected scenarios, said before anything is created.
  const writes = !readonly;
  const { plan, pickles } = planRun(config, { profile, tags, writes, planOnly: o.arrange.planOnly, hasSecondAccount: secondAccountOf(config) });
  if (o.arrange.planOnly || (config.target === 'aws' && writes && plan)) {
    for (const line of planText(config, plan!, pickles!, o.arrange.assumeImportMinutes)) console.log(`conformance: ${line}`);
    if (o.arrange.planOnly) return { code: 0, counts: none };
    checkBudget(plan!, o.arrange);
  }
  const reports = reportsFolder(reportsOption);
  if (config.allowWrites && config.target !== 'mock' && !o.quiet) console.log(`conformance: resources of this run are named ${config.runPrefix}-… and tagged conformance-run=${config.runPrefix} (npm run cleanup -- --prefix ${config.runPrefix} removes leftovers)`);
  // The preflight's requests count against the run's call budget too.
  // The preflight (and the SDK it loads) only for a target over the network.
  const preflight = async () => (await import('./preflight')).preflight(config);
  const preflightCalls = config.target !== 'mock' && config.target !== 'replay' ? await preflight() : 0;
  // The shared data, arranged once for the run (a network target) or handed to each cucumber process as a plan (the mock).
  const handed = await handOver(config, plan, { writes, keep: o.arrange.keepFixtures, quiet: o.quiet, stopped: () => runStop.reason });
  // The preflight's and the arranging's requests count against the run's call budget too.
  process.env.CONFORMANCE_PREFLIGHT_CALLS = String(preflightCalls + handed.arrangingCalls);

  const messagesFile = join(reports, 'messages.ndjson');
  rmSync(messagesFile, { force: true });
  const args = [
    join(dirname(require.resolve('@cucumber/cucumber/package.json')), 'bin', 'cucumber.js'),
    '-p', profile,
    '--format', `html:${join(reports, 'cucumber.html')}`,
    '--format', `message:${messagesFile}`,
    ...(o.quiet ? [] : ['--format', 'progress']),
    ...(tags ? ['--tags', tags] : []),
    ...(o.parallel && o.parallel > 1 ? ['--parallel', String(o.parallel)] : []),
  ];
  if (runStop.reason) {
    console.log(`conformance: ${runStop.reason}: no scenario was started`);
    return { code: runStop.signal === 'SIGINT' ? 130 : 143, counts: none };
  }
  const graceRaw = process.env.CONFORMANCE_STOP_GRACE_MS;
  const graceMs = graceRaw ? parseNumber('CONFORMANCE_STOP_GRACE_MS', graceRaw, { min: 0, unit: 'milliseconds' }) : config.target === 'aws' ? 5 * 60_000 : 30_000;
  // Cucumber prints progress and its summary whenever no formatter writes to stdout: --quiet drops that
  // stdout (warnings stay on stderr; everything else is in the reports).
  const run = await runChild(args, { cwd: ROOT, env: { ...process.env, ...handed.env }, deadlineAt, graceMs, quiet: o.quiet });
  const arranged = await handed.finish({ keepResources: envFlag('CONFORMANCE_KEEP_RESOURCES'), reports, quiet: o.quiet });
  for (const p of arranged.problems) console.warn(`cleanup: ${p}`);
  if (!existsSync(messagesFile)) {
    console.error(`conformance: cucumber ended (exit ${run.status}) without writing ${messagesFile}.`);
    return { code: runStop.reason ? 1 : 2, counts: none };
  }

  const targetDescription = config.target === 'mock'
    ? `in-process mock (reference service${process.env.CONFORMANCE_VARIANT ? `, variant ${process.env.CONFORMANCE_VARIANT}` : ''}${process.env.CONFORMANCE_FAULTS ? `, faults ${process.env.CONFORMANCE_FAULTS}` : ''})`
    : config.target === 'endpoint' ? `endpoint ${config.endpoint}, region ${config.region}`
      : config.target === 'replay' ? `replay of ${recordingsLabel(config.recordings.dir)} (no network)`
        : `${process.env.AWS_ENDPOINT_URL_PERSONALIZE ? `the default credential chain's account at ${process.env.AWS_ENDPOINT_URL_PERSONALIZE}` : 'AWS account (default credential chain)'}, region ${config.region}`;
  const deviationsTarget = o.deviationsTarget ?? config.target;
  const acceptsIncomplete = o.smoke ? 'the smoke run shows what the account\'s data and its call budget allow' : config.target === 'replay' ? 'a replay shows what the recordings hold' : undefined;
  const report = buildReport({
    messagesFile, catalog: loadCatalog(), target: targetDescription, deviationsTarget, deviations: known.deviations, strict: config.strict,
    selection: [tags, readonly ? '@writes scenarios are left out where the suite may not write' : undefined].filter(Boolean).join('; ') || undefined,
    acceptsIncomplete, suiteVersion: version(ROOT), sdkVersion: sdkVersion(), contractEdition,
    stopped: runStop.reason, crashed: run.killed ? 'killed past the deadline' : run.status !== 0 && run.status !== 1 ? `exit ${run.status}` : undefined,
    implementation: implementationFor(config.target, o.implementation),
  });
  writeFileSync(join(reports, 'conformance.json'), JSON.stringify(report, null, 2) + '\n');
  writeFileSync(join(reports, 'conformance.md'), toMarkdown(report));
  writeFileSync(join(reports, 'junit.xml'), toJUnit(report));
  const html = join(reports, 'cucumber.html');
  if (existsSync(html)) writeFileSync(html, withHtmlBanner(readFileSync(html, 'utf8'), report));
  // Reports may be published: no account id, key or token of the target stays in them.
  redactFiles(['conformance.json', 'conformance.md', 'cucumber.html', 'junit.xml', 'messages.ndjson'].map((f) => join(reports, f)));

  const s = report.summary;
  console.log(`\nconformance: target ${report.target}; implementation ${describeImplementation(report.implementation)}`);
  console.log(`conformance: API calls made by the scenarios: ${s.apiCalls}${arranged.summary.arranging.calls ? `, by arranging the shared data: ${arranged.summary.arranging.calls}` : ''}${preflightCalls ? `, by the preflight: ${preflightCalls}` : ''}${config.callBudget ? ` (budget ${config.callBudget}, for all)` : ''}; response bodies validated: ${s.validatedBodies}`);
  for (const q of report.requirements.filter((r) => r.class.startsWith('failed') || r.class === 'not shown')) console.log(`conformance: ${q.id} ${q.class}: ${q.reason ?? ''}`);
  const errors = runErrors(report);
  for (const e of errors) console.log(`conformance: run error: ${e}`);
  console.log(`conformance: reports in ${reports} (conformance.md, conformance.json, cucumber.html, junit.xml)`);
  console.log(closingLine(report));
  const counts = { passed: s.scenarios.passed, failed: s.scenarios['failed (MUST)'] + s.scenarios['failed (SHOULD)'], knownDeviations: s.scenarios['known deviation'], skipped: s.scenarios['not shown'] };
  if (runStop.signal) return { code: runStop.signal === 'SIGINT' ? 130 : 143, counts };
  const code = report.verdict === 'not conformant' ? EXIT_CODES['not conformant'] : errors.length || !finishedRun(report) ? EXIT_CODES['run error']
    : report.verdict === 'incomplete' && !acceptsIncomplete ? EXIT_CODES.incomplete : EXIT_CODES.conformant;
  return { code, counts };
}

/** Whether cucumber finished the run (a report with a stop but no signal: the deadline). */
function finishedRun(report: { stopped?: string }): boolean {
  return !report.stopped || !!runStop.reason;
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
