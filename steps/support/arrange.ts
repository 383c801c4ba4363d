/**
 * Arranging test data through public Personalize operations only, so the same scenarios run
 * against any endpoint: CreateSchema, CreateDatasetGroup, CreateDataset, CreateDatasetImportJob,
 * bounded polling of the Describe operations, and Delete* afterwards.
 *
 * Arranging keeps to the service's documented rules: a FULL import is ACTIVE before any
 * INCREMENTAL job in its dataset, at most the in-progress limit of import jobs run at once, each
 * dataset type imports a file and schema of its own, and a create is never blindly repeated.
 * Whatever stops it is an ArrangementFailed: the scenario is not run, it has not failed.
 */
import {
  CreateDatasetCommand, CreateDatasetGroupCommand, CreateDatasetImportJobCommand, CreateSchemaCommand,
  DeleteDatasetCommand, DeleteDatasetGroupCommand, DeleteSchemaCommand, DescribeDatasetCommand,
  DescribeDatasetGroupCommand, DescribeDatasetImportJobCommand, ListDatasetGroupsCommand, ListDatasetImportJobsCommand,
  ListDatasetsCommand, ListSchemasCommand, type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { limits, terminalImportJobStatuses } from '../../schemas';
import type { DatasetType, SuiteConfig } from '../../src/settings';
import type { ClientRole } from '../../src/targets';
import { deleteWhenFree as deleteResourceWhenFree, sleep, waitUntil as wait, WaitTimeoutError } from '../../src/wait';
import { carriesRunTag } from '../../src/cleanup';
import { ArrangementFailed, NotShown } from '../../src/verdict';
import { runContext, type Arranger, type ArrangedDataset, type ArrangedJob } from './world';

// ---- arranging is not conformance ------------------------------------------------------------

/** A response as a reader needs it: error name, HTTP status and message. */
export function describeError(e: unknown): string {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  return `${err.name ?? 'Error'}${err.$metadata?.httpStatusCode ? ` (HTTP ${err.$metadata.httpStatusCode})` : ''}: ${err.message ?? String(e)}`;
}

/** Runs one arranging action; anything that stops it becomes an ArrangementFailed naming the action and the response. */
async function arranging<T>(what: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (e) {
    if (e instanceof NotShown) throw e;
    throw new ArrangementFailed(`${what}: ${e instanceof WaitTimeoutError ? e.message : describeError(e)}`);
  }
}

// ---- waiting ---------------------------------------------------------------------------------

/** Polls `read` until `done` holds, within the configured bound; a clear message on time-out. */
export function waitUntil<T>(world: Arranger, what: string, read: () => Promise<T>, done: (v: T) => boolean, describe: (v: T) => string): Promise<T> {
  return wait(read, done, { what, describe, timeoutMs: world.config.waitTimeoutMs, intervalMs: world.config.pollIntervalMs, hint: 'Set CONFORMANCE_WAIT_TIMEOUT_MS to wait longer.', signal: world.signal });
}

/** Retries a deletion while the service says the resource is still in use (its children are going). */
export function deleteWhenFree(world: Arranger, what: string, del: () => Promise<unknown>): Promise<void> {
  return deleteResourceWhenFree(del, { what, timeoutMs: world.config.waitTimeoutMs, intervalMs: world.config.pollIntervalMs, signal: world.signal });
}

/** A pause between retries that never spins, even where polling may (the in-process mock polls without pause). */
const retryPauseMs = (config: SuiteConfig) => Math.max(config.pollIntervalMs, 20);

// ---- creating once ---------------------------------------------------------------------------

/**
 * The SDK retries a create after a reset, a 5xx or a LimitExceededException (classed as
 * throttling). A create is not idempotent, so arranging sends each create once and decides itself
 * (see createOnce): this replaces the command's retry middleware with a pass-through.
 */
function sentOnce<C extends { middlewareStack: { add: (...args: never[]) => void } }>(command: C): C {
  const passThrough = (next: (args: unknown) => Promise<unknown>) => (args: unknown) => next(args);
  (command.middlewareStack.add as (m: unknown, o: object) => void)(passThrough, { name: 'retryMiddleware', step: 'finalizeRequest', priority: 'high', override: true });
  return command;
}

type Trouble = 'limit' | 'exists' | 'transient' | 'refused';

/** How arranging treats an error of a create: wait for a slot, look it up, try again, or give up. */
function troubleOf(e: unknown): Trouble {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
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
  role: ClientRole;
  create(): Promise<string | undefined>;
  /** The ARN of the resource of that name, if it exists (an earlier attempt may have made it). */
  find(): Promise<string | undefined>;
  /** Deletes the resource: for a create whose answer never came, the scenario's cleanup finds it by name. */
  remove?: (arn: string) => Promise<unknown>;
  /** Whether the create puts the run's tag on it (then the cleanup deletes what it finds only if it carries the tag). */
  tagged?: boolean;
}

/**
 * Creates once (createOnceAnswered). When no ARN came back, the create may still have reached the
 * service before its answer was lost (a run interrupted, a step past its time-out, a connection
 * gone): the scenario's cleanup then looks the name up and deletes what it finds, so that nothing
 * the run made is left behind.
 */
async function createOnce(world: Arranger, spec: CreateSpec): Promise<string> {
  try {
    return await createOnceAnswered(world, spec);
  } catch (e) {
    const remove = spec.remove;
    if (remove) {
      world.cleanups.push({
        what: `${spec.what.replace(/^Create/, '')}, if its create reached the service`,
        run: async () => {
          const arn = await spec.find();
          if (!arn || (spec.tagged && !(await carriesRunTag(world.client(spec.role), arn, world.config.runPrefix)))) return;
          await deleteWhenFree(world, spec.what, () => remove(arn));
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
async function createOnceAnswered(world: Arranger, spec: CreateSpec): Promise<string> {
  let troubled = false;
  let transient = 0;
  const limitDeadline = Date.now() + world.config.waitTimeoutMs;
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
      await waitForFreeImportSlot(world, spec.role, 1);
      await sleep(retryPauseMs(world.config), world.signal);
      continue;
    } else if (trouble === 'transient' && ++transient < TRANSIENT_ATTEMPTS) {
      troubled = true;
      await sleep(retryPauseMs(world.config) * 2 ** transient, world.signal);
      const arn = await spec.find().catch(() => undefined);
      if (arn) return arn;
      continue;
    }
    const after = trouble === 'limit' ? ` (still refused after ${Math.round(world.config.waitTimeoutMs / 1000)} s)` : trouble === 'transient' ? ` (after ${transient} attempts)` : '';
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

// ---- schemas, dataset groups, datasets -------------------------------------------------------

/** Every resource a run creates carries its prefix in the name and this tag (npm run cleanup finds them). */
const runTag = (world: Arranger) => [{ tagKey: 'conformance-run', tagValue: world.config.runPrefix }];

async function waitActive(world: Arranger, what: string, read: () => Promise<string | undefined>): Promise<void> {
  const status = await arranging(`waiting for ${what} to become ACTIVE`, () =>
    waitUntil(world, `${what} to become ACTIVE`, read, (s) => s === 'ACTIVE' || s === 'CREATE FAILED', (s) => `status ${s}`));
  if (status !== 'ACTIVE') throw new ArrangementFailed(`${what} ended ${status}`);
}

/** The schema of a dataset type (its columns match that type's data file), created once per arranger. */
async function schemaFor(world: Arranger, role: ClientRole, type: DatasetType): Promise<string> {
  const key = `${role}:${type}`;
  const known = world.schemaArns.get(key);
  if (known) return known;
  const client = world.client(role);
  const name = world.name(`${role === 'primary' ? '' : role + '-'}${type.toLowerCase()}-schema`);
  const schemaArn = await createOnce(world, {
    what: `CreateSchema ${name}`, role,
    create: async () => (await client.send(sentOnce(new CreateSchemaCommand({ name, schema: world.config.datasetTypes[type].schema })))).schemaArn,
    find: () => findByName((nextToken) => client.send(new ListSchemasCommand({ nextToken })).then((o) => ({ items: o.schemas, nextToken: o.nextToken })), (s) => s.name === name, (s) => s.schemaArn),
    remove: (arn) => client.send(new DeleteSchemaCommand({ schemaArn: arn })),
  });
  world.schemaArns.set(key, schemaArn);
  world.cleanups.push({ what: `schema ${name}`, run: () => deleteWhenFree(world, `schema ${name}`, () => client.send(new DeleteSchemaCommand({ schemaArn }))) });
  return schemaArn;
}

/** A dataset group of this scenario, created and ACTIVE. */
export async function datasetGroup(world: Arranger, label: string, role: ClientRole = 'primary'): Promise<string> {
  const key = `${role}:${label}`;
  const known = world.groups.get(key);
  if (known) return known;
  const client = world.client(role);
  const name = world.name(label);
  const datasetGroupArn = await createOnce(world, {
    what: `CreateDatasetGroup ${name}`, role,
    create: async () => (await client.send(sentOnce(new CreateDatasetGroupCommand({ name, tags: runTag(world) })))).datasetGroupArn,
    find: () => findByName((nextToken) => client.send(new ListDatasetGroupsCommand({ nextToken })).then((o) => ({ items: o.datasetGroups, nextToken: o.nextToken })), (g) => g.name === name, (g) => g.datasetGroupArn),
    remove: (arn) => client.send(new DeleteDatasetGroupCommand({ datasetGroupArn: arn })), tagged: true,
  });
  world.groups.set(key, datasetGroupArn);
  world.cleanups.push({ what: `dataset group ${name}`, run: () => deleteWhenFree(world, `dataset group ${name}`, () => client.send(new DeleteDatasetGroupCommand({ datasetGroupArn }))) });
  await waitActive(world, `dataset group ${name}`, async () =>
    (await client.send(new DescribeDatasetGroupCommand({ datasetGroupArn }))).datasetGroup?.status);
  return datasetGroupArn;
}

/** A dataset of this scenario in the given group, created and ACTIVE, known by its alias. */
export async function dataset(world: Arranger, alias: string, options: { group?: string; type?: DatasetType; role?: ClientRole } = {}): Promise<ArrangedDataset> {
  const role = options.role ?? 'primary';
  const type = options.type ?? 'Interactions';
  const groupArn = await datasetGroup(world, options.group ?? alias, role);
  const schemaArn = await schemaFor(world, role, type);
  const client = world.client(role);
  const name = world.name(`${alias}-${type}`);
  const datasetArn = await createOnce(world, {
    what: `CreateDataset ${name}`, role,
    create: async () => (await client.send(sentOnce(new CreateDatasetCommand({ name, schemaArn, datasetGroupArn: groupArn, datasetType: type, tags: runTag(world) })))).datasetArn,
    find: () => findByName((nextToken) => client.send(new ListDatasetsCommand({ datasetGroupArn: groupArn, nextToken })).then((o) => ({ items: o.datasets, nextToken: o.nextToken })), (d) => d.name === name, (d) => d.datasetArn),
    remove: (arn) => client.send(new DeleteDatasetCommand({ datasetArn: arn })), tagged: true,
  });
  world.cleanups.push({
    what: `dataset ${name}`,
    run: async () => {
      await deleteWhenFree(world, `dataset ${name}`, () => client.send(new DeleteDatasetCommand({ datasetArn })));
      forgetJobsOf(role, datasetArn);
    },
  });
  await waitActive(world, `dataset ${name}`, async () => (await client.send(new DescribeDatasetCommand({ datasetArn }))).dataset?.status);
  const arranged: ArrangedDataset = { alias, arn: datasetArn, groupArn, role, type, jobs: [] };
  world.datasets.set(alias, arranged);
  return arranged;
}

/** Deletes an arranged dataset and waits until DescribeDataset no longer finds it. */
export async function deleteDatasetAndWait(world: Arranger, d: ArrangedDataset): Promise<void> {
  const client = world.client(d.role);
  await arranging(`deleting dataset "${d.alias}"`, async () => {
    await deleteWhenFree(world, `dataset "${d.alias}"`, () => client.send(new DeleteDatasetCommand({ datasetArn: d.arn })));
    await waitUntil(world, `dataset "${d.alias}" to be gone`, async () => {
      try {
        return (await client.send(new DescribeDatasetCommand({ datasetArn: d.arn }))).dataset?.status ?? 'gone';
      } catch (e) {
        if ((e as Error).name === 'ResourceNotFoundException') return 'gone';
        throw e;
      }
    }, (s) => s === 'gone', (s) => `status ${s}`);
    forgetJobsOf(d.role, d.arn);
  });
}

// ---- import jobs -----------------------------------------------------------------------------

export interface JobSpec {
  count: number;
  outcome?: 'succeeds' | 'fails';
  importMode?: 'FULL' | 'INCREMENTAL';
  /** false: the request leaves importMode out (the documented default is FULL). */
  sendImportMode?: boolean;
}

/**
 * Import jobs this process started and has not yet seen finished, per client (an account and a
 * region): the documented quota allows only so many PENDING or IN_PROGRESS at once.
 */
const unfinishedJobs = new Map<ClientRole, ArrangedJob[]>();

function unfinishedOf(role: ClientRole): ArrangedJob[] {
  let jobs = unfinishedJobs.get(role);
  if (!jobs) unfinishedJobs.set(role, (jobs = []));
  return jobs;
}

/** A job's status, or "gone" once its dataset has been deleted. */
async function statusOf(world: Arranger, job: ArrangedJob, role: ClientRole): Promise<string> {
  try {
    return (await describeJob(world, job.arn, role)).status ?? '';
  } catch (e) {
    if ((e as Error).name === 'ResourceNotFoundException') return 'gone';
    throw e;
  }
}

function noteStatus(role: ClientRole, job: ArrangedJob, status: string): void {
  if (status !== 'gone' && !terminalImportJobStatuses.includes(status)) return;
  const jobs = unfinishedOf(role);
  const at = jobs.findIndex((j) => j.arn === job.arn);
  if (at >= 0) jobs.splice(at, 1);
}

/** A dataset the service let us delete has no import in progress (it answers ResourceInUseException until then): nothing to ask about its jobs. */
function forgetJobsOf(role: ClientRole, datasetArn: string): void {
  const jobs = unfinishedOf(role);
  for (let i = jobs.length - 1; i >= 0; i--) if (jobs[i].datasetArn === datasetArn) jobs.splice(i, 1);
}

/** Describes this process's unfinished jobs, oldest first, until `room` more may start; forgets the finished. */
async function forgetFinishedJobs(world: Arranger, role: ClientRole, room: number): Promise<number> {
  const jobs = unfinishedOf(role);
  const limit = world.config.inProgressLimit;
  for (const job of [...jobs]) {
    if (jobs.length + room <= limit) break;
    noteStatus(role, job, await statusOf(world, job, role));
  }
  return jobs.length;
}

/** Waits (bounded) until `room` more import jobs may start under the in-progress limit. */
async function waitForFreeImportSlot(world: Arranger, role: ClientRole, room: number): Promise<void> {
  const limit = world.config.inProgressLimit;
  if (unfinishedOf(role).length + room <= limit) return;
  await arranging(`waiting for a free import slot (at most ${limit} import jobs in progress, CONFORMANCE_IN_PROGRESS_LIMIT)`, () =>
    waitUntil(world, `one of this run's import jobs to finish`, () => forgetFinishedJobs(world, role, room),
      (n) => n + room <= limit, (n) => `${n} still in progress`));
}

/** Datasets whose FULL import this process has seen ACTIVE. */
const fullImportActive = new Set<string>();

/**
 * "If you haven't imported bulk records into the dataset previously, you can only specify FULL"
 * (CreateDatasetImportJob, importMode): waits until a FULL import of the dataset is ACTIVE.
 */
async function awaitFullImport(world: Arranger, target: ArrangedDataset): Promise<void> {
  if (fullImportActive.has(target.arn)) return;
  const full = target.jobs.find((j) => j.importMode === 'FULL' && j.outcome === 'succeeds');
  if (!full) throw new Error(`Dataset "${target.alias}" has no FULL import for INCREMENTAL jobs to follow: arrange one first.`);
  const status = await arranging(`waiting for the FULL import ${full.name} before INCREMENTAL ones`, () =>
    waitUntil(world, `import job ${full.name} to finish`, () => statusOf(world, full, target.role),
      (s) => s === 'gone' || terminalImportJobStatuses.includes(s), (s) => `status ${s}`));
  noteStatus(target.role, full, status);
  if (status !== 'ACTIVE') throw new ArrangementFailed(`the FULL import ${full.name} ended ${status}, so dataset "${target.alias}" cannot take INCREMENTAL imports`);
  fullImportActive.add(target.arn);
}

/** The ARN a job of that name has in the dataset's account and region (the documented form), to look it up after trouble. */
const jobArnFor = (datasetArn: string, jobName: string) => datasetArn.replace(/:dataset\/.*$/, `:dataset-import-job/${jobName}`);

/**
 * Starts import jobs on an arranged dataset, each with the data file of the dataset's type, never
 * more at once than the in-progress limit (no waiting for them to finish otherwise: a job's status
 * is the service's business).
 */
export async function importJobs(world: Arranger, target: ArrangedDataset, spec: JobSpec): Promise<ArrangedJob[]> {
  const client: PersonalizeClient = world.client(target.role);
  const outcome = spec.outcome ?? 'succeeds';
  const importMode = spec.importMode ?? 'FULL';
  if (importMode === 'INCREMENTAL') await awaitFullImport(world, target);
  const dataLocation = outcome === 'fails' ? world.config.missingDataLocation : world.config.datasetTypes[target.type].dataLocation;
  const created: ArrangedJob[] = [];
  // Room for a batch first, so that a few jobs start together rather than one per finished job.
  await waitForFreeImportSlot(world, target.role, Math.min(spec.count, world.config.inProgressLimit));
  for (let i = 0; i < spec.count; i++) {
    await waitForFreeImportSlot(world, target.role, 1);
    const name = world.name(`${target.alias}-j${target.jobs.length + 1}`);
    const arn = await createOnce(world, {
      what: `CreateDatasetImportJob ${name}`, role: target.role,
      create: async () => (await client.send(sentOnce(new CreateDatasetImportJobCommand({
        jobName: name,
        datasetArn: target.arn,
        dataSource: { dataLocation },
        ...(spec.sendImportMode !== false && { importMode }),
        tags: runTag(world),
        ...(world.config.importRoleArn && { roleArn: world.config.importRoleArn }),
      })))).datasetImportJobArn,
      find: async () => {
        try {
          return (await describeJob(world, jobArnFor(target.arn, name), target.role)).datasetImportJobArn;
        } catch (e) {
          if ((e as Error).name === 'ResourceNotFoundException') return undefined;
          throw e;
        }
      },
    });
    const job: ArrangedJob = { arn, name, datasetArn: target.arn, outcome, importMode };
    runContext().accountJobs.created(1);
    target.jobs.push(job);
    unfinishedOf(target.role).push(job);
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
    const role = [...world.datasets.values()].find((d) => d.arn === job.datasetArn)?.role ?? 'primary';
    const status = await arranging(`waiting for import job ${job.name} to finish`, () =>
      waitUntil(world, `import job ${job.name} to finish`, () => statusOf(world, job, role),
        (s) => s === 'gone' || terminalImportJobStatuses.includes(s), (s) => `status ${s}`));
    noteStatus(role, job, status);
  }
}

// ---- until the jobs are listed ---------------------------------------------------------------

/** The ARNs a listing of the dataset shows, page after page (bounded; short pages are allowed). */
async function listedArns(world: Arranger, d: ArrangedDataset): Promise<Set<string>> {
  const seen = new Set<string>();
  const tokens = new Set<string>();
  let nextToken: string | undefined;
  for (let page = 0; page < d.jobs.length + 10; page++) {
    const out = await world.client(d.role).send(new ListDatasetImportJobsCommand({ datasetArn: d.arn, maxResults: limits.maxResults.max, nextToken }));
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
export async function watchUntilListed(world: Arranger, datasets: ArrangedDataset[]): Promise<ListedInTime> {
  const pending = datasets.filter((d) => d.jobs.length > 0);
  const started = Date.now();
  let polls = 0;
  if (world.config.listingWaitMs === 0) {
    polls++;
    for (const d of pending) {
      const listed = await listedArns(world, d);
      if (!d.jobs.every((j) => isListed(listed, j))) return { polls };
    }
    return { listedAfterMs: Date.now() - started, polls };
  }
  try {
    await wait(async () => {
      polls++;
      for (const d of [...pending]) {
        const listed = await listedArns(world, d);
        if (d.jobs.every((j) => isListed(listed, j))) pending.splice(pending.indexOf(d), 1);
      }
      return pending.length;
    }, (n) => n === 0, { what: 'the created jobs to be listed', timeoutMs: world.config.listingWaitMs, intervalMs: listingPollMs(world.config), signal: world.signal });
    return { listedAfterMs: Date.now() - started, polls };
  } catch (e) {
    if (e instanceof WaitTimeoutError) return { polls };
    throw e;
  }
}

/**
 * Control planes are commonly eventually consistent: a job just created may not be listed for a
 * moment. Waits (CONFORMANCE_LISTING_WAIT_MS; 0: not at all) until every job of the datasets is listed. A listing
 * that still misses some, or fails, is left for the When to meet and the Then to judge: this
 * wait arranges nothing and decides nothing (features/consistency.feature judges the lag).
 */
export async function waitUntilListed(world: Arranger, datasets: ArrangedDataset[]): Promise<void> {
  if (world.config.listingWaitMs === 0) return;
  await watchUntilListed(world, datasets).catch(() => undefined);
}

// ---- what a scenario asks for ------------------------------------------------------------------

export interface DatasetRequest {
  alias: string;
  jobs: JobSpec[];
  group?: string;
  type?: DatasetType;
  role?: ClientRole;
}

/** Datasets with their jobs, each created and listed (see waitUntilListed) before the scenario acts. */
export async function datasetsWithJobs(world: Arranger, requests: DatasetRequest[]): Promise<ArrangedDataset[]> {
  const arranged: ArrangedDataset[] = [];
  for (const r of requests) {
    const d = await dataset(world, r.alias, { group: r.group, type: r.type, role: r.role });
    for (const spec of r.jobs) if (spec.count > 0) await importJobs(world, d, spec);
    arranged.push(d);
  }
  await waitUntilListed(world, arranged);
  return arranged;
}

/** `count` jobs of which about a third fail (at least one): every end state in one dataset. */
export function someFailing(count: number): JobSpec[] {
  const failing = Math.max(1, Math.floor(count / 3));
  return [{ count: count - failing }, { count: failing, outcome: 'fails' }];
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
