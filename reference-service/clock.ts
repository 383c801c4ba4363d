/**
 * Time for the reference service. Lifecycles (CREATE PENDING -> ... -> ACTIVE) are derived from
 * the clock on every read, so no timers run and a test can choose how time passes.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Called once per handled request; a clock may advance on it. */
  onRequest(): void;
}

/** Wall-clock time: lifecycles take real milliseconds. */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }
  onRequest(): void {}
}

/**
 * Time that moves by a fixed step on every request the service handles. Deterministic and fast:
 * a client that polls sees every lifecycle state without sleeping.
 */
export class RequestClock implements Clock {
  private current: number;
  constructor(private readonly stepMs: number, start = Date.now()) {
    this.current = start;
  }
  now(): number {
    return this.current;
  }
  onRequest(): void {
    this.current += this.stepMs;
  }
}

/** Time that moves only when told to (for unit tests and benchmarks). */
export class ManualClock implements Clock {
  constructor(private current = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.current;
  }
  onRequest(): void {}
  advance(ms: number): void {
    this.current += ms;
  }
}
