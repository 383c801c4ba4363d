/** Then: what a walk through the pages shows. */
import { Then } from '@cucumber/cucumber';
import { assertEnded, assertListedPastPaging, duplicates, existedBefore, heldOn, identify, knownJobs, listedJobs, listingEvidence, observedListings, pagesAbout } from './support/listing';
import { compareRepeatedRequests, failIf, problem } from './support/judgements';
import type { ConformanceWorld, Listing } from './support/world';

/**
 * Fails when a listing shows a job twice. Of a listing of the whole account, only the jobs that
 * existed before it began are judged: jobs that others create meanwhile may come and go (LDIJ-PAGE-008).
 */
function assertNoDuplicates(world: ConformanceWorld, listing: Listing): void {
  const id = identify(world);
  const judged = listing.datasetArn === undefined ? existedBefore(world, listing) : () => true;
  const twice = duplicates(listedJobs(listing).filter(judged).map(id));
  const arns = twice.map((t) => t.replace(/ \(\d+ times\)$/, ''));
  failIf(world, twice.map((t, i) => problem(`listed more than once: ${t}`, arns[i])), {
    expected: 'no job is listed twice', what: 'jobs listed more than once', evidence: pagesAbout(listing, arns, identify(world)),
  });
}

Then('no page holds more than {int} jobs', function (this: ConformanceWorld, max: number) {
  for (const listing of observedListings(this, knownJobs(this))) {
    const over = listing.pages.map((p, i) => ({ n: i + 1, p })).filter(({ p }) => heldOn(p) > max);
    failIf(this, over.map(({ n, p }) => problem(`page ${n} held ${heldOn(p)}`)), {
      expected: `no page holds more than ${max} jobs`, what: `pages hold more than ${max} jobs`, evidence: { exchanges: over.map(({ p }) => p.exchange) },
    });
  }
});

/**
 * Pages larger than their request asked for, after a change of page size. Where the first page
 * (no change yet) is already larger, the service keeps to no maxResults: LDIJ-PAGE-001's finding,
 * charged to it, and whether it keeps to a changed size cannot be told apart.
 */
Then('each page holds no more jobs than its request asked for', function (this: ConformanceWorld) {
  const [listing] = observedListings(this, knownJobs(this));
  const over = listing.pages.map((p, i) => ({ n: i + 1, p })).filter(({ p }) => p.maxResults !== undefined && heldOn(p) > p.maxResults);
  if (over[0]?.n === 1) {
    const { p } = over[0];
    this.findings.push({ body: 'ListDatasetImportJobs response', pointer: '/datasetImportJobs', keyword: 'over-max-results', text: `the first page of a listing asked for ${p.maxResults} jobs and held ${heldOn(p)}`, exchange: p.exchange });
    return;
  }
  failIf(this, over.map(({ n, p }) => problem(`page ${n} asked for ${p.maxResults}, held ${heldOn(p)}`)), {
    expected: 'each page holds no more jobs than the maxResults of its request', what: 'pages larger than asked for', evidence: { exchanges: over.map(({ p }) => p.exchange) },
  });
});

Then('every job of the dataset is listed', async function (this: ConformanceWorld) {
  const [listing] = observedListings(this, knownJobs(this));
  await assertListedPastPaging(this, listing, this.onlyDataset().jobs, 'jobs of the dataset');
});

Then('every job of the dataset is listed exactly once', async function (this: ConformanceWorld) {
  const [listing] = observedListings(this, knownJobs(this));
  await assertListedPastPaging(this, listing, this.onlyDataset().jobs, 'jobs of the dataset', { onlyThese: true, once: true });
});

Then("every job of the scenario's datasets is listed", async function (this: ConformanceWorld) {
  const [listing] = observedListings(this, knownJobs(this));
  await assertListedPastPaging(this, listing, this.allJobs, "jobs of the scenario's datasets");
});

