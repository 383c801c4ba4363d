/**
 * Every response body that comes over the wire is validated against its JSON Schema here, before
 * the SDK parses it: an HTTP handler wraps the SDK's own and buffers each body. Each exchange
 * (request body, status, response body) is kept in the log of the scenario that made it, so a
 * finding can show the exchanges that decided it. Steps never have to remember to validate.
 *
 * Nothing here is global: each SDK client gets a handler bound to one scope (a scenario's log,
 * abort signal and the run's call governor), made by the World or by the run's arranging.
 */
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpHandlerOptions, HttpResponse } from '@smithy/types';
import { InProcessHttpHandler, type SdkHttpHandler } from './in-process';
import { checkBody, checkErrorBody, hasSchema } from '../schemas';
import type { CallGovernor } from './budget';
import type { Exchange } from './verdict';

type HttpRequest = Parameters<NodeHttpHandler['handle']>[0];

// The response body cap is a setting (CONFORMANCE_MAX_RESPONSE_BYTES): its default lives in the settings table.
import { DEFAULT_MAX_RESPONSE_BYTES } from './settings';
export { DEFAULT_MAX_RESPONSE_BYTES };

/** Bytes of bodies a scenario's log keeps whole; past it, bodies are kept cut (judging reads what the SDK parsed, not these). */
const KEPT_BODY_BYTES = 8 * 1024 * 1024;
/** What is kept of one body once the budget is spent. */
const CUT_BODY_BYTES = 16 * 1024;

/** One schema violation or observation, located, so that src/report charges it to the requirement of its field. */
export interface Breach {
  /** "ListDatasetImportJobs response", "ListDatasetImportJobs error", "ListDatasetImportJobs request". */
  body: string;
  pointer: string;
  keyword: string;
  text: string;
  /** The exchange it was seen in (Exchange.n). */
  exchange?: number;
}

/** Null members of a body and whether the body was too deep to look into whole. */
interface NullScan {
  value: unknown;
  nulls: string[];
}

/**
 * The body with its null members left out, and where they were: clients read `"member": null`
 * as absent (Smithy protocol test AwsJson11StructuresDontDeserializeNullValues), so the schema
 * judges what a client reads; that a server sent nulls is a finding of its own. Iterative, so
 * that no nesting, however deep, can overflow the stack.
 */
export function withoutNulls(value: unknown): NullScan {
  const nulls: string[] = [];
  const copyOf = (v: unknown): unknown => (Array.isArray(v) ? [] : v !== null && typeof v === 'object' ? {} : v);
  const root = copyOf(value);
  const stack: { from: unknown; into: unknown; pointer: string }[] = [{ from: value, into: root, pointer: '' }];
  while (stack.length) {
    const { from, into, pointer } = stack.pop()!;
    if (Array.isArray(from)) {
      from.forEach((v, i) => {
        if (v === null) return void nulls.push(`${pointer}/${i}`);
        const copy = copyOf(v);
        (into as unknown[]).push(copy); // into is from's copy: an array as from is
        if (copy !== v) stack.push({ from: v, into: copy, pointer: `${pointer}/${i}` });
      });
    } else if (from !== null && typeof from === 'object') {
      for (const [k, v] of Object.entries(from)) {
        if (v === null) {
          nulls.push(`${pointer}/${k}`);
          continue;
        }
        const copy = copyOf(v);
        (into as Record<string, unknown>)[k] = copy; // into is from's copy: an object as from is
        if (copy !== v) stack.push({ from: v, into: copy, pointer: `${pointer}/${k}` });
      }
    }
  }
  return { value: root, nulls };
}

/** What the wire showed during one scenario (or during the run's arranging of shared data). */
export class WireLog {
  readonly exchanges: Exchange[] = [];
  readonly breaches: Breach[] = [];
  /** Null members servers sent: "ListDatasetImportJobs response /nextToken", with the exchange. */
  readonly nullMembers: { text: string; exchange: number }[] = [];
  readonly unknownMembers = new Set<string>();
  validatedBodies = 0;
  private keptBytes = 0;

