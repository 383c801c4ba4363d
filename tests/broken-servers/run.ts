/**
 * The suite against deliberately broken endpoints (./servers.ts): each case must end within its
 * configured time, a configuration problem with exit 2 and one line, and a report that charges
 * nothing to the target that the target did not do.  npm run test:broken-endpoints
 * Short time-outs keep the whole under about a minute; cases run a few at a time.
 */
import '../../src/quiet-sdk-warning';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListDatasetGroupsCommand, PersonalizeClient } from '@aws-sdk/client-personalize';
import { createReferenceFrontEnd } from '../../reference-service';
import { createEmulatorServer, listen } from '../../reference-service/http-server';
import type { ConformanceReport } from '../../src/report';
import { canMakeCertificates, startBrokenServer, type BrokenKind, type BrokenServer } from './servers';
import { wireBounds } from './wire-bounds';

const ROOT = join(__dirname, '..', '..');
const REQUEST_TIMEOUT_MS = 1500;
/**
 * Starting Node, ts-node and cucumber: measured (a run that ends on its configuration before any
 * request, alone), and allowed once more than the cases that run at once, on top of each case's
 * own bound: the machines are shared.
 */
let startupMs = 0;
/** Cases at once (BROKEN_ENDPOINTS_CONCURRENCY); the start-up allowance grows with it. */
const CONCURRENCY = Number(process.env.BROKEN_ENDPOINTS_CONCURRENCY) || 3;
const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'conformance-broken-a', AWS_SECRET_ACCESS_KEY: 'not-a-secret' };

interface Outcome { code: number | null; out: string; ms: number; report?: ConformanceReport; junit: string; interruptedAtMs?: number }

interface Case {
  name: string;
  server?: BrokenKind;
  serverOptions?: { delayMs?: number };
  /** The endpoint URL from the server's (default: the server's own). */
  url?: (server: BrokenServer) => string;
  env?: Record<string, string>;
  args?: string[];
  /** How long the case may take beyond starting up: the time it is configured to end within. */
  boundMs: number;
  /** SIGINT to the run once the server has had this many requests (a count, not a time: runs get faster). */
  interruptAfterRequests?: number;
  skip?: () => string | undefined;
  expect: (o: Outcome, server?: BrokenServer) => Promise<string[]> | string[];
}

const configurationError = (pattern: RegExp) => (o: Outcome): string[] => {
  const lines = o.out.trim().split('\n').filter((l) => l.startsWith('conformance:') && !/resources of this run/.test(l));
  return [
    ...(o.code === 2 ? [] : [`exit ${o.code}, expected 2`]),
    ...(pattern.test(o.out) ? [] : [`no line matching ${pattern}`]),
    ...(lines.length === 1 ? [] : [`${lines.length} lines from the runner, expected one`]),
    ...(/\n\s+at /.test(o.out) ? ['a stack trace'] : []),
  ];
};

const nothingCharged = (o: Outcome): string[] => {
  if (!o.report) return ['no conformance.json was written'];
  const failed = o.report.requirements.filter((q) => q.class.startsWith('failed'));
  return failed.length ? [`charged to the target: ${failed.map((q) => `${q.id} (${q.reason?.slice(0, 160) ?? ''})`).join('; ')}`] : [];
};

async function leftoverGroups(server: BrokenServer | undefined, prefix: string): Promise<string[]> {
  if (!server) return [];
  const client = new PersonalizeClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: CREDENTIALS.AWS_SECRET_ACCESS_KEY } });
  try {
    const { datasetGroups } = await client.send(new ListDatasetGroupsCommand({}));
    return (datasetGroups ?? []).filter((g) => g.name?.startsWith(prefix) && g.status !== 'DELETE PENDING').map((g) => g.name!);
  } finally {
    client.destroy();
  }
}

