/**
 * Data sets arranged from fixtures, data shared by read-only scenarios, and the account baseline:
 * where the suite may write, the @readonly scenarios look at a baseline of jobs that the run
 * arranges once per process (an account "with some history"), instead of relying on what other
 * scenarios left behind. On an account where the suite may only read, they find what is there.
 */
import { ListDatasetGroupsCommand, ListDatasetImportJobsCommand, ListDatasetsCommand } from '@aws-sdk/client-personalize';
import { dataSet } from '../../src/fixtures';
import { limits } from '../../schemas';
import type { ClientRole } from '../../src/targets';
import { ArrangementFailed, Stopped } from '../../src/verdict';
import { cucumberWorkerId } from '../../src/settings';
import { WireLog } from '../../src/wire';
import { cleanUp, datasetsWithJobs, waitForJobsToFinish, type DatasetRequest } from './arrange';
import { followTokens } from './listing';
import { runContext, type Arranger, type ArrangedDataset, type ConformanceWorld } from './world';

/** The datasets of a named data set of fixtures/data-sets.json; `suffix` tells a later attempt's groups apart. */
function requestsOf(name: string, suffix = ''): DatasetRequest[] {
  return dataSet(name).groups.flatMap((group) =>
    group.datasets.map((d) => ({ alias: d.alias, group: `${group.name}${suffix}`, type: d.type, jobs: d.jobs })));
}

/** Arranges a named data set from fixtures/data-sets.json through the public API. */
export function arrangeDataSet(arranger: Arranger, name: string): Promise<ArrangedDataset[]> {
  return datasetsWithJobs(arranger, requestsOf(name));
}

// ---- shared by the scenarios of a process ----------------------------------------------------

/** Attempts at one piece of shared data per process before its scenarios stop trying. */
const SHARED_ATTEMPTS = 3;

/**
 * Data arranged once per process and shared. A failed attempt is not kept as the answer: the next
 * scenario that needs it tries again, with names of its own, up to SHARED_ATTEMPTS times.
 */
class SharedOnce<T> {
  private arranged?: Promise<T>;
  private failures = 0;
  private lastFailure?: unknown;

  get(arrange: (attempt: number) => Promise<T>): Promise<T> {
    if (this.arranged) return this.arranged;
    if (this.failures >= SHARED_ATTEMPTS) {
      const last = this.lastFailure;
      return Promise.reject(last instanceof ArrangementFailed ? new ArrangementFailed(`${last.reason.replace(/^could not arrange: /, '')} (gave up after ${this.failures} attempts in this process)`, last.cause) : last);
    }
    const attempt = this.failures + 1;
    const arranged = arrange(attempt);
    this.arranged = arranged;
    arranged.catch((e) => {
      this.failures++;
      this.lastFailure = e;
      if (this.arranged === arranged) this.arranged = undefined;
    });
    return arranged;
  }

  settled(): Promise<unknown> {
    return Promise.allSettled([this.arranged]);
  }
}

let sharedArranger: Arranger | undefined;
/** Gives the shared arranger a fresh signal for its cleanup, once its arranging was stopped. */
let cleanupPhase = (): void => undefined;
/** What the wire showed while arranging the shared data: the run's, charged to no scenario. */
export const sharedLog = new WireLog();
const sharedDatasets = new Map<number, SharedOnce<ArrangedDataset>>();
const baseline = new SharedOnce<{ arranger: Arranger; datasets: ArrangedDataset[] }>();

/** The arranger of data shared by the scenarios of this process (deleted after the run). */
function shared(): Arranger {
  if (sharedArranger) return sharedArranger;
  const run = runContext();
  const config = run.config;
  const prefix = `${config.runPrefix}-w${cucumberWorkerId()}-shared`;
  // The arranging ends at the run's first stop; the cleanup after it (removeSharedData) only at a second one.
  let phase = new AbortController();
  run.stop.listen((reason, again) => phase.abort(new Stopped(again ? `${reason} (again): cleanup abandoned` : reason)));
  cleanupPhase = () => {
    if (phase.signal.aborted) phase = new AbortController();
  };
  const clients = run.clientsFor({
    log: sharedLog,
    get signal() {
      return phase.signal;
    },
  });
  sharedArranger = {
    config,
    get signal() {
      return phase.signal;
    },
    client: (role?: ClientRole) => clients.client(role),
    name: (label: string) => `${prefix}-${label.replace(/[^a-zA-Z0-9-_]+/g, '-')}`.slice(0, 63),
    cleanups: [],
    schemaArns: new Map(),
    groups: new Map(),
    datasets: new Map(),
  };
  return sharedArranger;
}

