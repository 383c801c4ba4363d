/** Steps of features/consistency.feature: how soon a created job is listed. */
import { Then, When } from '@cucumber/cucumber';
import { CREATES_AND_WATCHES } from '../src/arrange/givens';
import { importJobs, watchUntilListed, type ListedInTime } from '../src/arrange/provision';
import { ContractBreach } from '../src/verdict';
import type { ConformanceWorld } from './support/world';

/** What the When saw: the job it created, how soon the listing showed it, and the listings' exchanges. */
const watched = new WeakMap<ConformanceWorld, ListedInTime & { jobName: string; jobArn: string; listings: number[] }>();

When(CREATES_AND_WATCHES.expression, async function (this: ConformanceWorld, alias: string) {
  const d = this.dataset(alias);
  const [job] = await importJobs(this, d, { count: 1 });
  const before = this.wire.exchanges.length;
  const seen = await watchUntilListed(this, [d]);
  const listings = this.wire.exchanges.slice(before).filter((x) => x.operation === 'ListDatasetImportJobs').map((x) => x.n);
  watched.set(this, { ...seen, jobName: job.name, jobArn: job.arn, listings });
});

Then('the new job was listed within the stated time', function (this: ConformanceWorld) {
  const seen = watched.get(this);
  if (!seen) throw new Error('No job was created and watched in this scenario.');
  if (seen.listedAfterMs === undefined) {
    throw new ContractBreach({
      expected: `a created job is listed within ${this.config.listingWaitMs} ms (CONFORMANCE_LISTING_WAIT_MS)`,
      observed: `import job ${seen.jobName} was not listed within ${this.config.listingWaitMs} ms of its creation (${seen.polls} listings of its dataset)`,
      evidence: { exchanges: [seen.listings[0], seen.listings.at(-1)].filter((n): n is number => n !== undefined), focus: [seen.jobArn, seen.jobName] },
    });
  }
});
