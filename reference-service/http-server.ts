/**
 * The reference emulator's HTTP transport: a node:http server on loopback in front of the same
 * awsJson1_1 front end the in-process mock uses. It never answers a client's mistake with a 5xx
 * and never lets one request bring it down.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsJsonFrontEnd, CONTENT_TYPE, MAX_BODY_BYTES } from './protocol';

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function clientError(res: ServerResponse, status: number, type: string, message: string): void {
  send(res, status, { 'content-type': CONTENT_TYPE }, JSON.stringify({ __type: type, message }));
}

export function handleHttp(frontEnd: AwsJsonFrontEnd, req: IncomingMessage, res: ServerResponse): void {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    clientError(res, 413, 'RequestEntityTooLargeException', `Request body of ${declared} bytes exceeds ${MAX_BODY_BYTES} bytes.`);
    req.resume();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      if (!tooLarge) clientError(res, 413, 'RequestEntityTooLargeException', `Request body exceeds ${MAX_BODY_BYTES} bytes.`);
      tooLarge = true;
      return;
    }
    chunks.push(chunk);
  });
  req.on('error', (err: NodeJS.ErrnoException) => {
    if (isTimeout(err)) clientError(res, 408, 'RequestTimeoutException', 'The request body did not arrive in time.');
    else clientError(res, 400, 'SerializationException', 'The request body could not be read.');
  });
  req.on('end', () => {
    if (tooLarge) return;
    try {
      const answer = frontEnd.handle({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) });
      send(res, answer.status, answer.headers, answer.body);
    } catch (e) {
      console.error('reference emulator: unexpected failure:', e);
      send(res, 500, { 'content-type': CONTENT_TYPE }, JSON.stringify({ __type: 'InternalFailure', message: 'Internal failure.' }));
    }
  });
}

function isTimeout(err: NodeJS.ErrnoException): boolean {
  return err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || err.code === 'ETIMEDOUT' || err.code === 'ERR_HTTP_HEADERS_TIMEOUT';
}

/** An AWS-shaped answer written straight to a socket (no request object to answer through), then closed. */
function rawAnswer(status: string, type: string, message: string): string {
  const body = JSON.stringify({ __type: type, message });
  return `HTTP/1.1 ${status}\r\ncontent-type: ${CONTENT_TYPE}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
}

/** The bounds of the emulator's transport: slow or greedy clients cannot hold it. */
export interface ServerLimits {
  /** All request headers within this (Node's default is 60 s). */
  headersTimeoutMs: number;
  /** The whole request within this (Node's default is 300 s). */
  requestTimeoutMs: number;
  /** Open connections at once; one more is answered 503 and closed. */
  maxConnections: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, maxConnections: 256 };

export function createEmulatorServer(frontEnd: AwsJsonFrontEnd, limits: Partial<ServerLimits> = {}): Server {
  const l = { ...DEFAULT_SERVER_LIMITS, ...limits };
  const server = createServer({
    keepAliveTimeout: 5000,
    headersTimeout: l.headersTimeoutMs,
    requestTimeout: l.requestTimeoutMs,
    // How often Node looks for requests past their time-outs: often enough for short ones.
    connectionsCheckingInterval: Math.max(100, Math.min(1000, l.headersTimeoutMs / 4)),
  }, (req, res) => handleHttp(frontEnd, req, res));
  let open = 0;
  server.on('connection', (socket) => {
    open++;
    socket.once('close', () => open--);
    if (open > l.maxConnections) {
      socket.end(rawAnswer('503 Service Unavailable', 'ServiceUnavailableException', `The emulator has ${l.maxConnections} open connections, its cap: close idle connections or retry later.`));
    }
  });
  // Malformed HTTP (bad request line, bad headers): 400; headers or a body too slow to arrive: 408.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    socket.end(isTimeout(err)
      ? rawAnswer('408 Request Timeout', 'RequestTimeoutException', 'The request did not arrive in time.')
      : rawAnswer('400 Bad Request', 'SerializationException', 'Malformed HTTP request.'));
  });
  return server;
}

/** Starts the emulator on 127.0.0.1 (port 0: any free port) and resolves with its URL. */
export function listen(server: Server, port: number, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      resolve(`http://${host}:${address.port}`);
    });
  });
}
