/**
 * The runner's part of arranging: plan the run's data from the selected scenarios, say what it
 * will create (--plan; a writing run on a real account at its start, stopping past the import-job
 * budget), arrange the shared data once before cucumber starts (network targets) or hand the plan
 * to each cucumber process (the in-process mock), and afterwards delete the shared data (unless it
 * is kept) and sum up what the run created.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigurationError, type SuiteConfig } from '../settings';
import { createRunContext } from '../targets';
import { WireLog } from '../wire';
import { countPlan, planFor, PlanError, plannedShared, type DataPlan, type PickleLike } from './plan';
import { selectedPickles } from './pickles';
import { describePlan, estimatePlan, timingFor } from './estimate';
import { arrangeShared, keptPrefix, removeShared, sharedScope, writeHandover, type Arrangement, type ProcessStats, type RunHandover } from './shared';
import type { ArrangeState, CreatedKind } from './state';

export interface RunPlan {
  plan?: DataPlan;
  pickles?: PickleLike[];
}

/**
 * The run's data plan, where the runner needs one: for --plan, for a network target that may
 * write (the runner arranges it), and for the mock when scenarios are selected by tags (without
 * tags each process arranges the whole catalog, which is what all its scenarios need).
 */
export function planRun(config: SuiteConfig, o: { profile: string; tags?: string; writes: boolean; planOnly: boolean; hasSecondAccount: boolean }): RunPlan {
  const needed = o.planOnly || (o.writes && (config.target !== 'mock' || o.tags !== undefined));
  if (!needed) return {};
  const pickles = selectedPickles(o.profile, o.tags);
  try {
    return { plan: planFor(pickles, { writes: o.writes, secondAccount: o.hasSecondAccount }), pickles };
  } catch (e) {
    if (e instanceof PlanError) throw new ConfigurationError(e.message);
    throw e;
  }
}

/** Whether the target has a second account (the mock always has). */
export const secondAccountOf = (config: SuiteConfig) => config.target === 'mock' || (config.target !== 'replay' && config.secondCredentials !== undefined);

/** The plan as text, with its estimate. */
export function planText(config: SuiteConfig, plan: DataPlan, pickles: PickleLike[], assumeImportMinutes?: number): string[] {
  const estimate = estimatePlan(plan, pickles, config, timingFor(config, assumeImportMinutes));
  const target = config.target === 'endpoint' ? `endpoint ${config.endpoint}` : config.target === 'aws' ? `a real account, region ${config.region}` : `target ${config.target}`;
  return describePlan(plan, estimate, { target, limit: config.inProgressLimit });
}

/** A writing run on a real account stops past the import-job budget (CONFORMANCE_IMPORT_JOB_BUDGET), unless told to go on. */
export function checkBudget(plan: DataPlan, o: { budget?: number | null; acceptPlan: boolean }): void {
  const jobs = countPlan(plan).jobs;
  if (o.budget === undefined || o.budget === null || jobs <= o.budget || o.acceptPlan) return;
  throw new ConfigurationError(`the plan creates ${jobs} import jobs, over the budget of ${o.budget} (CONFORMANCE_IMPORT_JOB_BUDGET, --import-job-budget): select fewer scenarios, keep fixtures between runs (--keep-fixtures), or go on with --accept-plan`);
}

