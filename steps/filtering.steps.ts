/** Then: which jobs a filtered or unfiltered listing holds. */
import type { DatasetImportJob } from '@aws-sdk/client-personalize';
import { Then } from '@cucumber/cucumber';
import { importJobStatuses } from '../schemas';
import { assertListedPastPaging, identify, knownJobs, listedArns, listedJobs, listingEvidence, observedListings } from './support/listing';
import { assertDescribedInDataset, failIf, problem } from './support/judgements';
import { assertClientError } from './support/rejection';
import { NotShown } from '../src/verdict';
import { FOLLOWED_EVERY_STATUS, HOLDS_OWN_JOBS } from './support/gates';
import type { ConformanceWorld } from './support/world';

Then('exactly the jobs of dataset {string} are listed', async function (this: ConformanceWorld, alias: string) {
  const [listing] = observedListings(this, knownJobs(this));
  await assertListedPastPaging(this, listing, this.dataset(alias).jobs, `jobs of dataset "${alias}"`, { onlyThese: true });
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

Then('the listing holds jobs, or the request is rejected as a client error', async function (this: ConformanceWorld) {
  if (this.observed.rejection) return assertClientError(this);
  const listings = observedListings(this, 0);
  // A short or empty first page that carries a token goes on; an empty one without is the end.
  const first = listings[0].pages[0];
  if (!first.jobs.length && !first.nextToken) {
    failIf(this, [problem('the first page is empty and carries no token, as if the listing had ended')], {
      expected: 'an empty nextToken starts the listing at its first page (or is refused): the account has jobs', what: 'listings that ended at once', evidence: listingEvidence(listings[0]),
    });
  }
});

Then('the listing holds no job of another dataset, or the request is rejected as a client error', async function (this: ConformanceWorld) {
  if (this.observed.rejection) return assertClientError(this);
  const listings = observedListings(this, 0);
  // A deleted dataset's own former jobs may still be listed for its ARN: no source says they go with it.
  const former = new Set([...this.datasets.values()].filter((d) => d.arn === listings[0]?.datasetArn).flatMap((d) => (d.formerJobs ?? []).map((j) => j.arn)));
  const arns = listings.flatMap((l) => listedArns(this, l)).filter((a) => !former.has(a));
  failIf(this, arns.map((a) => problem(`${a} was listed`, a)), { expected: 'an empty listing (or the dataset\'s own former jobs), or a client error', what: 'jobs of other datasets listed for a datasetArn of no dataset' });
});

Then('none of the jobs of dataset {string} is listed', function (this: ConformanceWorld, alias: string) {
  const theirs = new Set(this.dataset(alias).jobs.map((j) => j.arn));
  const leaked = observedListings(this, knownJobs(this)).flatMap((l) => listedArns(this, l)).filter((a) => theirs.has(a));
  failIf(this, leaked.map((a) => problem(`${a} was listed`, a)), { expected: `none of the jobs of dataset "${alias}" is listed`, what: `jobs of dataset "${alias}" were listed` });
});

/**
 * A gate: a listing that leaves out another region's or account's jobs shows something only when it
 * is the caller's own, which the jobs of the caller's dataset in it show. Which of the caller's jobs
 * the account's listing must hold is LDIJ-FILTER-001's and LDIJ-FILTER-007's to judge, in their own
 * scenarios; a listing without any of them leaves this scenario not shown.
 */
Then(HOLDS_OWN_JOBS, function (this: ConformanceWorld, alias: string) {
  const [listing] = observedListings(this, knownJobs(this));
  const listed = new Set(listedArns(this, listing));
  const jobs = this.dataset(alias).jobs;
  if (jobs.length && !jobs.some((j) => listed.has(j.arn))) {
    throw new NotShown('target', `the account's listing holds none of the ${jobs.length} jobs of dataset "${alias}" (LDIJ-FILTER-001's to judge), so what it leaves out shows nothing`, listingEvidence(listing, jobs.map((j) => j.name)));
  }
});

/**
 * The lifecycle scenarios show a status where a listing held a job in it: the listing showed it so,
 * or DescribeDatasetImportJob did just before the listing.
 */
Then(FOLLOWED_EVERY_STATUS, function (this: ConformanceWorld) {
  const id = identify(this);
  const seen = new Set(observedListings(this, knownJobs(this)).flatMap((l) => {
    const held = new Set(listedJobs(l).map(id));
    const described = [...(l.describedBefore ?? new Map<string, DatasetImportJob>()).entries()].filter(([arn]) => held.has(arn)).map(([, d]) => d.status);
    return [...described, ...listedJobs(l).map((j) => j.status)];
  }));
  const missed = importJobStatuses.filter((s) => !seen.has(s));
  if (missed.length) this.notShown('target', `DescribeDatasetImportJob never showed a job ${missed.join(' or ')} before a listing: the jobs moved on faster than the listings followed them (every ${this.config.pollIntervalMs} ms)`);
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
