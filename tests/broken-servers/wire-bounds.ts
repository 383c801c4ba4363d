/**
 * The suite's own bounds, in this process and without cucumber: the wire handler aborts a
 * request that gets no answer, or whose body trickles, at the request time-out; stops reading a
 * body over the cap; cancels a request the moment the scenario's signal fires; and a message
 * stream a killed run left is read without the scenario that never finished.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { settleMessages } from '../../src/supervise';
import { networkHandler, ResponseTooLargeError, ValidatingHttpHandler, WireLog } from '../../src/wire';

type Behaviour = 'silent' | 'trickle' | 'huge' | 'late';

function serve(behaviour: Behaviour): Promise<{ port: number; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    if (behaviour === 'silent') return;
    if (behaviour === 'late') return void setTimeout(() => res.end('{}'), 2000);
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    if (behaviour === 'huge') return void res.end(Buffer.alloc(2 * 1024 * 1024, ' '));
    const timer = setInterval(() => res.write(' '), 100); // a body that never ends
    res.on('close', () => clearInterval(timer));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as { port: number }).port, server })));
}

const request = (port: number) => ({
  protocol: 'http:', hostname: '127.0.0.1', port, method: 'POST', path: '/', query: {},
  headers: { 'x-amz-target': 'AmazonPersonalize.ListDatasetImportJobs', 'content-type': 'application/x-amz-json-1.1' }, body: '{}',
});

async function outcome(behaviour: Behaviour, limits: { requestTimeoutMs: number; maxResponseBytes: number }, signal?: AbortSignal): Promise<{ error?: Error; ms: number; log: WireLog }> {
  const { port, server } = await serve(behaviour);
  const log = new WireLog();
  const handler = new ValidatingHttpHandler(networkHandler(limits), { log, signal }, limits, true);
  const started = Date.now();
  try {
    await handler.handle(request(port) as never);
    return { ms: Date.now() - started, log };
  } catch (e) {
    return { error: e as Error, ms: Date.now() - started, log };
  } finally {
    handler.destroy();
    server.closeAllConnections();
    server.close();
  }
}

export async function wireBounds(): Promise<{ name: string; problems: string[]; ms: number }> {
  const started = Date.now();
  const problems: string[] = [];
  const limits = { requestTimeoutMs: 500, maxResponseBytes: 1024 * 1024 };
  const silent = await outcome('silent', limits);
  if (silent.error?.name !== 'TimeoutError' || silent.ms > 1500) problems.push(`no answer: ${silent.error?.name ?? 'no error'} after ${silent.ms} ms, expected TimeoutError after 500 ms`);
  const trickle = await outcome('trickle', limits);
  if (trickle.error?.name !== 'TimeoutError' || trickle.ms > 1500) problems.push(`a body that trickles: ${trickle.error?.name ?? 'no error'} after ${trickle.ms} ms, expected TimeoutError after 500 ms`);
  const huge = await outcome('huge', limits);
  if (!(huge.error instanceof ResponseTooLargeError) || !/larger than 1048576 bytes/.test(huge.error.message) || huge.log.exchanges.length !== 1) problems.push(`a 2 MiB body over a 1 MiB cap: ${huge.error?.name ?? 'no error'}, expected ResponseTooLarge and the exchange kept`);
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error('the scenario ended')), 200);
  const aborted = await outcome('late', { ...limits, requestTimeoutMs: 5000 }, controller.signal);
  if (!aborted.error || aborted.ms > 1000) problems.push(`the scenario's signal fired at 200 ms: ${aborted.error?.message ?? 'no error'} after ${aborted.ms} ms`);

  const dir = mkdtempSync(join(tmpdir(), 'settle-'));
  try {
    const file = join(dir, 'messages.ndjson');
    const lines = [
      { pickle: { id: 'p1' } }, { testCase: { id: 't1', pickleId: 'p1' } },
      { testCaseStarted: { id: 's1', testCaseId: 't1' } }, { testCaseFinished: { testCaseStartedId: 's1' } },
      { testCaseStarted: { id: 's2', testCaseId: 't1' } }, { testStepFinished: { testCaseStartedId: 's2', testStepResult: { status: 'PASSED' } } },
    ].map((m) => JSON.stringify(m));
    writeFileSync(file, `${lines.join('\n')}\n{"attachment":{"testCaseSta`);
    settleMessages(file);
    const kept = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    if (kept.some((m) => m.testCaseStarted?.id === 's2' || m.testStepFinished) || !kept.some((m) => m.testCaseStarted?.id === 's1')) {
      problems.push(`a killed run's messages: kept ${JSON.stringify(kept)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { name: 'the wire: time-outs abort (headers and body), a body over the cap, the scenario\'s signal; a killed run\'s messages', problems, ms: Date.now() - started };
}
