/**
 * The run's shared data in this process: handed over by the runner (a network target, arranged
 * once before cucumber started), or arranged here before the first scenario (the in-process mock,
 * whose reference service is this process's own; or a run that cucumber started without the
 * runner, which arranges the whole catalog). The steps only read it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogPlan } from '../../src/arrange/plan';
import { arrangeShared, primaryJobs, readHandover, removeShared, sharedScope, type ProcessStats } from '../../src/arrange/shared';
import { cucumberWorkerId } from '../../src/settings';
import type { RunContext } from '../../src/targets';
import { Stopped } from '../../src/verdict';
import { WireLog } from '../../src/wire';

/** The cleanup of shared data this process arranged on an endpoint (none on the mock, whose state ends with the process). */
let arrangedHere: { cleanups: { what: string; run: () => Promise<void> }[]; destroy(): void } | undefined;
/** Gives the arranging a fresh signal for its cleanup, once its arranging was stopped. */
let cleanupPhase = (): void => undefined;

export async function prepareSharedData(run: RunContext): Promise<void> {
  const handover = readHandover(run.config.arrangementFile);
  run.arranging.recordFile = handover?.recordFile;
  if (!run.config.allowWrites) return;
  if (handover?.arrangement) {
    run.arranging.shared = handover.arrangement;
    run.accountJobs.created(primaryJobs(handover.arrangement));
    return;
  }
  const plan = handover?.plan ?? catalogPlan({ writes: true, secondAccount: run.hasSecondAccount });
  const log = new WireLog();
  // The arranging ends at the run's first stop; the cleanup after it (removeSharedData) only at a second one.
  let phase = new AbortController();
  run.stop.listen((reason, again) => phase.abort(new Stopped(again ? `${reason} (again): cleanup abandoned` : reason)));
  cleanupPhase = () => {
    if (phase.signal.aborted) phase = new AbortController();
  };
  // Started without the runner, each process of a parallel run arranges its own, under its own names.
  const worker = !handover && run.kind !== 'mock' ? `-w${cucumberWorkerId()}` : '';
  const scope = sharedScope(run, { log, signal: () => phase.signal, keep: !!handover?.keep, prefix: `${run.config.runPrefix}${worker}` });
  // An endpoint's shared data is deleted after the run, even when its arranging was stopped half-way.
  if (run.kind !== 'mock') arrangedHere = scope;
  const progress = setInterval(() => process.stderr.write(`conformance: arranging the shared data in this process: ${run.arranging.created['dataset import job']} import jobs created (${run.arranging.inProgress} in progress), ${run.arranging.created.dataset} datasets\n`), 10_000);
  try {
    run.arranging.shared = await arrangeShared(scope, plan, log);
    run.arranging.arrangedHere = true;
    run.accountJobs.created(primaryJobs(run.arranging.shared));
  } finally {
    clearInterval(progress);
  }
  if (run.kind === 'mock') scope.destroy();
}

/**
 * What this process created and what its arranging cost, for the runner's sum (the arranging's calls
 * are charged to the run, not to a scenario): a file in the run's private folder, once its scenarios ended.
 */
export function writeProcessStats(run: RunContext): void {
  const runDir = readHandover(run.config.arrangementFile)?.runDir;
  if (!runDir) return;
  const stats: ProcessStats = { ...(run.arranging.arrangedHere && { arranging: run.arranging.shared?.stats }), created: run.arranging.created };
  writeFileSync(join(runDir, `arranged-${process.pid}.json`), JSON.stringify(stats));
}

/** Deletes the shared data this process arranged on an endpoint. */
export async function removeSharedData(): Promise<string[]> {
  if (!arrangedHere) return [];
  cleanupPhase();
  const problems = await removeShared(arrangedHere);
  arrangedHere.destroy();
  arrangedHere = undefined;
  return problems;
}
