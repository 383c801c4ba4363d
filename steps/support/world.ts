import '../../src/quiet-sdk-warning';
/**
 * The World of one scenario: the target and its SDK clients, what the scenario arranged, the
 * last response and the last error, and what the wire showed.
 */
import { setWorldConstructor, World, type IWorldOptions } from '@cucumber/cucumber';
import type { DatasetImportJobSummary, ListDatasetImportJobsCommandOutput, PersonalizeClient } from '@aws-sdk/client-personalize';
import { readConfig, type DatasetType, type SuiteConfig } from '../../src/config';
import { createTarget, type ClientRole, type Target } from '../../src/targets';
import { assertCompleteRejection } from './rejection';
import { WireLog, wire } from '../../src/wire';

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
  /** Why following stopped early, if it did (a repeated token, too many pages). */
  stoppedBecause?: string;
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
  /** The listing the scenario's When step walked through. */
  listing?: Listing;
  /** Further listings the When step made: for comparison, or one after another over time. */
  otherListings: Listing[] = [];
  /** A dataset the account already had (for @readonly scenarios). */
  existingDatasetArn?: string;
  /** A token a Given step obtained, with what it was issued for. */
  heldToken?: { token: string; datasetArn?: string };
  /** The jobs that existed before a listing began (when the When step adds more). */
  preexistingJobs?: ArrangedJob[];
  /** The job a When step watched through DescribeDatasetImportJob. */
  watchedJob?: { arn: string; status: string };
  lastError?: unknown;
  errorAsserted = true;
  /** Resources to delete after the scenario, newest first. */
  readonly cleanups: { what: string; run: () => Promise<void> }[] = [];
  /** Set when the data present cannot show the requirement (reported as "not run"). */
  notRunReason?: string;

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

  dataset(alias: string): ArrangedDataset {
    const d = this.datasets.get(alias);
    if (!d) throw new Error(`The scenario arranged no dataset called "${alias}" (it has: ${[...this.datasets.keys()].join(', ') || 'none'}).`);
    return d;
  }

  /** "the dataset": the one called so, or the only dataset the scenario arranged. */
  theDataset(): ArrangedDataset {
    const named = this.datasets.get('the dataset');
    if (named) return named;
    if (this.datasets.size === 1) return [...this.datasets.values()][0];
    throw new Error(`"the dataset" is ambiguous: the scenario arranged ${this.datasets.size} datasets.`);
  }

  /** Every listing the When step made, first to last. */
  allListings(): Listing[] {
    return [...(this.listing ? [this.listing] : []), ...this.otherListings];
  }

  /** Sends a command; a body that broke its schema is reported before any SDK parse error it caused. */
  async send<T>(role: ClientRole, call: (client: PersonalizeClient) => Promise<T>): Promise<T> {
    try {
      const result = await call(this.client(role));
      this.raiseWireViolations();
      return result;
    } catch (e) {
      this.raiseWireViolations();
      throw e;
    }
  }

  get allJobs(): ArrangedJob[] {
    return [...this.datasets.values()].flatMap((d) => d.jobs);
  }

  /** Runs a call whose failure is part of the behaviour under test: the error is kept for a Then step. */
  async attempt<T>(call: () => Promise<T>): Promise<T | undefined> {
    this.lastError = undefined;
    try {
      const result = await call();
      this.raiseWireViolations();
      return result;
    } catch (e) {
      this.raiseWireViolations();
      this.lastError = e;
      this.errorAsserted = false;
      return undefined;
    }
  }

  /** Fails the step at once when a body that came over the wire broke its schema. */
  raiseWireViolations(): void {
    const fresh = this.wireLog.takeNewViolations();
    if (fresh.length) throw new Error(`Response bodies that break the contract:\n- ${fresh.join('\n- ')}`);
  }

  /** Asserts the last call was rejected with a complete AWS error of one of the `allowed` types. */
  assertRejection(allowed?: readonly string[]): void {
    this.errorAsserted = true;
    assertCompleteRejection(this.lastError, this.wireLog, allowed);
  }

  /** Marks the scenario as unable to show its requirement on the data present. */
  notRun(reason: string): 'skipped' {
    this.notRunReason = reason;
    return 'skipped';
  }
}

setWorldConstructor(ConformanceWorld);
