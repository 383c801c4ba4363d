/**
 * Hooks: each step's error decides the scenario's outcome by its class (steps/support/classify.ts);
 * after each scenario, what it created is deleted and its record (outcome, findings with their
 * evidence, what the wire showed) is attached to the message stream for the report.
 */
import { After, AfterAll, Before, BeforeAll, setDefaultTimeout, setDefinitionFunctionWrapper, Status, type ITestCaseHookParameter } from '@cucumber/cucumber';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../src/paths';
import { recordingFileName, redactRecording } from '../../src/recording';
import { identifyScenario } from '../../src/scenario-id';
import { reproduceCommand, resolveEvidence } from '../../src/evidence';
import {
  ContractBreach, EVIDENCE_MEDIA_TYPE, NotShown, SCENARIO_RECORD_MEDIA_TYPE, StepTimedOut, Stopped,
  type Charge, type Finding, type ScenarioRecord,
} from '../../src/verdict';
import { earlyStopSignal, rememberStopSignal, settingsLoaded } from '../../src/settings';
import { cleanUp } from '../../src/arrange/provision';
import { prepareSharedData, removeSharedData, writeProcessStats } from './shared';
import { classify } from './classify';
import { registerCredentials } from '../../src/redact';
import { WireLog } from '../../src/wire';
import { evidenceMarkdown } from './evidence-text';
import { ConformanceWorld, runContext, startRunContext } from './world';

const SUITE_VERSION: string = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version; // the package's package.json has its version

// Step time-outs are the suite's own (below), so that a slow step ends as a StepTimedOut with its requests aborted.
setDefaultTimeout(-1);

/** The hooks mark themselves, so that the step wrapper leaves them alone. */
const HOOK = Symbol('conformance hook');
function hook<F extends (...args: never[]) => unknown>(fn: F): F {
  (fn as unknown as Record<symbol, boolean>)[HOOK] = true; // a mark on the function object, by a symbol no type declares
  return fn;
}

// ---- stopping the run -------------------------------------------------------------------------

const STOP_REASONS: Record<string, string> = { SIGINT: 'the run was interrupted (SIGINT)', SIGTERM: 'the run was stopped (SIGTERM)' };
// Before the settings are read (BeforeAll), a signal is remembered for BeforeAll (as src/early-stop.js does).
const onSignal = (signal: NodeJS.Signals) => (settingsLoaded() ? runContext().stop.request(STOP_REASONS[signal]) : rememberStopSignal(signal));
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

BeforeAll({ timeout: -1 }, async function (this: { parameters: unknown }) {
  const run = startRunContext(this.parameters ?? {});
  // The literal values of the credentials in use are redacted wherever they appear (recordings are written here).
  if (run.kind === 'endpoint' || run.kind === 'aws') {
    const clients = run.clientsFor({ log: new WireLog() });
    try {
      registerCredentials(await clients.client().config.credentials());
      if (run.config.secondCredentials) registerCredentials(run.config.secondCredentials);
    } catch {
      /* no credentials: the runner's preflight already said so */
    } finally {
      clients.destroy();
    }
  }
  // A signal that came while cucumber was still loading (src/early-stop.js remembered it).
  const early = earlyStopSignal();
  if (early) run.stop.request(STOP_REASONS[early] ?? `the run was stopped (${early})`);
  const deadlineAt = run.config.runDeadlineAt;
  if (deadlineAt) {
    setTimeout(() => run.stop.request(`the run reached its deadline (CONFORMANCE_RUN_TIMEOUT_MS=${run.config.runTimeoutMs})`), Math.max(0, deadlineAt - Date.now())).unref();
  }
  // The run's shared data, before any scenario (a stop meanwhile leaves every scenario not shown, as stopped).
  // Arranging is never a verdict, and never a reason to start no scenario: where it breaks off, every
  // scenario that reads the shared data says why (not shown; on the correct reference, a failure).
  await prepareSharedData(run).catch((e: unknown) => {
    if (run.stop.reason) return;
    const outcome = classify(e, new WireLog());
    run.arranging.sharedBroke = outcome instanceof NotShown ? { cause: outcome.cause, reason: outcome.reason } : { cause: 'target', reason: outcome.finding.observed };
  });
});

// ---- every step: its own time-out, and its error classified ------------------------------------

