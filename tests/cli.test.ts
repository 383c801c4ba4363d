/**
 * The command lines: one settings table behind every bin (src/settings.ts), mistakes refused with
 * exit 2 and one line (never a stack trace, a hang or a silent default), --help and docs/configuration.md's
 * configuration table in agreement, and the settings reaching cucumber only through the settings
 * file. Run by `npm run test:unit`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../src/paths';
import { EXIT_CODES } from '../src/report/types';
import {
  childEnvironment, ConfigurationError, defaultText, helpText, parseBoolean, parseNumber, readSettings, resolveRegion, resolveSuiteConfig, settingsOf, settingsTable,
  writeSettingsFile, type Bin,
} from '../src/settings';
import { runSuite } from '../src/run';
import { MessageTail } from '../src/supervise';
import { tempDir } from './support/temp';

const BINS: Record<Bin, string> = {
  conformance: join(ROOT, 'bin', 'conformance.js'),
  emulator: join(ROOT, 'bin', 'emulator.js'),
  cleanup: join(ROOT, 'bin', 'cleanup.js'),
};
const CONFORMANCE = BINS.conformance;
const EMULATOR = BINS.emulator;

/** The caller's environment without the suite's settings: a test states the ones it means. */
function cleanEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('CONFORMANCE_') && !k.startsWith('AWS_')) env[k] = v;
  return { ...env, AWS_EC2_METADATA_DISABLED: 'true' };
}

/** Runs a command line of the package; ends it after 60 s so that a hang fails the test. */
function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...cleanEnvironment(), ...env } });
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
 * The runner in this process, with its own environment (process.env is not touched): it must refuse
 * with a one-line ConfigurationError, which bin/conformance.js prints as one line with exit 2.
 */
async function refusedInProcess(args: string[], expected: RegExp, env: Record<string, string> = {}) {
  await assert.rejects(runSuite(args, env), (e: Error) => {
    assert.ok(e instanceof ConfigurationError, `not a configuration error: ${e.stack}`);
    assert.doesNotMatch(e.message, /\n/);
    assert.match(e.message, expected);
    return true;
  });
}

