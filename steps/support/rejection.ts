/**
 * What "the request is rejected" means, checked on what the SDK made of the error and on what
 * came over the wire. The MUST (LDIJ-ERR-001...007): a client error, HTTP 4xx, that the SDK does
 * not retry. Each error names its type and carries a message (LDIJ-ERR-008). The SHOULD
 * (LDIJ-ERR-009, -010): the type the model declares, with its status.
 */
import { errorStatus, isModelledError } from '../../schemas/error-types';
import type { WireExchange, WireLog } from '../../src/wire';

export const OPERATION = 'ListDatasetImportJobs';

export interface SdkError {
  name?: string;
  message?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

/** The error a Then step judges; a success where a rejection was due fails. */
export function theRejection(rejection: unknown): SdkError {
  if (!rejection) throw new Error('The request succeeded, but the contract says it must be rejected.');
  return rejection as SdkError;
}

/** The last `n` exchanges of the operation: the attempts of its last call, oldest first. */
function lastAttempts(log: WireLog, n: number): WireExchange[] {
  return log.exchanges.filter((x) => x.operation === OPERATION).slice(-n);
}

function describeExchange(x: WireExchange): string {
  return `HTTP ${x.status}${x.errorType ? ` ${x.errorType}` : ''}`;
}

/** MUST: an HTTP 4xx client error that the SDK sent once. Names what made the SDK retry, where it did. */
export function assertClientError(rejection: unknown, log: WireLog): void {
  const error = theRejection(rejection);
  const status = error.$metadata?.httpStatusCode;
  if (status === undefined || status < 400 || status >= 500 || error.$fault !== 'client') {
    throw new Error(`Expected a client error (HTTP 4xx), got ${error.name ?? 'an error without a type'} as a ${error.$fault ?? 'non-service'} fault with HTTP ${status ?? 'no status'}: ${error.message}`);
  }
  const attempts = error.$metadata?.attempts ?? 1;
  // Throttling and server trouble just before the answer are weather (src/wire.ts), not a retry of this error.
  if (attempts - log.weatherBeforeLast() > 1) {
    const seen = lastAttempts(log, attempts);
    const causes = seen.slice(0, -1).map(describeExchange);
    const noResponse = attempts - seen.length;
    if (noResponse > 0) causes.push(`${noResponse} attempt${noResponse > 1 ? 's' : ''} without a response (a reset or a time-out)`);
    throw new Error(`The SDK sent the request ${attempts} times: it retried after ${causes.join(', ')}; the last answer was ${error.name} with HTTP ${status}.`);
  }
}

/** MUST: the error names its type on the wire and carries a message. */
export function assertNamedWithMessage(rejection: unknown, log: WireLog): void {
  theRejection(rejection);
  const exchange = lastAttempts(log, 1)[0];
  if (!exchange || exchange.status < 300) throw new Error('No error response came over the wire.');
  const problems: string[] = [];
  if (!exchange.errorType) problems.push('names no error type (no __type, code or X-Amzn-Errortype)');
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(exchange.body || '{}') ?? {};
  } catch {
    problems.push('is not JSON');
  }
  const message = body.message ?? body.Message;
  if (typeof message !== 'string' || message.trim() === '') problems.push('carries no message');
  if (problems.length) throw new Error(`The error response (${describeExchange(exchange)}) ${problems.join(' and ')}: ${exchange.body.slice(0, 200)}`);
}

/** SHOULD: the error type the model declares, with the HTTP status the model gives it. */
export function assertDeclaredType(rejection: unknown, type: string): void {
  const error = theRejection(rejection);
  if (!isModelledError(type)) throw new Error(`${type} is not an error of the model (schemas/errors.json).`);
  if (error.name !== type) throw new Error(`Expected ${type}, the type the model declares, got ${error.name ?? 'an error without a type'} (HTTP ${error.$metadata?.httpStatusCode}): ${error.message}`);
  const expected = errorStatus(type);
  if (error.$metadata?.httpStatusCode !== expected) throw new Error(`${type} came with HTTP ${error.$metadata?.httpStatusCode}; the model gives it ${expected}.`);
}
