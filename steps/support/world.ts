import '../../src/quiet-sdk-warning';
/**
 * The World of one scenario: its SDK clients, its wire log and its abort signal (nothing per
 * scenario lives in a module), what the Given steps arranged (`arranged`), and what the When step
 * saw (`observed`, one typed record that Then steps read).
 */
import { setWorldConstructor, World, type IWorldOptions } from '@cucumber/cucumber';
import type { DatasetImportJob, DatasetImportJobSummary, PersonalizeClient } from '@aws-sdk/client-personalize';
import { settingsFromWorldParameters, type SuiteConfig } from '../../src/settings';
import type { ArrangedDataset, ArrangedJob } from '../../src/arrange/types';
import type { ArrangeScope, Cleanup, Tag } from '../../src/arrange/provision';
import type { ArrangeState } from '../../src/arrange/state';
import { RUN_TAG_KEY } from '../../src/arrange/shared';
import type { ReproTarget } from '../../src/evidence';
import { createRunContext, type ClientRole, type ClientsOf, type RunContext } from '../../src/targets';
import { NotShown, type Charge, type ContractBreach, type EvidenceRef, type NotShownCause } from '../../src/verdict';
import { WireLog, type Breach } from '../../src/wire';

let context: RunContext | undefined;

/** The run context of this cucumber run (its configuration, target, call governor), made by BeforeAll (startRunContext), or by the first caller. */
export function runContext(parameters?: unknown): RunContext {
  context ??= createRunContext(settingsFromWorldParameters(parameters));
  return context;
}

/**
 * A fresh run context for a cucumber run that begins (BeforeAll): its own in-process reference
 * service and its own arrangement. A process that runs cucumber again (Stryker's cucumber runner
 * runs it once per mutant) must not find the previous run's data, or the code that creates it
 * would never run under a mutant.
 */
export function startRunContext(parameters: unknown): RunContext {
  context = createRunContext(settingsFromWorldParameters(parameters));
  return context;
}

export type { ArrangedDataset, ArrangedJob } from '../../src/arrange/types';

export interface Page {
  maxResults?: number;
  /** The jobs as the SDK parsed them (null members read as absent). */
  jobs: DatasetImportJobSummary[];
  nextToken?: string;
  /** The token the request sent (undefined on a first page). */
  sentToken?: string;
  /** Whether the body carried a datasetImportJobs list (LDIJ-RESP-009). */
  carriedList: boolean;
  /** The exchange that carried the page (WireLog numbering). */
  exchange: number;
  /** How many jobs the response held, where jobs of other datasets were set aside from `jobs` (LDIJ-FILTER-002's finding): page sizes count them. */
  held?: number;
}

/** One walk through a listing: its pages, and whether it ended (a page without a token). */
export interface Listing {
  datasetArn?: string;
  pages: Page[];
  ended: boolean;
  /** Why following stopped early, if it did (a repeated token, a cap of the walk). */
  stoppedBecause?: string;
  /** Whether it stopped at one of the walk's own caps (pages, bytes, time): not a verdict outside termination scenarios. */
  capped?: boolean;
  /** When the walk began (ms), for jobs that others created meanwhile. */
  startedAt: number;
  /** What DescribeDatasetImportJob showed of each job just before this listing began, by ARN. */
  describedBefore?: Map<string, DatasetImportJob>;
  /** What DescribeDatasetImportJob showed of each job just after this listing ended, by ARN. */
  describedAfter?: Map<string, DatasetImportJob>;
}

/** A request sent twice with the same token, and the two pages it got. */
export interface RepeatedRequest {
  pageNumber: number;
  first: Page;
  /** The page the repeat got, or the response that refused it. */
  second: Page | { refused: string; exchange: number };
}

/** What the When step saw: the one record the Then steps read. */
export interface Observation {
  /** The listings the When step made, first to last. */
  listings: Listing[];
  /** The error of a request whose rejection is the behaviour under test. */
  rejection?: unknown;
  /** The exchange that carried that error (the last attempt of the rejected request). */
  rejectionExchange?: number;
  /** Requests the When step sent twice with the same token. */
  repeats: RepeatedRequest[];
  /** The jobs that existed before the listing began (when the When step adds more). */
  preexistingJobs?: ArrangedJob[];
  /** How long after Describe showed every watched job finished the listing showed them so (undefined: not within the wait). */
  catchUp?: { afterMs?: number; waitedMs?: number; listingsBehind: number };
  /** Two requests whose answers a Then compares (the first and the second sent). */
  compared?: { rejection?: unknown; listing?: Listing }[];
  /** A job the When step created and followed: how soon it was listed (undefined: not within the listing wait). */
  watchedJob?: { arn: string; status: string; listedAfterMs?: number; polls?: number };
}

