import { existsSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { RECORDINGS } from './paths';

/**
 * The suite's own configuration, read once from the environment. Anything wrong here ends the
 * run with one clear message (ConfigurationError), never a stack trace.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from './paths';

export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

/** The dataset types that arranging creates, each with its own data file and schema. */
export const DATASET_TYPES = ['Interactions', 'Items', 'Users'] as const;
export type DatasetType = (typeof DATASET_TYPES)[number];

export type TargetKind = 'mock' | 'endpoint' | 'aws' | 'replay';

export interface SuiteConfig {
  target: TargetKind;
  /** The in-process reference service with no fault injected: correct by construction, so data it cannot arrange is the suite's defect, not weather. */
  correctReference: boolean;
  region: string;
  /** A second region, for the requirement that listings never cross regions. */
  otherRegion: string;
  /** The endpoint URL for target "endpoint". */
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
  /** Most API calls for the run (a real account: 40 unless CONFORMANCE_CALL_BUDGET says otherwise). */
  callBudget?: number;
  /** Most requests per second (a real account: 2 unless CONFORMANCE_MAX_RPS says otherwise). */
  maxRequestsPerSecond?: number;
  /** Bounds of one request: it is aborted after this long, headers and body together. */
  requestTimeoutMs: number;
  /** A response body longer than this is a contract violation; the rest is not read. */
  maxResponseBytes: number;
  /** The whole run (all targets of one invocation each get it anew); 0: no deadline. */
  runTimeoutMs: number;
  /** Most time for one step (0: none). */
  stepTimeoutMs: number;
  /** The in-process reference service's variant and faults (target mock). */
  reference: { variant?: string; faults?: string };
  /** API calls the runner's preflight already spent of the call budget. */
  preflightCalls: number;
}

/** How the user wrote a setting: `--flag value` or `VARIABLE=value`. */
const setting = (name: string, raw: string) => (name.startsWith('-') ? `${name} ${raw}` : `${name}=${raw}`);

const TRUE_WORDS = ['1', 'true', 'yes'];
const FALSE_WORDS = ['0', 'false', 'no'];

/**
 * The one reading of a boolean setting: 1/true/yes or 0/false/no (any case); unset or empty is
 * the fallback; anything else is a configuration error, never silently "off".
 */
export function parseBoolean(name: string, raw: string | undefined, fallback = false): boolean {
  if (raw === undefined || raw.trim() === '') return fallback;
  const word = raw.trim().toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  throw new ConfigurationError(`${setting(name, raw)} is not a boolean: use ${TRUE_WORDS.join('/')} or ${FALSE_WORDS.join('/')}.`);
}

/** A boolean environment variable, read with parseBoolean. */
export function envFlag(name: string, env: NodeJS.ProcessEnv = process.env, fallback = false): boolean {
  return parseBoolean(name, env[name], fallback);
}

/**
 * The one reading of a numeric setting: a finite number within [min, max] (an integer where asked).
 * `name` is the flag (--parallel) or the environment variable, for the error message.
 */
export function parseNumber(name: string, raw: string, what: { min?: number; max?: number; integer?: boolean; unit?: string } = {}): number {
  const n = raw.trim() === '' ? NaN : Number(raw);
  const { min = -Infinity, max = Infinity, integer = false, unit } = what;
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    const kind = `${integer ? 'an integer' : 'a number'}${unit ? ` of ${unit}` : ''}`;
    const range = min > -Infinity && max < Infinity ? ` from ${min} to ${max}` : min > -Infinity ? ` of at least ${min}` : max < Infinity ? ` of at most ${max}` : '';
    throw new ConfigurationError(`${setting(name, raw)} is not ${kind}${range}.`);
  }
  return n;
}

/**
 * Where recordings are read (replay) and written (record). The committed fixtures are only ever
 * rewritten on request (CONFORMANCE_UPDATE_FIXTURES), and nothing is written inside node_modules
 * (an installed package). The runner passes the resolved folder on to its workers
 * (CONFORMANCE_RECORDINGS), which run from the package's folder.
 */
