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
  // Where the suite may write, the account holds the shared data the scenario has just read: an empty listing is then a finding, never a reason.
  if (world.config.allowWrites) return undefined;
  // An empty page that carries a token says nothing of the next one (short and empty pages are allowed).
  let nextToken: string | undefined;
  for (let page = 0; page < ACCOUNT_PROBE_PAGES; page++) {
    const out = await world.send('primary', (c) => c.send(new ListDatasetImportJobsCommand({ maxResults: 1, nextToken })));
    if (out.datasetImportJobs?.length) return undefined;
    nextToken = out.nextToken || undefined;
    if (!nextToken) return 'the account has no dataset import jobs in this region';
  }
  return `the first ${ACCOUNT_PROBE_PAGES} pages of the account's listing held no job, each with a token`;
}

/** How many pages of one job a read-only run reads to find out whether the account has jobs. */
const ACCOUNT_PROBE_PAGES = 5;

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
