/**
 * Re-records the committed recordings (fixtures/recordings/) the way CI's smoke run reaches an
 * account: the reference emulator seeded with this account's part of the shared data (what a writing run leaves in it), then `npm run record` with
 * AWS_ENDPOINT_URL_PERSONALIZE. The new recordings go to a new folder first; they replace the
 * committed ones only if their replay passes and passes at least as many requirements as the
 * committed recordings' replay (RECORD_FIXTURES_ALLOW_FEWER=1 accepts fewer, on purpose).
 *
 *   npm run record:fixtures        (then review `git status fixtures/recordings`)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, createWriteStream, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { RECORDINGS, ROOT } from '../src/paths';

/** Fake credentials: the emulator takes the account from the access key id and checks no secret. */
const ACCOUNT_ENV = { AWS_ACCESS_KEY_ID: 'conformance-fixtures', AWS_SECRET_ACCESS_KEY: 'not-a-secret', AWS_REGION: 'us-east-1' };
/** The data set of fixtures/data-sets.json the emulator holds: the account CI's smoke run sees, unless RECORD_FIXTURES_SEED names another. */
const SEED = process.env.RECORD_FIXTURES_SEED || 'shared';
const START_TIMEOUT_MS = 60_000;

const work = join(ROOT, 'reports', `record-fixtures-${new Date().toISOString().replace(/[:.]/g, '-')}`);
const fresh = join(work, 'recordings');

/** Starts the seeded emulator on a free port; resolves with its URL once it listens. */
function startEmulator(): Promise<{ url: string; emulator: ChildProcess }> {
  const emulator = spawn(process.execPath, ['-r', 'ts-node/register', 'src/emulator.ts', '--port', '0', '--seed', SEED, '--seed-access-key', ACCOUNT_ENV.AWS_ACCESS_KEY_ID], {
    cwd: ROOT, env: { ...process.env, ...ACCOUNT_ENV, TS_NODE_TRANSPILE_ONLY: 'true' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(join(work, 'emulator.log'));
  emulator.stderr.pipe(log);
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => fail(`the emulator did not listen within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    const fail = (why: string) => {
      clearTimeout(timer);
      emulator.kill();
      reject(new Error(`${why} (see ${relative(process.cwd(), join(work, 'emulator.log'))})`));
    };
    emulator.once('exit', (code) => fail(`the emulator ended (exit ${code})`));
    let listening = false;
    emulator.stdout.on('data', (chunk: Buffer) => {
      log.write(chunk);
      if (listening) return;
      seen += chunk.toString();
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(seen)?.[0];
      if (!url) return;
      listening = true;
      clearTimeout(timer);
      emulator.removeAllListeners('exit');
      resolve({ url, emulator });
    });
  });
}

/** A run of the suite (`command` and its arguments); its exit code and how many requirements its report says passed. */
function suite(command: string[], env: Record<string, string>, reports: string): { code: number; passed: number } {
  const [program, ...args] = command;
  const run = spawnSync(program, [...args, '--quiet', '--reports', reports], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env, AWS_EC2_METADATA_DISABLED: 'true' } });
  let passed = 0;
  try {
    passed = (JSON.parse(readFileSync(join(reports, 'conformance.json'), 'utf8')) as { summary: { requirements: { passed?: number } } }).summary.requirements.passed ?? 0;
  } catch {
    // No report: the run did not get that far; its exit code says why.
  }
  return { code: run.status ?? 2, passed };
}

async function main(): Promise<number> {
  mkdirSync(work, { recursive: true });
  const { url, emulator } = await startEmulator();
  let recorded: { code: number; passed: number };
  try {
    console.log(`record-fixtures: recording from the reference emulator at ${url}, seeded with ${SEED}, into ${relative(ROOT, fresh)}`);
    recorded = suite(['npm', 'run', '-s', 'record', '--'], { ...ACCOUNT_ENV, AWS_ENDPOINT_URL_PERSONALIZE: url, CONFORMANCE_RECORDINGS: fresh }, join(work, 'record'));
  } finally {
    emulator.kill();
  }
  if (recorded.code !== 0) {
    console.error(`record-fixtures: the recording run failed (exit ${recorded.code}); fixtures/recordings left as they were.`);
    return 1;
  }
  const REPLAY = [process.execPath, 'bin/conformance.js', '--target', 'replay'];
  const before = suite(REPLAY, {}, join(work, 'replay-committed'));
  const after = suite(REPLAY, { CONFORMANCE_RECORDINGS: fresh }, join(work, 'replay-new'));
  console.log(`record-fixtures: replay passes ${before.passed} requirements with the committed recordings, ${after.passed} with the new ones`);
  if (after.code !== 0) {
    console.error(`record-fixtures: the replay of the new recordings failed (exit ${after.code}); fixtures/recordings left as they were.`);
    return 1;
  }
  if (after.passed < before.passed && process.env.RECORD_FIXTURES_ALLOW_FEWER !== '1') {
    console.error('record-fixtures: the new recordings show fewer requirements; fixtures/recordings left as they were (RECORD_FIXTURES_ALLOW_FEWER=1 to accept).');
    return 1;
  }
  for (const f of readdirSync(RECORDINGS).filter((f) => f.endsWith('.json'))) rmSync(join(RECORDINGS, f));
  const files = readdirSync(fresh).filter((f) => f.endsWith('.json'));
  for (const f of files) copyFileSync(join(fresh, f), join(RECORDINGS, f));
  console.log(`record-fixtures: ${files.length} recordings in fixtures/recordings; review them (git status, git diff), then npm run lint && npm test`);
  return 0;
}

main().then((code) => process.exit(code), (e) => {
  console.error(`record-fixtures: ${e instanceof Error ? e.message : e}`);
  process.exit(2);
});
