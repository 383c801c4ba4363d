/**
 * Runs that never mix. A run claims the reports folders it writes with a lock (its pid and when
 * its process started); a lock whose process is gone is stale and taken over. Each target keeps
 * its message stream, cucumber's HTML and its settings file in a private folder of its own
 * (`<reports>/.run-<pid>-<time>/`), and only finished reports are moved into the reports folder.
 * A second run into a folder a live run holds is refused when the user named the folder, and
 * given a folder of its own inside it when it is the default.
 */
import { accessSync, constants, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { ConfigurationError } from './settings';

const LOCK = '.conformance-run.lock';

interface LockHolder { pid: number; host: string; startedAt: string; /** The process's start time as the kernel counts it (Linux), so a reused pid is not taken for the run. */ processStart?: string }

/** When a process started, from /proc (Linux); undefined where there is no /proc. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime), counted after the command name, which may hold spaces and parentheses.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function alive(holder: LockHolder): boolean {
  if (!(holder.pid > 0)) return false;
  if (holder.host !== hostname()) return true; // a folder shared over the network: never take another machine's run for dead
  try {
    process.kill(holder.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false; // what fs and process.kill throw: ErrnoExceptions
  }
  const start = processStart(holder.pid);
  return !holder.processStart || !start || start === holder.processStart;
}

function readHolder(file: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockHolder; // the lock file claimReportsFolders wrote
  } catch {
    return undefined; // being written, or torn: treated as held by a live run a moment longer
  }
}

const me = (): LockHolder => ({ pid: process.pid, host: hostname(), startedAt: new Date(Date.now() - process.uptime() * 1000).toISOString(), ...(processStart(process.pid) && { processStart: processStart(process.pid) }) });

function mtimeOf(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return Date.now();
  }
}

type Claim = { held: true; tookOverFrom?: LockHolder } | { held: false; by: LockHolder };

/** Takes the lock of `dir`, or says who holds it. */
function lock(dir: string): Claim {
  const file = join(dir, LOCK);
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(me()), { flag: 'wx' });
      return { held: true };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; // what fs and process.kill throw: ErrnoExceptions
    }
    // An unreadable lock is being written, or was left empty by a process killed while writing it.
    const holder = readHolder(file) ?? (Date.now() - mtimeOf(file) > 5000 ? { pid: 0, host: hostname(), startedAt: 'unknown' } : undefined);
    if (!holder) continue;
    if (holder.pid === process.pid && holder.host === hostname()) return { held: true };
    if (alive(holder)) return { held: false, by: holder };
    // Stale: moved aside under a name of our own, so that two runs taking it over at once cannot both succeed.
    const aside = `${file}.${process.pid}.stale`;
    try {
      renameSync(file, aside);
    } catch {
      continue;
    }
    const moved = readHolder(aside);
    if (moved && (moved.pid !== holder.pid || moved.startedAt !== holder.startedAt)) {
      // Another run took the stale lock over in between: its fresh lock goes back.
      try {
        linkSync(aside, file);
      } catch {
        /* a third run locked meanwhile: its lock stands */
      }
    }
    unlinkSync(aside);
    if (moved && (moved.pid !== holder.pid || moved.startedAt !== holder.startedAt)) continue;
    const taken = lock(dir);
    return taken.held ? { held: true, tookOverFrom: holder } : taken;
  }
  return { held: false, by: readHolder(file) ?? { pid: 0, host: '?', startedAt: 'unknown' } };
}

function unlock(dir: string): void {
  const file = join(dir, LOCK);
  const holder = readHolder(file);
  if (holder?.pid === process.pid && holder.host === hostname()) rmSync(file, { force: true });
  held.delete(dir);
}

/** The folders this process holds; given back when it exits, even without its finally (a process.exit elsewhere). */
const held = new Set<string>();
let releaseOnExit = false;
function hold(dir: string): void {
  held.add(dir);
  if (!releaseOnExit) process.on('exit', () => [...held].forEach(unlock));
  releaseOnExit = true;
}

