/**
 * Deliberately injected faults, applied to a reference service from outside (the service never
 * imports this module): the catalog (catalog.ts), the points they wrap (points.ts).
 */
import type { AwsJsonFrontEnd } from '../protocol';
import { FAULTS, type FaultName } from './catalog';
import { applyFaultPoints } from './points';

export { FAULTS, type FaultName } from './catalog';

/** Fault names joined by "," or "+", each checked against the catalog. */
export function parseFaults(text: string | undefined): FaultName[] {
  const names = (text ?? '').split(/[,+]/).map((s) => s.trim()).filter(Boolean);
  const isFaultName = (n: string): n is FaultName => n in FAULTS;
  return names.map((n) => {
    if (!isFaultName(n)) throw new Error(`unknown fault "${n}"; known faults: ${Object.keys(FAULTS).join(', ')}`);
    return n;
  });
}

/** Applies the named faults to a front end and its service. */
export function applyFaults(frontEnd: AwsJsonFrontEnd, names: readonly FaultName[]): void {
  applyFaultPoints(frontEnd, names.map((n) => FAULTS[n]));
}
