/**
 * npm run cleanup deletes only its own: against the reference emulator (in this process, on
 * loopback), an account holds a run's leftovers (`<prefix>-` in the name, the tag, the record)
 * next to look-alikes:
 * - of another user: a schema `<prefix>-prod-schema` the run's record does not hold, a schema
 *   `<prefix>XYZ-team-b-schema` (the prefix without the separator), a dataset group and a
 *   dataset with the prefix but no tag, a schema a kept dataset uses;
 * - of a concurrent run: another run's tagged group, and its schema between its CreateSchema and
 *   its CreateDataset (unused, and its prefix shares the first characters of this one's).
 * The cleanup must delete the run's own and keep every look-alike; refuse a short or partial
 * prefix (one line, exit 2); --dry-run must list every ARN it would delete; without a terminal and
 * without --yes it must refuse (exit 2).
 *   npm run test:cleanup         (also a case of npm run test:broken-endpoints, issue 17 case 5)
 */
import '../src/quiet-sdk-warning';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateDatasetCommand, CreateDatasetGroupCommand, CreateSchemaCommand, DescribeDatasetCommand, DescribeDatasetGroupCommand,
  DescribeSchemaCommand, PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { createReferenceFrontEnd } from '../reference-service';
import { createEmulatorServer, listen } from '../reference-service/http-server';
import { recordCreated } from '../src/created-resources';

const ROOT = join(__dirname, '..');
/** Of the form a run makes (cf and 11 characters), as cleanup requires. */
const PREFIX = 'cfcleanuptest';
/** A concurrent run, started moments apart: its prefix shares the first 12 characters. */
const CONCURRENT = 'cfcleanuptesz';
const SCHEMA = JSON.stringify({
  type: 'record', name: 'Interactions', namespace: 'com.amazonaws.personalize.schema', version: '1.0',
  fields: [{ name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }],
});
const credentials = { accessKeyId: 'conformance-cleanup-test', secretAccessKey: 'not-a-secret' };

