/**
 * The one settings table. Every flag and environment variable of the runner
 * (personalize-list-import-jobs-conformance), the emulator (personalize-emulator) and the cleanup
 * (personalize-conformance-cleanup) is declared once below, with its type, range, default per
 * target and help. The command-line parser (node:util parseArgs), the environment reader, each
 * bin's --help and the configuration tables of docs/configuration.md (tools/settings-table.ts) are made from it,
 * and nothing else in the product reads or writes process.env.
 *
 * The runner resolves one target's settings into a SuiteConfig and hands it to cucumber and its
 * workers as one serialised file (mode 0600, in the run's private folder) that cucumber's world
 * parameters name: the steps read it with settingsFromWorldParameters. A mistake in any setting is
 * a ConfigurationError: one line naming the flag or variable as the user wrote it, exit 2.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { FIXTURES, RECORDINGS, ROOT } from './paths';
import { EXIT_CODES } from './report/types';
import { DEFAULT_ACCOUNT_ID_KEY } from '../reference-service/protocol';
import { isRunPrefix, newRunPrefix, RUN_PREFIX_EXAMPLE } from './created-resources';

export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

export const TARGETS = ['mock', 'endpoint', 'aws', 'replay'] as const;
export type TargetKind = (typeof TARGETS)[number];

/** The programs of the package that take settings. */
export type Bin = 'conformance' | 'emulator' | 'cleanup';
export const BIN_NAMES: Record<Bin, string> = {
  conformance: 'personalize-list-import-jobs-conformance',
  emulator: 'personalize-emulator',
  cleanup: 'personalize-conformance-cleanup',
};

/** The dataset types that arranging creates, each with its own data file and schema. */
export const DATASET_TYPES = ['Interactions', 'Items', 'Users'] as const;
export type DatasetType = (typeof DATASET_TYPES)[number];

/** The response body cap: ListDatasetImportJobs pages of 100 jobs are a few tens of KiB; 4 MiB is far beyond any honest answer. */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/** The region of the in-repo targets (mock, replay, an emulator) when none is set. */
export const DEFAULT_EMULATOR_REGION = 'us-east-1';

// ---- how values are read ------------------------------------------------------------------------

const TRUE_WORDS = ['1', 'true', 'yes'];
const FALSE_WORDS = ['0', 'false', 'no'];

/**
 * The one reading of a boolean setting: 1/true/yes or 0/false/no (any case); unset or empty is the
 * fallback; anything else is a configuration error, never silently "off". `given` is how the user
 * wrote it (`CONFORMANCE_STRICT=maybe`).
 */
export function parseBoolean(given: string, raw: string | undefined, fallback = false): boolean {
  if (raw === undefined || raw.trim() === '') return fallback;
  const word = raw.trim().toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  throw new ConfigurationError(`${given} is not a boolean: use ${TRUE_WORDS.join('/')} or ${FALSE_WORDS.join('/')}.`);
}

interface NumberRange { min?: number; max?: number; integer?: boolean; unit?: string }

/** The one reading of a number: finite, within [min, max], an integer where asked. `given` as the user wrote it. */
export function parseNumber(given: string, raw: string, what: NumberRange = {}): number {
  const n = raw.trim() === '' ? NaN : Number(raw);
  const { min = -Infinity, max = Infinity, integer = false, unit } = what;
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    const kind = `${integer ? 'an integer' : 'a number'}${unit ? ` of ${unit}` : ''}`;
    const range = min > -Infinity && max < Infinity ? ` from ${min} to ${max}` : min > -Infinity ? ` of at least ${min}` : max < Infinity ? ` of at most ${max}` : '';
    throw new ConfigurationError(`${given} is not ${kind}${range}.`);
  }
  return n;
}

/** How a setting's raw text becomes its value; `given` names it as the user wrote it, for the error. */
type Reader<T> = (raw: string, given: string) => T;

