/**
 * What an account holds, for @readonly scenarios: on an account where the suite may only read,
 * whatever is there; where it may write, the account as the run's shared data leaves it.
 */
import { ListDatasetGroupsCommand, ListDatasetImportJobsCommand, ListDatasetsCommand } from '@aws-sdk/client-personalize';
import { limits } from '../../schemas';
import { followTokens } from './listing';
import type { ConformanceWorld } from './world';

/** Why the account cannot show a scenario's requirement (no jobs at all), or undefined when it has jobs. */
export async function whyAccountHasNoJobs(world: ConformanceWorld): Promise<string | undefined> {
  const first = await world.send('primary', (c) => c.send(new ListDatasetImportJobsCommand({ maxResults: 1 })));
  return first.datasetImportJobs?.length ? undefined : 'the account has no dataset import jobs in this region';
}

/** Why the account cannot show failed jobs, or undefined when it has one. */
export async function whyAccountHasNoFailedJobs(world: ConformanceWorld): Promise<string | undefined> {
  const listing = await followTokens(world, { sizes: [limits.maxResults.max] });
  return listing.pages.some((p) => p.jobs.some((j) => j.status === 'CREATE FAILED')) ? undefined : 'the account has no CREATE FAILED import job in this region';
}

/** A dataset with jobs among the account's first 20 dataset groups, or undefined when there is none. */
export async function findDatasetWithJobs(world: ConformanceWorld): Promise<string | undefined> {
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