describe('the conformance command refuses mistakes', () => {
  test('a tag syntax error: one line, exit 2, no report (the command itself)', async () => {
    const reports = tempDir('cli-test-');
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
  test('CONFORMANCE_WAIT_TIMEOUT_MS=soon is refused', () => refusedInProcess([], /CONFORMANCE_WAIT_TIMEOUT_MS=soon is not an integer of milliseconds/, { CONFORMANCE_WAIT_TIMEOUT_MS: 'soon' }));
  test('an unknown target', () => refusedInProcess(['--target', 'mock,moon'], /--target mock,moon \(moon\) is not one of: mock, endpoint, aws, replay/));
  test('an unknown option', () => refusedInProcess(['--endpont', 'http://127.0.0.1:1'], /unknown option --endpont/));
  test('a stray argument', () => refusedInProcess(['mock'], /unknown argument mock/));
  test('an option without its value', () => refusedInProcess(['--reports'], /--reports needs a value/));
  test('an option whose value is the next option', () => refusedInProcess(['--reports', '--quiet'], /--reports needs a value/));
  test('a switch given a value', () => refusedInProcess(['--strict=no'], /--strict takes no value/));
  test('an endpoint that is not a URL', () => refusedInProcess(['--endpoint', 'localhost:4599'], /--endpoint localhost:4599 .*http/));
  test('an unknown requirement id', () => refusedInProcess(['--requirement', 'LDIJ-PAGE-001,LDIJ-NOPE-001'], /--requirement LDIJ-NOPE-001: no such requirement/));
  test('an unwritable --reports folder', () => refusedInProcess(['--reports', '/etc/passwd/reports'], /--reports \/etc\/passwd\/reports: cannot write there/));
  test('a --deviations file that does not exist', () => refusedInProcess(['--deviations', 'no-such-file.json'], /--deviations no-such-file.json: no such file/));
  test('an unknown name in CONFORMANCE_FAULTS', () => refusedInProcess([], /CONFORMANCE_FAULTS=no-such-fault: unknown fault "no-such-fault"/, { CONFORMANCE_FAULTS: 'no-such-fault' }));
  test('an unknown name in --variant', () => refusedInProcess(['--variant', 'colour=red'], /--variant colour=red: unknown variant option "colour"/));
  test('--assume-import-minutes soon is refused', () => refusedInProcess(['--plan', '--assume-import-minutes', 'soon'], /--assume-import-minutes soon is not a number/));
  test('CONFORMANCE_IMPORT_JOB_BUDGET=-1 is refused', () => refusedInProcess([], /CONFORMANCE_IMPORT_JOB_BUDGET=-1 is not an integer of at least 0/, { CONFORMANCE_IMPORT_JOB_BUDGET: '-1' }));
  test('CONFORMANCE_KEEP_FIXTURES=perhaps is not a boolean', () => refusedInProcess([], /CONFORMANCE_KEEP_FIXTURES=perhaps is not a boolean/, { CONFORMANCE_KEEP_FIXTURES: 'perhaps' }));
  test('a writing run on a real account past its import-job budget stops after its plan, before any request', () =>
    refusedInProcess(['--target', 'aws', '--requirement', 'LDIJ-FILTER-003', '--import-job-budget', '5'], /the plan creates 10 import jobs, over the budget of 5 \(CONFORMANCE_IMPORT_JOB_BUDGET, --import-job-budget\).*--accept-plan/,
      { CONFORMANCE_ALLOW_WRITES: '1', AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'not-used', AWS_SECRET_ACCESS_KEY: 'not-used' }));
  test('compare-reports with a missing file', () =>
    refused(['-r', 'ts-node/register', join(ROOT, 'tools', 'compare-reports.ts'), 'no-such.json', 'no-such-either.json'], /cannot read no-such.json: ENOENT/));

  test('--help lists every flag and variable of the table, every variable the code names, the exit codes', async () => {
    const r = await run([CONFORMANCE, '--help']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trim(), helpText('conformance'));
    for (const { spec } of settingsOf('conformance')) {
      if (spec.flag) assert.ok(r.stdout.includes(`  --${spec.flag}`), `--help does not list --${spec.flag}`);
      if (spec.env) assert.ok(r.stdout.includes(spec.env), `--help does not list ${spec.env}`);
    }
    const variables = new Set<string>();
    for (const dir of ['src', 'steps', 'reference-service']) {
      const walk = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : f.endsWith('.ts') ? [join(d, f)] : []));
      for (const file of walk(join(ROOT, dir))) for (const m of readFileSync(file, 'utf8').matchAll(/\b(CONFORMANCE_[A-Z0-9_]+)/g)) variables.add(m[1]);
    }
    for (const v of variables) assert.ok(r.stdout.includes(v), `the code names ${v}, --help does not`);
    for (const [verdict, code] of Object.entries(EXIT_CODES)) assert.match(r.stdout, new RegExp(`^  ${code}\\b|, ${code}\\s`, 'm'), `exit code ${code} (${verdict}) is not in --help`);
  });
  test('--list-requirements prints the catalog', async () => {
    const r = await run([CONFORMANCE, '--list-requirements']);
    assert.equal(r.code, 0);
    const catalog = (JSON.parse(readFileSync(join(ROOT, 'features', 'requirements.json'), 'utf8')) as { requirements: { id: string }[] }).requirements;
    assert.equal(r.stdout.trim().split('\n').length, catalog.length);
    for (const { id } of catalog) assert.match(r.stdout, new RegExp(`^${id} `, 'm'));
  });
});

describe('every bin: --version, --help, one parser', { concurrency: 3 }, () => {
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> });
  for (const [bin, file] of Object.entries(BINS) as [Bin, string][]) {
    test(`${bin}: --version prints the package's version`, async () => {
      const r = await run([file, '--version']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout.trim(), new RegExp(`^personalize-[a-z-]+ ${version.version.replace(/\./g, '\\.')}$`));
    });
    test(`${bin}: --help is made from the table, and -h is --help`, async () => {
      const r = await run([file, '-h']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), helpText(bin));
    });
    test(`${bin}: an unknown option is one line, exit 2`, () => refused([file, '--no-such-option'], /unknown option --no-such-option \(see --help\)/));
  }
  test('the package names every bin', () => {
    for (const file of Object.values(BINS)) assert.ok(Object.values(version.bin).includes(`bin/${file.split('/').pop()}`), `${file} is not a bin of package.json`);
  });
  test('emulator: --clock bogus', () => refused([EMULATOR, '--clock', 'bogus', '--port', '0'], /--clock bogus is not one of: system, request/));
  test('emulator: PORT=abc', () => refused([EMULATOR], /PORT=abc is not an integer from 0 to 65535/, { PORT: 'abc' }));
  test('cleanup: no --prefix', () => refused([BINS.cleanup, '--dry-run'], /--prefix PREFIX is required/));
  test('cleanup: a prefix too short', () => refused([BINS.cleanup, '--prefix', 'cf', '--dry-run'], /--prefix cf is not a run's prefix/));
});

