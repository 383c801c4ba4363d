/**
 * Arranging, on its own: the catalog and the features agree, the planner makes the run's data plan
 * from the selected scenarios, and the provisioning library arranges it through the public API of
 * the in-process reference service (the documented rules on: 5 import jobs in progress, FULL
 * before INCREMENTAL), creating each resource once, recording it, keeping fixtures and finding
 * them again by tag. Last, `--plan` is checked against a run on the mock: the plan's import jobs
 * are the jobs the run creates. Run by `npm run test:unit`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSettings, resolveSuiteConfig } from '../src/settings';
import { readCreated } from '../src/created-resources';
import { ROOT } from '../src/paths';
import { createRunContext, type RunContext } from '../src/targets';
import { WireLog } from '../src/wire';
import { catalogRow, describeJobs, sharedCatalog, tableProblems, TABLE_COLUMNS } from '../src/arrange/catalog';
import { needOf } from '../src/arrange/givens';
import { catalogPlan, countPlan, planFor, PlanError, type DataPlan } from '../src/arrange/plan';
import { selectedPickles } from '../src/arrange/pickles';
import { arrangeShared, keptPrefix, removeShared, sharedScope, type Arrangement } from '../src/arrange/shared';
import { ArrangeState } from '../src/arrange/state';
import type { ConformanceReport } from '../src/report';
import { tempDir } from './support/temp';

const PREFIX = 'cfunittest001';

/** A run context on a fresh in-process reference service. */
function mockRun(env: Record<string, string> = {}): RunContext {
  return createRunContext(resolveSuiteConfig(readSettings('conformance', [], { CONFORMANCE_RUN_PREFIX: PREFIX, ...env }), 'mock', 'us-east-1'));
}

/** A plan of the given shared datasets alone. */
function planOf(aliases: string[]): DataPlan {
  const whole = catalogPlan({ writes: true, secondAccount: true });
  const shared = whole.shared.filter((a) => aliases.includes(a));
  const types = new Set(sharedCatalog().filter((d) => shared.includes(d.alias)).map((d) => `${d.role}:${d.type}`));
  return { ...whole, shared, schemas: whole.schemas.filter((s) => types.has(`${s.role}:${s.type}`)) };
}

async function arrange(run: RunContext, plan: DataPlan, keep = false): Promise<{ arrangement: Arrangement; log: WireLog; cleanups: () => Promise<string[]> }> {
  const log = new WireLog();
  const signal = new AbortController().signal;
  const scope = sharedScope(run, { log, signal, keep });
  const runScope = keep ? sharedScope(run, { log, signal, keep: false }) : undefined;
  const arrangement = await arrangeShared(scope, plan, log, runScope);
  return { arrangement, log, cleanups: async () => [...(await removeShared(scope)), ...(runScope ? await removeShared(runScope) : [])] };
}

const refusals = (log: WireLog) => log.exchanges.filter((x) => x.status !== null && x.status >= 400 && x.operation.startsWith('Create'));

describe('the catalog and the features', () => {
  test('a dataset reads in a table as its jobs are defined', () => {
    assert.equal(describeJobs([{ count: 3 }, { count: 2, importMode: 'INCREMENTAL' }, { count: 2, outcome: 'fails' }]), '3 FULL, 2 INCREMENTAL, 2 FULL that fail');
    assert.equal(describeJobs([{ count: 3, importMode: 'omitted' }]), '3 without an import mode');
    assert.equal(describeJobs([]), 'none');
  });

  test('a table that agrees passes; a changed cell, an unknown dataset or other columns fail', () => {
    const clicks = sharedCatalog().find((d) => d.alias === 'clicks')!;
    const row = catalogRow(clicks);
    const table = [[...TABLE_COLUMNS], TABLE_COLUMNS.map((c) => row[c])];
    assert.deepEqual(tableProblems(table), []);
    assert.match(tableProblems([table[0], table[1].map((v) => (v === row['import jobs'] ? '7 FULL' : v))]).join(), /import jobs is "3 FULL, 2 INCREMENTAL, 2 FULL that fail" in fixtures\/data-sets.json, not "7 FULL"/);
    assert.match(tableProblems([table[0], table[1].map((v) => (v === 'clicks' ? 'clocks' : v))]).join(), /no shared dataset "clocks"/);
    assert.match(tableProblems([['dataset'], ['clicks']]).join(), /columns must be/);
  });

  test('every step that reads or makes data says what it needs', () => {
    assert.deepEqual(needOf('the shared datasets "clicks", "catalog" and "members"'), { kind: 'shared', aliases: ['clicks', 'catalog', 'members'] });
    assert.deepEqual(needOf('the shared dataset "archive" with 101 import jobs'), { kind: 'shared', aliases: ['archive'], jobs: 101 });
    assert.deepEqual(needOf('a new dataset with 3 import jobs, 1 of which will fail'), { kind: 'fresh', dataset: { alias: 'the dataset', type: 'Interactions', role: 'primary', jobs: [{ count: 2 }, { count: 1, outcome: 'fails' }] } });
    assert.deepEqual(needOf('a client lists all jobs of the account 3 at a time while 2 new jobs are created in dataset "arrivals" between pages'), { kind: 'created by the action', alias: 'arrivals', jobs: 2 });
    assert.equal(needOf('a client lists all jobs of the account 7 at a time until no token remains'), undefined);
  });
});

