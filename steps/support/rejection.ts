/**
 * What "the request is rejected" means, checked on what the SDK made of the error and on what
 * came over the wire. The MUST (LDIJ-ERR-001...007): a client error, HTTP 4xx, that the SDK does
 * not retry. Each error names its type (LDIJ-ERR-008). The SHOULD (LDIJ-ERR-009, -010): the type
 * the model declares, with its status; a message (LDIJ-ERR-011).
 *
 * Weather is never a verdict: throttling (whatever its status) leaves the scenario not shown. A
 * server error is weather too, unless the endpoint keeps giving it to this very request while a
 * plain listing right after succeeds: then it is the endpoint's answer to the request, and not the
 * client error the contract asks for.
 */
import { ListDatasetImportJobsCommand } from '@aws-sdk/client-personalize';
import { errorStatus, isModelledError } from '../../schemas/error-types';
import { ContractBreach, NotShown, Weather, type EvidenceRef } from '../../src/verdict';
import { isThrottlingType } from '../../src/wire';
import type { Exchange } from '../../src/verdict';
import { describeAnswer, isTransportTrouble, weatherOf, type SdkError } from './classify';
import type { ConformanceWorld } from './world';

export const OPERATION = 'ListDatasetImportJobs';

/** A Smithy shape name (smithy-lang/smithy IDL: identifier = (ALPHA / "_") *(ALPHA / DIGIT / "_")). */
const SHAPE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The last `n` exchanges of the operation: the attempts of its last call, oldest first. */
/** The attempts of the rejected call: the last `n` exchanges of the operation up to the one that carried the rejection. */
function rejectedAttempts(world: ConformanceWorld, n: number): Exchange[] {
  const upTo = world.observed.rejectionExchange ?? world.wire.exchanges.length;
  return world.wire.exchanges.slice(0, upTo).filter((x) => x.operation === OPERATION).slice(-n);
}

function describeExchange(x: Exchange): string {
  return x.status === null ? `no answer (${x.transportError ?? 'transport trouble'})` : `HTTP ${x.status}${x.errorType ? ` ${x.errorType}` : ''}`;
}

/** The exchanges of the rejected call (all its attempts), as evidence. */
function attemptsEvidence(world: ConformanceWorld, error: SdkError): EvidenceRef {
  const attempts = rejectedAttempts(world, error.$metadata?.attempts ?? 1);
  return { exchanges: attempts.map((x) => x.n), notes: Object.fromEntries(attempts.map((x, i) => [x.n, `attempt ${i + 1} of ${attempts.length}`])) };
}

/** The error a Then step judges; a success where a rejection was due fails. */
export function theRejection(world: ConformanceWorld): SdkError {
  world.rejectionChecked = true;
  const rejection = world.observed.rejection as SdkError | undefined; // a rejection is what the SDK threw
  if (rejection) return rejection;
  const last = world.wire.last(OPERATION);
  throw new ContractBreach({
    expected: 'the request to be rejected as a client error',
    observed: 'the request succeeded',
    evidence: last ? { exchanges: [last.n] } : undefined,
  });
}

/**
 * Weather, or the endpoint's answer: throttling and transport trouble are weather; a server error
 * is weather unless a plain listing sent right after succeeds (then the error is this request's answer).
 */
async function weatherOrAnswer(world: ConformanceWorld, error: SdkError): Promise<Weather | undefined> {
  if (isTransportTrouble(error) || isThrottlingType(error.name) || error.$metadata?.httpStatusCode === 429) return weatherOf(error, world.wire);
  const status = error.$metadata?.httpStatusCode ?? 0;
  if (status < 500) return undefined;
  try {
    await world.client().send(new ListDatasetImportJobsCommand({ maxResults: 1 }));
    return undefined;
  } catch {
    return weatherOf(error, world.wire);
  }
}

/** MUST (LDIJ-ERR-002): the request succeeds; a refusal that is weather says nothing either way. */
export async function assertAccepted(world: ConformanceWorld): Promise<void> {
  world.rejectionChecked = true;
  const error = world.observed.rejection as SdkError | undefined; // a rejection is what the SDK threw
  if (!error) return;
  const weather = await weatherOrAnswer(world, error);
  if (weather) throw weather;
  throw new ContractBreach({ expected: 'the request succeeds', observed: `it was rejected with ${describeAnswer(error)}: ${error.message ?? ''}`, evidence: attemptsEvidence(world, error) });
}

