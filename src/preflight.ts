/**
 * Before a run against an endpoint or an account: one cheap read (two on an emulator), bounded by
 * the request time-out, so that a wrong endpoint, TLS trouble, missing credentials or something
 * that is not Personalize end the run in seconds with one line that says what to check (exit 2),
 * instead of a report full of failures the target did not commit.
 */
import { maxHeaderSize } from 'node:http';
import { DescribeDatasetImportJobCommand, ListDatasetImportJobsCommand, PersonalizeClient } from '@aws-sdk/client-personalize';
import { ConfigurationError, type SuiteConfig } from './settings';
import { sleep } from './wait';
import { isWeather, networkHandler, ResponseTooLargeError, ValidatingHttpHandler, WireLog } from './wire';
import type { Exchange } from './verdict';
import { terminal } from './escape';
import { registerCredentials } from './redact';

function where(config: SuiteConfig): string {
  return config.endpoint ? `the endpoint ${config.endpoint}` : `Amazon Personalize in ${config.region}`;
}

const ENDPOINT_VARIABLE = 'AWS_ENDPOINT_URL_PERSONALIZE (or --endpoint)';

export function explainFailure(e: unknown, config: SuiteConfig): string | undefined {
  const err = e as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } }; // what an SDK call throws: a ServiceException, or a credential provider's Error
  const text = `${err.name ?? ''} ${err.code ?? ''} ${err.message ?? ''}`;
  const at = where(config);
  if (/ECONNREFUSED/.test(text)) return `Cannot connect to ${at}: connection refused. Is the emulator running on that port? Check ${ENDPOINT_VARIABLE}.`;
  if (/ENOTFOUND|EAI_AGAIN/.test(text)) return `Cannot resolve the host of ${at}. Check ${ENDPOINT_VARIABLE} and your network.`;
  if (/EPROTO|wrong version number|WRONG_VERSION_NUMBER|packet length too long|ssl3_get_record|unknown protocol/i.test(text)) {
    return `${at} does not speak TLS on that port (an https:// URL for a plain-HTTP port?): use http://, or the port that serves TLS. Check ${ENDPOINT_VARIABLE}.`;
  }
  if (/self[- ]signed|SELF_SIGNED|UNABLE_TO_VERIFY|unable to (get|verify)|CERT_|certificate|ERR_TLS/i.test(text)) {
    return `${at} presented a TLS certificate that Node does not trust (${err.code ?? err.message}): for a private CA, set NODE_EXTRA_CA_CERTS=/path/to/ca.pem.`;
  }
  if (/HPE_HEADER_OVERFLOW|Header overflow/i.test(text)) {
    return `${at} answered with response headers larger than Node's limit (${maxHeaderSize} bytes, --max-http-header-size): it is not answering like Personalize, whose answers carry a few short headers. Check ${ENDPOINT_VARIABLE}.`;
  }
  if (/HPE_|Parse Error|Expected HTTP/i.test(text)) return `${at} answered with something that is not HTTP (an http:// URL for a TLS port?): check the scheme and port in ${ENDPOINT_VARIABLE}.`;
  if (/socket hang up|ECONNRESET/i.test(text)) return `${at} closed the connection without an answer (an http:// URL for a TLS port?): check the scheme and port in ${ENDPOINT_VARIABLE}.`;
  if (/TimeoutError|ETIMEDOUT|timed out/i.test(text)) {
    return `No answer from ${at} within ${config.requestTimeoutMs} ms (CONFORMANCE_REQUEST_TIMEOUT_MS): check that the endpoint is up and reachable.`;
  }
  if (/CredentialsProviderError|Could not load credentials|credential/i.test(err.name ?? '') || /Could not load credentials/i.test(text)) {
    return `No AWS credentials found for ${at}: set AWS_PROFILE, log in with SSO, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (an emulator accepts any values).`;
  }
  if (/ExpiredToken|RequestExpired/.test(text)) return `The credentials for ${at} have expired: refresh them (for SSO: aws sso login).`;
  if (/UnrecognizedClient|InvalidSignature|IncompleteSignature|SignatureDoesNotMatch|InvalidClientTokenId/.test(text)) return `${at} rejected the credentials (${err.name}). Check the access key and secret.`;
  if (/AccessDenied|NotAuthorized/.test(text)) return `The credentials have no access to Personalize at ${at} (${err.name}): the suite needs personalize:List*, Describe* and, to arrange data, Create*/Delete*.`;
  if (/NetConnectNotAllowedError/.test(text)) return `The network is locked (nock) in this process, so ${at} cannot be reached.`;
  if (err.$metadata?.httpStatusCode && err.$metadata.httpStatusCode >= 500) return `${at} answered HTTP ${err.$metadata.httpStatusCode} to a plain ListDatasetImportJobs request, past the SDK's retries (${err.name}: ${err.message}).`;
  return undefined;
}

/** Mistakes visible in the configuration itself, before any request. */
function checkSettings(config: SuiteConfig, primaryKeyId: string | undefined): void {
  if (config.endpoint) {
    const url = new URL(config.endpoint);
    if ((url.pathname !== '/' && url.pathname !== '') || url.search) {
      throw new ConfigurationError(`${ENDPOINT_VARIABLE} is ${config.endpoint}: Personalize is served at the root of its endpoint (every operation is POST /); drop the path ${url.pathname}${url.search}.`);
    }
  }
  if (config.secondCredentials && primaryKeyId && config.secondCredentials.accessKeyId === primaryKeyId) {
    throw new ConfigurationError('CONFORMANCE_SECOND_ACCESS_KEY_ID is the same access key as the first account: the cross-account requirement needs credentials of a second account.');
  }
}