Then('every job that existed before the listing began is listed exactly once', async function (this: ConformanceWorld) {
  const [listing] = observedListings(this, knownJobs(this));
  await assertListedPastPaging(this, listing, this.observed.preexistingJobs ?? [], 'jobs that existed before the listing began', { once: true });
});

Then('no job is listed twice', function (this: ConformanceWorld) {
  for (const listing of observedListings(this, knownJobs(this))) assertNoDuplicates(this, listing);
});

Then('both listings hold the same jobs', function (this: ConformanceWorld) {
  const [a, b] = observedListings(this, knownJobs(this));
  // Only jobs that existed before the first listing began: others' jobs may appear meanwhile.
  const before = existedBefore(this, a);
  const id = identify(this);
  const setA = new Set(listedJobs(a).filter(before).map(id));
  const setB = new Set(listedJobs(b).filter(before).map(id));
  const onlyA = [...setA].filter((x) => !setB.has(x));
  const onlyB = [...setB].filter((x) => !setA.has(x));
  const problems = [
    ...onlyA.map((x) => problem(`${x} only when listed ${a.pages[0]?.maxResults} at a time`, x)),
    ...onlyB.map((x) => problem(`${x} only when listed ${b.pages[0]?.maxResults} at a time`, x)),
  ];
  const focus = [...onlyA, ...onlyB];
  const ea = listingEvidence(a, focus);
  const eb = listingEvidence(b, focus);
  failIf(this, problems, { expected: 'two listings of the same dataset hold the same jobs', what: 'jobs are in one listing and not the other', evidence: { exchanges: [...ea.exchanges, ...eb.exchanges], focus } });
});

Then(/^the listing ends(?: without a token leading back to an earlier page)?$/, function (this: ConformanceWorld) {
  const listings = this.observed.listings;
  if (!listings.length) observedListings(this, 0);
  listings.forEach(assertEnded);
});

/**
 * The paginator and a walk by hand list the same jobs, as the statement says. Whether they list
 * every job of the dataset, and only those, is judged by the paging and filter requirements; a
 * listing that holds none of the jobs arranged is refused (observedListings).
 */
Then('the paginator lists the same jobs as following the tokens by hand', function (this: ConformanceWorld) {
  const [paginator, byHand] = observedListings(this, knownJobs(this));
  const id = identify(this);
  // Jobs that others create meanwhile may appear in the later walk only (LDIJ-PAGE-008): only jobs that existed before the first walk are compared.
  const judged = existedBefore(this, paginator);
  const [a, b] = [paginator, byHand].map((l) => new Set(listedJobs(l).filter(judged).map(id)));
  const onlyPaginator = [...a].filter((arn) => !b.has(arn));
  const onlyByHand = [...b].filter((arn) => !a.has(arn));
  failIf(this, [
    ...onlyPaginator.map((arn) => problem(`${arn} came through the paginator, not by hand`, arn)),
    ...onlyByHand.map((arn) => problem(`${arn} came by hand, not through the paginator`, arn)),
  ], {
    expected: 'the paginator lists the same jobs as following nextToken by hand',
    what: 'jobs listed by one walk and not the other',
    evidence: {
      exchanges: [...paginator.pages, ...byHand.pages].map((p) => p.exchange),
      focus: [...onlyPaginator, ...onlyByHand],
      notes: Object.fromEntries([
        ...paginator.pages.map((p, i) => [p.exchange, `the paginator's page ${i + 1} of ${paginator.pages.length}`]),
        ...byHand.pages.map((p, i) => [p.exchange, `by hand, page ${i + 1} of ${byHand.pages.length}`]),
      ]) as Record<number, string>, // Object.fromEntries types its keys as strings; these are exchange numbers
    },
  });
});

Then('each request sent twice gave the same page both times', function (this: ConformanceWorld) {
  observedListings(this, knownJobs(this));
  compareRepeatedRequests(this, this.observed.repeats);
});
