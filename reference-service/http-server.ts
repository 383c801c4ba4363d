/**
 * The reference emulator's HTTP transport: a node:http server on loopback in front of the same
 * awsJson1_1 front end the in-process mock uses. It never answers a client's mistake with a 5xx
 * and never lets one request bring it down.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
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

/** Every socket of each emulator server, so that shutdown can end them whatever they are doing. */
const socketsOf = new WeakMap<Server, Set<Socket>>();
/** How long a connection past the cap may take to read its 503 before it is dropped. */
const OVER_CAP_LINGER_MS = 1000;

export function createEmulatorServer(frontEnd: AwsJsonFrontEnd, limits: Partial<ServerLimits> = {}): Server {
  const l = { ...DEFAULT_SERVER_LIMITS, ...limits };
  const server = createServer({
    keepAliveTimeout: 5000,
    headersTimeout: l.headersTimeoutMs,
    requestTimeout: l.requestTimeoutMs,
    // How often Node looks for requests past their time-outs: often enough for short ones.
    connectionsCheckingInterval: Math.max(100, Math.min(1000, l.headersTimeoutMs / 4)),
  }, (req, res) => handleHttp(frontEnd, req, res));
  const sockets = new Set<Socket>();
  socketsOf.set(server, sockets);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    if (sockets.size > l.maxConnections) {
      socket.end(rawAnswer('503 Service Unavailable', 'ServiceUnavailableException', `The emulator has ${l.maxConnections} open connections, its cap: close idle connections or retry later.`));
      // A client that never reads or closes would hold the socket (and a place under the cap) for minutes.
      setTimeout(() => socket.destroy(), OVER_CAP_LINGER_MS).unref();
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

/** How long requests in flight get to finish when the emulator stops. */
export const SHUTDOWN_GRACE_MS = 1000;

/**
 * Stops a server within about `graceMs`, whatever its connections are doing: it takes no new
 * connection, closes idle keep-alive connections at once, gives requests in flight the grace to
 * finish, then destroys every socket left. (server.close() alone waits for every socket to close,
 * including those a client never reads or closes: minutes after 10,000 connections.)
 */
export function shutdown(server: Server, graceMs = SHUTDOWN_GRACE_MS): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => {
      server.closeAllConnections();
      for (const socket of socketsOf.get(server) ?? []) socket.destroy();
    }, graceMs).unref();
  });
}

/** Starts the emulator on 127.0.0.1 (port 0: any free port) and resolves with its URL. */
export function listen(server: Server, port: number, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo; // listening on a TCP port: an AddressInfo (a string only for a pipe)
      resolve(`http://${host}:${address.port}`);
    });
  });
}