export interface RecordingsSettings {
  /**
   * An absolute path: CONFORMANCE_RECORDINGS (relative to the working directory); else the committed
   * fixtures/recordings for replay, and for recording with CONFORMANCE_UPDATE_FIXTURES; else, for
   * recording, a new folder reports/recordings-<time> in the working directory.
   */
  dir: string;
  /** Recording may rewrite the committed fixtures/recordings. */
  updateFixtures: boolean;
  /** What a recording is made from, as its metadata says (no URL: ports and hosts are volatile). */
  recordedTarget: string;
}

function recordingsSettings(env: NodeJS.ProcessEnv, target: TargetKind, record: boolean, region: string, endpointVar: string | undefined): RecordingsSettings {
  const updateFixtures = envFlag('CONFORMANCE_UPDATE_FIXTURES', env);
  const given = env.CONFORMANCE_RECORDINGS ? resolve(env.CONFORMANCE_RECORDINGS) : undefined;
  if (updateFixtures && !record) throw new ConfigurationError('Updating the committed recordings (CONFORMANCE_UPDATE_FIXTURES, --update-fixtures) needs recording (--record).');
  if (updateFixtures && given && given !== RECORDINGS) throw new ConfigurationError(`Updating the committed recordings writes ${RECORDINGS}; leave out CONFORMANCE_RECORDINGS (--recordings ${env.CONFORMANCE_RECORDINGS}), or leave out the update.`);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = given ?? (updateFixtures || !record ? RECORDINGS : resolve('reports', `recordings-${stamp}`));
  if (record && dir === RECORDINGS && !updateFixtures) throw new ConfigurationError(`Recording would overwrite the committed recordings in ${RECORDINGS}: record into another folder (CONFORMANCE_RECORDINGS, --recordings DIR), or say so (CONFORMANCE_UPDATE_FIXTURES=1, --update-fixtures).`);
  if (record && dir.split(sep).includes('node_modules')) throw new ConfigurationError(`Recording would write inside node_modules (${dir}): record into a folder of your own (CONFORMANCE_RECORDINGS, --recordings DIR).`);
  if (target === 'replay' && !(existsSync(dir) && statSync(dir).isDirectory())) throw new ConfigurationError(`There is no folder of recordings to replay at ${dir} (CONFORMANCE_RECORDINGS, --recordings DIR).`);
  const recordedTarget = endpointVar ? `an endpoint standing in for an account (${endpointVar}), region ${region}` : `AWS account, region ${region}`;
  return { dir, updateFixtures, recordedTarget };
}

/** The response body cap: ListDatasetImportJobs pages of 100 jobs are a few tens of KiB; 4 MiB is far beyond any honest answer. */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  return parseNumber(name, raw, { min: 0, unit: 'milliseconds' });
}

function optionalCount(env: NodeJS.ProcessEnv, name: string, fallback: number | undefined): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'none') return undefined;
  if (!(Number(raw) > 0)) throw new ConfigurationError(`${name}=${raw} is not a positive number (or "none").`);
  return parseNumber(name, raw, { min: 0 });
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new ConfigurationError(`${name}=${raw} is not a positive whole number.`);
  return n;
}

