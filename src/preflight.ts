/**
 * Before a run against an endpoint or an account: one cheap read, with a short time-out and no
 * retries, so that a wrong endpoint, a refused connection or missing credentials end the run in
 * seconds with one message that says what to check.
 */
import { ListDatasetImportJobsCommand, PersonalizeClient } from '@aws-sdk/client-personalize';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ConfigurationError, type SuiteConfig } from './config';

function where(config: SuiteConfig): string {
  return config.endpoint ? `the endpoint ${config.endpoint}` : `Amazon Personalize in ${config.region}`;
}

export function explainFailure(e: unknown, config: SuiteConfig): string | undefined {
  const err = e as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const text = `${err.name ?? ''} ${err.code ?? ''} ${err.message ?? ''}`;
  const at = where(config);
  if (/ECONNREFUSED/.test(text)) return `Cannot connect to ${at}: connection refused. Is the emulator running on that port? Check AWS_ENDPOINT_URL_PERSONALIZE.`;
  if (/ENOTFOUND|EAI_AGAIN/.test(text)) return `Cannot resolve the host of ${at}. Check AWS_ENDPOINT_URL_PERSONALIZE and your network.`;
  if (/TimeoutError|ETIMEDOUT|timed out|socket hang up|ECONNRESET/i.test(text)) return `No answer from ${at} within a few seconds. Check that the endpoint is up and reachable.`;
  if (/CredentialsProviderError|Could not load credentials|credential/i.test(err.name ?? '') || /Could not load credentials/i.test(text)) {
    return `No AWS credentials found for ${at}: set AWS_PROFILE, log in with SSO, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (an emulator accepts any values).`;
  }
  if (/ExpiredToken|RequestExpired/.test(text)) return `The credentials for ${at} have expired: refresh them (for SSO: aws sso login).`;
  if (/UnrecognizedClient|InvalidSignature|IncompleteSignature|SignatureDoesNotMatch|InvalidClientTokenId/.test(text)) return `${at} rejected the credentials (${err.name}). Check the access key and secret.`;
  if (/AccessDenied|NotAuthorized/.test(text)) return `The credentials have no access to Personalize at ${at} (${err.name}): the suite needs personalize:List*, Describe* and, to arrange data, Create*/Delete*.`;
  if (/NetConnectNotAllowedError/.test(text)) return `The network is locked (nock) in this process, so ${at} cannot be reached.`;
  if (err.$metadata?.httpStatusCode && err.$metadata.httpStatusCode >= 500) return `${at} answered HTTP ${err.$metadata.httpStatusCode} to a plain ListDatasetImportJobs request (${err.name}: ${err.message}).`;
  return undefined;
}

/** Resolves when the target answers a plain listing (with any answer but an error of access or transport). */
export async function preflight(config: SuiteConfig): Promise<void> {
  const client = new PersonalizeClient({
    region: config.region,
    ...(config.endpoint && { endpoint: config.endpoint }),
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 3000, requestTimeout: 8000 }),
  });
  try {
    await client.send(new ListDatasetImportJobsCommand({ maxResults: 1 }));
  } catch (e) {
    const explained = explainFailure(e, config);
    if (explained) throw new ConfigurationError(explained);
    const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (!err.name || err.name === 'UnknownError' || err.name === 'Unknown' || err.name === 'SyntaxError') {
      throw new ConfigurationError(`${where(config)} answered a plain ListDatasetImportJobs request with HTTP ${err.$metadata?.httpStatusCode ?? '?'} and no AWS error type: is this a Personalize endpoint? Check AWS_ENDPOINT_URL_PERSONALIZE.`);
    }
    // Any other answer is the endpoint speaking the protocol: the suite itself will judge it.
  } finally {
    client.destroy();
  }
}
