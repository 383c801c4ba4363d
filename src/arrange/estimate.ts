/**
 * What a plan will cost, said before any call: the resources and import jobs it creates, the API
 * calls to expect (arranging modelled from the documented lifecycles and the polling interval; the
 * scenarios' own from what each action lists), and the time at an assumed import duration under
 * the in-progress limit. An estimate: tests/arrange.test.ts checks it against a run on the mock.
 */
import type { SuiteConfig } from '../settings';
import { jobsOf, fixtureDataset } from './catalog';
import { needOf } from './givens';
import { countPlan, plannedShared, type DataPlan, type PickleLike } from './plan';
import { jobCount } from './types';

/** How long lifecycles take and how often arranging looks, in seconds. */
export interface Timing {
  importSeconds: number;
  /** A dataset group or dataset from CREATE PENDING to ACTIVE, and a deletion. */
  resourceSeconds: number;
  /** Time between two polls. */
  pollSeconds: number;
  /** Time a request itself takes (the in-process mock's clock moves a second per request). */
  requestSeconds: number;
  /** Whether the durations are the target's own (the reference's) or an assumption of the user's. */
  assumed: boolean;
}

/** The reference service's own lifecycle (reference-service/options.ts) as the mock runs it: a second per request. */
const MOCK = { importSeconds: 4, resourceSeconds: 4, pollSeconds: 1, requestSeconds: 1 };
/** The reference emulator's default lifecycle on the wall clock (40 ms pending, 60 ms in progress). */
const EMULATOR = { importSeconds: 0.1, resourceSeconds: 0.1 };
/** A real account: dataset groups and datasets take about a minute; imports what the user assumes. */
const ACCOUNT_RESOURCE_SECONDS = 60;
export const DEFAULT_IMPORT_MINUTES_ON_AWS = 10;

export function timingFor(config: SuiteConfig, assumeImportMinutes?: number): Timing {
  const poll = Math.max(config.pollIntervalMs / 1000, 0.001);
  if (config.target === 'mock') return { ...MOCK, assumed: false };
  if (config.target === 'aws' || assumeImportMinutes !== undefined) {
    const minutes = assumeImportMinutes ?? DEFAULT_IMPORT_MINUTES_ON_AWS;
    return { importSeconds: minutes * 60, resourceSeconds: config.target === 'aws' ? ACCOUNT_RESOURCE_SECONDS : EMULATOR.resourceSeconds, pollSeconds: poll, requestSeconds: 0, assumed: true };
  }
  return { ...EMULATOR, pollSeconds: poll, requestSeconds: 0, assumed: false };
}

const polls = (seconds: number, t: Timing) => Math.max(1, Math.ceil(seconds / Math.max(t.pollSeconds, t.requestSeconds, 0.001)));
const pages = (jobs: number, size: number) => Math.max(1, Math.ceil(jobs / size));

/** What one scenario's actions list: its datasets' sizes, and the account's. */
interface ScenarioData {
  datasets: Map<string, number>;
  accountJobs: number;
  /** Whether the suite may write: the account then holds the shared data, and no step reads it to find out. */
  writes: boolean;
}

