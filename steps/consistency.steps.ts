/** Steps of features/consistency.feature: how soon a created job is listed. */
import { Then, When } from '@cucumber/cucumber';
import { CREATES_AND_WATCHES } from '../src/arrange/givens';
import { importJobs, watchUntilListed, type ListedInTime } from '../src/arrange/provision';
import type { ConformanceWorld } from './support/world';

/** What the When saw: the job it created and how soon the listing showed it. */
const watched = new WeakMap<ConformanceWorld, ListedInTime & { jobName: string }>();

When(CREATES_AND_WATCHES.expression, async function (this: ConformanceWorld, alias: string) {
  const d = this.dataset(alias);
  const [job] = await importJobs(this, d, { count: 1 });
  watched.set(this, { ...(await watchUntilListed(this, [d])), jobName: job.name });
});

Then('the new job was listed within the stated time', function (this: ConformanceWorld) {
  const seen = watched.get(this);
  if (!seen) throw new Error('No job was created and watched in this scenario.');
  if (seen.listedAfterMs === undefined) {
    throw new Error(`Import job ${seen.jobName} was not listed within ${this.config.listingWaitMs} ms of its creation (${seen.polls} listings of its dataset); set CONFORMANCE_LISTING_WAIT_MS if the target is allowed longer.`);
  }
});
