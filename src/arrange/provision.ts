/**
 * Creating test data through public Personalize operations only, so that the same data is made on
 * any endpoint: CreateSchema, CreateDatasetGroup, CreateDataset, CreateDatasetImportJob, bounded
 * polling of the Describe operations, and Delete* afterwards.
 *
 * It keeps to the service's documented rules: a FULL import is ACTIVE before any INCREMENTAL job
 * in its dataset, at most the in-progress limit of import jobs run at once (per account and
 * region), each dataset type imports a file and schema of its own, and a create is never blindly
 * repeated. Whatever stops it is an ArrangementFailed: arranging is not conformance.
 *
 * Everything here works in an ArrangeScope: the run's arranging of shared data, or one scenario.
 * What the run must remember across scopes (jobs still in progress, what was created) is its
 * ArrangeState, one per run context.
 */
import {
  CreateDatasetCommand, CreateDatasetGroupCommand, CreateDatasetImportJobCommand, CreateSchemaCommand,
  DeleteDatasetCommand, DeleteDatasetGroupCommand, DeleteSchemaCommand, DescribeDatasetCommand,
  DescribeDatasetGroupCommand, DescribeDatasetImportJobCommand, ListDatasetGroupsCommand, ListDatasetImportJobsCommand,
  ListDatasetsCommand, ListSchemasCommand, ListTagsForResourceCommand, type DatasetImportJob, type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { limits, terminalImportJobStatuses } from '../../schemas';
import type { DatasetType, SuiteConfig } from '../settings';
import type { ClientRole } from '../targets';
import { ArrangementFailed, NotShown } from '../verdict';
import { deleteWhenFree as deleteResourceWhenFree, sleep, waitUntil as wait, WaitTimeoutError } from '../wait';
import type { ArrangeState, CreatedKind } from './state';
import type { ArrangedDataset, ArrangedJob, JobSpec } from './types';

export interface Tag { tagKey: string; tagValue: string }
export interface Cleanup { what: string; run: () => Promise<void> }

/** Where arranging happens: the run's arranging of shared data, or one scenario's World. */
export interface ArrangeScope {
  readonly config: SuiteConfig;
  readonly state: ArrangeState;
  /** A client with the SDK's retries (reads and waits). */
  client(role?: ClientRole): PersonalizeClient;
  /** A client whose requests the SDK sends once (maxAttempts 1): creates, which arranging retries itself. */
  clientOnce(role?: ClientRole): PersonalizeClient;
  /** A resource name of this scope (Name: 1..63 characters, [a-zA-Z0-9][a-zA-Z0-9-_]*). */
  name(label: string): string;
  /** Ends the arranging's waits and requests (a stopping run, a step past its time). */
  readonly signal: AbortSignal;
  /** What to delete afterwards, in order of creation. */
  readonly cleanups: Cleanup[];
  /** Tags every resource created here carries (npm run cleanup deletes only what carries the run's). */
  readonly tags: Tag[];
  /** Whose data it is: the run's shared data, or a scenario's own. */
  readonly by: 'shared' | 'scenario';
  /** The prefix the record of created resources names (the run's, or the kept fixtures'). */
  readonly prefix: string;
  /** Kept fixtures: found again by name and tag where they exist, and never deleted by the run. */
  readonly keep?: boolean;
}

// ---- arranging is not conformance ------------------------------------------------------------

/** A response as a reader needs it: error name, HTTP status and message. */
export function describeError(e: unknown): string {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } }; // what an SDK call throws: a ServiceException (or another Error)
  return `${err.name ?? 'Error'}${err.$metadata?.httpStatusCode ? ` (HTTP ${err.$metadata.httpStatusCode})` : ''}: ${err.message ?? String(e)}`;
}

/** Runs one arranging action; anything that stops it becomes an ArrangementFailed naming the action and the response. */
export async function arranging<T>(what: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (e) {
    if (e instanceof NotShown) throw e;
    if ((e as Error)?.name === 'AbortedError') throw e; // a thrown value is unknown: only its name is read
    throw new ArrangementFailed(`${what}: ${e instanceof WaitTimeoutError ? e.message : describeError(e)}`);
  }
}

// ---- waiting ---------------------------------------------------------------------------------

