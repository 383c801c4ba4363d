import '../../src/quiet-sdk-warning';
/**
 * The World of one scenario: the target and its SDK clients, what the Given steps arranged
 * (`arranged`), and what the When step saw (`observed`, one typed record that Then steps read).
 */
import { setWorldConstructor, World, type IWorldOptions } from '@cucumber/cucumber';
import type { DatasetImportJob, DatasetImportJobSummary, ListDatasetImportJobsCommandOutput, PersonalizeClient } from '@aws-sdk/client-personalize';
import { readConfig, type DatasetType, type SuiteConfig } from '../../src/config';
import { createTarget, type ClientRole, type Target } from '../../src/targets';
import { WireLog, wire, type Breach } from '../../src/wire';

let shared: { config: SuiteConfig; target: Target } | undefined;

/** The configuration and target, made once per process (BeforeAll reports a bad configuration). */
export function suite(): { config: SuiteConfig; target: Target } {
  if (!shared) {
    const config = readConfig();
    shared = { config, target: createTarget(config) };
  }
  return shared;
}

export interface ArrangedJob {
  arn: string;
  name: string;
  datasetArn: string;
  outcome: 'succeeds' | 'fails';
  /** The import mode the job should be listed with (FULL where the create request named none). */
  importMode: 'FULL' | 'INCREMENTAL';
}

export interface ArrangedDataset {
  alias: string;
  arn: string;
  groupArn: string;
  role: ClientRole;
  type: DatasetType;
  jobs: ArrangedJob[];
  /** Shared by the scenarios of a process, which must only read it. */
  shared?: boolean;
}

export interface Page {
  maxResults?: number;
  /** The jobs as the SDK parsed them (null members read as absent). */
  jobs: DatasetImportJobSummary[];
  nextToken?: string;
  /** The SDK's output, and the body as it came over the wire. */
  output: ListDatasetImportJobsCommandOutput;
  raw: string;
}

/** One walk through a listing: its pages, and whether it ended (a page without a token). */
export interface Listing {
  datasetArn?: string;
  pages: Page[];
  ended: boolean;
  /** Why following stopped early, if it did (a repeated token, the bound on requests). */
  stoppedBecause?: string;
  /** What DescribeDatasetImportJob showed of each job just before this listing began, by ARN. */
  describedBefore?: Map<string, DatasetImportJob>;
}

/** A request sent twice with the same token, and the two pages it got. */
export interface RepeatedRequest {
  pageNumber: number;
  first: Page;
  /** The page the repeat got, or the response that refused it. */
  second: Page | { refused: string };
}

/** What the When step saw: the one record the Then steps read. */
export interface Observation {
  /** The listings the When step made, first to last. */
  listings: Listing[];
  /** The error of a request whose rejection is the behaviour under test. */
  rejection?: unknown;
  /** Requests the When step sent twice with the same token. */
  repeats: RepeatedRequest[];
  /** The jobs that existed before the listing began (when the When step adds more). */
  preexistingJobs?: ArrangedJob[];
  /** The job the When step watched through DescribeDatasetImportJob, and the status it showed. */
  watchedJob?: { arn: string; status: string };
}

/** What the Given steps arranged beyond the datasets: data that the account already had, a token. */
export interface Arrangement {
  /** A dataset the account already had (for @readonly scenarios). */
  existingDatasetArn?: string;
  /** A token obtained before the When step, with the datasetArn it was issued for. */
  heldToken?: { token: string; datasetArn?: string };
}

/** What arranging data needs: a scenario's World, or the shared baseline of an account. */
export interface Arranger {
  readonly config: SuiteConfig;
  client(role?: ClientRole): PersonalizeClient;
  name(label: string): string;
  readonly cleanups: { what: string; run: () => Promise<void> }[];
  readonly schemaArns: Map<string, string>;
  readonly groups: Map<string, string>;
  readonly datasets: Map<string, ArrangedDataset>;
}

/** Thrown when the SDK could not read a body that broke its schema: the scenario is not run, and the body's field is charged. */
export class UnreadableResponse extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'UnreadableResponse';
  }
}

/**
 * Thrown when a request the contract accepts was refused in a scenario about something else: the
 * scenario cannot judge its own rule (not run, with the response); the refusal is recorded as a
 * finding and charged to the requirement it breaks (src/report.ts).
 */
export class RefusedAcceptedRequest extends Error {
  /** `refusal`: the SDK's error, which a step that judges rejections (`attempt`) judges instead. */
  constructor(readonly reason: string, readonly finding: Breach, readonly refusal: unknown) {
    super(reason);
    this.name = 'RefusedAcceptedRequest';
  }
}

