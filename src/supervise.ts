/**
 * Runs cucumber as a child process and keeps the run bounded and interruptible:
 * - the run's deadline (CONFORMANCE_RUN_TIMEOUT_MS) goes to the child, whose hooks stop the
 *   running scenario, delete what it created and report the rest as not run; if the child is
 *   still alive a grace period later, it is killed and the report is made from what it wrote;
 * - SIGINT and SIGTERM are forwarded to the child's process group (the same path);
 * - everything the child prints is redacted the way the reports are.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { redactText } from './redact';

/** Why the run stopped early, once it has. */
export const runStop: { reason?: string; signal?: NodeJS.Signals } = {};

/** Passes a child's output on, redacted: whole lines, and progress dots at once (they hold nothing to redact). */
function relay(from: NodeJS.ReadableStream, to: NodeJS.WriteStream): Promise<void> {
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
    if (out) to.write(redactText(out));
  });
  return new Promise((resolve) => from.on('close', () => {
    if (pending) to.write(redactText(pending));
    resolve();
  }));
}

/**
 * How long before the deadline the scenarios stop: the time to skip the rest, delete the running
 * scenario's resources and write the reports (a tenth of what is left, 1 to 60 s).
 */
function stopReserve(deadlineAt: number): number {
  return Math.min(60_000, Math.max(1000, (deadlineAt - Date.now()) / 10));
}

let forwardTo: ((signal: NodeJS.Signals) => void) | undefined;

/**
 * From now on SIGINT and SIGTERM stop the run instead of killing it: no further target or child
 * starts, and a running child gets the signal (its hooks clean up and finish the reports).
 */
export function handleStopSignals(): void {
  const stop = (signal: NodeJS.Signals) => {
    runStop.signal ??= signal;
    runStop.reason ??= `the run was interrupted (${signal})`;
    forwardTo?.(signal);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

export interface ChildRun {
  /** The child's exit code, or undefined when a signal ended it. */
  status: number | null;
  killed: boolean;
}

/**
 * Runs `node args` in its own process group with the run's deadline. SIGINT/SIGTERM received
 * meanwhile are forwarded; past `deadlineAt + graceMs` the group is killed.
 */
export async function runChild(args: string[], o: { cwd: string; env: NodeJS.ProcessEnv; deadlineAt?: number; graceMs: number; quiet?: boolean }): Promise<ChildRun> {
  const child = spawn(process.execPath, ['--require', join(__dirname, 'early-stop.js'), ...args], {
    cwd: o.cwd,
    env: { ...o.env, ...(o.deadlineAt && { CONFORMANCE_RUN_DEADLINE_AT: String(o.deadlineAt - stopReserve(o.deadlineAt)) }) },
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
  forwardTo = signalGroup;
  let killed = false;
  const backstop = o.deadlineAt
    ? setTimeout(() => {
      killed = true;
      runStop.reason ??= 'the run reached its deadline (CONFORMANCE_RUN_TIMEOUT_MS)';
      console.error(`conformance: cucumber did not stop within ${o.graceMs} ms of the run's deadline: killed (CONFORMANCE_STOP_GRACE_MS)`);
      signalGroup('SIGKILL');
    }, Math.max(0, o.deadlineAt - Date.now()) + o.graceMs)
    : undefined;
  // quiet (--quiet): the child's stdout (cucumber's progress and summary) is read and dropped.
  const stdout = o.quiet ? new Promise<void>((done) => child.stdout!.on('end', () => done()).resume()) : relay(child.stdout!, process.stdout);
  const relayed = Promise.all([stdout, relay(child.stderr!, process.stderr)]);
  const status = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  clearTimeout(backstop);
  forwardTo = undefined;
  await relayed;
  if (o.deadlineAt && Date.now() >= o.deadlineAt) runStop.reason ??= 'the run reached its deadline (CONFORMANCE_RUN_TIMEOUT_MS)';
  return { status, killed };
}

/**
 * Makes a message stream that a killed child left readable: drops a torn last line, and every
 * scenario that started but did not finish (it is then reported as not run, never as passed).
 */
export function settleMessages(file: string): void {
  if (!existsSync(file)) return;
  const lines = readFileSync(file, 'utf8').split('\n');
  const parsed: { line: string; message: Record<string, any> }[] = [];
  for (const line of lines) {
    try {
      parsed.push({ line, message: JSON.parse(line) });
    } catch {
      /* a torn or empty line */
    }
  }
  const finished = new Set(parsed.filter((p) => p.message.testCaseFinished).map((p) => p.message.testCaseFinished.testCaseStartedId));
  const startedId = (m: Record<string, any>): string | undefined =>
    m.testCaseStarted?.id ?? m.testStepStarted?.testCaseStartedId ?? m.testStepFinished?.testCaseStartedId ?? m.attachment?.testCaseStartedId;
  const kept = parsed.filter((p) => {
    const id = startedId(p.message);
    return id === undefined || finished.has(id);
  });
  writeFileSync(file, kept.map((p) => p.line).join('\n') + '\n');
}
