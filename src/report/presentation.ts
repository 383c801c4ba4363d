/**
 * What every format of the report says the same way: the order and names of the classes, who can
 * act on a cause of "not shown", how an exchange's answer reads. Each format redacts the report it is
 * given first (src/redact.ts: a credential cut in half by a clipped reason would escape redaction of
 * the written file), then escapes the target's text itself (src/escape.ts): helpers that mix our
 * words with target text take the escape to use.
 */
import type { Evidence, NotShownCause } from '../verdict';
import { USER_FIXABLE_CAUSES } from '../verdict';
import type { ClassCounts, ConformanceReport, RequirementClass, RequirementResult, ScenarioClass } from './types';
import { REQUIREMENT_CLASSES } from './types';

/** The order in which every format counts the classes: passed first, as a reader tallies a run. */
export const COUNT_ORDER: readonly RequirementClass[] = ['passed', 'failed (MUST)', 'failed (SHOULD)', 'known deviation', 'not shown', 'not selected'];
export const SCENARIO_COUNT_ORDER = COUNT_ORDER.filter((c): c is ScenarioClass => c !== 'not selected');

/** "40 passed, 1 failed (MUST), …": every class, zeros included, each named exactly as in conformance.json. */
export function countsPhrase(counts: Partial<ClassCounts>, order: readonly RequirementClass[]): string {
  return order.map((c) => `${counts[c] ?? 0} ${c}`).join(', ');
}

/** Requirements in the order of the table: failed (MUST before SHOULD), known deviations, not shown, passed, not selected. */
export function inTableOrder(requirements: readonly RequirementResult[]): RequirementResult[] {
  const rank = (c: RequirementClass) => REQUIREMENT_CLASSES.indexOf(c);
  return [...requirements].sort((a, b) => rank(a.class) - rank(b.class));
}

export const isFailed = (c: RequirementClass): boolean => c === 'failed (MUST)' || c === 'failed (SHOULD)';

/** Whether a requirement's class fails the run: a MUST failure, or a SHOULD failure under --strict. */
export function failsRun(c: RequirementClass, report: Pick<ConformanceReport, 'strict'>): boolean {
  return c === 'failed (MUST)' || (c === 'failed (SHOULD)' && report.strict);
}

/** The causes of "not shown" grouped by who can act on them, in the order a reader should look. */
export const NOT_SHOWN_GROUPS: readonly { title: string; causes: readonly NotShownCause[] }[] = [
  { title: 'Yours to fix (configuration, data, a limit of the suite)', causes: USER_FIXABLE_CAUSES },
  { title: "The target's (it refused or failed what arranging needs)", causes: ['target'] },
  { title: "The target's choice (the contract allows it, and under it nothing can show the requirement)", causes: ['choice'] },
  { title: 'Weather (throttling, server errors, transport trouble past the retries)', causes: ['weather'] },
  { title: 'The run (stopped, crashed, or a defect of the suite: please report it)', causes: ['stopped', 'crash', 'suite'] },
];

/** A cause as a short phrase that says who can act. */
export const CAUSE_LABEL: Record<NotShownCause, string> = {
  setup: 'setup: yours to fix',
  limit: 'a limit of the suite: yours to raise',
  target: 'the target refused or failed',
  choice: 'a choice the contract allows',
  weather: 'weather',
  stopped: 'the run stopped',
  crash: 'a crash',
  suite: 'a defect of the suite',
};

/** At most `max` characters (and never half a surrogate pair), with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = /[\ud800-\udbff]$/.test(text.slice(0, max)) ? max - 1 : max;
  return `${text.slice(0, cut)}…`;
}

/** Longest reason shown in a table cell, a console line or an XML attribute: the rest is in the evidence. */
export const REASON_LENGTH = 300;

/** "HTTP 400 InvalidInputException" or "no answer (socket hang up)", target parts escaped with `esc`. */
export function answerOf(x: Evidence, esc: (text: string) => string): string {
  if (x.status === null) return `no answer (${esc(x.transportError ?? 'transport trouble')})`;
  return `HTTP ${x.status}${x.errorType ? `, error type ${esc(x.errorType)}` : ''}`;
}

/** "response, 1234 bytes (only part kept)": what the body shown is. */
export function responseLabel(x: Evidence): string {
  return `response, ${x.responseBytes} bytes${x.truncated ? ' (only part kept)' : ''}`;
}

export const levelLabel = (level: 'must' | 'should'): string => level.toUpperCase();
