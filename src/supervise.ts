/**
 * Runs cucumber as a child process and keeps the run bounded, interruptible and visibly alive:
 * - the run's deadline goes to the child (in its settings file), whose hooks stop the running
 *   scenario, delete what it created and report the rest as not shown; if the child is still
 *   alive a grace period later, it is killed and the report is made from what it wrote;
 * - SIGINT and SIGTERM are forwarded to the child's process group once: the same signal again
 *   within a second is the same stop (through `npm exec` a caller's signal arrives twice: from the
 *   process group, and forwarded by npm); a later one gives up the running scenario's cleanup;
 * - while the child runs, a line at least every 10 s that it printed nothing says which scenario
 *   and step are running and for how long, read from the run's own message stream;
 * - everything the child prints is redacted the way the reports are.
 */
import { spawn } from 'node:child_process';
import type { Envelope, Timestamp } from '@cucumber/messages';
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { keepLines } from './escape';
import { redactText } from './redact';
import { childEnvironment } from './settings';

/** Why the run stopped early, once it has. */
export const runStop: { reason?: string; signal?: NodeJS.Signals } = {};

/** Why a run that reached CONFORMANCE_RUN_TIMEOUT_MS stopped. */
export const DEADLINE_REASON = 'the run reached its deadline (CONFORMANCE_RUN_TIMEOUT_MS)';

/** What the runner writes to the terminal: it knows whether the last line is still open (progress dots), so its own lines start on a line of their own. */
export class Terminal {
  private open = false;
  /** When anything was last written (the child's output included). */
  lastWrite = Date.now();

  constructor(private readonly out: NodeJS.WritableStream = process.stdout) {}

  write(text: string): void {
    if (!text) return;
    this.out.write(text);
    this.open = !text.endsWith('\n');
    this.lastWrite = Date.now();
  }

  /** One line of the runner's own. */
  line(text: string): void {
    this.write(`${this.open ? '\n' : ''}${text}\n`);
  }
}

/** Passes a child's output on, redacted: whole lines, and progress dots at once (they hold nothing to redact). */
function relay(from: NodeJS.ReadableStream, to: (text: string) => void): Promise<void> {
  let pending = '';
  from.setEncoding('utf8');
  from.on('data', (chunk: string) => {
    pending += chunk;
    const cut = pending.lastIndexOf('\n') + 1;
    let out = pending.slice(0, cut);
    pending = pending.slice(cut);
    if (/^[.FSUPA?*-]*$/.test(pending)) {
      out += pending;
      pending = '';
    }
    if (out) to(keepLines(redactText(out)));
  });
  return new Promise((resolve) => from.on('close', () => {
    if (pending) to(keepLines(redactText(pending)));
    resolve();
  }));
}

/**
 * How long before the deadline the scenarios stop: the time to skip the rest, delete the running
 * scenario's resources and write the reports (a tenth of what is left, 1 to 60 s).
 */
export function stopReserve(deadlineAt: number): number {
  return Math.min(60_000, Math.max(1000, (deadlineAt - Date.now()) / 10));
}

let forwardTo: ((signal: NodeJS.Signals) => void) | undefined;

/** Signals of one name this close together are one stop (a process group's and npm's forwarded copy). */
const SAME_SIGNAL_MS = 1000;

let lastSignal: { signal: NodeJS.Signals; at: number } | undefined;

/**
 * A stop signal: the run stops (no further target or child starts) and a running child gets the
 * signal. Returns whether it was a new one: the same signal again within a second is its copy (a
 * process group's and npm's), and is not passed on, so it cannot give up the running scenario's cleanup.
 */
export function stopSignalled(signal: NodeJS.Signals, at = Date.now()): boolean {
  if (lastSignal?.signal === signal && at - lastSignal.at < SAME_SIGNAL_MS) return false;
  lastSignal = { signal, at };
  runStop.signal ??= signal;
  runStop.reason ??= `the run was ${signal === 'SIGINT' ? 'interrupted' : 'stopped'} (${signal})`;
  forwardTo?.(signal);
  return true;
}

/** From now on SIGINT and SIGTERM stop the run instead of killing it (stopSignalled). */
export function handleStopSignals(): void {
  process.on('SIGINT', () => stopSignalled('SIGINT'));
  process.on('SIGTERM', () => stopSignalled('SIGTERM'));
}

