import { sleep } from './wait';
/**
 * Limits for runs against a real account: a budget of API calls for the whole run and a
 * client-side request rate well under the service's limits. Both are enforced where every request
 * passes (the wire handler), so no step can forget them.
 */
export class CallBudgetExhausted extends Error {
  constructor(limit: number) {
    super(`call budget exhausted: the run may make ${limit} API calls (CONFORMANCE_CALL_BUDGET)`);
    this.name = 'CallBudgetExhausted';
  }
}

export interface CallLimits {
  /** Most API calls for the run; undefined: no limit. */
  budget?: number;
  /** Most requests per second; undefined: no limit. */
  maxPerSecond?: number;
}

export class CallGovernor {
  used = 0;
  private nextSlot = 0;

  constructor(readonly limits: CallLimits) {}

  get remaining(): number {
    return this.limits.budget === undefined ? Infinity : this.limits.budget - this.used;
  }

  /** Waits for the next slot under the rate, then counts the call (or refuses it past the budget). */
  async admit(): Promise<void> {
    if (this.remaining <= 0) throw new CallBudgetExhausted(this.limits.budget!);
    this.used++;
    if (!this.limits.maxPerSecond) return;
    const now = Date.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + 1000 / this.limits.maxPerSecond;
    if (slot > now) await sleep(slot - now);
  }
}

/** The governor of this process; the target sets its limits. */
export const governor = { current: new CallGovernor({}) };
