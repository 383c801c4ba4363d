/** Then: how a request outside the contract is rejected. */
import { Then } from '@cucumber/cucumber';
import { assertAccepted, assertClientError, assertDeclaredType, assertMessage, assertNamed } from './support/rejection';
import { ContractBreach } from '../src/verdict';
import type { ConformanceWorld } from './support/world';

Then('the request is rejected as a client error', async function (this: ConformanceWorld) {
  await assertClientError(this);
});

Then('the error names its type', async function (this: ConformanceWorld) {
  await assertNamed(this);
});

Then('the error carries a message', async function (this: ConformanceWorld) {
  await assertMessage(this);
});

Then(/^the request is rejected with (\w+Exception) and its HTTP status$/, async function (this: ConformanceWorld, type: string) {
  await assertDeclaredType(this, type);
});

Then('the request succeeds', async function (this: ConformanceWorld) {
  await assertAccepted(this);
});

Then('both requests get the same answer', function (this: ConformanceWorld) {
  const [long, short] = this.observed.compared!;
  const kind = (x: { rejection?: unknown; listing?: { pages: { jobs: unknown[] }[] } }) => {
    const e = x.rejection as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined; // a rejection is what the SDK threw: a ServiceException, or another Error
    return e ? `${e.name ?? 'an error'} (HTTP ${e.$metadata?.httpStatusCode})` : `a listing of ${x.listing?.pages[0]?.jobs.length ?? 0} jobs`;
  };
  // Where every unknown dataset is refused, a refusal of the long one cannot be told from a broken constraint.
  if (short.rejection) this.notShown('choice', `the endpoint refuses a well-formed datasetArn of no dataset (${kind(short)}): whether it accepts one of 256 characters cannot be told`);
  const exchanges = this.wire.exchanges.filter((x) => x.operation === 'ListDatasetImportJobs').slice(-2).map((x) => x.n);
  if (kind(long) !== kind(short)) {
    throw new ContractBreach({ expected: 'a datasetArn of 256 characters, the most the model allows, answered as any other well-formed datasetArn of no dataset', observed: `it got ${kind(long)}, where one of 80 characters got ${kind(short)}`, evidence: { exchanges } });
  }
});
