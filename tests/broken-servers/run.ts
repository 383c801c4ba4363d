/**
 * The suite against deliberately broken endpoints (./servers.ts): each case must end within its
 * configured time, a configuration problem with exit 2 and one line, and a report that charges
 * nothing to the target that the target did not do.  npm run test:broken-endpoints
 * The cases of issue 17 ("issue 17 case N") attack the runner with hostile endpoints and strings,
 * and the emulator's security switches (./emulator-security.ts, in this process).
 * Short time-outs keep the whole within about 90 s on two cores; cases run a few at a time.
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
import { cleanupOwnOnly } from '../cleanup-own-only';
import { accountIsolation, forgedTokens, shutdownUnderLoad, signatureChecks } from './emulator-security';
import { filesUnder, htmlInjection, markdownInjection, rawControls, secretLeaks, xmlForbidden } from './outputs';
import { canMakeCertificates, HOSTILE_MARKER, startBrokenServer, type BrokenKind, type BrokenServer } from './servers';
import { wireBounds } from './wire-bounds';

const ROOT = join(__dirname, '..', '..');
const REQUEST_TIMEOUT_MS = 1500;
/**
 * Starting Node, ts-node and cucumber: measured (a run that ends on its configuration before any
 * request, alone), and allowed once more than the cases that run at once, on top of each case's
 * own bound: the machines are shared.
 */
let startupMs = 0;
/**
 * Cases at once (BROKEN_ENDPOINTS_CONCURRENCY); the start-up allowance grows with it.
 * BROKEN_ENDPOINTS_ONLY=REGEX: only those cases; BROKEN_ENDPOINTS_KEEP=1: keep their reports.
 */
const CONCURRENCY = Number(process.env.BROKEN_ENDPOINTS_CONCURRENCY) || 3;
const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'conformance-broken-a', AWS_SECRET_ACCESS_KEY: 'not-a-secret' };

interface Outcome { code: number | null; out: string; ms: number; report?: ConformanceReport; junit: string; interruptedAtMs?: number; reports: string }

interface Result { name: string; problems: string[]; ms: number; skipped?: string }

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
  expect?: (o: Outcome, server?: BrokenServer) => Promise<string[]> | string[];
  /** Checks of one run reported each on its own line (the case's name is the run's). */
  parts?: { name: string; expect: (o: Outcome) => string[] }[];
  /** A check in this process instead of a run of the suite. */
  check?: () => Promise<Result>;
  /** Without --quiet: the console as a user sees it (cucumber's own failure output included). */
  noisy?: boolean;
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

const classOf = (o: Outcome, id: string) => o.report?.requirements.find((q) => q.id === id)?.class;
const reportText = (o: Outcome, name: string) => (existsSync(join(o.reports, name)) ? readFileSync(join(o.reports, name), 'utf8') : '');

/** The run ended with a report, not a crash of its own (a heap or stack limit, a run error). */
const noCrash = (o: Outcome): string[] => [
  ...(o.report ? [] : ['no conformance.json was written']),
  ...(/Reached heap limit|heap out of memory|Maximum call stack size exceeded|RangeError/.test(o.out) ? [`the runner crashed: ${/.*(heap|call stack|RangeError).*/.exec(o.out)?.[0].slice(0, 160)}`] : []),
  ...(o.code === 4 ? ['exit 4: a run error'] : []),
];

/** A requirement is in one of `classes`: never passed where it was not shown. */
const classIs = (o: Outcome, id: string, classes: string[]): string[] => {
  const c = classOf(o, id);
  return c !== undefined && classes.includes(c) ? [] : [`${id} is ${c ?? 'absent from the report'}, expected ${classes.join(' or ')}${o.report?.requirements.find((q) => q.id === id)?.reason ? ` (${o.report?.requirements.find((q) => q.id === id)?.reason?.slice(0, 160)})` : ''}`];
};