export interface ChildRun {
  /** The child's exit code, or null when a signal ended it. */
  status: number | null;
  /** The signal that ended it, if one did. */
  signal: NodeJS.Signals | null;
  /** Killed by the runner, past the deadline and its grace. */
  killed: boolean;
  /** Whether its message stream says the run finished (testRunFinished). */
  finished: boolean;
}

const KEYWORD: Record<string, string> = { Context: 'Given', Action: 'When', Outcome: 'Then' };
const HOOK_WORK: Record<string, string> = {
  BEFORE_TEST_CASE: 'preparing the scenario',
  AFTER_TEST_CASE: 'deleting what the scenario created',
  BEFORE_TEST_RUN: 'the run\'s BeforeAll hook',
  AFTER_TEST_RUN: 'deleting the run\'s shared data (AfterAll)',
};

const millisOf = (t: Timestamp | undefined) => (t ? Number(t.seconds) * 1000 + Math.round(Number(t.nanos) / 1e6) : Date.now());
const seconds = (ms: number) => `${Math.max(0, Math.round(ms / 1000))} s`;

/**
 * Reads a run's message stream as cucumber writes it (the new lines at each look): which scenarios
 * and steps are running, and whether the run finished.
 */
export class MessageTail {
  private offset = 0;
  private partial = '';
  private readonly pickles = new Map<string, { name: string; steps: Map<string, string> }>();
  private readonly hooks = new Map<string, string | undefined>();
  private readonly testCases = new Map<string, { pickleId: string; steps: Map<string, { pickleStepId?: string; hookId?: string }> }>();
  private readonly running = new Map<string, { testCaseId: string; since: number; step?: { id: string; since: number } }>();
  private runHook?: { hookId: string; since: number };
  finished = false;

  constructor(private readonly file: string) {}

  /** Reads what was appended since the last look. */
  poll(): void {
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch {
      return; // not written yet
    }
    try {
      const buffer = Buffer.alloc(1 << 16);
      for (let n; (n = readSync(fd, buffer, 0, buffer.length, this.offset)) > 0;) {
        this.offset += n;
        this.partial += buffer.toString('utf8', 0, n);
      }
    } finally {
      closeSync(fd);
    }
    const lines = this.partial.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      try {
        this.read(JSON.parse(line) as Envelope); // cucumber's message formatter writes one Envelope a line
      } catch {
        /* a torn line */
      }
    }
  }

  private read(m: Envelope): void {
    if (m.pickle) this.pickles.set(m.pickle.id, { name: m.pickle.name, steps: new Map(m.pickle.steps.map((s) => [s.id, `${KEYWORD[s.type ?? ''] ?? 'Step'} ${s.text}`])) });
    else if (m.hook) this.hooks.set(m.hook.id, m.hook.type);
    else if (m.testCase) this.testCases.set(m.testCase.id, { pickleId: m.testCase.pickleId, steps: new Map(m.testCase.testSteps.map((s) => [s.id, { pickleStepId: s.pickleStepId, hookId: s.hookId }])) });
    else if (m.testCaseStarted) this.running.set(m.testCaseStarted.id, { testCaseId: m.testCaseStarted.testCaseId, since: millisOf(m.testCaseStarted.timestamp) });
    else if (m.testStepStarted) {
      const r = this.running.get(m.testStepStarted.testCaseStartedId);
      if (r) r.step = { id: m.testStepStarted.testStepId, since: millisOf(m.testStepStarted.timestamp) };
    } else if (m.testCaseFinished) this.running.delete(m.testCaseFinished.testCaseStartedId);
    else if (m.testRunHookStarted) this.runHook = { hookId: m.testRunHookStarted.hookId, since: millisOf(m.testRunHookStarted.timestamp) };
    else if (m.testRunHookFinished) this.runHook = undefined;
    else if (m.testRunFinished) this.finished = true;
  }

  /** What is running now, one line's worth: `"scenario" (step: Given ...), 42 s`; undefined before anything ran. */
  describe(now = Date.now()): string | undefined {
    const parts = [...this.running.values()].map((r) => {
      const testCase = this.testCases.get(r.testCaseId);
      const pickle = testCase && this.pickles.get(testCase.pickleId);
      const step = r.step && testCase?.steps.get(r.step.id);
      const doing = step?.pickleStepId ? pickle?.steps.get(step.pickleStepId) : step?.hookId ? HOOK_WORK[this.hooks.get(step.hookId) ?? ''] ?? 'a hook' : undefined;
      return `"${pickle?.name ?? 'a scenario'}"${doing ? ` (step: ${doing})` : ''}, ${seconds(now - r.since)}`;
    });
    if (parts.length) return parts.slice(0, 3).join('; ') + (parts.length > 3 ? `; and ${parts.length - 3} more` : '');
    if (this.runHook) return `${HOOK_WORK[this.hooks.get(this.runHook.hookId) ?? ''] ?? 'a hook of the run'}, ${seconds(now - this.runHook.since)}`;
    return undefined;
  }
}

