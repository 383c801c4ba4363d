/**
 * What an error thrown in a step means, by its class and fields (never by the words of its
 * message): a broken promise of the scenario's requirement (ContractBreach), or a reason the
 * scenario could not show it (NotShown: weather, the target's trouble, a limit, a stop, or a defect
 * of the suite itself).
 */
import { ResponseTooLargeError, isWeather, isThrottlingType } from '../../src/wire';
import { AbortedError, WaitTimeoutError } from '../../src/wait';
import { ContractBreach, NotShown, Weather } from '../../src/verdict';
import type { WireLog } from '../../src/wire';

/** What the SDK's errors carry (service errors, and errors of its own). */
export interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; attempts?: number };
  $response?: unknown;
}

/** Node's error codes of a connection that broke or never came, and the SDK's names of time-outs and aborts. */
const TRANSPORT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET']);
const TRANSPORT_NAMES = new Set(['TimeoutError', 'AbortError', 'RequestTimeout', 'NetworkingError']);

export function isTransportTrouble(e: SdkError): boolean {
  return e.$metadata?.httpStatusCode === undefined && (TRANSPORT_CODES.has(e.code ?? '') || TRANSPORT_NAMES.has(e.name ?? ''));
}

/** An SDK service error that is throttling or a server error: the endpoint's weather. */
export function isWeatherError(e: SdkError): boolean {
  const status = e.$metadata?.httpStatusCode;
  if (status === undefined) return isTransportTrouble(e);
  return isWeather({ status, errorType: e.name }) || isThrottlingType(e.name);
}

/** "ThrottlingException (HTTP 429)" */
export function describeAnswer(e: SdkError): string {
  const status = e.$metadata?.httpStatusCode;
  return `${e.name ?? 'an error without a type'}${status ? ` (HTTP ${status})` : ''}`;
}

export function weatherOf(e: SdkError, log: WireLog): Weather {
  const last = log.last();
  const attempts = e.$metadata?.attempts;
  const what = isTransportTrouble(e) ? `transport trouble (${e.name}${e.code ? ` ${e.code}` : ''}: ${e.message})` : `${describeAnswer(e)}: throttling or server trouble`;
  return new Weather(`the endpoint answered with ${what} past the SDK's retries${attempts ? ` (${attempts} attempts)` : ''}: not a verdict`, last ? { exchanges: [last.n] } : undefined);
}

/** The meaning of an error a step threw. */
export function classify(e: unknown, log: WireLog): ContractBreach | NotShown {
  if (e instanceof ContractBreach || e instanceof NotShown) return e;
  // A wait or request ended by the scenario's signal: the reason it was given (a stop, a step past its time).
  if (e instanceof AbortedError && e.reason instanceof NotShown) return e.reason;
  // Nothing but a stop (or the scenario's own end) aborts the work of a scenario.
  if (e instanceof AbortedError) return new NotShown('stopped', e.message);
  // The target did not reach a state within the bounded wait: too slow (or stuck) for a verdict.
  if (e instanceof WaitTimeoutError) return new NotShown('target', e.message);
  if (e instanceof ResponseTooLargeError) {
    return new ContractBreach({ expected: `a response body of at most ${e.limit} bytes (a page of 100 jobs is a few tens of KiB)`, observed: e.message, evidence: { exchanges: [e.exchange] } });
  }
  const err = (e ?? {}) as SdkError; // what the SDK throws: its errors' members are read as they come
  if (isWeatherError(err)) return weatherOf(err, log);
  const status = err.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    const last = log.last();
    return new ContractBreach({
      expected: 'the request, which the contract accepts, to succeed',
      observed: `it was refused with ${describeAnswer(err)}: ${err.message ?? ''}`,
      evidence: last ? { exchanges: [last.n] } : undefined,
    });
  }
  if (err.$response !== undefined) {
    const last = log.last();
    return new NotShown('target', `the SDK could not read a response: ${err.message ?? String(e)}`, last ? { exchanges: [last.n] } : undefined);
  }
  return new NotShown('suite', `a defect of the suite: ${err.name ?? 'Error'}: ${err.message ?? String(e)}${e instanceof Error && e.stack ? `\n${e.stack.split('\n').slice(1, 4).join('\n')}` : ''}`);
}