describe('the settings table (src/settings.ts)', () => {
  test('booleans: 1/true/yes and 0/false/no in any case; unset is the default; anything else refused', () => {
    for (const v of ['1', 'true', 'YES', 'Yes']) assert.equal(parseBoolean('X', v), true);
    for (const v of ['0', 'false', 'no', 'NO']) assert.equal(parseBoolean('X', v, true), false);
    assert.equal(parseBoolean('X', undefined, true), true);
    assert.equal(parseBoolean('X', '', false), false);
    assert.throws(() => parseBoolean('X=y', 'y'), /X=y is not a boolean/);
  });
  test('numbers: bounds and integers', () => {
    assert.equal(parseNumber('--parallel 4', '4', { min: 1, integer: true }), 4);
    assert.throws(() => parseNumber('--parallel ', '', { min: 1 }), /--parallel {2}is not a number/);
    assert.throws(() => parseNumber('N=Infinity', 'Infinity'), /N=Infinity is not a number/);
  });
  test('--flag=value and --flag value read alike; repeated and comma-listed --requirement add up; a flag wins over its variable', () => {
    const s = readSettings('conformance', ['--endpoint=http://127.0.0.1:4599', '--reports', 'out', '--requirement=LDIJ-PAGE-001,LDIJ-PAGE-002', '--requirement', 'LDIJ-ERR-001', '--quiet', '--strict'],
      { CONFORMANCE_STRICT: '0', AWS_ENDPOINT_URL_PERSONALIZE: 'http://127.0.0.1:1' });
    assert.equal(s.get('endpoint'), 'http://127.0.0.1:4599');
    assert.equal(s.get('reports'), 'out');
    assert.deepEqual(s.get('requirement'), ['LDIJ-PAGE-001', 'LDIJ-PAGE-002', 'LDIJ-ERR-001']);
    assert.equal(s.get('quiet'), true);
    assert.equal(s.get('strict'), true);
    assert.deepEqual(s.get('target'), ['endpoint'], '--endpoint makes the target endpoint');
    assert.deepEqual(readSettings('conformance', [], { AWS_ENDPOINT_URL_PERSONALIZE: 'http://127.0.0.1:1' }).get('target'), ['mock'], 'a variable alone does not');
  });
  test('the variables of --recordings, --update-fixtures, --deviations and --implementation-*, and an older name', () => {
    const s = readSettings('conformance', [], {
      CONFORMANCE_RECORDINGS: 'recs', CONFORMANCE_UPDATE_FIXTURES: 'yes', CONFORMANCE_DEVIATIONS: 'mine.json', CONFORMANCE_IMPLEMENTATION_NAME: 'x',
      CONFORMANCE_IMPLEMENTATION_URL: 'mailto:a@example.org', AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    });
    assert.equal(s.get('recordings'), 'recs');
    assert.equal(s.get('updateFixtures'), true);
    assert.equal(s.get('deviations'), 'mine.json');
    assert.equal(s.get('implementationName'), 'x');
    assert.equal(s.get('implementationUrl'), 'mailto:a@example.org');
    assert.equal(s.get('endpoint'), 'http://127.0.0.1:9');
    assert.equal(s.as('endpoint'), 'AWS_ENDPOINT_URL=http://127.0.0.1:9');
  });
  test('the defaults that used to disagree agree now', () => {
    const config = (env: Record<string, string>, target: 'mock' | 'endpoint' | 'aws' = 'mock') =>
      resolveSuiteConfig(readSettings('conformance', [], env), target, 'us-east-1');
    // A valid 0 is "no limit", never five minutes.
    assert.equal(config({ CONFORMANCE_STEP_TIMEOUT_MS: '0' }).stepTimeoutMs, Infinity);
    assert.equal(config({}).stepTimeoutMs, 300_000);
    // The listing wait on the mock is 0, as --help and docs/configuration.md say.
    assert.equal(config({}).listingWaitMs, 0);
    assert.match(defaultText('listingWaitMs', 'conformance')!, /^0; endpoint: 5000 \(5 s\); aws: 300000 \(5 min\)$/);
    // The cleanup's time-outs are the runner's for the target it goes to: an account, or an endpoint.
    const cleanup = readSettings('cleanup', ['--prefix', 'cfx0000000000']);
    assert.equal(cleanup.get('requestTimeoutMs', 'aws'), config({}, 'aws').requestTimeoutMs);
    assert.equal(cleanup.get('waitTimeoutMs', 'aws'), config({}, 'aws').waitTimeoutMs);
    assert.equal(cleanup.get('requestTimeoutMs', 'endpoint'), 10_000);
    assert.equal(cleanup.get('waitTimeoutMs', 'endpoint'), 60_000);
    // The deadline is one setting, described once.
    assert.equal(settingsOf('conformance').filter(({ spec }) => /deadline/.test(spec.help) && spec.env === 'CONFORMANCE_RUN_TIMEOUT_MS').length, 1);
    assert.equal(config({ CONFORMANCE_RUN_TIMEOUT_MS: '0' }).runTimeoutMs, 0);
  });
  test('--readonly and --smoke create nothing on an endpoint or an account; the mock stays writable', () => {
    const writes = (argv: string[], target: 'mock' | 'endpoint' | 'aws', env: Record<string, string> = {}) =>
      resolveSuiteConfig(readSettings('conformance', argv, { AWS_ENDPOINT_URL_PERSONALIZE: 'http://127.0.0.1:4599', ...env }), target, 'us-east-1').allowWrites;
    assert.equal(writes([], 'endpoint'), true);
    assert.equal(writes(['--readonly'], 'endpoint'), false);
    assert.equal(writes(['--smoke'], 'endpoint'), false);
    assert.equal(writes(['--readonly'], 'aws', { CONFORMANCE_ALLOW_WRITES: '1' }), false);
    assert.equal(writes([], 'aws', { CONFORMANCE_ALLOW_WRITES: '1' }), true);
    assert.equal(writes(['--readonly'], 'mock'), true, 'the in-process mock keeps nothing after the run');
  });
  test('the settings file: mode 0600, Infinity kept, read back by the steps', () => {
    const dir = mkdtempSync(join(tmpdir(), 'settings-file-'));
    try {
      const config = resolveSuiteConfig(readSettings('conformance', [], { CONFORMANCE_REQUEST_TIMEOUT_MS: '0', CONFORMANCE_FAULTS: 'first-page-short' }), 'mock', 'us-east-1');
      const file = writeSettingsFile(dir, config);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      // A fresh module, as a cucumber process loads it.
      const fresh = join(ROOT, 'src', 'settings.ts');
      delete require.cache[require.resolve(fresh)];
      const { settingsFromWorldParameters, settingsLoaded } = require(fresh) as typeof import('../src/settings');
      assert.equal(settingsLoaded(), false);
      assert.throws(() => settingsFromWorldParameters(), /world parameters first/);
      const read = settingsFromWorldParameters({ settingsFile: file });
      assert.equal(read.requestTimeoutMs, Infinity);
      assert.deepEqual({ ...read, requestTimeoutMs: 0 }, JSON.parse(JSON.stringify({ ...config, requestTimeoutMs: 0 })));
      assert.equal(settingsFromWorldParameters(), read, 'once per process');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  test("the region comes from the SDK's provider chain: the variable, then the profile (target aws); us-east-1 elsewhere", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'region-test-'));
    writeFileSync(join(dir, 'config'), '[profile conformance-test]\nregion = eu-west-3\n');
    // The SDK reads its provider chain from the process's environment.
    const saved = { ...process.env };
    try {
      delete process.env.AWS_REGION;
      delete process.env.AWS_DEFAULT_REGION;
      Object.assign(process.env, { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'), AWS_PROFILE: 'conformance-test' });
      assert.equal(await resolveRegion(readSettings('conformance', [], {}), 'aws'), 'eu-west-3');
      assert.equal(await resolveRegion(readSettings('conformance', [], { AWS_REGION: 'ap-south-1' }), 'aws'), 'ap-south-1');
      assert.equal(await resolveRegion(readSettings('conformance', [], {}), 'mock'), 'us-east-1');
      process.env.AWS_PROFILE = 'no-such-profile';
      await assert.rejects(resolveRegion(readSettings('conformance', [], {}), 'aws'), /No region: set AWS_REGION, or a region in your AWS profile/);
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
      rmSync(dir, { recursive: true, force: true });
    }
  });
  test("cucumber's environment carries no CONFORMANCE_ variable: the settings file is the only channel", () => {
    const before = process.env.CONFORMANCE_STRICT;
    process.env.CONFORMANCE_STRICT = '1';
    try {
      assert.deepEqual(Object.keys(childEnvironment()).filter((k) => k.startsWith('CONFORMANCE_')), []);
      assert.equal(childEnvironment().AWS_EC2_METADATA_DISABLED, 'true');
    } finally {
      if (before === undefined) delete process.env.CONFORMANCE_STRICT;
      else process.env.CONFORMANCE_STRICT = before;
    }
  });
  test('no product code reads or writes process.env but the settings module', () => {
    const offenders: string[] = [];
    const walk = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : /\.(ts|js|cjs)$/.test(f) ? [join(d, f)] : []));
    for (const dir of ['src', 'steps', 'reference-service', 'schemas', 'bin']) {
      for (const file of walk(join(ROOT, dir))) {
        if (file === join(ROOT, 'src', 'settings.ts')) continue;
        if (/process\.env\b/.test(readFileSync(file, 'utf8'))) offenders.push(file.slice(ROOT.length + 1));
      }
    }
    if (/process\.env\b/.test(readFileSync(join(ROOT, 'cucumber.cjs'), 'utf8'))) offenders.push('cucumber.cjs');
    assert.deepEqual(offenders, []);
  });
});

