/** Then: what a walk through the pages shows. */
import { Then } from '@cucumber/cucumber';
import { assertEnded, assertListedOnce, duplicates, listedArns } from './support/listing';
import type { ConformanceWorld, Listing } from './support/world';

function theListing(world: ConformanceWorld): Listing {
  if (!world.listing) throw new Error('No listing was made by the When step.');
  return world.listing;
}

Then('no page holds more than {int} jobs', function (this: ConformanceWorld, max: number) {
  for (const listing of this.allListings()) {
    const over = listing.pages.map((p, i) => ({ n: i + 1, size: p.jobs.length })).filter((p) => p.size > max);
    if (over.length) throw new Error(`Pages with more than ${max} jobs: ${over.map((p) => `page ${p.n} held ${p.size}`).join(', ')}.`);
  }
});

Then('each page holds no more jobs than its request asked for', function (this: ConformanceWorld) {
  const over = theListing(this).pages.map((p, i) => ({ n: i + 1, p })).filter(({ p }) => p.maxResults !== undefined && p.jobs.length > p.maxResults);
  if (over.length) throw new Error(`Pages larger than asked for: ${over.map(({ n, p }) => `page ${n} asked for ${p.maxResults}, held ${p.jobs.length}`).join(', ')}.`);
});

Then('every job of the dataset is listed exactly once', function (this: ConformanceWorld) {
  assertListedOnce(theListing(this), this.theDataset().jobs, true, "jobs of the dataset");
});

Then('every job of dataset {string} is listed exactly once', function (this: ConformanceWorld, alias: string) {
  assertListedOnce(theListing(this), this.dataset(alias).jobs, false, `jobs of dataset "${alias}"`);
});

Then('every job of the data set is listed exactly once', function (this: ConformanceWorld) {
  const listing = theListing(this);
  assertListedOnce(listing, this.allJobs, false, 'jobs of the data set');
  const twice = duplicates(listedArns(listing));
  if (twice.length) throw new Error(`Jobs listed more than once: ${twice.slice(0, 5).join(', ')}.`);
});

Then('every job that existed before the listing began is listed exactly once', function (this: ConformanceWorld) {
  assertListedOnce(theListing(this), this.preexistingJobs ?? [], false, 'jobs that existed before the listing began');
});

Then('no job is listed twice', function (this: ConformanceWorld) {
  for (const listing of this.allListings()) {
    assertEnded(listing);
    const twice = duplicates(listedArns(listing));
    if (twice.length) throw new Error(`Jobs listed more than once: ${twice.slice(0, 5).join(', ')}.`);
  }
});

Then('both listings hold the same jobs, each once', function (this: ConformanceWorld) {
  const [a, b] = this.allListings();
  for (const l of [a, b]) {
    assertEnded(l);
    const twice = duplicates(listedArns(l));
    if (twice.length) throw new Error(`A listing of ${l.pages[0]?.maxResults} at a time showed jobs twice: ${twice.slice(0, 5).join(', ')}.`);
  }
  const setA = new Set(listedArns(a));
  const setB = new Set(listedArns(b));
  const onlyA = [...setA].filter((x) => !setB.has(x));
  const onlyB = [...setB].filter((x) => !setA.has(x));
  if (onlyA.length || onlyB.length) {
    throw new Error(`The two listings differ: ${onlyA.length} jobs only ${a.pages[0]?.maxResults} at a time (${onlyA.slice(0, 3).join(', ')}), ${onlyB.length} only ${b.pages[0]?.maxResults} at a time (${onlyB.slice(0, 3).join(', ')}).`);
  }
});

Then(/^the listing ends(?: without a token leading back to an earlier page)?$/, function (this: ConformanceWorld) {
  assertEnded(theListing(this));
});

Then('the paginator lists the same jobs as following the tokens by hand', function (this: ConformanceWorld) {
  const [paginator, byHand] = this.allListings();
  const jobs = this.theDataset().jobs;
  assertListedOnce(paginator, jobs, true, 'jobs of the dataset (through the paginator)');
  assertListedOnce(byHand, jobs, true, 'jobs of the dataset (following tokens by hand)');
});