const CASES: Case[] = [
  {
    name: 'an endpoint URL with a path',
    server: 'reference', url: (s) => `${s.url}/personalize`, boundMs: 0,
    expect: configurationError(/drop the path \/personalize/),
  },
  {
    name: 'silent: accepts connections, never answers',
    server: 'silent', boundMs: REQUEST_TIMEOUT_MS,
    expect: configurationError(/No answer from the endpoint .* within 1500 ms/),
  },
  {
    name: 'https:// to a plain-HTTP port',
    server: 'reference', url: (s) => s.url.replace('http:', 'https:'), boundMs: REQUEST_TIMEOUT_MS,
    expect: configurationError(/does not speak TLS on that port/),
  },
  {
    name: 'http:// to a TLS port',
    server: 'self-signed', url: (s) => s.url.replace('https:', 'http:'), boundMs: REQUEST_TIMEOUT_MS, skip: () => (canMakeCertificates() ? undefined : 'no openssl to make a certificate'),
    expect: configurationError(/closed the connection without an answer \(an http:\/\/ URL for a TLS port\?\)/),
  },
  {
    name: 'a self-signed certificate',
    server: 'self-signed', boundMs: REQUEST_TIMEOUT_MS, skip: () => (canMakeCertificates() ? undefined : 'no openssl to make a certificate'),
    expect: configurationError(/NODE_EXTRA_CA_CERTS/),
  },
  {
    name: 'a second account identical to the first',
    server: 'reference', env: { CONFORMANCE_SECOND_ACCESS_KEY_ID: CREDENTIALS.AWS_ACCESS_KEY_ID, CONFORMANCE_SECOND_SECRET_ACCESS_KEY: 'x' }, boundMs: 0,
    expect: configurationError(/same access key as the first account/),
  },
  {
    name: 'answers a listing with a web page',
    server: 'not-a-listing', boundMs: REQUEST_TIMEOUT_MS,
    expect: configurationError(/is this a Personalize endpoint/),
  },
  {
    name: 'answers {} to everything',
    server: 'says-yes', boundMs: 2 * REQUEST_TIMEOUT_MS,
    expect: configurationError(/does not behave like Personalize/),
  },
  {
    name: 'a 16 MiB listing: a contract violation, read no further',
    server: 'oversized', args: ['--tags', '@req:LDIJ-FILTER-003'], boundMs: 30_000,
    expect: (o) => {
      const failed = o.report?.requirements.filter((q) => q.class.startsWith('failed')) ?? [];
      return [
        ...(o.code === 1 ? [] : [`exit ${o.code}, expected 1`]),
        ...(failed.length === 1 && failed[0].id === 'LDIJ-FILTER-003' ? [] : [`failed: ${failed.map((q) => q.id).join(', ') || 'none'}, expected LDIJ-FILTER-003`]),
        ...(/larger than \d+ bytes \(CONFORMANCE_MAX_RESPONSE_BYTES\)/.test(o.junit) ? [] : ['the failure does not name the size cap']),
      ];
    },
  },
  {
    name: 'throttles every third request, a 503 every tenth',
    server: 'throttling', args: ['--tags', '@req:LDIJ-ERR-003 or @req:LDIJ-ERR-004 or @req:LDIJ-ERR-005 or @req:LDIJ-ERR-007'],
    // The SDK's adaptive retry slows its own sending rate after each throttle: that is the point.
    boundMs: 40_000,
    expect: (o) => [
      ...(o.code === 0 ? [] : [`exit ${o.code}, expected 0`]),
      ...nothingCharged(o),
      ...((o.report?.summary.scenarios.passed ?? 0) > 0 ? [] : ['no scenario passed']),
    ],
  },
  {
    name: 'every answer 250 ms late: the run ends at its deadline with a report',
    server: 'slow', env: { CONFORMANCE_RUN_TIMEOUT_MS: '15000', CONFORMANCE_STOP_GRACE_MS: '5000' }, boundMs: 15_000,
    expect: (o) => [
      // Nothing failed, the rest was not shown: incomplete.
      ...(o.code === 3 ? [] : [`exit ${o.code}, expected 3 (incomplete)`]),
      ...nothingCharged(o),
      ...(o.report?.requirements.some((q) => q.class === 'not shown' && /deadline/.test(q.reason ?? '')) ? [] : ['no requirement reported not shown for the deadline']),
    ],
  },
  {
    name: 'a Given that outlives its step time-out: not run, and it creates nothing more',
    server: 'slow', serverOptions: { delayMs: 1000 }, args: ['--tags', '@req:LDIJ-FILTER-003'],
    env: { CONFORMANCE_STEP_TIMEOUT_MS: '2500', CONFORMANCE_REQUEST_TIMEOUT_MS: '5000', CONFORMANCE_RUN_PREFIX: 'cfbrokenstep' }, boundMs: 40_000,
    expect: async (o, server) => {
      const left = await leftoverGroups(server, 'cfbrokenstep');
      const reasons = o.report?.requirements.flatMap((q) => q.scenarios.map((s) => s.reason ?? '')) ?? [];
      return [
        ...nothingCharged(o),
        ...(reasons.some((r) => /did not end within 2500 ms/.test(r)) ? [] : [`no scenario not run for its step time-out (${reasons.join('; ').slice(0, 200)})`]),
        ...(left.length ? [`left behind: ${left.join(', ')}`] : []),
      ];
    },
  },
  {
    name: 'interrupted (SIGINT) in the middle of writing scenarios',
    server: 'reference', env: { CONFORMANCE_RUN_PREFIX: 'cfbrokenint' }, interruptAfterRequests: 1000, boundMs: 60_000,
    expect: async (o, server) => {
      const left = await leftoverGroups(server, 'cfbrokenint');
      const stopping = o.interruptedAtMs === undefined ? undefined : o.ms - o.interruptedAtMs;
      // Stopping includes the interrupted scenario's cleanup: 10 s, plus the start-up allowance every case gets on a loaded machine.
      const stopBound = 10_000 + (CONCURRENCY + 1) * startupMs;
      return [
        ...(stopping === undefined ? ['the run ended before its 1,000th request: not interrupted'] : []),
        ...(stopping !== undefined && stopping > stopBound ? [`it took ${stopping} ms to stop after SIGINT, bound ${stopBound} ms`] : []),
        ...(o.code === 130 ? [] : [`exit ${o.code}, expected 130`]),
        ...nothingCharged(o),
        ...(/interrupted \(SIGINT\)/.test(o.out) ? [] : ['the run does not say it was interrupted']),
        ...(left.length ? [`left behind: ${left.join(', ')}`] : []),
      ];
    },
  },
  {
    name: 'the mock ignores AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_PERSONALIZE',
    env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ENDPOINT_URL_PERSONALIZE: 'http://127.0.0.1:9' },
    args: ['--target', 'mock', '--tags', '@req:LDIJ-ERR-003'], boundMs: 5_000,
    expect: (o) => [...(o.code === 0 ? [] : [`exit ${o.code}, expected 0: ${o.out.trim().split('\n').slice(-3).join(' | ')}`]), ...nothingCharged(o)],
  },
];

