/**
 * Where recordings go (src/settings.ts, recordings settings): each refusal, each default, and a
 * replay from a folder given relative to the caller's working directory (as an npx user gives it),
 * which the runner's workers must find although they run from the package's folder. And what a
 * recording keeps (src/recording.ts): no account id, no real token, no volatile header.
 *
 *   npm run -s test:recordings
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, readSettings, resolveSuiteConfig, type SuiteConfig } from '../src/settings';
import { RECORDINGS, ROOT } from '../src/paths';
import { redactRecording } from '../src/recording';

const live = { CONFORMANCE_TARGET: 'endpoint', AWS_ENDPOINT_URL_PERSONALIZE: 'http://127.0.0.1:4599' };
const recording = { ...live, CONFORMANCE_RECORD: '1' };
let passed = 0;
const failures: string[] = [];

function check(name: string, f: () => void): void {
  try {
    f();
    passed++;
  } catch (e) {
    failures.push(`${name}: ${(e as Error).message}`);
  }
}

/** A target's settings as the runner resolves them, from these variables alone. */
function readConfig(env: Record<string, string>): SuiteConfig {
  const s = readSettings('conformance', [], env);
  const target = s.get('target')![0];
  return resolveSuiteConfig(s, target, 'us-east-1');
}

function refuses(name: string, env: Record<string, string>, words: RegExp): void {
  check(`refuses ${name}`, () => assert.throws(() => readConfig(env), (e: unknown) => e instanceof ConfigurationError && words.test(e.message)));
}

const cwd = mkdtempSync(join(tmpdir(), 'recordings-settings-'));
const before = process.cwd();
try {
  process.chdir(cwd);
  check('replay reads the committed recordings by default', () => assert.equal(readConfig({ CONFORMANCE_TARGET: 'replay' }).recordings.dir, RECORDINGS));
  check('recording writes a new folder under reports/ in the working directory by default', () => {
    const { dir, updateFixtures } = readConfig(recording).recordings;
    assert.match(dir, new RegExp(`^${cwd.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/reports/recordings-\\d{4}-`));
    assert.equal(updateFixtures, false);
  });
  check('a relative --recordings DIR is taken from the working directory', () => assert.equal(readConfig({ ...recording, CONFORMANCE_RECORDINGS: 'mine' }).recordings.dir, join(cwd, 'mine')));
  check('--update-fixtures records into the committed recordings', () => assert.equal(readConfig({ ...recording, CONFORMANCE_UPDATE_FIXTURES: 'yes' }).recordings.dir, RECORDINGS));
  check('--update-fixtures accepts the committed folder named explicitly (the runner passes it on)', () => assert.equal(readConfig({ ...recording, CONFORMANCE_UPDATE_FIXTURES: 'true', CONFORMANCE_RECORDINGS: RECORDINGS }).recordings.dir, RECORDINGS));
  refuses('recording into the committed recordings without --update-fixtures', { ...recording, CONFORMANCE_RECORDINGS: RECORDINGS }, /overwrite the committed recordings/);
  refuses('--update-fixtures without recording', { ...live, CONFORMANCE_UPDATE_FIXTURES: '1' }, /needs recording/);
  refuses('--update-fixtures with another folder', { ...recording, CONFORMANCE_UPDATE_FIXTURES: '1', CONFORMANCE_RECORDINGS: 'mine' }, /leave out/);
  refuses('an unreadable boolean', { ...recording, CONFORMANCE_UPDATE_FIXTURES: 'maybe' }, /CONFORMANCE_UPDATE_FIXTURES=maybe is not a boolean/);
  refuses('recording inside node_modules', { ...recording, CONFORMANCE_RECORDINGS: join(cwd, 'node_modules', 'personalize-list-import-jobs-conformance', 'fixtures', 'recordings') }, /inside node_modules/);
  refuses('replaying a folder that is not there', { CONFORMANCE_TARGET: 'replay', CONFORMANCE_RECORDINGS: 'nowhere' }, /no folder of recordings/);
} finally {
  process.chdir(before);
}

check('a recording keeps no account id, real token or volatile header', () => {
  const account = '123456789012';
  const token = 'c2VjcmV0LXRva2VuLW9mLWEtcmVhbC1hY2NvdW50';
  // Made up, and built here so that no credential-shaped literal is tracked.
  const accessKey = ['AKIA', 'ABCDEFGHIJKLMNOP'].join('');
  const [first, second] = redactRecording([
    { scope: 'http://127.0.0.1:4599', method: 'POST', path: '/', body: '{"maxResults":1}', status: 200,
      response: { datasetImportJobs: [{ datasetImportJobArn: `arn:aws:personalize:us-east-1:${account}:dataset-import-job/j1` }], nextToken: token },
      rawHeaders: ['x-amzn-RequestId', 'b1946ac9', 'Date', 'Sun, 29 Nov 2026 08:00:00 GMT', 'Content-Type', 'application/x-amz-json-1.1'],
      reqheaders: { 'x-amz-target': 'AmazonPersonalize.ListDatasetImportJobs', authorization: `AWS4-HMAC-SHA256 Credential=${accessKey}/…` } },
    { scope: 'http://127.0.0.1:4599', method: 'POST', path: '/', body: JSON.stringify({ maxResults: 1, nextToken: token }), status: 200, response: { datasetImportJobs: [] } },
  ], { recordedTarget: 't', recordedAt: '2026-11-29', suiteVersion: '0', scenario: 's', scenarioKey: 'k', scenarioId: 'i' }, 'us-east-1');
  const text = JSON.stringify([first, second]);
  for (const secret of [account, token, 'b1946ac9', accessKey, 'GMT', '127.0.0.1']) assert.ok(!text.includes(secret), `${secret} is still in the recording`);
  assert.equal((first.response as { nextToken: string }).nextToken, 'token-1-t');
  assert.equal((second.body as { nextToken: string }).nextToken, 'token-1-t', 'a token sent back keeps its placeholder');
  assert.deepEqual(first.rawHeaders, { 'content-type': 'application/x-amz-json-1.1' });
});

// End to end: a replay from a relative folder of the caller's, run from outside the package.
check('a replay from a folder relative to the caller finds its recordings', () => {
  const mine = join(cwd, 'my-recordings');
  mkdirSync(mine);
  const files = readdirSync(RECORDINGS).filter((f) => f.startsWith('LDIJ-ERR-002--'));
  assert.ok(files.length > 0, 'no recording of LDIJ-ERR-002 to copy');
  for (const f of files) copyFileSync(join(RECORDINGS, f), join(mine, f));
  const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'conformance.js'), '--target', 'replay', '--quiet', '--tags', '@req:LDIJ-ERR-002', '--reports', 'out'], {
    cwd, encoding: 'utf8', env: { ...process.env, CONFORMANCE_RECORDINGS: 'my-recordings' },
  });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  const closing = run.stdout.trim().split('\n').pop() ?? '';
  // The closing line, last: the verdict, and this run's own scenarios (however the counts are ordered).
  const scenarios = closing.slice(closing.indexOf('scenarios '));
  assert.match(closing, /^conformant/);
  assert.match(scenarios, new RegExp(`\\b${files.length} passed`));
  assert.doesNotMatch(scenarios, /\b[1-9]\d* failed/);
});
rmSync(cwd, { recursive: true, force: true });

for (const f of failures) console.log(`recordings settings: FAILED ${f}`);
console.log(`recordings settings: ${passed} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
