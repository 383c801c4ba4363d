/**
 * The reference model of Amazon Personalize for ListDatasetImportJobs and the operations used to
 * arrange its data. Transport-free: the in-process mock (nock) and the HTTP emulator both call
 * `handle` through protocol.ts. Requests reaching `handle` have passed the request schema.
 */
import { createHash } from 'node:crypto';
import type { Clock } from './clock';
import { alreadyExists, inUse, invalidInput, invalidNextToken, notFound, ServiceError } from './errors';
import type { FaultName } from './faults';
import type { ServiceOptions } from './options';
import { SortedIndex, type SortKey } from './sorted-index';
import {
  lifecycleAt, orderKey, RegionStore,
  type DatasetGroupRecord, type DatasetRecord, type ImportJobRecord, type Lifecycled,
} from './store';
import { tokenCodec, type TokenCodec } from './tokens';

export interface Caller {
  accountId: string;
  region: string;
}

type Input = Record<string, any>;
type Output = Record<string, unknown>;

/** The members of a view that a summary carries. */
const pick = (o: Output, keys: string[]): Output => Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));

/** Data locations whose path contains this segment stand for objects that do not exist. */
const MISSING_OBJECT_SEGMENT = '/missing/';

export class ReferenceService {
  private readonly stores = new Map<string, RegionStore>();
  private readonly tokens: TokenCodec;
  private seq = 0;

  constructor(readonly options: ServiceOptions, readonly clock: Clock) {
    this.tokens = tokenCodec(options.tokenFormat, options.tokenSecret);
  }

  readonly operations: Record<string, (input: Input, store: RegionStore, caller: Caller) => Output> = {
    CreateSchema: (i, s) => this.createSchema(i, s),
    DescribeSchema: (i, s) => this.describeSchema(i, s),
    DeleteSchema: (i, s) => this.deleteSchema(i, s),
    ListSchemas: (i, s, c) => this.listSchemas(i, s, c),
    CreateDatasetGroup: (i, s) => this.createDatasetGroup(i, s),
    DescribeDatasetGroup: (i, s) => ({ datasetGroup: this.datasetGroupView(this.datasetGroup(s, i.datasetGroupArn)) }),
    DeleteDatasetGroup: (i, s) => this.deleteDatasetGroup(i, s),
    ListDatasetGroups: (i, s, c) => this.listDatasetGroups(i, s, c),
    CreateDataset: (i, s) => this.createDataset(i, s),
    DescribeDataset: (i, s) => ({ dataset: this.datasetView(this.dataset(s, i.datasetArn)) }),
    DeleteDataset: (i, s) => this.deleteDataset(i, s),
    ListDatasets: (i, s, c) => this.listDatasets(i, s, c),
    CreateDatasetImportJob: (i, s) => this.createDatasetImportJob(i, s),
    DescribeDatasetImportJob: (i, s) => ({ datasetImportJob: this.importJobView(this.importJob(s, i.datasetImportJobArn)) }),
    ListDatasetImportJobs: (i, s, c) => this.listDatasetImportJobs(i, s, c),
    ListTagsForResource: (i, s) => this.listTagsForResource(i, s),
  };