function runSuite(c: Case, server: BrokenServer | undefined, reports: string): Promise<Outcome> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('AWS_') || k.startsWith('CONFORMANCE_')) delete env[k];
  Object.assign(env, CREDENTIALS, {
    AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true',
    CONFORMANCE_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS), CONFORMANCE_WAIT_TIMEOUT_MS: '5000', CONFORMANCE_STEP_TIMEOUT_MS: '15000',
  }, c.env);
  const args = [join(ROOT, 'bin', 'conformance.js'), '--quiet', '--reports', reports, ...(server ? ['--endpoint', c.url ? c.url(server) : server.url] : []), ...(c.args ?? [])];
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    let interruptedAtMs: number | undefined;
    const interrupt = c.interruptAfterRequests && server?.requests ? setInterval(() => {
      if (server.requests!() < c.interruptAfterRequests! || interruptedAtMs !== undefined) return;
      interruptedAtMs = Date.now() - started;
      child.kill('SIGINT');
    }, 20) : undefined;
    const hardStop = setTimeout(() => child.kill('SIGKILL'), c.boundMs + Math.max((CONCURRENCY + 1) * startupMs, 20_000) + 30_000);
    child.on('exit', (code) => {
      clearInterval(interrupt);
      clearTimeout(hardStop);
      const file = join(reports, 'conformance.json');
      const junit = join(reports, 'junit.xml');
      resolve({ code, out, ms: Date.now() - started, interruptedAtMs, report: existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined, junit: existsSync(junit) ? readFileSync(junit, 'utf8') : '' });
    });
  });
}

