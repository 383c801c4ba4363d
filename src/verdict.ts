/**
 * What a scenario showed, in types that the steps, the hooks and the report share: the error
 * classes that decide a scenario's outcome (never the text of a message), the evidence a finding
 * carries, and the record each scenario leaves in the message stream for the report.
 *
 * - A Then step that sees the contract broken throws a ContractBreach: the scenario failed, with
 *   what was expected, what was observed and the exchanges that showed it.
 * - Anything that keeps a scenario from showing its requirement throws a NotShown (or a subclass):
 *   the scenario is "not shown", with a cause that tells the reader who can act on it.
 * - Any other error is a defect of the suite itself (a SuiteError once the hooks have seen it):
 *   never charged to the target, and the run ends as a run error.
 */

/**
 * Why a scenario could not show its requirement, by who can act on it:
 * - setup: the user can fix it (configure a second account, allow writes, add data, raise a budget);
 * - target: the target refused or failed to do what arranging needs (a create refused, a body the SDK could not read, a wait that timed out);
 * - choice: the target made a choice the contract allows, under which nothing can show the requirement
 *   (every unknown dataset refused: a long ARN's refusal cannot be told from a broken constraint);
 * - weather: throttling, server errors or transport trouble past the retries;
 * - limit: a safety limit of the suite (the call budget, a walk's cap on pages, bytes or time);
 * - stopped: the run was interrupted or reached its deadline;
 * - crash: the process running the scenario died before it finished;
 * - suite: a defect of the suite itself (please report it).
 */
export type NotShownCause = 'setup' | 'target' | 'choice' | 'weather' | 'limit' | 'stopped' | 'crash' | 'suite';

/** The causes a user can fix by configuration or data, for the report's wording. */
export const USER_FIXABLE_CAUSES: readonly NotShownCause[] = ['setup', 'limit'];

/** One request and its answer as the wire carried them (src/wire.ts keeps these per scenario). */
export interface Exchange {
  /** 1-based, in the order the scenario sent them (retries included). */
  n: number;
  operation: string;
  /** The request body as sent (JSON text). */
  request: string;
  /** The HTTP status, or null when no answer came (a reset, a time-out). */
  status: number | null;
  /** The error type as the wire carried it (header, code or __type), for error answers. */
  errorType?: string;
  /** The response body as received; cut when it was kept only in part (see `truncated`). */
  response: string;
  /** Bytes of the response body, whole. */
  responseBytes: number;
  /** Whether `response` holds only part of the body (the scenario's body budget was spent). */
  truncated?: boolean;
  /** What the client saw when there was no answer (a time-out, a reset). */
  transportError?: string;
  /** The service's clock at the answer, from its Date header (ms since the epoch). */
  serverDate?: number;
}

/** An exchange as a finding shows it: why it matters, and its bodies cut to what matters. */
export interface Evidence extends Exchange {
  /** Why this exchange is evidence ("page 2 of the listing", "the request sent again"). */
  note?: string;
}

/** What a finding points at: exchanges by number, and what in their bodies matters. */
export interface EvidenceRef {
  exchanges: number[];
  /** Values (job ARNs or names) around which long lists in the bodies are kept. */
  focus?: string[];
  /** Notes per exchange number. */
  notes?: Record<number, string>;
  /** Exchanges made outside the scenario (the run's arranging of shared data), already resolved. */
  outside?: Evidence[];
}

/** A broken promise, as a Then step states it. */
export interface FindingSpec {
  /** The requirement it breaks; the scenario's own when left out. */
  requirement?: string;
  /** What the contract asks for, in a sentence. */
  expected: string;
  /** What the target did instead, in a sentence (target text in it is data, escaped where it lands). */
  observed: string;
  evidence?: EvidenceRef;
}

/** A broken promise as the report carries it: the exchanges resolved, and how to reproduce the first. */
export interface Finding {
  requirement: string;
  expected: string;
  observed: string;
  evidence: Evidence[];
  /** One command that sends the first exchange of the evidence again, against the same target. */
  reproduce?: string;
  /** The scenario it was seen in, when that is not the requirement's own. */
  seenIn?: string;
}