const text: Reader<string> = (raw) => raw;
const integer = (range: NumberRange): Reader<number> => (raw, given) => parseNumber(given, raw, { ...range, integer: true });
/** Milliseconds, 0 or more. */
const millis: Reader<number> = (raw, given) => parseNumber(given, raw, { min: 0, integer: true, unit: 'milliseconds' });
/** A positive number, or "none" (no limit: null). */
const limit: Reader<number | null> = (raw, given) => {
  if (raw.trim() === 'none') return null;
  const n = Number(raw);
  if (!(n > 0) || !Number.isFinite(n)) throw new ConfigurationError(`${given} is not a positive number (or "none").`);
  return n;
};
const isOneOf = <T extends string>(choices: readonly T[], raw: string): raw is T => choices.some((c) => c === raw);
const oneOf = <T extends string>(choices: readonly T[]): Reader<T> => (raw, given) => {
  if (!isOneOf(choices, raw)) throw new ConfigurationError(`${given} is not one of: ${choices.join(', ')}.`);
  return raw;
};
const url: Reader<string> = (raw, given) => {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigurationError(`${given} is not a URL; expected something like http://127.0.0.1:4566.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ConfigurationError(`${given} must be an http:// or https:// URL.`);
  return raw.replace(/\/+$/, '');
};
/** A comma list (a repeated flag adds up). */
const commaList: Reader<string[]> = (raw) => raw.split(',').map((x) => x.trim()).filter(Boolean);
const targetList: Reader<TargetKind[]> = (raw, given) => {
  const list = commaList(raw, given);
  if (!list.length) throw new ConfigurationError(`${given} names no target: use ${TARGETS.join(', ')}.`);
  return list.map((t) => oneOf(TARGETS)(t, `${given} (${t})`));
};
/** Letters, digits and dashes, as resource names take them. */
/** A run's prefix has the form the cleanup accepts (src/created-resources.ts), so that it finds the run's resources and nothing else. */
const runPrefixReader: Reader<string> = (raw, given) => {
  if (!isRunPrefix(raw)) throw new ConfigurationError(`${given} is not a run prefix: cf and 11 lower-case letters or digits (e.g. ${RUN_PREFIX_EXAMPLE}), unique to the run, so that the cleanup can find its resources and nothing else.`);
  return raw;
};
const switchReader: Reader<boolean> = (raw, given) => parseBoolean(given, raw);
/** A number within a range (not only whole ones). */
const decimal = (range: NumberRange): Reader<number> => (raw, given) => parseNumber(given, raw, range);

// ---- the table ----------------------------------------------------------------------------------

type PerTarget<T> = Record<TargetKind, T>;

/**
 * What a default may depend on: the target, and the other settings (typed loosely: the table
 * cannot name its own keys while it is being declared).
 */
export interface DefaultContext {
  target?: TargetKind;
  settings: { get(key: string, target?: TargetKind): unknown; source(key: string): 'flag' | 'env' | undefined };
}

export interface SettingSpec<T> {
  bins: readonly Bin[];
  /** The flag, without its dashes. */
  flag?: string;
  short?: string;
  /** The environment variable, and older names read when it is unset. */
  env?: string;
  envAliases?: readonly string[];
  /** What the flag's value looks like in --help (`N`, `URL`); absent: a switch (boolean, no value). */
  value?: string;
  /** The flag may be repeated (its values add up). */
  repeatable?: boolean;
  read: Reader<T>;
  /** Absent: unset. A function: a default that depends on other settings (then `shows` says how). */
  default?: T | PerTarget<T> | ((c: DefaultContext) => T | undefined);
  /** How the default reads in --help and docs/configuration.md, where the value alone does not say it. */
  shows?: string | Partial<PerTarget<string>>;
  /** Only for maintainers testing the suite (--help lists it under its own heading). */
  forSuiteTests?: boolean;
  help: string;
  /** Unit of a number, for reading a default ("300000 (5 min)"). */
  unit?: 'ms' | 'bytes';
}

const def = <T>(spec: SettingSpec<T>): SettingSpec<T> => spec;
const perTarget = <T>(mock: T, endpoint: T, aws: T, replay: T): PerTarget<T> => ({ mock, endpoint, aws, replay });
const RUNNER = ['conformance'] as const;
const ALL = ['conformance', 'emulator', 'cleanup'] as const;

/**
 * Every setting of every bin. The order is the order of --help and of docs/configuration.md's tables: what
 * to run, who is under test, where the reports go; then the environment of a target; then the
 * emulator's and the cleanup's own.
 */
export const SETTINGS = {
  target: def<TargetKind[]>({
    bins: RUNNER, flag: 'target', env: 'CONFORMANCE_TARGET', value: 'mock|endpoint|aws|replay[,...]', read: targetList,
    default: ({ settings }) => (settings.source('endpoint') === 'flag' ? ['endpoint'] : ['mock']), shows: 'mock (endpoint with --endpoint)',
    help: 'where requests go; several targets run one after another, each reporting to its own folder',
  }),
  endpoint: def<string>({
    bins: ['conformance', 'cleanup'], flag: 'endpoint', env: 'AWS_ENDPOINT_URL_PERSONALIZE', envAliases: ['AWS_ENDPOINT_URL'], value: 'URL', read: url,
    shows: 'unset: Amazon Personalize itself',
    help: 'the endpoint requests go to: the one to test (target endpoint), or one standing in for an account (target aws, and the cleanup)',
  }),
  tags: def<string>({ bins: RUNNER, flag: 'tags', value: 'EXPR', read: text, help: 'only scenarios matching a cucumber tag expression (a syntax error or no match is exit 2)' }),
  requirement: def<string[]>({
    bins: RUNNER, flag: 'requirement', value: 'ID[,ID...]', repeatable: true, read: commaList,
    help: 'only the scenarios of these requirements (repeatable; see --list-requirements)',
  }),
  listRequirements: def<boolean>({ bins: RUNNER, flag: 'list-requirements', read: switchReader, help: 'print the requirement catalog (id, level, statement) and exit' }),
  strict: def<boolean>({ bins: RUNNER, flag: 'strict', env: 'CONFORMANCE_STRICT', read: switchReader, default: false, help: 'SHOULD requirements count as MUST' }),
  readonly: def<boolean>({ bins: RUNNER, flag: 'readonly', read: switchReader, help: 'only scenarios that change nothing (@readonly); on an endpoint or account nothing is created, and the account is read as it is' }),
  smoke: def<boolean>({ bins: RUNNER, flag: 'smoke', read: switchReader, help: 'the smoke run: @readonly scenarios, cheapest first, within the call budget (accepts an incomplete verdict)' }),
  acceptIncomplete: def<boolean>({
    bins: RUNNER, flag: 'accept-incomplete', env: 'CONFORMANCE_ACCEPT_INCOMPLETE', read: switchReader,
    default: ({ target, settings }) => target === 'replay' || settings.get('smoke') === true,
    shows: { mock: 'no (yes with --smoke)', endpoint: 'no (yes with --smoke)', aws: 'no (yes with --smoke)', replay: 'yes' },
    help: 'exit 0 when nothing failed but some MUST requirement was not shown (verdict incomplete); the closing line says so',
  }),
  record: def<boolean>({
    bins: RUNNER, flag: 'record', env: 'CONFORMANCE_RECORD', read: switchReader, default: false,
    help: "record each @readonly scenario's exchanges (a live target: aws or endpoint)",
  }),
  recordings: def<string>({
    bins: RUNNER, flag: 'recordings', env: 'CONFORMANCE_RECORDINGS', value: 'DIR', read: text,
    shows: 'recording: a new folder reports/recordings-TIME; replay: the shipped fixtures/recordings',
    help: 'where --record writes and --target replay reads recordings (relative to the current folder)',
  }),
  updateFixtures: def<boolean>({
    bins: RUNNER, flag: 'update-fixtures', env: 'CONFORMANCE_UPDATE_FIXTURES', read: switchReader, default: false,
    help: "let --record overwrite the suite's own fixtures/recordings",
  }),
  deviations: def<string>({
    bins: RUNNER, flag: 'deviations', env: 'CONFORMANCE_DEVIATIONS', value: 'FILE', read: text, shows: "the suite's fixtures/known-deviations.json",
    help: 'your known deviations (schema: fixtures/known-deviations.schema.json): reported as such, not as failures',
  }),
  deviationsTarget: def<string>({
    bins: RUNNER, flag: 'deviations-target', env: 'CONFORMANCE_TARGET_NAME', value: 'NAME', read: text, shows: 'the target (mock, endpoint, aws, replay)',
    help: 'the target name your known deviations are filed under',
  }),
  implementationName: def<string>({
    bins: RUNNER, flag: 'implementation-name', env: 'CONFORMANCE_IMPLEMENTATION_NAME', value: 'NAME', read: text,
    shows: 'the reference service on mock and replay, Amazon Personalize on aws', help: 'the implementation under test, named in the reports',
  }),
  implementationVersion: def<string>({ bins: RUNNER, flag: 'implementation-version', env: 'CONFORMANCE_IMPLEMENTATION_VERSION', value: 'VERSION', read: text, help: 'its version' }),
  implementationUrl: def<string>({ bins: RUNNER, flag: 'implementation-url', env: 'CONFORMANCE_IMPLEMENTATION_URL', value: 'URL|CONTACT', read: text, help: 'where to find it or whom to ask' }),
  reports: def<string>({
    bins: RUNNER, flag: 'reports', value: 'DIR', read: text, default: 'reports', shows: './reports (another run using it: a new folder inside it)',
    help: 'where to write conformance.json/.md, cucumber.html and junit.xml; a folder you name that another live run is using is refused (exit 2)',
  }),
  parallel: def<number>({ bins: RUNNER, flag: 'parallel', value: 'N', read: integer({ min: 1, max: 64 }), default: 1, help: 'run scenarios in N worker processes (an integer from 1 to 64)' }),
  quiet: def<boolean>({ bins: RUNNER, flag: 'quiet', read: switchReader, help: "no progress dots: signs of life, each failure's reason and the summary lines" }),

  // ---- a target's environment (the runner) ----
  region: def<string>({
    bins: RUNNER, env: 'AWS_REGION', read: text, default: perTarget(DEFAULT_EMULATOR_REGION, DEFAULT_EMULATOR_REGION, '', DEFAULT_EMULATOR_REGION),
    shows: { aws: "the SDK's provider chain (AWS_REGION, then the profile's region)" },
    help: 'the region of the requests (credentials come from the same chain: AWS_PROFILE, SSO, AWS_ACCESS_KEY_ID ...)',
  }),
  allowWrites: def<boolean>({
    bins: RUNNER, env: 'CONFORMANCE_ALLOW_WRITES', read: switchReader, default: false,
    shows: { mock: 'always', endpoint: 'always (not with --readonly or --smoke)', aws: 'no', replay: 'never' },
    help: 'on aws, let scenarios create and delete (tagged) resources (never with --readonly or --smoke)',
  }),
  secondAccessKeyId: def<string>({ bins: RUNNER, env: 'CONFORMANCE_SECOND_ACCESS_KEY_ID', read: text, shows: 'unset: not shown', help: 'a second account, for the cross-account requirement (with the next)' }),
  secondSecretAccessKey: def<string>({ bins: RUNNER, env: 'CONFORMANCE_SECOND_SECRET_ACCESS_KEY', read: text, shows: 'unset: not shown', help: "the second account's secret key" }),
  otherRegion: def<string>({
    // Its default follows the region a target resolved (resolveSuiteConfig).
    bins: RUNNER, env: 'CONFORMANCE_OTHER_REGION', read: text, shows: 'us-west-2 (eu-west-1 when the region is us-west-2)',
    help: 'a second region, for the cross-region requirement',
  }),
  callBudget: def<number | null>({
    bins: RUNNER, env: 'CONFORMANCE_CALL_BUDGET', read: limit,
    default: ({ target, settings }) => (target === 'aws' && (!settings.get('allowWrites') || settings.get('readonly') || settings.get('smoke')) && !settings.get('record') ? 40 : null),
    shows: { mock: 'none', endpoint: 'none', aws: '40 (none when writing, not with --readonly or --smoke, or recording)', replay: 'none' },
    help: 'most API calls of the run, the preflight\'s included (a number, or "none")',
  }),
  maxRequestsPerSecond: def<number | null>({
    bins: RUNNER, env: 'CONFORMANCE_MAX_RPS', read: limit,
    default: ({ target, settings }) => (target === 'aws' && !settings.get('record') ? 2 : null),
    shows: { mock: 'none', endpoint: 'none', aws: '2 (none when recording)', replay: 'none' },
    help: 'most requests per second (a number, or "none")',
  }),
  requestTimeoutMs: def<number>({
    bins: ['conformance', 'cleanup'], env: 'CONFORMANCE_REQUEST_TIMEOUT_MS', read: millis, unit: 'ms', default: perTarget(10_000, 10_000, 30_000, 10_000),
    help: 'one request, headers and body, is aborted after this (0: never)',
  }),
  waitTimeoutMs: def<number>({
    bins: ['conformance', 'cleanup'], env: 'CONFORMANCE_WAIT_TIMEOUT_MS', read: millis, unit: 'ms', default: perTarget(60_000, 60_000, 30 * 60_000, 60_000),
    help: 'how long to wait for a resource to reach a state (an import job to finish, a dataset to be deletable)',
  }),
  pollIntervalMs: def<number>({
    bins: RUNNER, env: 'CONFORMANCE_POLL_INTERVAL_MS', read: millis, unit: 'ms', default: perTarget(0, 20, 20_000, 20),
    help: 'how often to look while waiting',
  }),
  listingWaitMs: def<number>({
    bins: RUNNER, env: 'CONFORMANCE_LISTING_WAIT_MS', read: millis, unit: 'ms',
    // Seconds on an emulator, minutes on an account: nothing public says how soon List shows a new job.
    // 0 on the mock, which lists at once unless a variant says it lags: a longer wait there would let
    // jobs finish before they are first listed, and hide a service that lists only finished jobs.
    default: perTarget(0, 5_000, 5 * 60_000, 0),
    help: 'how long a Given waits for the jobs it created to be listed, and the time a created job SHOULD be listed within (LDIJ-CONS-001; 0: at once)',
  }),
  stepTimeoutMs: def<number>({ bins: RUNNER, env: 'CONFORMANCE_STEP_TIMEOUT_MS', read: millis, unit: 'ms', default: 5 * 60_000, help: 'most time for one step; past it the scenario is not shown (0: no limit)' }),
  runTimeoutMs: def<number>({
    bins: RUNNER, env: 'CONFORMANCE_RUN_TIMEOUT_MS', read: millis, unit: 'ms', default: perTarget(20 * 60_000, 20 * 60_000, 60 * 60_000, 20 * 60_000),
    help: 'the whole run, however many targets (0: no deadline); the scenarios stop a tenth of what is left (1 to 60 s) before it',
  }),
  stopGraceMs: def<number>({
    bins: RUNNER, env: 'CONFORMANCE_STOP_GRACE_MS', read: millis, unit: 'ms', default: perTarget(30_000, 30_000, 5 * 60_000, 30_000),
    help: 'after the deadline, how long cucumber may still clean up before it is killed',
  }),
  maxResponseBytes: def<number>({
    bins: RUNNER, env: 'CONFORMANCE_MAX_RESPONSE_BYTES', read: integer({ min: 1, unit: 'bytes' }), unit: 'bytes', default: DEFAULT_MAX_RESPONSE_BYTES,
    help: 'a larger response body is a contract violation; the rest is not read',
  }),
  runPrefix: def<string>({
    bins: RUNNER, env: 'CONFORMANCE_RUN_PREFIX', read: runPrefixReader,
    shows: { mock: 'a new cf… prefix per run (recorded when recording)', endpoint: 'a new cf… prefix per run (recorded when recording)', aws: 'a new cf… prefix per run (recorded when recording)', replay: 'recorded' },
    help: 'prefix of the names of the resources the run creates (recordings and replays send the same names)',
  }),
  keepResources: def<boolean>({ bins: RUNNER, env: 'CONFORMANCE_KEEP_RESOURCES', read: switchReader, default: false, help: "leave created resources in place, the run's shared data too (the cleanup removes them)" }),
  keepFailed: def<boolean>({
    bins: RUNNER, flag: 'keep-failed', env: 'CONFORMANCE_KEEP_FAILED', read: switchReader, default: perTarget(false, true, false, false),
    help: "when a scenario fails, leave its data (and the run's shared data) in place, so that the reports' reproduction commands find it; the run says so and names the cleanup",
  }),
  // Planning and arranging the run's data (src/arrange): said before it is created, and kept on request.
  plan: def<boolean>({
    bins: RUNNER, flag: 'plan', read: switchReader,
    help: 'print what the selected scenarios would create (resources, import jobs), the API calls to expect and the time at --assume-import-minutes, and exit without calling the target',
  }),
  assumeImportMinutes: def<number>({
    bins: RUNNER, flag: 'assume-import-minutes', env: 'CONFORMANCE_ASSUME_IMPORT_MINUTES', value: 'N', read: decimal({ min: 0 }),
    shows: { mock: "the reference service's own lifecycle", endpoint: "the reference emulator's default lifecycle", aws: '10', replay: 'none' },
    help: "the import duration (minutes) the plan's time assumes",
  }),
  keepFixtures: def<boolean>({
    bins: RUNNER, flag: 'keep-fixtures', env: 'CONFORMANCE_KEEP_FIXTURES', read: switchReader, default: false,
    help: "keep the run's shared data for later runs on the account and region, tagged with the catalog's fingerprint and the contract edition; a later run with it checks and reuses what it finds, and creates only what is missing",
  }),
  importJobBudget: def<number | null>({
    bins: RUNNER, flag: 'import-job-budget', env: 'CONFORMANCE_IMPORT_JOB_BUDGET', value: 'N', read: integer({ min: 0 }), default: perTarget(null, null, 20, null),
    shows: { mock: 'none', endpoint: 'none', aws: '20', replay: 'none' },
    help: 'a writing run on a real account that would create more import jobs prints its plan and stops (exit 2), unless --accept-plan',
  }),
  acceptPlan: def<boolean>({ bins: RUNNER, flag: 'accept-plan', read: switchReader, help: 'go on past the import-job budget' }),
  importRoleArn: def<string>({ bins: RUNNER, env: 'CONFORMANCE_IMPORT_ROLE_ARN', read: text, shows: 'unset', help: 'the role import jobs read their data with, on a real account (optional since the 2025-12-01 model)' }),
  inProgressLimit: def<number>({ bins: RUNNER, env: 'CONFORMANCE_IN_PROGRESS_LIMIT', read: integer({ min: 1 }), default: 5, help: 'most import jobs arranging keeps CREATE PENDING or IN_PROGRESS at once (the documented quota)' }),
  dataLocationInteractions: def<string>({
    bins: RUNNER, env: 'CONFORMANCE_DATA_LOCATION_INTERACTIONS', envAliases: ['CONFORMANCE_DATA_LOCATION'], read: text, default: 's3://personalize-conformance-fixtures/interactions.csv',
    help: 'the data file of import jobs meant to succeed, for Interactions datasets',
  }),
  dataLocationItems: def<string>({ bins: RUNNER, env: 'CONFORMANCE_DATA_LOCATION_ITEMS', read: text, default: 's3://personalize-conformance-fixtures/items.csv', help: '... for Items datasets' }),
  dataLocationUsers: def<string>({ bins: RUNNER, env: 'CONFORMANCE_DATA_LOCATION_USERS', read: text, default: 's3://personalize-conformance-fixtures/users.csv', help: '... for Users datasets' }),
  missingDataLocation: def<string>({
    bins: RUNNER, env: 'CONFORMANCE_MISSING_DATA_LOCATION', read: text, default: 's3://personalize-conformance-fixtures/missing/does-not-exist.csv',
    help: 'a location that does not exist, for import jobs meant to fail (the emulator fails paths with /missing/)',
  }),
  schemaInteractions: def<string>({ bins: RUNNER, env: 'CONFORMANCE_SCHEMA_INTERACTIONS', read: text, shows: 'fixtures/avro/interactions.json', help: 'a file with the Avro schema of Interactions datasets (its columns match the data file)' }),
  schemaItems: def<string>({ bins: RUNNER, env: 'CONFORMANCE_SCHEMA_ITEMS', read: text, shows: 'fixtures/avro/items.json', help: '... of Items datasets' }),
  schemaUsers: def<string>({ bins: RUNNER, env: 'CONFORMANCE_SCHEMA_USERS', read: text, shows: 'fixtures/avro/users.json', help: '... of Users datasets' }),
  variant: def<string>({
    bins: ['conformance', 'emulator'], flag: 'variant', env: 'CONFORMANCE_VARIANT', value: 'SPEC', read: text, forSuiteTests: true, shows: 'unset',
    help: 'implementation choices of the reference service (target mock; the emulator), e.g. order=newest-first,tokenFormat=opaque',
  }),
  faults: def<string>({
    bins: ['conformance', 'emulator'], flag: 'faults', env: 'CONFORMANCE_FAULTS', value: 'NAMES', read: text, forSuiteTests: true, shows: 'unset',
    help: 'faults injected into the reference service (target mock; the emulator), for testing the suite (reference-service/faults)',
  }),

  // ---- the emulator ----
  port: def<number>({ bins: ['emulator'], flag: 'port', env: 'PORT', value: 'N', read: integer({ min: 0, max: 65535 }), default: 4599, help: 'port on 127.0.0.1 (0 picks a free one)' }),
  clock: def<'system' | 'request'>({
    bins: ['emulator'], flag: 'clock', value: 'system|request', read: oneOf(['system', 'request'] as const), default: 'system',
    help: 'wall-clock lifecycles, or time that moves a step per request',
  }),
  pendingMs: def<number>({ bins: ['emulator'], flag: 'pending-ms', value: 'N', read: integer({ min: 0, max: 3_600_000 }), unit: 'ms', default: 40, help: 'how long an import job stays CREATE PENDING' }),
  inProgressMs: def<number>({ bins: ['emulator'], flag: 'in-progress-ms', value: 'N', read: integer({ min: 0, max: 3_600_000 }), unit: 'ms', default: 60, help: 'how long it stays CREATE IN_PROGRESS' }),
  verifySignatures: def<boolean>({ bins: ['emulator'], flag: 'verify-signatures', read: switchReader, help: "check SigV4 signatures; every access key's secret is --secret" }),
  secret: def<string>({ bins: ['emulator'], flag: 'secret', value: 'S', read: text, default: 'emulator-secret', help: 'the secret access key signatures are checked with' }),
  seed: def<string>({ bins: ['emulator'], flag: 'seed', value: 'NAME', read: text, help: 'arrange a data set of fixtures/data-sets.json first (shared: the part of the shared data that lives in the seeded account and region)' }),
  seedAccessKey: def<string>({ bins: ['emulator'], flag: 'seed-access-key', env: 'AWS_ACCESS_KEY_ID', value: 'KEY', read: text, shows: 'unset', help: 'the account --seed fills (the access key id names the account)' }),
  seedRegion: def<string>({ bins: ['emulator'], flag: 'seed-region', env: 'AWS_REGION', value: 'REGION', read: text, default: DEFAULT_EMULATOR_REGION, help: 'the region --seed fills' }),
  tokenKey: def<string>({ bins: ['emulator'], flag: 'token-key', value: 'KEY', read: text, shows: 'random per process', help: 'the key that signs continuation tokens (set it to keep tokens valid across restarts)' }),
  accountIdKey: def<string>({ bins: ['emulator'], flag: 'account-id-key', value: 'KEY', read: text, default: DEFAULT_ACCOUNT_ID_KEY, help: 'the key of the hash that makes an account id of an access key id (see Accounts below)' }),
  accountIdOf: def<string>({ bins: ['emulator'], flag: 'account-id-of', value: 'KEY', read: text, help: 'print the account id of the access key id KEY, and exit' }),

  // ---- the cleanup ----
  prefix: def<string>({ bins: ['cleanup'], flag: 'prefix', value: 'PREFIX', read: text, shows: 'required', help: 'the prefix a run printed: its resources are named PREFIX-… and tagged conformance-run=PREFIX' }),
  dryRun: def<boolean>({ bins: ['cleanup'], flag: 'dry-run', read: switchReader, help: 'list every ARN that would be deleted, and delete nothing' }),
  yes: def<boolean>({ bins: ['cleanup'], flag: 'yes', read: switchReader, help: 'delete without asking (needed where there is no terminal to ask)' }),
  recordFile: def<string>({ bins: ['cleanup'], flag: 'record', value: 'FILE', read: text, help: "the record of what the run created (created-resources.jsonl in its reports): only schemas in it are deleted" }),

  // ---- every bin ----
  version: def<boolean>({ bins: ALL, flag: 'version', read: switchReader, help: "print the package's version and exit" }),
  help: def<boolean>({ bins: ALL, flag: 'help', short: 'h', read: switchReader, help: 'this text (also -h)' }),
};

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = (typeof SETTINGS)[K] extends SettingSpec<infer T> ? T : never;

/** The table as a list, each entry with its key (the order is the table's). */
export function settingsOf(bin: Bin): { key: SettingKey; spec: SettingSpec<unknown> }[] {
  return (Object.entries(SETTINGS) as [SettingKey, SettingSpec<unknown>][]).filter(([, s]) => s.bins.includes(bin)).map(([key, spec]) => ({ key, spec })); // SETTINGS' keys are SettingKeys, its entries SettingSpecs
}

// ---- reading them -------------------------------------------------------------------------------

/** The environment as the settings module reads it (process.env unless a caller passes another). */
export type Environment = Readonly<Record<string, string | undefined>>;

interface Given { value: unknown; source: 'flag' | 'env'; /** As the user wrote it: `--parallel 4`, `CONFORMANCE_STRICT=1`. */ as: string }

/** The settings of one bin as given (flags over variables); defaults are resolved per target on reading. */
export class Settings {
  constructor(readonly bin: Bin, private readonly given: ReadonlyMap<SettingKey, Given>) {}

  /** Whether the user set it, and where. */
  source(key: SettingKey): 'flag' | 'env' | undefined {
    return this.given.get(key)?.source;
  }

  /** How the user wrote it, for a message (`--recordings mine`, `CONFORMANCE_RECORDINGS=mine`). */
  as(key: SettingKey): string | undefined {
    return this.given.get(key)?.as;
  }

  /** The value as given, else the default for `target` (undefined: unset). */
  get<K extends SettingKey>(key: K, target?: TargetKind): SettingValue<K> | undefined {
    const given = this.given.get(key);
    // SETTINGS[K] is a SettingSpec<SettingValue<K>>, and what was given for K its reader's value: TypeScript cannot follow K through the table (so below).
    if (given) return given.value as SettingValue<K>;
    const d = (SETTINGS[key] as SettingSpec<unknown>).default; // (the same)
    if (typeof d === 'function') {
      const settings = { get: (k: string, t?: TargetKind) => this.get(k as SettingKey, t), source: (k: string) => this.source(k as SettingKey) }; // a default asks for settings of the table by their keys
      return (d as (c: DefaultContext) => SettingValue<K> | undefined)({ target, settings }); // a function default is SettingSpec's
    }
    if (isPerTarget(d)) return target ? (d[target] as SettingValue<K>) : undefined; // (the same)
    return d as SettingValue<K> | undefined; // (the same)
  }
}

function isPerTarget(d: unknown): d is PerTarget<unknown> {
  return typeof d === 'object' && d !== null && !Array.isArray(d) && TARGETS.every((t) => t in d);
}

const HINT = 'see --help';

/**
 * Reads a bin's flags (node:util parseArgs) and, for what no flag set, its environment variables.
 * Every value is checked here; a mistake is a ConfigurationError of one line.
 */
export function readSettings(bin: Bin, argv: readonly string[], env: Environment = process.env): Settings {
  const specs = settingsOf(bin);
  const byFlag = new Map(specs.filter((s) => s.spec.flag).map((s) => [s.spec.flag!, s]));
  const options = Object.fromEntries([...byFlag].map(([flag, { spec }]) => [flag, {
    type: spec.value ? 'string' as const : 'boolean' as const,
    ...(spec.short && { short: spec.short }),
    ...(spec.repeatable && { multiple: true }),
  }]));
  // Not strict: parseArgs only splits the words; this loop words the mistakes, one line each.
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const given = new Map<SettingKey, Given>();
  for (const token of tokens) {
    if (token.kind === 'positional') throw new ConfigurationError(`unknown argument ${token.value} (${HINT})`);
    if (token.kind === 'option-terminator') throw new ConfigurationError(`unknown argument -- (${HINT})`);
    const entry = byFlag.get(token.name);
    if (!entry) throw new ConfigurationError(`unknown option ${token.rawName} (${HINT})`);
    const { key, spec } = entry;
    const flag = `--${spec.flag!}`;
    if (!spec.value) {
      if (token.inlineValue) throw new ConfigurationError(`${flag} takes no value: it is a switch (${HINT})`);
      given.set(key, { value: true, source: 'flag', as: flag });
      continue;
    }
    const raw = token.value;
    if (raw === undefined || raw === '' || (!token.inlineValue && raw.startsWith('--'))) throw new ConfigurationError(`${flag} needs a value: ${flag} ${spec.value} (${HINT})`);
    const as = `${flag} ${raw}`;
    const value = spec.read(raw, as);
    const before = given.get(key);
    given.set(key, { value: spec.repeatable && Array.isArray(before?.value) ? [...(before.value as unknown[]), ...(value as unknown[])] : value, source: 'flag', as }); // a repeatable setting's reader makes a list
  }
  for (const { key, spec } of specs) {
    if (given.has(key) || !spec.env) continue;
    const name = [spec.env, ...(spec.envAliases ?? [])].find((n) => (env[n] ?? '').trim() !== '');
    if (!name) continue;
    const raw = env[name]!;
    const as = `${name}=${raw}`;
    given.set(key, { value: spec.read(raw, as), source: 'env', as });
  }
  return new Settings(bin, given);
}

// ---- one target's settings, resolved ------------------------------------------------------------

/**
 * Where recordings are read (replay) and written (record). The committed fixtures are only ever
 * rewritten on request (--update-fixtures), and nothing is written inside node_modules.
 */
export interface RecordingsSettings {
  /**
   * An absolute path: --recordings (relative to the working directory); else the committed
   * fixtures/recordings for replay, and for recording with --update-fixtures; else, for
   * recording, a new folder reports/recordings-<time> in the working directory.
   */
  dir: string;
  /** Recording may rewrite the committed fixtures/recordings. */
  updateFixtures: boolean;
  /** What a recording is made from, as its metadata says (no URL: ports and hosts are volatile). */
  recordedTarget: string;
}

/** One target's settings as the runner resolved them: what cucumber and its workers get (one file). */
export interface SuiteConfig {
  target: TargetKind;
  /** The in-process reference service with no fault injected: correct by construction, so data it cannot arrange is the suite's defect, not weather. */
  correctReference: boolean;
  region: string;
  /** A second region, for the requirement that listings never cross regions. */
  otherRegion: string;
  /** The endpoint URL (target endpoint; on aws, an endpoint standing in for the account). */
  endpoint?: string;
  /** Whether scenarios may create and delete resources (always on mock and endpoint; opt-in on aws). */
  allowWrites: boolean;
  /** Per dataset type, the data file its import jobs read and the Avro schema of its columns. */
  datasetTypes: Record<DatasetType, { dataLocation: string; schema: string }>;
  missingDataLocation: string;
  /** Most import jobs arranging keeps CREATE PENDING or CREATE IN_PROGRESS at once (per account and region). */
  inProgressLimit: number;
  /** How long a Given waits for the jobs it created to be listed, and the time a created job SHOULD be listed within (0: listed at once, no wait). */
  listingWaitMs: number;
  /** Role for import jobs on a real account (optional since the 2025-12-01 model). */
  importRoleArn?: string;
  secondCredentials?: { accessKeyId: string; secretAccessKey: string };
  strict: boolean;
  /** How long to wait for a resource to reach a state, and how often to look. */
  waitTimeoutMs: number;
  pollIntervalMs: number;
  /** Prefix of every resource name this run creates. */
  runPrefix: string;
  /** Recording each @readonly scenario's exchanges (nock.back) into `recordings.dir`. */
  record: boolean;
  recordings: RecordingsSettings;
  /** Most API calls for the run (undefined: no limit). */
  callBudget?: number;
  /** Most requests per second (undefined: no limit). */
  maxRequestsPerSecond?: number;
  /** Bounds of one request: it is aborted after this long, headers and body together (Infinity: never). */
  requestTimeoutMs: number;
  /** A response body longer than this is a contract violation; the rest is not read. */
  maxResponseBytes: number;
  /** The whole run (all targets of one invocation together); 0: no deadline. */
  runTimeoutMs: number;
  /** Most time for one step (Infinity: none). */
  stepTimeoutMs: number;
  /** Leave what the scenarios created in place. */
  keepResources: boolean;
  /** Leave the data of failed scenarios (and the shared data) in place, for their reproduction commands. */
  keepFailed: boolean;
  /** Keep the run's shared data, tagged, for later runs to reuse (src/arrange/shared.ts). */
  keepFixtures: boolean;
  /** The runner's hand-over of the run's data: the plan, or the shared data it arranged (src/arrange/shared.ts RunHandover). */
  arrangementFile?: string;
  /** The in-process reference service's variant and faults (target mock). */
  reference: { variant?: string; faults?: string };
  /** API calls the runner's preflight already spent of the call budget. */
  preflightCalls: number;
  /** When the scenarios stop (epoch ms): the run's deadline less the time to clean up and report. */
  runDeadlineAt?: number;
}

function recordingsSettings(s: Settings, target: TargetKind, record: boolean, region: string, endpointVariable: string | undefined, cwd: string): RecordingsSettings {
  const updateFixtures = s.get('updateFixtures') === true;
  const givenDir = s.get('recordings');
  const given = givenDir ? resolve(cwd, givenDir) : undefined;
  const named = s.as('recordings');
  if (updateFixtures && !record) throw new ConfigurationError(`Updating the committed recordings (${s.as('updateFixtures')}) needs recording (--record).`);
  if (updateFixtures && given && given !== RECORDINGS) throw new ConfigurationError(`Updating the committed recordings writes ${RECORDINGS}; leave out ${named}, or leave out the update.`);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = given ?? (updateFixtures || !record ? RECORDINGS : resolve(cwd, 'reports', `recordings-${stamp}`));
  if (record && dir === RECORDINGS && !updateFixtures) throw new ConfigurationError(`Recording would overwrite the committed recordings in ${RECORDINGS}: record into another folder (--recordings DIR), or say so (--update-fixtures).`);
  if (record && dir.split(sep).includes('node_modules')) throw new ConfigurationError(`Recording would write inside node_modules (${dir}): record into a folder of your own (--recordings DIR).`);
  if (target === 'replay' && !(existsSync(dir) && statSync(dir).isDirectory())) throw new ConfigurationError(`There is no folder of recordings to replay at ${dir} (${named ?? '--recordings DIR'}).`);
  const recordedTarget = endpointVariable ? `an endpoint standing in for an account (${endpointVariable}), region ${region}` : `AWS account, region ${region}`;
  return { dir, updateFixtures, recordedTarget };
}

const SCHEMA_SETTINGS: Record<DatasetType, 'schemaInteractions' | 'schemaItems' | 'schemaUsers'> = { Interactions: 'schemaInteractions', Items: 'schemaItems', Users: 'schemaUsers' };
const LOCATION_SETTINGS: Record<DatasetType, 'dataLocationInteractions' | 'dataLocationItems' | 'dataLocationUsers'> = {
  Interactions: 'dataLocationInteractions', Items: 'dataLocationItems', Users: 'dataLocationUsers',
};

/** An Avro schema of a dataset type: the file its setting names, or the fixture's. */
function avroSchema(s: Settings, type: DatasetType, cwd: string): string {
  const key = SCHEMA_SETTINGS[type];
  const named = s.get(key);
  const file = named ? resolve(cwd, named) : join(FIXTURES, 'avro', `${type.toLowerCase()}.json`);
  const as = s.as(key) ?? file;
  let schema: { type?: unknown; fields?: unknown };
  try {
    schema = JSON.parse(readFileSync(file, 'utf8')) as typeof schema; // its members are checked below
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? 'not JSON'; // readFileSync throws ErrnoExceptions, JSON.parse SyntaxErrors
    throw new ConfigurationError(`${as}: cannot read an Avro record schema from ${file} (${why}).`);
  }
  if (schema?.type !== 'record' || !Array.isArray(schema.fields)) throw new ConfigurationError(`${as}: ${file} is not an Avro record schema (type "record" with fields).`);
  return JSON.stringify(schema);
}

const NO_REGION = 'No region: set AWS_REGION, or a region in your AWS profile (~/.aws/config, AWS_PROFILE).';

/**
 * The region of a target: AWS_REGION; else on aws the SDK's own provider chain (the shared config
 * file's profile), so the suite and its clients agree; else the emulator default.
 */
export async function resolveRegion(s: Settings, target: TargetKind): Promise<string> {
  const region = s.get('region', target);
  if (region) return region;
  const { PersonalizeClient } = await import('@aws-sdk/client-personalize');
  const client = new PersonalizeClient({});
  try {
    return await client.config.region();
  } catch {
    throw new ConfigurationError(NO_REGION);
  } finally {
    client.destroy();
  }
}

/** Everything a target's run needs to know, checked; `region` as resolveRegion found it. */
export function resolveSuiteConfig(s: Settings, target: TargetKind, region: string, cwd = process.cwd()): SuiteConfig {
  if (!region) throw new ConfigurationError(NO_REGION);
  const record = s.get('record') === true;
  if (record && target !== 'aws' && target !== 'endpoint') throw new ConfigurationError(`Recording (${s.as('record')}) needs a live target: aws, or endpoint.`);
  const endpoint = s.get('endpoint');
  if (target === 'endpoint' && !endpoint) throw new ConfigurationError('The endpoint target needs an endpoint: --endpoint URL (or AWS_ENDPOINT_URL_PERSONALIZE), e.g. http://127.0.0.1:4566.');
  const accessKeyId = s.get('secondAccessKeyId');
  const secretAccessKey = s.get('secondSecretAccessKey');
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) throw new ConfigurationError('Set both CONFORMANCE_SECOND_ACCESS_KEY_ID and CONFORMANCE_SECOND_SECRET_ACCESS_KEY, or neither.');
  const faults = s.get('faults');
  const live = target === 'endpoint' || target === 'aws';
  const readOnly = s.get('readonly') === true || s.get('smoke') === true;
  const orInfinity = (ms: number) => ms || Infinity;
  const get = <K extends SettingKey>(key: K) => s.get(key, target) as SettingValue<K>; // the settings used so have a default for every target
  const endpointVariable = target === 'aws' && endpoint ? (s.source('endpoint') === 'flag' ? '--endpoint' : 'AWS_ENDPOINT_URL_PERSONALIZE') : undefined;
  return {
    target,
    correctReference: target === 'mock' && !faults,
    region,
    otherRegion: s.get('otherRegion') ?? (region === 'us-west-2' ? 'eu-west-1' : 'us-west-2'),
    endpoint: live ? endpoint : undefined,
    // --readonly and --smoke create nothing on a live target: its @readonly scenarios read the account as it is.
    allowWrites: target === 'mock' || (target === 'endpoint' && !readOnly) ? !record : target === 'aws' && get('allowWrites') && !record && !readOnly,
    record,
    recordings: recordingsSettings(s, target, record, region, endpointVariable, cwd),
    datasetTypes: Object.fromEntries(DATASET_TYPES.map((t) => [t, { dataLocation: get(LOCATION_SETTINGS[t]), schema: avroSchema(s, t, cwd) }])) as SuiteConfig['datasetTypes'], // one entry for each of DATASET_TYPES
    missingDataLocation: get('missingDataLocation'),
    importRoleArn: get('importRoleArn'),
    inProgressLimit: get('inProgressLimit'),
    listingWaitMs: get('listingWaitMs'),
    secondCredentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    strict: get('strict'),
    waitTimeoutMs: get('waitTimeoutMs'),
    pollIntervalMs: get('pollIntervalMs'),
    runPrefix: s.get('runPrefix') ?? (record || target === 'replay' ? 'recorded' : newRunPrefix()),
    callBudget: get('callBudget') ?? undefined,
    maxRequestsPerSecond: get('maxRequestsPerSecond') ?? undefined,
    requestTimeoutMs: orInfinity(get('requestTimeoutMs')),
    maxResponseBytes: get('maxResponseBytes'),
    runTimeoutMs: get('runTimeoutMs'),
    stepTimeoutMs: orInfinity(get('stepTimeoutMs')),
    keepResources: get('keepResources'),
    keepFailed: get('keepFailed'),
    keepFixtures: get('keepFixtures') === true,
    reference: { variant: s.get('variant'), faults },
    preflightCalls: 0,
  };
}

