/**
 * Given: the data a scenario needs, arranged through public Personalize operations
 * (steps/support/arrange.ts). What cannot be arranged leaves the scenario not run, never failed.
 */
import { Given } from '@cucumber/cucumber';
import { datasetsWithJobs, deleteDatasetAndWait, someFailing } from './support/arrange';
import { arrangeDataSet, existingDatasetWithJobs, sharedDataset, whyAccountHasNoFailedJobs, whyAccountHasNoJobs } from './support/baseline';
import type { ConformanceWorld } from './support/world';

/** Only read by the scenario, so it may be shared with other scenarios that only read it. */
Given('a dataset with {int} import jobs', async function (this: ConformanceWorld, count: number) {
  this.datasets.set('the dataset', await sharedDataset(count));
});

/** The scenario's own: for scenarios that change the dataset. */
Given('a fresh dataset with {int} import jobs', async function (this: ConformanceWorld, count: number) {
  await datasetsWithJobs(this, [{ alias: 'the dataset', jobs: [{ count }] }]);
});

Given('a dataset with {int} import jobs, some of which will fail', async function (this: ConformanceWorld, count: number) {
  await datasetsWithJobs(this, [{ alias: 'the dataset', jobs: someFailing(count) }]);
});

/** The import mode left out of the create requests: the service's default (FULL) applies. */
Given('a dataset with {int} import jobs created without an import mode', async function (this: ConformanceWorld, count: number) {
  await datasetsWithJobs(this, [{ alias: 'the dataset', jobs: [{ count, sendImportMode: false }] }]);
});

Given('a dataset {string} with no import jobs', async function (this: ConformanceWorld, alias: string) {
  await datasetsWithJobs(this, [{ alias, jobs: [] }]);
});

Given('a dataset {string} with {int} import jobs', async function (this: ConformanceWorld, alias: string, count: number) {
  await datasetsWithJobs(this, [{ alias, jobs: [{ count }] }]);
});

Given('a dataset {string} in another region with {int} import jobs', async function (this: ConformanceWorld, alias: string, count: number) {
  await datasetsWithJobs(this, [{ alias, role: 'otherRegion', jobs: [{ count }] }]);
});

Given('a dataset {string} in a second account with {int} import jobs', async function (this: ConformanceWorld, alias: string, count: number) {
  if (!this.run.hasSecondAccount) {
    return this.notShown('setup', 'no second account: set CONFORMANCE_SECOND_ACCESS_KEY_ID and CONFORMANCE_SECOND_SECRET_ACCESS_KEY');
  }
  await datasetsWithJobs(this, [{ alias, role: 'second', jobs: [{ count }] }]);
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
  const missing = await whyAccountHasNoJobs(this);
  if (missing) return this.notShown('setup', missing);
});

Given('the account has import jobs that failed', async function (this: ConformanceWorld) {
  const missing = await whyAccountHasNoFailedJobs(this);
  if (missing) return this.notShown('setup', missing);
});

/** @readonly: a dataset that has jobs; where the suite may write, one of the baseline's. */
Given('an existing dataset with import jobs', async function (this: ConformanceWorld) {
  this.arranged.existingDatasetArn = await existingDatasetWithJobs(this);
  if (!this.arranged.existingDatasetArn) return this.notShown('setup', 'no dataset with import jobs was found in the first 20 dataset groups of the account');
});