describe('the data plan', () => {
  const all = selectedPickles('default');

  test('the whole suite reads every shared dataset, and creates at most 150 import jobs, at most 15 of them by scenarios', () => {
    const plan = planFor(all, { writes: true, secondAccount: true });
    const catalog = catalogPlan({ writes: true, secondAccount: true });
    assert.deepEqual(plan.shared, catalog.shared);
    assert.deepEqual(new Set(plan.schemas.map((s) => `${s.role}:${s.type}`)), new Set(catalog.schemas.map((s) => `${s.role}:${s.type}`)));
    const counts = countPlan(plan);
    assert.ok(counts.jobs <= 150, `${counts.jobs} import jobs`);
    assert.ok(counts.fresh.jobs <= 15, `${counts.fresh.jobs} import jobs of the scenarios' own`);
  });

  test('a selection plans only what its scenarios read', () => {
    const plan = planFor(selectedPickles('default', '@req:LDIJ-FILTER-003'), { writes: true, secondAccount: true });
    assert.deepEqual(plan.shared, ['clicks', 'eu clicks']);
    assert.deepEqual(plan.fresh, []);
  });

  test('no second account: its datasets are left out, and said to be', () => {
    const plan = planFor(selectedPickles('default', '@req:LDIJ-FILTER-009'), { writes: true, secondAccount: false });
    assert.deepEqual(plan.shared, ['clicks']);
    assert.deepEqual(plan.leftOut.map((l) => l.alias), ['theirs']);
  });

  test('a run that may not write plans nothing', () => {
    const plan = planFor(all, { writes: false, secondAccount: true });
    assert.equal(countPlan(plan).jobs, 0);
  });

  test('a step that names data the catalog does not have is a plan error', () => {
    const pickle = { name: 'x', uri: 'features/x.feature', tags: [], steps: [{ text: 'the shared dataset "nowhere"' }] };
    assert.throws(() => planFor([pickle], { writes: true, secondAccount: true }), (e: Error) => e instanceof PlanError && /does not define/.test(e.message));
  });
});