async function runCase(c: Case): Promise<{ name: string; problems: string[]; ms: number; skipped?: string }> {
  const skipped = c.skip?.();
  if (skipped) return { name: c.name, problems: [], ms: 0, skipped };
  const server = c.server ? await startBrokenServer(c.server, c.serverOptions) : undefined;
  const reports = mkdtempSync(join(tmpdir(), 'broken-endpoint-'));
  try {
    const o = await runSuite(c, server, reports);
    const problems = await c.expect(o, server);
    const startup = (CONCURRENCY + 1) * startupMs;
    if (startupMs && o.ms > c.boundMs + startup) problems.push(`took ${o.ms} ms, bound ${c.boundMs} ms + ${CONCURRENCY + 1} × ${startupMs} ms to start`);
    if (problems.length) problems.push(`output: ${o.out.trim().split('\n').slice(-4).join(' | ')}`);
    return { name: c.name, problems, ms: o.ms };
  } finally {
    server?.close();
    rmSync(reports, { recursive: true, force: true });
  }
}

/** The emulator's own bounds: 408 for slow headers and bodies, 503 past its connection cap. */
async function emulatorBounds(): Promise<{ name: string; problems: string[]; ms: number }> {
  const started = Date.now();
  const server = createEmulatorServer(createReferenceFrontEnd({}), { headersTimeoutMs: 400, requestTimeoutMs: 800, maxConnections: 2 });
  const port = Number(new URL(await listen(server, 0)).port);
  const talk = (data: string) => new Promise<string>((resolve) => {
    const s = createConnection(port, '127.0.0.1');
    let out = '';
    s.on('data', (d) => (out += d));
    s.on('close', () => resolve(out.split('\r\n')[0]));
    s.on('error', () => resolve(out.split('\r\n')[0]));
    s.write(data);
  });
  const problems: string[] = [];
  const headers = await talk('POST / HTTP/1.1\r\nHost: x\r\n');
  if (!headers.startsWith('HTTP/1.1 408')) problems.push(`headers too slow: ${headers || 'no answer'}, expected 408`);
  const body = await talk('POST / HTTP/1.1\r\nHost: x\r\ncontent-length: 10\r\n\r\n{');
  if (!body.startsWith('HTTP/1.1 408')) problems.push(`body too slow: ${body || 'no answer'}, expected 408`);
  const held = [createConnection(port, '127.0.0.1'), createConnection(port, '127.0.0.1')];
  await new Promise((r) => setTimeout(r, 100));
  const third = await talk('');
  if (!third.startsWith('HTTP/1.1 503')) problems.push(`a connection past the cap: ${third || 'no answer'}, expected 503`);
  for (const h of held) h.destroy();
  server.close();
  return { name: 'the emulator: 408 for slow headers and bodies, 503 past its connection cap', problems, ms: Date.now() - started };
}

async function main(): Promise<void> {
  const started = Date.now();
  canMakeCertificates(); // made once, before any case is timed
  const results = [await emulatorBounds(), await wireBounds()];
  for (const r of results) console.log(`${r.problems.length ? 'FAIL' : 'ok  '} ${r.name} (${r.ms} ms)${r.problems.map((p) => `\n       ${p}`).join('')}`);
  // The floor: the first case ends on its configuration, before any request.
  const floor = await runCase(CASES[0]);
  startupMs = floor.ms;
  console.log(`${floor.problems.length ? 'FAIL' : 'ok  '} ${floor.name} (${floor.ms} ms: the floor of starting up)${floor.problems.map((p) => `\n       ${p}`).join('')}`);
  results.push(floor);
  const queue = CASES.slice(1);
  const workers = Array.from({ length: CONCURRENCY }, async () => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      const r = await runCase(c);
      console.log(`${r.skipped ? 'skip' : r.problems.length ? 'FAIL' : 'ok  '} ${r.name} (${r.ms} ms)${r.skipped ? `: ${r.skipped}` : ''}${r.problems.map((p) => `\n       ${p}`).join('')}`);
      results.push(r);
    }
  });
  await Promise.all(workers);
  const failed = results.filter((r) => r.problems.length);
  console.log(`broken endpoints: ${results.length - failed.length} of ${results.length} cases as expected, in ${Math.round((Date.now() - started) / 1000)} s`);
  process.exit(failed.length ? 1 : 0);
}

main().catch((e) => {
  console.error('broken endpoints: could not run:', e);
  process.exit(1);
});
