/**
 * Waiting, the one way the suite does it: every wait is bounded, and every wait ends early when
 * its abort signal fires (a step that timed out, a run past its deadline, Ctrl-C).
 */

/** Why a wait ended early: the signal's reason, or a plain "aborted". */
export class AbortedError extends Error {
  constructor(readonly reason?: unknown) {
    super(reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : 'aborted');
    this.name = 'AbortedError';
  }
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AbortedError(signal.reason);
}

/** Resolves after `ms`, or rejects with AbortedError as soon as `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  throwIfAborted(signal);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError(signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface WaitOptions<T> {
  /** What is awaited, for the message on time-out ("import job x to be ACTIVE"). */
  what: string;
  timeoutMs: number;
  intervalMs: number;
  signal?: AbortSignal;
  /** How the last value reads in the time-out message. */
  describe?: (value: T) => string;
  /** The hint of the time-out message (which setting waits longer). */
  hint?: string;
}

export class WaitTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WaitTimeoutError';
  }
}

/** Polls `read` until `done` holds; WaitTimeoutError after `timeoutMs`, AbortedError when the signal fires. */
export async function waitUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, o: WaitOptions<T>): Promise<T> {
  const deadline = Date.now() + o.timeoutMs;
  for (let attempt = 1; ; attempt++) {
    throwIfAborted(o.signal);
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      const last = o.describe ? o.describe(value) : String(value);
      throw new WaitTimeoutError(`Timed out after ${Math.round(o.timeoutMs / 1000)} s (${attempt} polls) waiting for ${o.what}; last seen: ${last}.${o.hint ? ` ${o.hint}` : ''}`);
    }
    await sleep(o.intervalMs, o.signal);
  }
}

/**
 * Deletes a resource, retrying while the service says it is still in use (its children are
 * still going); a resource that is already gone counts as deleted.
 */
export async function deleteWhenFree(del: () => Promise<unknown>, o: Omit<WaitOptions<string>, 'describe'>): Promise<void> {
  await waitUntil(async () => {
    try {
      await del();
      return 'deleted';
    } catch (e) {
      const name = (e as { name?: string }).name; // a thrown value is unknown: only its name is read
      if (name === 'ResourceInUseException') return 'in use';
      if (name === 'ResourceNotFoundException') return 'deleted';
      throw e;
    }
  }, (s) => s === 'deleted', { ...o, what: `${o.what} to be deletable`, describe: (s) => s });
}
