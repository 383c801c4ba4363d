/**
 * The command lines refuse mistakes: each with exit 2 and one line, never a stack trace, a hang or
 * a silent default (issue 12). Run by `npm run test:unit`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../src/paths';
import { ConfigurationError, parseBoolean, parseNumber } from '../src/config';
import { parseArgs, runSuite } from '../src/run';

const CONFORMANCE = join(ROOT, 'bin', 'conformance.js');
const EMULATOR = join(ROOT, 'bin', 'emulator.js');

/** Runs a command line of the package; ends it after 60 s so that a hang fails the test. */
function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Exit 2 with exactly one line on stderr that says `expected`, and no stack trace. */
async function refused(args: string[], expected: RegExp, env: Record<string, string> = {}): Promise<void> {
  const r = await run(args, env);
  const lines = r.stderr.trim().split('\n');
  assert.equal(r.code, 2, `exit ${r.code}; stderr: ${r.stderr}; stdout: ${r.stdout.slice(0, 500)}`);
  assert.equal(lines.length, 1, `more than one line: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assert.match(lines[0], expected);
}

/**
 * The runner in this process: it must refuse with a one-line ConfigurationError (which bin/conformance.js
 * prints as one line with exit 2, as the first spawned test shows). Environment changes are undone after.
 */
async function refusedInProcess(args: string[], expected: RegExp, env: Record<string, string> = {}) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    await assert.rejects(runSuite(args), (e: Error) => {
      assert.ok(e instanceof ConfigurationError, `not a configuration error: ${e.stack}`);
      assert.doesNotMatch(e.message, /\n/);
      assert.match(e.message, expected);
      return true;
    });
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

describe('the conformance command refuses mistakes', () => {
  test('a tag syntax error: one line, exit 2, no report (the command itself)', async () => {
    const reports = mkdtempSync(join(tmpdir(), 'cli-test-'));
    await refused([CONFORMANCE, '--tags', '@a and (', '--reports', reports], /--tags @a and \(: not a tag expression/);
    assert.deepEqual(readdirSync(reports), []);
  });
  test('a tag expression that selects no scenario: exit 2, the expression shown', () =>
    refusedInProcess(['--tags', '@no-such-tag'], /no scenario is selected by @no-such-tag/));
  for (const value of ['maybe', '2', 'on']) {
    test(`CONFORMANCE_STRICT=${value} is not a boolean`, () => refusedInProcess([], new RegExp(`CONFORMANCE_STRICT=${value} is not a boolean`), { CONFORMANCE_STRICT: value }));
  }
  test('CONFORMANCE_ALLOW_WRITES=oui is not a boolean', () => refusedInProcess(['--target', 'aws'], /CONFORMANCE_ALLOW_WRITES=oui/, { CONFORMANCE_ALLOW_WRITES: 'oui', AWS_REGION: 'us-east-1' }));
  for (const value of ['0', 'abc', '-3', '1.5']) {
    test(`--parallel ${value} is refused`, () => refusedInProcess([`--parallel=${value}`], /--parallel .* is not an integer from 1 to 64/));
  }
  test('CONFORMANCE_WAIT_TIMEOUT_MS=soon is refused', () => refusedInProcess([], /CONFORMANCE_WAIT_TIMEOUT_MS=soon is not a number/, { CONFORMANCE_WAIT_TIMEOUT_MS: 'soon' }));
  test('an unknown option', () => refusedInProcess(['--endpont', 'http://127.0.0.1:1'], /unknown option --endpont/));
  test('an option without its value', () => refusedInProcess(['--reports'], /--reports needs a value/));
  test('an unknown requirement id', () => refusedInProcess(['--requirement', 'LDIJ-PAGE-001,LDIJ-NOPE-001'], /--requirement LDIJ-NOPE-001: no such requirement/));
  test('an unwritable --reports folder', () => refusedInProcess(['--reports', '/etc/passwd/reports'], /--reports \/etc\/passwd\/reports: cannot write there/));
  test('a --deviations file that does not exist', () => refusedInProcess(['--deviations', 'no-such-file.json'], /--deviations no-such-file.json: no such file/));
  test('an unknown name in CONFORMANCE_FAULTS', () => refusedInProcess([], /CONFORMANCE_FAULTS=no-such-fault: unknown fault "no-such-fault"/, { CONFORMANCE_FAULTS: 'no-such-fault' }));
  test('an unknown name in CONFORMANCE_VARIANT', () => refusedInProcess([], /CONFORMANCE_VARIANT=colour=red: unknown variant option "colour"/, { CONFORMANCE_VARIANT: 'colour=red' }));
  test('--assume-import-minutes soon is refused', () => refusedInProcess(['--plan', '--assume-import-minutes', 'soon'], /--assume-import-minutes soon is not a number/));
  test('CONFORMANCE_IMPORT_JOB_BUDGET=-1 is refused', () => refusedInProcess([], /CONFORMANCE_IMPORT_JOB_BUDGET=-1 is not an integer of at least 0/, { CONFORMANCE_IMPORT_JOB_BUDGET: '-1' }));
  test('CONFORMANCE_KEEP_FIXTURES=perhaps is not a boolean', () => refusedInProcess([], /CONFORMANCE_KEEP_FIXTURES=perhaps is not a boolean/, { CONFORMANCE_KEEP_FIXTURES: 'perhaps' }));
  test('a writing run on a real account past its import-job budget stops after its plan, before any request', () =>
    refusedInProcess(['--target', 'aws', '--requirement', 'LDIJ-FILTER-003', '--import-job-budget', '5'], /the plan creates 10 import jobs, over the budget of 5 \(CONFORMANCE_IMPORT_JOB_BUDGET\).*--accept-plan/,
      { CONFORMANCE_ALLOW_WRITES: '1', AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'not-used', AWS_SECRET_ACCESS_KEY: 'not-used' }));
  test('compare-reports with a missing file', () =>
    refused(['-r', 'ts-node/register', join(ROOT, 'tools', 'compare-reports.ts'), 'no-such.json', 'no-such-either.json'], /cannot read no-such.json: ENOENT/));

  test('--help lists every flag, every variable the suite reads, their defaults and the exit codes', async () => {
    const r = await run([CONFORMANCE, '--help']);
    assert.equal(r.code, 0);
    const variables = new Set<string>();
    for (const dir of ['src', 'steps', 'reference-service']) {
      const walk = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : f.endsWith('.ts') ? [join(d, f)] : []));
      for (const file of walk(join(ROOT, dir))) for (const m of readFileSync(file, 'utf8').matchAll(/\b(CONFORMANCE_[A-Z0-9_]+)/g)) variables.add(m[1]);
    }
    // Hand-overs from the runner to its workers, set by the suite itself, never by a user.
    const internal = new Set(['CONFORMANCE_PREFLIGHT_CALLS', 'CONFORMANCE_RUN_DEADLINE_AT', 'CONFORMANCE_STOP_SIGNAL', 'CONFORMANCE_ARRANGEMENT']);
    for (const v of variables) if (!internal.has(v)) assert.ok(r.stdout.includes(v), `--help does not mention ${v}`);
    for (const flag of ['--target', '--endpoint', '--tags', '--requirement', '--list-requirements', '--strict', '--readonly', '--smoke', '--record',
      '--recordings', '--update-fixtures', '--deviations', '--implementation-name', '--implementation-version', '--implementation-url', '--reports', '--parallel', '--quiet',
      '--plan', '--assume-import-minutes', '--keep-fixtures', '--import-job-budget', '--accept-plan']) {
      assert.ok(r.stdout.includes(`  ${flag}`), `--help does not list ${flag}`);
    }
    assert.match(r.stdout, /default: \.\/reports/);
    assert.match(r.stdout, /Exit codes: 0 .*conforms[\s\S]*1 a requirement failed[\s\S]*2 configuration/);
  });
  test('--list-requirements prints the catalog', async () => {
    const r = await run([CONFORMANCE, '--list-requirements']);
    assert.equal(r.code, 0);
    const catalog = JSON.parse(readFileSync(join(ROOT, 'features', 'requirements.json'), 'utf8')).requirements as { id: string }[];
    assert.equal(r.stdout.trim().split('\n').length, catalog.length);
    for (const { id } of catalog) assert.match(r.stdout, new RegExp(`^${id} `, 'm'));
  });
});

describe('the emulator refuses mistakes', { concurrency: 2 }, () => {
  test('-h prints the options and exits 0', async () => {
    const r = await run([EMULATOR, '-h']);
    assert.equal(r.code, 0, r.stderr);
    for (const option of ['--port', '--clock', '--seed', '--seed-access-key', '--seed-region', '--variant', '--faults', '--verify-signatures', '--help']) assert.ok(r.stdout.includes(option), option);
  });
  test('--clock bogus', () => refused([EMULATOR, '--clock', 'bogus', '--port', '0'], /--clock bogus is not one of: system, request/));
  test('PORT=abc', () => refused([EMULATOR], /PORT=abc is not an integer from 0 to 65535/, { PORT: 'abc' }));
});

describe('parsing (src/config.ts, src/run.ts)', () => {
  test('booleans: 1/true/yes and 0/false/no in any case; unset is the default; anything else refused', () => {
    for (const v of ['1', 'true', 'YES', 'Yes']) assert.equal(parseBoolean('X', v), true);
    for (const v of ['0', 'false', 'no', 'NO']) assert.equal(parseBoolean('X', v, true), false);
    assert.equal(parseBoolean('X', undefined, true), true);
    assert.equal(parseBoolean('X', '', false), false);
    assert.throws(() => parseBoolean('X', 'y'), /X=y is not a boolean/);
  });
  test('numbers: bounds and integers', () => {
    assert.equal(parseNumber('--parallel', '4', { min: 1, integer: true }), 4);
    assert.throws(() => parseNumber('--parallel', '', { min: 1 }), /--parallel  is not a number/);
    assert.throws(() => parseNumber('N', 'Infinity'), /N=Infinity is not a number/);
  });
  test('--flag=value and --flag value read alike; repeated and comma-listed --requirement add up', () => {
    const o = parseArgs(['--endpoint=http://127.0.0.1:4599', '--reports', 'out', '--requirement=LDIJ-PAGE-001,LDIJ-PAGE-002', '--requirement', 'LDIJ-ERR-001', '--quiet', '--strict=no'], {});
    assert.equal(o.endpoint, 'http://127.0.0.1:4599');
    assert.equal(o.reports, 'out');
    assert.deepEqual(o.requirements, ['LDIJ-PAGE-001', 'LDIJ-PAGE-002', 'LDIJ-ERR-001']);
    assert.equal(o.quiet, true);
    assert.equal(o.strict, false);
  });
  test('the variables of --recordings, --update-fixtures, --deviations and --implementation-*', () => {
    const o = parseArgs([], { CONFORMANCE_RECORDINGS: 'recs', CONFORMANCE_UPDATE_FIXTURES: 'yes', CONFORMANCE_DEVIATIONS: 'mine.json', CONFORMANCE_IMPLEMENTATION_NAME: 'x', CONFORMANCE_IMPLEMENTATION_URL: 'mailto:a@example.org' });
    assert.equal(o.recordings, 'recs');
    assert.equal(o.updateFixtures, true);
    assert.equal(o.deviations, 'mine.json');
    assert.deepEqual(o.implementation, { name: 'x', version: undefined, url: 'mailto:a@example.org' });
    assert.ok(!existsSync(join(ROOT, 'recs')));
  });
});

describe('the profiles (cucumber.cjs)', () => {
  // The runner checks only a user's tags before a run (src/run.ts checkSelection): a profile's own selection is checked here.
  for (const profile of ['default', 'endpoint', 'readonly', 'smoke']) {
    test(`profile ${profile} selects scenarios`, async () => {
      const { loadConfiguration, loadSources } = await import('@cucumber/cucumber/api');
      const { runConfiguration } = await loadConfiguration({ profiles: [profile] }, { cwd: ROOT });
      const { plan } = await loadSources(runConfiguration.sources, { cwd: ROOT });
      assert.ok(plan.length > 0, `profile ${profile} selects no scenario`);
    });
  }
});
