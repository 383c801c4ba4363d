/**
 * The runner's part of arranging: plan the run's data from the selected scenarios, say what it
 * will create (--plan; a writing run on a real account at its start, stopping past the import-job
 * budget), arrange the shared data once before cucumber starts (network targets) or hand the plan
 * to each cucumber process (the in-process mock), and afterwards delete the shared data (unless it
 * is kept) and sum up what the run created.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, type SuiteConfig } from '../config';
import { createRunContext } from '../targets';
import { WireLog } from '../wire';
import { countPlan, planFor, PlanError, plannedShared, type DataPlan, type PickleLike } from './plan';
import { selectedPickles } from './pickles';
import { describePlan, estimatePlan, timingFor } from './estimate';
import { arrangeShared, HANDOVER_ENV, keptPrefix, removeShared, sharedScope, writeHandover, type Arrangement, type ArrangeStats, type RunHandover } from './shared';
import type { CreatedResource } from './state';

/** The settings of planning and arranging (to join the settings table of src/settings.ts). */
export interface ArrangeSettings {
  /** --plan: print the plan and exit, calling nothing. */
  planOnly: boolean;
  /** --assume-import-minutes N: the import duration the plan's time assumes. */
  assumeImportMinutes?: number;
  /** --keep-fixtures (CONFORMANCE_KEEP_FIXTURES): the shared data stays, tagged, for later runs to reuse. */
  keepFixtures: boolean;
  /** CONFORMANCE_IMPORT_JOB_BUDGET (--import-job-budget): most import jobs a writing run on a real account creates without --accept-plan. */
  importJobBudget?: number;
  /** --accept-plan: go on past the import-job budget. */
  acceptPlan: boolean;
}

/** The default import-job budget on a real account: a few scenarios' worth, never a full run unawares. */
export const DEFAULT_IMPORT_JOB_BUDGET_ON_AWS = 20;

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

/** A writing run on a real account stops past the import-job budget, unless told to go on. */
export function checkBudget(plan: DataPlan, s: ArrangeSettings): void {
  const jobs = countPlan(plan).jobs;
  const budget = s.importJobBudget ?? DEFAULT_IMPORT_JOB_BUDGET_ON_AWS;
  if (jobs > budget && !s.acceptPlan) {
    throw new ConfigurationError(`the plan creates ${jobs} import jobs, over the budget of ${budget} (CONFORMANCE_IMPORT_JOB_BUDGET): select fewer scenarios, keep fixtures between runs (--keep-fixtures), or go on with --accept-plan`);
  }
}

