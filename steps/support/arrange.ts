/**
 * Arranging test data through public Personalize operations only, so the same scenarios run
 * against any endpoint: CreateSchema, CreateDatasetGroup, CreateDataset, CreateDatasetImportJob,
 * bounded polling of the Describe operations, and Delete* afterwards.
 */
import {
  CreateDatasetCommand, CreateDatasetGroupCommand, CreateDatasetImportJobCommand, CreateSchemaCommand,
  DeleteDatasetCommand, DeleteDatasetGroupCommand, DeleteSchemaCommand, DescribeDatasetCommand,
  DescribeDatasetGroupCommand, DescribeDatasetImportJobCommand, type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { terminalImportJobStatuses } from '../../schemas';
import type { ClientRole } from '../../src/targets';
import { deleteWhenFree as deleteResourceWhenFree, waitUntil as wait } from '../../src/wait';
import type { Arranger, ArrangedDataset, ArrangedJob } from './world';

/** A minimal Interactions schema (awsdocs/aws-doc-sdk-examples, personalize mySchema.json). */
const INTERACTIONS_SCHEMA = JSON.stringify({
  type: 'record', name: 'Interactions', namespace: 'com.amazonaws.personalize.schema', version: '1.0',
  fields: [{ name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }],
});
const ITEMS_SCHEMA = JSON.stringify({
  type: 'record', name: 'Items', namespace: 'com.amazonaws.personalize.schema', version: '1.0',
  fields: [{ name: 'ITEM_ID', type: 'string' }, { name: 'GENRE', type: 'string', categorical: true }],
});
const USERS_SCHEMA = JSON.stringify({
  type: 'record', name: 'Users', namespace: 'com.amazonaws.personalize.schema', version: '1.0',
  fields: [{ name: 'USER_ID', type: 'string' }, { name: 'AGE', type: 'int' }],
});
const SCHEMAS: Record<string, string> = { Interactions: INTERACTIONS_SCHEMA, Items: ITEMS_SCHEMA, Users: USERS_SCHEMA };

function describeError(e: unknown): string {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  return `${err.name ?? 'Error'}${err.$metadata?.httpStatusCode ? ` (HTTP ${err.$metadata.httpStatusCode})` : ''}: ${err.message ?? String(e)}`;
}

/** Polls `read` until `done` holds, within the configured bound; a clear message on time-out. */
export function waitUntil<T>(world: Arranger, what: string, read: () => Promise<T>, done: (v: T) => boolean, describe: (v: T) => string): Promise<T> {
  return wait(read, done, { what, describe, timeoutMs: world.config.waitTimeoutMs, intervalMs: world.config.pollIntervalMs, hint: 'Set CONFORMANCE_WAIT_TIMEOUT_MS to wait longer.' });
}

/** Every resource a run creates carries its prefix in the name and this tag (npm run cleanup finds them). */
const runTag = (world: Arranger) => [{ tagKey: 'conformance-run', tagValue: world.config.runPrefix }];

async function arrangeStep<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw new Error(`Could not arrange the scenario's data: ${what} failed with ${describeError(e)}`);
  }
}

async function waitActive(world: Arranger, what: string, read: () => Promise<string | undefined>): Promise<void> {
  const status = await waitUntil(world, `${what} to become ACTIVE`, read, (s) => s === 'ACTIVE' || s === 'CREATE FAILED', (s) => `status ${s}`);
  if (status !== 'ACTIVE') throw new Error(`Could not arrange the scenario's data: ${what} ended ${status}.`);
}

/** Retries a deletion while the service says the resource is still in use (its children are going). */
export function deleteWhenFree(world: Arranger, what: string, del: () => Promise<unknown>): Promise<void> {
  return deleteResourceWhenFree(del, { what, timeoutMs: world.config.waitTimeoutMs, intervalMs: world.config.pollIntervalMs });
}

async function schemaFor(world: Arranger, role: ClientRole, type: string): Promise<string> {
  const key = `${role}:${type}`;
  const known = world.schemaArns.get(key);
  if (known) return known;
  const client = world.client(role);
  const name = world.name(`${role === 'primary' ? '' : role + '-'}${type.toLowerCase()}-schema`);
  const { schemaArn } = await arrangeStep(`CreateSchema ${name}`, () =>
    client.send(new CreateSchemaCommand({ name, schema: SCHEMAS[type] ?? INTERACTIONS_SCHEMA })));
  world.schemaArns.set(key, schemaArn!);
  world.cleanups.push({ what: `schema ${name}`, run: () => deleteWhenFree(world, `schema ${name}`, () => client.send(new DeleteSchemaCommand({ schemaArn }))) });
  return schemaArn!;
}

const groups = new WeakMap<Arranger, Map<string, string>>();

/** A dataset group of this scenario, created and ACTIVE. */
export async function datasetGroup(world: Arranger, label: string, role: ClientRole = 'primary'): Promise<string> {
  const mine = world.groups;
  const key = `${role}:${label}`;
  const known = mine.get(key);
  if (known) return known;
  const client = world.client(role);
  const name = world.name(label);
  const { datasetGroupArn } = await arrangeStep(`CreateDatasetGroup ${name}`, () => client.send(new CreateDatasetGroupCommand({ name, tags: runTag(world) })));
  mine.set(key, datasetGroupArn!);
  world.cleanups.push({ what: `dataset group ${name}`, run: () => deleteWhenFree(world, `dataset group ${name}`, () => client.send(new DeleteDatasetGroupCommand({ datasetGroupArn }))) });
  await waitActive(world, `dataset group ${name}`, async () =>
    (await client.send(new DescribeDatasetGroupCommand({ datasetGroupArn }))).datasetGroup?.status);
  return datasetGroupArn!;
}