/** Private folders of runs whose process is gone (killed before they could clean up; their settings file may hold a secret). */
function removeDeadRunFolders(dir: string): void {
  for (const name of readdirSync(dir)) {
    const pid = /^\.run-(\d+)-/.exec(name)?.[1];
    if (!pid || Number(pid) === process.pid) continue;
    try {
      process.kill(Number(pid), 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') rmSync(join(dir, name), { recursive: true, force: true }); // what fs and process.kill throw: ErrnoExceptions
    }
  }
}

function writable(dir: string, as: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new ConfigurationError(`${as}: cannot write there (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`); // what fs and process.kill throw: ErrnoExceptions
  }
}

const describeHolder = (h: LockHolder) => `pid ${h.pid}${h.host !== hostname() ? ` on ${h.host}` : ''}, started ${h.startedAt}`;

export interface ReportsFolders {
  /** The folder of the first target, and the folder of each target by its index. */
  root: string;
  folderOf(index: number, target: string): string;
  /** What the runner should say about the folder it got (another run held the default one; a stale lock was taken over). */
  notes: string[];
  release(): void;
}

/**
 * Claims the reports folder (and the subfolders of further targets, `<reports>/<target>`) for this
 * run. `named`: the user chose the folder (--reports), so a live run holding it refuses this one.
 */
export function claimReportsFolders(option: string, named: boolean, targets: readonly string[], cwd = process.cwd()): ReportsFolders {
  const as = `--reports ${option}`;
  let root = resolve(cwd, option);
  writable(root, as);
  const notes: string[] = [];
  const folders = (base: string) => [base, ...targets.slice(1).map((t) => join(base, t))];
  const mine: string[] = [];
  const release = () => {
    for (const dir of mine.splice(0)) unlock(dir);
  };
  const claimAll = (base: string): LockHolder | undefined => {
    for (const dir of folders(base)) {
      writable(dir, as);
      const claim = lock(dir);
      if (!claim.held) {
        release();
        return claim.by;
      }
      mine.push(dir);
      hold(dir);
      if (claim.tookOverFrom) notes.push(`the reports folder ${dir} was left locked by a run that is gone (${describeHolder(claim.tookOverFrom)}): taken over`);
    }
    return undefined;
  };
  const busy = claimAll(root);
  if (busy) {
    if (named) throw new ConfigurationError(`${as}: another run is writing there (${describeHolder(busy)}); wait for it, or name another folder.`);
    const own = join(root, `run-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
    const stillBusy = claimAll(own);
    if (stillBusy) throw new ConfigurationError(`${as}: another run is writing there (${describeHolder(stillBusy)}).`);
    notes.push(`another run is writing to ${root} (${describeHolder(busy)}): this run reports to ${own}`);
    root = own;
  }
  for (const dir of mine) removeDeadRunFolders(dir);
  return { root, folderOf: (i, target) => (i === 0 ? root : join(root, target)), notes, release };
}

/** A target's private folder, inside its reports folder: the message stream, cucumber's HTML and the settings file live here until the end. */
export function privateRunFolder(reports: string): string {
  const dir = join(reports, `.run-${process.pid}-${Date.now().toString(36)}`);
  mkdirSync(dir, { mode: 0o700 });
  return dir;
}

/** Moves a finished file from the private folder into the reports folder (replacing an older run's). */
export function publish(file: string, reports: string): string {
  const to = join(reports, basename(file));
  renameSync(file, to);
  return to;
}

/** Writes a finished report into the reports folder at once (written aside, then renamed: a reader never sees half of it). */
export function writeReport(reports: string, name: string, content: string): string {
  const to = join(reports, name);
  const partial = join(dirname(to), `.${name}.${process.pid}.partial`);
  writeFileSync(partial, content);
  renameSync(partial, to);
  return to;
}
