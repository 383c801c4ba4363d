/**
 * The suite's own bounds, in this process and without cucumber: the wire handler aborts a
 * request that gets no answer, or whose body trickles, at the request time-out; stops reading a
 * body over the cap; cancels a request the moment the scenario's signal fires; and a message
 * stream a killed run left is read without the scenario that never finished.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildReport, loadCatalog, runErrors } from '../../src/report';
import { SCENARIO_RECORD_MEDIA_TYPE, type ScenarioRecord } from '../../src/verdict';
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

  // A killed run's messages: a scenario that started and never finished is not shown (crash), never passed; a torn last line is left out.
  const dir = mkdtempSync(join(tmpdir(), 'killed-run-'));
  try {
    const file = join(dir, 'messages.ndjson');
    const record: ScenarioRecord = { version: 2, outcome: 'passed', failures: [], charges: [], apiCalls: 1, validatedBodies: 1, unknownMembers: [], cleanupProblems: [] };
    const pickle = (id: string, name: string) => ({ pickle: { id, name, uri: 'features/pagination.feature', tags: [{ name: '@req:LDIJ-PAGE-001' }], astNodeIds: [], steps: [] } });
    const lines = [
      pickle('p1', 'finished'), pickle('p2', 'cut short'), { testCase: { id: 't1', pickleId: 'p1' } }, { testCase: { id: 't2', pickleId: 'p2' } },
      { testCaseStarted: { id: 's1', testCaseId: 't1' } }, { attachment: { testCaseStartedId: 's1', mediaType: SCENARIO_RECORD_MEDIA_TYPE, body: JSON.stringify(record) } },
      { testCaseFinished: { testCaseStartedId: 's1' } },
      { testCaseStarted: { id: 's2', testCaseId: 't2' } }, { testStepFinished: { testCaseStartedId: 's2', testStepResult: { status: 'PASSED' } } },
    ].map((m) => JSON.stringify(m));
    writeFileSync(file, `${lines.join('\n')}\n{"attachment":{"testCaseSta`);
    const report = buildReport({
      messagesFile: file, catalog: loadCatalog(), target: 't', implementation: { name: 'i' }, deviationsTarget: 'mock', deviations: [], strict: false,
      suiteVersion: '0', sdkVersion: '0', contractEdition: '0', crashed: 'ended by SIGKILL',
    });
    const scenarios = report.requirements.flatMap((q) => q.scenarios);
    const classOf = (name: string) => scenarios.find((sc) => sc.name === name);
    if (classOf('finished')?.class !== 'passed' || classOf('cut short')?.class !== 'not shown' || classOf('cut short')?.notShown?.cause !== 'crash' || !runErrors(report).length) {
      problems.push(`a killed run's messages: ${JSON.stringify(scenarios.map((sc) => [sc.name, sc.class, sc.notShown?.cause]))}, run errors ${runErrors(report).length}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { name: 'the wire: time-outs abort (headers and body), a body over the cap, the scenario\'s signal; a killed run\'s messages', problems, ms: Date.now() - started };
}
