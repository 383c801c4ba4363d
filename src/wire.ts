/**
 * Every response body that comes over the wire is validated against its JSON Schema here, before
 * the SDK parses it: an HTTP handler wraps the SDK's own and buffers each body. Steps never have
 * to remember to validate; a scenario fails (in its After hook at the latest) on any violation.
 */
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpHandlerOptions, HttpResponse } from '@smithy/types';
import { InProcessHttpHandler, type SdkHttpHandler } from './in-process';

type HttpRequest = Parameters<NodeHttpHandler['handle']>[0];
import { checkBody, checkErrorBody, hasSchema } from '../schemas';
import { governor } from './budget';
import { DEFAULT_MAX_RESPONSE_BYTES } from './config';

export interface WireExchange {
  operation: string;
  status: number;
  /** The error type as the wire carries it (header, code or __type), for error responses. */
  errorType?: string;
  body: string;
}

/** One schema violation, located, so that src/report.ts can charge it to the requirement of its field. */
export interface Breach {
  /** "ListDatasetImportJobs response", "ListDatasetImportJobs error", ... */
  body: string;
  pointer: string;
  keyword: string;
  text: string;
}

/**
 * The body with its null members left out, and where they were: clients read `"member": null`
 * as absent (Smithy protocol test AwsJson11StructuresDontDeserializeNullValues), so the schema
 * judges what a client reads; that a server sent nulls is a finding of its own.
 */
export function withoutNulls(value: unknown, pointer = '', nulls: string[] = []): { value: unknown; nulls: string[] } {
  if (Array.isArray(value)) {
    const kept = value.filter((v, i) => (v === null ? (nulls.push(`${pointer}/${i}`), false) : true));
    return { value: kept.map((v, i) => withoutNulls(v, `${pointer}/${i}`, nulls).value), nulls };
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === null) nulls.push(`${pointer}/${k}`);
      else out[k] = withoutNulls(v, `${pointer}/${k}`, nulls).value;
    }
    return { value: out, nulls };
  }
  return { value, nulls };
}

/** What the wire showed during one scenario. */
export class WireLog {
  readonly exchanges: WireExchange[] = [];
  readonly violations: string[] = [];
  readonly breaches: Breach[] = [];
  /** Null members servers sent ("ListDatasetImportJobs response /nextToken"). */
  readonly nullMembers: string[] = [];
  readonly unknownMembers = new Set<string>();
  validatedBodies = 0;
  /** Violations already raised by a step (so the After hook does not report them twice). */
  reported = 0;

  record(exchange: WireExchange): void {
    this.exchanges.push(exchange);
    const isError = exchange.status >= 300;
    const body = `${exchange.operation} ${isError ? 'error' : 'response'}`;
    let parsed: unknown;
    try {
      parsed = exchange.body.trim() === '' ? {} : JSON.parse(exchange.body);
    } catch {
      this.violations.push(`${exchange.operation} answered HTTP ${exchange.status} with a body that is not JSON: ${exchange.body.slice(0, 120)}`);
      this.breaches.push({ body, pointer: '', keyword: 'json', text: 'the body is not JSON' });
      return;
    }
    // A body whose text has no "null" has no null member: it is judged as it came.
    if (exchange.body.includes('null')) {
      const stripped = withoutNulls(parsed);
      parsed = stripped.value;
      for (const n of stripped.nulls) this.nullMembers.push(`${body} ${n}`);
    }
    if (!isError && !hasSchema(exchange.operation)) return;
    const check = isError ? checkErrorBody(parsed) : checkBody(exchange.operation, 'response', parsed);
    this.validatedBodies++;
    for (const e of check.errors) {
      this.violations.push(`${exchange.operation} ${isError ? 'error' : 'response'} body (HTTP ${exchange.status}) does not match its schema: ${e}`);
    }
    for (const i of check.issues) this.breaches.push({ body, ...i });
    for (const m of check.unknownMembers) this.unknownMembers.add(`${exchange.operation}${isError ? ' error' : ''}: ${m.replace(/\/\d+(?=\/|$)/g, '/*')}`);
  }

  /**
   * Throttling and server trouble the SDK retried just before the last exchange: weather, not
   * the endpoint's answer to the request under test (so "not retried" does not count them).
   */
  weatherBeforeLast(): number {
    let n = 0;
    for (let i = this.exchanges.length - 2; i >= 0 && isWeather(this.exchanges[i]); i--) n++;
    return n;
  }

  /** Violations not yet raised, marking them raised. */
  takeNewViolations(): string[] {
    const fresh = this.violations.slice(this.reported);
    this.reported = this.violations.length;
    return fresh;
  }

}

/** Throttling, 429 and 5xx: what the SDK retries with back-off, and what never counts against a requirement. */
export function isWeather(e: { status: number; errorType?: string }): boolean {
  return e.status === 429 || e.status >= 500 || /Throttl|TooManyRequests|RequestLimitExceeded/.test(e.errorType ?? '');
}

