/**
 * What arranging works with: the import jobs a dataset gets, and what was arranged (the ARNs a
 * scenario reads), in types the runner, the steps and the planner share.
 */
import type { DatasetType } from '../settings';
import type { ClientRole } from '../targets';
import type { DataSetJobs } from '../fixtures';

/** Import jobs to create in a dataset, in order (fixtures/data-sets.schema.json, "jobs"). */
export type JobSpec = DataSetJobs;

export interface ArrangedJob {
  arn: string;
  name: string;
  datasetArn: string;
  outcome: 'succeeds' | 'fails';
  /** The import mode the job should be listed with (FULL where the create request named none). */
  importMode: 'FULL' | 'INCREMENTAL';
  /** The wall-clock time the create was sent and answered (ms), for times the service reports. */
  createdBetween?: [number, number];
}

export interface ArrangedDataset {
  alias: string;
  arn: string;
  groupArn: string;
  role: ClientRole;
  type: DatasetType;
  /** Its jobs; none once the dataset is deleted (they went with it). */
  jobs: ArrangedJob[];
  /** Arranged once for the run and shared by the scenarios that read it: none may change it. */
  shared?: boolean;
  /** Deleted once its jobs finished: its ARN names a dataset that no longer exists. */
  deleted?: boolean;
  /** The jobs it had before it was deleted (no source says they go with it: a listing of its ARN may still show them). */
  formerJobs?: ArrangedJob[];
  /** A kept fixture that a previous run created: its jobs are looked up before any is created. */
  kept?: boolean;
}

/** A dataset a scenario arranges for itself (it changes it, or watches its jobs change). */
export interface FreshDataset {
  alias: string;
  type: DatasetType;
  role: ClientRole;
  jobs: JobSpec[];
}

/** Total import jobs of job specs. */
export const jobCount = (jobs: JobSpec[]): number => jobs.reduce((n, j) => n + j.count, 0);