/** A body that cannot be a ListDatasetImportJobs answer at all (not a listing that breaks the contract: the suite judges those). */
function notAListing(exchange: Exchange | undefined): string | undefined {
  if (!exchange || exchange.status === null || exchange.status >= 300) return undefined;
  let body: unknown;
  try {
    body = exchange.response.trim() === '' ? {} : JSON.parse(exchange.response);
  } catch {
    return `a body that is not JSON (${terminal(exchange.response.slice(0, 60))})`;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return `JSON that is not an object (${terminal(exchange.response.slice(0, 60))})`;
  const members = Object.keys(body);
  const known = ['datasetImportJobs', 'nextToken'];
  if (members.length && !members.some((m) => known.includes(m))) return `an object with none of a listing's members (${members.slice(0, 4).join(', ')})`;
  return undefined; // a listing, perhaps one that breaks its schema: a verdict for the suite, not a configuration error
}

/**
 * Resolves with the number of requests it made (they count against the run's call budget) when
 * the target answers a plain listing like Personalize; otherwise a ConfigurationError.
 */
export async function preflight(config: SuiteConfig): Promise<number> {
  const log = new WireLog();
  const limits = { requestTimeoutMs: config.requestTimeoutMs, maxResponseBytes: config.maxResponseBytes };
  const client = new PersonalizeClient({
    region: config.region,
    ...(config.endpoint && { endpoint: config.endpoint }),
    // No SDK retries: a silent endpoint must fail within one request time-out (weather is retried below).
    maxAttempts: 1,
    requestHandler: new ValidatingHttpHandler(networkHandler(limits), { log }, limits, true),
  });
  try {
    let primaryKeyId: string | undefined;
    try {
      const credentials = await client.config.credentials();
      primaryKeyId = credentials.accessKeyId;
      // Their literal values are redacted wherever they appear (an endpoint that echoes headers).
      registerCredentials(credentials);
      if (config.secondCredentials) registerCredentials(config.secondCredentials);
    } catch (e) {
      throw new ConfigurationError(explainFailure(e, config) ?? `No credentials for ${where(config)}: ${(e as Error).message}`); // the credential providers throw Errors
    }
    checkSettings(config, primaryKeyId);
    await askListing(client, config, log);
    if (config.target === 'endpoint') await askUnknownJob(client, config, log);
    return log.exchanges.length;
  } finally {
    client.destroy();
  }
}

/** Sends once, and again (up to 3 times, backing off) while the answer is throttling or a 5xx: weather, not configuration. */
async function sendThroughWeather(send: () => Promise<unknown>, log: WireLog): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await send();
      return;
    } catch (e) {
      const last = log.exchanges.at(-1);
      if (attempt >= 3 || !last || last.status === null || !isWeather(last)) throw e;
      await sleep(250 * 2 ** attempt);
    }
  }
}

async function askListing(client: PersonalizeClient, config: SuiteConfig, log: WireLog): Promise<void> {
  try {
    await sendThroughWeather(() => client.send(new ListDatasetImportJobsCommand({ maxResults: 1 })), log);
  } catch (e) {
    // An oversized answer is a contract violation: the scenarios report it against their requirements.
    if (e instanceof ResponseTooLargeError) return;
    const explained = explainFailure(e, config);
    if (explained) throw new ConfigurationError(explained);
    const strange = notAListing(log.exchanges.at(-1));
    if (strange) throw new ConfigurationError(`${where(config)} answered a plain ListDatasetImportJobs request with ${strange}: is this a Personalize endpoint? Check ${ENDPOINT_VARIABLE}.`);
    const err = e as { name?: string; $metadata?: { httpStatusCode?: number } }; // what an SDK call throws: a ServiceException (or another Error)
    if (!err.name || err.name === 'UnknownError' || err.name === 'Unknown' || err.name === 'SyntaxError' || !log.exchanges.at(-1)?.errorType) {
      throw new ConfigurationError(`${where(config)} answered a plain ListDatasetImportJobs request with HTTP ${err.$metadata?.httpStatusCode ?? '?'} and no AWS error type: is this a Personalize endpoint? Check ${ENDPOINT_VARIABLE}.`);
    }
    // Any other AWS error is the endpoint speaking the protocol: the suite itself will judge it.
    return;
  }
  const strange = notAListing(log.exchanges.at(-1));
  if (strange) throw new ConfigurationError(`${where(config)} answered a plain ListDatasetImportJobs request with ${strange}: is this a Personalize endpoint? Check ${ENDPOINT_VARIABLE}.`);
}

/**
 * An endpoint that says yes to everything ({} to every request) passes a listing but would make
 * each writing scenario wait for resources that never come: a job that does not exist must not be found.
 */
async function askUnknownJob(client: PersonalizeClient, config: SuiteConfig, log: WireLog): Promise<void> {
  const arn = `arn:aws:personalize:${config.region}:000000000000:dataset-import-job/conformance-preflight-no-such-job`;
  try {
    await sendThroughWeather(() => client.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn: arn })), log);
  } catch (e) {
    const explained = explainFailure(e, config);
    if (explained) throw new ConfigurationError(explained);
    return; // ResourceNotFoundException, or any AWS error: the endpoint speaks the protocol
  }
  const body = terminal(log.exchanges.at(-1)?.response.slice(0, 60) ?? '');
  throw new ConfigurationError(`${where(config)} answered DescribeDatasetImportJob of a job that does not exist with success (${body}): it does not behave like Personalize, so no scenario could arrange data. Check ${ENDPOINT_VARIABLE}.`);
}
