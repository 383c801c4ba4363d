/** Then: what a walk through the pages shows. */
import { Then } from '@cucumber/cucumber';
import { assertEnded, assertListedOnce, duplicates, observedListings, knownJobs, listedArns } from './support/listing';
import { compareRepeatedRequests } from './support/judgements';
import type { ConformanceWorld } from './support/world';

Then('no page holds more than {int} jobs', function (this: ConformanceWorld, max: number) {
  for (const listing of observedListings(this, knownJobs(this))) {
    const over = listing.pages.map((p, i) => ({ n: i + 1, size: p.jobs.length })).filter((p) => p.size > max);
    if (over.length) throw new Error(`Pages with more than ${max} jobs: ${over.map((p) => `page ${p.n} held ${p.size}`).join(', ')}.`);
  }
});

Then('each page holds no more jobs than its request asked for', function (this: ConformanceWorld) {
  const [listing] = observedListings(this, knownJobs(this));
  const over = listing.pages.map((p, i) => ({ n: i + 1, p })).filter(({ p }) => p.maxResults !== undefined && p.jobs.length > p.maxResults);
  if (over.length) throw new Error(`Pages larger than asked for: ${over.map(({ n, p }) => `page ${n} asked for ${p.maxResults}, held ${p.jobs.length}`).join(', ')}.`);
});

Then('every job of the dataset is listed exactly once', function (this: ConformanceWorld) {
  const [listing] = observedListings(this, knownJobs(this));
  assertListedOnce(this, listing, this.onlyDataset().jobs, true, 'jobs of the dataset');
});

Then('every job of dataset {string} is listed exactly once', function (this: ConformanceWorld, alias: string) {
  const [listing] = observedListings(this, knownJobs(this));
  assertListedOnce(this, listing, this.dataset(alias).jobs, false, `jobs of dataset "${alias}"`);
});

Then('every job the scenario arranged is listed exactly once', function (this: ConformanceWorld) {
  const [listing] = observedListings(this, knownJobs(this));
  assertListedOnce(this, listing, this.allJobs, false, 'jobs the scenario arranged');
  const twice = duplicates(listedArns(this, listing));
  if (twice.length) throw new Error(`Jobs listed more than once: ${twice.slice(0, 5).join(', ')}.`);
});

Then('every job that existed before the listing began is listed exactly once', function (this: ConformanceWorld) {
  const [listing] = observedListings(this, knownJobs(this));
  assertListedOnce(this, listing, this.observed.preexistingJobs ?? [], false, 'jobs that existed before the listing began');
});

Then('no job is listed twice', function (this: ConformanceWorld) {
  for (const listing of observedListings(this, knownJobs(this))) {
    const twice = duplicates(listedArns(this, listing));
    if (twice.length) throw new Error(`Jobs listed more than once: ${twice.slice(0, 5).join(', ')}.`);
  }
});

Then('both listings hold the same jobs, each once', function (this: ConformanceWorld) {
  const [a, b] = observedListings(this, knownJobs(this));
  for (const l of [a, b]) {
    const twice = duplicates(listedArns(this, l));
    if (twice.length) throw new Error(`A listing of ${l.pages[0]?.maxResults} at a time showed jobs twice: ${twice.slice(0, 5).join(', ')}.`);
  }
  const setA = new Set(listedArns(this, a));
  const setB = new Set(listedArns(this, b));
  const onlyA = [...setA].filter((x) => !setB.has(x));
  const onlyB = [...setB].filter((x) => !setA.has(x));
  if (onlyA.length || onlyB.length) {
    throw new Error(`The two listings differ: ${onlyA.length} jobs only ${a.pages[0]?.maxResults} at a time (${onlyA.slice(0, 3).join(', ')}), ${onlyB.length} only ${b.pages[0]?.maxResults} at a time (${onlyB.slice(0, 3).join(', ')}).`);
  }
});

Then(/^the listing ends(?: without a token leading back to an earlier page)?$/, function (this: ConformanceWorld) {
  observedListings(this, 0).forEach(assertEnded);
});

Then('the paginator lists the same jobs as following the tokens by hand', function (this: ConformanceWorld) {
  const [paginator, byHand] = observedListings(this, knownJobs(this));
  const jobs = this.onlyDataset().jobs;
  assertListedOnce(this, paginator, jobs, true, 'jobs of the dataset (through the paginator)');
  assertListedOnce(this, byHand, jobs, true, 'jobs of the dataset (following tokens by hand)');
});

Then('each request sent twice gave the same page both times', function (this: ConformanceWorld) {
  observedListings(this, knownJobs(this));
  compareRepeatedRequests(this.observed.repeats);
});