// ---- the hand-over to cucumber and its workers ---------------------------------------------------

/** What the settings file holds; a change that old readers cannot read bumps it. */
const SETTINGS_FILE_VERSION = 1;

/** JSON has no Infinity: it travels tagged. */
const replacer = (_: string, v: unknown) => (v === Infinity ? { $number: 'Infinity' } : v);
const reviver = (_: string, v: unknown) => (typeof v === 'object' && v !== null && '$number' in v && v.$number === 'Infinity' ? Infinity : v);

/** Writes a target's resolved settings for cucumber (mode 0600: it may hold a second account's secret). Returns the file. */
export function writeSettingsFile(folder: string, config: SuiteConfig): string {
  const file = join(folder, 'settings.json');
  writeFileSync(file, JSON.stringify({ version: SETTINGS_FILE_VERSION, config }, replacer), { mode: 0o600, flag: 'wx' });
  return file;
}

/** The world parameters that name the settings file (cucumber's --world-parameters). */
export function worldParametersFor(settingsFile: string): { settingsFile: string } {
  return { settingsFile };
}

function readSettingsFile(file: string): SuiteConfig {
  let parsed: { version?: number; config?: SuiteConfig };
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'), reviver) as typeof parsed; // the file writeSettingsFile wrote; its version is checked below
  } catch (e) {
    throw new ConfigurationError(`the runner's settings file ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`); // readFileSync throws ErrnoExceptions, JSON.parse SyntaxErrors
  }
  if (parsed.version !== SETTINGS_FILE_VERSION || !parsed.config) throw new ConfigurationError(`the runner's settings file ${file} is not of version ${SETTINGS_FILE_VERSION}.`);
  return parsed.config;
}