export class ConformanceWorld extends World implements Arranger {
  readonly config: SuiteConfig;
  readonly target: Target;
  readonly wireLog = new WireLog();
  /** Unique per scenario, so that scenarios never see each other's resources (the Before hook makes it stable). */
  namePrefix: string;
  /** Ends the scenario's recording or replay (nock.back), where there is one. */
  nockDone?: () => void;
  readonly datasets = new Map<string, ArrangedDataset>();
  readonly schemaArns = new Map<string, string>();
  readonly groups = new Map<string, string>();
  readonly arranged: Arrangement = {};
  readonly observed: Observation = { listings: [], repeats: [] };
  /** Whether a Then step looked at `observed.rejection` (the After hook fails a scenario whose error nobody checked). */
  rejectionChecked = true;
  /** Resources to delete after the scenario, newest first. */
  readonly cleanups: { what: string; run: () => Promise<void> }[] = [];
  /** Set when the data present cannot show the requirement (reported as "not run"). */
  notRunReason?: string;
  /** What a Then step saw that belongs to another requirement (a listing that never ends): charged by src/report.ts. */
  readonly findings: Breach[] = [];

  constructor(options: IWorldOptions) {
    super(options);
    const { config, target } = suite();
    this.config = config;
    this.target = target;
    wire.log = this.wireLog;
    this.namePrefix = config.runPrefix; // made unique per scenario by the Before hook
  }

  client(role: ClientRole = 'primary'): PersonalizeClient {
    return this.target.client(role);
  }

  /** A resource name unique to this scenario (Name: 1..63 characters, [a-zA-Z0-9][a-zA-Z0-9-_]*). */
  name(label: string): string {
    const safe = label.replace(/[^a-zA-Z0-9-_]+/g, '-');
    return `${this.namePrefix}-${safe}`.slice(0, 63);
  }

  /** The arranged dataset known by `alias` in the feature ("clicks", "home"). */
  dataset(alias: string): ArrangedDataset {
    const d = this.datasets.get(alias);
    if (!d) throw new Error(`The scenario arranged no dataset called "${alias}" (it has: ${[...this.datasets.keys()].join(', ') || 'none'}).`);
    return d;
  }

  /** "the dataset" of a feature: the one dataset the scenario arranged. */
  onlyDataset(): ArrangedDataset {
    if (this.datasets.size !== 1) throw new Error(`"the dataset" needs exactly one arranged dataset; the scenario arranged ${this.datasets.size}.`);
    return [...this.datasets.values()][0];
  }

  /** Every job the scenario arranged, in every dataset. */
  get allJobs(): ArrangedJob[] {
    return [...this.datasets.values()].flatMap((d) => d.jobs);
  }

  /**
   * Sends a command. A body the SDK could not read is not the behaviour under test: when it broke
   * its schema, the scenario stops as not run (the schema break is charged to its field's requirement).
   */
  async send<T>(role: ClientRole, call: (client: PersonalizeClient) => Promise<T>): Promise<T> {
    const seen = this.wireLog.breaches.length;
    try {
      return await call(this.client(role));
    } catch (e) {
      throw this.unreadable(e, seen) ?? e;
    }
  }

  /** Runs a call whose rejection is the behaviour under test: the error is kept for a Then step. */
  async attempt<T>(call: () => Promise<T>): Promise<T | undefined> {
    const seen = this.wireLog.breaches.length;
    try {
      return await call();
    } catch (thrown) {
      const e = thrown instanceof RefusedAcceptedRequest ? thrown.refusal : thrown;
      const unreadable = this.unreadable(e, seen);
      if (unreadable) throw unreadable;
      this.observed.rejection = e;
      this.rejectionChecked = false;
      return undefined;
    }
  }

  /** An SDK error that is no service error, after a body that broke its schema: the body could not be read. */
  private unreadable(e: unknown, breachesBefore: number): UnreadableResponse | undefined {
    if (e instanceof UnreadableResponse) return e;
    const fresh = this.wireLog.breaches.slice(breachesBefore);
    const fault = (e as { $fault?: string }).$fault;
    if (!fresh.length || fault) return undefined;
    this.notRunReason = `the SDK could not read a response that breaks its schema (${fresh[0].body} ${fresh[0].text}): ${(e as Error).message}`;
    return new UnreadableResponse(this.notRunReason);
  }

  /** Marks the scenario as unable to show its requirement on the data present. */
  notRun(reason: string): 'skipped' {
    this.notRunReason = reason;
    return 'skipped';
  }
}

setWorldConstructor(ConformanceWorld);