/** Polls `read` until `done` holds, within the configured bound; a clear message on time-out. */
export function waitUntil<T>(scope: ArrangeScope, what: string, read: () => Promise<T>, done: (v: T) => boolean, describe: (v: T) => string): Promise<T> {
  return wait(read, done, { what, describe, timeoutMs: scope.config.waitTimeoutMs, intervalMs: scope.config.pollIntervalMs, hint: 'Set CONFORMANCE_WAIT_TIMEOUT_MS to wait longer.', signal: scope.signal });
}

/** Retries a deletion while the service says the resource is still in use (its children are going). */
export function deleteWhenFree(scope: ArrangeScope, what: string, del: () => Promise<unknown>): Promise<void> {
  return deleteResourceWhenFree(del, { what, timeoutMs: scope.config.waitTimeoutMs, intervalMs: scope.config.pollIntervalMs, signal: scope.signal });
}

/** A pause between retries that never spins, even where polling may (the in-process mock polls without pause). */
const retryPauseMs = (config: SuiteConfig) => Math.max(config.pollIntervalMs, 20);

// ---- creating once ---------------------------------------------------------------------------

type Trouble = 'limit' | 'exists' | 'transient' | 'refused';

/** How arranging treats an error of a create: wait for a slot, look it up, try again, or give up. */
function troubleOf(e: unknown): Trouble {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } }; // what an SDK call throws: a ServiceException (or another Error)
  const status = err.$metadata?.httpStatusCode;
  if (err.name === 'LimitExceededException') return 'limit';
  if (err.name === 'ResourceAlreadyExistsException') return 'exists';
  if (status === 429 || (status !== undefined && status >= 500) || /Throttl|TooManyRequests|RequestLimitExceeded/.test(err.name ?? '')) return 'transient';
  // No HTTP answer at all: a reset, a time-out, a refused connection (but not the run's own limits).
  if (status === undefined && !/CallBudgetExhausted|AbortedError|NetConnectNotAllowed/.test(err.name ?? '')) return 'transient';
  return 'refused';
}

/** Attempts of a create after transport trouble or throttling, before arranging gives up. */
const TRANSIENT_ATTEMPTS = 4;

interface CreateSpec {
  /** "CreateDataset my-name", for messages. */
  what: string;
  kind: CreatedKind;
  name: string;
  role: ClientRole;
  create(): Promise<string | undefined>;
  /** The ARN of the resource of that name, if it exists (an earlier attempt may have made it). */
  find(): Promise<string | undefined>;
  /** Deletes the resource: for a create whose answer never came, the cleanup finds it by name. */
  remove?: (arn: string) => Promise<unknown>;
  /** Whether the create puts the scope's tags on it (the cleanup then deletes what it finds only if it carries them). */
  tagged?: boolean;
}

/** Whether a resource carries every one of `tags`. */
export async function carriesTags(client: PersonalizeClient, arn: string, tags: Tag[]): Promise<boolean> {
  const { tags: held } = await client.send(new ListTagsForResourceCommand({ resourceArn: arn }));
  return tags.every((t) => (held ?? []).some((h) => h.tagKey === t.tagKey && h.tagValue === t.tagValue));
}

/**
 * Creates once (createOnceAnswered). When no ARN came back, the create may still have reached the
 * service before its answer was lost (a run interrupted, a step past its time-out, a connection
 * gone): the cleanup then looks the name up and deletes what it finds, so that nothing the run
 * made is left behind.
 */
async function createOnce(scope: ArrangeScope, spec: CreateSpec): Promise<string> {
  // Recorded before the request goes: a create whose answer is lost is still the run's.
  scope.state.recordCreated(scope, { kind: spec.kind, name: spec.name });
  try {
    const arn = await createOnceAnswered(scope, spec);
    scope.state.recordCreated(scope, { kind: spec.kind, name: spec.name, arn });
    return arn;
  } catch (e) {
    const remove = spec.remove;
    if (remove && !scope.keep) {
      scope.cleanups.push({
        what: `${spec.what.replace(/^Create/, '')}, if its create reached the service`,
        run: async () => {
          const arn = await spec.find();
          if (!arn || (spec.tagged && !(await carriesTags(scope.client(spec.role), arn, scope.tags)))) return;
          await deleteWhenFree(scope, spec.what, () => remove(arn));
        },
      });
    }
    throw e;
  }
}