let loaded: SuiteConfig | undefined;

/**
 * The resolved settings in a process of cucumber's (the run's, or a worker's), once per process.
 * From the file the world parameters name (the runner's run); a cucumber started directly (Stryker,
 * `npx cucumber-js`) has no such file, and reads the public settings of its environment for
 * target mock (or CONFORMANCE_TARGET) as the runner would. Called with no parameters before they
 * were read once, it throws: only BeforeAll and the World know them.
 */
export function settingsFromWorldParameters(parameters?: unknown): SuiteConfig {
  if (loaded) return loaded;
  if (parameters === undefined) throw new Error('the settings are read from the world parameters first (BeforeAll, or a World)');
  const file = typeof parameters === 'object' && parameters !== null && 'settingsFile' in parameters ? parameters.settingsFile : undefined;
  if (typeof file === 'string') loaded = readSettingsFile(file);
  else {
    const s = readSettings('conformance', [], process.env);
    const target = s.get('target')![0];
    loaded = resolveSuiteConfig(s, target, s.get('region', target) ?? '');
  }
  return loaded;
}

/** Whether this process has read its settings yet (a signal may come before). */
export function settingsLoaded(): boolean {
  return loaded !== undefined;
}

/** Where src/early-stop.js (preloaded into cucumber's processes) remembers a stop signal that came before the hooks could hear it. */
const EARLY_STOP = Symbol.for('personalize-conformance.early-stop-signal');

