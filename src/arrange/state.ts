/**
 * What a run remembers while it arranges, one per run context (never a module global): the import
 * jobs it started and has not yet seen finished (the documented quota allows only so many in
 * progress per account and region), the datasets whose FULL import it saw ACTIVE, what it created,
 * and where it records that (the record the cleanup reads, src/created-resources.ts).
 */
import { recordCreated as appendToRecord, type ResourceKind } from '../created-resources';
import type { ClientRole } from '../targets';
import type { Arrangement } from './shared';
import type { ArrangedJob } from './types';
import type { NotShownCause } from '../verdict';

export type CreatedKind = ResourceKind;

export class ArrangeState {
  private readonly unfinishedJobs = new Map<ClientRole, ArrangedJob[]>();
  /** Datasets whose FULL import the run has seen ACTIVE. */
  readonly fullImportActive = new Set<string>();
  /** What this process created, by kind. */
  readonly created: Record<CreatedKind, number> = { schema: 0, 'dataset group': 0, dataset: 0, 'dataset import job': 0 };
  /** The record of created resources (src/created-resources.ts); undefined: kept nowhere but the counts. */
  recordFile?: string;
  /** The run's shared data, once arranged (or handed over by the runner). */
  shared?: Arrangement;
  /** Why arranging the shared data in this process broke off (every scenario that reads it is then not shown, with this reason). */
  sharedBroke?: { cause: NotShownCause; reason: string };
  /** Whether this process arranged the shared data itself (the mock's processes do; a network target's runner does it for all). */
  arrangedHere = false;
  /** Whether a scenario of this process has reported what the arranging's exchanges showed. */
  chargesReported = false;

  /** The import jobs of `role`'s account and region that the run started and has not yet seen finished, oldest first. */
  unfinished(role: ClientRole): ArrangedJob[] {
    let jobs = this.unfinishedJobs.get(role);
    if (!jobs) this.unfinishedJobs.set(role, (jobs = []));
    return jobs;
  }

  /** Import jobs in progress, every account and region. */
  get inProgress(): number {
    return [...this.unfinishedJobs.values()].reduce((n, jobs) => n + jobs.length, 0);
  }

  started(role: ClientRole, job: ArrangedJob): void {
    this.unfinished(role).push(job);
  }

  finished(role: ClientRole, job: ArrangedJob): void {
    const jobs = this.unfinished(role);
    const at = jobs.findIndex((j) => j.arn === job.arn);
    if (at >= 0) jobs.splice(at, 1);
  }

  /** A dataset the service let us delete has no import in progress (it answers ResourceInUseException until then). */
  forgetJobsOf(role: ClientRole, datasetArn: string): void {
    const jobs = this.unfinished(role);
    for (let i = jobs.length - 1; i >= 0; i--) if (jobs[i].datasetArn === datasetArn) jobs.splice(i, 1);
  }

  /**
   * A create about to be sent (no ARN yet), or answered (its ARN): the first is a line of the record,
   * as the cleanup reads it (which then knows the resource by its name, the run's prefix in it); the
   * second counts. The record holds no ARNs: they carry the account id, which the reports must not.
   */
  recordCreated(by: { readonly prefix: string }, r: { kind: CreatedKind; name: string; arn?: string }): void {
    if (r.arn) this.created[r.kind]++;
    else if (this.recordFile) appendToRecord(this.recordFile, { kind: r.kind, name: r.name, prefix: by.prefix });
  }
}
