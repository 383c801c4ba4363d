/**
 * The conformance report as every format reads it (conformance.json is this, serialised; its
 * schema is report/conformance.schema.json). One classification for every format:
 *
 * requirement classes (and scenario classes, but "not selected", which only a requirement has):
 * - passed: every selected scenario of it ran and passed;
 * - failed (MUST) / failed (SHOULD): a scenario broke it, or a finding elsewhere was charged to it;
 * - known deviation: it failed on a target whose known deviations list it;
 * - not shown: it did not fail, but a selected scenario of it could not show it (with the cause);
 * - not selected: no scenario of it was selected (tags, --requirement, a read-only profile).
 *
 * The verdict of a run:
 * - conformant: nothing failed (MUST, or SHOULD with --strict) and no selected MUST is not shown;
 * - not conformant: a MUST failed (or a SHOULD with --strict);
 * - incomplete: nothing failed, but a selected MUST is not shown (or a SHOULD with --strict), or no
 *   selected requirement was shown at all.
 */
import type { Finding, NotShownCause } from '../verdict';

export type Level = 'must' | 'should';

/** A part of a body that belongs to a requirement (features/requirements.json, "fields"). */
export interface Field { body: string; pointer: string; keyword?: string }

/** An entry of the requirement catalog (features/requirements.json). */
export interface Requirement { id: string; level: Level; statement: string; source: string; fields?: Field[] }

export type RequirementClass = 'passed' | 'failed (MUST)' | 'failed (SHOULD)' | 'known deviation' | 'not shown' | 'not selected';
export type ScenarioClass = Exclude<RequirementClass, 'not selected'>;
export const REQUIREMENT_CLASSES: readonly RequirementClass[] = ['failed (MUST)', 'failed (SHOULD)', 'known deviation', 'not shown', 'passed', 'not selected'];

export type Verdict = 'conformant' | 'not conformant' | 'incomplete';

/** Exit codes of a run, one per verdict (and per way a run can end without one). */
export const EXIT_CODES = {
  conformant: 0,
  'not conformant': 1,
  /** A configuration or usage error: nothing ran. */
  configuration: 2,
  incomplete: 3,
  /** The run itself broke (a crashed worker, a defect of the suite): the reports say what ran. */
  'run error': 4,
  SIGINT: 130,
  SIGTERM: 143,
} as const;

export type ClassCounts = Record<RequirementClass, number>;

export interface ScenarioResult {
  name: string;
  /** features/x.feature:LINE */
  location: string;
  requirement: string;
  level: Level;
  class: ScenarioClass;
  /** The first reason, one line: the first finding's observation, or why it was not shown. */
  reason?: string;
  notShown?: { cause: NotShownCause; reason: string };
  /** The broken promises of this scenario's own requirement, with their evidence. */
  findings: Finding[];
  seconds?: number;
}

export interface RequirementResult extends Requirement {
  class: RequirementClass;
  /** The first reason, one line (the table's column). */
  reason?: string;
  /** For "not shown": the causes of its scenarios that were not shown. */
  notShownCauses?: NotShownCause[];
  /** Every finding charged to it: its scenarios' and those seen elsewhere (schema breaks of its fields). */
  findings: Finding[];
  scenarios: ScenarioResult[];
  /** For a known deviation: what was observed and why it is accepted. */
  deviation?: { observed: string; reason: string };
}

/** The implementation under test, as the reports name it. */
export interface Implementation { name: string; version?: string; url?: string }

/** The format of conformance.json; a change that breaks readers bumps it. */
export const REPORT_API_VERSION = 'personalize-conformance/v2';

export interface ConformanceReport {
  apiVersion: typeof REPORT_API_VERSION;
  verdict: Verdict;
  /** Why the verdict is what it is, one sentence (the closing line carries it). */
  verdictReason: string;
  /** Whether this run's profile accepts an incomplete verdict (smoke, replay): the exit is then 0, and the closing line says so. */
  acceptsIncomplete?: string;
  target: string;
  implementation: Implementation;
  deviationsTarget: string;
  generatedAt: string;
  suiteVersion: string;
  sdkVersion: string;
  contractEdition: string;
  strict: boolean;
  /** What selected the scenarios: tags, requirements, profile. */
  selection?: string;
  summary: {
    requirements: ClassCounts;
    scenarios: Omit<ClassCounts, 'not selected'>;
    mustFailed: string[];
    shouldFailed: string[];
    /** MUST requirements not shown (what makes a run incomplete, besides a run that showed no requirement at all). */
    mustNotShown: string[];
    apiCalls: number;
    validatedBodies: number;
    seconds?: number;
  };
  /** Why the run stopped before every selected scenario ran, if it did. */
  stopped?: string;
  warnings: { unknownMembers: string[]; cleanup: string[] };
  /** Failed requirements first (MUST before SHOULD), then known deviations, not shown, passed, not selected. */
  requirements: RequirementResult[];
}

/** A requirement a named target is known to break (fixtures/known-deviations.schema.json). */
export interface Deviation { requirement: string; target: string; observed: string; reason: string }

/** What the report is built from (src/report/build.ts buildReport). */
export interface BuildInput {
  /** Cucumber's message stream of this run (in the run's private folder). */
  messagesFile: string;
  catalog: Requirement[];
  target: string;
  implementation: Implementation;
  /** The name known deviations are looked up under, and the deviations. */
  deviationsTarget: string;
  deviations: Deviation[];
  strict: boolean;
  /** What selected the scenarios, for the reader ("--requirement LDIJ-PAGE-001", "@readonly scenarios only"). */
  selection?: string;
  /** Set when the profile accepts an incomplete verdict, saying why ("the smoke run shows what an account's data allows"). */
  acceptsIncomplete?: string;
  suiteVersion: string;
  sdkVersion: string;
  contractEdition: string;
  /** Why the run stopped early (a signal, its deadline): scenarios that did not finish are not shown (stopped). */
  stopped?: string;
  /** How the process running the scenarios ended, when it crashed: scenarios that did not finish are not shown (crash). */
  crashed?: string;
  seconds?: number;
}