/** What the Given steps arranged beyond the datasets: data that the account already had, a token. */
export interface Arrangement {
  /** A dataset the account already had (for @readonly scenarios). */
  existingDatasetArn?: string;
  /** A token obtained before the When step, with the datasetArn it was issued for. */
  heldToken?: { token: string; datasetArn?: string; exchange: number };
}

/**
 * Thrown when a request the contract accepts was refused in a scenario about something else: the
 * scenario cannot judge its own rule (not shown, with the response); the refusal is recorded as a
 * finding and charged to the requirement it breaks (src/report).
 */
export class RefusedAcceptedRequest extends NotShown {
  /** `refusal`: the SDK's error, which a step that judges rejections (`attempt`) judges instead. */
  constructor(reason: string, readonly finding: Breach, readonly refusal: unknown) {
    super('target', reason, finding.exchange ? { exchanges: [finding.exchange] } : undefined);
    this.name = 'RefusedAcceptedRequest';
  }
}

export class ConformanceWorld extends World implements ArrangeScope {
  readonly run: RunContext;
  readonly config: SuiteConfig;
  /** Every exchange of the scenario, its schema breaks and null members. */
  readonly wire = new WireLog();
  /** Unique per scenario, so that scenarios never see each other's resources (the Before hook makes it stable). */
  namePrefix: string;
  /** Ends the scenario's recording or replay (nock.back), where there is one. */
  nockDone?: () => void;
  readonly datasets = new Map<string, ArrangedDataset>();
  /** The scenario arranges its own data as a scenario (src/arrange/provision.ts), with the run's tag and prefix. */
  readonly by = 'scenario' as const;
  readonly prefix: string;
  readonly tags: Tag[];
  readonly arranged: Arrangement = {};
  readonly observed: Observation = { listings: [], repeats: [] };
  /** Whether a Then step looked at `observed.rejection` (the After hook fails a scenario whose error nobody checked). */
  rejectionChecked = true;
  /** Resources to delete after the scenario, newest first. */
  readonly cleanups: Cleanup[] = [];
  /** What a step saw that belongs to another requirement (a listing that never ends, a refused range end): charged by src/report. */
  readonly findings: Breach[] = [];
  /** Charges seen outside the scenario (the run's arranging of shared data), reported with it. */
  readonly outsideCharges: Charge[] = [];
  /** Why the scenario could not show its requirement, once a step or hook said so. */
  notShownBy?: NotShown;
  /** The broken promise that failed the scenario, once a step found it. */
  failure?: ContractBreach;
  /** The scenario's requirement (its @req: tag), known from the Before hook. */
  requirement?: string;
  /** When the scenario began (ms). */
  started = Date.now();
  /** Stops hearing of the run's stop once the scenario is over. */
  unlistenStop?: () => void;
  /** The scenario's requests and waits end with this; the cleanup gets a signal of its own. */
  private readonly scenarioAbort = new AbortController();
  private cleanupAbort?: AbortController;
  private readonly clients: { client: ClientsOf; clientOnce: ClientsOf; destroy(): void };

  constructor(options: IWorldOptions) {
    super(options);
    this.run = runContext(options.parameters);
    this.config = this.run.config;
    this.namePrefix = this.config.runPrefix; // made unique per scenario by the Before hook
    this.tags = [{ tagKey: RUN_TAG_KEY, tagValue: this.config.runPrefix }];
    this.prefix = this.config.runPrefix;
    const signalNow = () => this.signal;
    this.clients = this.run.clientsFor({
      log: this.wire,
      // Read at each request: the scenario's signal, then the cleanup's.
      get signal() {
        return signalNow();
      },
    });
  }

  /** The signal of the work under way: the scenario's, or once it ended, its cleanup's. */
  get signal(): AbortSignal {
    return (this.cleanupAbort ?? this.scenarioAbort).signal;
  }

