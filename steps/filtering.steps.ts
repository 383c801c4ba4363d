/** Then: which jobs a filtered or unfiltered listing holds. */
import { Then } from '@cucumber/cucumber';
import { assertListedOnce, identify, knownJobs, listedArns, listedJobs, listingEvidence, observedListings } from './support/listing';
import { assertDescribedInDataset, failIf, problem } from './support/judgements';
import { assertClientError } from './support/rejection';
import type { ConformanceWorld } from './support/world';

Then('exactly the jobs of dataset {string} are listed', function (this: ConformanceWorld, alias: string) {
  const [listing] = observedListings(this, knownJobs(this));
  assertListedOnce(this, listing, this.dataset(alias).jobs, true, `jobs of dataset "${alias}"`);
});

Then('DescribeDatasetImportJob names dataset {string} for every listed job', async function (this: ConformanceWorld, alias: string) {
  await assertDescribedInDataset(this, this.dataset(alias).arn, `dataset "${alias}"`);
});

Then('DescribeDatasetImportJob names that dataset for every listed job', async function (this: ConformanceWorld) {
  await assertDescribedInDataset(this, this.arranged.existingDatasetArn!, 'the existing dataset');
});

Then('the listing is empty', function (this: ConformanceWorld) {
  const arns = observedListings(this, 0).flatMap((l) => listedArns(this, l));
  failIf(this, arns.map((a) => problem(`${a} was listed`, a)), { expected: 'an empty listing', what: 'jobs listed' });
});

Then('the listing is empty or the request is rejected as a client error', async function (this: ConformanceWorld) {
  if (this.observed.rejection) return assertClientError(this);
  const arns = observedListings(this, 0).flatMap((l) => listedArns(this, l));
  failIf(this, arns.map((a) => problem(`${a} was listed`, a)), { expected: 'an empty listing, or a client error', what: 'jobs listed for a datasetArn of no dataset' });
});

Then('none of the jobs of dataset {string} is listed', function (this: ConformanceWorld, alias: string) {
  const theirs = new Set(this.dataset(alias).jobs.map((j) => j.arn));
  const leaked = observedListings(this, knownJobs(this)).flatMap((l) => listedArns(this, l)).filter((a) => theirs.has(a));
  failIf(this, leaked.map((a) => problem(`${a} was listed`, a)), { expected: `none of the jobs of dataset "${alias}" is listed`, what: `jobs of dataset "${alias}" were listed` });
});

Then('that job is listed', function (this: ConformanceWorld) {
  const watched = this.observed.watchedJob!;
  const found = observedListings(this, knownJobs(this)).flatMap((l) => listedArns(this, l)).includes(watched.arn);
  if (!found) failIf(this, [problem(`the job that DescribeDatasetImportJob showed as ${watched.status} is not in the listing`, watched.arn)], { expected: 'a job is listed whatever its status', what: 'jobs missing' });
});

Then('every listing held every job of the dataset', function (this: ConformanceWorld) {
  const jobs = this.onlyDataset().jobs;
  const listings = observedListings(this, jobs.length);
  const id = identify(this);
  listings.forEach((listing, i) => {
    const statuses = new Map(listedJobs(listing).map((j) => [id(j), j.status]));
    const missing = jobs.filter((j) => !statuses.has(j.arn));
    failIf(this, missing.map((j) => problem(`listing ${i + 1} of ${listings.length} left out ${j.name}`, j.name)), {
      expected: 'every listing holds every job of the dataset, whatever its status', what: `jobs left out (the listed ones were ${[...new Set(statuses.values())].join(', ')})`, evidence: listingEvidence(listing, missing.map((j) => j.name)),
    });
  });
});
