/** Then: how a request outside the contract is rejected. */
import { Then } from '@cucumber/cucumber';
import { assertAccepted, assertClientError, assertDeclaredType, assertMessage, assertNamed } from './support/rejection';
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
