/** Then: which jobs a filtered or unfiltered listing holds. */
import { Then } from '@cucumber/cucumber';
import { assertListedOnce, identify, knownJobs, listedArns, listedJobs, observedListings } from './support/listing';
import { assertDescribedInDataset } from './support/judgements';
import { assertClientError } from './support/rejection';
import type { ConformanceWorld } from './support/world';

Then('exactly the jobs of dataset {string} are listed', function (this: ConformanceWorld, alias: string) {
  const [listing] = observedListings(this, knownJobs(this));
  assertListedOnce(this, listing, this.dataset(alias).jobs, true, `jobs of dataset "${alias}"`);
});

Then('DescribeDatasetImportJob names dataset {string} for every listed job', async function (this: ConformanceWorld, alias: string) {
  const cannot = await assertDescribedInDataset(this, this.dataset(alias).arn, `dataset "${alias}"`);
  if (cannot) return this.notRun(cannot);
});

Then('DescribeDatasetImportJob names that dataset for every listed job', async function (this: ConformanceWorld) {
  const cannot = await assertDescribedInDataset(this, this.arranged.existingDatasetArn!, 'the existing dataset');
  if (cannot) return this.notRun(cannot);
});

Then('the listing is empty', function (this: ConformanceWorld) {
  const arns = observedListings(this, 0).flatMap((l) => listedArns(this, l));
  if (arns.length) throw new Error(`Expected no jobs, but ${arns.length} were listed: ${arns.slice(0, 5).join(', ')}.`);
});

Then('the listing is empty or the request is rejected as a client error', function (this: ConformanceWorld) {
  this.rejectionChecked = true;
  if (this.observed.rejection) return assertClientError(this.observed.rejection, this.wireLog);
  const arns = observedListings(this, 0).flatMap((l) => listedArns(this, l));
  if (arns.length) throw new Error(`A datasetArn of no dataset listed ${arns.length} jobs: ${arns.slice(0, 5).join(', ')}.`);
});

Then('none of the jobs of dataset {string} is listed', function (this: ConformanceWorld, alias: string) {
  const theirs = new Set(this.dataset(alias).jobs.map((j) => j.arn));
  const leaked = observedListings(this, knownJobs(this)).flatMap((l) => listedArns(this, l)).filter((a) => theirs.has(a));
  if (leaked.length) throw new Error(`${leaked.length} jobs of dataset "${alias}" were listed: ${leaked.slice(0, 5).join(', ')}.`);
});

Then('that job is listed', function (this: ConformanceWorld) {
  const watched = this.observed.watchedJob!;
  const found = observedListings(this, knownJobs(this)).flatMap((l) => listedArns(this, l)).includes(watched.arn);
  if (!found) throw new Error(`The job that DescribeDatasetImportJob showed as ${watched.status} is not in the listing.`);
});

Then('every listing held every job of the dataset', function (this: ConformanceWorld) {
  const jobs = this.onlyDataset().jobs;
  const listings = observedListings(this, jobs.length);
  listings.forEach((listing, i) => {
    const id = identify(this);
    const statuses = new Map(listedJobs(listing).map((j) => [id(j), j.status]));
    const missing = jobs.filter((j) => !statuses.has(j.arn));
    if (missing.length) throw new Error(`Listing ${i + 1} of ${listings.length} left out ${missing.length} of the dataset's ${jobs.length} jobs (${missing.slice(0, 3).map((j) => j.name).join(', ')}); the listed ones were ${[...new Set(statuses.values())].join(', ')}.`);
  });
});
