/**
 * npm run cleanup deletes only its own: against the reference emulator (in this process, on
 * loopback), an account holds a run's leftovers (prefix in the name and the tag) next to
 * look-alikes (the prefix in the name, no tag or another run's tag, and a schema a kept dataset
 * uses). The cleanup must delete the first and keep every look-alike; --dry-run must list every
 * ARN it would delete; without a terminal and without --yes it must refuse (exit 2).
 *   npm run test:cleanup
 */
import '../src/quiet-sdk-warning';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  CreateDatasetCommand, CreateDatasetGroupCommand, CreateSchemaCommand, DescribeDatasetCommand, DescribeDatasetGroupCommand,
  DescribeSchemaCommand, PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { createReferenceFrontEnd } from '../reference-service';
import { createEmulatorServer, listen } from '../reference-service/http-server';

const ROOT = join(__dirname, '..');
const PREFIX = 'cfcleanuptest';
const SCHEMA = JSON.stringify({
  type: 'record', name: 'Interactions', namespace: 'com.amazonaws.personalize.schema', version: '1.0',
  fields: [{ name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }],
});
const credentials = { accessKeyId: 'conformance-cleanup-test', secretAccessKey: 'not-a-secret' };

let failures = 0;
function check(ok: boolean, what: string): void {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
}

async function main(): Promise<void> {
  const server = createEmulatorServer(createReferenceFrontEnd({ variant: 'pendingMs=0,inProgressMs=0,deletingMs=0' }));
  const url = await listen(server, 0);
  const client = new PersonalizeClient({ endpoint: url, region: 'us-east-1', credentials });
  const tag = (value: string) => [{ tagKey: 'conformance-run', tagValue: value }];
  const schema = async (name: string) => (await client.send(new CreateSchemaCommand({ name, schema: SCHEMA }))).schemaArn!;
  const group = async (name: string, tags?: { tagKey: string; tagValue: string }[]) => (await client.send(new CreateDatasetGroupCommand({ name, tags }))).datasetGroupArn!;
  const dataset = async (name: string, datasetGroupArn: string, schemaArn: string, tags?: { tagKey: string; tagValue: string }[]) =>
    (await client.send(new CreateDatasetCommand({ name, datasetGroupArn, schemaArn, datasetType: 'Interactions', tags }))).datasetArn!;
  const settle = () => new Promise((r) => setTimeout(r, 50));

  // The run's own leftovers.
  const ownSchema = await schema(`${PREFIX}-abc-interactions-schema`);
  const ownGroup = await group(`${PREFIX}-abc-group`, tag(PREFIX));
  await settle();
  const ownDataset = await dataset(`${PREFIX}-abc-dataset`, ownGroup, ownSchema, tag(PREFIX));
  // Look-alikes: the prefix in the name only, another run's tag, a schema a kept dataset uses.
  const prodSchema = await schema(`${PREFIX}-prod-interactions`);
  const prodGroup = await group(`${PREFIX}-prod-recommendations`);
  const otherRunGroup = await group(`${PREFIX}-other`, tag(`${PREFIX}x`));
  await settle();
  const prodDataset = await dataset(`${PREFIX}-prod-dataset`, prodGroup, prodSchema);
  const unusedLookalikeSchema = await schema(`${PREFIX}-unused`);

  const env = { ...process.env, AWS_ENDPOINT_URL_PERSONALIZE: url, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey, AWS_EC2_METADATA_DISABLED: 'true' };
  // The emulator runs in this process: the cleanup child needs the event loop free to answer.
  const cleanupAsync = (...args: string[]) => new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src', 'cleanup.ts'), '--prefix', PREFIX, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });

  const refused = await cleanupAsync();
  check(refused.code === 2 && /no terminal to confirm/.test(refused.out), `without a terminal and without --yes it refuses with exit 2 (exit ${refused.code})`);

  const dry = await cleanupAsync('--dry-run');
  const arnOf = (arn: string) => arn.replace(/:\d{12}:/, ':111111111111:'); // the console is redacted
  const listed = (arn: string) => dry.out.split('\n').some((line) => line.startsWith('cleanup: would delete') && line.endsWith(` ${arnOf(arn)}`));
  for (const [what, arn] of [['dataset', ownDataset], ['dataset group', ownGroup], ['schema', ownSchema], ['unused schema with the prefix', unusedLookalikeSchema]]) {
    check(listed(arn), `--dry-run lists the ${what} ${arnOf(arn)}`);
  }
  for (const arn of [prodGroup, prodDataset, prodSchema, otherRunGroup]) check(!listed(arn), `--dry-run does not list ${arnOf(arn)}`);

  const real = await cleanupAsync('--yes');
  check(real.code === 0, `cleanup --yes ends with exit 0 (exit ${real.code}${real.code ? `: ${real.out.trim().split('\n').pop()}` : ''})`);
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
  check(!(await exists(() => client.send(new DescribeDatasetCommand({ datasetArn: ownDataset })))), 'the run\'s dataset is deleted');
  check(!(await exists(() => client.send(new DescribeDatasetGroupCommand({ datasetGroupArn: ownGroup })))), 'the run\'s dataset group is deleted');
  check(!(await exists(() => client.send(new DescribeSchemaCommand({ schemaArn: ownSchema })))), 'the run\'s schema is deleted');
  check(await exists(() => client.send(new DescribeDatasetGroupCommand({ datasetGroupArn: prodGroup }))), 'a dataset group with the prefix in its name but no tag survives');
  check(await exists(() => client.send(new DescribeDatasetCommand({ datasetArn: prodDataset }))), 'a dataset with the prefix in its name but no tag survives');
  check(await exists(() => client.send(new DescribeSchemaCommand({ schemaArn: prodSchema }))), 'a schema with the prefix that a kept dataset uses survives');
  check(await exists(() => client.send(new DescribeDatasetGroupCommand({ datasetGroupArn: otherRunGroup }))), 'a dataset group tagged by another run survives');

  client.destroy();
  server.close();
  console.log(failures ? `cleanup test: ${failures} failed` : 'cleanup test: passed');
  process.exit(failures ? 1 : 0);
}

main().catch((e) => {
  console.error('cleanup test: could not run:', e);
  process.exit(1);
});
