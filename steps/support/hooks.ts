/**
 * Hooks: after each scenario, fail it for an error nobody asserted on or a body that broke its
 * schema, record what the wire showed (for the conformance report), and delete what it created.
 */
import { After, AfterAll, BeforeAll, setDefaultTimeout, Status } from '@cucumber/cucumber';
import { cleanUp } from './arrange';
import { removeSharedData } from './baseline';
import { suite, type ConformanceWorld } from './world';

/** Media type of the per-scenario record that scripts/report.ts reads from the message stream. */
export const SCENARIO_RECORD_MEDIA_TYPE = 'application/vnd.conformance.scenario+json';

setDefaultTimeout(Number(process.env.CONFORMANCE_STEP_TIMEOUT_MS) || 5 * 60_000);

BeforeAll(function () {
  suite();
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
  this.attach(JSON.stringify({
    validatedBodies: this.wireLog.validatedBodies,
    unknownMembers: [...this.wireLog.unknownMembers],
    notRunReason: result?.status === Status.SKIPPED ? this.notRunReason : undefined,
    cleanupProblems,
  }), SCENARIO_RECORD_MEDIA_TYPE);
  if (problems.length && result?.status !== Status.FAILED) throw new Error(problems.join('\n'));
});

AfterAll(async function () {
  if (process.env.CONFORMANCE_KEEP_RESOURCES === '1') return;
  const problems = await removeSharedData();
  for (const p of problems) console.warn(`cleanup: ${p}`);
});
