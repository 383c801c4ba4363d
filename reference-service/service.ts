/**
 * The reference model of Amazon Personalize for ListDatasetImportJobs and the operations used to
 * arrange its data, in the manner of a service provider: one typed method per operation, state
 * per account and region. Transport-free: protocol.ts turns awsJson1_1 requests into calls here.
 * Requests reaching an operation have passed the request schema.
 *
 * The steps of a listing (page size, the jobs a filter selects, the cursor of the next page, the
 * summary of a job, reading a token, its scope) are methods of their own, so that the fault
 * catalog (faults/) can wrap them from outside; nothing here knows about faults.
 */
import { createHash } from 'node:crypto';
import type { Clock } from './clock';
import { alreadyExists, inUse, invalidInput, invalidNextToken, notFound, ServiceError } from './errors';
import type * as Op from './operations';
import type { Caller } from './operations';
import { LONG_TOKEN_LENGTH, type ServiceOptions } from './options';
import { OtherActor } from './other-actor';
import { SortedIndex, type SortKey } from './sorted-index';
import {
  lifecycleAt, orderKey, RegionStore,
  type DatasetGroupRecord, type DatasetRecord, type ImportJobRecord, type LifecycleState, type Lifecycled,
} from './store';
import { tokenCodec, type Cursor, type TokenCodec } from './tokens';

export type { Caller } from './operations';

/** The jobs a listing walks: an index in result order and which of its jobs it shows. */
export interface JobSelection {
  index: SortedIndex<ImportJobRecord>;
  /** The jobs of the index a page reads. */
  keep: (job: ImportJobRecord) => boolean;
  /** A filter applied to each page after it was read (option filterAfterPage): a page then shows fewer jobs than it read. */
  filterAfterPage?: (job: ImportJobRecord) => boolean;
}

/** One page of a listing, as read from its selection. */
export interface JobPage {
  /** The jobs the page shows. */
  items: ImportJobRecord[];
  /** The last job the page read, shown or not: the next page starts after it. */
  lastRead?: ImportJobRecord;
  /** Whether jobs of the selection remain after the page. */
  more: boolean;
  index: SortedIndex<ImportJobRecord>;
  /** The cursor the request's token carried (undefined on the first page). */
  start?: Cursor;
}

/** Data locations whose path contains this segment stand for objects that do not exist. */
const MISSING_OBJECT_SEGMENT = '/missing/';
const UNFINISHED = new Set(['CREATE PENDING', 'CREATE IN_PROGRESS']);
/** CreateDatasetImportJob reference, importMode. */
const FULL_FIRST = "If you haven't imported bulk records into the dataset previously, you can only specify FULL.";

/** Operation name → method; the operations that may create an account's or region's store. */
const OPERATIONS = {
  CreateSchema: 'createSchema', DescribeSchema: 'describeSchema', DeleteSchema: 'deleteSchema', ListSchemas: 'listSchemas',
  CreateDatasetGroup: 'createDatasetGroup', DescribeDatasetGroup: 'describeDatasetGroup', DeleteDatasetGroup: 'deleteDatasetGroup', ListDatasetGroups: 'listDatasetGroups',
  CreateDataset: 'createDataset', DescribeDataset: 'describeDataset', DeleteDataset: 'deleteDataset', ListDatasets: 'listDatasets',
  CreateDatasetImportJob: 'createDatasetImportJob', DescribeDatasetImportJob: 'describeDatasetImportJob', ListDatasetImportJobs: 'listDatasetImportJobs',
  ListTagsForResource: 'listTagsForResource',
} as const;

export type OperationName = keyof typeof OPERATIONS;

export class ReferenceService {
  private readonly stores = new Map<string, RegionStore>();
  private readonly tokens: TokenCodec;
  private readonly otherActor?: OtherActor;
  private seq = 0;

  constructor(readonly options: ServiceOptions, readonly clock: Clock) {
    this.tokens = tokenCodec(options.tokenFormat, options.tokenSecret, options.longTokens ? LONG_TOKEN_LENGTH : undefined);
    if (options.otherActorEvery) this.otherActor = new OtherActor(this, options.otherActorEvery);
  }

  has(operation: string): operation is OperationName {
    return Object.prototype.hasOwnProperty.call(OPERATIONS, operation);
  }