/** Remembers a stop signal that came before the settings were read (the hooks act on it once they are). */
export function rememberStopSignal(signal: NodeJS.Signals): void {
  const holder = globalThis as { [EARLY_STOP]?: NodeJS.Signals }; // a global slot, shared with src/early-stop.js by its Symbol.for
  holder[EARLY_STOP] ??= signal;
}

/** The stop signal that came before the hooks could act on it, if one did. */
export function earlyStopSignal(): NodeJS.Signals | undefined {
  return (globalThis as { [EARLY_STOP]?: NodeJS.Signals })[EARLY_STOP]; // (the same)
}

/** Cucumber's worker number in a parallel run ("0" otherwise): names stay unique per worker. */
export function cucumberWorkerId(): string {
  return process.env.CUCUMBER_WORKER_ID ?? '0';
}

// ---- the environment of child processes and of the SDK ------------------------------------------

/** The SDK must never try the instance metadata address (no network beyond the target). */
export function prepareSdkEnvironment(): void {
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
}

/**
 * The environment of the runner's cucumber: the caller's (the SDK reads its credentials and
 * profile there) without any CONFORMANCE_ variable, so that the settings file is the only way
 * settings reach the scenarios.
 */
export function childEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('CONFORMANCE_')) env[k] = v;
  env.AWS_EC2_METADATA_DISABLED = 'true';
  return env;
}