/** An Avro schema of a dataset type: the file CONFORMANCE_SCHEMA_<TYPE> names, or the fixture's. */
function avroSchema(env: NodeJS.ProcessEnv, type: DatasetType): string {
  const name = `CONFORMANCE_SCHEMA_${type.toUpperCase()}`;
  const file = env[name] || join(FIXTURES, 'avro', `${type.toLowerCase()}.json`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigurationError(`${name}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
  let schema: { type?: unknown; fields?: unknown };
  try {
    schema = JSON.parse(text);
  } catch {
    throw new ConfigurationError(`${name}: ${file} is not JSON; expected an Avro record schema.`);
  }
  if (schema?.type !== 'record' || !Array.isArray(schema.fields)) throw new ConfigurationError(`${name}: ${file} is not an Avro record schema (type "record" with fields).`);
  return JSON.stringify(schema);
}

/** Each dataset type's data file (CONFORMANCE_DATA_LOCATION_<TYPE>; CONFORMANCE_DATA_LOCATION still names the Interactions one) and schema. */
function datasetTypes(env: NodeJS.ProcessEnv): SuiteConfig['datasetTypes'] {
  const location = (type: DatasetType) =>
    env[`CONFORMANCE_DATA_LOCATION_${type.toUpperCase()}`] || (type === 'Interactions' ? env.CONFORMANCE_DATA_LOCATION : undefined) ||
    `s3://personalize-conformance-fixtures/${type.toLowerCase()}.csv`;
  return Object.fromEntries(DATASET_TYPES.map((t) => [t, { dataLocation: location(t), schema: avroSchema(env, t) }])) as SuiteConfig['datasetTypes'];
}

function validUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigurationError(`${name}=${raw} is not a URL; expected something like http://127.0.0.1:4566.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigurationError(`${name}=${raw} must be an http:// or https:// URL.`);
  }
  return raw.replace(/\/+$/, '');
}

/** The run's deadline: a real account gets an hour, anything else 20 minutes; CONFORMANCE_RUN_TIMEOUT_MS=0 lifts it. */
export function runTimeout(env: NodeJS.ProcessEnv, target: TargetKind): number {
  return positiveNumber(env, 'CONFORMANCE_RUN_TIMEOUT_MS', target === 'aws' ? 60 * 60_000 : 20 * 60_000);
}

function newRunPrefix(): string {
  return `cf${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 3).toString(36).padStart(3, '0')}`;
}

/** The region of the in-repo targets (mock, replay, an emulator) when none is set. */
export const DEFAULT_EMULATOR_REGION = 'us-east-1';
const NO_REGION = 'No region: set AWS_REGION, or a region in your AWS profile (~/.aws/config, AWS_PROFILE).';

/**
 * The region as the SDK itself finds it (its provider chain: AWS_REGION, then the shared config
 * file's profile), so the suite and its clients agree; the emulator default elsewhere.
 */
export async function resolveRegion(target: TargetKind, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.AWS_REGION) return env.AWS_REGION;
  if (target !== 'aws') return DEFAULT_EMULATOR_REGION;
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

export function readConfig(env: NodeJS.ProcessEnv = process.env): SuiteConfig {
  const target = (env.CONFORMANCE_TARGET ?? 'mock') as TargetKind;
  if (!['mock', 'endpoint', 'aws', 'replay'].includes(target)) {
    throw new ConfigurationError(`CONFORMANCE_TARGET=${target} is not one of: mock, endpoint, aws, replay.`);
  }
  const record = envFlag('CONFORMANCE_RECORD', env);
  const allowWritesOnAws = envFlag('CONFORMANCE_ALLOW_WRITES', env);
  const strict = envFlag('CONFORMANCE_STRICT', env);
  // Read by the steps' hooks; checked here so that a mistake ends the run before it starts.
  envFlag('CONFORMANCE_KEEP_RESOURCES', env);
  positiveNumber(env, 'CONFORMANCE_STEP_TIMEOUT_MS', 0);
  envFlag('CONFORMANCE_UPDATE_FIXTURES', env);
  if (record && target !== 'aws' && target !== 'endpoint') {
    throw new ConfigurationError('Recording (CONFORMANCE_RECORD=1) needs a live target: aws, or endpoint.');
  }
  const endpointVar = env.AWS_ENDPOINT_URL_PERSONALIZE ? 'AWS_ENDPOINT_URL_PERSONALIZE' : 'AWS_ENDPOINT_URL';
  const endpointRaw = env[endpointVar];
  if (target === 'endpoint' && !endpointRaw) {
    throw new ConfigurationError('The endpoint target needs AWS_ENDPOINT_URL_PERSONALIZE (or AWS_ENDPOINT_URL), e.g. http://127.0.0.1:4566.');
  }
  // On aws the runner has put the SDK provider chain's region in AWS_REGION (resolveRegion).
  const region = env.AWS_REGION || (target === 'aws' ? '' : DEFAULT_EMULATOR_REGION);
  if (!region) throw new ConfigurationError(NO_REGION);
  const otherRegion = env.CONFORMANCE_OTHER_REGION || (region === 'us-west-2' ? 'eu-west-1' : 'us-west-2');
  const a = env.CONFORMANCE_SECOND_ACCESS_KEY_ID;
  const s = env.CONFORMANCE_SECOND_SECRET_ACCESS_KEY;
  if (Boolean(a) !== Boolean(s)) {
    throw new ConfigurationError('Set both CONFORMANCE_SECOND_ACCESS_KEY_ID and CONFORMANCE_SECOND_SECRET_ACCESS_KEY, or neither.');
  }
  const onMock = target === 'mock';
  return {
    target,
    correctReference: target === 'mock' && !env.CONFORMANCE_FAULTS,
    region,
    otherRegion,
    endpoint: target === 'endpoint' && endpointRaw ? validUrl(endpointVar, endpointRaw) : undefined,
    allowWrites: target === 'mock' || target === 'endpoint' ? !record : target === 'aws' && allowWritesOnAws && !record,
    record,
    recordings: recordingsSettings(env, target, record, region, endpointRaw ? endpointVar : undefined),
    datasetTypes: datasetTypes(env),
    missingDataLocation: env.CONFORMANCE_MISSING_DATA_LOCATION || 's3://personalize-conformance-fixtures/missing/does-not-exist.csv',
    importRoleArn: env.CONFORMANCE_IMPORT_ROLE_ARN || undefined,
    // The documented quota: "More than 5 resources with PENDING or IN_PROGRESS status" (developer guide, limits).
    inProgressLimit: positiveInteger(env, 'CONFORMANCE_IN_PROGRESS_LIMIT', 5),
    // Seconds on an emulator, minutes on an account: nothing public says how soon List shows a new job.
    // 0 on the mock, which lists at once unless a variant says it lags: a longer wait there would let
    // jobs finish before they are first listed, and hide a service that lists only finished jobs.
    listingWaitMs: positiveNumber(env, 'CONFORMANCE_LISTING_WAIT_MS', target === 'aws' ? 5 * 60_000 : target === 'endpoint' ? 5_000 : 0),
    secondCredentials: a && s ? { accessKeyId: a, secretAccessKey: s } : undefined,
    strict,
    waitTimeoutMs: positiveNumber(env, 'CONFORMANCE_WAIT_TIMEOUT_MS', target === 'aws' ? 30 * 60_000 : 60_000),
    pollIntervalMs: positiveNumber(env, 'CONFORMANCE_POLL_INTERVAL_MS', onMock ? 0 : target === 'aws' ? 20_000 : 20),
    // Recordings and their replays send the same names: a fixed prefix.
    runPrefix: env.CONFORMANCE_RUN_PREFIX || (record || target === 'replay' ? 'recorded' : newRunPrefix()),
    callBudget: optionalCount(env, 'CONFORMANCE_CALL_BUDGET', target === 'aws' && !allowWritesOnAws ? 40 : undefined),
    maxRequestsPerSecond: optionalCount(env, 'CONFORMANCE_MAX_RPS', target === 'aws' ? 2 : undefined),
    requestTimeoutMs: positiveNumber(env, 'CONFORMANCE_REQUEST_TIMEOUT_MS', target === 'aws' ? 30_000 : 10_000) || Infinity,
    maxResponseBytes: positiveNumber(env, 'CONFORMANCE_MAX_RESPONSE_BYTES', DEFAULT_MAX_RESPONSE_BYTES) || DEFAULT_MAX_RESPONSE_BYTES,
    runTimeoutMs: runTimeout(env, target),
    stepTimeoutMs: positiveNumber(env, 'CONFORMANCE_STEP_TIMEOUT_MS', 5 * 60_000) || Infinity,
    reference: { variant: env.CONFORMANCE_VARIANT || undefined, faults: env.CONFORMANCE_FAULTS || undefined },
    preflightCalls: Number(env.CONFORMANCE_PREFLIGHT_CALLS) || 0,
  };
}
