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
  envFlag('CONFORMANCE_KEEP_RESOURCES', env);
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
    region,
    otherRegion,
    endpoint: target === 'endpoint' && endpointRaw ? validUrl(endpointVar, endpointRaw) : undefined,
    allowWrites: target === 'mock' || target === 'endpoint' ? !record : target === 'aws' && allowWritesOnAws && !record,
    record,
    dataLocation: env.CONFORMANCE_DATA_LOCATION || 's3://personalize-conformance-fixtures/interactions.csv',
    missingDataLocation: env.CONFORMANCE_MISSING_DATA_LOCATION || 's3://personalize-conformance-fixtures/missing/does-not-exist.csv',
    importRoleArn: env.CONFORMANCE_IMPORT_ROLE_ARN || undefined,
    secondCredentials: a && s ? { accessKeyId: a, secretAccessKey: s } : undefined,
    strict,
    waitTimeoutMs: positiveNumber(env, 'CONFORMANCE_WAIT_TIMEOUT_MS', target === 'aws' ? 30 * 60_000 : 60_000),
    pollIntervalMs: positiveNumber(env, 'CONFORMANCE_POLL_INTERVAL_MS', onMock ? 0 : target === 'aws' ? 20_000 : 20),
    // Recordings and their replays send the same names: a fixed prefix.
    runPrefix: env.CONFORMANCE_RUN_PREFIX || (record || target === 'replay' ? 'recorded' : newRunPrefix()),
    callBudget: optionalCount(env, 'CONFORMANCE_CALL_BUDGET', target === 'aws' && !allowWritesOnAws ? 40 : undefined),
    maxRequestsPerSecond: optionalCount(env, 'CONFORMANCE_MAX_RPS', target === 'aws' ? 2 : undefined),
  };
}
