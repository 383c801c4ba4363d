/**
 * Steps of features/consistency.feature and of the times of a created job: how soon a created job
 * is listed and its final status shown (LDIJ-CONS-001), that the listing comes to show what
 * DescribeDatasetImportJob shows (LDIJ-CONS-002), and that its creation time is when it was created (LDIJ-RESP-015).
 */
import { Then, When } from '@cucumber/cucumber';
import { CREATES_AND_FOLLOWS } from '../src/arrange/givens';
import { importJobs, watchUntilListed } from '../src/arrange/provision';
import { allListingEvidence, identify, knownJobs, listedJobs, listingEvidence, observedListings, watchLifecycle } from './support/listing';
import { failIf, notCaughtUp, problem } from './support/judgements';
import type { ConformanceWorld } from './support/world';

/** Five minutes: AWS refuses a request signed further off its clock (SigV4), so an answering service's clock is that close to ours. */
const CLOCK_SKEW_MS = 5 * 60_000;

When(CREATES_AND_FOLLOWS.expression, async function (this: ConformanceWorld, alias: string) {
  const d = this.dataset(alias);
  const [job] = await importJobs(this, d, { count: 1 });
  const seen = await watchUntilListed(this, [d]);
  this.observed.watchedJob = { arn: job.arn, status: 'created', listedAfterMs: seen.listedAfterMs, polls: seen.polls };
  this.observed.listings.push(...(await watchLifecycle(this, d.arn, [job])));
});

Then('the listing showed the new job, and then its final status, within the stated time', function (this: ConformanceWorld) {
  const watched = this.observed.watchedJob!;
  const listings = observedListings(this, 1);
  const bound = this.config.listingWaitMs;
  const catchUp = this.observed.catchUp;
  const problems = [
    ...(watched.listedAfterMs === undefined ? [problem(`the new job was not listed within ${bound} ms of its creation (${watched.polls ?? 0} listings of its dataset)`, watched.arn)] : []),
    // At once (the first listing after Describe showed it finished agreed), or within the bound.
    ...(catchUp && catchUp.listingsBehind > 0 && (catchUp.afterMs === undefined || catchUp.afterMs > bound)
      ? [problem(`the listing showed the job's final status ${catchUp.afterMs === undefined ? 'not at all' : `${catchUp.afterMs} ms`} after DescribeDatasetImportJob did (${catchUp.listingsBehind} listings behind)`, watched.arn)] : []),
  ];
  failIf(this, problems, {
    expected: `a created job is listed, and its final status shown, within ${bound} ms (CONFORMANCE_LISTING_WAIT_MS; 0: at once)`,
    what: 'delays past the stated time', evidence: { ...listingEvidence(listings[0], [watched.arn]), exchanges: [listings[0], listings.at(-1)!].flatMap((l) => l.pages.map((p) => p.exchange)) },
  });
});

Then('every finished job came to be listed as DescribeDatasetImportJob shows it', function (this: ConformanceWorld) {
  const listings = observedListings(this, knownJobs(this));
  failIf(this, notCaughtUp(this, listings, identify(this)), {
    expected: 'once DescribeDatasetImportJob shows a job finished, a listing comes to show it with the same status and last update',
    what: 'finished jobs never shown as DescribeDatasetImportJob shows them', evidence: listingEvidence(listings.at(-1)!),
  });
});

Then("the new job's creationDateTime is the time it was created", function (this: ConformanceWorld) {
  const watched = this.observed.watchedJob!;
  const job = this.allJobs.find((j) => j.arn === watched.arn)!;
  const create = this.wire.exchanges.find((x) => x.operation === 'CreateDatasetImportJob' && x.request.includes(`"${job.name}"`) && x.status === 200);
  // The service's own clock at the create (its Date header, as AWS sends it), else ours around the request.
  const [from, to] = create?.serverDate !== undefined ? [create.serverDate, create.serverDate] : job.createdBetween ?? [NaN, NaN];
  const clock = create?.serverDate !== undefined ? "the Date of CreateDatasetImportJob's answer" : 'the time CreateDatasetImportJob was sent and answered';
  const times = [
    ...observedListings(this, 1).flatMap(listedJobs).filter((s) => identify(this)(s) === job.arn).map((s) => ({ at: s.creationDateTime?.getTime(), where: 'listed' })),
    ...this.observed.listings.flatMap((l) => [l.describedBefore?.get(job.arn)]).filter((d) => d).map((d) => ({ at: d!.creationDateTime?.getTime(), where: 'described' })),
  ];
  const off = times.filter((t) => t.at === undefined || t.at < from - CLOCK_SKEW_MS || t.at > to + CLOCK_SKEW_MS);
  const distinct = [...new Map(off.map((t) => [`${t.where} ${t.at}`, t])).values()];
  failIf(this, distinct.map((t) => problem(`${job.name} ${t.where} as created ${t.at === undefined ? 'at no time' : new Date(t.at).toISOString()}, ${clock} was ${new Date(from).toISOString()}`, job.arn)), {
    expected: `a job's creationDateTime within five minutes of its CreateDatasetImportJob (${clock})`, what: 'creation times that are not when the job was created',
    evidence: { ...allListingEvidence(this, [job.arn]), exchanges: [...(create ? [create.n] : []), ...allListingEvidence(this, [job.arn]).exchanges.slice(0, 2)] },
  });
});