/**
 * Creates a resource that this run named, once: after transport trouble it looks the name up
 * before creating again, and a ResourceAlreadyExistsException after such trouble is the earlier
 * attempt's success. LimitExceededException waits for a free import slot, within the wait bound.
 */
async function createOnceAnswered(scope: ArrangeScope, spec: CreateSpec): Promise<string> {
  let troubled = false;
  let transient = 0;
  const limitDeadline = Date.now() + scope.config.waitTimeoutMs;
  for (;;) {
    let failure: unknown;
    try {
      const arn = await spec.create();
      if (arn) return arn;
      throw new ArrangementFailed(`${spec.what} answered without an ARN`);
    } catch (e) {
      if (e instanceof ArrangementFailed) throw e;
      failure = e;
    }
    const trouble = troubleOf(failure);
    if (trouble === 'exists' && troubled) {
      const arn = await spec.find().catch(() => undefined);
      if (arn) return arn;
    } else if (trouble === 'limit' && Date.now() < limitDeadline) {
      await waitForFreeImportSlot(scope, spec.role, 1);
      await sleep(retryPauseMs(scope.config), scope.signal);
      continue;
    } else if (trouble === 'transient' && ++transient < TRANSIENT_ATTEMPTS) {
      troubled = true;
      await sleep(retryPauseMs(scope.config) * 2 ** transient, scope.signal);
      const arn = await spec.find().catch(() => undefined);
      if (arn) return arn;
      continue;
    }
    if ((failure as Error)?.name === 'AbortedError' || failure instanceof NotShown) throw failure; // a thrown value is unknown: only its name is read
    const after = trouble === 'limit' ? ` (still refused after ${Math.round(scope.config.waitTimeoutMs / 1000)} s)` : trouble === 'transient' ? ` (after ${transient} attempts)` : '';
    throw new ArrangementFailed(`${spec.what} answered ${describeError(failure)}${after}`);
  }
}

/** The first resource called `name` over the pages of a small listing (bounded). */
async function findByName<T>(list: (nextToken?: string) => Promise<{ items?: T[]; nextToken?: string }>, named: (item: T) => boolean, arnOf: (item: T) => string | undefined): Promise<string | undefined> {
  let nextToken: string | undefined;
  for (let page = 0; page < 50; page++) {
    const out = await list(nextToken);
    const hit = out.items?.find(named);
    if (hit) return arnOf(hit);
    if (!out.nextToken || out.nextToken === nextToken) return undefined;
    nextToken = out.nextToken;
  }
  return undefined;
}

/** Kept fixtures: the resource of that name that carries the scope's tags, or undefined (then it is created). */
async function findKept(scope: ArrangeScope, spec: CreateSpec, tagged: boolean): Promise<string | undefined> {
  if (!scope.keep) return undefined;
  const arn = await arranging(`looking up ${spec.what.replace(/^Create/, '')}`, () => spec.find());
  if (!arn) return undefined;
  if (tagged && !(await arranging(`reading the tags of ${arn}`, () => carriesTags(scope.client(spec.role), arn, scope.tags)))) {
    throw new ArrangementFailed(`${spec.what.replace(/^Create/, '')} exists but does not carry the kept fixtures' tags (${scope.tags.map((t) => `${t.tagKey}=${t.tagValue}`).join(', ')}): it is not this suite's; delete or rename it`, 'setup');
  }
  return arn;
}

// ---- schemas, dataset groups, datasets -------------------------------------------------------

async function waitActive(scope: ArrangeScope, what: string, read: () => Promise<string | undefined>): Promise<void> {
  const status = await arranging(`waiting for ${what} to become ACTIVE`, () =>
    waitUntil(scope, `${what} to become ACTIVE`, read, (s) => s === 'ACTIVE' || s === 'CREATE FAILED', (s) => `status ${s}`));
  if (status !== 'ACTIVE') throw new ArrangementFailed(`${what} ended ${status}`);
}

