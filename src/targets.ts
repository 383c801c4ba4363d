/**
 * The endpoints the suite can drive. Every target is reached through @aws-sdk/client-personalize;
 * only where requests go, and with which credentials, differs.
 * - mock: the reference service in this process, behind an SDK request handler (no network at all)
 * - endpoint: any HTTP endpoint (the reference emulator, another emulator), AWS_ENDPOINT_URL_PERSONALIZE
 * - aws: a real account, credentials and region from the SDK's default provider chain
 */
import { PersonalizeClient, type PersonalizeClientConfig } from '@aws-sdk/client-personalize';
import { createReferenceFrontEnd, setupFromEnv, describeOptions, type AwsJsonFrontEnd } from '../reference-service';
import type { SuiteConfig } from './config';
import { CallGovernor, governor } from './budget';
import { recordingsLabel } from './recording';
import { InProcessHttpHandler } from './in-process';
import { ValidatingHttpHandler } from './wire';

/** Credentials of the two accounts of the in-process mock: fake by design, they sign nothing real. */
export const MOCK_CREDENTIALS = {
  primary: { accessKeyId: 'conformance-account-a', secretAccessKey: 'not-a-secret-a' },
  second: { accessKeyId: 'conformance-account-b', secretAccessKey: 'not-a-secret-b' },
};

export type ClientRole = 'primary' | 'second' | 'otherRegion';

export interface Target {
  kind: SuiteConfig['target'];
  /** Safe to print and report: no credentials. */
  description: string;
  /** Whether a second account is available for the cross-account requirement. */
  hasSecondAccount: boolean;
  client(role?: ClientRole): PersonalizeClient;
}

let mockFrontEnd: AwsJsonFrontEnd | undefined;

/**
 * The in-process mock, once per process: the reference service behind an SDK request handler, so
 * the SDK's middleware runs whole and the wire validator sees the service's bytes. nock only keeps
 * the network closed.
 */
function installMock(): AwsJsonFrontEnd {
  if (mockFrontEnd) return mockFrontEnd;
  mockFrontEnd = createReferenceFrontEnd({ ...setupFromEnv(), clock: 'request' });
  // Loaded only for this target: nock patches node:http, which other targets must not see.
  const nock = require('nock') as typeof import('nock');
  nock.disableNetConnect();
  return mockFrontEnd;
}

/** Replays the run's recordings in lockdown (no network): each scenario's Before hook loads its recording. */
function installReplay(config: SuiteConfig): void {
  const nock = require('nock') as typeof import('nock');
  nock.back.fixtures = config.recordings.dir;
  nock.back.setMode('lockdown');
  nock.disableNetConnect();
}

/** Records live exchanges per scenario (nock.back update mode), letting loopback through. */
function installRecorder(config: SuiteConfig): void {
  const nock = require('nock') as typeof import('nock');
  nock.back.fixtures = config.recordings.dir;
  nock.back.setMode('update');
  if (config.endpoint) nock.enableNetConnect(() => true);
}

export function createTarget(config: SuiteConfig): Target {
  const clients = new Map<ClientRole, PersonalizeClient>();
  governor.current = new CallGovernor({ budget: config.callBudget, maxPerSecond: config.maxRequestsPerSecond });
  // The preflight (in the runner's process) already spent these.
  governor.current.used = Number(process.env.CONFORMANCE_PREFLIGHT_CALLS) || 0;
  const inProcess = config.target === 'mock' || config.target === 'replay';
  const mock = config.target === 'mock' ? installMock() : undefined;
  const base: PersonalizeClientConfig = {
    requestHandler: new ValidatingHttpHandler(mock && new InProcessHttpHandler((request) => mock.handle(request)),
      { requestTimeoutMs: config.requestTimeoutMs, maxResponseBytes: config.maxResponseBytes }),
    ...(config.endpoint && { endpoint: config.endpoint }),
    // The SDK reads AWS_ENDPOINT_URL(_PERSONALIZE) itself: in-process targets must not follow a shell's setting.
    ...(inProcess && { ignoreConfiguredEndpointUrls: true }),
    // Throttling, 429 and 5xx are weather: back off and retry the way the SDK adapts to them.
    ...(!inProcess && { retryMode: 'adaptive', maxAttempts: 5 }),
  };
  let description: string;
  let credentialsFor: (role: ClientRole) => PersonalizeClientConfig['credentials'];

  if (config.target === 'mock') {
    const faults = setupFromEnv().faults;
    description = `in-process mock (reference service: ${describeOptions(mock!.service.options)}${faults ? `, faults ${faults}` : ''})`;
    credentialsFor = (role) => (role === 'second' ? MOCK_CREDENTIALS.second : MOCK_CREDENTIALS.primary);
  } else if (config.target === 'replay') {
    installReplay(config);
    description = `replay of ${recordingsLabel(config.recordings.dir)} (no network)`;
    credentialsFor = () => MOCK_CREDENTIALS.primary;
  } else {
    if (config.record) installRecorder(config);
    description = config.target === 'endpoint' ? `endpoint ${config.endpoint}` : `AWS account (default credential chain), region ${config.region}`;
    // undefined: the SDK's default provider chain (environment, profile, SSO, ...).
    credentialsFor = (role) => (role === 'second' ? config.secondCredentials : undefined);
  }

  return {
    kind: config.target,
    description,
    hasSecondAccount: config.target === 'mock' || (config.target !== 'replay' && config.secondCredentials !== undefined),
    client(role: ClientRole = 'primary') {
      let client = clients.get(role);
      if (!client) {
        client = new PersonalizeClient({
          ...base,
          region: role === 'otherRegion' ? config.otherRegion : config.region,
          credentials: credentialsFor(role),
        });
        clients.set(role, client);
      }
      return client;
    },
  };
}
