/**
 * The named points where a fault is applied: methods of the reference service and of its
 * awsJson1_1 front end that a fault wraps from outside. A wrapper gets the method it replaces
 * (`next`) and the service, and returns the method to use instead.
 */
import type { AwsJsonFrontEnd } from '../protocol';
import type { ReferenceService } from '../service';

type Wrapper<F> = (next: F, service: ReferenceService) => F;

export const SERVICE_POINTS = [
  'listDatasetImportJobs', 'pageSize', 'jobSelection', 'nextCursor', 'listedLifecycleOf', 'importJobSummary', 'readToken', 'scopeOf',
  'createDatasetImportJob', 'describeDatasetImportJob',
] as const;
export const FRONT_END_POINTS = ['wrongTypes', 'constraintErrors', 'constraintError', 'ok', 'error'] as const;

export type FaultPoints =
  & { [P in (typeof SERVICE_POINTS)[number]]?: Wrapper<ReferenceService[P]> }
  & { [P in (typeof FRONT_END_POINTS)[number]]?: Wrapper<AwsJsonFrontEnd[P]> };

export interface Fault {
  /** What goes wrong, not how the suite detects it. */
  description: string;
  /** The requirements the fault breaks: the suite must charge it there (npm run test:faults checks). */
  about: readonly string[];
  points: FaultPoints;
}

function wrap<T extends object>(target: T, point: keyof T, wrapper: unknown, service: ReferenceService): void {
  // A point names a method of T, and FaultPoints types its wrapper; TypeScript cannot tie keyof T to that method's signature.
  const next = (target[point] as (...args: unknown[]) => unknown).bind(target);
  (target as Record<keyof T, unknown>)[point] = (wrapper as (n: unknown, s: ReferenceService) => unknown)(next, service); // (the same)
}

/** Wraps the points of one front end (and its service) with each fault's wrappers, in order. */
export function applyFaultPoints(frontEnd: AwsJsonFrontEnd, faults: Fault[]): void {
  const service = frontEnd.service;
  for (const { points } of faults) {
    for (const p of SERVICE_POINTS) if (points[p]) wrap(service, p, points[p], service);
    for (const p of FRONT_END_POINTS) if (points[p]) wrap(frontEnd, p, points[p], service);
  }
}
