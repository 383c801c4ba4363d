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
import { accountIdFor, CONTENT_TYPE } from '../../reference-service/protocol';

export interface BrokenServer {
  url: string;
  close(): void;
  /** How many requests it has had (the servers with the reference service behind them). */
  requests?: () => number;
}

export type BrokenKind = 'silent' | 'slow' | 'self-signed' | 'oversized' | 'throttling' | 'not-a-listing' | 'says-yes' | 'reference'
  | 'huge-pages' | 'endless' | 'throttles-after-preflight' | 'deep-member' | 'binary-listing' | 'hostile-strings' | 'echoes-headers' | 'many-headers';

/**
 * Strings a hostile endpoint puts where the suite shows them (issue 17, cases 9 to 12): terminal
 * escapes (clear screen, an OSC 8 hyperlink, NUL, a C1 CSI), markup in an error type with line
 * breaks (a heading, a table row, a code fence, a script end), a javascript: link, replace
 * patterns ($` $& $'), and characters XML 1.0 forbids. Each carries HOSTILE_MARKER, so that a
 * test can tell that they reached an output at all.
 */
export const HOSTILE_MARKER = 'HOSTILE7F3A';
const TERMINAL = '\x1b[2J\x1b]8;;https://evil.example/\x07click me\x1b]8;;\x07\0after-nul\x9b2J';
export const HOSTILE = {
  /** A job name (and the start of a failure reason). */
  terminal: `${HOSTILE_MARKER}${TERMINAL}`,
  /** An error type: markup on its first line (what a one-line summary keeps), line breaks after. No '#': the SDK cuts a type there. */
  errorType: `InvalidInputException <h1>injected</h1><img src=x onerror=alert(1)> ${HOSTILE_MARKER} \uFFFE\uFFFF\u0001\n\n| injected | row |\n\`\`\`\n</script><img src=x onerror=alert(2)>`,
  /** An error message, and the rest of a failure reason. */
  message: `${HOSTILE_MARKER} ${TERMINAL} [x](javascript:alert(1)) $\` $& $' \uFFFE\uFFFF\u0001 <img src=x onerror=alert(3)>\n# INJECTED HEADING\n<h1>injected</h1>`,
};

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
/** A request listener that awaits: node:http ignores what a listener returns, so a rejection stays unhandled (it ends the test), as an async listener's does. */
const awaiting = (listener: (req: IncomingMessage, res: ServerResponse) => Promise<void>) => (req: IncomingMessage, res: ServerResponse): void => void listener(req, res);

