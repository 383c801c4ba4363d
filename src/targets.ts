/**
 * The endpoints the suite can drive, and the run context of one process: the target's transport,
 * the credentials of each client role, the run's call governor. Every target is reached through
 * @aws-sdk/client-personalize; only where requests go, and with which credentials, differs.
 * - mock: the reference service in this process, behind an SDK request handler (no network at all)
 * - endpoint: any HTTP endpoint (the reference emulator, another emulator), AWS_ENDPOINT_URL_PERSONALIZE
 * - aws: a real account, credentials and region from the SDK's default provider chain
 * - replay: recorded exchanges, in this process (nock in lockdown)
 *
 * SDK clients are made per scope (a scenario, or the run's arranging), each with a handler that
 * records into that scope's wire log and ends with its abort signal: nothing per scenario is global.
 */
import { PersonalizeClient, type PersonalizeClientConfig } from '@aws-sdk/client-personalize';
import { createReferenceFrontEnd, describeOptions, type AwsJsonFrontEnd, type ReferenceSetup } from '../reference-service';
import type { SuiteConfig } from './settings';
import { CallGovernor } from './budget';
import { recordingsLabel } from './recording';
import { InProcessHttpHandler, type SdkHttpHandler } from './in-process';
import { networkHandler, ValidatingHttpHandler, type WireScope } from './wire';
import { ArrangeState } from './arrange/state';

/** Credentials of the two accounts of the in-process mock: fake by design, they sign nothing real. */
export const MOCK_CREDENTIALS = {
  primary: { accessKeyId: 'conformance-account-a', secretAccessKey: 'not-a-secret-a' },
  second: { accessKeyId: 'conformance-account-b', secretAccessKey: 'not-a-secret-b' },
};

export type ClientRole = 'primary' | 'second' | 'otherRegion';

/** Makes SDK clients whose exchanges go to one scope. */
export type ClientsOf = (role?: ClientRole) => PersonalizeClient;

export interface RunContext {
  readonly config: SuiteConfig;
  kind: SuiteConfig['target'];
  /** Safe to print and report: no credentials. */
  description: string;
  /** Whether a second account is available for the cross-account requirement. */
  hasSecondAccount: boolean;
  /** The run's call budget and request rate (this process's share of it). */
  governor: CallGovernor;
  /** The in-process reference service (mock target only). */
  mock?: AwsJsonFrontEnd;
  /** Stopping the run (a signal, its deadline): what is running is told, once and then again for a second signal. */
  readonly stop: RunStop;
  /** How many import jobs the account is known to hold (the walks' caps scale with it). */
  readonly accountJobs: AccountJobs;
  /** What the run remembers while it arranges data: import jobs in progress, what it created. */
  readonly arranging: ArrangeState;
  /**
   * Clients bound to `scope`: each records into its log and ends with its signal. `clientOnce`
   * gives clients whose requests the SDK sends once (maxAttempts 1): creates, which arranging
   * retries itself. Destroy them with the scope.
   */
  clientsFor(scope: Omit<WireScope, 'governor'>): { client: ClientsOf; clientOnce: ClientsOf; destroy(): void };
}

/**
 * Why the run is stopping, and who must hear of it: the running scenario aborts its steps at the
 * first stop, and gives up its cleanup at a second one.
 */
export class RunStop {
  reason?: string;
  private readonly listeners = new Set<(reason: string, again: boolean) => void>();

  /** Stops the run (again, for a second signal). */
  request(reason: string): void {
    const again = this.reason !== undefined;
    this.reason ??= reason;
    for (const l of [...this.listeners]) l(reason, again);
  }