/** A schema of a dataset type (its columns match that type's data file); schemas take no tags. */
export async function schema(scope: ArrangeScope, role: ClientRole, type: DatasetType): Promise<string> {
  const client = scope.client(role);
  const name = scope.name(`${role === 'primary' ? '' : role + '-'}${type.toLowerCase()}-schema`);
  const spec: CreateSpec = {
    what: `CreateSchema ${name}`, kind: 'schema', name, role,
    create: async () => (await scope.clientOnce(role).send(new CreateSchemaCommand({ name, schema: scope.config.datasetTypes[type].schema }))).schemaArn,
    find: () => findByName((nextToken) => client.send(new ListSchemasCommand({ nextToken })).then((o) => ({ items: o.schemas, nextToken: o.nextToken })), (s) => s.name === name, (s) => s.schemaArn),
    remove: (arn) => client.send(new DeleteSchemaCommand({ schemaArn: arn })),
  };
  const kept = await findKept(scope, spec, false);
  if (kept) return kept;
  const schemaArn = await createOnce(scope, spec);
  if (!scope.keep) scope.cleanups.push({ what: `schema ${name}`, run: () => deleteWhenFree(scope, `schema ${name}`, () => client.send(new DeleteSchemaCommand({ schemaArn }))) });
  return schemaArn;
}

/** A dataset group created (or, kept, found) and, unless told not to wait, ACTIVE. */
export async function datasetGroup(scope: ArrangeScope, label: string, role: ClientRole = 'primary', o: { wait?: boolean } = {}): Promise<string> {
  const client = scope.client(role);
  const name = scope.name(label);
  const spec: CreateSpec = {
    what: `CreateDatasetGroup ${name}`, kind: 'dataset group', name, role,
    create: async () => (await scope.clientOnce(role).send(new CreateDatasetGroupCommand({ name, tags: scope.tags }))).datasetGroupArn,
    find: () => findByName((nextToken) => client.send(new ListDatasetGroupsCommand({ nextToken })).then((o) => ({ items: o.datasetGroups, nextToken: o.nextToken })), (g) => g.name === name, (g) => g.datasetGroupArn),
    remove: (arn) => client.send(new DeleteDatasetGroupCommand({ datasetGroupArn: arn })), tagged: true,
  };
  let datasetGroupArn = await findKept(scope, spec, true);
  if (!datasetGroupArn) {
    datasetGroupArn = await createOnce(scope, spec);
    const arn = datasetGroupArn;
    if (!scope.keep) scope.cleanups.push({ what: `dataset group ${name}`, run: () => deleteWhenFree(scope, `dataset group ${name}`, () => client.send(new DeleteDatasetGroupCommand({ datasetGroupArn: arn }))) });
  }
  if (o.wait !== false) await groupActive(scope, datasetGroupArn, role);
  return datasetGroupArn;
}

/** Waits until a dataset group is ACTIVE. */
export async function groupActive(scope: ArrangeScope, arn: string, role: ClientRole): Promise<void> {
  const client = scope.client(role);
  await waitActive(scope, `dataset group ${arn.split('/').pop()}`, async () => (await client.send(new DescribeDatasetGroupCommand({ datasetGroupArn: arn }))).datasetGroup?.status);
}

export interface DatasetRequest {
  alias: string;
  groupArn: string;
  type: DatasetType;
  role: ClientRole;
  schemaArn: string;
}