const attemptSuffix = (attempt: number) => (attempt > 1 ? `-a${attempt}` : '');

/**
 * A dataset with `count` import jobs that scenarios only read: arranged once per process and
 * shared, which keeps them independent as long as none of them changes it (steps that change a
 * dataset refuse a shared one).
 */
export function sharedDataset(count: number): Promise<ArrangedDataset> {
  let once = sharedDatasets.get(count);
  if (!once) sharedDatasets.set(count, (once = new SharedOnce()));
  return once.get(async (attempt) => {
    const [d] = await datasetsWithJobs(shared(), [{ alias: `${count}-jobs${attemptSuffix(attempt)}`, jobs: [{ count }] }]);
    return { ...d, shared: true };
  });
}

/** The baseline of this process, arranged on first use, with every job finished. */
export function accountBaseline(): Promise<{ arranger: Arranger; datasets: ArrangedDataset[] }> {
  return baseline.get(async (attempt) => {
    const arranger = shared();
    const datasets = await datasetsWithJobs(arranger, requestsOf('account-baseline', attemptSuffix(attempt)));
    await waitForJobsToFinish(arranger, datasets.flatMap((d) => d.jobs));
    return { arranger, datasets };
  });
}

/** Deletes the shared data and the baseline of this process. */
export async function removeSharedData(): Promise<string[]> {
  await Promise.all([baseline.settled(), ...[...sharedDatasets.values()].map((s) => s.settled())]);
  cleanupPhase();
  return sharedArranger ? cleanUp(sharedArranger) : [];
}

// ---- what an account holds (@readonly scenarios) -----------------------------------------------

/** Why the account cannot show a scenario's requirement (no jobs at all), or undefined when it has jobs. */
export async function whyAccountHasNoJobs(world: ConformanceWorld): Promise<string | undefined> {
  if (world.config.allowWrites) await accountBaseline();
  const first = await world.send('primary', (c) => c.send(new ListDatasetImportJobsCommand({ maxResults: 1 })));
  return first.datasetImportJobs?.length ? undefined : 'the account has no dataset import jobs in this region';
}

/** Why the account cannot show failed jobs, or undefined when it has one. */
export async function whyAccountHasNoFailedJobs(world: ConformanceWorld): Promise<string | undefined> {
  if (world.config.allowWrites) await accountBaseline();
  const listing = await followTokens(world, { sizes: [limits.maxResults.max] });
  return listing.pages.some((p) => p.jobs.some((j) => j.status === 'CREATE FAILED')) ? undefined : 'the account has no CREATE FAILED import job in this region';
}

/**
 * A dataset that has jobs: where the suite may write, one of the baseline's; otherwise the first
 * found in the account's first 20 dataset groups. Undefined when there is none.
 */
export async function existingDatasetWithJobs(world: ConformanceWorld): Promise<string | undefined> {
  if (world.config.allowWrites) return (await accountBaseline()).datasets[0].arn;
  const client = world.client();
  const groups = await world.send('primary', () => client.send(new ListDatasetGroupsCommand({ maxResults: 20 })));
  for (const g of groups.datasetGroups ?? []) {
    const datasets = await world.send('primary', () => client.send(new ListDatasetsCommand({ datasetGroupArn: g.datasetGroupArn, maxResults: 20 })));
    for (const d of datasets.datasets ?? []) {
      const jobs = await world.send('primary', () => client.send(new ListDatasetImportJobsCommand({ datasetArn: d.datasetArn, maxResults: 1 })));
      if (jobs.datasetImportJobs?.length) return d.datasetArn;
    }
  }
  return undefined;
}