  /** Ends the scenario's requests and waits (a step past its time, a stopping run). */
  abortScenario(reason: Error): void {
    this.scenarioAbort.abort(reason);
  }

  /** From now on requests and waits belong to the cleanup, which a second stop signal ends. */
  beginCleanup(): AbortController {
    this.scenarioAbort.abort(new Error('the scenario ended'));
    this.cleanupAbort = new AbortController();
    return this.cleanupAbort;
  }

  /** Ends the cleanup's requests and waits (a second stop signal). */
  abortCleanup(reason: Error): void {
    (this.cleanupAbort ?? this.scenarioAbort).abort(reason);
  }

  /** Releases the scenario's clients (the process's connections stay for the next scenario). */
  release(): void {
    this.clients.destroy();
  }

  client(role: ClientRole = 'primary'): PersonalizeClient {
    return this.clients.client(role);
  }

  /** A client whose requests the SDK sends once: arranging's creates, which it retries itself. */
  clientOnce(role: ClientRole = 'primary'): PersonalizeClient {
    return this.clients.clientOnce(role);
  }

  /** What the run remembers while it arranges (import jobs in progress, what was created). */
  get state(): ArrangeState {
    return this.run.arranging;
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

  /** Every job of the scenario's datasets (a deleted dataset has none). */
  get allJobs(): ArrangedJob[] {
    return [...this.datasets.values()].flatMap((d) => d.jobs);
  }

  /** The account id of the caller, as the ARNs the scenario got show it (for reproduction commands). */
  accountId(): string | undefined {
    for (const arn of [...this.datasets.values()].filter((d) => d.role === 'primary').map((d) => d.arn)) {
      const account = arn.split(':')[4];
      if (/^\d{12}$/.test(account)) return account;
    }
    return undefined;
  }

  /** Where a reproduction command sends its request. */
  reproTarget(requirement: string): ReproTarget {
    const c = this.config;
    return { kind: c.target, endpoint: c.endpoint, region: c.region, accountId: this.accountId(), rerun: `npx personalize-list-import-jobs-conformance --target ${c.target} --requirement ${requirement}` };
  }

  /**
   * Sends a command. A body the SDK could not read is not the behaviour under test: when it broke
   * its schema, the scenario is not shown (the schema break is charged to its field's requirement).
   */
  async send<T>(role: ClientRole, call: (client: PersonalizeClient) => Promise<T>): Promise<T> {
    const seen = this.wire.breaches.length;
    try {
      return await call(this.client(role));
    } catch (e) {
      throw this.unreadable(e, seen) ?? e;
    }
  }

  /** Runs a call whose rejection is the behaviour under test: the error is kept for a Then step. */
  async attempt<T>(call: () => Promise<T>): Promise<T | undefined> {
    const seen = this.wire.breaches.length;
    try {
      return await call();
    } catch (thrown) {
      const e = thrown instanceof RefusedAcceptedRequest ? thrown.refusal : thrown;
      const unreadable = this.unreadable(e, seen);
      if (unreadable) throw unreadable;
      // Not an answer of the endpoint at all (the run stopping, a safety limit): nothing to judge.
      if (e instanceof NotShown) throw e;
      this.observed.rejection = e;
      this.observed.rejectionExchange = this.wire.last()?.n;
      this.rejectionChecked = false;
      return undefined;
    }
  }

  /** An SDK error that is no service error, after a body that broke its schema: the body could not be read. */
  private unreadable(e: unknown, breachesBefore: number): NotShown | undefined {
    if (e instanceof NotShown) return undefined;
    const fresh = this.wire.breaches.slice(breachesBefore);
    const fault = (e as { $fault?: string }).$fault; // what the SDK throws: a ServiceException, or another Error
    if (!fresh.length || fault) return undefined;
    const first = fresh[0];
    return new NotShown('target', `the SDK could not read a response that breaks its schema (${first.body} ${first.text}): ${(e as Error).message}`, first.exchange ? { exchanges: [first.exchange] } : undefined); // the SDK's deserializer throws Errors
  }

  /** The scenario cannot show its requirement on the data present: not shown, with who can act on it. */
  notShown(cause: NotShownCause, reason: string, evidence?: EvidenceRef): never {
    throw new NotShown(cause, reason, evidence);
  }
}

setWorldConstructor(ConformanceWorld);