/** A dataset in the given group, created (or, kept, found) and, unless told not to wait, ACTIVE; known by its alias. */
export async function dataset(scope: ArrangeScope, r: DatasetRequest, o: { wait?: boolean } = {}): Promise<ArrangedDataset> {
  const client = scope.client(r.role);
  const name = scope.name(r.alias);
  const spec: CreateSpec = {
    what: `CreateDataset ${name}`, kind: 'dataset', name, role: r.role,
    create: async () => (await scope.clientOnce(r.role).send(new CreateDatasetCommand({ name, schemaArn: r.schemaArn, datasetGroupArn: r.groupArn, datasetType: r.type, tags: scope.tags }))).datasetArn,
    find: () => findByName((nextToken) => client.send(new ListDatasetsCommand({ datasetGroupArn: r.groupArn, nextToken })).then((o) => ({ items: o.datasets, nextToken: o.nextToken })), (d) => d.name === name, (d) => d.datasetArn),
    remove: (arn) => client.send(new DeleteDatasetCommand({ datasetArn: arn })), tagged: true,
  };
  let datasetArn = await findKept(scope, spec, true);
  const kept = datasetArn !== undefined;
  if (!datasetArn) {
    datasetArn = await createOnce(scope, spec);
    const arn = datasetArn;
    if (!scope.keep) {
      scope.cleanups.push({
        what: `dataset ${name}`,
        run: async () => {
          await deleteWhenFree(scope, `dataset ${name}`, () => client.send(new DeleteDatasetCommand({ datasetArn: arn })));
          scope.state.forgetJobsOf(r.role, arn);
        },
      });
    }
  }
  const arranged: ArrangedDataset = { alias: r.alias, arn: datasetArn, groupArn: r.groupArn, role: r.role, type: r.type, jobs: [], ...(kept && { kept }) };
  if (o.wait !== false) await datasetActive(scope, arranged);
  return arranged;
}

/** Waits until a dataset is ACTIVE. */
export async function datasetActive(scope: ArrangeScope, d: ArrangedDataset): Promise<void> {
  const client = scope.client(d.role);
  await waitActive(scope, `dataset ${d.arn.split('/').slice(-2).join('/')}`, async () => (await client.send(new DescribeDatasetCommand({ datasetArn: d.arn }))).dataset?.status);
}

/** Deletes an arranged dataset and waits until DescribeDataset no longer finds it; its jobs go with it. */
export async function deleteDatasetAndWait(scope: ArrangeScope, d: ArrangedDataset): Promise<void> {
  const client = scope.client(d.role);
  await arranging(`deleting dataset "${d.alias}"`, async () => {
    await deleteWhenFree(scope, `dataset "${d.alias}"`, () => client.send(new DeleteDatasetCommand({ datasetArn: d.arn })));
    await waitUntil(scope, `dataset "${d.alias}" to be gone`, async () => {
      try {
        return (await client.send(new DescribeDatasetCommand({ datasetArn: d.arn }))).dataset?.status ?? 'gone';
      } catch (e) {
        if ((e as Error).name === 'ResourceNotFoundException') return 'gone'; // what the SDK throws: a ServiceException, named by its error type
        throw e;
      }
    }, (s) => s === 'gone', (s) => `status ${s}`);
  });
  scope.state.forgetJobsOf(d.role, d.arn);
  d.deleted = true;
  d.formerJobs = d.jobs;
  d.jobs = [];
}

// ---- import jobs -----------------------------------------------------------------------------

export async function describeJob(scope: ArrangeScope, arn: string, role: ClientRole = 'primary'): Promise<DatasetImportJob> {
  const { datasetImportJob } = await scope.client(role).send(new DescribeDatasetImportJobCommand({ datasetImportJobArn: arn }));
  if (!datasetImportJob) throw new Error(`DescribeDatasetImportJob ${arn} answered without a datasetImportJob.`);
  return datasetImportJob;
}

/** A job's status, or "gone" once its dataset has been deleted. */
async function statusOf(scope: ArrangeScope, job: ArrangedJob, role: ClientRole): Promise<string> {
  try {
    return (await describeJob(scope, job.arn, role)).status ?? '';
  } catch (e) {
    if ((e as Error).name === 'ResourceNotFoundException') return 'gone'; // what the SDK throws: a ServiceException, named by its error type
    throw e;
  }
}

const finished = (status: string) => status === 'gone' || terminalImportJobStatuses.includes(status);

/** Describes the run's unfinished jobs, oldest first, until `room` more may start; forgets the finished. */
async function forgetFinishedJobs(scope: ArrangeScope, role: ClientRole, room: number): Promise<number> {
  const jobs = scope.state.unfinished(role);
  const limit = scope.config.inProgressLimit;
  for (const job of [...jobs]) {
    if (jobs.length + room <= limit) break;
    if (finished(await statusOf(scope, job, role))) scope.state.finished(role, job);
  }
  return jobs.length;
}