/** Runs the check; resolves with what went wrong (nothing: it passed). `log` gets one line per check. */
export async function cleanupOwnOnly(log: (line: string) => void = () => undefined): Promise<string[]> {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
    if (!ok) problems.push(what);
  };
  const server = createEmulatorServer(createReferenceFrontEnd({ variant: 'pendingMs=0,inProgressMs=0,deletingMs=0' }));
  const url = await listen(server, 0);
  const client = new PersonalizeClient({ endpoint: url, region: 'us-east-1', credentials });
  const dir = mkdtempSync(join(tmpdir(), 'cleanup-own-only-'));
  const record = join(dir, 'created.jsonl');
  try {
    const tag = (value: string) => [{ tagKey: 'conformance-run', tagValue: value }];
    const schema = async (name: string) => (await client.send(new CreateSchemaCommand({ name, schema: SCHEMA }))).schemaArn!;
    const group = async (name: string, tags?: { tagKey: string; tagValue: string }[]) => (await client.send(new CreateDatasetGroupCommand({ name, tags }))).datasetGroupArn!;
    const dataset = async (name: string, datasetGroupArn: string, schemaArn: string, tags?: { tagKey: string; tagValue: string }[]) =>
      (await client.send(new CreateDatasetCommand({ name, datasetGroupArn, schemaArn, datasetType: 'Interactions', tags }))).datasetArn!;
    const settle = () => new Promise((r) => setTimeout(r, 50));
    /** As the runner does: a line before the create, one with the ARN after (none where the answer was lost). */
    const own = async <T extends string>(kind: 'schema' | 'dataset group' | 'dataset', name: string, create: () => Promise<T>, answerLost = false) => {
      recordCreated(record, { kind, name, prefix: PREFIX });
      const arn = await create();
      if (!answerLost) recordCreated(record, { kind, name, prefix: PREFIX, arn });
      return arn;
    };

    // The run's own leftovers: a schema its dataset uses, and one whose CreateSchema answer was lost.
    const ownSchema = await own('schema', `${PREFIX}-abc-interactions-schema`, () => schema(`${PREFIX}-abc-interactions-schema`));
    const ownLostSchema = await own('schema', `${PREFIX}-def-interactions-schema`, () => schema(`${PREFIX}-def-interactions-schema`), true);
    const ownGroup = await own('dataset group', `${PREFIX}-abc-group`, () => group(`${PREFIX}-abc-group`, tag(PREFIX)));
    await settle();
    const ownDataset = await own('dataset', `${PREFIX}-abc-dataset`, () => dataset(`${PREFIX}-abc-dataset`, ownGroup, ownSchema, tag(PREFIX)));
    // Another user's look-alikes.
    const prodSchema = await schema(`${PREFIX}-prod-interactions`);
    const prodGroup = await group(`${PREFIX}-prod-recommendations`);
    const unrecordedSchema = await schema(`${PREFIX}-prod-schema`);
    const noSeparatorSchema = await schema(`${PREFIX}XYZ-team-b-schema`);
    // A concurrent run: its tagged group, and its schema between CreateSchema and CreateDataset.
    const otherRunGroup = await group(`${CONCURRENT}-abc-group`, tag(CONCURRENT));
    const concurrentSchema = await schema(`${CONCURRENT}-abc-interactions-schema`);
    await settle();
    const prodDataset = await dataset(`${PREFIX}-prod-dataset`, prodGroup, prodSchema);

    const env = { ...process.env, AWS_ENDPOINT_URL_PERSONALIZE: url, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey, AWS_EC2_METADATA_DISABLED: 'true' };
    // The emulator runs in this process: the cleanup child needs the event loop free to answer.
    const cleanup = (...args: string[]) => new Promise<{ code: number | null; out: string }>((resolve) => {
      // Transpiled and cached as the package's bins load the checkout (bin/runtime.js).
      const child = spawn(process.execPath, ['-r', join(ROOT, 'bin', 'register-typescript.js'), join(ROOT, 'src', 'cleanup.ts'), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, out });
      });
    });
    const oneLine = (o: { out: string }) => o.out.trim().split('\n').length === 1;

    const [shortPrefix, partialPrefix, refused, dry] = await Promise.all([
      cleanup('--prefix', 'cfcl', '--yes'),
      cleanup('--prefix', PREFIX.slice(0, -1), '--yes'),
      cleanup('--prefix', PREFIX, '--record', record),
      cleanup('--prefix', PREFIX, '--dry-run'),
    ]);
    check(shortPrefix.code === 2 && oneLine(shortPrefix) && /not a run's prefix/.test(shortPrefix.out), `a 4-character prefix is refused in one line, exit 2 (exit ${shortPrefix.code}: ${shortPrefix.out.trim().slice(0, 160)})`);
    check(partialPrefix.code === 2 && oneLine(partialPrefix), `a partial prefix (${PREFIX.slice(0, -1)}) is refused in one line, exit 2 (exit ${partialPrefix.code})`);
    check(refused.code === 2 && /no terminal to confirm/.test(refused.out), `without a terminal and without --yes it refuses with exit 2 (exit ${refused.code})`);

    // Without the record, the dry run shows what a name alone decides.
    const arnOf = (arn: string) => arn.replace(/:\d{12}:/, ':111111111111:'); // the console is redacted
    const listed = (arn: string) => dry.out.split('\n').some((line) => line.startsWith('cleanup: would delete') && line.endsWith(` ${arnOf(arn)}`));
    for (const [what, arn] of [['dataset', ownDataset], ['dataset group', ownGroup], ['schema', ownSchema], ['schema whose answer was lost', ownLostSchema]]) {
      check(listed(arn), `--dry-run lists the run's ${what} ${arnOf(arn)}`);
    }
    for (const [what, arn] of [['group without the tag', prodGroup], ['dataset without the tag', prodDataset], ['schema a kept dataset uses', prodSchema],
      ['schema without the separator', noSeparatorSchema], ['concurrent run\'s group', otherRunGroup], ['concurrent run\'s unused schema', concurrentSchema]]) {
      check(!listed(arn), `--dry-run does not list the ${what} ${arnOf(arn)}`);
    }

    const real = await cleanup('--prefix', PREFIX, '--record', record, '--yes');
    check(real.code === 0, `cleanup --record --yes ends with exit 0 (exit ${real.code}${real.code ? `: ${real.out.trim().split('\n').pop()}` : ''})`);
    await new Promise((r) => setTimeout(r, 200));
    const exists = async (send: () => Promise<unknown>) => {
      try {
        const out = (await send()) as Record<string, { status?: string }>;
        const status = Object.values(out).find((v) => v && typeof v === 'object' && 'status' in v)?.status;
        return !status || !/DELETE/.test(status);
      } catch (e) {
        if ((e as { name?: string }).name === 'ResourceNotFoundException') return false;
        throw e;
      }
    };
    const schemaExists = (schemaArn: string) => exists(() => client.send(new DescribeSchemaCommand({ schemaArn })));
    check(!(await exists(() => client.send(new DescribeDatasetCommand({ datasetArn: ownDataset })))), 'the run\'s dataset is deleted');
    check(!(await exists(() => client.send(new DescribeDatasetGroupCommand({ datasetGroupArn: ownGroup })))), 'the run\'s dataset group is deleted');
    check(!(await schemaExists(ownSchema)), 'the run\'s schema is deleted');
    check(!(await schemaExists(ownLostSchema)), 'the run\'s schema whose CreateSchema answer was lost (recorded before it was sent) is deleted');
    check(await exists(() => client.send(new DescribeDatasetGroupCommand({ datasetGroupArn: prodGroup }))), 'a dataset group with the prefix in its name but no tag survives');
    check(await exists(() => client.send(new DescribeDatasetCommand({ datasetArn: prodDataset }))), 'a dataset with the prefix in its name but no tag survives');
    check(await schemaExists(prodSchema), 'a schema with the prefix that a kept dataset uses survives');
    check(await schemaExists(unrecordedSchema), `another user's unused ${PREFIX}-prod-schema, not in the run's record, survives`);
    check(await schemaExists(noSeparatorSchema), `another user's ${PREFIX}XYZ-team-b-schema (no separator after the prefix) survives`);
    check(await exists(() => client.send(new DescribeDatasetGroupCommand({ datasetGroupArn: otherRunGroup }))), 'a dataset group tagged by another run survives');
    check(await schemaExists(concurrentSchema), 'a concurrent run\'s schema, between its CreateSchema and its CreateDataset, survives');
    const kept = (arn: string, why: RegExp) => real.out.split('\n').some((l) => l.startsWith('cleanup: keeps') && l.includes(arnOf(arn)) && why.test(l));
    check(kept(unrecordedSchema, /record/) && kept(noSeparatorSchema, /does not start with/), 'the kept look-alike schemas are named, with why');
  } finally {
    client.destroy();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return problems;
}

if (require.main === module) {
  cleanupOwnOnly(console.log).then((problems) => {
    console.log(problems.length ? `cleanup test: ${problems.length} failed` : 'cleanup test: passed');
    process.exit(problems.length ? 1 : 0);
  }, (e) => {
    console.error('cleanup test: could not run:', e);
    process.exit(1);
  });
}
