/**
 * Data sets arranged from fixtures, and the account baseline: where the suite may write, the
 * @readonly scenarios look at a baseline of jobs that the run arranges once per process (an
 * account "with some history"), instead of relying on what other scenarios left behind.
 */
import { dataset, importJobs, waitForJobsToFinish, cleanUp } from './arrange';
import { dataSet } from '../../src/fixtures';
import type { ClientRole } from '../../src/targets';
import { suite, type Arranger, type ArrangedDataset } from './world';

/** Arranges a named data set from fixtures/data-sets.json through the public API. */
export async function arrangeDataSet(arranger: Arranger, name: string): Promise<ArrangedDataset[]> {
  const arranged: ArrangedDataset[] = [];
  for (const group of dataSet(name).groups) {
    for (const d of group.datasets) {
      const target = await dataset(arranger, d.alias, { group: group.name, type: d.type });
      for (const spec of d.jobs) await importJobs(arranger, target, spec);
      arranged.push(target);
    }
  }
  return arranged;
}

let baseline: Promise<{ arranger: Arranger; datasets: ArrangedDataset[] }> | undefined;
let sharedArranger: Arranger | undefined;
const sharedDatasets = new Map<number, Promise<ArrangedDataset>>();

/** The arranger of data shared by the scenarios of this process (deleted after the run). */
function shared(): Arranger {
  if (sharedArranger) return sharedArranger;
  const { config, target } = suite();
  const prefix = `${config.runPrefix}-w${process.env.CUCUMBER_WORKER_ID ?? '0'}-shared`;
  sharedArranger = {
    config,
    client: (role?: ClientRole) => target.client(role),
    name: (label: string) => `${prefix}-${label.replace(/[^a-zA-Z0-9-_]+/g, '-')}`.slice(0, 63),
    cleanups: [],
    schemaArns: new Map(),
    groups: new Map(),
    datasets: new Map(),
  };
  return sharedArranger;
}

/**
 * A dataset with `count` import jobs that scenarios only read: arranged once per process and
 * shared, which keeps them independent as long as none of them changes it (steps that change a
 * dataset refuse a shared one).
 */
export function sharedDataset(count: number): Promise<ArrangedDataset> {
  let d = sharedDatasets.get(count);
  if (!d) {
    d = (async () => {
      const target = await dataset(shared(), `${count}-jobs`);
      if (count > 0) await importJobs(shared(), target, { count });
      return { ...target, shared: true };
    })();
    sharedDatasets.set(count, d);
  }
  return d;
}

/** The baseline of this process, arranged on first use, with every job finished. */
export function accountBaseline(): Promise<{ arranger: Arranger; datasets: ArrangedDataset[] }> {
  baseline ??= (async () => {
    const arranger = shared();
    const datasets = await arrangeDataSet(arranger, 'account-baseline');
    await waitForJobsToFinish(arranger, datasets.flatMap((d) => d.jobs));
    return { arranger, datasets };
  })();
  return baseline;
}

/** Deletes the shared data and the baseline of this process. */
export async function removeSharedData(): Promise<string[]> {
  await Promise.allSettled([baseline, ...sharedDatasets.values()]);
  baseline = undefined;
  sharedDatasets.clear();
  return sharedArranger ? cleanUp(sharedArranger) : [];
}
