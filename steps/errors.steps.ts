/** Then: how a request outside the contract is rejected. */
import { Then } from '@cucumber/cucumber';
import { declaredErrors } from '../schemas/error-types';
import { errorChecks, lastErrorExchange, OPERATION } from './support/rejection';
import type { ConformanceWorld } from './support/world';

Then(/^the request is rejected with (\w+Exception)$/, function (this: ConformanceWorld, type: string) {
  this.assertRejection([type]);
});

Then('the request succeeds', function (this: ConformanceWorld) {
  this.errorAsserted = true;
  if (this.lastError) {
    const e = this.lastError as { name?: string; message?: string };
    throw new Error(`The request was rejected with ${e.name}: ${e.message}`);
  }
});

/** The error of the When step, which these checks look at one by one. */
function theError(world: ConformanceWorld) {
  world.errorAsserted = true;
  if (!world.lastError) throw new Error('The request succeeded, but the contract says it must be rejected.');
  return world.lastError as Parameters<typeof errorChecks.status>[0];
}

Then('the error has the HTTP status the model gives InvalidInputException or InvalidNextTokenException', function (this: ConformanceWorld) {
  const error = theError(this);
  errorChecks.declaredType(error, declaredErrors(OPERATION));
  errorChecks.status(error);
});

Then('the SDK resolves the error to a declared type with a client fault', function (this: ConformanceWorld) {
  const error = theError(this);
  errorChecks.typeOnTheWire(lastErrorExchange(this.wireLog));
  errorChecks.declaredType(error, declaredErrors(OPERATION));
});

Then('the error carries a message', function (this: ConformanceWorld) {
  theError(this);
  errorChecks.message(lastErrorExchange(this.wireLog));
});

Then('the error body matches the error schema', function (this: ConformanceWorld) {
  theError(this);
  const exchange = lastErrorExchange(this.wireLog);
  if (!exchange) throw new Error('No error response came over the wire.');
  const broken = this.wireLog.violations.filter((v) => v.startsWith(`${OPERATION} error`));
  if (broken.length) throw new Error(broken.join('\n'));
});

Then('the SDK did not retry the request', function (this: ConformanceWorld) {
  errorChecks.notRetried(theError(this), this.wireLog);
});