/** MUST: an HTTP 4xx client error that the SDK sent once. Names what made the SDK retry, where it did. */
export async function assertClientError(world: ConformanceWorld): Promise<void> {
  const error = theRejection(world);
  const weather = await weatherOrAnswer(world, error);
  if (weather) throw weather;
  const status = error.$metadata?.httpStatusCode;
  const evidence = attemptsEvidence(world, error);
  if (status === undefined || status < 400 || status >= 500 || error.$fault !== 'client') {
    throw new ContractBreach({
      expected: 'a client error: an HTTP 4xx status',
      observed: `${describeAnswer(error)} as a ${error.$fault ?? 'non-service'} fault: ${error.message ?? ''}`,
      evidence,
    });
  }
  const attempts = error.$metadata?.attempts ?? 1;
  // Throttling and server trouble just before the answer are weather (src/wire.ts), not a retry of this error.
  if (attempts - world.wire.weatherBeforeLast(world.observed.rejectionExchange) > 1) {
    const seen = rejectedAttempts(world, attempts);
    const causes = seen.slice(0, -1).map(describeExchange);
    throw new ContractBreach({
      expected: 'a client error that the SDK does not retry',
      observed: `the SDK sent the request ${attempts} times: it retried after ${causes.join(', ')}; the last answer was ${describeAnswer(error)}`,
      evidence,
    });
  }
}

/**
 * The client error whose shape a SHOULD or MUST about error bodies judges: where the endpoint
 * accepted the request, or answered it with a server error, there is no client error to judge (that
 * is the finding of the requirement about the input itself), and the scenario is not shown.
 */
async function clientErrorExchange(world: ConformanceWorld): Promise<Exchange> {
  world.rejectionChecked = true;
  const error = world.observed.rejection as SdkError | undefined; // a rejection is what the SDK threw
  const exchange = world.observed.rejectionExchange !== undefined ? world.wire.exchange(world.observed.rejectionExchange) : undefined;
  if (!error) {
    const last = world.wire.last(OPERATION);
    throw new NotShown('target', 'the endpoint accepted the request, so there is no error to judge (that it accepted it is the finding of the requirement about that input)', last ? { exchanges: [last.n] } : undefined);
  }
  const weather = await weatherOrAnswer(world, error);
  if (weather) throw weather;
  if (!exchange || exchange.status === null || exchange.status < 400 || exchange.status >= 500) {
    throw new NotShown('target', `the endpoint answered with ${describeAnswer(error)}, not a client error, so the shape of a client error cannot be judged (that is the finding of the requirement about that input)`, exchange ? { exchanges: [exchange.n] } : undefined);
  }
  return exchange;
}

/** MUST: the error names its type on the wire (header, code or __type). */
export async function assertNamed(world: ConformanceWorld): Promise<void> {
  const exchange = await clientErrorExchange(world);
  if (!exchange.errorType) {
    throw new ContractBreach({ expected: 'the error names its type (__type, code or X-Amzn-Errortype)', observed: `the error response (${describeExchange(exchange)}) names no type`, evidence: { exchanges: [exchange.n] } });
  }
  // What names a type is a Smithy shape name (after the namespace and any ":uri" suffix are taken off, as clients do).
  if (!SHAPE_NAME.test(exchange.errorType)) {
    throw new ContractBreach({ expected: 'the error names its type: a shape name such as InvalidInputException', observed: `the error response (HTTP ${exchange.status}) names its type ${JSON.stringify(exchange.errorType)}, which is no shape name`, evidence: { exchanges: [exchange.n] } });
  }
}

/** SHOULD: the error carries a message (the model's message member is not required). */
export async function assertMessage(world: ConformanceWorld): Promise<void> {
  const exchange = await clientErrorExchange(world);
  let body: Record<string, unknown> = {};
  try {
    body = (JSON.parse(exchange.response || '{}') ?? {}) as Record<string, unknown>; // an error body; a member of anything else reads as undefined
  } catch {
    /* not JSON: no message (the schema break is LDIJ-ERR-008's and RESP-010's) */
  }
  const message = body.message ?? body.Message;
  if (typeof message !== 'string' || message.trim() === '') {
    throw new ContractBreach({ expected: 'the error carries a message saying what is wrong', observed: `the error response (${describeExchange(exchange)}) carries no message`, evidence: { exchanges: [exchange.n] } });
  }
}

/** SHOULD: the error type the model declares, with the HTTP status the model gives it. */
export async function assertDeclaredType(world: ConformanceWorld, type: string): Promise<void> {
  world.rejectionChecked = true;
  if (!world.observed.rejection) {
    const last = world.wire.last(OPERATION);
    throw new NotShown('target', 'the endpoint accepted the request, so there is no error type to judge (that it accepted it is the finding of the requirement about that input)', last ? { exchanges: [last.n] } : undefined);
  }
  const error = theRejection(world);
  const weather = await weatherOrAnswer(world, error);
  if (weather) throw weather;
  if (!isModelledError(type)) throw new Error(`${type} is not an error of the model (schemas/errors.json).`);
  const evidence = attemptsEvidence(world, error);
  if (error.name !== type) throw new ContractBreach({ expected: `${type}, the type the model declares`, observed: `${describeAnswer(error)}: ${error.message ?? ''}`, evidence });
  const expected = errorStatus(type);
  if (error.$metadata?.httpStatusCode !== expected) throw new ContractBreach({ expected: `${type} with HTTP ${expected}, the status the model gives it`, observed: `${type} came with HTTP ${error.$metadata?.httpStatusCode}`, evidence });
}
