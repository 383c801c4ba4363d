/**
 * How runs behave as processes (src/run.ts, src/supervise.ts, src/reports-folder.ts): two runs in
 * one checkout never mix; a reports folder a live run holds is refused when named; a stale lock is
 * taken over; SIGTERM (twice, as through npm exec) ends the run only after its reports are written,
 * with the closing line last; a cucumber killed mid-run is a run error whose unfinished scenarios
 * are not shown; an incomplete verdict exits 3 unless accepted; signs of life while a step is silent.
 * Run by `npm run test:unit`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ROOT } from '../src/paths';
import type { ConformanceReport } from '../src/report/types';
import { crashOf, runChild, runStop, stopSignalled, Terminal } from '../src/supervise';

const CONFORMANCE = join(ROOT, 'bin', 'conformance.js');
const CATALOG = (JSON.parse(readFileSync(join(ROOT, 'features', 'requirements.json'), 'utf8')) as { requirements: unknown[] }).requirements.length;

interface Ended { code: number | null; stdout: string; stderr: string; /** Whether conformance.json existed the moment the process ended. */ reportAtExit: boolean }

/** The runner in `cwd` (its default reports folder is cwd/reports), with only the settings given. */
function start(cwd: string, args: string[], env: Record<string, string> = {}): { child: ChildProcess; ended: Promise<Ended>; output: () => string } {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('CONFORMANCE_') && !k.startsWith('AWS_')) clean[k] = v;
  const child = spawn(process.execPath, [CONFORMANCE, ...args], { cwd, env: { ...clean, AWS_EC2_METADATA_DISABLED: 'true', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
  const ended = new Promise<Ended>((resolve) => {
    let reportAtExit = false;
    child.on('exit', () => {
      const folder = /reports in (\S+) \(/.exec(stdout)?.[1];
      reportAtExit = !!folder && existsSync(join(folder, 'conformance.json'));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, reportAtExit });
    });
  });
  return { child, ended, output: () => stdout };
}

async function until(what: string, done: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Whether a scenario has started in the run writing to `reports` (its private folder's message stream). */
function scenarioStarted(reports: string): boolean {
  if (!existsSync(reports)) return false;
  return readdirSync(reports).filter((d) => d.startsWith('.run-')).some((d) => {
    const file = join(reports, d, 'messages.ndjson');
    return existsSync(file) && readFileSync(file, 'utf8').includes('"testCaseStarted"');
  });
}

const reportIn = (stdout: string): { folder: string; report: ConformanceReport } => {
  const folder = /reports in (\S+) \(/.exec(stdout)?.[1];
  assert.ok(folder, `no "reports in" line: ${stdout.slice(-600)}`);
  return { folder, report: JSON.parse(readFileSync(join(folder, 'conformance.json'), 'utf8')) as ConformanceReport };
};
const lastLine = (stdout: string) => stdout.trimEnd().split('\n').pop() ?? '';
const CLOSING = /^(conformant|not conformant|incomplete)\b/;

/** A pid that is certainly not running: a process that has ended. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

describe('runs that never mix', () => {
  test('a full run and a one-requirement run started a second apart in one checkout each report their own results', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'runs-mix-'));
    const reports = join(cwd, 'reports');
    try {
      // A run killed before it could clean up: its lock and its private folder.
      const dead = deadPid();
      mkdirSync(join(reports, `.run-${dead}-x`), { recursive: true });
      writeFileSync(join(reports, `.run-${dead}-x`, 'settings.json'), '{}');
      writeFileSync(join(reports, '.conformance-run.lock'), JSON.stringify({ pid: dead, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z' }));

      const full = start(cwd, ['--quiet']);
      await until('the full run to claim reports/', () => existsSync(join(reports, '.conformance-run.lock')) && readFileSync(join(reports, '.conformance-run.lock'), 'utf8').includes(`"pid":${full.child.pid}`));
      await new Promise((r) => setTimeout(r, 1000));
      // The full run is held (SIGSTOP) until the run that names its folder has been refused: on a loaded
      // machine a full run on the mock may otherwise end before the others have started.
      process.kill(full.child.pid!, 'SIGSTOP');
      const one = start(cwd, ['--quiet', '--requirement', 'LDIJ-ERR-001']);
      const named = start(cwd, ['--quiet', '--requirement', 'LDIJ-ERR-001', '--reports', 'reports']);
      // Held until the other two have chosen: on a loaded machine the run started second may
      // otherwise look for its folder only after the full run ended, and rightly take reports/.
      const c = await named.ended;
      await until('the one-requirement run to take a folder of its own', () => /this run reports to /.test(one.output()))
        .finally(() => process.kill(full.child.pid!, 'SIGCONT'));
      const [a, b] = await Promise.all([full.ended, one.ended]);

      // The named folder in use: refused in one line, exit 2.
      assert.equal(c.code, 2, c.stdout + c.stderr);
      assert.match(c.stderr.trim(), /^conformance: --reports reports: another run is writing there \(pid \d+, started [^)]+\); wait for it, or name another folder\.$/);

      assert.equal(a.code, 0, a.stdout.slice(-2000) + a.stderr);
      assert.match(a.stdout, new RegExp(`left locked by a run that is gone \\(pid ${dead},.*taken over`));
      const mine = reportIn(a.stdout);
      assert.equal(mine.folder, reports);
      assert.equal(mine.report.summary.requirements.passed, CATALOG, JSON.stringify(mine.report.summary.requirements));
      assert.equal(mine.report.summary.requirements['not selected'], 0);

      assert.equal(b.code, 0, b.stdout + b.stderr);
      assert.match(b.stdout, /another run is writing to .*: this run reports to .*reports\/run-/);
      const theirs = reportIn(b.stdout);
      assert.notEqual(theirs.folder, reports);
      assert.ok(theirs.folder.startsWith(join(reports, 'run-')), theirs.folder);
      assert.equal(theirs.report.summary.requirements.passed, 1);
      assert.equal(theirs.report.summary.requirements['not selected'], CATALOG - 1);
      assert.ok(theirs.report.requirements.find((q) => q.id === 'LDIJ-ERR-001')?.class === 'passed');

      // Each one's closing line is its own, and the last line it printed.
      assert.match(lastLine(a.stdout), CLOSING);
      assert.match(lastLine(b.stdout), CLOSING);
      assert.notEqual(lastLine(a.stdout), lastLine(b.stdout));
      // Nothing of a run is left behind: no lock, no private folder (the dead run's is gone too).
      for (const dir of [reports, theirs.folder]) assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('.')), [], dir);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe('clean ends', () => {
  test('SIGTERM twice within milliseconds (a process group and npm exec): one stop, the cleanup kept, the reports written before the process ends, the closing line last', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'runs-term-'));
    try {
      const run = start(cwd, []);
      await until('a scenario to start', () => scenarioStarted(join(cwd, 'reports')));
      run.child.kill('SIGTERM');
      run.child.kill('SIGTERM');
      const ended = await run.ended;
      assert.equal(ended.code, 143, ended.stdout.slice(-1500) + ended.stderr);
      assert.ok(ended.reportAtExit, 'conformance.json did not exist when the process ended');
      assert.doesNotMatch(ended.stdout + ended.stderr, /cleanup abandoned/);
      assert.match(lastLine(ended.stdout), CLOSING);
      const { report } = reportIn(ended.stdout);
      assert.match(report.stopped ?? '', /SIGTERM/);
      const stopped = report.requirements.flatMap((q) => q.scenarios).filter((s) => s.notShown?.cause === 'stopped');
      assert.ok(stopped.length > 0, 'no scenario is not shown (stopped)');
      assert.deepEqual(report.warnings.cleanup, []);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  test('cucumber killed mid-run: a run error (exit 4) named in the output, its unfinished scenarios not shown (crash), never passed', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'runs-crash-'));
    try {
      const run = start(cwd, []);
      await until('a scenario to start', () => scenarioStarted(join(cwd, 'reports')));
      const children = readFileSync(`/proc/${run.child.pid}/task/${run.child.pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
      assert.equal(children.length, 1, `the runner has ${children.length} children`);
      process.kill(-children[0], 'SIGKILL');
      const ended = await run.ended;
      assert.equal(ended.code, 4, ended.stdout.slice(-1500) + ended.stderr);
      assert.ok(ended.reportAtExit);
      assert.match(ended.stdout, /run error: cucumber's process was ended by SIGKILL/);
      assert.match(lastLine(ended.stdout), CLOSING);
      const { report } = reportIn(ended.stdout);
      assert.match(report.stopped ?? '', /crash/);
      const scenarios = report.requirements.flatMap((q) => q.scenarios);
      assert.ok(scenarios.some((s) => s.notShown?.cause === 'crash'), 'no scenario is not shown (crash)');
      assert.ok(scenarios.length > report.summary.scenarios.passed, 'every scenario passed although cucumber was killed');
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  test('incomplete exits 3; --accept-incomplete exits 0 and the closing line says so', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'runs-incomplete-'));
    try {
      const args = ['--quiet', '--requirement', 'LDIJ-PAGE-001'];
      const budget = { CONFORMANCE_CALL_BUDGET: '3' };
      const [strict, accepted] = await Promise.all([
        start(cwd, [...args, '--reports', 'strict'], budget).ended,
        start(cwd, [...args, '--reports', 'accepted', '--accept-incomplete'], budget).ended,
      ]);
      assert.equal(strict.code, 3, strict.stdout + strict.stderr);
      assert.match(lastLine(strict.stdout), /^incomplete:/);
      assert.match(strict.stdout, /conformance: LDIJ-PAGE-001 not shown \([^)]*\): \S/, '--quiet keeps the reason');
      assert.equal(accepted.code, 0, accepted.stdout + accepted.stderr);
      assert.match(lastLine(accepted.stdout), /^incomplete \(accepted/);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe('stop signals (src/supervise.ts)', () => {
  test("the same signal again within a second is its copy (a process group's and npm's): one stop; a later one, or another signal, is new", () => {
    try {
      assert.equal(stopSignalled('SIGTERM', 10_000), true);
      assert.equal(runStop.signal, 'SIGTERM');
      assert.equal(stopSignalled('SIGTERM', 10_003), false, 'the copy 3 ms later was passed on: it would give up the cleanup');
      assert.equal(stopSignalled('SIGTERM', 11_500), true, 'a second SIGTERM 1.5 s later is the caller insisting');
      assert.equal(stopSignalled('SIGINT', 11_501), true);
      assert.equal(runStop.reason, 'the run was stopped (SIGTERM)');
    } finally {
      // This process runs fake children next: they must not inherit a stop.
      delete runStop.signal;
      delete runStop.reason;
    }
  });
});

describe('the child process (src/supervise.ts runChild)', () => {
  const captured = () => {
    let text = '';
    return { terminal: new Terminal(new Writable({ write: (c, _e, done) => { text += String(c); done(); } })), text: () => text };
  };
  const fakeCucumber = (dir: string, body: string) => {
    const script = join(dir, 'fake-cucumber.js');
    writeFileSync(script, body);
    return script;
  };

  test('a sign of life when the child is silent: the running scenario and step, from the message stream', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'child-'));
    try {
      const messagesFile = join(dir, 'messages.ndjson');
      const lines = [
        { pickle: { id: 'p', name: 'paging through 7 jobs, 3 at a time', steps: [{ id: 'ps', text: 'a dataset with 7 import jobs', type: 'Context' }] } },
        { testCase: { id: 't', pickleId: 'p', testSteps: [{ id: 'ts', pickleStepId: 'ps' }] } },
        { testCaseStarted: { id: 's', testCaseId: 't' } }, { testStepStarted: { testCaseStartedId: 's', testStepId: 'ts' } },
      ];
      const script = fakeCucumber(dir, `require('fs').writeFileSync(${JSON.stringify(messagesFile)}, ${JSON.stringify(lines.map((l) => JSON.stringify(l)).join('\n') + '\n')});
setTimeout(() => { require('fs').appendFileSync(${JSON.stringify(messagesFile)}, '{"testRunFinished":{}}\\n'); }, 1400);
setTimeout(() => process.exit(0), 1500);`);
      const out = captured();
      const ended = await runChild([script], { cwd: dir, graceMs: 1000, messagesFile, terminal: out.terminal, lifeSignMs: 400 });
      assert.match(out.text(), /conformance: still running "paging through 7 jobs, 3 at a time" \(step: Given a dataset with 7 import jobs\), \d+ s\n/);
      assert.equal(ended.finished, true);
      assert.equal(crashOf(ended, 1000), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a child ended by a signal, or that exits before its run finished, crashed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'child-'));
    try {
      const messagesFile = join(dir, 'messages.ndjson');
      const out = captured();
      const killed = await runChild([fakeCucumber(dir, "process.kill(process.pid, 'SIGKILL');")], { cwd: dir, graceMs: 1000, messagesFile, terminal: out.terminal });
      assert.equal(killed.signal, 'SIGKILL');
      assert.match(crashOf(killed, 1000) ?? '', /ended by SIGKILL/);
      const unfinished = await runChild([fakeCucumber(dir, 'process.exit(0);')], { cwd: dir, graceMs: 1000, messagesFile, terminal: out.terminal });
      assert.match(crashOf(unfinished, 1000) ?? '', /exit 0\) before the run finished/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