/** The package's version (--version, the reports). */
export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version; // the package's package.json has its version
  } catch {
    return 'unknown';
  }
}

/** What --version prints. */
export function versionText(bin: Bin): string {
  return `${BIN_NAMES[bin]} ${packageVersion()}`;
}

// ---- --help and docs/configuration.md's tables ---------------------------------------------------

/** The targets whose defaults a bin shows: the cleanup goes to an account, or to an endpoint when one is set. */
const TARGETS_OF: Record<Bin, readonly TargetKind[]> = { conformance: TARGETS, cleanup: ['aws', 'endpoint'], emulator: [] };

function humanize(n: number, unit: SettingSpec<unknown>['unit']): string {
  if (unit === 'ms' && n >= 1000) return n % 60_000 === 0 ? `${n} (${n / 60_000} min)` : n % 1000 === 0 ? `${n} (${n / 1000} s)` : String(n);
  if (unit === 'bytes' && n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n} (${n / 1024 / 1024} MiB)`;
  return String(n);
}

function showValue(v: unknown, spec: SettingSpec<unknown>): string | undefined {
  if (v === undefined || v === '') return undefined;
  if (v === null) return 'none';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') return humanize(v, spec.unit);
  if (Array.isArray(v)) return v.join(',');
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- what is left is a string: the readers make strings, numbers, booleans, null and lists
  return String(v);
}

/**
 * The default of a setting as --help and docs/configuration.md say it: one value, or the most common one with
 * the targets that differ ("10000 (10 s); aws: 30000 (30 s)").
 */
export function defaultText(key: SettingKey, bin: Bin): string | undefined {
  const spec = SETTINGS[key] as SettingSpec<unknown>; // each entry of SETTINGS is a SettingSpec
  if (typeof spec.shows === 'string') return spec.shows;
  const targets = TARGETS_OF[bin];
  const plain = typeof spec.default !== 'function' && !isPerTarget(spec.default) ? showValue(spec.default, spec) : undefined;
  if (!targets.length || (!spec.shows && !isPerTarget(spec.default))) return plain;
  const shows = typeof spec.shows === 'object' ? spec.shows : {};
  const shown = targets.map((t) => ({ t, text: shows[t] ?? (isPerTarget(spec.default) ? showValue(spec.default[t], spec) : plain) ?? 'unset' }));
  const counts = new Map<string, number>();
  for (const { text: x } of shown) counts.set(x, (counts.get(x) ?? 0) + 1);
  const common = [...counts].sort((a, b) => b[1] - a[1])[0][0];
  const others = shown.filter((x) => x.text !== common);
  const label = (t: TargetKind) => (bin === 'cleanup' && t === 'endpoint' ? 'with an endpoint' : t);
  return [common, ...others.map((x) => `${label(x.t)}: ${x.text}`)].join('; ');
}

/** The left column of a setting: its flag with its value, or its variable. */
function nameOf(spec: SettingSpec<unknown>): string {
  return spec.flag ? `--${spec.flag}${spec.value ? ` ${spec.value}` : ''}` : spec.env!;
}

function variablesOf(spec: SettingSpec<unknown>): string | undefined {
  return spec.env ? [spec.env, ...(spec.envAliases ?? [])].join(' (or ') + (spec.envAliases?.length ? ')' : '') : undefined;
}

const INTRO: Record<Bin, string[]> = {
  conformance: ['Runs the ListDatasetImportJobs conformance suite against a target and writes its reports.'],
  emulator: ['The reference emulator: serves the reference service over HTTP on 127.0.0.1 until SIGINT or SIGTERM.',
    'Prints "reference emulator listening on http://127.0.0.1:PORT" once it accepts requests.',
    '',
    'Accounts: an access key id stands for an account, isolated from every other. Its id is the first 8 bytes of',
    'HMAC-SHA256(--account-id-key, access key id), read as an unsigned big-endian integer, modulo 10^12, in 12 digits.',
    "Two keys never share an account: should a key's id be held by a key seen earlier in the process (about once in",
    '10^12 pairs), it takes the next free id of HMAC-SHA256(--account-id-key, "KEY#1"), "KEY#2", ... --account-id-of KEY',
    'prints the id a key gets in a fresh process (for ARNs in a reproduction command).'],
  cleanup: ["Removes what an interrupted writing run left behind (its prefix), and nothing else. Uses the SDK's",
    'credential chain and region; asks before deleting unless --yes.'],
};

const EXIT_TEXT: Record<Bin, string[]> = {
  conformance: [
    `  ${EXIT_CODES.conformant}    conformant: every selected MUST requirement passed (every SHOULD too with --strict)`,
    `  ${EXIT_CODES['not conformant']}    not conformant: a requirement failed (a MUST; a SHOULD with --strict)`,
    `  ${EXIT_CODES.configuration}    configuration: a bad option or variable, nothing selected, an unreachable endpoint, a reports folder in use (no report)`,
    `  ${EXIT_CODES.incomplete}    incomplete: nothing failed, but a selected MUST requirement was not shown (or nothing was)`,
    `       (0 with --accept-incomplete, --smoke or target replay; the closing line says so)`,
    `  ${EXIT_CODES['run error']}    run error: cucumber crashed or was killed, or a defect of the suite (1 if a MUST failed too)`,
    `  ${EXIT_CODES.SIGINT}, ${EXIT_CODES.SIGTERM}  interrupted by SIGINT, SIGTERM: the reports hold what ran`,
  ],
  emulator: [`  0    stopped by SIGINT or SIGTERM`, `  2    a bad option or a port in use`],
  cleanup: [`  0    done (or a dry run)`, `  1    the deletion was declined or failed`, `  2    a bad option, or no terminal to confirm without --yes`],
};

type Entry = { key: SettingKey; spec: SettingSpec<unknown> };

/** A bin's settings in the order --help and docs/configuration.md give them: its flags, its variables, those for testing the suite, --version and --help. */
function inHelpOrder(bin: Bin): { flags: Entry[]; variables: Entry[]; forTests: Entry[]; last: Entry[] } {
  const specs = settingsOf(bin);
  const isLast = (e: Entry) => e.key === 'version' || e.key === 'help';
  return {
    flags: specs.filter((e) => e.spec.flag && !e.spec.forSuiteTests && !isLast(e)),
    variables: specs.filter((e) => !e.spec.flag && !e.spec.forSuiteTests),
    forTests: specs.filter((e) => e.spec.forSuiteTests),
    last: specs.filter(isLast),
  };
}

/** A bin's --help, made from the table. */
export function helpText(bin: Bin): string {
  const entry = ({ key, spec }: Entry) => {
    const variables = spec.flag ? variablesOf(spec) : spec.envAliases?.length ? `(or ${spec.envAliases.join(', ')})` : undefined;
    const shown = defaultText(key, bin);
    return [`  ${nameOf(spec)}${variables ? `   ${variables}` : ''}`, `      ${spec.help}${shown ? ` (default: ${shown})` : ''}`];
  };
  const { flags, variables, forTests, last } = inHelpOrder(bin);
  const bool = bin === 'conformance' ? 'Booleans in variables accept 1/true/yes and 0/false/no; a mistake in any setting is one line and exit 2.' : 'A mistake in any setting is one line and exit 2.';
  return [
    `usage: ${BIN_NAMES[bin]} [options]      (--flag value or --flag=value)`,
    '',
    ...INTRO[bin],
    '',
    'Options (flag   environment variable; default):',
    ...flags.flatMap(entry),
    ...(variables.length ? ['', 'Environment (default):', ...variables.flatMap(entry)] : []),
    ...(forTests.length && bin === 'conformance' ? ['', 'For testing the suite itself:', ...forTests.flatMap(entry)] : []),
    ...(forTests.length && bin !== 'conformance' ? forTests.flatMap(entry) : []),
    ...(bin === 'conformance' ? [''] : []),
    ...last.flatMap(entry),
    '',
    bool,
    '',
    'Exit codes:',
    ...EXIT_TEXT[bin],
  ].join('\n');
}

const cell = (s: string) => s.replace(/\|/g, '\\|');
const code = (s: string | undefined) => (s ? `\`${s}\`` : '');

/** A bin's configuration table in docs/configuration.md (markdown), made from the table: written by tools/settings-table.ts, checked by tests/cli.test.ts and tests/docs.test.ts. */
export function settingsTable(bin: Bin): string {
  const { flags, variables, forTests } = inHelpOrder(bin);
  const rows = [...flags, ...variables, ...forTests].map(({ key, spec }) => {
    const flag = spec.flag ? code(`--${spec.flag}${spec.value ? ` ${spec.value}` : ''}`) : '';
    const variables = [spec.env, ...(spec.envAliases ?? [])].filter((v): v is string => !!v).map(code).join(', ');
    return `| ${cell(flag)} | ${cell(variables)} | ${cell(defaultText(key, bin) ?? '')} | ${cell(spec.help)} |`;
  });
  return ['| Flag | Variable | Default | What it does |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