/** Waits (bounded) until `room` more import jobs may start under the in-progress limit. */
export async function waitForFreeImportSlot(scope: ArrangeScope, role: ClientRole, room: number): Promise<void> {
  const limit = scope.config.inProgressLimit;
  if (scope.state.unfinished(role).length + room <= limit) return;
  await arranging(`waiting for a free import slot (at most ${limit} import jobs in progress, CONFORMANCE_IN_PROGRESS_LIMIT)`, () =>
    waitUntil(scope, `one of this run's import jobs to finish`, () => forgetFinishedJobs(scope, role, room),
      (n) => n + room <= limit, (n) => `${n} still in progress`));
}

/** Waits (bounded) until none of the run's import jobs in `role`'s account and region is in progress. */
export async function waitForAllImports(scope: ArrangeScope, role: ClientRole): Promise<void> {
  const jobs = scope.state.unfinished(role);
  if (!jobs.length) return;
  await arranging('waiting for the import jobs to finish', () =>
    waitUntil(scope, `${jobs.length} import jobs to finish`, async () => {
      for (const job of [...jobs]) {
        if (!finished(await statusOf(scope, job, role))) break;
        scope.state.finished(role, job);
      }
      return jobs.length;
    }, (n) => n === 0, (n) => `${n} still in progress`));
}

/**
 * "If you haven't imported bulk records into the dataset previously, you can only specify FULL"
 * (CreateDatasetImportJob, importMode): waits until a FULL import of the dataset is ACTIVE.
 */
async function awaitFullImport(scope: ArrangeScope, target: ArrangedDataset): Promise<void> {
  if (scope.state.fullImportActive.has(target.arn)) return;
  const full = target.jobs.find((j) => j.importMode === 'FULL' && j.outcome === 'succeeds');
  if (!full) throw new Error(`Dataset "${target.alias}" has no FULL import for INCREMENTAL jobs to follow: arrange one first.`);
  const status = await arranging(`waiting for the FULL import ${full.name} before INCREMENTAL ones`, () =>
    waitUntil(scope, `import job ${full.name} to finish`, () => statusOf(scope, full, target.role), finished, (s) => `status ${s}`));
  if (finished(status)) scope.state.finished(target.role, full);
  if (status !== 'ACTIVE') throw new ArrangementFailed(`the FULL import ${full.name} ended ${status}, so dataset "${target.alias}" cannot take INCREMENTAL imports`);
  scope.state.fullImportActive.add(target.arn);
}

/** The ARN a job of that name has in the dataset's account and region (the documented form), to look it up after trouble. */
export const jobArnFor = (datasetArn: string, jobName: string) => datasetArn.replace(/:dataset\/.*$/, `:dataset-import-job/${jobName}`);

/** The job name of the `n`th job (from 1) of a dataset. */
export const jobLabel = (alias: string, n: number) => `${alias}-j${n}`;

/** The outcome and the listed import mode a job spec gives. */
function jobShape(spec: JobSpec): Pick<ArrangedJob, 'outcome' | 'importMode'> {
  return { outcome: spec.outcome ?? 'succeeds', importMode: spec.importMode === 'INCREMENTAL' ? 'INCREMENTAL' : 'FULL' };
}

/** Starts one import job, the `n`th of the dataset (its name says so), waiting for a slot under the in-progress limit. */
async function startJob(scope: ArrangeScope, target: ArrangedDataset, spec: JobSpec, n: number): Promise<ArrangedJob> {
  const shape = jobShape(spec);
  if (shape.importMode === 'INCREMENTAL') await awaitFullImport(scope, target);
  await waitForFreeImportSlot(scope, target.role, 1);
  const name = scope.name(jobLabel(target.alias, n));
  const dataLocation = shape.outcome === 'fails' ? scope.config.missingDataLocation : scope.config.datasetTypes[target.type].dataLocation;
  const sent = Date.now();
  const arn = await createOnce(scope, {
    what: `CreateDatasetImportJob ${name}`, kind: 'dataset import job', name, role: target.role,
    create: async () => (await scope.clientOnce(target.role).send(new CreateDatasetImportJobCommand({
      jobName: name,
      datasetArn: target.arn,
      dataSource: { dataLocation },
      ...(spec.importMode !== 'omitted' && { importMode: shape.importMode }),
      tags: scope.tags,
      ...(scope.config.importRoleArn && { roleArn: scope.config.importRoleArn }),
    }))).datasetImportJobArn,
    find: async () => {
      try {
        return (await describeJob(scope, jobArnFor(target.arn, name), target.role)).datasetImportJobArn;
      } catch (e) {
        if ((e as Error).name === 'ResourceNotFoundException') return undefined; // what the SDK throws: a ServiceException, named by its error type
        throw e;
      }
    },
  });
  const job: ArrangedJob = { arn, name, datasetArn: target.arn, ...shape, createdBetween: [sent, Date.now()] };
  scope.state.started(target.role, job);
  target.jobs.push(job);
  return job;
}

