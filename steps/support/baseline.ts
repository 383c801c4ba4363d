/**
 * Data sets arranged from fixtures, and the account baseline: where the suite may write, the
 * @readonly scenarios look at a baseline of jobs that the run arranges once per process (an
 * account "with some history"), instead of relying on what other scenarios left behind.
 */
import { dataset, importJobs, waitForJobsToFinish, cleanUp } from './arrange';
import { dataSet } from './fixtures';
import type { ClientRole } from './targets';
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

function baselineArranger(): Arranger {
  const { config, target } = suite();
  const prefix = `${config.runPrefix}-w${process.env.CUCUMBER_WORKER_ID ?? '0'}-base`;
  return {
    config,
    client: (role?: ClientRole) => target.client(role),
    name: (label: string) => `${prefix}-${label.replace(/[^a-zA-Z0-9-_]+/g, '-')}`.slice(0, 63),
    cleanups: [],
    schemaArns: new Map(),
    groups: new Map(),
    datasets: new Map(),
  };
}

/** The baseline of this process, arranged on first use, with every job finished. */
export function accountBaseline(): Promise<{ arranger: Arranger; datasets: ArrangedDataset[] }> {
  baseline ??= (async () => {
    const arranger = baselineArranger();
    const datasets = await arrangeDataSet(arranger, 'account-baseline');
    await waitForJobsToFinish(arranger, datasets.flatMap((d) => d.jobs));
    return { arranger, datasets };
  })();
  return baseline;
}

export async function removeBaseline(): Promise<string[]> {
  if (!baseline) return [];
  const { arranger } = await baseline.catch(() => ({ arranger: undefined }));
  baseline = undefined;
  return arranger ? cleanUp(arranger) : [];
}
