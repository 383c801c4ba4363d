/**
 * Small, deliberately broken Personalize endpoints on 127.0.0.1, for testing what a run does
 * when the endpoint misbehaves. Those that must still work (slow, throttling, oversized) put the
 * reference service behind their misbehaviour, so the suite has a real target to judge.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { createServer as createNetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReferenceFrontEnd } from '../../reference-service';
import { CONTENT_TYPE } from '../../reference-service/protocol';

export interface BrokenServer {
  url: string;
  close(): void;
  /** How many requests it has had (the servers with the reference service behind them). */
  requests?: () => number;
}

export type BrokenKind = 'silent' | 'slow' | 'self-signed' | 'oversized' | 'throttling' | 'not-a-listing' | 'says-yes' | 'reference';

function listenOn(server: Server | ReturnType<typeof createNetServer>, scheme: 'http' | 'https'): Promise<BrokenServer> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const port = (server.address() as { port: number }).port;
    resolve({
      url: `${scheme}://127.0.0.1:${port}`,
      close: () => {
        for (const s of sockets) s.destroy();
        server.close();
      },
    });
  }));
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

function operationOf(req: IncomingMessage): string {
  const target = String(req.headers['x-amz-target'] ?? '');
  return target.slice(target.indexOf('.') + 1);
}

/** The reference service over HTTP, with a hook that may answer a request itself first. */
function referenceBehind(misbehave: (req: IncomingMessage, res: ServerResponse, n: number) => Promise<boolean> | boolean): Promise<BrokenServer> {
  const frontEnd = createReferenceFrontEnd({ variant: 'pendingMs=0,inProgressMs=0,deletingMs=0', clock: 'system' });
  let n = 0;
  return listenOn(createServer(async (req, res) => {
    const body = await readBody(req);
    if (await misbehave(req, res, ++n)) return;
    const answer = frontEnd.handle({ method: req.method ?? 'POST', path: req.url ?? '/', headers: req.headers, body });
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  }), 'http').then((server) => ({ ...server, requests: () => n }));
}

function awsError(res: ServerResponse, status: number, type: string, message: string): void {
  res.writeHead(status, { 'content-type': CONTENT_TYPE, 'x-amzn-errortype': type });
  res.end(JSON.stringify({ __type: type, message }));
}

let certificate: { key: string; cert: string } | undefined | null = null;

/**
 * A self-signed certificate for 127.0.0.1, made with openssl once (undefined where there is none):
 * making a key blocks this process, which also serves the other cases' endpoints.
 */
function selfSignedCertificate(): { key: string; cert: string } | undefined {
  if (certificate === null) certificate = makeCertificate();
  return certificate;
}

function makeCertificate(): { key: string; cert: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'broken-tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const canMakeCertificates = (): boolean => selfSignedCertificate() !== undefined;

export async function startBrokenServer(kind: BrokenKind, o: { delayMs?: number; bodyBytes?: number } = {}): Promise<BrokenServer> {
  switch (kind) {
    case 'reference':
      return referenceBehind(() => false);
    case 'silent':
      // Accepts connections, reads requests, never answers.
      return listenOn(createNetServer((socket) => socket.on('data', () => undefined)), 'http');
    case 'slow':
      // Every answer correct, and late.
      return referenceBehind(async () => {
        await new Promise((r) => setTimeout(r, o.delayMs ?? 300));
        return false;
      });
    case 'throttling':
      // Every third listing throttled (400 ThrottlingException), every tenth request a 503: weather.
      {
        let listings = 0;
        return referenceBehind((req, res, n) => {
          if (operationOf(req) === 'ListDatasetImportJobs' && ++listings % 3 === 0) awsError(res, 400, 'ThrottlingException', 'Rate exceeded');
          else if (n % 10 === 0) awsError(res, 503, 'ServiceUnavailableException', 'Service unavailable');
          else return false;
          return true;
        });
      }
    case 'oversized':
      // ListDatasetImportJobs answers with a body far over any cap (streamed: the server holds none of it).
      return referenceBehind((req, res) => {
        if (operationOf(req) !== 'ListDatasetImportJobs') return false;
        const total = o.bodyBytes ?? 16 * 1024 * 1024;
        res.writeHead(200, { 'content-type': CONTENT_TYPE, 'content-length': total });
        const chunk = Buffer.alloc(64 * 1024, ' ');
        let sent = 0;
        const pump = () => {
          while (sent < total) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('close', () => (sent = total));
        pump();
        return true;
      });
    case 'not-a-listing':
      return listenOn(createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body>It works!</body></html>');
      }), 'http');
    case 'says-yes':
      return listenOn(createServer(async (req, res) => {
        await readBody(req);
        res.writeHead(200, { 'content-type': CONTENT_TYPE });
        res.end('{}');
      }), 'http');
    case 'self-signed': {
      const credentials = selfSignedCertificate();
      if (!credentials) throw new Error('openssl is needed to make a self-signed certificate');
      return listenOn(createTlsServer(credentials, (_req, res) => res.end('{}')) as unknown as Server, 'https');
    }
  }
}