describe("docs/configuration.md's tables and --help agree", () => {
  const readme = readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8');
  for (const bin of ['conformance', 'emulator', 'cleanup'] as Bin[]) {
    test(`${bin}: docs/configuration.md's table is the one the settings make (npm run settings-table writes it)`, () => {
      const block = new RegExp(`<!-- settings:${bin} -->\\n([\\s\\S]*?)\\n<!-- /settings:${bin} -->`).exec(readme);
      assert.ok(block, `docs/configuration.md has no <!-- settings:${bin} --> block`);
      assert.equal(block[1], settingsTable(bin), `docs/configuration.md's table of ${bin} is out of date: run npm run settings-table`);
    });
    test(`${bin}: every row of docs/configuration.md's table says what --help says`, async () => {
      const help = (await run([BINS[bin], '--help'])).stdout;
      // --help's entries: a line of two spaces and the name (flag or variable), then its description.
      const entries = new Map<string, { head: string; body: string }>();
      const lines = help.split('\n');
      lines.forEach((line, i) => {
        if (/^ {2}\S/.test(line) && lines[i + 1]?.startsWith('      ')) entries.set(line.trim().split(/\s+/)[0], { head: line, body: lines[i + 1] });
      });
      const block = new RegExp(`<!-- settings:${bin} -->\\n([\\s\\S]*?)\\n<!-- /settings:${bin} -->`).exec(readme)?.[1] ?? '';
      const rows = block.split('\n').slice(2).map((row) => row.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim().replace(/\\\|/g, '|')));
      assert.ok(rows.length > 0, 'the table has no row');
      for (const [flag, variables, shown, meaning] of rows) {
        const name = (flag || variables.split(',')[0]).replace(/`/g, '').trim().split(' ')[0];
        const entry = entries.get(name);
        assert.ok(entry, `--help has no entry ${name}`);
        assert.ok(entry.body.includes(meaning), `--help says of ${name} something else than docs/configuration.md: ${entry.body}`);
        if (shown) assert.ok(entry.body.includes(`(default: ${shown})`), `docs/configuration.md's default of ${name} (${shown}) is not --help's: ${entry.body}`);
        for (const v of variables.split(', ').filter(Boolean)) assert.ok(entry.head.includes(v.replace(/`/g, '')), `--help does not name ${v} with ${name}`);
      }
    });
  }
});