/**
 * Starts import jobs on an arranged dataset, each with the data file of the dataset's type, never
 * more at once than the in-progress limit (no waiting for them to finish otherwise: a job's status
 * is the service's business).
 */
export async function importJobs(scope: ArrangeScope, target: ArrangedDataset, spec: JobSpec): Promise<ArrangedJob[]> {
  const created: ArrangedJob[] = [];
  // Room for a batch first, so that a few jobs start together rather than one per finished job.
  await waitForFreeImportSlot(scope, target.role, Math.min(spec.count, scope.config.inProgressLimit));
  for (let i = 0; i < spec.count; i++) created.push(await startJob(scope, target, spec, target.jobs.length + 1));
  return created;
}

/**
 * The jobs a dataset should hold, the n-th named "<alias>-j<n>" in the order of `specs`: with kept
 * fixtures, found by their names first (DescribeDatasetImportJob of the documented ARN); the rest
 * created. `only` picks the specs to make now (FULL ones before INCREMENTAL ones, which wait for a
 * FULL import). A kept job with another outcome than the plan's means the kept data no longer
 * matches: arranging fails, naming it.
 */
export async function ensureJobs(scope: ArrangeScope, target: ArrangedDataset, specs: JobSpec[], only: (spec: JobSpec) => boolean = () => true): Promise<void> {
  const planned = specs.flatMap((spec) => Array.from({ length: spec.count }, () => spec)).map((spec, i) => ({ spec, n: i + 1 })).filter((p) => only(p.spec));
  for (const { spec, n } of planned) {
    const name = scope.name(jobLabel(target.alias, n));
    const shape = jobShape(spec);
    // Only a dataset a previous run kept can hold jobs already.
    const found = target.kept ? await arranging(`looking up import job ${name}`, () => describeJob(scope, jobArnFor(target.arn, name), target.role).catch((e) => {
      if ((e as Error).name === 'ResourceNotFoundException') return undefined; // what the SDK throws: a ServiceException, named by its error type
      throw e;
    })) : undefined;
    if (!found) {
      await startJob(scope, target, spec, n);
      continue;
    }
    const job: ArrangedJob = { arn: found.datasetImportJobArn ?? jobArnFor(target.arn, name), name, datasetArn: target.arn, ...shape };
    const status = found.status ?? '';
    const wanted = shape.outcome === 'fails' ? 'CREATE FAILED' : 'ACTIVE';
    if (terminalImportJobStatuses.includes(status) && status !== wanted) {
      throw new ArrangementFailed(`the kept import job ${name} is ${status}, where the plan has it ${wanted}: the kept fixtures no longer match (npm run cleanup removes them)`, 'setup');
    }
    if (terminalImportJobStatuses.includes(status)) {
      if (status === 'ACTIVE' && shape.importMode === 'FULL') scope.state.fullImportActive.add(target.arn);
    } else scope.state.started(target.role, job);
    target.jobs.push(job);
  }
  // In the plan's order, whatever order they were made in.
  const number = (j: ArrangedJob) => Number(/-j(\d+)$/.exec(j.name)?.[1] ?? 0);
  target.jobs.sort((a, b) => number(a) - number(b));
}

/** Waits until every given job has reached ACTIVE or CREATE FAILED. */
export async function waitForJobsToFinish(scope: ArrangeScope, jobs: ArrangedJob[], role: ClientRole = 'primary'): Promise<void> {
  for (const job of jobs) {
    const status = await arranging(`waiting for import job ${job.name} to finish`, () =>
      waitUntil(scope, `import job ${job.name} to finish`, () => statusOf(scope, job, role), finished, (s) => `status ${s}`));
    if (finished(status)) scope.state.finished(role, job);
  }
}