/**
 * Where the handler records, and the running scenario's abort signal: the World points both at
 * its own, so a step that timed out (or a run that is stopping) cancels every request it still makes.
 */
export const wire: { log: WireLog; signal?: AbortSignal } = { log: new WireLog() };

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
  constructor(readonly operation: string, readonly limit: number) {
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
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    size += chunk.length;
    if (size > limit) {
      (body as { destroy?: () => void }).destroy?.();
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
  timedOut = false;

  constructor(readonly timeoutMs: number, signals: (AbortSignal | undefined)[]) {
    if (Number.isFinite(timeoutMs)) {
      this.timer = setTimeout(() => {
        this.timedOut = true;
        this.controller.abort(new RequestTimeoutError(timeoutMs));
      }, timeoutMs);
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

function headerValue(headers: Record<string, string | undefined>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key ? headers[key] : undefined;
}

/** The error type the way the SDK reads it: x-amzn-errortype, then body code, then __type, sanitized. */
export function wireErrorType(headers: Record<string, string | undefined>, body: string): string | undefined {
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(body);
  } catch {
    /* not JSON: no type in the body */
  }
  const codeKey = Object.keys(parsed ?? {}).find((k) => k.toLowerCase() === 'code');
  const raw = headerValue(headers, 'x-amzn-errortype') ?? (codeKey ? parsed[codeKey] : undefined) ?? parsed?.__type;
  if (raw === undefined || raw === null) return undefined;
  return String(raw).split(',')[0].split(':')[0].split('#').pop();
}

export class ValidatingHttpHandler  {
  private readonly inner: SdkHttpHandler;

  /**
   * `limits` bound every exchange: the request is aborted after `requestTimeoutMs` (the handler's
   * own requestTimeout only warns unless throwOnRequestTimeout is set, and never covers the body).
   */
  constructor(inner?: SdkHttpHandler, private readonly limits: WireLimits = DEFAULT_LIMITS) {
    const timeout = Number.isFinite(limits.requestTimeoutMs) ? limits.requestTimeoutMs : undefined;
    this.inner = inner ?? new NodeHttpHandler({ connectionTimeout: Math.min(5000, timeout ?? 5000), requestTimeout: timeout, throwOnRequestTimeout: true });
  }

  get metadata() {
    return { handlerProtocol: 'http/1.1' };
  }

  async handle(request: HttpRequest, options?: HttpHandlerOptions): Promise<{ response: HttpResponse }> {
    const target = headerValue(request.headers, 'x-amz-target') ?? '';
    const operation = target.slice(target.indexOf('.') + 1);
    await governor.current.admit();
    let raw: Buffer | undefined;
    let response: HttpResponse;
    if (this.inner instanceof InProcessHttpHandler) {
      // An answer in this process comes at once, whole: nothing to time out or to abort half-way.
      for (const signal of [options?.abortSignal as AbortSignal | undefined, wire.signal]) if (signal?.aborted) throw abortError(signal.reason);
      ({ response } = await this.inner.handle(request, options));
      raw = await collect(response.body, this.limits.maxResponseBytes);
    } else {
      ({ response, raw } = await this.bounded(request, options));
    }
    if (raw === undefined) {
      const error = new ResponseTooLargeError(operation, this.limits.maxResponseBytes);
      wire.log.exchanges.push({ operation, status: response.statusCode, body: '' });
      wire.log.violations.push(error.message);
      throw error;
    }
    const body = raw.toString('utf8');
    wire.log.record({
      operation,
      status: response.statusCode,
      errorType: response.statusCode >= 300 ? wireErrorType(response.headers, body) : undefined,
      body,
    });
    // The SDK reads a body given whole as readily as a stream.
    response.body = raw;
    return { response };
  }

  /** The exchange over the inner handler, within the request's time-out and the caller's and scenario's signals. */
  private async bounded(request: HttpRequest, options?: HttpHandlerOptions): Promise<{ response: HttpResponse; raw: Buffer | undefined }> {
    const bound = new RequestBound(this.limits.requestTimeoutMs, [options?.abortSignal as AbortSignal | undefined, wire.signal]);
    let raw: Buffer | undefined;
    let response: HttpResponse;
    try {
      // Aborted already (a stopping run, a step past its time-out): nothing is sent.
      if (bound.signal.aborted) throw bound.reason();
      ({ response } = await bound.race(this.inner.handle(request, { ...options, abortSignal: bound.signal })));
      raw = await bound.race(collect(response.body, this.limits.maxResponseBytes));
    } catch (e) {
      // The bound fired: the socket and any body still coming are dropped.
      if (bound.signal.aborted) (response! as HttpResponse | undefined)?.body?.destroy?.();
      throw bound.signal.aborted ? bound.reason() : e;
    } finally {
      bound.clear();
    }
    return { response, raw };
  }

  updateHttpClientConfig(key: never, value: never): void {
    this.inner.updateHttpClientConfig(key, value);
  }

  httpHandlerConfigs() {
    return this.inner.httpHandlerConfigs();
  }

  destroy(): void {
    this.inner.destroy();
  }
}