/** The scenario's own requirement broken: the scenario failed. */
export class ContractBreach extends Error {
  constructor(readonly finding: FindingSpec) {
    super(`${finding.observed}; expected: ${finding.expected}`);
    this.name = 'ContractBreach';
    // The message says all: a stack into the suite's code tells the reader of a report nothing.
    this.stack = `${this.name}: ${this.message}`;
  }
}

/** The scenario could not show its requirement: not shown, with its cause and reason. */
export class NotShown extends Error {
  constructor(readonly cause: NotShownCause, readonly reason: string, readonly evidence?: EvidenceRef) {
    super(reason);
    this.name = 'NotShown';
    this.stack = `${this.name} (${cause}): ${reason}`;
  }
}

/** The data a scenario needs could not be arranged (the target refused, or the user must configure something). */
export class ArrangementFailed extends NotShown {
  constructor(reason: string, cause: NotShownCause = 'target', evidence?: EvidenceRef) {
    super(cause, `could not arrange: ${reason}`, evidence);
    this.name = 'ArrangementFailed';
  }
}

/** Throttling, a server error or transport trouble past the retries: no verdict either way. */
export class Weather extends NotShown {
  constructor(reason: string, evidence?: EvidenceRef) {
    super('weather', reason, evidence);
    this.name = 'Weather';
  }
}

/** The run is stopping (a signal, its deadline): the scenario ends without a verdict. */
export class Stopped extends NotShown {
  constructor(reason: string) {
    super('stopped', reason);
    this.name = 'Stopped';
  }
}

/** A step outlived its time (CONFORMANCE_STEP_TIMEOUT_MS): the endpoint was too slow for a verdict. */
export class StepTimedOut extends NotShown {
  constructor(readonly ms: number) {
    super('limit', `a step did not end within ${ms} ms (CONFORMANCE_STEP_TIMEOUT_MS): the endpoint is too slow for a verdict`);
    this.name = 'StepTimedOut';
  }
}

/** A safety limit of the suite was reached (the call budget, a walk's cap): not shown. */
export class LimitReached extends NotShown {
  constructor(reason: string, evidence?: EvidenceRef) {
    super('limit', reason, evidence);
    this.name = 'LimitReached';
  }
}

/** The outcome of one scenario, decided in its After hook from the classes above. */
export type ScenarioOutcome = 'passed' | 'failed' | 'not shown';

/** A schema break, null member or other observation seen on the wire, charged by the report to the requirement of its field. */
export interface Charge {
  /** "ListDatasetImportJobs response", "ListDatasetImportJobs error", "ListDatasetImportJobs request". */
  body: string;
  /** JSON pointer, array indices as `*`. */
  pointer: string;
  /** The schema keyword, or an observation: "null", "endless", "refused". */
  keyword: string;
  text: string;
  /** The exchange it was seen in, resolved. */
  evidence: Evidence[];
  reproduce?: string;
}

/** Media type of the record each scenario attaches to the message stream (read by src/report.ts). */
export const SCENARIO_RECORD_MEDIA_TYPE = 'application/vnd.conformance.scenario+json';
/** Media type of the human-readable evidence attached beside it (shown in cucumber's HTML report). */
export const EVIDENCE_MEDIA_TYPE = 'text/markdown';

/** What one scenario leaves for the report: its outcome, why, and what the wire showed. */
export interface ScenarioRecord {
  version: 2;
  outcome: ScenarioOutcome;
  /** For "not shown": who can act, and why. */
  notShown?: { cause: NotShownCause; reason: string; evidence: Evidence[] };
  /** For "failed": the broken promises of the scenario's own requirement (the first is the one that stopped it). */
  failures: Finding[];
  /** Observations on the wire charged to the requirement of their field, wherever seen. */
  charges: Charge[];
  apiCalls: number;
  validatedBodies: number;
  unknownMembers: string[];
  cleanupProblems: string[];
}
