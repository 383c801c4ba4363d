/**
 * What "the request is rejected with X" means: a complete AWS error, checked on what the SDK made
 * of it and on what came over the wire.
 */
import { declaredErrors, errorFault, errorStatus } from '../../schemas/error-types';
import type { WireExchange, WireLog } from '../../src/wire';

export const OPERATION = 'ListDatasetImportJobs';

interface SdkError {
  name?: string;
  message?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

/** Describes a result that should have been an error. */
function unexpectedSuccess(): Error {
  return new Error('The request succeeded, but the contract says it must be rejected.');
}

export function lastErrorExchange(log: WireLog): WireExchange | undefined {
  return [...log.exchanges].reverse().find((x) => x.operation === OPERATION && x.status >= 300);
}

/** Each part of a complete error, as separately checkable facts. */
export const errorChecks = {
  declaredType(error: SdkError, allowed: readonly string[]): void {
    if (!error.name || !allowed.includes(error.name)) {
      throw new Error(`Expected ${allowed.join(' or ')}, got ${error.name ?? 'an error without a type'}${error.$metadata?.httpStatusCode ? ` (HTTP ${error.$metadata.httpStatusCode})` : ''}: ${error.message}`);
    }
    if (error.$fault !== errorFault(error.name)) throw new Error(`${error.name} arrived as a ${error.$fault} fault; the model declares it a ${errorFault(error.name)} error.`);
  },
  status(error: SdkError): void {
    const expected = errorStatus(error.name!);
    const got = error.$metadata?.httpStatusCode;
    if (got !== expected) throw new Error(`${error.name} came with HTTP ${got}; the model gives it ${expected}.`);
  },
  message(exchange: WireExchange | undefined): void {
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(exchange?.body ?? '{}');
    } catch {
      /* the schema check reports a body that is not JSON */
    }
    const message = body.message ?? body.Message;
    if (typeof message !== 'string' || message.trim() === '') throw new Error(`The error body carries no message: ${exchange?.body}`);
  },
  typeOnTheWire(exchange: WireExchange | undefined): void {
    if (!exchange?.errorType) throw new Error(`The error response names no error type (no __type, code or X-Amzn-Errortype): ${exchange?.body}`);
  },
  /** Retries after throttling or a 5xx just before the answer are weather, not the error under test. */
  notRetried(error: SdkError, log?: WireLog): void {
    const attempts = (error.$metadata?.attempts ?? 1) - (log?.weatherBeforeLast() ?? 0);
    if (attempts !== 1) throw new Error(`The SDK sent the request ${attempts} times: a ${error.name} with HTTP ${error.$metadata?.httpStatusCode} made it retry.`);
  },
};

/** All of the above for the last error; `allowed` defaults to the operation's declared errors. */
export function assertCompleteRejection(lastError: unknown, log: WireLog, allowed: readonly string[] = declaredErrors(OPERATION)): void {
  if (!lastError) throw unexpectedSuccess();
  const error = lastError as SdkError;
  const exchange = lastErrorExchange(log);
  errorChecks.declaredType(error, allowed);
  errorChecks.status(error);
  errorChecks.typeOnTheWire(exchange);
  errorChecks.message(exchange);
  errorChecks.notRetried(error, log);
}