  /** Keeps an exchange, judges its body against its schema, and returns it. */
  record(x: { operation: string; request: string; status: number | null; errorType?: string; body: string; transportError?: string; serverDate?: number }): Exchange {
    const bytes = Buffer.byteLength(x.body);
    const whole = this.keptBytes + bytes <= KEPT_BODY_BYTES;
    if (whole) this.keptBytes += bytes;
    const exchange: Exchange = {
      n: this.exchanges.length + 1,
      operation: x.operation,
      request: x.request,
      status: x.status,
      ...(x.errorType !== undefined && { errorType: x.errorType }),
      response: whole ? x.body : x.body.slice(0, CUT_BODY_BYTES),
      responseBytes: bytes,
      ...(!whole && bytes > CUT_BODY_BYTES && { truncated: true }),
      ...(x.transportError !== undefined && { transportError: x.transportError }),
      ...(x.serverDate !== undefined && { serverDate: x.serverDate }),
    };
    this.exchanges.push(exchange);
    if (x.status !== null) this.judge(exchange, x.body);
    return exchange;
  }

  private judge(exchange: Exchange, text: string): void {
    const isError = exchange.status! >= 300;
    const body = `${exchange.operation} ${isError ? 'error' : 'response'}`;
    let parsed: unknown;
    try {
      parsed = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      this.breaches.push({ body, pointer: '', keyword: 'json', text: 'the body is not JSON', exchange: exchange.n });
      return;
    }
    // A body whose text has no "null" has no null member: it is judged as it came.
    if (text.includes('null')) {
      const stripped = withoutNulls(parsed);
      parsed = stripped.value;
      for (const n of stripped.nulls) this.nullMembers.push({ text: `${body} ${n}`, exchange: exchange.n });
    }
    if (!isError && !hasSchema(exchange.operation)) return;
    const check = isError ? checkErrorBody(parsed) : checkBody(exchange.operation, 'response', parsed);
    this.validatedBodies++;
    for (const i of check.issues) this.breaches.push({ body, ...i, exchange: exchange.n });
    for (const m of check.unknownMembers) this.unknownMembers.add(`${exchange.operation}${isError ? ' error' : ''}: ${m.replace(/\/\d+(?=\/|$)/g, '/*')}`);
  }

  /** The exchange numbered n. */
  exchange(n: number): Exchange | undefined {
    return this.exchanges[n - 1];
  }

  /** The last exchange of an operation. */
  last(operation?: string): Exchange | undefined {
    for (let i = this.exchanges.length - 1; i >= 0; i--) if (!operation || this.exchanges[i].operation === operation) return this.exchanges[i];
    return undefined;
  }

  /**
   * Throttling, server trouble and transport trouble the SDK retried just before the last exchange
   * (or before exchange number `last`):
   * weather, not the endpoint's answer to the request under test (so "not retried" does not count them).
   */
  weatherBeforeLast(last = this.exchanges.length): number {
    let n = 0;
    for (let i = last - 2; i >= 0 && isWeather(this.exchanges[i]); i--) n++;
    return n;
  }
}

/** Error types of throttling (the SDK's throttling codes, and what other AWS services send). */
const THROTTLING_TYPES = new Set(['ThrottlingException', 'Throttling', 'ThrottledException', 'TooManyRequestsException', 'RequestLimitExceeded', 'RequestThrottled', 'RequestThrottledException', 'SlowDown', 'ProvisionedThroughputExceededException', 'BandwidthLimitExceeded', 'TransactionInProgressException', 'EC2ThrottledException', 'PriorRequestNotComplete']);

/** Whether an error type (as the wire or the SDK names it) is throttling. */
export function isThrottlingType(type: string | undefined): boolean {
  return type !== undefined && THROTTLING_TYPES.has(type);
}

/** Throttling, 429, 5xx and no answer at all: what the SDK retries with back-off, and what never counts against a requirement. */
export function isWeather(e: { status: number | null; errorType?: string }): boolean {
  return e.status === null || e.status === 429 || e.status >= 500 || isThrottlingType(e.errorType);
}

/** Where an exchange is recorded, what ends it early, and what admits it: one per SDK client. */
export interface WireScope {
  log: WireLog;
  /** The scenario's (or the arranging's) abort signal: a request started after it fired is not sent. */
  signal?: AbortSignal;
  governor?: CallGovernor;
}

/** The bounds of one exchange (from the suite's configuration). */
export interface WireLimits {
  requestTimeoutMs: number;
  maxResponseBytes: number;
}

const DEFAULT_LIMITS: WireLimits = { requestTimeoutMs: 30_000, maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES };

/** A request that did not end within its time: the SDK retries it as transient (like a socket time-out). */
export class RequestTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(ms: number) {
    super(`no complete answer within ${ms} ms (CONFORMANCE_REQUEST_TIMEOUT_MS)`);
    this.name = 'TimeoutError';
  }
}

/** A response body over the cap: a contract violation, charged to the scenario's requirement. */
export class ResponseTooLargeError extends Error {
  constructor(readonly operation: string, readonly limit: number, readonly exchange: number) {
    super(`${operation} answered with a body larger than ${limit} bytes (CONFORMANCE_MAX_RESPONSE_BYTES); the suite read no further`);
    this.name = 'ResponseTooLarge';
  }
}

/** The whole body, or undefined as soon as it passes `limit` bytes (the stream is then destroyed). */
async function collect(body: unknown, limit: number): Promise<Buffer | undefined> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    const buffer = typeof body === 'string' ? Buffer.from(body) : body;
    return buffer.length > limit ? undefined : buffer;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) { // a response body that is no string or buffer is Node's readable stream
    size += chunk.length;
    if (size > limit) {
      (body as { destroy?: () => void }).destroy?.(); // (the same)
      return undefined;
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/** The error of an aborted request: the signal's reason when it is one, else an AbortError (as the SDK's handlers throw). */
function abortError(reason: unknown): Error {
  if (reason instanceof Error) return reason;
  const e = new Error(typeof reason === 'string' ? reason : 'Request aborted');
  e.name = 'AbortError';
  return e;
}

/** One request's bound: aborts on its time-out or on any of the given signals; says which. */
class RequestBound {
  private readonly controller = new AbortController();
  private readonly timer?: NodeJS.Timeout;
  private readonly unlink: (() => void)[] = [];

  constructor(readonly timeoutMs: number, signals: (AbortSignal | undefined)[]) {
    if (Number.isFinite(timeoutMs)) {
      this.timer = setTimeout(() => this.controller.abort(new RequestTimeoutError(timeoutMs)), timeoutMs);
    }
    for (const s of signals) {
      if (!s) continue;
      if (s.aborted) this.controller.abort(s.reason);
      const onAbort = () => this.controller.abort(s.reason);
      s.addEventListener('abort', onAbort, { once: true });
      this.unlink.push(() => s.removeEventListener('abort', onAbort));
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** `work`, unless the bound fires first; then the bound's reason (a time-out or the caller's abort). */
  race<T>(work: Promise<T>): Promise<T> {
    const signal = this.signal;
    if (signal.aborted) {
      // The work's own rejection (an AbortError) is the same news: never left unhandled, where it would fail whatever step runs next.
      work.catch(() => undefined);
      return Promise.reject(this.reason());
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(this.reason());
      signal.addEventListener('abort', onAbort, { once: true });
      work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  reason(): Error {
    return abortError(this.signal.reason);
  }

  clear(): void {
    clearTimeout(this.timer);
    for (const u of this.unlink) u();
  }
}

export function headerValue(headers: Record<string, string | undefined>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key ? headers[key] : undefined;
}

/** The error type the way the SDK reads it: x-amzn-errortype, then body code, then __type, sanitized. */
export function wireErrorType(headers: Record<string, string | undefined>, body: string): string | undefined {
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(body) as Record<string, unknown>; // an error body is a JSON object; anything else finds no code below
  } catch {
    /* not JSON: no type in the body */
  }
  const codeKey = Object.keys(parsed ?? {}).find((k) => k.toLowerCase() === 'code');
  const raw = headerValue(headers, 'x-amzn-errortype') ?? (codeKey ? parsed[codeKey] : undefined) ?? parsed?.__type;
  if (raw === undefined || raw === null) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- as the SDK reads it: String() of whatever the member holds
  return String(raw).split(',')[0].split(':')[0].split('#').pop();
}

/** The answer's Date header, as ms since the epoch (undefined when absent or unreadable). */
function serverDateOf(headers: Record<string, string | undefined>): number | undefined {
  const text = headerValue(headers, 'date');
  const ms = text === undefined ? NaN : Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

function requestText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  return '';
}

/** The transport handler of a run: a node HTTP handler bounded by the request time-out (connections are shared by every client of the process). */
export function networkHandler(limits: WireLimits): SdkHttpHandler {
  const timeout = Number.isFinite(limits.requestTimeoutMs) ? limits.requestTimeoutMs : undefined;
  return new NodeHttpHandler({ connectionTimeout: Math.min(5000, timeout ?? 5000), requestTimeout: timeout, throwOnRequestTimeout: true });
}

export class ValidatingHttpHandler {
  /**
   * `inner` carries the bytes (a shared network handler, or the in-process mock); `scope` is where
   * this client's exchanges are recorded and what ends them; `limits` bound every exchange (the
   * node handler's own requestTimeout never covers the body).
   */
  constructor(private readonly inner: SdkHttpHandler, private readonly scope: WireScope, private readonly limits: WireLimits = DEFAULT_LIMITS, private readonly ownsInner = false) {}

  get metadata() {
    return { handlerProtocol: 'http/1.1' };
  }

  async handle(request: HttpRequest, options?: HttpHandlerOptions): Promise<{ response: HttpResponse }> {
    const target = headerValue(request.headers, 'x-amz-target') ?? '';
    const operation = target.slice(target.indexOf('.') + 1);
    const sent = requestText(request.body);
    // A request started after the scenario ended (or the run stopped) is not sent at all.
    for (const signal of [options?.abortSignal as AbortSignal | undefined, this.scope.signal]) if (signal?.aborted) throw abortError(signal.reason);
    await this.scope.governor?.admit(this.scope.signal);
    let raw: Buffer | undefined;
    let response: HttpResponse;
    let serverDate: number | undefined;
    try {
      if (this.inner instanceof InProcessHttpHandler) {
        // An answer in this process comes at once, whole: nothing to time out or to abort half-way.
        ({ response } = await this.inner.handle(request, options));
        raw = await collect(response.body, this.limits.maxResponseBytes);
        // The mock's clock moves a step per request, far ahead of the wall clock: its Date is kept in the
        // log (the service's time), but hidden from the SDK, whose clock-skew correction would chase it.
        serverDate = serverDateOf(response.headers);
        response.headers = Object.fromEntries(Object.entries(response.headers).filter(([k]) => k.toLowerCase() !== 'date'));
      } else {
        ({ response, raw } = await this.bounded(request, options));
      }
    } catch (e) {
      // No answer: a reset, a time-out, an abort. Kept, so that evidence shows every attempt.
      this.scope.log.record({ operation, request: sent, status: null, body: '', transportError: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
      throw e;
    }
    if (raw === undefined) {
      const x = this.scope.log.record({ operation, request: sent, status: response.statusCode, body: '' });
      throw new ResponseTooLargeError(operation, this.limits.maxResponseBytes, x.n);
    }
    const body = raw.toString('utf8');
    this.scope.log.record({
      operation,
      request: sent,
      status: response.statusCode,
      errorType: response.statusCode >= 300 ? wireErrorType(response.headers, body) : undefined,
      body,
      serverDate: serverDate ?? serverDateOf(response.headers),
    });
    // The SDK reads a body given whole as readily as a stream.
    response.body = raw;
    return { response };
  }

  /** The exchange over the inner handler, within the request's time-out and the caller's and scope's signals. */
  private async bounded(request: HttpRequest, options?: HttpHandlerOptions): Promise<{ response: HttpResponse; raw: Buffer | undefined }> {
    const bound = new RequestBound(this.limits.requestTimeoutMs, [options?.abortSignal as AbortSignal | undefined, this.scope.signal]); // smithy's AbortSignal type is its own; the SDK hands Node's
    let response: HttpResponse | undefined;
    try {
      if (bound.signal.aborted) throw bound.reason();
      ({ response } = await bound.race(this.inner.handle(request, { ...options, abortSignal: bound.signal })));
      const raw = await bound.race(collect(response.body, this.limits.maxResponseBytes));
      return { response, raw };
    } catch (e) {
      // The bound fired: the socket and any body still coming are dropped.
      if (bound.signal.aborted) (response?.body as { destroy?: () => void } | undefined)?.destroy?.();
      throw bound.signal.aborted ? bound.reason() : e;
    } finally {
      bound.clear();
    }
  }

  updateHttpClientConfig(key: never, value: never): void {
    this.inner.updateHttpClientConfig(key, value);
  }

  httpHandlerConfigs() {
    return this.inner.httpHandlerConfigs();
  }

  /** A client's destroy must not close connections other clients share. */
  destroy(): void {
    if (this.ownsInner) this.inner.destroy();
  }
}
