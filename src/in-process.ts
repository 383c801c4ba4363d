/**
 * An SDK request handler that hands each request to a function in this process instead of a
 * socket. The SDK's whole middleware stack still runs (serialisation, signing, retries,
 * deserialisation); only the transport is replaced. The mock target puts the reference service
 * behind it, and the bench measures a bare one (a canned answer) as the per-call floor.
 */
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpHandlerOptions, HttpRequest, HttpResponse } from '@smithy/types';

/** An SDK request handler (the HttpHandler interface): what the SDK's node handler offers a client. */
export type SdkHttpHandler = Pick<NodeHttpHandler, 'handle' | 'updateHttpClientConfig' | 'httpHandlerConfigs' | 'destroy'>;

export interface InProcessRequest {
  method: string;
  /** Path and query, as an HTTP request line carries them. */
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface InProcessAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function pathOf(request: HttpRequest): string {
  const query = Object.entries(request.query ?? {})
    .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => (x === null ? encodeURIComponent(k) : `${encodeURIComponent(k)}=${encodeURIComponent(x)}`)));
  return (request.path || '/') + (query.length ? `?${query.join('&')}` : '');
}

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  // By its bytes: the SDK's JSON body is a Uint8Array whose valueOf() would warn and convert.
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  // awsJson1_1 requests always carry a serialised string; a stream would be a new kind of operation.
  throw new TypeError('in-process handler: streaming request bodies are not supported');
}

export class InProcessHttpHandler implements SdkHttpHandler {
  constructor(private readonly answer: (request: InProcessRequest) => InProcessAnswer) {}

  get metadata() {
    return { handlerProtocol: 'in-process' };
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- async as a real handler is: what it throws is a rejection
  async handle(request: HttpRequest, options?: HttpHandlerOptions): Promise<{ response: HttpResponse }> {
    if (options?.abortSignal?.aborted) {
      const aborted = new Error('Request aborted');
      aborted.name = 'AbortError';
      throw aborted;
    }
    const res = this.answer({ method: request.method, path: pathOf(request), headers: { ...request.headers, host: request.hostname }, body: bodyText(request.body) });
    const body = Buffer.from(res.body);
    return {
      response: { statusCode: res.status, headers: { ...res.headers, 'content-length': String(body.length) }, body },
    };
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs() {
    return {};
  }

  destroy(): void {}
}