/** Prints how arranging goes, at least every 10 s. */
class ProgressLine {
  private timer?: NodeJS.Timeout;
  constructor(private readonly line: () => string, private readonly print: (l: string) => void, everyMs = 10_000) {
    this.timer = setInterval(() => this.print(this.line()), everyMs);
    this.timer.unref();
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

export interface HandedOver {
  /** Variables for the cucumber process (the handover file's path). */
  env: Record<string, string>;
  /** Calls the runner made arranging (charged to the run, not to a scenario). */
  arrangingCalls: number;
  /** After cucumber: deletes the shared data (unless kept) and sums up what the run created. */
  finish(o: { keepResources: boolean; reports: string; quiet: boolean }): Promise<{ problems: string[]; summary: ArrangedSummary }>;
}

/**
 * Hands the run's data over to cucumber: for a network target that may write, arranges the shared
 * data first (here, once, for every process of the run); for the mock, passes the plan on (each
 * process arranges it in its own reference service). `stopped` says whether the run is stopping.
 */
export async function handOver(config: SuiteConfig, plan: DataPlan | undefined, o: { writes: boolean; keep: boolean; quiet: boolean; stopped: () => string | undefined }): Promise<HandedOver> {
  const runDir = mkdtempSync(join(tmpdir(), 'conformance-run-'));
  const handover: RunHandover = { plan, recordFile: join(runDir, 'created.jsonl'), keep: o.keep, runDir };
  const file = join(runDir, 'handover.json');
  let arrangement: Arrangement | undefined;
  let removeArranged: (() => Promise<string[]>) | undefined;
  if (o.writes && plan && config.target !== 'mock' && config.target !== 'replay') {
    const run = createRunContext(config);
    run.arranging.recordFile = handover.recordFile;
    const log = new WireLog();
    const abort = new AbortController();
    const watch = setInterval(() => {
      const reason = o.stopped();
      if (reason && !abort.signal.aborted) abort.abort(new Error(reason));
    }, 200);
    watch.unref();
    const scope = sharedScope(run, { log, signal: abort.signal, keep: o.keep });
    // Datasets meant to be deleted are the run's own even when fixtures are kept: only their deletion is shared.
    const runScope = o.keep ? sharedScope(run, { log, signal: abort.signal, keep: false }) : undefined;
    const counts = countPlan(plan);
    const print = (l: string) => process.stderr.write(`conformance: ${l}\n`);
    print(`arranging the shared data: ${counts.shared.jobs} import jobs in ${counts.shared.datasets} datasets${o.keep ? `, kept for later runs as ${keptPrefix()}-… (npm run cleanup -- --prefix ${keptPrefix()} removes them)` : ''}`);
    const progress = new ProgressLine(() => `arranging ${run.arranging.created['import job']}/${counts.shared.jobs} import jobs created (${run.arranging.inProgress} in progress), ${run.arranging.created.dataset} datasets${o.keep ? ' (kept ones found are not counted)' : ''}`, print);
    try {
      arrangement = await arrangeShared(scope, plan, log, undefined, runScope);
    } finally {
      progress.stop();
      clearInterval(watch);
    }
    const failed = Object.keys(arrangement.failures);
    print(`arranged the shared data in ${arrangement.stats.seconds.toFixed(1)} s and ${arrangement.stats.calls} API calls: ${arrangement.stats.created['import job']} import jobs created${failed.length ? `; not arranged: ${failed.map((a) => `${a} (${arrangement!.failures[a].reason})`).join('; ')}` : ''}`);
    handover.arrangement = arrangement;
    removeArranged = async () => {
      const problems = [...(await removeShared(scope)), ...(runScope ? await removeShared(runScope) : [])];
      scope.destroy();
      runScope?.destroy();
      return problems;
    };
  }
  writeHandover(file, handover);
  return {
    env: { [HANDOVER_ENV]: file },
    arrangingCalls: arrangement?.stats.calls ?? 0,
    async finish({ keepResources, reports, quiet }) {
      const problems = removeArranged && !keepResources ? await removeArranged() : [];
      const summary = summarise(plan, handover, arrangement?.stats, runDir);
      writeFileSync(join(reports, 'arranged.json'), JSON.stringify(summary, null, 2) + '\n');
      if (!quiet && summary.created.importJobs) console.log(`conformance: created ${summary.created.importJobs} import jobs (${summary.created.sharedImportJobs} shared, ${summary.created.importJobs - summary.created.sharedImportJobs} by scenarios), ${summary.created.datasets} datasets, ${summary.created.datasetGroups} dataset groups, ${summary.created.schemas} schemas; arranging the shared data took ${summary.arranging.calls} API calls`);
      rmSync(runDir, { recursive: true, force: true });
      return { problems, summary };
    },
  };
}

/** What the run created (from the record of created resources) and what its arranging cost: reports/arranged.json. */
export interface ArrangedSummary {
  plan?: ReturnType<typeof countPlan> & { shared: { aliases: string[] } };
  created: { importJobs: number; sharedImportJobs: number; datasets: number; datasetGroups: number; schemas: number };
  arranging: { calls: number; seconds: number };
}

function summarise(plan: DataPlan | undefined, handover: RunHandover, stats: ArrangeStats | undefined, runDir: string): ArrangedSummary {
  const record: CreatedResource[] = handover.recordFile && existsSync(handover.recordFile)
    ? readFileSync(handover.recordFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as CreatedResource) : [];
  const of = (kind: CreatedResource['kind']) => record.filter((r) => r.kind === kind);
  // The mock's processes each arranged their own shared data and said what it cost.
  const arranging = { calls: stats?.calls ?? 0, seconds: stats?.seconds ?? 0 };
  for (const f of readdirSync(runDir).filter((x) => x.startsWith('arranged-'))) {
    const s = JSON.parse(readFileSync(join(runDir, f), 'utf8')) as ArrangeStats;
    arranging.calls += s.calls;
    arranging.seconds = Math.max(arranging.seconds, s.seconds);
  }
  return {
    ...(plan && { plan: { ...countPlan(plan), shared: { ...countPlan(plan).shared, aliases: plannedShared(plan).map((d) => d.alias) } } }),
    created: {
      importJobs: of('import job').length, sharedImportJobs: of('import job').filter((r) => r.by === 'shared').length,
      datasets: of('dataset').length, datasetGroups: of('dataset group').length, schemas: of('schema').length,
    },
    arranging,
  };
}
