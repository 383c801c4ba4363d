/**
 * Hooks: after each scenario, fail it for an error nobody asserted on, record what the wire showed
 * (schema breaks included, which src/report.ts charges to their requirements), and delete what it created.
 */
import { After, AfterAll, Before, BeforeAll, setDefaultTimeout, setDefinitionFunctionWrapper, Status, type ITestCaseHookParameter } from '@cucumber/cucumber';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { governor } from '../../src/budget';
import { envFlag } from '../../src/config';
import { ROOT } from '../../src/paths';
import { recordingFileName, redactRecording } from '../../src/recording';
import { identifyScenario } from '../../src/scenario-id';
import { ArrangementError, cleanUp } from './arrange';
import { removeSharedData } from './baseline';
import { currentWork } from '../../src/wait';
import { isWeather, wire, type Breach } from '../../src/wire';
import { RefusedAcceptedRequest, suite, type ConformanceWorld } from './world';

/** Media type of the per-scenario record that src/report.ts reads from the message stream. */
export const SCENARIO_RECORD_MEDIA_TYPE = 'application/vnd.conformance.scenario+json';

const SUITE_VERSION: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;

const STEP_TIMEOUT_MS = Number(process.env.CONFORMANCE_STEP_TIMEOUT_MS) || 5 * 60_000;
setDefaultTimeout(STEP_TIMEOUT_MS);

/**
 * Stopping the run early (SIGINT, SIGTERM, or the run's deadline, src/run.ts): the running
 * scenario's requests are aborted, its After hook still deletes what it created, and every
 * scenario after it is not run. Cucumber then ends normally, so its reports are complete.
 */
const run: { stopReason?: string; scenario?: AbortController; cleanup?: AbortController } = {};

function stopRun(reason: string): void {
  if (run.stopReason) {
    // A second signal: give up the cleanup too.
    run.cleanup?.abort(new Error(`${reason} (again): cleanup abandoned`));
    return;
  }
  run.stopReason = reason;
  console.error(`\nconformance: ${reason}: stopping after deleting what the running scenario created`);
  run.scenario?.abort(new Error(reason));
}

const stopReasons: Record<string, string> = { SIGINT: 'the run was interrupted (SIGINT)', SIGTERM: 'the run was stopped (SIGTERM)' };
process.on('SIGINT', () => stopRun(stopReasons.SIGINT));
process.on('SIGTERM', () => stopRun(stopReasons.SIGTERM));
// A signal that came while cucumber was still loading (src/early-stop.js remembered it).
const earlySignal = process.env.CONFORMANCE_STOP_SIGNAL;
if (earlySignal) stopRun(stopReasons[earlySignal] ?? `the run was stopped (${earlySignal})`);
const deadlineAt = Number(process.env.CONFORMANCE_RUN_DEADLINE_AT);
if (deadlineAt) setTimeout(() => stopRun(`the run reached its deadline (CONFORMANCE_RUN_TIMEOUT_MS=${process.env.CONFORMANCE_RUN_TIMEOUT_MS ?? ''})`), Math.max(0, deadlineAt - Date.now())).unref();

/** Requests (src/wire.ts) and waits (src/wait.ts) started from now on end when `signal` fires. */
function useSignal(signal: AbortSignal): void {
  wire.signal = signal;
  currentWork.signal = signal;
}

const TRANSPORT_TROUBLE = /TimeoutError|ETIMEDOUT|ECONNRESET|ECONNREFUSED|EPIPE|socket hang up|no complete answer within|AbortError/;

/**
 * Why a failed scenario says nothing about the target, if it does not: the run was stopping,
 * the endpoint kept throttling or failing past the SDK's retries, or the transport broke.
 */
function weatherReason(world: ConformanceWorld, result: ITestCaseHookParameter['result']): string | undefined {
  if (result?.status !== Status.FAILED) return undefined;
  if (run.stopReason && run.scenario?.signal.aborted) return run.stopReason;
  const last = world.wireLog.exchanges.at(-1);
  const lastError = world.observed.rejection as { $metadata?: { attempts?: number; httpStatusCode?: number } } | undefined;
  // A server error (not throttling) that answered, every time, the very request whose rejection the
  // scenario judges is the endpoint's verdict on that request (a client mistake it calls its own fault).
  const answerUnderTest = last !== undefined && lastError?.$metadata?.httpStatusCode === last.status && last.status >= 500 && !/Throttl/.test(last.errorType ?? '');
  if (last && isWeather(last) && !answerUnderTest) {
    return `the endpoint answered HTTP ${last.status}${last.errorType ? ` ${last.errorType}` : ''} past the SDK's retries${lastError?.$metadata?.attempts ? ` (${lastError.$metadata.attempts} attempts)` : ''}: throttling or server trouble, not a verdict`;
  }
  const message = result.message ?? '';
  if (/function timed out/.test(message)) return `a step did not end within ${STEP_TIMEOUT_MS} ms (CONFORMANCE_STEP_TIMEOUT_MS): the endpoint is too slow for a verdict`;
  const trouble = TRANSPORT_TROUBLE.exec(message);
  if (trouble) return `transport trouble (${message.split('\n')[0].slice(0, 200)}): not a verdict`;
  return undefined;
}

/**
 * Arranging is not conformance: a step whose data could not be arranged (a create refused for a
 * reason outside ListDatasetImportJobs, throttling past the retries, an endpoint gone, a wait
 * that timed out) leaves its scenario not run, with the response that stopped it; so does a
 * listing request the contract accepts that was refused in a scenario about something else.
 * Except on the in-process reference service without faults, which is correct by construction.
 */
