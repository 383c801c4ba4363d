/**
 * What a run remembers while it arranges, one per run context (never a module global): the import
 * jobs it started and has not yet seen finished (the documented quota allows only so many in
 * progress per account and region), the datasets whose FULL import it saw ACTIVE, and the record
 * of everything it created.
 */
import { appendFileSync } from 'node:fs';
import type { ClientRole } from '../targets';
import type { Arrangement } from './shared';
import type { ArrangedJob } from './types';

export type CreatedKind = 'schema' | 'dataset group' | 'dataset' | 'import job';

/**
 * One resource the run created, as the record of created resources holds it (one JSON object per
 * line): what and where, who made it (the run's shared data or a scenario), whether it is a kept
 * fixture that only an explicit cleanup removes, and the tags it carries (schemas take none).
 */
export interface CreatedResource {
  kind: CreatedKind;
  name: string;
  arn: string;
  /** "primary" or "second" (the account), and the region. */
  account: 'primary' | 'second';
  region: string;
  by: 'shared' | 'scenario';
  kept: boolean;
  tags: Record<string, string>;
  /** ISO time of the create's answer. */
  at: string;
}

/**
 * The one function that writes the record of created resources: a line of JSON per resource,
 * appended (several processes of one run append to the same file).
 */
export function writeCreatedRecord(file: string, resource: CreatedResource): void {
  appendFileSync(file, `${JSON.stringify(resource)}\n`);
}

/** What a scope that creates tells the record about itself. */
interface Creator {
  readonly by: 'shared' | 'scenario';
  readonly keep?: boolean;
  readonly tags: { tagKey: string; tagValue: string }[];
  readonly config: { region: string; otherRegion: string };
}

export class ArrangeState {
  private readonly unfinishedJobs = new Map<ClientRole, ArrangedJob[]>();
  /** Datasets whose FULL import the run has seen ACTIVE. */
  readonly fullImportActive = new Set<string>();
  /** What this process created, by kind. */
  readonly created: Record<CreatedKind, number> = { schema: 0, 'dataset group': 0, dataset: 0, 'import job': 0 };
  /** Where created resources are recorded (undefined: nowhere but the counts). */
  recordFile?: string;
  /** The run's shared data, once arranged (or handed over by the runner). */
  shared?: Arrangement;
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

  recordCreated(by: Creator, r: { kind: CreatedKind; name: string; arn: string; role: ClientRole }): void {
    this.created[r.kind]++;
    if (!this.recordFile) return;
    writeCreatedRecord(this.recordFile, {
      kind: r.kind, name: r.name, arn: r.arn,
      account: r.role === 'second' ? 'second' : 'primary',
      region: r.role === 'otherRegion' ? by.config.otherRegion : by.config.region,
      by: by.by, kept: !!by.keep,
      tags: r.kind === 'schema' ? {} : Object.fromEntries(by.tags.map((t) => [t.tagKey, t.tagValue])),
      at: new Date().toISOString(),
    });
  }
}
