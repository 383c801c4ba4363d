/**
 * Hooks: after each scenario, fail it for an error nobody asserted on or a body that broke its
 * schema, record what the wire showed (for the conformance report), and delete what it created.
 */
import { After, AfterAll, Before, BeforeAll, setDefaultTimeout, Status } from '@cucumber/cucumber';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { governor } from '../../src/budget';
import { envFlag } from '../../src/config';
import { ROOT } from '../../src/paths';
import { fixtureName, RECORDINGS, redactRecording } from '../../src/recording';
import { cleanUp } from './arrange';
import { removeSharedData } from './baseline';
import { suite, type ConformanceWorld } from './world';

/** Media type of the per-scenario record that src/report.ts reads from the message stream. */
export const SCENARIO_RECORD_MEDIA_TYPE = 'application/vnd.conformance.scenario+json';

const SUITE_VERSION: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;

setDefaultTimeout(Number(process.env.CONFORMANCE_STEP_TIMEOUT_MS) || 5 * 60_000);

BeforeAll(function () {
  suite();
});

/**
 * Names stable per scenario (so a recording and its replay send the same requests); past the
 * run's call budget a scenario is not run, rather than failed; a recording or replay per scenario.
 */
Before(async function (this: ConformanceWorld, { pickle }) {
  const id = createHash('sha256').update(`${pickle.uri}\n${pickle.name}`).digest('hex').slice(0, 7);
  this.namePrefix = `${this.config.runPrefix}-${id}`;
  if (governor.current.remaining <= 0) return this.notRun(`the run's call budget of ${governor.current.limits.budget} API calls is spent (CONFORMANCE_CALL_BUDGET)`);
  if (this.config.target !== 'replay' && !this.config.record) return;
  const fixture = fixtureName(pickle.uri, pickle.name);
  if (this.config.target === 'replay' && !existsSync(join(RECORDINGS, fixture))) return this.notRun(`no recording of this scenario in fixtures/recordings (${fixture})`);
  const nock = require('nock') as typeof import('nock');
  const metadata = {
    recordedTarget: process.env.AWS_ENDPOINT_URL_PERSONALIZE ? 'an endpoint standing in for an account (the reference emulator)' : `AWS account, region ${this.config.region}`,
    recordedAt: new Date().toISOString().slice(0, 10),
    suiteVersion: SUITE_VERSION,
    scenario: `${pickle.uri}: ${pickle.name}`,
  };
  const { nockDone } = await nock.back(fixture, {
    afterRecord: (defs) => redactRecording(defs as never, metadata, this.config.region) as never,
    recorder: { enable_reqheaders_recording: true },
  });
  this.nockDone = nockDone;
});

After(async function (this: ConformanceWorld, { result }) {
  const problems: string[] = [];
  if (this.lastError && !this.errorAsserted) {
    const e = this.lastError as { name?: string; message?: string };
    problems.push(`The scenario got an error that no step checked: ${e.name}: ${e.message}`);
  }
  const unreported = this.wireLog.takeNewViolations();
  if (unreported.length) problems.push(`Response bodies that break the contract:\n- ${unreported.join('\n- ')}`);

  this.nockDone?.();
  const keep = envFlag('CONFORMANCE_KEEP_RESOURCES');
  const cleanupProblems = keep ? [] : await cleanUp(this);
  const budgetSpent = governor.current.remaining <= 0 && result?.status === Status.FAILED && /CallBudgetExhausted|call budget exhausted/.test(result.message ?? '');
  this.attach(JSON.stringify({
    apiCalls: this.wireLog.exchanges.length,
    budgetSpent,
    validatedBodies: this.wireLog.validatedBodies,
    unknownMembers: [...this.wireLog.unknownMembers],
    notRunReason: result?.status === Status.SKIPPED || budgetSpent ? this.notRunReason ?? 'the call budget ran out during the scenario' : undefined,
    cleanupProblems,
  }), SCENARIO_RECORD_MEDIA_TYPE);
  if (problems.length && result?.status !== Status.FAILED) throw new Error(problems.join('\n'));
});

AfterAll(async function () {
  if (envFlag('CONFORMANCE_KEEP_RESOURCES')) return;
  const problems = await removeSharedData();
  for (const p of problems) console.warn(`cleanup: ${p}`);
});
