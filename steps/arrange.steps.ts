/** Given: the data a scenario needs, arranged through public Personalize operations. */
import { Given } from '@cucumber/cucumber';
import { ListDatasetGroupsCommand, ListDatasetsCommand, ListDatasetImportJobsCommand } from '@aws-sdk/client-personalize';
import { dataset, deleteDatasetAndWait, importJobs } from './support/arrange';
import { accountBaseline, arrangeDataSet, sharedDataset } from './support/baseline';
import { followTokens } from './support/listing';
import type { ConformanceWorld } from './support/world';

/** Only read by the scenario, so it may be shared with other scenarios that only read it. */
Given('a dataset with {int} import jobs', async function (this: ConformanceWorld, count: number) {
  this.datasets.set('the dataset', await sharedDataset(count));
});

/** The scenario's own: for scenarios that change the dataset. */
Given('a fresh dataset with {int} import jobs', async function (this: ConformanceWorld, count: number) {
  const d = await dataset(this, 'the dataset');
  if (count > 0) await importJobs(this, d, { count });
});

Given('a dataset with {int} import jobs, some of which will fail', async function (this: ConformanceWorld, count: number) {
  const d = await dataset(this, 'the dataset');
  const failing = Math.max(1, Math.floor(count / 3));
  await importJobs(this, d, { count: count - failing });
  await importJobs(this, d, { count: failing, outcome: 'fails' });
});

/** The import mode left out of the create requests: the service's default (FULL) applies. */
Given('a dataset with {int} import jobs created without an import mode', async function (this: ConformanceWorld, count: number) {
  await importJobs(this, await dataset(this, 'the dataset'), { count, omitImportMode: true });
});

Given('a dataset {string} with no import jobs', async function (this: ConformanceWorld, alias: string) {
  await dataset(this, alias);
});

Given('a dataset {string} with {int} import jobs', async function (this: ConformanceWorld, alias: string, count: number) {
  await importJobs(this, await dataset(this, alias), { count });
});

Given('a dataset {string} in another region with {int} import jobs', async function (this: ConformanceWorld, alias: string, count: number) {
  await importJobs(this, await dataset(this, alias, { role: 'otherRegion' }), { count });
});

Given('a dataset {string} in a second account with {int} import jobs', async function (this: ConformanceWorld, alias: string, count: number) {
  if (!this.target.hasSecondAccount) {
    return this.notRun('no second account: set CONFORMANCE_SECOND_ACCESS_KEY_ID and CONFORMANCE_SECOND_SECRET_ACCESS_KEY');
  }
  await importJobs(this, await dataset(this, alias, { role: 'second' }), { count });
});

Given('dataset {string} has been deleted', async function (this: ConformanceWorld, alias: string) {
  await deleteDatasetAndWait(this, this.dataset(alias));
  this.datasets.delete(alias);
});

Given('the data set {string}', async function (this: ConformanceWorld, name: string) {
  await arrangeDataSet(this, name);
});

/** @readonly: the account's own jobs; where the suite may write, the run's baseline stands in for an account's history. */
Given('the account has import jobs', async function (this: ConformanceWorld) {
  if (this.config.allowWrites) await accountBaseline();
  const first = await this.send('primary', (c) => c.send(new ListDatasetImportJobsCommand({ maxResults: 1 })));
  if (!first.datasetImportJobs?.length) return this.notRun('the account has no dataset import jobs in this region');
});

Given('the account has import jobs that failed', async function (this: ConformanceWorld) {
  if (this.config.allowWrites) await accountBaseline();
  const listing = await followTokens(this, { sizes: [100] });
  if (!listing.pages.some((p) => p.jobs.some((j) => j.status === 'CREATE FAILED'))) {
    return this.notRun('the account has no CREATE FAILED import job in this region');
  }
});

/** @readonly: a dataset that has jobs; where the suite may write, one of the baseline's. */
Given('an existing dataset with import jobs', async function (this: ConformanceWorld) {
  if (this.config.allowWrites) {
    const { datasets } = await accountBaseline();
    this.arranged.existingDatasetArn = datasets[0].arn;
    return;
  }
  const client = this.client();
  const groups = await client.send(new ListDatasetGroupsCommand({ maxResults: 20 }));
  for (const g of groups.datasetGroups ?? []) {
    const datasets = await client.send(new ListDatasetsCommand({ datasetGroupArn: g.datasetGroupArn, maxResults: 20 }));
    for (const d of datasets.datasets ?? []) {
      const jobs = await client.send(new ListDatasetImportJobsCommand({ datasetArn: d.datasetArn, maxResults: 1 }));
      if (jobs.datasetImportJobs?.length) {
        this.arranged.existingDatasetArn = d.datasetArn;
        return;
      }
    }
  }
  return this.notRun('no dataset with import jobs was found in the first 20 dataset groups of the account');
});
