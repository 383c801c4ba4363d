/** Then: the truth of each summary in the listings, beyond what its schema says. */
import { Then } from '@cucumber/cucumber';
import { identify, knownJobs, listedSummaries, observedListings } from './support/listing';
import * as judge from './support/judgements';
import type { ConformanceWorld } from './support/world';

Then("every listed job's ARN is a dataset-import-job ARN in the caller's region", function (this: ConformanceWorld) {
  judge.failIf(judge.arnProblems(listedSummaries(this), this.config.region), 'job ARNs break the contract');
});

Then('every job of dataset {string} is listed under the name it was created with', function (this: ConformanceWorld, alias: string) {
  const id = identify(this);
  const listed = new Map(listedSummaries(this).map((j) => [id(j), j.jobName]));
  const problems = this.dataset(alias).jobs.filter((j) => listed.get(j.arn) !== j.name).map((j) => `${j.arn} was created as "${j.name}", listed as "${listed.get(j.arn)}"`);
  judge.failIf(problems, 'jobs are listed under another name');
});

Then('the finished jobs show ACTIVE or CREATE FAILED as their import succeeded or failed', function (this: ConformanceWorld) {
  const last = observedListings(this, knownJobs(this)).at(-1)!;
  judge.failIf(judge.finalStatusProblems(last, this.onlyDataset().jobs, identify(this)), 'finished jobs show the wrong final status');
});

Then("every listed job's importMode, where present, is the one it was created with", function (this: ConformanceWorld) {
  const created = new Map(this.allJobs.map((j) => [j.arn, j.importMode]));
  const id = identify(this);
  const problems = listedSummaries(this)
    .filter((j) => j.importMode !== undefined && created.has(id(j)) && created.get(id(j)) !== j.importMode)
    .map((j) => `${j.jobName}: created ${created.get(id(j))}, listed ${j.importMode}`);
  judge.failIf(problems, 'jobs are listed with another import mode');
});

Then('no listed job was last updated before it was created', function (this: ConformanceWorld) {
  const problems = listedSummaries(this)
    .filter((j) => j.creationDateTime && j.lastUpdatedDateTime && j.lastUpdatedDateTime.getTime() < j.creationDateTime.getTime())
    .map((j) => `${j.jobName}: created ${j.creationDateTime!.toISOString()}, last updated ${j.lastUpdatedDateTime!.toISOString()}`);
  judge.failIf(problems, 'jobs were last updated before they were created');
});

Then("no job's lastUpdatedDateTime went back from one listing to a later one", function (this: ConformanceWorld) {
  judge.failIf(judge.lastUpdateSetbacks(observedListings(this, knownJobs(this)), identify(this)), 'jobs were last updated earlier than an earlier listing said');
});

Then('that job is listed with the status DescribeDatasetImportJob showed or a later one', function (this: ConformanceWorld) {
  const watched = this.observed.watchedJob!;
  const id = identify(this);
  const listed = listedSummaries(this).find((j) => id(j) === watched.arn);
  if (!listed) throw new Error(`The job that DescribeDatasetImportJob showed as ${watched.status} is not in the listing.`);
  judge.failIf(judge.statusSetbacks([{ arn: watched.arn, before: watched.status, listed: listed.status }]), 'jobs are listed at an earlier status');
});

Then('no listing shows a job at an earlier status than DescribeDatasetImportJob or an earlier listing showed', function (this: ConformanceWorld) {
  judge.failIf(judge.statusSetbacksAcross(observedListings(this, knownJobs(this)), identify(this)), 'jobs are listed at an earlier status');
});

Then('every failed job in the listings carries a failureReason', function (this: ConformanceWorld) {
  const failed = listedSummaries(this).filter((j) => j.status === 'CREATE FAILED');
  if (!failed.length) throw new Error('No CREATE FAILED job was listed, though the data holds jobs that fail.');
  judge.failIf(failed.filter((j) => !j.failureReason?.trim()).map((j) => `${j.jobName} has no failureReason`), 'failed jobs say nothing of why');
});

Then('no job in the listings that has not failed carries a failureReason', function (this: ConformanceWorld) {
  const problems = listedSummaries(this).filter((j) => j.status !== 'CREATE FAILED' && j.failureReason !== undefined).map((j) => `${j.jobName} (${j.status}) has failureReason "${j.failureReason}"`);
  judge.failIf(problems, 'jobs that have not failed carry a failureReason');
});

Then('every listed job agrees with what DescribeDatasetImportJob showed before the listing', function (this: ConformanceWorld) {
  const [listing] = observedListings(this, knownJobs(this));
  judge.failIf(judge.disagreementsWithDescribe(listing, identify(this)), 'summaries disagree with DescribeDatasetImportJob');
});

Then('every response carries a datasetImportJobs list', function (this: ConformanceWorld) {
  const bodies = observedListings(this, 0).flatMap((l) => l.pages.map((p) => judge.parsedBody(p.raw)));
  const without = bodies.filter((b) => !Array.isArray(b.datasetImportJobs));
  if (without.length) throw new Error(`${without.length} of ${bodies.length} listing responses carry no datasetImportJobs list: ${JSON.stringify(without[0]).slice(0, 200)}`);
});

Then('no response of the listing carries a null member', function (this: ConformanceWorld) {
  observedListings(this, knownJobs(this));
  judge.failIf(this.wireLog.nullMembers.filter((n) => n.startsWith('ListDatasetImportJobs ')), 'null members were sent (clients read them as absent; servers should leave them out)');
});

Then('every response body of the listings matches its schema', function (this: ConformanceWorld) {
  observedListings(this, knownJobs(this));
  judge.failIf(this.wireLog.breaches.filter((b) => b.body.startsWith('ListDatasetImportJobs ')).map((b) => `${b.body}: ${b.text}`), 'schema violations');
});
