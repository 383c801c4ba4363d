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
  forgetProjectModules();
  const settings = require('../src/settings') as typeof import('../src/settings');
  const { privateRunFolder } = require('../src/reports-folder') as typeof import('../src/reports-folder');
  // The run's settings (by their variables' names) read as the runner reads them, for target mock; they
  // reach the scenarios as the runner's do: one settings file, named by the world parameters.
  const config = settings.resolveSuiteConfig(settings.readSettings('conformance', [], run.settings), 'mock', settings.DEFAULT_EMULATOR_REGION, ROOT);
  settings.prepareSdkEnvironment();
  mkdirSync(run.reports, { recursive: true });
  const own = privateRunFolder(run.reports);
  try {
    // A run of a few scenarios arranges only the shared data they read, as the runner plans it (src/arrange/runner.ts).
    let arrangementFile: string | undefined;
    if (run.tags) {
      const { planRun } = require('../src/arrange/runner') as typeof import('../src/arrange/runner');
      const { writeHandover } = require('../src/arrange/shared') as typeof import('../src/arrange/shared');
      const { plan } = planRun(config, { profile: 'default', tags: run.tags, writes: true, planOnly: false, hasSecondAccount: true });
      arrangementFile = join(own, 'arrangement.json');
      writeHandover(arrangementFile, { plan });
    }
    const worldParameters = settings.worldParametersFor(settings.writeSettingsFile(own, { ...config, arrangementFile }));
    const messagesFile = join(run.reports, 'messages.ndjson');
    rmSync(messagesFile, { force: true });
    const api = require('@cucumber/cucumber/api') as typeof import('@cucumber/cucumber/api');
    const { runConfiguration } = await api.loadConfiguration({ file: 'cucumber.cjs', profiles: ['default'] }, { cwd: ROOT });
    const support = await api.loadSupport(runConfiguration, { cwd: ROOT });
    const sources = run.tags ? { ...runConfiguration.sources, tagExpression: run.tags } : runConfiguration.sources;
    const runtime = { ...runConfiguration.runtime, failFast: !!run.failFast, worldParameters };
    await api.runCucumber(
      { ...runConfiguration, sources, runtime, support, formats: { stdout: 'summary', files: { [messagesFile]: 'message' }, publish: false, options: {} } },
      { cwd: ROOT, stdout: devNull(), stderr: process.stderr },
    );
    const { buildReport, loadCatalog, runErrors } = require('../src/report') as typeof import('../src/report');
    const { contractEdition } = require('../schemas') as typeof import('../schemas');
    const report = buildReport({
      messagesFile, catalog: loadCatalog(), target: `in-process mock (${Object.entries(run.settings).map(([k, v]) => `${k}=${v}`).join(', ')})`, deviationsTarget: 'mock', deviations: [],
      strict: config.strict, selection: run.tags, suiteVersion: 'suite-runs', sdkVersion: 'suite-runs', contractEdition,
      implementation: { name: 'reference service (in-process mock)' },
    });
    writeFileSync(join(run.reports, 'conformance.json'), JSON.stringify(report, null, 2) + '\n');
    // As src/run.ts does: the reports keep no account id of the (mock) target.
    redactFiles(['conformance.json', 'messages.ndjson'].map((f) => join(run.reports, f)));
    // As src/run.ts judges a run: conformant, with no run error (a fail-fast run stops early: its verdict is what it showed).
    return report.verdict === 'conformant' && !runErrors(report).length ? 0 : report.verdict === 'not conformant' ? 1 : 3;
  } finally {
    rmSync(own, { recursive: true, force: true });
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
