/** Then: how a request outside the contract is rejected. */
import { Then } from '@cucumber/cucumber';
import { assertClientError, assertDeclaredType, assertNamedWithMessage } from './support/rejection';
import type { ConformanceWorld } from './support/world';

/** The rejection of the When step, marked as looked at. */
function rejection(world: ConformanceWorld): unknown {
  world.rejectionChecked = true;
  return world.observed.rejection;
}

Then('the request is rejected as a client error', function (this: ConformanceWorld) {
  assertClientError(rejection(this), this.wireLog);
});

Then('the error names its type and carries a message', function (this: ConformanceWorld) {
  assertNamedWithMessage(rejection(this), this.wireLog);
});

Then(/^the request is rejected with (\w+Exception) and its HTTP status$/, function (this: ConformanceWorld, type: string) {
  assertDeclaredType(rejection(this), type);
});

Then('the request succeeds', function (this: ConformanceWorld) {
  const e = rejection(this) as { name?: string; message?: string } | undefined;
  if (e) throw new Error(`The request was rejected with ${e.name}: ${e.message}`);
});