/** Prints how arranging goes, at least every 10 s, on stderr. */
export class ProgressLine {
  private readonly timer: NodeJS.Timeout;
  constructor(line: () => string, everyMs = 10_000) {
    this.timer = setInterval(() => process.stderr.write(`conformance: ${line()}\n`), everyMs);
    this.timer.unref();
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

export interface HandedOver {
  /** The hand-over file (SuiteConfig.arrangementFile): the plan, or the arranged shared data. */
  file: string;
  /** Calls the runner made arranging (charged to the run, not to a scenario). */
  arrangingCalls: number;
  /** After cucumber: deletes the shared data (unless kept or resources are kept) and sums up what the run created. */
  finish(o: { keepResources: boolean; reports: string; quiet: boolean }): Promise<{ problems: string[]; summary: ArrangedSummary }>;
}

/**
 * Hands the run's data over to cucumber: for a network target that may write, arranges the shared
 * data first (here, once, for every process of the run); for the mock, passes the plan on (each
 * process arranges it in its own reference service). `runDir` is the run's private folder;
 * `recordFile` the record of created resources; `stopped` says whether the run is stopping.
 */
export async function handOver(config: SuiteConfig, plan: DataPlan | undefined, o: {
  writes: boolean; keep: boolean; runDir: string; recordFile: string; terminal: { line(text: string): void }; stopped: () => string | undefined;
}): Promise<HandedOver> {
  const handover: RunHandover = { plan, recordFile: o.recordFile, keep: o.keep, runDir: o.runDir };
  const file = join(o.runDir, 'arrangement.json');
  let arrangement: Arrangement | undefined;
  let runnerState: ArrangeState | undefined;
  let removeArranged: (() => Promise<string[]>) | undefined;
  if (o.writes && plan && (config.target === 'endpoint' || config.target === 'aws')) {
    const run = createRunContext(config);
    run.arranging.recordFile = o.recordFile;
    runnerState = run.arranging;
    const log = new WireLog();
    const abort = new AbortController();
    const watch = setInterval(() => {
      const reason = o.stopped();
      if (reason && !abort.signal.aborted) abort.abort(new Error(reason));
    }, 200);
    watch.unref();
    const scope = sharedScope(run, { log, signal: abort.signal, keep: o.keep });
    // Datasets meant to be deleted are the run's own even when fixtures are kept: only their absence is shared.
    const runScope = o.keep ? sharedScope(run, { log, signal: abort.signal, keep: false }) : undefined;
    removeArranged = async () => {
      // The deletion gets a signal of its own: a stop during arranging must not keep it from cleaning up.
      scope.beginCleanup();
      runScope?.beginCleanup();
      const problems = [...(await removeShared(scope)), ...(runScope ? await removeShared(runScope) : [])];
      scope.destroy();
      runScope?.destroy();
      return problems;
    };
    const counts = countPlan(plan);
    o.terminal.line(`conformance: arranging the shared data: ${counts.shared.jobs} import jobs in ${counts.shared.datasets} datasets${o.keep ? `, kept for later runs as ${keptPrefix()}-… (npm run cleanup -- --prefix ${keptPrefix()} removes them)` : ''}`);
    const progress = new ProgressLine(() => `arranging ${run.arranging.created['dataset import job']}/${counts.shared.jobs} import jobs created (${run.arranging.inProgress} in progress), ${run.arranging.created.dataset} datasets${o.keep ? ' (kept ones found are not counted)' : ''}`);
    try {
      arrangement = await arrangeShared(scope, plan, log, runScope);
    } catch (e) {
      if (!o.stopped()) throw e;
    } finally {
      progress.stop();
      clearInterval(watch);
    }
    if (arrangement) {
      const failed = Object.keys(arrangement.failures);
      o.terminal.line(`conformance: arranged the shared data in ${arrangement.stats.seconds.toFixed(1)} s and ${arrangement.stats.calls} API calls: ${arrangement.stats.created['dataset import job']} import jobs created${failed.length ? `; not arranged: ${failed.map((a) => `${a} (${arrangement!.failures[a].reason})`).join('; ')}` : ''}`);
      handover.arrangement = arrangement;
    }
  }
  writeHandover(file, handover);
  return {
    file,
    arrangingCalls: arrangement?.stats.calls ?? 0,
    async finish({ keepResources, reports, quiet }) {
      const problems = removeArranged && !keepResources ? await removeArranged() : [];
      const summary = summarise(plan, handover, runnerState);
      writeFileSync(join(reports, 'arranged.json'), JSON.stringify(summary, null, 2) + '\n');
      if (!quiet && summary.created.importJobs) {
        process.stdout.write(`conformance: created ${summary.created.importJobs} import jobs (${summary.created.sharedImportJobs} for the shared data), ${summary.created.datasets} datasets, ${summary.created.datasetGroups} dataset groups, ${summary.created.schemas} schemas\n`);
      }
      return { problems, summary };
    },
  };
}

/** What the run created (from the record of created resources) and what its arranging cost: reports/arranged.json. */
export interface ArrangedSummary {
  plan?: ReturnType<typeof countPlan> & { sharedDatasets: string[] };
  created: { importJobs: number; sharedImportJobs: number; datasets: number; datasetGroups: number; schemas: number };
  arranging: { calls: number; seconds: number };
}

function summarise(plan: DataPlan | undefined, handover: RunHandover, runner: ArrangeState | undefined): ArrangedSummary {
  const stats: ProcessStats[] = [
    ...(runner ? [{ arranging: handover.arrangement?.stats, created: runner.created }] : []),
    // Files the arranging processes wrote, each its ProcessStats.
    ...(handover.runDir && existsSync(handover.runDir) ? readdirSync(handover.runDir).filter((f) => f.startsWith('arranged-')).map((f) => JSON.parse(readFileSync(join(handover.runDir!, f), 'utf8')) as ProcessStats) : []),
  ];
  const sum = (kind: CreatedKind) => stats.reduce((n, s) => n + s.created[kind], 0);
  return {
    ...(plan && { plan: { ...countPlan(plan), sharedDatasets: plannedShared(plan).map((d) => d.alias) } }),
    created: {
      importJobs: sum('dataset import job'), sharedImportJobs: stats.reduce((n, s) => n + (s.arranging?.created['dataset import job'] ?? 0), 0),
      datasets: sum('dataset'), datasetGroups: sum('dataset group'), schemas: sum('schema'),
    },
    // The mock's processes each arranged their own shared data.
    arranging: { calls: stats.reduce((n, s) => n + (s.arranging?.calls ?? 0), 0), seconds: Math.max(0, ...stats.map((s) => s.arranging?.seconds ?? 0)) },
  };
}
