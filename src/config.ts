/**
 * The suite's own configuration, read once from the environment. Anything wrong here ends the
 * run with one clear message (ConfigurationError), never a stack trace.
 */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

export type TargetKind = 'mock' | 'endpoint' | 'aws' | 'replay';

export interface SuiteConfig {
  target: TargetKind;
  region: string;
  /** A second region, for the requirement that listings never cross regions. */
  otherRegion: string;
  /** The endpoint URL for target "endpoint". */
  endpoint?: string;
  /** Whether scenarios may create and delete resources (always on mock and endpoint; opt-in on aws). */
  allowWrites: boolean;
  dataLocation: string;
  missingDataLocation: string;
  /** Role for import jobs on a real account (optional since the 2025-12-01 model). */
  importRoleArn?: string;
  secondCredentials?: { accessKeyId: string; secretAccessKey: string };
  strict: boolean;
  /** How long to wait for a resource to reach a state, and how often to look. */
  waitTimeoutMs: number;
  pollIntervalMs: number;
  /** Prefix of every resource name this run creates. */
  runPrefix: string;
  /** Recording each scenario's exchanges to fixtures/recordings (nock.back). */
  record: boolean;
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
}

/** The response body cap: ListDatasetImportJobs pages of 100 jobs are a few tens of KiB; 4 MiB is far beyond any honest answer. */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new ConfigurationError(`${name}=${raw} is not a number of milliseconds.`);
  return n;
}

function optionalCount(env: NodeJS.ProcessEnv, name: string, fallback: number | undefined): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'none') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new ConfigurationError(`${name}=${raw} is not a positive number (or "none").`);
  return n;
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

export function readConfig(env: NodeJS.ProcessEnv = process.env): SuiteConfig {
  const target = (env.CONFORMANCE_TARGET ?? 'mock') as TargetKind;
  if (!['mock', 'endpoint', 'aws', 'replay'].includes(target)) {
    throw new ConfigurationError(`CONFORMANCE_TARGET=${target} is not one of: mock, endpoint, aws, replay.`);
  }
  const record = env.CONFORMANCE_RECORD === '1';
  if (record && target !== 'aws' && target !== 'endpoint') {
    throw new ConfigurationError('Recording (CONFORMANCE_RECORD=1) needs a live target: aws, or endpoint.');
  }
  const endpointVar = env.AWS_ENDPOINT_URL_PERSONALIZE ? 'AWS_ENDPOINT_URL_PERSONALIZE' : 'AWS_ENDPOINT_URL';
  const endpointRaw = env[endpointVar];
  if (target === 'endpoint' && !endpointRaw) {
    throw new ConfigurationError('The endpoint target needs AWS_ENDPOINT_URL_PERSONALIZE (or AWS_ENDPOINT_URL), e.g. http://127.0.0.1:4566.');
  }
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || (target === 'aws' ? '' : 'us-east-1');
  if (!region) throw new ConfigurationError('No region: set AWS_REGION (for example AWS_REGION=us-east-1).');
  const otherRegion = env.CONFORMANCE_OTHER_REGION || (region === 'us-west-2' ? 'eu-west-1' : 'us-west-2');
  const a = env.CONFORMANCE_SECOND_ACCESS_KEY_ID;
  const s = env.CONFORMANCE_SECOND_SECRET_ACCESS_KEY;
  if (Boolean(a) !== Boolean(s)) {
    throw new ConfigurationError('Set both CONFORMANCE_SECOND_ACCESS_KEY_ID and CONFORMANCE_SECOND_SECRET_ACCESS_KEY, or neither.');
  }
  const onMock = target === 'mock';
  return {
    target,
    region,
    otherRegion,
    endpoint: target === 'endpoint' && endpointRaw ? validUrl(endpointVar, endpointRaw) : undefined,
    allowWrites: target === 'mock' || target === 'endpoint' ? !record : target === 'aws' && env.CONFORMANCE_ALLOW_WRITES === '1' && !record,
    record,
    dataLocation: env.CONFORMANCE_DATA_LOCATION || 's3://personalize-conformance-fixtures/interactions.csv',
    missingDataLocation: env.CONFORMANCE_MISSING_DATA_LOCATION || 's3://personalize-conformance-fixtures/missing/does-not-exist.csv',
    importRoleArn: env.CONFORMANCE_IMPORT_ROLE_ARN || undefined,
    secondCredentials: a && s ? { accessKeyId: a, secretAccessKey: s } : undefined,
    strict: env.CONFORMANCE_STRICT === '1',
    waitTimeoutMs: positiveNumber(env, 'CONFORMANCE_WAIT_TIMEOUT_MS', target === 'aws' ? 30 * 60_000 : 60_000),
    pollIntervalMs: positiveNumber(env, 'CONFORMANCE_POLL_INTERVAL_MS', onMock ? 0 : target === 'aws' ? 20_000 : 20),
    // Recordings and their replays send the same names: a fixed prefix.
    runPrefix: env.CONFORMANCE_RUN_PREFIX || (record || target === 'replay' ? 'recorded' : newRunPrefix()),
    callBudget: optionalCount(env, 'CONFORMANCE_CALL_BUDGET', target === 'aws' && env.CONFORMANCE_ALLOW_WRITES !== '1' ? 40 : undefined),
    maxRequestsPerSecond: optionalCount(env, 'CONFORMANCE_MAX_RPS', target === 'aws' ? 2 : undefined),
    requestTimeoutMs: positiveNumber(env, 'CONFORMANCE_REQUEST_TIMEOUT_MS', target === 'aws' ? 30_000 : 10_000) || Infinity,
    maxResponseBytes: positiveNumber(env, 'CONFORMANCE_MAX_RESPONSE_BYTES', DEFAULT_MAX_RESPONSE_BYTES) || DEFAULT_MAX_RESPONSE_BYTES,
    runTimeoutMs: runTimeout(env, target),
  };
}