setDefinitionFunctionWrapper(function (step: (...args: unknown[]) => unknown) {
  return async function (this: Partial<ConformanceWorld>, ...args: unknown[]) {
    try {
      return await step.apply(this, args);
    } catch (e) {
      if (e instanceof RefusedAcceptedRequest) this?.findings?.push(e.finding);
      // The correct reference in process always arranges: there, trouble arranging is a defect of the suite or the model, and fails.
      if (this?.config?.correctReference) throw e;
      if ((e instanceof ArrangementError || e instanceof RefusedAcceptedRequest) && typeof this?.notRun === 'function') return this.notRun(e.message);
      throw e;
    }
  };
});

BeforeAll(function () {
  suite();
});

/**
 * Names stable per scenario (so a recording and its replay send the same requests); past the
 * run's call budget a scenario is not run, rather than failed; a recording or replay per scenario,
 * in a file named by the scenario's stable id.
 */
Before(async function (this: ConformanceWorld, { gherkinDocument, pickle }) {
  run.scenario = new AbortController();
  useSignal(run.scenario.signal);
  if (run.stopReason) return this.notRun(run.stopReason);
  const scenario = identifyScenario(gherkinDocument, pickle);
  this.namePrefix = `${this.config.runPrefix}-${scenario.id}`;
  if (governor.current.remaining <= 0) return this.notRun(`the run's call budget of ${governor.current.limits.budget} API calls is spent (CONFORMANCE_CALL_BUDGET)`);
  if (this.config.target !== 'replay' && !this.config.record) return;
  const { dir } = this.config.recordings;
  const fixture = recordingFileName(scenario);
  if (this.config.target === 'replay' && !existsSync(join(dir, fixture))) return this.notRun(`no recording of this scenario (${scenario.key}) in ${dir}: ${fixture}`);
  const nock = require('nock') as typeof import('nock');
  const metadata = {
    recordedTarget: this.config.recordings.recordedTarget,
    recordedAt: new Date().toISOString().slice(0, 10),
    suiteVersion: SUITE_VERSION,
    scenario: `${pickle.uri}: ${pickle.name}`,
    scenarioKey: scenario.key,
    scenarioId: scenario.id,
  };
  const { nockDone } = await nock.back(fixture, {
    afterRecord: (defs) => redactRecording(defs as never, metadata, this.config.region) as never,
    recorder: { enable_reqheaders_recording: true },
  });
  this.nockDone = nockDone;
});

/** Schema breaks of the scenario, one per body, place (array indices as *) and keyword: src/report.ts charges each to its requirement. */
function distinctBreaches(world: ConformanceWorld): Breach[] {
  const seen = new Map<string, Breach>();
  for (const b of [...world.wireLog.breaches, ...world.findings]) {
    const pointer = b.pointer.replace(/\/\d+(?=\/|$)/g, '/*');
    seen.set(`${b.body} ${pointer} ${b.keyword}`, { ...b, pointer });
  }
  return [...seen.values()];
}

/**
 * No cucumber time-out for the After hook: it deletes what the scenario made, then attaches the
 * scenario's record (its verdict, not run or not); a hook cut short would lose that record and turn
 * a not-run scenario (an interrupted run, say) into a failure. Its own bounds are the waits'
 * (CONFORMANCE_WAIT_TIMEOUT_MS each), the requests' time-outs, a second Ctrl-C and the run's deadline.
 */
After({ timeout: -1 }, async function (this: ConformanceWorld, { result }) {
  const problems: string[] = [];
  if (this.observed.rejection && !this.rejectionChecked) {
    const e = this.observed.rejection as { name?: string; message?: string };
    problems.push(`The scenario got an error that no step checked: ${e.name}: ${e.message}`);
  }

  this.nockDone?.();
  const weather = weatherReason(this, result);
  // Whatever the scenario's steps still do (a step that timed out) stops here; the cleanup gets its own signal.
  run.scenario?.abort(new Error('the scenario ended'));
  run.cleanup = new AbortController();
  useSignal(run.cleanup.signal);
  const keep = envFlag('CONFORMANCE_KEEP_RESOURCES');
  const cleanupProblems = keep ? [] : await cleanUp(this);
  const budgetSpent = governor.current.remaining <= 0 && result?.status === Status.FAILED && /CallBudgetExhausted|call budget exhausted/.test(result.message ?? '');
  // The SDK could not read a body (in any step, arranging and shared data included): not run; the schema break is charged to its field where it was seen.
  const firstBreach = this.wireLog.breaches[0];
  const unreadable = result?.status === Status.FAILED && /UnreadableResponse|Deserialization error/.test(result.message ?? '');
  if (unreadable) this.notRunReason ??= `the SDK could not read a response${firstBreach ? ` that breaks its schema (${firstBreach.body} ${firstBreach.text})` : ''}: ${(result?.message ?? '').split('\n')[0]}`;
  this.attach(JSON.stringify({
    apiCalls: this.wireLog.exchanges.length,
    budgetSpent,
    notRun: weather !== undefined || unreadable,
    validatedBodies: this.wireLog.validatedBodies,
    unknownMembers: [...this.wireLog.unknownMembers],
    breaches: distinctBreaches(this),
    nullMembers: [...new Set(this.wireLog.nullMembers.map((n) => n.replace(/\/\d+(?=\/|$)/g, '/*')))],
    notRunReason: weather ?? (result?.status === Status.SKIPPED || budgetSpent || unreadable ? this.notRunReason ?? 'the call budget ran out during the scenario' : undefined),
    cleanupProblems,
  }), SCENARIO_RECORD_MEDIA_TYPE);
  if (weather) return;
  if (problems.length && result?.status !== Status.FAILED) throw new Error(problems.join('\n'));
});

AfterAll(async function () {
  if (envFlag('CONFORMANCE_KEEP_RESOURCES')) return;
  const problems = await removeSharedData();
  for (const p of problems) console.warn(`cleanup: ${p}`);
});
