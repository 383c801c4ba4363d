/**
 * Arranging is not conformance: the suite runs against small stand-ins on 127.0.0.1, each the
 * reference service with one kind of trouble in front of it, and this test reads the reports. The
 * runner arranges the shared data once before the scenarios: what stops it leaves the scenarios
 * that read it not shown, with the response that stopped it as evidence, and nothing failed.
 *   - the documented rules on (5 import jobs in progress, FULL before INCREMENTAL): nothing refused;
 *   - imports refused (LimitExceededException, always): the scenarios are not run, with the response;
 *   - dataset groups refused (AccessDeniedException): not run, at once;
 *   - a listing that never shows a job: the Given's listing wait is bounded, the scenario goes on,
 *     and LDIJ-CONS-001 fails;
 *   - a connection reset after each create: every resource is created once (looked up, not
 *     blindly created again) and the scenarios pass.
 *   npm run test:arrangement
 */
import { spawn } from 'node:child_process';
import type { Envelope } from '@cucumber/messages';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReferenceFrontEnd } from '../reference-service';
import { listen } from '../reference-service/http-server';
import { CONTENT_TYPE } from '../reference-service/protocol';
import { ROOT } from '../src/paths';
import type { ConformanceReport } from '../src/report';
import { SCENARIO_RECORD_MEDIA_TYPE, type ScenarioRecord } from '../src/verdict';

type Trouble = (operation: string, input: Record<string, unknown>, req: IncomingMessage, res: ServerResponse) => 'answered' | 'reset' | undefined;

interface Stand { url: string; creates: Map<string, number>; refusals: Map<string, number>; close(): void }

/** The reference service on loopback (with a variant of its options), with `trouble` deciding first what happens to each request. */
async function stand(trouble: Trouble, variant?: string): Promise<Stand> {
  const frontEnd = createReferenceFrontEnd({ clock: 'request', variant });
  const creates = new Map<string, number>();
  const refusals = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
      let input: Record<string, unknown> = {};
      try {
        input = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
      } catch { /* the front end answers it */ }
      if (operation.startsWith('Create')) {
        const key = `${operation} ${String(input.name ?? input.jobName)}`;
        creates.set(key, (creates.get(key) ?? 0) + 1);
      }
      const decided = trouble(operation, input, req, res);
      if (decided === 'answered') return;
      const answer = frontEnd.handle({ method: req.method ?? 'POST', path: req.url ?? '/', headers: req.headers, body });
      if (decided === 'reset') {
        req.socket.destroy();
        return;
      }
      if (answer.status >= 400) {
        const type = `${operation} ${(JSON.parse(answer.body || '{}') as { __type?: string }).__type ?? answer.status}`;
        refusals.set(type, (refusals.get(type) ?? 0) + 1);
      }
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    });
  });
  const url = await listen(server, 0);
  return { url, creates, refusals, close: () => server.close() };
}

function refuse(res: ServerResponse, status: number, type: string, message: string): 'answered' {
  res.writeHead(status, { 'content-type': CONTENT_TYPE });
  res.end(JSON.stringify({ __type: type, message }));
  return 'answered';
}

interface Run { report: ConformanceReport; records: ScenarioRecord[]; seconds: number; output: string }

/** Runs the suite as a child process (asynchronously: the stand-in answers from this process). */
async function runSuite(url: string, tags: string, env: Record<string, string> = {}): Promise<Run> {
  const reports = mkdtempSync(join(tmpdir(), 'arrangement-'));
  const started = Date.now();
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'conformance.js'), '--target', 'endpoint', '--endpoint', url, '--quiet', '--tags', tags, '--reports', reports], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env, AWS_ACCESS_KEY_ID: 'conformance-account-a', AWS_SECRET_ACCESS_KEY: 'not-a-secret-a', AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true', CONFORMANCE_WAIT_TIMEOUT_MS: '1000', ...env,
    },
  });
  let output = '';
  child.stdout.on('data', (d) => (output = (output + d).slice(-4000)));
  child.stderr.on('data', (d) => (output = (output + d).slice(-4000)));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const seconds = (Date.now() - started) / 1000;
  try {
    const records = readFileSync(join(reports, 'messages.ndjson'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Envelope)
      .flatMap((m) => (m.attachment?.mediaType === SCENARIO_RECORD_MEDIA_TYPE ? [JSON.parse(m.attachment.body) as ScenarioRecord] : []));
    return { report: JSON.parse(readFileSync(join(reports, 'conformance.json'), 'utf8')) as ConformanceReport, records, seconds, output };
  } catch {
    throw new Error(`no report from the run (exit ${code}):\n${output}`);
  } finally {
    rmSync(reports, { recursive: true, force: true });
  }
}

const scenarios = (r: ConformanceReport) => r.requirements.flatMap((q) => q.scenarios.map((s) => ({ ...s, requirement: q.id, level: q.level })));

const problems: string[] = [];
function check(ok: boolean, what: string): void {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) problems.push(what);
}