function referenceBehind(misbehave: (req: IncomingMessage, res: ServerResponse, n: number, body: Buffer) => Promise<boolean> | boolean): Promise<BrokenServer> {
  const frontEnd = createReferenceFrontEnd({ variant: 'pendingMs=0,inProgressMs=0,deletingMs=0', clock: 'system' });
  let n = 0;
  return listenOn(createServer(awaiting(async (req, res) => {
    const body = await readBody(req);
    if (await misbehave(req, res, ++n, body)) return;
    const answer = frontEnd.handle({ method: req.method ?? 'POST', path: req.url ?? '/', headers: req.headers, body });
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  })), 'http').then((server) => ({ ...server, requests: () => n }));
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

function requestOf(body: Buffer): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(body.toString('utf8'));
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The account and region a request is signed for, as the reference service reads them. */
function callerOf(req: IncomingMessage): { accountId: string; region: string } {
  const m = /Credential=([^/\s,]+)\/\d{8}\/([a-z0-9-]+)\//.exec(String(req.headers.authorization ?? ''));
  return { accountId: accountIdFor(m?.[1] ?? 'anonymous'), region: m?.[2] ?? 'us-east-1' };
}

/** A well-formed summary of a job that exists nowhere: `extra` adds or replaces members. */
function inventedJob(req: IncomingMessage, name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { accountId, region } = callerOf(req);
  const now = Math.floor(Date.now() / 1000);
  return {
    datasetImportJobArn: `arn:aws:personalize:${region}:${accountId}:dataset-import-job/${name}`,
    jobName: name, status: 'ACTIVE', creationDateTime: now, lastUpdatedDateTime: now, importMode: 'FULL', ...extra,
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': CONTENT_TYPE });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

/**
 * The whole account's listing (no datasetArn: what @readonly scenarios walk) never ends: every
 * page holds maxResults (or 100) new jobs and a new token, each job carrying `padding` characters
 * in an unknown member. Listings of a dataset (what arranging waits on) are the reference's.
 */
function endlessListing(padding: number): Promise<BrokenServer> {
  let jobs = 0;
  const filler = 'x'.repeat(padding);
  return referenceBehind((req, res, _n, body) => {
    const input = requestOf(body);
    if (operationOf(req) !== 'ListDatasetImportJobs' || input.datasetArn !== undefined) return false;
    const size = typeof input.maxResults === 'number' && input.maxResults > 0 ? Math.min(input.maxResults, 100) : 100;
    const page = Array.from({ length: size }, () => inventedJob(req, `endless-${++jobs}`, padding ? { conformanceFiller: filler } : {}));
    json(res, 200, { datasetImportJobs: page, nextToken: `endless-${jobs}-${Math.random().toString(36).slice(2)}` });
    return true;
  });
}

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
      return listenOn(createServer(awaiting(async (req, res) => {
        await readBody(req);
        res.writeHead(200, { 'content-type': CONTENT_TYPE });
        res.end('{}');
      })), 'http');
    case 'huge-pages':
      // Case 1: pages of about 3.9 MB (under the 4 MiB cap), each with a fresh token and new jobs.
      return endlessListing(Math.floor(3.9e6 / 100));
    case 'endless':
      // Case 2: unique tokens, and maxResults new jobs on every page.
      return endlessListing(0);
    case 'throttles-after-preflight': {
      // Case 3: the preflight's listing is answered; every listing after it is throttled (HTTP 429).
      let listings = 0;
      return referenceBehind((req, res) => {
        if (operationOf(req) !== 'ListDatasetImportJobs' || ++listings === 1) return false;
        awsError(res, 429, 'ThrottlingException', 'Rate exceeded');
        return true;
      });
    }
    case 'deep-member':
      // Case 4: every listing after the preflight's carries an unknown member nested 200,000 levels deep (clients must ignore unknown members).
      {
        // A null at the bottom: a body with a null member is walked to take its nulls out.
        const deep = `${'['.repeat(200_000)}null${']'.repeat(200_000)}`;
        let listings = 0;
        return referenceBehind((req, res) => {
          if (operationOf(req) !== 'ListDatasetImportJobs' || ++listings === 1) return false; // the preflight's is plain
          json(res, 200, `{"datasetImportJobs":[${JSON.stringify(inventedJob(req, 'deep-1'))}],"conformanceDeep":${deep}}`);
          return true;
        });
      }
    case 'binary-listing':
      // Case 9: a plain listing answered with terminal escapes and NUL (the preflight quotes the start of such a body).
      return listenOn(createServer(awaiting(async (req, res) => {
        await readBody(req);
        res.writeHead(200, { 'content-type': CONTENT_TYPE });
        res.end(Buffer.from(`${HOSTILE.terminal}\x9b2J\x7f${'\0'.repeat(20)}`, 'latin1'));
      })), 'http');
    case 'hostile-strings':
      // Cases 9 to 12: hostile strings in job names, failure reasons, error types and messages.
      {
        let listings = 0;
        const hostileJob = (req: IncomingMessage) => inventedJob(req, HOSTILE.terminal, {
          status: 'CREATE FAILED', failureReason: `${HOSTILE.terminal} ${HOSTILE.message}`,
        });
        return referenceBehind((req, res, _n, body) => {
          if (operationOf(req) !== 'ListDatasetImportJobs' || ++listings === 1) return false;
          const input = requestOf(body);
          if (input.maxResults === 100) {
            // A range end refused, with a hostile type and message.
            json(res, 400, { __type: HOSTILE.errorType, message: HOSTILE.message });
            return true;
          }
          if (input.nextToken !== undefined || (typeof input.datasetArn === 'string' && input.datasetArn.length > 256)) {
            // Accepts what it must reject: the page that shows it carries the hostile job.
            json(res, 200, { datasetImportJobs: [hostileJob(req)] });
            return true;
          }
          return false;
        });
      }
    case 'echoes-headers':
      // Case 13: every listing after the preflight's answers with the request's headers (the session token among them).
      {
        let listings = 0;
        return referenceBehind((req, res) => {
          if (operationOf(req) !== 'ListDatasetImportJobs' || ++listings === 1) return false;
          json(res, 200, { datasetImportJobs: [], nextToken: `echo ${JSON.stringify(req.headers)}`, echoedHeaders: req.headers });
          return true;
        });
      }
    case 'many-headers':
      // Case 15: an answer with 5,000 response headers.
      return listenOn(createServer(awaiting(async (req, res) => {
        await readBody(req);
        const headers: [string, string][] = [['content-type', CONTENT_TYPE]];
        for (let i = 0; i < 5000; i++) headers.push([`x-filler-${i}`, 'y']);
        res.writeHead(200, headers.flat());
        res.end('{"datasetImportJobs":[]}');
      })), 'http');
    case 'self-signed': {
      const credentials = selfSignedCertificate();
      if (!credentials) throw new Error('openssl is needed to make a self-signed certificate');
      return listenOn(createTlsServer(credentials, (_req, res) => res.end('{}')), 'https');
    }
  }
}
