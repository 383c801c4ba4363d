/**
 * Runs the whole suite on the in-process mock many times (once per fault, once per variant), a
 * few worker processes at a time, each run into its own report folder, and reads back each run's
 * conformance report.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, type ConformanceReport } from '../src/report';

export interface SuiteRun {
  name: string;
  /** The run's settings by their variables' names (CONFORMANCE_FAULTS, CONFORMANCE_STRICT ...): read by src/settings.ts, handed to cucumber in a settings file. */
  settings: Record<string, string>;
  reports: string;
  /** Only the scenarios of this tag expression (cucumber --tags). */
  tags?: string;
  /** Stop at the first failing scenario (cucumber --fail-fast): enough to tell that a run fails. */
  failFast?: boolean;
}

export interface SuiteRunResult extends SuiteRun {
  exitCode: number;
  seconds: number;
  report?: ConformanceReport;
  /** The last lines of output, for a run that went wrong. */
  tail: string;
}

/** A worker process that runs the suite once per message (tools/suite-worker.ts). */
class Worker {
  private readonly child: ChildProcess;
  private output = '';

  constructor() {
    this.child = fork(join(ROOT, 'tools', 'suite-worker.ts'), [], {
      cwd: ROOT,
      // TypeScript as the suite's own runs load it (bin/runtime.js: ts-node with swc).
      execArgv: ['-r', join(ROOT, 'bin', 'register-typescript.js')],
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const keep = (d: Buffer) => (this.output = (this.output + String(d)).slice(-4000));
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
  }

  run(run: SuiteRun): Promise<SuiteRunResult> {
    const started = Date.now();
    this.output = '';
    return new Promise((resolve) => {
      const done = (exitCode: number, error?: string) => {
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
        const file = join(run.reports, 'conformance.json');
        const report = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ConformanceReport) : undefined;
        const tail = (error ?? this.output).split('\n').slice(-8).join('\n');
        resolve({ ...run, exitCode, seconds: (Date.now() - started) / 1000, report, tail });
      };
      const onMessage = (m: { exitCode: number; error?: string }) => done(m.exitCode, m.error);
      const onExit = (code: number | null) => done(code || 2, `worker exited (${code})`);
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
      rmSync(join(run.reports, 'conformance.json'), { force: true });
      this.child.send(run);
    });
  }

  /** Ends the worker: it leaves when its channel closes (the suite's hooks catch SIGTERM to stop a run gracefully, so a plain kill would not end it). */
  stop(): void {
    if (this.child.connected) this.child.disconnect();
  }
}

/**
 * Runs all, `concurrency` at a time (default: one per CPU, SUITE_RUN_JOBS to change), each worker
 * process running one suite after another.
 */
export async function runAll(runs: SuiteRun[], onDone?: (r: SuiteRunResult) => void): Promise<SuiteRunResult[]> {
  const concurrency = Number(process.env.SUITE_RUN_JOBS) || Math.max(1, cpus().length);
  const results = new Array<SuiteRunResult>(runs.length);
  let next = 0;
  async function work() {
    const worker = new Worker();
    try {
      while (next < runs.length) {
        const i = next++;
        results[i] = await worker.run(runs[i]);
        onDone?.(results[i]);
      }
    } finally {
      worker.stop();
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, runs.length) }, work));
  return results;
}

/** Requirements a run found failing (MUST and SHOULD alike: runs are strict). */
export function failedRequirements(r: SuiteRunResult): string[] {
  return r.report?.requirements.filter((q) => q.class === 'failed (MUST)' || q.class === 'failed (SHOULD)').map((q) => q.id) ?? [];
}
