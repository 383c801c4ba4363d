/**
 * Limits for runs against a real account: a budget of API calls for the whole run and a
 * client-side request rate well under the service's limits. Both are enforced where every request
 * passes (the wire handler), so no step can forget them. One governor per run context (per process).
 */
import { LimitReached } from './verdict';
import { sleep } from './wait';

export class CallBudgetExhausted extends LimitReached {
  constructor(limit: number) {
    super(`the run's call budget of ${limit} API calls is spent (CONFORMANCE_CALL_BUDGET)`);
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
  private nextSlot = 0;

  /** `used`: calls already made for this run elsewhere (the runner's preflight). */
  constructor(readonly limits: CallLimits, public used = 0) {}

  get remaining(): number {
    return this.limits.budget === undefined ? Infinity : this.limits.budget - this.used;
  }

  /** Waits for the next slot under the rate, then counts the call (or refuses it past the budget). */
  async admit(signal?: AbortSignal): Promise<void> {
    if (this.remaining <= 0) throw new CallBudgetExhausted(this.limits.budget!);
    this.used++;
    if (!this.limits.maxPerSecond) return;
    const now = Date.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + 1000 / this.limits.maxPerSecond;
    if (slot > now) await sleep(slot - now, signal);
  }
}
