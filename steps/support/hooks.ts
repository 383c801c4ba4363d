/**
 * Hooks: after each scenario, fail it for an error nobody asserted on or a body that broke its
 * schema, record what the wire showed (for the conformance report), and delete what it created.
 */
import { After, AfterAll, Before, BeforeAll, setDefaultTimeout, Status } from '@cucumber/cucumber';
import { governor } from './budget';
import { cleanUp } from './arrange';
import { removeSharedData } from './baseline';
import { suite, type ConformanceWorld } from './world';

/** Media type of the per-scenario record that scripts/report.ts reads from the message stream. */
export const SCENARIO_RECORD_MEDIA_TYPE = 'application/vnd.conformance.scenario+json';

setDefaultTimeout(Number(process.env.CONFORMANCE_STEP_TIMEOUT_MS) || 5 * 60_000);

BeforeAll(function () {
  suite();
});

/** Past the run's call budget, a scenario is not run (and says why), rather than failed. */
Before(function (this: ConformanceWorld) {
  if (governor.current.remaining <= 0) return this.notRun(`the run's call budget of ${governor.current.limits.budget} API calls is spent (CONFORMANCE_CALL_BUDGET)`);
});

After(async function (this: ConformanceWorld, { result }) {
  const problems: string[] = [];
  if (this.lastError && !this.errorAsserted) {
    const e = this.lastError as { name?: string; message?: string };
    problems.push(`The scenario got an error that no step checked: ${e.name}: ${e.message}`);
  }
  const unreported = this.wireLog.takeNewViolations();
  if (unreported.length) problems.push(`Response bodies that break the contract:\n- ${unreported.join('\n- ')}`);

  const keep = process.env.CONFORMANCE_KEEP_RESOURCES === '1';
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
  if (process.env.CONFORMANCE_KEEP_RESOURCES === '1') return;
  const problems = await removeSharedData();
  for (const p of problems) console.warn(`cleanup: ${p}`);
});
