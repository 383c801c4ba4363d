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
  req.on('error', () => clientError(res, 400, 'SerializationException', 'The request body could not be read.'));
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

export function createEmulatorServer(frontEnd: AwsJsonFrontEnd): Server {
  const server = createServer({ keepAliveTimeout: 5000 }, (req, res) => handleHttp(frontEnd, req, res));
  // Malformed HTTP (bad request line, bad headers): answer 400 instead of dropping or crashing.
  server.on('clientError', (_err, socket) => {
    if (socket.writable) {
      const body = JSON.stringify({ __type: 'SerializationException', message: 'Malformed HTTP request.' });
      socket.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: ${CONTENT_TYPE}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
    } else socket.destroy();
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