  /** Calls an operation by its name with an input that passed the request schema. */
  handle(operation: string, input: object, caller: Caller): object {
    if (!this.has(operation)) throw new ServiceError('UnknownOperationException', `Operation ${operation} is not supported.`);
    const existing = this.stores.get(storeKey(caller));
    if (existing) {
      this.purgeDeleted(existing);
      // Someone else works where the account has resources (option otherActorEvery).
      this.otherActor?.onRequest(caller);
    }
    // Each method takes its own operation's input, which the request schema checked: TypeScript cannot tie the name to it.
    return (this[OPERATIONS[operation]] as (input: object, caller: Caller) => object).call(this, input, caller);
  }

  /** Number of import jobs held, all accounts and regions (for benchmarks). */
  get importJobCount(): number {
    let n = 0;
    for (const s of this.stores.values()) n += s.importJobs.size;
    return n;
  }

  /** The stores of every account and region that has something (for inspection). */
  regionStores(): IterableIterator<RegionStore> {
    return this.stores.values();
  }

  /** Everything the service holds, as plain data (for tests that a rejected request changed nothing). */
  snapshot(): string {
    const stores = [...this.stores.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, s]) => ({
      key,
      schemas: [...s.schemas.values()],
      datasetGroups: [...s.datasetGroups.values()].map((g) => ({ ...g, datasets: [...g.datasets] })),
      datasets: [...s.datasets.values()].map((d) => ({ ...d, jobs: [...d.jobs].map((j) => j.arn) })),
      importJobs: [...s.allJobs],
    }));
    return JSON.stringify({ seq: this.seq, stores });
  }

  // ---- state ------------------------------------------------------------------------------

  /** The store of an account and region: an empty one, not kept, where nothing was created yet. */
  storeToRead(caller: Caller): RegionStore {
    return this.stores.get(storeKey(caller)) ?? this.newStore(caller);
  }

  /** Keeps a store from the moment something is created in it. */
  private keep(store: RegionStore): void {
    const key = storeKey(store);
    if (!this.stores.has(key)) this.stores.set(key, store);
  }

  private newStore({ accountId, region }: Caller): RegionStore {
    return new RegionStore(accountId, region, orderKey(this.options.order));
  }

  private now(): number {
    return this.clock.now();
  }

  lifecycleOf(r: Lifecycled): LifecycleState {
    return lifecycleAt(r, this.now(), this.options.lifecycle);
  }

  private isGone(r: Lifecycled): boolean {
    return r.deletedAt !== undefined && this.now() >= r.deletedAt + this.options.lifecycle.deletingMs;
  }

  private purgeDeleted(store: RegionStore): void {
    if (store.pendingDeletions === 0) return;
    for (const [arn, ds] of store.datasets) {
      if (!this.isGone(ds)) continue;
      store.datasets.delete(arn);
      store.pendingDeletions--;
      store.datasetGroups.get(ds.groupArn)?.datasets.delete(arn);
      for (const job of ds.jobs) {
        store.importJobs.delete(job.arn);
        store.allJobs.remove(job);
      }
    }
    for (const [arn, group] of store.datasetGroups) {
      if (!this.isGone(group)) continue;
      store.datasetGroups.delete(arn);
      store.pendingDeletions--;
    }
  }

  /** Epoch seconds, whole or fractional as the options choose. */
  private timestamp(ms: number): Op.Timestamp {
    return this.options.timestampStyle === 'fractional-seconds' ? ms / 1000 : Math.floor(ms / 1000);
  }

  private datasetGroup(store: RegionStore, arn: string): DatasetGroupRecord {
    const g = store.datasetGroups.get(arn);
    if (!g) throw notFound(arn);
    return g;
  }

  private dataset(store: RegionStore, arn: string): DatasetRecord {
    const d = store.datasets.get(arn);
    if (!d) throw notFound(arn);
    return d;
  }

  // ---- tags --------------------------------------------------------------------------------

  /** The tags a resource was created with (schemas carry none); npm run cleanup reads them. */
  listTagsForResource(i: Op.ListTagsForResourceInput, caller: Caller): Op.ListTagsForResourceOutput {
    const store = this.storeToRead(caller);
    if (store.schemas.has(i.resourceArn)) return { tags: [] };
    const tagged = store.datasetGroups.get(i.resourceArn) ?? store.datasets.get(i.resourceArn) ?? store.importJobs.get(i.resourceArn);
    if (!tagged) throw notFound(i.resourceArn);
    return { tags: tagged.tags };
  }

  // ---- schemas ---------------------------------------------------------------------------

  createSchema(i: Op.CreateSchemaInput, caller: Caller): Op.CreateSchemaOutput {
    const store = this.storeToRead(caller);
    const arn = store.arn('schema', i.name);
    if (store.schemas.has(arn)) throw alreadyExists(arn);
    try {
      JSON.parse(i.schema);
    } catch {
      throw invalidInput('schema is not a valid Avro schema in JSON.');
    }
    this.keep(store);
    store.schemas.set(arn, { arn, name: i.name, schema: i.schema, domain: i.domain, createdAt: this.now() });
    return { schemaArn: arn };
  }

  describeSchema(i: Op.DescribeSchemaInput, caller: Caller): Op.DescribeSchemaOutput {
    const s = this.storeToRead(caller).schemas.get(i.schemaArn);
    if (!s) throw notFound(i.schemaArn);
    return {
      schema: {
        name: s.name, schemaArn: s.arn, schema: s.schema, domain: s.domain,
        creationDateTime: this.timestamp(s.createdAt), lastUpdatedDateTime: this.timestamp(s.createdAt),
      },
    };
  }

  deleteSchema(i: Op.DeleteSchemaInput, caller: Caller): Op.EmptyOutput {
    const store = this.storeToRead(caller);
    if (!store.schemas.has(i.schemaArn)) throw notFound(i.schemaArn);
    for (const d of store.datasets.values()) {
      if (d.schemaArn === i.schemaArn) throw inUse(`Schema ${i.schemaArn} is used by dataset ${d.arn}.`);
    }
    store.schemas.delete(i.schemaArn);
    return {};
  }

  listSchemas(i: Op.ListSchemasInput, caller: Caller): Op.ListSchemasOutput {
    const { items, nextToken } = this.pageOfSmallList('ListSchemas', [...this.storeToRead(caller).schemas.values()], i, caller, undefined);
    return {
      schemas: items.map((s) => ({
        name: s.name, schemaArn: s.arn, domain: s.domain,
        creationDateTime: this.timestamp(s.createdAt), lastUpdatedDateTime: this.timestamp(s.createdAt),
      })),
      nextToken,
    };
  }

  // ---- dataset groups ----------------------------------------------------------------------

  createDatasetGroup(i: Op.CreateDatasetGroupInput, caller: Caller): Op.CreateDatasetGroupOutput {
    const store = this.storeToRead(caller);
    const arn = store.arn('dataset-group', i.name);
    if (store.datasetGroups.has(arn)) throw alreadyExists(arn);
    this.keep(store);
    store.datasetGroups.set(arn, {
      arn, name: i.name, roleArn: i.roleArn, kmsKeyArn: i.kmsKeyArn, domain: i.domain,
      createdAt: this.now(), outcome: 'ACTIVE', datasets: new Set(), tags: i.tags ?? [],
    });
    return { datasetGroupArn: arn, ...(i.domain && { domain: i.domain }) };
  }

  describeDatasetGroup(i: Op.DescribeDatasetGroupInput, caller: Caller): Op.DescribeDatasetGroupOutput {
    return { datasetGroup: this.datasetGroupView(this.datasetGroup(this.storeToRead(caller), i.datasetGroupArn)) };
  }

  private datasetGroupView(g: DatasetGroupRecord): Op.DatasetGroupView {
    const life = this.lifecycleOf(g);
    return {
      name: g.name, datasetGroupArn: g.arn, status: life.status, roleArn: g.roleArn, kmsKeyArn: g.kmsKeyArn,
      domain: g.domain, creationDateTime: this.timestamp(g.createdAt), lastUpdatedDateTime: this.timestamp(life.lastUpdatedAt),
    };
  }

  deleteDatasetGroup(i: Op.DeleteDatasetGroupInput, caller: Caller): Op.EmptyOutput {
    const store = this.storeToRead(caller);
    const g = this.datasetGroup(store, i.datasetGroupArn);
    if (g.datasets.size > 0) throw inUse(`Dataset group ${g.arn} still has datasets; delete them first.`);
    if (g.deletedAt === undefined) {
      g.deletedAt = this.now();
      store.pendingDeletions++;
    }
    return {};
  }

  listDatasetGroups(i: Op.ListDatasetGroupsInput, caller: Caller): Op.ListDatasetGroupsOutput {
    const { items, nextToken } = this.pageOfSmallList('ListDatasetGroups', [...this.storeToRead(caller).datasetGroups.values()], i, caller, undefined);
    return {
      datasetGroups: items.map((g) => {
        const { name, datasetGroupArn, status, creationDateTime, lastUpdatedDateTime, domain } = this.datasetGroupView(g);
        return { name, datasetGroupArn, status, creationDateTime, lastUpdatedDateTime, domain };
      }),
      nextToken,
    };
  }

  // ---- datasets ----------------------------------------------------------------------------

  createDataset(i: Op.CreateDatasetInput, caller: Caller): Op.CreateDatasetOutput {
    const store = this.storeToRead(caller);
    const group = this.datasetGroup(store, i.datasetGroupArn);
    if (!store.schemas.has(i.schemaArn)) throw notFound(i.schemaArn);
    const status = this.lifecycleOf(group).status;
    // Stryker disable next-line StringLiteral: messages are free text (the contract asks for a message, not its words)
    if (status !== 'ACTIVE') throw inUse(`Dataset group ${group.arn} is ${status}; wait until it is ACTIVE.`);
    const arn = store.arn('dataset', `${group.name}/${String(i.datasetType).toUpperCase()}`);
    if (store.datasets.has(arn)) throw alreadyExists(arn);
    this.keep(store);
    store.datasets.set(arn, {
      arn, name: i.name, groupArn: group.arn, datasetType: i.datasetType, schemaArn: i.schemaArn,
      createdAt: this.now(), outcome: 'ACTIVE', jobs: new SortedIndex(store.jobKey), tags: i.tags ?? [],
    });
    group.datasets.add(arn);
    return { datasetArn: arn };
  }

  describeDataset(i: Op.DescribeDatasetInput, caller: Caller): Op.DescribeDatasetOutput {
    return { dataset: this.datasetView(this.dataset(this.storeToRead(caller), i.datasetArn)) };
  }

  private datasetView(d: DatasetRecord): Op.DatasetView {
    const life = this.lifecycleOf(d);
    return {
      name: d.name, datasetArn: d.arn, datasetGroupArn: d.groupArn, datasetType: d.datasetType, schemaArn: d.schemaArn,
      status: life.status, creationDateTime: this.timestamp(d.createdAt), lastUpdatedDateTime: this.timestamp(life.lastUpdatedAt),
    };
  }

  deleteDataset(i: Op.DeleteDatasetInput, caller: Caller): Op.EmptyOutput {
    const store = this.storeToRead(caller);
    const d = this.dataset(store, i.datasetArn);
    for (const job of d.jobs) {
      if (UNFINISHED.has(this.lifecycleOf(job).status)) throw inUse(`Dataset ${d.arn} has an import job in progress (${job.arn}).`);
    }
    if (d.deletedAt === undefined) {
      d.deletedAt = this.now();
      store.pendingDeletions++;
    }
    return {};
  }

  listDatasets(i: Op.ListDatasetsInput, caller: Caller): Op.ListDatasetsOutput {
    const all = [...this.storeToRead(caller).datasets.values()].filter((d) => !i.datasetGroupArn || d.groupArn === i.datasetGroupArn);
    const { items, nextToken } = this.pageOfSmallList('ListDatasets', all, i, caller, i.datasetGroupArn);
    return {
      datasets: items.map((d) => {
        const { name, datasetArn, datasetType, status, creationDateTime, lastUpdatedDateTime } = this.datasetView(d);
        return { name, datasetArn, datasetType, status, creationDateTime, lastUpdatedDateTime };
      }),
      nextToken,
    };
  }

  // ---- dataset import jobs -------------------------------------------------------------------

  createDatasetImportJob(i: Op.CreateDatasetImportJobInput, caller: Caller): Op.CreateDatasetImportJobOutput {
    const store = this.storeToRead(caller);
    const dataset = this.dataset(store, i.datasetArn);
    const status = this.lifecycleOf(dataset).status;
    // Stryker disable next-line StringLiteral: messages are free text (the contract asks for a message, not its words)
    const notActive = `Dataset ${dataset.arn} is ${status}; wait until it is ACTIVE.`;
    if (status !== 'ACTIVE') throw inUse(notActive);
    const arn = store.arn('dataset-import-job', i.jobName);
    if (store.importJobs.has(arn)) throw alreadyExists(arn);
    const dataLocation = i.dataSource?.dataLocation ?? '';
    // Stryker disable next-line StringLiteral: messages are free text (the contract asks for a message, not its words)
    if (!dataLocation) throw invalidInput('dataSource.dataLocation is required.');
    const importMode = i.importMode ?? 'FULL';
    if (importMode === 'INCREMENTAL' && this.options.fullBeforeIncremental && !this.hasActiveFullImport(dataset)) throw invalidInput(FULL_FIRST);
    this.checkInProgressLimit(store);

    const missing = dataLocation.includes(MISSING_OBJECT_SEGMENT);
    const job: ImportJobRecord = {
      seq: ++this.seq, arn, name: i.jobName, datasetArn: dataset.arn, dataLocation, roleArn: i.roleArn,
      importMode, publishAttributionMetricsToS3: i.publishAttributionMetricsToS3,
      createdAt: this.now(), outcome: missing ? 'CREATE FAILED' : 'ACTIVE',
      failureReason: missing ? `Input data does not exist at ${dataLocation}.` : undefined,
      tags: i.tags ?? [],
    };
    this.keep(store);
    store.importJobs.set(arn, job);
    store.allJobs.insert(job);
    store.unfinishedJobs.push(job);
    dataset.jobs.insert(job);
    if (importMode === 'FULL' && !missing) {
      const activeAt = job.createdAt + this.options.lifecycle.pendingMs + this.options.lifecycle.inProgressMs;
      dataset.fullActiveAt = Math.min(dataset.fullActiveAt ?? activeAt, activeAt);
    }
    return { datasetImportJobArn: arn };
  }

  private hasActiveFullImport(dataset: DatasetRecord): boolean {
    return dataset.fullActiveAt !== undefined && this.now() >= dataset.fullActiveAt;
  }

  /** At most `inProgressLimit` jobs CREATE PENDING or CREATE IN_PROGRESS (developer guide, limits.md). */
  private checkInProgressLimit(store: RegionStore): void {
    const unfinished = store.unfinishedJobs;
    while (unfinished.length && !UNFINISHED.has(this.lifecycleOf(unfinished[0]).status)) unfinished.shift();
    const limit = this.options.inProgressLimit;
    // Stryker disable next-line StringLiteral: messages are free text (the contract asks for a message, not its words)
    const message = `More than ${limit} resources with PENDING or IN_PROGRESS status.`;
    if (limit > 0 && unfinished.length >= limit) throw new ServiceError('LimitExceededException', message);
  }

  describeDatasetImportJob(i: Op.DescribeDatasetImportJobInput, caller: Caller): Op.DescribeDatasetImportJobOutput {
    const j = this.storeToRead(caller).importJobs.get(i.datasetImportJobArn);
    if (!j) throw notFound(i.datasetImportJobArn);
    const life = this.lifecycleOf(j);
    return {
      datasetImportJob: {
        jobName: j.name, datasetImportJobArn: j.arn, datasetArn: j.datasetArn, dataSource: { dataLocation: j.dataLocation },
        roleArn: j.roleArn, status: life.status, creationDateTime: this.timestamp(j.createdAt),
        lastUpdatedDateTime: this.timestamp(life.lastUpdatedAt), failureReason: life.failureReason,
        importMode: j.importMode, publishAttributionMetricsToS3: j.publishAttributionMetricsToS3,
      },
    };
  }

  listDatasetImportJobs(i: Op.ListDatasetImportJobsInput, caller: Caller): Op.ListDatasetImportJobsOutput {
    const store = this.storeToRead(caller);
    const size = this.pageSize(i.maxResults);
    const filter = i.datasetArn || undefined;
    const selection = this.jobSelection(store, filter);
    const scope = this.scopeOf('ListDatasetImportJobs', caller, filter);
    const start = this.readToken(i.nextToken, scope);
    const page = this.pageOfJobs(selection, start, size);
    const next = this.nextCursor(page);
    return {
      datasetImportJobs: page.items.map((j) => this.importJobSummary(j)),
      nextToken: next ? this.tokens.issue({ ...next, scope }) : this.lastPageToken(),
    };
  }

  /** The page size a request asks for (its range was checked against the request schema). */
  pageSize(maxResults: number | undefined): number {
    return maxResults ?? this.options.defaultPageSize;
  }

  /**
   * The jobs a listing shows: the dataset's when it names one (none for an unknown dataset), else
   * the account's in the region. With filterAfterPage, a dataset's jobs are read as pages of the
   * account's, each filtered after it was read.
   */
  jobSelection(store: RegionStore, datasetArn: string | undefined): JobSelection {
    const keep = (j: ImportJobRecord) => this.listable(j);
    if (datasetArn === undefined) return { index: store.allJobs, keep };
    const dataset = store.datasets.get(datasetArn);
    if (!dataset) {
      // Stryker disable next-line StringLiteral: messages are free text (the contract asks for a message, not its words)
      const unknown = `Dataset ${datasetArn} does not exist.`;
      if (this.options.unknownDataset === 'invalid-input') throw invalidInput(unknown);
    }
    if (this.options.filterAfterPage) return { index: store.allJobs, keep, filterAfterPage: (j) => j.datasetArn === datasetArn };
    return { index: dataset?.jobs ?? new SortedIndex(store.jobKey), keep };
  }

  /** A job is listed once the listing lag after its creation has passed. */
  private listable(j: ImportJobRecord): boolean {
    return this.now() >= j.createdAt + this.options.listingLagMs;
  }

  /** A page of the selection after the token's cursor: whole pages, or short ones when the options say so. */
  private pageOfJobs(selection: JobSelection, start: Cursor | undefined, size: number): JobPage {
    const pageNumber = start?.page ?? 0;
    const limit = !this.options.shortPages ? size : pageNumber === 1 ? 0 : Math.max(1, Math.floor(size / 2));
    const { items: read, more } = selection.index.page(start?.key, limit, selection.keep);
    const items = selection.filterAfterPage ? read.filter(selection.filterAfterPage) : read;
    return { items, lastRead: read.at(-1), more, index: selection.index, start };
  }

  /** Where the next page starts, or undefined on the last page. */
  nextCursor(page: JobPage): Omit<Cursor, 'scope'> | undefined {
    if (!page.more) return undefined;
    const key: SortKey = page.lastRead ? page.index.keyFor(page.lastRead) : page.start?.key ?? [];
    return { key, ...(this.options.shortPages && { page: (page.start?.page ?? 0) + 1 }) };
  }

  /** The state of a job that a listing shows: the index it reads trails the job's table by statusLagMs. */
  listedLifecycleOf(j: ImportJobRecord): LifecycleState {
    return lifecycleAt(j, this.now() - this.options.statusLagMs, this.options.lifecycle);
  }

  importJobSummary(j: ImportJobRecord): Op.DatasetImportJobSummary {
    const life = this.listedLifecycleOf(j);
    return {
      datasetImportJobArn: j.arn,
      jobName: j.name,
      status: life.status,
      creationDateTime: this.timestamp(j.createdAt),
      lastUpdatedDateTime: this.timestamp(life.lastUpdatedAt),
      failureReason: life.failureReason,
      importMode: j.importMode,
      ...(this.options.extraSummaryFields && { ingestedRecordCount: 1000, dataLocationKind: 'S3' }),
    };
  }

  /** What the last page carries in place of a token (absent, or an empty string). */
  private lastPageToken(): string | undefined {
    return this.options.lastPageToken === 'empty' ? '' : undefined;
  }

  /** Paging for the small lists the arranging steps use (schemas, dataset groups, datasets). */
  private pageOfSmallList<T extends { arn: string }>(operation: string, all: T[], i: Op.PageInput, caller: Caller, filter: string | undefined): { items: T[]; nextToken?: string } {
    const scope = this.scopeOf(operation, caller, filter);
    const sorted = all.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
    const after = this.readToken(i.nextToken, scope)?.key[0];
    const rest = after === undefined ? sorted : sorted.filter((r) => r.arn > String(after));
    const size = i.maxResults ?? this.options.defaultPageSize;
    const items = rest.slice(0, size);
    const nextToken = rest.length > size ? this.tokens.issue({ scope, key: [items[items.length - 1].arn] }) : this.lastPageToken();
    return { items, nextToken };
  }

  /** What a token is bound to: operation, account, region, filter (undefined: none) and result order. */
  scopeOf(operation: string, caller: Caller, filter: string | undefined): string {
    return createHash('sha256').update(JSON.stringify([operation, caller.accountId, caller.region, filter ?? null, this.options.order])).digest('base64url').slice(0, 16);
  }

  /** The cursor of a token issued here for this scope; InvalidNextTokenException for any other. */
  readToken(token: string | undefined, scope: string): Cursor | undefined {
    if (token === undefined || token === '') return undefined;
    const cursor = this.tokens.read(token);
    // Stryker disable next-line StringLiteral: messages are free text (the contract asks for a message, not its words)
    if (cursor.scope !== scope) throw invalidNextToken('The token was issued for a different request.');
    return cursor;
  }

  /** Issues a token (for the fault catalog's replacement listings). */
  issueToken(cursor: Cursor): string {
    return this.tokens.issue(cursor);
  }
}

function storeKey({ accountId, region }: Caller): string {
  return `${accountId}/${region}`;
}
