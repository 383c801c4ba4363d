/**
 * Runs the whole suite many times (once per fault, once per variant), a few at a time, each into
 * its own report folder, and reads back each run's conformance report.
 */
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, type ConformanceReport } from '../src/report';

export interface SuiteRun {
  name: string;
  env: Record<string, string>;
  reports: string;
}

export interface SuiteRunResult extends SuiteRun {
  exitCode: number;
  seconds: number;
  report?: ConformanceReport;
  /** The last lines of output, for a run that went wrong. */
  tail: string;
}

function runOne(run: SuiteRun): Promise<SuiteRunResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'conformance.js'), '--target', 'mock', '--quiet', '--reports', run.reports], {
      cwd: ROOT,
      env: { ...process.env, ...run.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output = (output + d).slice(-4000)));
    child.stderr.on('data', (d) => (output = (output + d).slice(-4000)));
    child.on('close', (code) => {
      const file = join(run.reports, 'conformance.json');
      const report = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ConformanceReport) : undefined;
      resolve({ ...run, exitCode: code ?? 1, seconds: (Date.now() - started) / 1000, report, tail: output.split('\n').slice(-8).join('\n') });
    });
  });
}

/** Runs all, `concurrency` at a time (default: one per CPU, SUITE_RUN_JOBS to change). */
export async function runAll(runs: SuiteRun[], onDone?: (r: SuiteRunResult) => void): Promise<SuiteRunResult[]> {
  const concurrency = Number(process.env.SUITE_RUN_JOBS) || Math.max(1, cpus().length);
  const results: SuiteRunResult[] = new Array(runs.length);
  let next = 0;
  async function worker() {
    while (next < runs.length) {
      const i = next++;
      results[i] = await runOne(runs[i]);
      onDone?.(results[i]);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, runs.length) }, worker));
  return results;
}

/** Requirements a run found failing (MUST and SHOULD alike: runs are strict). */
export function failedRequirements(r: SuiteRunResult): string[] {
  return r.report?.requirements.filter((q) => q.outcome === 'failed').map((q) => q.id) ?? [];
}