/** A dataset of this scenario in the given group, created and ACTIVE, known by its alias. */
export async function dataset(world: Arranger, alias: string, options: { group?: string; type?: string; role?: ClientRole } = {}): Promise<ArrangedDataset> {
  const role = options.role ?? 'primary';
  const type = options.type ?? 'Interactions';
  const groupArn = await datasetGroup(world, options.group ?? alias, role);
  const schemaArn = await schemaFor(world, role, type);
  const client = world.client(role);
  const name = world.name(`${alias}-${type}`);
  const { datasetArn } = await arrangeStep(`CreateDataset ${name}`, () =>
    client.send(new CreateDatasetCommand({ name, schemaArn, datasetGroupArn: groupArn, datasetType: type, tags: runTag(world) })));
  world.cleanups.push({ what: `dataset ${name}`, run: () => deleteWhenFree(world, `dataset ${name}`, () => client.send(new DeleteDatasetCommand({ datasetArn }))) });
  await waitActive(world, `dataset ${name}`, async () => (await client.send(new DescribeDatasetCommand({ datasetArn }))).dataset?.status);
  const arranged: ArrangedDataset = { alias, arn: datasetArn!, groupArn, role, jobs: [] };
  world.datasets.set(alias, arranged);
  return arranged;
}

/** Deletes an arranged dataset and waits until DescribeDataset no longer finds it. */
export async function deleteDatasetAndWait(world: Arranger, d: ArrangedDataset): Promise<void> {
  const client = world.client(d.role);
  await deleteWhenFree(world, `dataset "${d.alias}"`, () => client.send(new DeleteDatasetCommand({ datasetArn: d.arn })));
  await waitUntil(world, `dataset "${d.alias}" to be gone`, async () => {
    try {
      return (await client.send(new DescribeDatasetCommand({ datasetArn: d.arn }))).dataset?.status ?? 'gone';
    } catch (e) {
      if ((e as Error).name === 'ResourceNotFoundException') return 'gone';
      throw e;
    }
  }, (s) => s === 'gone', (s) => `status ${s}`);
}

export interface JobSpec {
  count: number;
  outcome?: 'succeeds' | 'fails';
  importMode?: 'FULL' | 'INCREMENTAL';
  /** Sends no importMode: the job is then FULL, the documented default (CreateDatasetImportJob reference). */
  omitImportMode?: boolean;
}

/** Starts import jobs on an arranged dataset (no waiting: a job's status is the service's business). */
export async function importJobs(world: Arranger, target: ArrangedDataset, spec: JobSpec): Promise<ArrangedJob[]> {
  const client: PersonalizeClient = world.client(target.role);
  const outcome = spec.outcome ?? 'succeeds';
  const importMode = spec.importMode ?? 'FULL';
  const created: ArrangedJob[] = [];
  for (let i = 0; i < spec.count; i++) {
    const name = world.name(`${target.alias}-j${target.jobs.length + 1}`);
    const { datasetImportJobArn } = await arrangeStep(`CreateDatasetImportJob ${name}`, () => client.send(new CreateDatasetImportJobCommand({
      jobName: name,
      datasetArn: target.arn,
      dataSource: { dataLocation: outcome === 'fails' ? world.config.missingDataLocation : world.config.dataLocation },
      ...(!spec.omitImportMode && { importMode }),
      tags: runTag(world),
      ...(world.config.importRoleArn && { roleArn: world.config.importRoleArn }),
    })));
    const job: ArrangedJob = { arn: datasetImportJobArn!, name, datasetArn: target.arn, outcome, importMode };
    target.jobs.push(job);
    created.push(job);
  }
  return created;
}

export async function describeJob(world: Arranger, arn: string, role: ClientRole = 'primary') {
  const { datasetImportJob } = await world.client(role).send(new DescribeDatasetImportJobCommand({ datasetImportJobArn: arn }));
  if (!datasetImportJob) throw new Error(`DescribeDatasetImportJob ${arn} answered without a datasetImportJob.`);
  return datasetImportJob;
}

/** Waits until every arranged job has reached ACTIVE or CREATE FAILED. */
export async function waitForJobsToFinish(world: Arranger, jobs: ArrangedJob[]): Promise<void> {
  for (const job of jobs) {
    const role = [...world.datasets.values()].find((d) => d.arn === job.datasetArn)?.role;
    await waitUntil(world, `import job ${job.name} to finish`, async () => (await describeJob(world, job.arn, role)).status,
      (s) => terminalImportJobStatuses.includes(s ?? ''), (s) => `status ${s}`);
  }
}

/** Deletes what the scenario created, newest first; reports what could not be deleted. */
export async function cleanUp(world: Arranger): Promise<string[]> {
  const problems: string[] = [];
  for (const c of world.cleanups.splice(0).reverse()) {
    try {
      await c.run();
    } catch (e) {
      problems.push(`could not delete ${c.what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return problems;
}