/** A failed requirement carries the exchanges that showed it. */
const withEvidence = (o: Outcome, id: string): string[] => {
  const q = o.report?.requirements.find((r) => r.id === id);
  if (!q?.class?.startsWith('failed')) return [];
  return (q.findings ?? []).some((f) => f.evidence?.length > 0) ? [] : [`${id} failed without evidence (no exchange in its findings)`];
};

/** A run on a small heap: a runner that keeps every page would crash within the case's time. */
const SMALL_HEAP = { NODE_OPTIONS: '--max-old-space-size=512' };

/** Session tokens of the shapes STS has issued; the test looks for the literal value, whatever its prefix. */
const sessionToken = (prefix: string) => `${prefix}${Buffer.from(`conformance-echo-${prefix}-${Date.now()}-${'q'.repeat(120)}`).toString('base64')}`;

const echoedSessionToken = (prefix: string): Case => {
  const token = sessionToken(prefix);
  return {
    name: `issue 17 case 13: an endpoint that echoes request headers, session token ${prefix}…: in no report file and not on the console`,
    server: 'echoes-headers', env: { AWS_SESSION_TOKEN: token }, args: ['--readonly', '--tags', '@req:LDIJ-ERR-010'], boundMs: 15_000,
    expect: (o) => [
      ...noCrash(o),
      ...secretLeaks(token, o.reports, o.out),
      // Not vacuous: the echo reached the reports (the header name stands in for what was redacted).
      ...(filesUnder(o.reports).some((f) => /x-amz-security-token/i.test(readFileSync(f, 'latin1'))) ? [] : ['the echoed headers reached no report file: the check shows nothing']),
    ],
  };
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
    server: 'slow', serverOptions: { delayMs: 1000 }, args: ['--tags', '@req:LDIJ-PAGE-007'],
    env: { CONFORMANCE_STEP_TIMEOUT_MS: '2500', CONFORMANCE_REQUEST_TIMEOUT_MS: '5000', CONFORMANCE_RUN_PREFIX: 'cfbrokenstep0' }, boundMs: 40_000,
    expect: async (o, server) => {
      const left = await leftoverGroups(server, 'cfbrokenstep0');
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
    server: 'reference', env: { CONFORMANCE_RUN_PREFIX: 'cfbrokenint00' }, interruptAfterRequests: 600, boundMs: 60_000,
    expect: async (o, server) => {
      const left = await leftoverGroups(server, 'cfbrokenint00');
      const stopping = o.interruptedAtMs === undefined ? undefined : o.ms - o.interruptedAtMs;
      // Stopping includes the interrupted scenario's cleanup: 10 s, plus the start-up allowance every case gets on a loaded machine.
      const stopBound = 10_000 + (CONCURRENCY + 1) * startupMs;
      return [
        ...(stopping === undefined ? ['the run ended before its 600th request: not interrupted'] : []),
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
  // ---- issue 17: safe against a hostile endpoint and hostile strings ----------------------------
  {
    name: 'issue 17 case 1: pages of 3.9 MB, each with a fresh token: no heap crash, LDIJ-PAGE-004 never passed',
    server: 'huge-pages', env: SMALL_HEAP, args: ['--readonly', '--tags', '@req:LDIJ-PAGE-004'], boundMs: 30_000,
    expect: (o) => [
      ...noCrash(o),
      ...(o.code !== 0 ? [] : ['exit 0']),
      ...classIs(o, 'LDIJ-PAGE-004', ['failed (MUST)', 'not shown']),
      ...withEvidence(o, 'LDIJ-PAGE-004'),
      ...(/LDIJ-PAGE-004[^\n]*\|\s*passed/.test(reportText(o, 'conformance.md')) ? ['conformance.md says LDIJ-PAGE-004 passed'] : []),
    ],
  },
  {
    name: 'issue 17 case 2: an endless listing, maxResults new jobs a page: each walk capped, LDIJ-PAGE-004 failed, the others not shown',
    server: 'endless', env: SMALL_HEAP, args: ['--readonly', '--tags', '@req:LDIJ-PAGE-004 or @req:LDIJ-RESP-001'], boundMs: 30_000,
    expect: (o) => {
      const page004 = o.report?.requirements.find((q) => q.id === 'LDIJ-PAGE-004');
      const told = [page004?.reason ?? '', ...(page004?.findings?.map((f) => f.observed) ?? [])].join(' ');
      return [
        ...noCrash(o),
        ...(o.code !== 0 ? [] : ['exit 0']),
        ...classIs(o, 'LDIJ-PAGE-004', ['failed (MUST)']),
        ...withEvidence(o, 'LDIJ-PAGE-004'),
        ...(/page/i.test(told) && /token/i.test(told) ? [] : [`LDIJ-PAGE-004 does not tell pages and tokens: ${told.slice(0, 200)}`]),
        ...(/did not end within/.test(told) ? ['LDIJ-PAGE-004 was ended by the step time-out, not by the walk\'s cap'] : []),
        ...classIs(o, 'LDIJ-RESP-001', ['not shown']),
      ];
    },
  },
  {
    name: 'issue 17 case 3: every listing throttled (429) after the preflight: LDIJ-ERR-005 and LDIJ-ERR-002 not shown, neither passed nor failed',
    // Each scenario spends the SDK's five attempts, backing off (sleeping): four workers share the seven.
    server: 'throttles-after-preflight', args: ['--readonly', '--tags', '@req:LDIJ-ERR-005 or @req:LDIJ-ERR-002', '--parallel', '4'], boundMs: 40_000,
    expect: (o) => [...noCrash(o), ...nothingCharged(o), ...classIs(o, 'LDIJ-ERR-005', ['not shown']), ...classIs(o, 'LDIJ-ERR-002', ['not shown'])],
  },
  {
    name: 'issue 17 case 4: an unknown member nested 200,000 levels deep: no crash, the body reported as what it is (an unknown member, or too deep)',
    server: 'deep-member', args: ['--readonly', '--tags', '@req:LDIJ-ERR-002'], boundMs: 20_000,
    expect: (o) => [
      ...noCrash(o),
      ...([reportText(o, 'conformance.md'), reportText(o, 'conformance.json'), reportText(o, 'junit.xml')].some((t) => /Maximum call stack|RangeError/.test(t)) ? ['a report carries a stack overflow'] : []),
      ...(classOf(o, 'LDIJ-ERR-002')?.startsWith?.('failed') ? [`LDIJ-ERR-002 failed: ${o.report?.requirements.find((q) => q.id === 'LDIJ-ERR-002')?.reason?.slice(0, 160)}`] : []),
      // Reported as what it is: an unknown member (the body inspected whole), or a body too deep to inspect.
      ...(/conformanceDeep|too deep/i.test(reportText(o, 'conformance.md')) ? [] : ['conformance.md names neither the unknown member nor a body too deep to inspect']),
    ],
  },
  {
    name: 'issue 17 case 9: the preflight quotes a body of terminal escapes and NUL: escaped on the console',
    server: 'binary-listing', boundMs: REQUEST_TIMEOUT_MS,
    expect: (o) => [
      ...configurationError(/is this a Personalize endpoint/)(o),
      ...rawControls(o.out, 'the console'),
      ...(o.out.includes(HOSTILE_MARKER) ? [] : ['the body is not quoted at all: the check shows nothing']),
    ],
  },
  {
    name: 'issue 17 cases 9 to 12: hostile job names, failure reasons, error types and messages, and --implementation-name \'impl$`\'',
    server: 'hostile-strings', args: ['--readonly', '--tags', '@req:LDIJ-ERR-002 or @req:LDIJ-ERR-003 or @req:LDIJ-ERR-005', '--implementation-name', 'impl$`'], boundMs: 15_000, noisy: true,
    parts: [
      {
        name: 'issue 17 case 9: ESC[2J, an OSC 8 hyperlink and NUL from the target: escaped on the console',
        expect: (o) => [...noCrash(o), ...rawControls(o.out, 'the console'), ...(o.out.includes(HOSTILE_MARKER) ? [] : ['no target text reached the console: the check shows nothing'])],
      },
      {
        name: 'issue 17 case 10: an error type with line breaks, <h1>, <img onerror> and [x](javascript:…): escaped or code-quoted in conformance.md',
        expect: (o) => {
          const md = reportText(o, 'conformance.md');
          return [...markdownInjection(md), ...(md.includes(HOSTILE_MARKER) ? [] : ['no target text reached conformance.md: the check shows nothing'])];
        },
      },
      {
        name: 'issue 17 case 11: U+FFFE, U+FFFF and other characters XML 1.0 forbids: not in junit.xml',
        expect: (o) => [...xmlForbidden(o.junit), ...(o.junit.includes(HOSTILE_MARKER) ? [] : ['no target text reached junit.xml: the check shows nothing'])],
      },
      {
        name: 'issue 17 case 12: --implementation-name \'impl$`\' (a replace pattern) and target markup: cucumber.html intact',
        expect: (o) => htmlInjection(reportText(o, 'cucumber.html'), 'impl$`'),
      },
    ],
  },
  echoedSessionToken('FQoGZXIvYXdzE'),
  echoedSessionToken('AQoDYXdzE'),
  {
    name: 'issue 17 case 15: 5,000 response headers: the preflight says so, not "an http:// URL for a TLS port?"',
    server: 'many-headers', boundMs: REQUEST_TIMEOUT_MS,
    expect: (o) => [
      ...configurationError(/response headers/i)(o),
      ...(/TLS port/.test(o.out) ? ['the message still suggests a TLS port'] : []),
    ],
  },
  { name: 'issue 17 case 5: cleanup by exact ownership', boundMs: 30_000, check: () => timedCheck('issue 17 case 5: cleanup deletes the run\'s own schemas and keeps look-alikes of another user and of a concurrent run; a short prefix is refused', cleanupOwnOnly) },
  { name: 'issue 17 case 6: (in this process)', boundMs: 5_000, check: signatureChecks },
  { name: 'issue 17 case 7: (in this process)', boundMs: 5_000, check: forgedTokens },
  { name: 'issue 17 case 8: (in this process)', boundMs: 10_000, check: accountIsolation },
  { name: 'issue 17 case 14: (in this process)', boundMs: 20_000, check: shutdownUnderLoad },
];

async function timedCheck(name: string, check: () => Promise<string[]>): Promise<Result> {
  const started = Date.now();
  try {
    return { name, problems: await check(), ms: Date.now() - started };
  } catch (e) {
    return { name, problems: [`could not run: ${e instanceof Error ? e.stack ?? e.message : String(e)}`], ms: Date.now() - started };
  }
}

function runSuite(c: Case, server: BrokenServer | undefined, reports: string): Promise<Outcome> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('AWS_') || k.startsWith('CONFORMANCE_')) delete env[k];
  Object.assign(env, CREDENTIALS, {
    AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true',
    CONFORMANCE_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS), CONFORMANCE_WAIT_TIMEOUT_MS: '5000', CONFORMANCE_STEP_TIMEOUT_MS: '15000',
  }, c.env);
  const args = [join(ROOT, 'bin', 'conformance.js'), ...(c.noisy ? [] : ['--quiet']), '--reports', reports, ...(server ? ['--endpoint', c.url ? c.url(server) : server.url] : []), ...(c.args ?? [])];
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
      resolve({ code, out, ms: Date.now() - started, interruptedAtMs, report: existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) as ConformanceReport : undefined, junit: existsSync(junit) ? readFileSync(junit, 'utf8') : '', reports });
    });
  });
}