  /** Hears of stops until the returned function is called. */
  listen(listener: (reason: string, again: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** What the run knows of the size of the account: the most jobs an unfiltered listing showed, and the jobs created since. */
export class AccountJobs {
  private listed = 0;
  private createdSince = 0;

  get known(): number {
    return this.listed + this.createdSince;
  }

  /** An unfiltered listing showed `jobs` distinct jobs. */
  saw(jobs: number): void {
    if (jobs >= this.listed) {
      this.listed = jobs;
      this.createdSince = 0;
    }
  }

  /** The run created `jobs` more. */
  created(jobs: number): void {
    this.createdSince += jobs;
  }
}

/** The in-process mock: the reference service behind an SDK request handler; nock only keeps the network closed. */
function installMock(setup: ReferenceSetup): AwsJsonFrontEnd {
  const frontEnd = createReferenceFrontEnd({ ...setup, clock: 'request' });
  // Loaded only for this target: nock patches node:http, which other targets must not see.
  const nock = require('nock') as typeof import('nock'); // loaded lazily: nock patches node:http
  nock.disableNetConnect();
  return frontEnd;
}

/** Replays the run's recordings in lockdown (no network): each scenario's Before hook loads its recording. */
function installReplay(config: SuiteConfig): void {
  const nock = require('nock') as typeof import('nock'); // loaded lazily: nock patches node:http
  nock.back.fixtures = config.recordings.dir;
  nock.back.setMode('lockdown');
  nock.disableNetConnect();
}

/** Records live exchanges per scenario (nock.back update mode), letting loopback through. */
function installRecorder(config: SuiteConfig): void {
  const nock = require('nock') as typeof import('nock'); // loaded lazily: nock patches node:http
  nock.back.fixtures = config.recordings.dir;
  nock.back.setMode('update');
  if (config.endpoint) nock.enableNetConnect(() => true);
}

/** The run context of this process. */
export function createRunContext(config: SuiteConfig): RunContext {
  const reference: ReferenceSetup = config.reference;
  // The runner's preflight already spent some of the budget.
  const governor = new CallGovernor({ budget: config.callBudget, maxPerSecond: config.maxRequestsPerSecond }, config.preflightCalls);
  const inProcess = config.target === 'mock' || config.target === 'replay';
  const limits = { requestTimeoutMs: config.requestTimeoutMs, maxResponseBytes: config.maxResponseBytes };
  const mock = config.target === 'mock' ? installMock(reference) : undefined;
  // The transport is shared by every client of the process (one connection pool); each client's handler records to its own scope.
  const transport: SdkHttpHandler = mock ? new InProcessHttpHandler((request) => mock.handle(request)) : networkHandler(limits);
  const base: PersonalizeClientConfig = {
    ...(config.endpoint && { endpoint: config.endpoint }),
    // The SDK reads AWS_ENDPOINT_URL(_PERSONALIZE) itself: in-process targets must not follow a shell's setting.
    ...(inProcess && { ignoreConfiguredEndpointUrls: true }),
    // Throttling, 429 and 5xx are weather: back off and retry the way the SDK adapts to them.
    ...(!inProcess && { retryMode: 'adaptive', maxAttempts: 5 }),
  };
  let description: string;
  let credentialsFor: (role: ClientRole) => PersonalizeClientConfig['credentials'];
  if (config.target === 'mock') {
    description = `in-process mock (reference service: ${describeOptions(mock!.service.options)}${reference.faults ? `, faults ${reference.faults}` : ''})`;
    credentialsFor = (role) => (role === 'second' ? MOCK_CREDENTIALS.second : MOCK_CREDENTIALS.primary);
  } else if (config.target === 'replay') {
    installReplay(config);
    description = `replay of ${recordingsLabel(config.recordings.dir)} (no network)`;
    credentialsFor = () => MOCK_CREDENTIALS.primary;
  } else {
    if (config.record) installRecorder(config);
    description = config.target === 'endpoint' ? `endpoint ${config.endpoint}` : `AWS account (default credential chain), region ${config.region}`;
    // The SDK's default provider chain (environment, profile, SSO, ...), resolved once for the process: every client shares it.
    const chain = new PersonalizeClient({ region: config.region }).config.credentials;
    credentialsFor = (role) => (role === 'second' ? config.secondCredentials : chain);
  }
  return {
    config,
    kind: config.target,
    description,
    hasSecondAccount: config.target === 'mock' || (config.target !== 'replay' && config.secondCredentials !== undefined),
    governor,
    mock,
    stop: new RunStop(),
    accountJobs: new AccountJobs(),
    arranging: new ArrangeState(),
    clientsFor(scope) {
      const clients = new Map<string, PersonalizeClient>();
      // The scope's signal is read at each request (a getter: a World's is the scenario's, then its cleanup's); a spread would freeze it.
      const bound: WireScope = { log: scope.log, get signal() { return scope.signal; }, governor };
      const make = (role: ClientRole, once: boolean) => {
        const key = `${role}:${once}`;
        let client = clients.get(key);
        if (!client) {
          client = new PersonalizeClient({
            ...base,
            ...(once && { maxAttempts: 1 }),
            requestHandler: new ValidatingHttpHandler(transport, bound, limits),
            region: role === 'otherRegion' ? config.otherRegion : config.region,
            credentials: credentialsFor(role),
          });
          clients.set(key, client);
        }
        return client;
      };
      return {
        client: (role: ClientRole = 'primary') => make(role, false),
        clientOnce: (role: ClientRole = 'primary') => make(role, true),
        destroy() {
          for (const c of clients.values()) c.destroy();
          clients.clear();
        },
      };
    },
  };
}