async function main(): Promise<void> {
  {
    const s = await stand(() => undefined, 'inProgressLimit=5,fullBeforeIncremental=true');
    const { report } = await runSuite(s.url, '@req:LDIJ-FILTER-004 or @req:LDIJ-PAGE-001 and @writes');
    s.close();
    const all = scenarios(report);
    check(all.length > 0 && all.every((x) => x.class === 'passed'), `documented rules on (5 in progress, FULL before INCREMENTAL): ${all.filter((x) => x.class === 'passed').length} of ${all.length} scenarios pass`);
    const refused = [...s.refusals].filter(([k]) => k.startsWith('Create'));
    check(refused.length === 0, `documented rules on: no create refused (${refused.map(([k, n]) => `${k} x${n}`).join(', ') || 'none'})`);
  }
  {
    const s = await stand((op, _i, _q, res) => (op === 'CreateDatasetImportJob' ? refuse(res, 409, 'LimitExceededException', 'More than 5 resources with PENDING or IN_PROGRESS status.') : undefined));
    const { report, records, seconds } = await runSuite(s.url, '@req:LDIJ-PAGE-001 and @writes');
    s.close();
    const all = scenarios(report);
    const shown = records.filter((r) => r.outcome === 'not shown');
    check(shown.length > 0 && shown.every((r) => r.notShown?.cause === 'target' && r.notShown.evidence.some((x) => x.operation === 'CreateDatasetImportJob' && x.status === 409)),
      `imports refused: each scenario not shown carries the refused create of the run's arranging as evidence (${shown[0]?.notShown?.evidence.map((x) => `${x.operation} ${x.status}`).join(', ')})`);
    const withJobs = all.filter((x) => !/paging through 0 jobs/.test(x.name));
    check(withJobs.length > 0 && withJobs.every((x) => x.class === 'not shown' && /could not arrange: CreateDatasetImportJob \S+ answered LimitExceededException \(HTTP 409\): More than 5/.test(x.reason ?? '')),
      `imports refused: ${withJobs.length} scenarios with jobs not shown, each with the refusing response (${withJobs[0]?.reason})`);
    check(all.every((x) => !x.class.startsWith('failed')), 'imports refused: nothing charged to the target as failed');
    check(seconds < 90, `imports refused: the run ended in ${seconds.toFixed(1)} s (each shared dataset tried at most 3 times, each wait bounded)`);
  }
  {
    const s = await stand((op, _i, _q, res) => (op === 'CreateDatasetGroup' ? refuse(res, 403, 'AccessDeniedException', 'User is not authorized to perform: personalize:CreateDatasetGroup') : undefined));
    const { report } = await runSuite(s.url, '@req:LDIJ-FILTER-005');
    s.close();
    const [x] = scenarios(report);
    check(x?.class === 'not shown' && /could not arrange: CreateDatasetGroup \S+ answered AccessDeniedException \(HTTP 403\)/.test(x.reason ?? ''), `dataset groups refused: not shown (${x?.reason})`);
    check(report.requirements.find((q) => q.id === 'LDIJ-FILTER-005')?.class === 'not shown', 'dataset groups refused: LDIJ-FILTER-005 is reported not shown');
  }
  {
    const hideJobs: Trouble = (op, input, _q, res) => (op === 'ListDatasetImportJobs' && input.datasetArn ? (res.writeHead(200, { 'content-type': CONTENT_TYPE }), res.end('{"datasetImportJobs":[]}'), 'answered') : undefined);
    const s = await stand(hideJobs);
    const { report, seconds } = await runSuite(s.url, '@req:LDIJ-CONS-001 or @req:LDIJ-FILTER-005', { CONFORMANCE_LISTING_WAIT_MS: '1500' });
    s.close();
    const cons = scenarios(report).find((x) => x.requirement === 'LDIJ-CONS-001');
    check(cons?.class === 'failed (SHOULD)', `never listed: LDIJ-CONS-001 fails (${cons?.class})`);
    check(scenarios(report).find((x) => x.requirement === 'LDIJ-FILTER-005')?.class === 'passed', 'never listed: the listing wait ends by its bound and the scenario goes on (LDIJ-FILTER-005 passes)');
    check(seconds < 60, `never listed: the run ended in ${seconds.toFixed(1)} s (two listing waits of 1.5 s)`);
  }
  {
    const seen = new Set<string>();
    const resetFirst: Trouble = (op, input) => {
      if (!op.startsWith('Create')) return undefined;
      const key = `${op} ${String(input.name ?? input.jobName)}`;
      if (seen.has(key)) return undefined;
      seen.add(key);
      return 'reset';
    };
    const s = await stand(resetFirst);
    const { report } = await runSuite(s.url, '@req:LDIJ-FILTER-005', { CONFORMANCE_WAIT_TIMEOUT_MS: '20000' });
    s.close();
    const [x] = scenarios(report);
    check(x?.class === 'passed', `reset after every create: the scenario passes (${x?.class}${x?.reason ? `: ${x.reason}` : ''})`);
    const twice = [...s.creates].filter(([, n]) => n > 1);
    check(s.creates.size > 10 && twice.length === 0, `reset after every create: ${s.creates.size} resources, each created once (${twice.length} created again: ${twice.slice(0, 3).map(([k]) => k).join(', ')})`);
  }
  if (problems.length) {
    console.error(`\n${problems.length} problems`);
    process.exit(1);
  }
  console.log('\narrangement: all checks passed');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
