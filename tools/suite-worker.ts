/**
 * A worker of tools/suite-runs.ts: runs the whole suite on the in-process mock once per message,
 * in this one process, and writes each run's conformance report. The toolchain (the SDK, cucumber)
 * loads once; the project's own modules (steps, runner, reference service) are loaded
 * afresh for every run, so no state of one run (the mock, shared data) reaches the next (swc
 * transpiles them again: a few milliseconds a file).
 */
import { redactFiles } from '../src/redact';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { SuiteRun } from './suite-runs';

const ROOT = join(__dirname, '..');

/** Forgets every module of the project (not its dependencies), so the next require loads it anew. */
function forgetProjectModules(): void {
  for (const file of Object.keys(require.cache)) {
    if (file.startsWith(ROOT) && !file.includes('node_modules')) delete require.cache[file];
  }
}

async function runSuite(run: SuiteRun): Promise<number> {
  const saved = { ...process.env };
  Object.assign(process.env, run.env, { CONFORMANCE_TARGET: 'mock', AWS_EC2_METADATA_DISABLED: 'true' });
  delete process.env.CONFORMANCE_RUN_PREFIX;
  try {
    forgetProjectModules();
    const { readConfig } = require('../src/config') as typeof import('../src/config');
    const config = readConfig();
    process.env.CONFORMANCE_RUN_PREFIX = config.runPrefix;
    mkdirSync(run.reports, { recursive: true });
    const messagesFile = join(run.reports, 'messages.ndjson');
    rmSync(messagesFile, { force: true });
    const api = require('@cucumber/cucumber/api') as typeof import('@cucumber/cucumber/api');
    const { runConfiguration } = await api.loadConfiguration({ file: 'cucumber.cjs', profiles: ['default'] }, { cwd: ROOT });
    const support = await api.loadSupport(runConfiguration, { cwd: ROOT });
    const sources = run.tags ? { ...runConfiguration.sources, tagExpression: run.tags } : runConfiguration.sources;
    const runtime = { ...runConfiguration.runtime, failFast: !!run.failFast };
    await api.runCucumber(
      { ...runConfiguration, sources, runtime, support, formats: { stdout: 'summary', files: { [messagesFile]: 'message' }, publish: false, options: {} } },
      { cwd: ROOT, stdout: devNull(), stderr: process.stderr },
    );
    const { buildReport } = require('../src/report') as typeof import('../src/report');
    const { contractEdition } = require('../schemas') as typeof import('../schemas');
    const { report, finished, broken } = buildReport({
      messagesFile, target: `in-process mock (${Object.entries(run.env).map(([k, v]) => `${k}=${v}`).join(', ')})`, targetKind: 'mock',
      strict: config.strict, tags: run.tags, suiteVersion: 'suite-runs', sdkVersion: 'suite-runs', contractEdition,
      implementation: { name: 'reference service (in-process mock)' },
    });
    writeFileSync(join(run.reports, 'conformance.json'), JSON.stringify(report, null, 2) + '\n');
    // As src/run.ts does: the reports keep no account id of the (mock) target.
    redactFiles(['conformance.json', 'messages.ndjson'].map((f) => join(run.reports, f)));
    // As src/run.ts judges a run: every MUST passed (and every SHOULD in strict mode), every scenario ran to an end.
    const failing = !finished || broken.length > 0 || report.summary.mustFailed.length > 0 || (config.strict && report.summary.shouldFailed.length > 0);
    return failing ? 1 : 0;
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

function devNull(): Writable {
  return new Writable({ write: (_c, _e, done) => done() });
}

process.on('message', (run: SuiteRun) => {
  const started = Date.now();
  runSuite(run).then(
    (exitCode) => process.send!({ exitCode, seconds: (Date.now() - started) / 1000 }),
    (e) => process.send!({ exitCode: 2, error: e instanceof Error ? `${e.message}\n${e.stack}` : String(e) }),
  );
});

// The runner (tools/suite-runs.ts) closes the channel when it has no more runs: leave then.
process.on('disconnect', () => process.exit(0));
