/**
 * The reference service: one model, several transports. This entry composes a service with its
 * options and, where asked, faults applied from outside (faults/); the model never imports them.
 */
import { type Clock, RequestClock, SystemClock } from './clock';
import { applyFaults, parseFaults } from './faults';
import { type ServiceOptions, parseVariant } from './options';
import { AwsJsonFrontEnd, type FrontEndOptions } from './protocol';
import { ReferenceService } from './service';

export { AccountIds, AwsJsonFrontEnd, accountIdFor } from './protocol';
export { ReferenceService } from './service';
export { FAULTS, type FaultName } from './faults';
export type { Caller } from './operations';
export { describeOptions, parseVariant, type ServiceOptions } from './options';
export { ManualClock, RequestClock, SystemClock, type Clock } from './clock';

export interface ReferenceSetup {
  /** Compact variant string, e.g. "order=newest-first,tokenFormat=opaque" (options.ts). */
  variant?: string;
  /** Fault names joined by "," or "+" (faults.ts). */
  faults?: string;
  /** "request" (time moves a step per request: fast and deterministic) or "system" (wall clock). */
  clock?: 'request' | 'system';
  /** The key that signs continuation tokens (none: random per process). */
  tokenKey?: string;
  frontEnd?: FrontEndOptions;
}

export function createReferenceFrontEnd(setup: ReferenceSetup = {}): AwsJsonFrontEnd {
  const options: ServiceOptions = { ...parseVariant(setup.variant), ...(setup.tokenKey && { tokenSecret: setup.tokenKey }) };
  const faults = parseFaults(setup.faults);
  const clock: Clock = setup.clock === 'system' ? new SystemClock() : new RequestClock(1000);
  const frontEnd = new AwsJsonFrontEnd(new ReferenceService(options, clock), setup.frontEnd);
  applyFaults(frontEnd, faults);
  return frontEnd;
}