describe('signs of life (src/supervise.ts MessageTail)', () => {
  test('names the running scenario and step from the message stream, and the run\'s end', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tail-'));
    const file = join(dir, 'messages.ndjson');
    try {
      const tail = new MessageTail(file);
      tail.poll();
      assert.equal(tail.describe(), undefined);
      const now = Date.now();
      const at = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });
      const lines = [
        { pickle: { id: 'p', name: 'paging through 7 jobs, 3 at a time', steps: [{ id: 'ps', text: 'a dataset with 7 import jobs', type: 'Context' }] } },
        { testCase: { id: 't', pickleId: 'p', testSteps: [{ id: 'ts', pickleStepId: 'ps' }] } },
        { testCaseStarted: { id: 's', testCaseId: 't', timestamp: at(now - 42_000) } },
        { testStepStarted: { testCaseStartedId: 's', testStepId: 'ts', timestamp: at(now - 41_000) } },
      ];
      writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n{"testStepFin');
      tail.poll();
      assert.equal(tail.describe(now), '"paging through 7 jobs, 3 at a time" (step: Given a dataset with 7 import jobs), 42 s');
      appendFileSync(file, 'ished":{"testCaseStartedId":"s"}}\n{"testCaseFinished":{"testCaseStartedId":"s"}}\n{"testRunFinished":{}}\n');
      tail.poll();
      assert.equal(tail.describe(now), undefined);
      assert.equal(tail.finished, true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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