  has(operation: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.operations, operation);
  }

  handle(operation: string, input: Input, caller: Caller): Output {
    const op = this.operations[operation];
    if (!op) throw new ServiceError('UnknownOperationException', `Operation ${operation} is not supported.`);
    const store = this.store(caller);
    this.purgeDeleted(store);
    return op(input, store, caller);
  }

  fault(name: FaultName): boolean {
    return this.options.faults.has(name);
  }

  /** Number of import jobs held, all accounts and regions (for benchmarks). */
  get importJobCount(): number {
    let n = 0;
    for (const s of this.stores.values()) n += s.importJobs.size;
    return n;
  }

  /** Everything the service holds, as plain data (for tests that a rejected request changed nothing); an empty store is nothing. */
  snapshot(): string {
    const stores = [...this.stores.entries()].filter(([, s]) => s.schemas.size || s.datasetGroups.size).sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, s]) => ({
      key,
      schemas: [...s.schemas.values()],
      datasetGroups: [...s.datasetGroups.values()].map((g) => ({ ...g, datasets: [...g.datasets] })),
      datasets: [...s.datasets.values()].map((d) => ({ ...d, jobs: [...d.jobs].map((j) => j.arn) })),
      importJobs: [...s.allJobs],
    }));
    return JSON.stringify({ seq: this.seq, stores });
  }

  // ---- resources -------------------------------------------------------------------------

  private store({ accountId, region }: Caller): RegionStore {
    const key = `${accountId}/${region}`;
    let store = this.stores.get(key);
    if (!store) {
      store = new RegionStore(accountId, region, orderKey(this.options.order));
      this.stores.set(key, store);
    }
    return store;
  }

  private now(): number {
    return this.clock.now();
  }

  private lifecycle(r: Lifecycled) {
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

  private timestamp(ms: number): number | string {
    if (this.fault('iso-timestamps')) return new Date(ms).toISOString();
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

  private importJob(store: RegionStore, arn: string): ImportJobRecord {
    const j = store.importJobs.get(arn);
    if (!j) throw notFound(arn);
    return j;
  }

  /** The tags a resource was created with (schemas carry none); npm run cleanup reads them. */
  private listTagsForResource(i: Input, store: RegionStore): Output {
    const arn = i.resourceArn as string;
    if (store.schemas.has(arn)) return { tags: [] };
    const tagged = store.datasetGroups.get(arn) ?? store.datasets.get(arn) ?? store.importJobs.get(arn);
    if (!tagged) throw notFound(arn);
    return { tags: tagged.tags };
  }

  // ---- schemas ---------------------------------------------------------------------------

  private createSchema(i: Input, store: RegionStore): Output {
    const arn = store.arn('schema', i.name);
    if (store.schemas.has(arn)) throw alreadyExists(arn);
    try {
      JSON.parse(i.schema);
    } catch {
      throw invalidInput('schema is not a valid Avro schema in JSON.');
    }
    store.schemas.set(arn, { arn, name: i.name, schema: i.schema, domain: i.domain, createdAt: this.now() });
    return { schemaArn: arn };
  }

  private describeSchema(i: Input, store: RegionStore): Output {
    const s = store.schemas.get(i.schemaArn);
    if (!s) throw notFound(i.schemaArn);
    return {
      schema: {
        name: s.name, schemaArn: s.arn, schema: s.schema, domain: s.domain,
        creationDateTime: this.timestamp(s.createdAt), lastUpdatedDateTime: this.timestamp(s.createdAt),
      },
    };
  }

  private deleteSchema(i: Input, store: RegionStore): Output {
    if (!store.schemas.has(i.schemaArn)) throw notFound(i.schemaArn);
    for (const d of store.datasets.values()) {
      if (d.schemaArn === i.schemaArn) throw inUse(`Schema ${i.schemaArn} is used by dataset ${d.arn}.`);
    }
    store.schemas.delete(i.schemaArn);
    return {};
  }

  private listSchemas(i: Input, store: RegionStore, caller: Caller): Output {
    return this.smallListing('ListSchemas', 'schemas', [...store.schemas.values()], i, caller, (s) => ({
      name: s.name, schemaArn: s.arn, domain: s.domain,
      creationDateTime: this.timestamp(s.createdAt), lastUpdatedDateTime: this.timestamp(s.createdAt),
    }));
  }

  // ---- dataset groups ----------------------------------------------------------------------

  private createDatasetGroup(i: Input, store: RegionStore): Output {
    const arn = store.arn('dataset-group', i.name);
    if (store.datasetGroups.has(arn)) throw alreadyExists(arn);
    store.datasetGroups.set(arn, {
      arn, name: i.name, roleArn: i.roleArn, kmsKeyArn: i.kmsKeyArn, domain: i.domain,
      createdAt: this.now(), outcome: 'ACTIVE', datasets: new Set(), tags: i.tags ?? [],
    });
    return { datasetGroupArn: arn, ...(i.domain && { domain: i.domain }) };
  }

  private datasetGroupView(g: DatasetGroupRecord): Output {
    const life = this.lifecycle(g);
    return {
      name: g.name, datasetGroupArn: g.arn, status: life.status, roleArn: g.roleArn, kmsKeyArn: g.kmsKeyArn,
      domain: g.domain, creationDateTime: this.timestamp(g.createdAt), lastUpdatedDateTime: this.timestamp(life.lastUpdatedAt),
    };
  }

  private deleteDatasetGroup(i: Input, store: RegionStore): Output {
    const g = this.datasetGroup(store, i.datasetGroupArn);
    if (g.datasets.size > 0) throw inUse(`Dataset group ${g.arn} still has datasets; delete them first.`);
    if (g.deletedAt === undefined) {
      g.deletedAt = this.now();
      store.pendingDeletions++;
    }
    return {};
  }

  private listDatasetGroups(i: Input, store: RegionStore, caller: Caller): Output {
    return this.smallListing('ListDatasetGroups', 'datasetGroups', [...store.datasetGroups.values()], i, caller, (g) =>
      pick(this.datasetGroupView(g), ['name', 'datasetGroupArn', 'status', 'creationDateTime', 'lastUpdatedDateTime', 'domain']));
  }

  // ---- datasets ----------------------------------------------------------------------------

  private createDataset(i: Input, store: RegionStore): Output {
    const group = this.datasetGroup(store, i.datasetGroupArn);
    if (!store.schemas.has(i.schemaArn)) throw notFound(i.schemaArn);
    const status = this.lifecycle(group).status;
    if (status !== 'ACTIVE') throw inUse(`Dataset group ${group.arn} is ${status}; wait until it is ACTIVE.`);
    const arn = store.arn('dataset', `${group.name}/${String(i.datasetType).toUpperCase()}`);
    if (store.datasets.has(arn)) throw alreadyExists(arn);
    store.datasets.set(arn, {
      arn, name: i.name, groupArn: group.arn, datasetType: i.datasetType, schemaArn: i.schemaArn,
      createdAt: this.now(), outcome: 'ACTIVE', jobs: new SortedIndex(store.jobKey), tags: i.tags ?? [],
    });
    group.datasets.add(arn);
    return { datasetArn: arn };
  }

  private datasetView(d: DatasetRecord): Output {
    const life = this.lifecycle(d);
    return {
      name: d.name, datasetArn: d.arn, datasetGroupArn: d.groupArn, datasetType: d.datasetType, schemaArn: d.schemaArn,
      status: life.status, creationDateTime: this.timestamp(d.createdAt), lastUpdatedDateTime: this.timestamp(life.lastUpdatedAt),
    };
  }

  private deleteDataset(i: Input, store: RegionStore): Output {
    const d = this.dataset(store, i.datasetArn);
    for (const job of d.jobs) {
      const status = this.lifecycle(job).status;
      if (status === 'CREATE PENDING' || status === 'CREATE IN_PROGRESS') {
        throw inUse(`Dataset ${d.arn} has an import job in progress (${job.arn}).`);
      }
    }
    if (d.deletedAt === undefined) {
      d.deletedAt = this.now();
      store.pendingDeletions++;
    }
    return {};
  }

  private listDatasets(i: Input, store: RegionStore, caller: Caller): Output {
    const all = [...store.datasets.values()].filter((d) => !i.datasetGroupArn || d.groupArn === i.datasetGroupArn);
    return this.smallListing('ListDatasets', 'datasets', all, i, caller, (d) =>
      pick(this.datasetView(d), ['name', 'datasetArn', 'datasetType', 'status', 'creationDateTime', 'lastUpdatedDateTime']));
  }

  // ---- dataset import jobs -------------------------------------------------------------------

  private createDatasetImportJob(i: Input, store: RegionStore): Output {
    const dataset = this.dataset(store, i.datasetArn);
    const status = this.lifecycle(dataset).status;
    if (status !== 'ACTIVE') throw inUse(`Dataset ${dataset.arn} is ${status}; wait until it is ACTIVE.`);
    const arn = store.arn('dataset-import-job', i.jobName);
    if (store.importJobs.has(arn)) throw alreadyExists(arn);
    const dataLocation: string = i.dataSource?.dataLocation ?? '';
    if (!dataLocation) throw invalidInput('dataSource.dataLocation is required.');
    const missing = dataLocation.includes(MISSING_OBJECT_SEGMENT);
    const job: ImportJobRecord = {
      seq: ++this.seq, arn, name: i.jobName, datasetArn: dataset.arn, dataLocation, roleArn: i.roleArn,
      importMode: i.importMode ?? 'FULL', publishAttributionMetricsToS3: i.publishAttributionMetricsToS3,
      createdAt: this.now(), outcome: missing ? 'CREATE FAILED' : 'ACTIVE',
      failureReason: missing ? `Input data does not exist at ${dataLocation}.` : undefined,
      tags: i.tags ?? [],
    };
    store.importJobs.set(arn, job);
    store.allJobs.insert(job);
    dataset.jobs.insert(job);
    return { datasetImportJobArn: arn };
  }

  private importJobView(j: ImportJobRecord): Output {
    const life = this.lifecycle(j);
    return {
      jobName: j.name, datasetImportJobArn: j.arn, datasetArn: j.datasetArn, dataSource: { dataLocation: j.dataLocation },
      roleArn: j.roleArn, status: life.status, creationDateTime: this.timestamp(j.createdAt),
      lastUpdatedDateTime: this.timestamp(life.lastUpdatedAt), failureReason: life.failureReason,
      importMode: j.importMode, publishAttributionMetricsToS3: j.publishAttributionMetricsToS3,
    };
  }

  private importJobSummary(j: ImportJobRecord): Output {
    const life = this.lifecycle(j);
    let status = life.status;
    if (status === 'ACTIVE' && this.fault('undocumented-status')) status = 'COMPLETED';
    let failureReason = life.failureReason;
    if (this.fault('failed-without-reason')) failureReason = undefined;
    if (status === 'ACTIVE' && this.fault('reason-on-active-jobs')) failureReason = 'None';
    const createdAt = this.fault('summary-creation-time-differs') ? j.createdAt + 1000 : j.createdAt;
    const lastUpdatedAt = this.fault('last-updated-before-creation') ? j.createdAt - 60_000 : life.lastUpdatedAt;
    const arn = this.fault('wrong-arn-resource-type') ? j.arn.replace(':dataset-import-job/', ':import-job/') : j.arn;
    return {
      datasetImportJobArn: arn,
      jobName: j.name,
      status,
      creationDateTime: this.timestamp(createdAt),
      lastUpdatedDateTime: this.timestamp(lastUpdatedAt),
      ...(failureReason !== undefined && { failureReason }),
      importMode: this.fault('summary-import-mode-always-full') ? 'FULL' : j.importMode,
      ...(this.options.extraSummaryFields && { ingestedRecordCount: 1000, dataLocationKind: 'S3' }),
    };
  }

  private listDatasetImportJobs(i: Input, store: RegionStore, caller: Caller): Output {
    const size = this.pageSizeOf(i.maxResults);
    const filter: string | undefined = i.datasetArn || undefined;
    let index: SortedIndex<ImportJobRecord> = store.allJobs;
    let keep = (j: ImportJobRecord) => this.listable(j);

    if (filter !== undefined) {
      const dataset = store.datasets.get(filter);
      if (this.fault('prefix-matches-dataset-filter')) {
        const groupPath = filter.replace(/\/[^/]*\/[^/]*$/, '');
        keep = (j) => j.datasetArn.startsWith(groupPath) && this.listable(j);
      } else if (this.fault('ignores-dataset-filter')) {
        // every job stays
      } else if (dataset) {
        index = dataset.jobs;
      } else if (this.fault('unknown-dataset-server-error')) {
        throw new ServiceError('InternalFailure', 'Internal error.', 500);
      } else if (this.fault('unknown-dataset-lists-all')) {
        // every job stays
      } else if (this.options.unknownDataset === 'invalid-input') {
        throw invalidInput(`Dataset ${filter} does not exist.`);
      } else {
        index = new SortedIndex(store.jobKey);
      }
    }
    if (!filter && (this.fault('leaks-other-accounts') || this.fault('leaks-other-regions'))) {
      return this.leakyListing(i, store, caller, size);
    }

    const scope = this.scopeOf('ListDatasetImportJobs', caller, this.fault('token-not-bound-to-filter') ? '*' : filter ?? '*');
    if (this.fault('offset-token-mutable-order')) return this.offsetListing(i, index, keep, scope, size);

    const cursor = this.readToken(i.nextToken, scope);
    const page = index.page(cursor?.key, this.fault('page-size-plus-one') ? size + 1 : size, keep);
    return this.listingOutput(page.items, page.more, index, scope, cursor?.key);
  }

  /** The page size a request asks for (its range was checked against the request schema). */
  private pageSizeOf(maxResults: number | undefined): number {
    if (this.fault('ignores-max-results')) return this.options.defaultPageSize;
    if (maxResults === undefined && this.fault('default-page-over-limit')) return 150;
    return maxResults ?? this.options.defaultPageSize;
  }

  private listable(j: ImportJobRecord): boolean {
    const status = this.lifecycle(j).status;
    if (this.fault('hides-pending-jobs') && (status === 'CREATE PENDING' || status === 'CREATE IN_PROGRESS')) return false;
    if (this.fault('hides-failed-jobs') && status === 'CREATE FAILED') return false;
    return true;
  }

  private listingOutput(items: ImportJobRecord[], more: boolean, index: SortedIndex<ImportJobRecord>, scope: string, startKey: SortKey | undefined): Output {
    const output: Output = { datasetImportJobs: items.map((j) => this.importJobSummary(j)) };
    if (more && items.length > 0) {
      let last = items[items.length - 1];
      if (this.fault('repeats-item-at-page-boundary') && items.length > 1) last = items[items.length - 2];
      let key: SortKey = index.keyFor(last);
      if (this.fault('drops-item-at-page-boundary')) key = index.keyFor(index.page(key, 1, () => true).items[0]);
      if (this.fault('token-loops-to-first-page') && startKey !== undefined) key = [];
      output.nextToken = this.tokens.issue({ scope, key });
    } else if (this.fault('token-on-last-page')) {
      output.nextToken = this.tokens.issue({ scope, key: startKey ?? [] });
    } else if (this.options.lastPageToken === 'empty') {
      output.nextToken = '';
    }
    if (items.length === 0 && this.fault('omits-empty-list')) delete output.datasetImportJobs;
    return output;
  }

  /** Fault: order by a mutable field (last update) and page by offset. */
  private offsetListing(i: Input, index: SortedIndex<ImportJobRecord>, keep: (j: ImportJobRecord) => boolean, scope: string, size: number): Output {
    const all = [...index].filter(keep).sort((a, b) => this.lifecycle(a).lastUpdatedAt - this.lifecycle(b).lastUpdatedAt || a.seq - b.seq);
    const offset = Number(this.readToken(i.nextToken, scope)?.key[0] ?? 0);
    const items = all.slice(offset, offset + size);
    const more = offset + size < all.length;
    return {
      datasetImportJobs: items.map((j) => this.importJobSummary(j)),
      ...(more && { nextToken: this.tokens.issue({ scope, key: [offset + size] }) }),
    };
  }

  /** Faults: a listing without datasetArn that reaches into other accounts' or regions' stores. */
  private leakyListing(i: Input, own: RegionStore, caller: Caller, size: number): Output {
    const stores = [...this.stores.values()].filter((s) =>
      s === own ||
      (this.fault('leaks-other-accounts') && s.region === own.region) ||
      (this.fault('leaks-other-regions') && s.accountId === own.accountId));
    const all = stores.flatMap((s) => [...s.allJobs]).sort((a, b) => a.seq - b.seq);
    const scope = this.scopeOf('ListDatasetImportJobs', caller, '*');
    const after = Number(this.readToken(i.nextToken, scope)?.key[0] ?? 0);
    const rest = all.filter((j) => j.seq > after);
    const items = rest.slice(0, size);
    return {
      datasetImportJobs: items.map((j) => this.importJobSummary(j)),
      ...(rest.length > size && { nextToken: this.tokens.issue({ scope, key: [items[items.length - 1].seq] }) }),
    };
  }

  /** A page of one of the small lists (schemas, dataset groups, datasets) under `member`, each record as `view` shows it. */
  private smallListing<T extends { arn: string }>(operation: string, member: string, all: T[], i: Input, caller: Caller, view: (r: T) => Output): Output {
    const { items, nextToken } = this.pageOfSmallList(operation, all, i, caller);
    return { [member]: items.map(view), ...(nextToken !== undefined && { nextToken }) };
  }

  /** Paging for the small lists the arranging steps use (schemas, dataset groups, datasets). */
  private pageOfSmallList<T extends { arn: string }>(operation: string, all: T[], i: Input, caller: Caller): { items: T[]; nextToken?: string } {
    const scope = this.scopeOf(operation, caller, i.datasetGroupArn ?? '*');
    const sorted = all.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
    const after = this.readToken(i.nextToken, scope)?.key[0];
    const rest = after === undefined ? sorted : sorted.filter((r) => r.arn > String(after));
    const size = i.maxResults ?? this.options.defaultPageSize;
    const items = rest.slice(0, size);
    const nextToken = rest.length > size ? this.tokens.issue({ scope, key: [items[items.length - 1].arn] }) : undefined;
    return { items, nextToken };
  }

  private scopeOf(operation: string, caller: Caller, filter: string): string {
    return createHash('sha256').update(`${operation}\n${caller.accountId}\n${caller.region}\n${filter}\n${this.options.order}`).digest('base64url').slice(0, 16);
  }

  private readToken(token: string | undefined, scope: string): { key: SortKey } | undefined {
    if (token === undefined || token === '') return undefined;
    try {
      const cursor = this.tokens.read(token);
      if (cursor.scope !== scope) throw invalidNextToken('The token was issued for a different request.');
      return cursor;
    } catch (e) {
      if (this.fault('accepts-unknown-token')) return undefined;
      if (this.fault('unknown-token-server-error')) throw new ServiceError('InternalFailure', 'Internal error.', 500);
      if (this.fault('unknown-token-invalid-input')) throw invalidInput('nextToken is not valid.');
      throw e;
    }
  }
}