/** Calls of one step, from its text (the phrases of steps/*.steps.ts); unknown steps count one call. */
function stepCalls(text: string, data: ScenarioData, t: Timing): number {
  const only = data.datasets.size === 1 ? [...data.datasets.values()][0] : 0;
  const named = (alias: string) => data.datasets.get(alias) ?? 0;
  const acct = data.accountJobs;
  let m: RegExpMatchArray | null;
  const lifecycleLoops = (jobs: number) => Math.ceil(t.importSeconds / Math.max(t.pollSeconds + t.requestSeconds, 2 * t.requestSeconds, 0.001)) + jobs + 2;
  if ((m = text.match(/^a client lists the dataset's jobs (\d+) at a time until no token remains$/))) return pages(only, +m[1]);
  if ((m = text.match(/^a client lists the jobs of dataset "([^"]+)" (\d+) at a time until no token remains$/))) return pages(named(m[1]), +m[2]);
  if (/^a client lists the dataset's jobs without maxResults/.test(text)) return pages(only, 100);
  if ((m = text.match(/^a client lists all jobs of the account (\d+) at a time until no token remains$/))) return pages(acct, +m[1]);
  if (/^a client lists all jobs of the account without maxResults/.test(text)) return pages(acct, 100);
  if ((m = text.match(/^a client lists that dataset's jobs (\d+) at a time and again (\d+) at a time$/))) return pages(only, +m[1]) + pages(only, +m[2]);
  if ((m = text.match(/^a client lists that dataset's jobs (\d+) at a time/))) return pages(only, +m[1]);
  if ((m = text.match(/^a client lists the dataset's jobs with the page sizes ([\d, ]+)$/))) {
    const sizes = m[1].split(',').map((s) => Number(s.trim()));
    let left = only;
    let n = 0;
    while (left > 0 || n === 0) left -= sizes[Math.min(n++, sizes.length - 1)];
    return n;
  }
  if ((m = text.match(/^a client lists the dataset's jobs (\d+) at a time, sending each request twice$/))) return 2 * pages(only, +m[1]);
  if ((m = text.match(/^a client lists the dataset's jobs with the SDK paginator, (\d+) at a time$/))) return 2 * pages(only, +m[1]);
  if (/^a client lists the dataset's jobs with the SDK paginator and no page size$/.test(text)) return 2 * pages(only, 100);
  if ((m = text.match(/^a client lists the dataset's jobs (\d+) at a time while the jobs finish between pages$/))) return pages(only, +m[1]) + only + polls(t.importSeconds, t);
  if ((m = text.match(/^a client lists all jobs of the account (\d+) at a time while (\d+) new jobs are created/))) return pages(acct + +m[2], +m[1]) + +m[2];
  if (/^a client creates an import job in dataset/.test(text)) return 1 + polls(0, t);
  if (/^a client lists the dataset's jobs again and again until every job has finished$/.test(text)) {
    // Shared data has finished: the jobs described once, two listings; a scenario's own jobs are watched through their lifecycle.
    return only > 2 ? only + 2 * pages(only, 100) : 2 * lifecycleLoops(only);
  }
  if ((m = text.match(/^a client describes each job of dataset "([^"]+)" and then lists them (\d+) at a time$/))) return named(m[1]) + pages(named(m[1]), +m[2]);
  if ((m = text.match(/^a client describes each job of that dataset and then lists them (\d+) at a time$/))) return only + 2 * pages(only, +m[1]);
  if (/^DescribeDatasetImportJob names (dataset "([^"]+)"|that dataset) for every listed job$/.test(text)) {
    m = text.match(/dataset "([^"]+)"/);
    return m ? named(m[1]) : only;
  }
  if (/^the account has import jobs that failed$/.test(text)) return pages(acct, 100);
  if (/^the account has import jobs$/.test(text)) return data.writes ? 0 : 1;
  if (/^an existing dataset with import jobs$/.test(text)) return 0;
  if (/^(a client lists|a client holds|the client sends)/.test(text)) return 1;
  return 0;
}

/** Calls a scenario's own dataset costs: created and ACTIVE, its jobs, the listing wait, deleted afterwards. */
function freshDatasetCalls(jobs: number, t: Timing, listingWait: boolean): number {
  const resource = 1 + polls(t.resourceSeconds, t);
  return 2 * resource + jobs + (listingWait ? 1 : 0) + 2 + polls(t.resourceSeconds, t);
}

export interface PlanEstimate {
  calls: { arranging: number; scenarios: number; total: number };
  /** Seconds of the imports and the scenarios' own lifecycles, one scenario after another. */
  seconds: number;
  /** Rounds of imports under the in-progress limit. */
  rounds: number;
  timing: Timing;
}

/** The estimate of a plan for the scenarios `pickles` (the same the plan was made from). */
export function estimatePlan(plan: DataPlan, pickles: readonly PickleLike[], config: SuiteConfig, t: Timing): PlanEstimate {
  const limit = config.inProgressLimit;
  const shared = plannedShared(plan);
  const counts = countPlan(plan);
  const listingWait = config.listingWaitMs > 0;
  // Arranging the shared data.
  const rounds = Math.ceil(counts.shared.jobs / limit);
  const waitPerRound = Math.max(0, t.importSeconds - limit * t.requestSeconds);
  const resource = 1 + polls(t.resourceSeconds, t);
  let arranging = counts.schemas + resource * (counts.shared.groups + counts.shared.datasets)
    + 2 * counts.shared.jobs + Math.max(0, rounds - 1) * (waitPerRound > 0 ? polls(waitPerRound, t) : 0)
    + shared.filter((d) => d.jobs.some((j) => j.importMode === 'INCREMENTAL')).length
    + counts.shared.deleted * (1 + polls(t.resourceSeconds, t))
    + (listingWait ? shared.filter((d) => !d.deleted && jobsOf(d) > 0).reduce((n, d) => n + pages(jobsOf(d), 100), 0) : 0);
  // Afterwards, over the network: every dataset, group and schema deleted (the mock's data ends with its process).
  if (config.target !== 'mock') arranging += counts.shared.datasets - counts.shared.deleted + counts.shared.groups * (1 + polls(t.resourceSeconds, t)) + counts.schemas;
  const accountJobs = shared.filter((d) => d.role === 'primary' && !d.deleted).reduce((n, d) => n + jobsOf(d), 0);
  let scenarios = 0;
  for (const p of pickles) {
    const datasets = new Map<string, number>();
    for (const step of p.steps) {
      const need = needOf(step.text, step.argument?.dataTable?.rows.map((r) => r.cells.map((c) => c.value)));
      if (need?.kind === 'shared') for (const a of need.aliases) datasets.set(a, fixtureDataset(a)?.deleted ? 0 : jobsOf(fixtureDataset(a)!));
      if (need?.kind === 'account' && plan.writes) for (const a of need.whereWritable) datasets.set(a, jobsOf(fixtureDataset(a)!));
      if (need?.kind === 'fresh') {
        datasets.set(need.dataset.alias, jobCount(need.dataset.jobs));
        scenarios += freshDatasetCalls(jobCount(need.dataset.jobs), t, listingWait);
      }
    }
    for (const step of p.steps) scenarios += stepCalls(step.text, { datasets, accountJobs: plan.writes ? accountJobs : 100, writes: plan.writes }, t);
  }
  // One scenario after another: the shared imports in rounds, then each scenario that waits for jobs of its own.
  const seconds = rounds * t.importSeconds + 3 * t.resourceSeconds + plan.fresh.length * (t.importSeconds + 2 * t.resourceSeconds);
  return { calls: { arranging, scenarios, total: arranging + scenarios }, seconds, rounds, timing: t };
}

/** "4 h 10 min", "12 min", "40 s". */
export function duration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

const n = (x: number) => x.toLocaleString('en-US');

/** The plan as `--plan` prints it (and a writing run on a real account at its start). */
export function describePlan(plan: DataPlan, estimate: PlanEstimate, o: { target: string; limit: number }): string[] {
  const c = countPlan(plan);
  const lines = [`plan of ${plan.scenarios} selected scenarios on ${o.target} (catalog ${plan.catalog}):`];
  if (!plan.writes) return [...lines, '  nothing to create: the suite may not write here, and reads the account as it is'];
  lines.push(`  shared data, arranged once: ${c.schemas} schemas, ${c.shared.groups} dataset groups, ${c.shared.datasets} datasets${c.shared.deleted ? ` (${c.shared.deleted} deleted once its jobs finish)` : ''}, ${n(c.shared.jobs)} import jobs`);
  for (const d of plannedShared(plan)) lines.push(`    ${d.group}/${d.alias} (${d.type}${d.role === 'primary' ? '' : d.role === 'second' ? ', second account' : ', other region'}): ${jobsOf(d)} import jobs`);
  for (const l of plan.leftOut) lines.push(`    ${l.alias}: left out, ${l.why}`);
  lines.push(`  scenarios' own data: ${c.fresh.scenarios} scenarios, ${c.fresh.groups} dataset groups, ${c.fresh.datasets} datasets, ${c.fresh.jobs} import jobs`);
  lines.push(`  import jobs in all: ${n(c.jobs)}, at most ${o.limit} in progress at once (CONFORMANCE_IN_PROGRESS_LIMIT): ${estimate.rounds} rounds for the shared data`);
  lines.push(`  API calls expected: about ${n(estimate.calls.total)} (arranging and deleting shared data ${n(estimate.calls.arranging)}, scenarios ${n(estimate.calls.scenarios)}; polling every ${estimate.timing.pollSeconds} s)`);
  if (estimate.timing.assumed) lines.push(`  time at ${estimate.timing.importSeconds / 60} minutes per import: about ${duration(estimate.seconds)} (shared imports ${duration(estimate.rounds * estimate.timing.importSeconds)}, then ${c.fresh.scenarios} scenarios that wait for jobs of their own)`);
  return lines;
}