// ---- until the jobs are listed ---------------------------------------------------------------

/** The ARNs a listing of the dataset shows, page after page (bounded; short pages are allowed). */
async function listedArns(scope: ArrangeScope, d: ArrangedDataset): Promise<Set<string>> {
  const seen = new Set<string>();
  const tokens = new Set<string>();
  let nextToken: string | undefined;
  for (let page = 0; page < 2 * d.jobs.length + 10; page++) {
    const out = await scope.client(d.role).send(new ListDatasetImportJobsCommand({ datasetArn: d.arn, maxResults: limits.maxResults.max, nextToken }));
    // A job is known by its ARN, or by its name where the ARN is wrong (LDIJ-RESP-001's finding, not this wait's).
    for (const j of out.datasetImportJobs ?? []) seen.add(j.datasetImportJobArn ?? '').add(`name:${j.jobName}`);
    nextToken = out.nextToken || undefined;
    if (!nextToken || tokens.has(nextToken)) break;
    tokens.add(nextToken);
  }
  return seen;
}

const isListed = (listed: Set<string>, job: ArrangedJob) => listed.has(job.arn) || listed.has(`name:${job.name}`);

/** Polls of the listing within CONFORMANCE_LISTING_WAIT_MS: about twenty, whatever the bound. */
const listingPollMs = (config: SuiteConfig) => Math.min(5_000, Math.max(10, config.listingWaitMs / 20));

export interface ListedInTime {
  /** Milliseconds from the start of the watch until the listings showed every job; undefined: not within CONFORMANCE_LISTING_WAIT_MS. */
  listedAfterMs?: number;
  /** Listings of the datasets made meanwhile. */
  polls: number;
}

/** Lists the datasets again and again, within CONFORMANCE_LISTING_WAIT_MS, until every job of theirs is listed (0: one listing). */
export async function watchUntilListed(scope: ArrangeScope, datasets: ArrangedDataset[]): Promise<ListedInTime> {
  const pending = datasets.filter((d) => d.jobs.length > 0);
  const started = Date.now();
  let polls = 0;
  if (scope.config.listingWaitMs === 0) {
    polls++;
    for (const d of pending) {
      const listed = await listedArns(scope, d);
      if (!d.jobs.every((j) => isListed(listed, j))) return { polls };
    }
    return { listedAfterMs: Date.now() - started, polls };
  }
  try {
    await wait(async () => {
      polls++;
      for (const d of [...pending]) {
        const listed = await listedArns(scope, d);
        if (d.jobs.every((j) => isListed(listed, j))) pending.splice(pending.indexOf(d), 1);
      }
      return pending.length;
    }, (n) => n === 0, { what: 'the created jobs to be listed', timeoutMs: scope.config.listingWaitMs, intervalMs: listingPollMs(scope.config), signal: scope.signal });
    return { listedAfterMs: Date.now() - started, polls };
  } catch (e) {
    if (e instanceof WaitTimeoutError) return { polls };
    throw e;
  }
}

/**
 * Control planes are commonly eventually consistent: a job just created may not be listed for a
 * moment. Waits (CONFORMANCE_LISTING_WAIT_MS; 0: not at all) until every job of the datasets is
 * listed. A listing that still misses some, or fails, is left for the scenarios to meet and judge:
 * this wait arranges nothing and decides nothing (features/consistency.feature judges the lag).
 */
export async function waitUntilListed(scope: ArrangeScope, datasets: ArrangedDataset[]): Promise<void> {
  if (scope.config.listingWaitMs === 0) return;
  await watchUntilListed(scope, datasets).catch((e) => {
    if ((e as Error)?.name === 'AbortedError') throw e; // a thrown value is unknown: only its name is read
  });
}

// ---- afterwards --------------------------------------------------------------------------------

/** Deletes what the scope created, newest first; reports what could not be deleted. */
export async function cleanUp(scope: Pick<ArrangeScope, 'cleanups'>): Promise<string[]> {
  const problems: string[] = [];
  for (const c of scope.cleanups.splice(0).reverse()) {
    try {
      await c.run();
    } catch (e) {
      problems.push(`could not delete ${c.what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return problems;
}
