/**
 * Every response body that comes over the wire is validated against its JSON Schema here, before
 * the SDK parses it: an HTTP handler wraps the SDK's own and buffers each body. Steps never have
 * to remember to validate; a scenario fails (in its After hook at the latest) on any violation.
 */
import { Readable } from 'node:stream';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpHandlerOptions, HttpResponse } from '@smithy/types';

type HttpRequest = Parameters<NodeHttpHandler['handle']>[0];
import { checkBody, checkErrorBody, hasSchema } from '../schemas';
import { governor } from './budget';

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
    const stripped = withoutNulls(parsed);
    parsed = stripped.value;
    for (const n of stripped.nulls) this.nullMembers.push(`${body} ${n}`);
    if (!isError && !hasSchema(exchange.operation)) return;
    const check = isError ? checkErrorBody(parsed) : checkBody(exchange.operation, 'response', parsed);
    this.validatedBodies++;
    for (const e of check.errors) {
      this.violations.push(`${exchange.operation} ${isError ? 'error' : 'response'} body (HTTP ${exchange.status}) does not match its schema: ${e}`);
    }
    for (const i of check.issues) this.breaches.push({ body, ...i });
    for (const m of check.unknownMembers) this.unknownMembers.add(`${exchange.operation}${isError ? ' error' : ''}: ${m.replace(/\/\d+(?=\/|$)/g, '/*')}`);
  }

  /** Violations not yet raised, marking them raised. */
  takeNewViolations(): string[] {
    const fresh = this.violations.slice(this.reported);
    this.reported = this.violations.length;
    return fresh;
  }

}

/** Where the handler records; the World points it at the running scenario's log. */
export const wire: { log: WireLog } = { log: new WireLog() };

async function collect(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  if (Buffer.isBuffer(body)) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
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
  private readonly inner: NodeHttpHandler;

  constructor(inner?: NodeHttpHandler) {
    this.inner = inner ?? new NodeHttpHandler({ connectionTimeout: 5000, requestTimeout: 30_000 });
  }

  get metadata() {
    return { handlerProtocol: 'http/1.1' };
  }

  async handle(request: HttpRequest, options?: HttpHandlerOptions): Promise<{ response: HttpResponse }> {
    const target = headerValue(request.headers, 'x-amz-target') ?? '';
    const operation = target.slice(target.indexOf('.') + 1);
    await governor.current.admit();
    const { response } = await this.inner.handle(request, options);
    const raw = await collect(response.body);
    const body = raw.toString('utf8');
    wire.log.record({
      operation,
      status: response.statusCode,
      errorType: response.statusCode >= 300 ? wireErrorType(response.headers, body) : undefined,
      body,
    });
    response.body = Readable.from([raw]);
    return { response };
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