/** Runs a step within the step time-out: past it, the scenario's requests and waits are aborted. */
async function withinStepTime(world: ConformanceWorld, step: () => unknown): Promise<unknown> {
  const ms = world.config.stepTimeoutMs;
  if (!Number.isFinite(ms)) return step();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const e = new StepTimedOut(ms);
      world.abortScenario(e);
      reject(e);
    }, ms);
  });
  try {
    return await Promise.race([Promise.resolve().then(step), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** Why the correct reference service in this process must never leave a scenario not shown: there it is a defect of the suite or the model. */
const REFERENCE_CANNOT = new Set(['target', 'weather', 'suite', 'crash']);

/**
 * Every step: a ContractBreach fails the scenario; a NotShown skips the rest of it (not shown);
 * any other error is classified by its class and fields. On the correct reference in process,
 * trouble arranging or answering fails the scenario instead (a defect the mutation tests must see).
 */
setDefinitionFunctionWrapper(function (step: (...args: unknown[]) => unknown) {
  if ((step as unknown as Record<symbol, boolean>)[HOOK]) return step; // (the mark hook() sets)
  return async function (this: ConformanceWorld, ...args: unknown[]) {
    // Run hooks (BeforeAll, AfterAll) have no World: nothing to classify for a scenario.
    if (!(this instanceof ConformanceWorld)) return step.apply(this, args);
    try {
      return await withinStepTime(this, () => step.apply(this, args));
    } catch (thrown) {
      const outcome = classify(thrown, this.wire);
      if (outcome instanceof NotShown && !(this.config.correctReference && REFERENCE_CANNOT.has(outcome.cause))) {
        this.notShownBy = outcome;
        return 'skipped';
      }
      const breach = outcome instanceof ContractBreach ? outcome
        : new ContractBreach({ expected: 'the correct reference service arranges and answers every request of the suite', observed: `${outcome.cause}: ${outcome.reason}`, evidence: outcome.evidence });
      this.failure ??= breach;
      throw breach;
    }
  };
});

// ---- before and after each scenario --------------------------------------------------------------

/**
 * Names stable per scenario (so a recording and its replay send the same requests); past the
 * run's call budget or once the run is stopping, a scenario is not shown; a recording or replay
 * per scenario, in a file named by the scenario's stable id.
 */
Before(hook(async function (this: ConformanceWorld, { gherkinDocument, pickle }: ITestCaseHookParameter) {
  this.started = Date.now();
  this.unlistenStop = this.run.stop.listen((reason, again) => {
    if (again) this.abortCleanup(new Stopped(`${reason} (again): cleanup abandoned`));
    else this.abortScenario(new Stopped(reason));
  });
  // On the in-process mock nothing waits on I/O: without a turn of the event loop per scenario, a stop
  // signal, the deadline's timer and cucumber's message stream (the runner's signs of life) would wait for the run's end.
  await new Promise((resolve) => setImmediate(resolve));
  const skip = (e: NotShown) => {
    this.notShownBy = e;
    return 'skipped' as const;
  };
  if (this.run.stop.reason) return skip(new Stopped(this.run.stop.reason));
  const scenario = identifyScenario(gherkinDocument, pickle);
  this.namePrefix = `${this.config.runPrefix}-${scenario.id}`;
  this.requirement = scenario.requirement;
  if (this.run.governor.remaining <= 0) return skip(new NotShown('limit', `the run's call budget of ${this.run.governor.limits.budget} API calls is spent (CONFORMANCE_CALL_BUDGET)`));
  if (this.config.target !== 'replay' && !this.config.record) return undefined;
  const { dir } = this.config.recordings;
  const fixture = recordingFileName(scenario);
  if (this.config.target === 'replay' && !existsSync(join(dir, fixture))) return skip(new NotShown('setup', `no recording of this scenario (${scenario.key}) in ${dir}: ${fixture}`));
  const nock = require('nock') as typeof import('nock'); // loaded lazily: nock patches node:http
  const metadata = {
    recordedTarget: this.config.recordings.recordedTarget,
    recordedAt: new Date().toISOString().slice(0, 10),
    suiteVersion: SUITE_VERSION,
    scenario: `${pickle.uri}: ${pickle.name}`,
    scenarioKey: scenario.key,
    scenarioId: scenario.id,
  };
  const { nockDone } = await nock.back(fixture, {
    afterRecord: (defs) => redactRecording(defs as never, metadata, this.config.region) as never, // nock's Definition and the recording's are one JSON shape, typed apart
    recorder: { enable_reqheaders_recording: true },
  });
  this.nockDone = nockDone;
  return undefined;
}));

/** The scenario's findings, its evidence resolved, with a command that sends the first exchange again. */
function finding(world: ConformanceWorld, breach: ContractBreach): Finding {
  const requirement = breach.finding.requirement ?? world.requirement ?? '';
  const evidence = resolveEvidence(world.wire, breach.finding.evidence);
  return {
    requirement,
    expected: breach.finding.expected,
    observed: breach.finding.observed,
    evidence,
    ...(evidence[0] && { reproduce: reproduceCommand(evidence[0], world.reproTarget(requirement)) }),
  };
}

/** Schema breaks, null members and other observations of the scenario: one per body, place (indices as *) and keyword. */
function charges(world: ConformanceWorld): Charge[] {
  const seen = new Map<string, Charge>();
  const nulls = world.wire.nullMembers.map((m) => {
    const [operation, direction, pointer = ''] = m.text.split(' ');
    return { body: `${operation} ${direction}`, pointer, keyword: 'null', text: `${pointer} is null`, exchange: m.exchange };
  });
  for (const b of [...world.wire.breaches, ...world.findings, ...nulls]) {
    const pointer = b.pointer.replace(/\/\d+(?=\/|$)/g, '/*');
    const key = `${b.body} ${pointer} ${b.keyword}`;
    if (seen.has(key)) continue;
    const evidence = resolveEvidence(world.wire, b.exchange ? { exchanges: [b.exchange] } : undefined);
    seen.set(key, {
      body: b.body, pointer, keyword: b.keyword, text: b.text, evidence,
      ...(evidence[0] && { reproduce: reproduceCommand(evidence[0], world.reproTarget(world.requirement ?? '')) }),
    });
  }
  return [...seen.values(), ...world.outsideCharges];
}

/** The outcome of the scenario, from what its steps threw (classified) and what cucumber saw. */
function outcomeOf(world: ConformanceWorld, result: ITestCaseHookParameter['result']): Pick<ScenarioRecord, 'outcome' | 'notShown' | 'failures'> {
  if (world.failure) return { outcome: 'failed', failures: [finding(world, world.failure)] };
  const notShown = world.notShownBy
    ?? (result?.status === Status.PASSED && world.observed.rejection && !world.rejectionChecked
      ? new NotShown('suite', 'a defect of the suite: the scenario got an error that no step checked') : undefined)
    ?? (result?.status !== Status.PASSED ? new NotShown('suite', `a defect of the suite: cucumber ended the scenario ${result?.status ?? 'without a result'}${result?.message ? `: ${result.message.split('\n')[0]}` : ''}`) : undefined);
  if (notShown) return { outcome: 'not shown', failures: [], notShown: { cause: notShown.cause, reason: notShown.reason, evidence: resolveEvidence(world.wire, notShown.evidence) } };
  return { outcome: 'passed', failures: [] };
}

/**
 * No cucumber time-out for the After hook: it deletes what the scenario made, then attaches the
 * scenario's record; a hook cut short would lose that record. Its own bounds are the waits'
 * (CONFORMANCE_WAIT_TIMEOUT_MS each), the requests' time-outs, a second stop signal and the run's deadline.
 */
After({ timeout: -1 }, hook(async function (this: ConformanceWorld, { result }: ITestCaseHookParameter) {
  this.nockDone?.();
  const decided = outcomeOf(this, result);
  // Whatever the scenario's steps still do (a step that timed out) stops here; the cleanup gets its own signal.
  this.beginCleanup();
  // A failed scenario's data stays where the reproduction commands of its findings can find it, when the run keeps failed data.
  const keep = this.config.keepResources || (this.config.keepFailed && decided.outcome === 'failed');
  const cleanupProblems = keep ? [] : await cleanUp(this);
  this.unlistenStop?.();
  const record: ScenarioRecord = {
    version: 2,
    ...decided,
    charges: charges(this),
    apiCalls: this.wire.exchanges.length,
    validatedBodies: this.wire.validatedBodies,
    unknownMembers: [...this.wire.unknownMembers],
    cleanupProblems,
  };
  this.attach(JSON.stringify(record), SCENARIO_RECORD_MEDIA_TYPE);
  const text = evidenceMarkdown(record);
  if (text) this.attach(text, EVIDENCE_MEDIA_TYPE);
  this.release();
}));

AfterAll(async function () {
  if (!settingsLoaded()) return;
  writeProcessStats(runContext());
  if (runContext().config.keepResources) return;
  const problems = await removeSharedData();
  for (const p of problems) console.warn(`cleanup: ${p}`);
});