/**
 * A case's bound with a quarter more for a loaded machine: CI runs four checks at once on two cores,
 * and the start-up floor is measured once, before the load. A run that hangs still breaks it.
 */
const boundOf = (c: Case): number => Math.round(c.boundMs * 1.25);

async function runCase(c: Case): Promise<Result[]> {
  const skipped = c.skip?.();
  if (skipped) return [{ name: c.name, problems: [], ms: 0, skipped }];
  const startup = (CONCURRENCY + 1) * startupMs;
  if (c.check) {
    const r = await c.check();
    if (startupMs && r.ms > boundOf(c) + startup) r.problems.push(`took ${r.ms} ms, bound ${boundOf(c)} ms + ${CONCURRENCY + 1} × ${startupMs} ms`);
    return [r];
  }
  const server = c.server ? await startBrokenServer(c.server, c.serverOptions) : undefined;
  const reports = mkdtempSync(join(tmpdir(), 'broken-endpoint-'));
  try {
    const o = await runSuite(c, server, reports);
    const tooLong = startupMs && o.ms > boundOf(c) + startup ? [`took ${o.ms} ms, bound ${boundOf(c)} ms + ${CONCURRENCY + 1} × ${startupMs} ms to start`] : [];
    const output = `output: ${o.out.trim().split('\n').slice(-4).join(' | ')}`;
    const parts = c.parts ?? [{ name: c.name, expect: () => [] }];
    const results: Result[] = [];
    for (const [i, part] of parts.entries()) {
      const problems = [...(c.expect && i === 0 ? await c.expect(o, server) : []), ...part.expect(o), ...(i === 0 ? tooLong : [])];
      if (problems.length) problems.push(output);
      results.push({ name: part.name, problems, ms: o.ms });
    }
    return results;
  } finally {
    server?.close();
    // BROKEN_ENDPOINTS_KEEP=1 keeps each run's reports (their folder is in the output), for looking into a case.
    if (process.env.BROKEN_ENDPOINTS_KEEP) console.log(`     (${c.name}: reports kept in ${reports})`);
    else rmSync(reports, { recursive: true, force: true });
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
    s.on('data', (d: Buffer) => (out += String(d)));
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
  const [floor] = await runCase(CASES[0]);
  startupMs = floor.ms;
  console.log(`${floor.problems.length ? 'FAIL' : 'ok  '} ${floor.name} (${floor.ms} ms: the floor of starting up)${floor.problems.map((p) => `\n       ${p}`).join('')}`);
  results.push(floor);
  // BROKEN_ENDPOINTS_ONLY=REGEX runs only the cases whose name matches (the floor always runs).
  const only = process.env.BROKEN_ENDPOINTS_ONLY ? new RegExp(process.env.BROKEN_ENDPOINTS_ONLY) : undefined;
  const selected = CASES.slice(1).filter((c) => !only || only.test(c.name) || c.parts?.some((p) => only.test(p.name)));
  // Runs of the suite a few at a time, the longest first; the checks in this process (mostly
  // waiting on their own servers and children) one after another beside them.
  const queue = selected.filter((c) => !c.check).sort((a, b) => b.boundMs - a.boundMs);
  const inProcess = selected.filter((c) => c.check);
  const report = (r: Result) => {
    console.log(`${r.skipped ? 'skip' : r.problems.length ? 'FAIL' : 'ok  '} ${r.name} (${r.ms} ms)${r.skipped ? `: ${r.skipped}` : ''}${r.problems.map((p) => `\n       ${p}`).join('')}`);
    results.push(r);
  };
  const lane = async (cases: Case[]) => {
    for (let c = cases.shift(); c; c = cases.shift()) for (const r of await runCase(c)) report(r);
  };
  await Promise.all([...Array.from({ length: CONCURRENCY }, () => lane(queue)), lane(inProcess)]);
  const failed = results.filter((r) => r.problems.length);
  console.log(`broken endpoints: ${results.length - failed.length} of ${results.length} cases as expected, in ${Math.round((Date.now() - started) / 1000)} s`);
  process.exit(failed.length ? 1 : 0);
}

main().catch((e) => {
  console.error('broken endpoints: could not run:', e);
  process.exit(1);
});
