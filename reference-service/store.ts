/**
 * What the reference service holds for one account in one region, and the documented lifecycle
 * of its resources, derived from the clock on each read.
 */
import { createHash } from 'node:crypto';
import type { Lifecycle, ResultOrder } from './options';
import { SortedIndex, type SortKey } from './sorted-index';

export type Outcome = 'ACTIVE' | 'CREATE FAILED';

/** A resource with the documented lifecycle: CREATE PENDING > CREATE IN_PROGRESS > ACTIVE -or- CREATE FAILED, DELETE PENDING. */
export interface Lifecycled {
  createdAt: number;
  outcome: Outcome;
  failureReason?: string;
  deletedAt?: number;
}

export interface LifecycleState {
  status: string;
  lastUpdatedAt: number;
  failureReason?: string;
}

export function lifecycleAt(r: Lifecycled, now: number, t: Lifecycle): LifecycleState {
  if (r.deletedAt !== undefined) return { status: 'DELETE PENDING', lastUpdatedAt: r.deletedAt };
  const started = r.createdAt + t.pendingMs;
  const finished = started + t.inProgressMs;
  if (now < started) return { status: 'CREATE PENDING', lastUpdatedAt: r.createdAt };
  if (now < finished) return { status: 'CREATE IN_PROGRESS', lastUpdatedAt: started };
  return { status: r.outcome, lastUpdatedAt: finished, failureReason: r.failureReason };
}

export interface SchemaRecord {
  arn: string;
  name: string;
  schema: string;
  domain?: string;
  createdAt: number;
}

export interface DatasetGroupRecord extends Lifecycled {
  arn: string;
  name: string;
  roleArn?: string;
  kmsKeyArn?: string;
  domain?: string;
  datasets: Set<string>;
  tags: unknown[];
}

export interface DatasetRecord extends Lifecycled {
  arn: string;
  name: string;
  groupArn: string;
  datasetType: string;
  schemaArn: string;
  jobs: SortedIndex<ImportJobRecord>;
  tags: unknown[];
  /** When the first FULL import of the dataset that succeeds is (or will be) ACTIVE. */
  fullActiveAt?: number;
}

export interface ImportJobRecord extends Lifecycled {
  seq: number;
  arn: string;
  name: string;
  datasetArn: string;
  dataLocation: string;
  roleArn?: string;
  importMode: string;
  publishAttributionMetricsToS3?: boolean;
  tags: unknown[];
}

const hashOf = (s: string) => createHash('sha1').update(s).digest('hex').slice(0, 12);

/** The immutable sort key of a job for each documented result order. */
export function orderKey(order: ResultOrder): (job: ImportJobRecord) => SortKey {
  switch (order) {
    case 'oldest-first':
      return (j) => [j.createdAt, j.seq];
    case 'newest-first':
      return (j) => [-j.createdAt, -j.seq];
    case 'by-name':
      return (j) => [j.name];
    case 'by-hash':
      return (j) => [hashOf(j.arn), j.arn];
  }
}

export class RegionStore {
  readonly schemas = new Map<string, SchemaRecord>();
  readonly datasetGroups = new Map<string, DatasetGroupRecord>();
  readonly datasets = new Map<string, DatasetRecord>();
  readonly importJobs = new Map<string, ImportJobRecord>();
  /** Datasets and dataset groups in DELETE PENDING, still to be purged. */
  pendingDeletions = 0;
  /** Every job of this account and region, in result order. */
  readonly allJobs: SortedIndex<ImportJobRecord>;
  /** Jobs that may still be CREATE PENDING or CREATE IN_PROGRESS, oldest first (for the in-progress limit). */
  readonly unfinishedJobs: ImportJobRecord[] = [];

  constructor(readonly accountId: string, readonly region: string, readonly jobKey: (job: ImportJobRecord) => SortKey) {
    this.allJobs = new SortedIndex(jobKey);
  }

  arn(resourceType: string, resource: string): string {
    return `arn:aws:personalize:${this.region}:${this.accountId}:${resourceType}/${resource}`;
  }
}