describe('arranging through the public API of the reference service', () => {
  test('the shared data is arranged once, within the documented rules, every job finished, the deleted dataset gone, everything recorded', async () => {
    const run = mockRun();
    const dir = tempDir('arrange-test-');
    run.arranging.recordFile = join(dir, 'created-resources.jsonl');
    const { arrangement, log, cleanups } = await arrange(run, planOf(['clicks', 'empty', 'deleted', 'abroad', 'theirs']));
    assert.deepEqual(arrangement.failures, {});
    assert.deepEqual(refusals(log).map((x) => `${x.operation} ${x.errorType}`), [], 'no create refused (the in-progress limit and FULL before INCREMENTAL kept)');
    const clicks = arrangement.datasets.clicks;
    assert.equal(clicks.jobs.length, 7);
    assert.deepEqual(clicks.jobs.map((j) => j.name.replace(`${PREFIX}-`, '')), [1, 2, 3, 4, 5, 6, 7].map((n) => `clicks-j${n}`), 'named in the plan\'s order');
    assert.deepEqual(clicks.jobs.map((j) => `${j.importMode}/${j.outcome}`), ['FULL/succeeds', 'FULL/succeeds', 'FULL/succeeds', 'INCREMENTAL/succeeds', 'INCREMENTAL/succeeds', 'FULL/fails', 'FULL/fails']);
    assert.equal(run.arranging.inProgress, 0, 'every job finished');
    assert.equal(arrangement.datasets.deleted.deleted, true);
    assert.equal(arrangement.datasets.abroad.arn.split(':')[3], run.config.otherRegion);
    // The record the cleanup reads: a line before each create, of the run's prefix, by name (no ARN: it carries the account id).
    const { resources, unreadable } = readCreated(run.arranging.recordFile);
    assert.equal(unreadable, 0);
    assert.equal(resources.filter((r) => r.kind === 'dataset import job').length, 7 + 1 + 2 + 2, 'clicks 7, deleted 1, abroad 2, theirs 2');
    assert.deepEqual(resources.filter((r) => r.kind !== 'dataset import job').map((r) => r.kind).sort(), [...Array<string>(5).fill('dataset'), ...Array<string>(5).fill('dataset group'), ...Array<string>(3).fill('schema')].sort());
    assert.ok(resources.every((r) => r.prefix === PREFIX && r.name.startsWith(`${PREFIX}-`) && r.arn === undefined));
    assert.deepEqual(await cleanups(), []);
    assert.equal(arrangement.stats.created['dataset import job'], 12);
  });

  test('a create whose answer is lost is looked up by name, never sent again', async () => {
    const run = mockRun();
    const frontEnd = run.mock!;
    const handle = frontEnd.handle.bind(frontEnd);
    const creates = new Map<string, number>();
    frontEnd.handle = (request) => {
      const answer = handle(request);
      const target = String(request.headers['x-amz-target'] ?? '');
      if (/\.Create/.test(target)) {
        const body = JSON.parse(String(request.body)) as { name?: string; jobName?: string };
        const key = `${target} ${body.name ?? body.jobName}`;
        creates.set(key, (creates.get(key) ?? 0) + 1);
        // The first answer of each create is lost on the way back (the service did create it).
        if (creates.get(key) === 1) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      }
      return answer;
    };
    const { arrangement } = await arrange(run, planOf(['members']));
    assert.deepEqual(arrangement.failures, {});
    assert.equal(arrangement.datasets.members.jobs.length, 2);
    assert.deepEqual([...creates].filter(([, n]) => n > 1), [], 'each resource created once');
  });

  test('a refused create leaves that dataset not arranged, with the response, and the others arranged', async () => {
    const run = mockRun();
    const frontEnd = run.mock!;
    const handle = frontEnd.handle.bind(frontEnd);
    frontEnd.handle = (request) => {
      const body = String(request.body);
      if (/CreateDatasetGroup/.test(String(request.headers['x-amz-target'])) && body.includes('-media')) {
        return { status: 403, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify({ __type: 'AccessDeniedException', message: 'not allowed' }) };
      }
      return handle(request);
    };
    const { arrangement } = await arrange(run, planOf(['clicks', 'members']));
    assert.ok(arrangement.datasets.clicks);
    const failure = arrangement.failures.members;
    assert.match(failure.reason, new RegExp(`CreateDatasetGroup ${PREFIX}-media answered AccessDeniedException \\(HTTP 403\\)`));
    assert.equal(failure.cause, 'target');
    assert.equal(failure.evidence[0]?.status, 403);
  });

  test('kept fixtures are found again by name and tag: a second run creates only the deleted dataset anew', async () => {
    const run = mockRun();
    const plan = planOf(['clicks', 'members', 'deleted']);
    const first = await arrange(run, plan, true);
    assert.deepEqual(first.arrangement.failures, {});
    assert.equal(first.arrangement.stats.created['dataset import job'], 10, 'clicks 7, members 2, deleted 1');
    assert.ok(first.arrangement.datasets.clicks.arn.includes(`${keptPrefix()}-retail`));
    assert.deepEqual(await first.cleanups(), []);
    // A later run on the same account and region: what it remembers is its own.
    const again = await arrangeLater(run, plan);
    assert.deepEqual(again.failures, {});
    assert.equal(again.stats.created['dataset import job'], 1, 'only the deleted dataset\'s job');
    assert.equal(again.datasets.clicks.arn, first.arrangement.datasets.clicks.arn);
    assert.deepEqual(again.datasets.clicks.jobs.map((j) => j.arn), first.arrangement.datasets.clicks.jobs.map((j) => j.arn));
  });

  test('a look-alike without the kept fixtures\' tags is not taken for them', async () => {
    const run = mockRun();
    const client = run.clientsFor({ log: new WireLog() }).client();
    const { CreateDatasetGroupCommand } = await import('@aws-sdk/client-personalize');
    await client.send(new CreateDatasetGroupCommand({ name: `${keptPrefix()}-media` }));
    const { arrangement } = await arrange(run, planOf(['members']), true);
    assert.match(arrangement.failures.members?.reason ?? '', /does not carry the kept fixtures' tags/);
    assert.equal(arrangement.failures.members.cause, 'setup');
  });
});

/** Arranges `plan` with kept fixtures on `first`'s reference service as a later run would: a state of its own, names of its own for what it does not keep. */
async function arrangeLater(first: RunContext, plan: DataPlan): Promise<Arrangement> {
  const log = new WireLog();
  const signal = new AbortController().signal;
  const state = new ArrangeState();
  const scope = { ...sharedScope(first, { log, signal, keep: true }), state };
  const runScope = { ...sharedScope(first, { log, signal, keep: false, prefix: `${PREFIX}later` }), state };
  return arrangeShared(scope, plan, log, runScope);
}

describe('--plan against a run on the mock', () => {
  test('the plan of the full writing set on a real account is printed; its import jobs are the jobs a run on the mock creates', () => {
    const env = { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', AWS_REGION: 'eu-west-1', CONFORMANCE_ALLOW_WRITES: '1', CONFORMANCE_SECOND_ACCESS_KEY_ID: 'second', CONFORMANCE_SECOND_SECRET_ACCESS_KEY: 'not-a-secret' };
    const plan = spawnSync(process.execPath, [join(ROOT, 'bin', 'conformance.js'), '--target', 'aws', '--plan', '--assume-import-minutes', '10'], { cwd: ROOT, env, encoding: 'utf8' });
    assert.equal(plan.status, 0, plan.stderr);
    const jobs = Number(/import jobs in all: ([\d,]+)/.exec(plan.stdout)?.[1].replace(/,/g, ''));
    assert.match(plan.stdout, /time at 10 minutes per import: about \d+ h \d+ min/);
    assert.match(plan.stdout, /API calls expected: about [\d,]+/);
    const reports = tempDir('arrange-plan-');
    const mockPlan = spawnSync(process.execPath, [join(ROOT, 'bin', 'conformance.js'), '--target', 'mock', '--plan'], { cwd: ROOT, env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' }, encoding: 'utf8' });
    const expectedCalls = Number(/API calls expected: about ([\d,]+)/.exec(mockPlan.stdout)?.[1].replace(/,/g, ''));
    const runOnMock = spawnSync(process.execPath, [join(ROOT, 'bin', 'conformance.js'), '--target', 'mock', '--quiet', '--reports', reports], { cwd: ROOT, env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' }, encoding: 'utf8' });
    assert.equal(runOnMock.status, 0, runOnMock.stdout + runOnMock.stderr);
    const arranged = JSON.parse(readFileSync(join(reports, 'arranged.json'), 'utf8')) as { created: { importJobs: number }; arranging: { calls: number } };
    assert.equal(arranged.created.importJobs, jobs, `the plan says ${jobs} import jobs; the run on the mock created ${arranged.created.importJobs}`);
    const report = JSON.parse(readFileSync(join(reports, 'conformance.json'), 'utf8')) as ConformanceReport;
    const calls = report.summary.apiCalls + arranged.arranging.calls;
    assert.ok(Math.abs(calls - expectedCalls) <= 0.25 * calls, `the plan on the mock expects about ${expectedCalls} API calls; the run made ${calls}`);
  });
});