export interface ChildOptions {
  cwd: string;
  /** When the scenarios must stop; the child is killed `graceMs` later if it has not ended. */
  deadlineAt?: number;
  graceMs: number;
  /** --quiet: the child's stdout (cucumber's progress and summary) is dropped. */
  quiet?: boolean;
  /** The run's message stream, read for signs of life. */
  messagesFile: string;
  terminal: Terminal;
  /** A sign of life after this long without output (10 s). */
  lifeSignMs?: number;
}

/**
 * Runs `node args` in its own process group, with src/early-stop.js preloaded. SIGINT/SIGTERM
 * received meanwhile are forwarded; past `deadlineAt + graceMs` the group is killed.
 */
export async function runChild(args: string[], o: ChildOptions): Promise<ChildRun> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--require', join(__dirname, 'early-stop.js'), ...args], {
    cwd: o.cwd,
    env: childEnvironment(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own group: one forwarded signal reaches cucumber and its workers once
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      /* already gone */
    }
  };
  // Node runs the early-stop preload some tens of milliseconds after the spawn: a signal forwarded
  // sooner would kill the child before it can hear it, so the first half second's wait for it.
  const spawnedAt = Date.now();
  forwardTo = (signal) => {
    const wait = 500 - (Date.now() - spawnedAt);
    if (wait > 0) setTimeout(() => signalGroup(signal), wait);
    else signalGroup(signal);
  };
  // A stop that came while the runner was still preparing.
  if (runStop.signal) forwardTo(runStop.signal);
  let killed = false;
  const backstop = o.deadlineAt
    ? setTimeout(() => {
      killed = true;
      runStop.reason ??= DEADLINE_REASON;
      o.terminal.line(`conformance: cucumber did not stop within ${o.graceMs} ms of the run's deadline: killed (CONFORMANCE_STOP_GRACE_MS)`);
      signalGroup('SIGKILL');
    }, Math.max(0, o.deadlineAt - Date.now()) + o.graceMs)
    : undefined;

  const tail = new MessageTail(o.messagesFile);
  const lifeSignMs = o.lifeSignMs ?? 10_000;
  const lifeSigns = setInterval(() => {
    tail.poll();
    if (Date.now() - o.terminal.lastWrite < lifeSignMs) return;
    const doing = tail.describe();
    o.terminal.line(`conformance: still running ${doing ?? `(cucumber is loading or between scenarios), ${seconds(Date.now() - started)} since the start`}`);
  }, Math.min(1000, lifeSignMs / 4));

  const stdout = o.quiet
    ? new Promise<void>((done) => child.stdout.on('data', () => (o.terminal.lastWrite = Date.now())).on('end', () => done()))
    : relay(child.stdout, (t) => o.terminal.write(t));
  const stderr = relay(child.stderr, (t) => {
    o.terminal.lastWrite = Date.now();
    process.stderr.write(t);
  });
  const ended = await new Promise<{ status: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (status, signal) => resolve({ status, signal })));
  clearTimeout(backstop);
  clearInterval(lifeSigns);
  forwardTo = undefined;
  await Promise.all([stdout, stderr]);
  tail.poll();
  if (o.deadlineAt && Date.now() >= o.deadlineAt) runStop.reason ??= DEADLINE_REASON;
  return { ...ended, killed, finished: tail.finished };
}

/**
 * How the child ended, when it did not end as a finished cucumber run does (exit 0 or 1 after
 * testRunFinished): the report's `crashed`.
 */
export function crashOf(run: ChildRun, graceMs: number): string | undefined {
  if (run.killed) return `cucumber was killed ${graceMs} ms past the run's deadline (CONFORMANCE_STOP_GRACE_MS)`;
  if (run.signal) return `cucumber's process was ended by ${run.signal}${run.signal === 'SIGABRT' ? ' (out of memory, or a fatal error)' : ''}`;
  if (!run.finished) return `cucumber's process ended (exit ${run.status}) before the run finished`;
  if (run.status !== 0 && run.status !== 1) return `cucumber's process ended with exit ${run.status}`;
  return undefined;
}
