/**
 * What a run prints when it ends: a line per requirement that did not pass (its first reason), then
 * the closing line, which the caller prints last. Target text is escaped for a terminal: no escape
 * sequence, hyperlink, NUL or bidi override reaches it raw.
 */
import { terminal } from '../escape';
import { redactValue } from '../redact';
import { CAUSE_LABEL, clip, COUNT_ORDER, countsPhrase, inTableOrder, REASON_LENGTH, SCENARIO_COUNT_ORDER } from './presentation';
import type { ConformanceReport, RequirementResult } from './types';

const PREFIX = 'conformance: ';

const reasonOf = (r: RequirementResult): string => terminal(clip(r.reason ?? 'no reason recorded', REASON_LENGTH));

function requirementLine(r: RequirementResult, report: ConformanceReport): string | undefined {
  switch (r.class) {
    case 'failed (MUST)':
      return `${r.id} failed (MUST): ${reasonOf(r)}`;
    case 'failed (SHOULD)':
      return `${r.id} failed (SHOULD${report.strict ? ', failing the run under --strict' : ', not failing the run without --strict'}): ${reasonOf(r)}`;
    case 'known deviation':
      return `${r.id} known deviation of ${terminal(report.deviationsTarget)}: ${reasonOf(r)}`;
    case 'not shown':
      return `${r.id} not shown (${(r.notShownCauses ?? []).map((c) => CAUSE_LABEL[c]).join('; ') || 'no cause recorded'}): ${reasonOf(r)}`;
    default:
      return undefined;
  }
}

/** Whether --quiet keeps the line of this requirement: what decides the verdict (failures, MUST not shown). */
function decidesVerdict(r: RequirementResult, report: ConformanceReport): boolean {
  return r.class === 'failed (MUST)' || r.class === 'failed (SHOULD)' || (r.class === 'not shown' && (r.level === 'must' || report.strict));
}

/**
 * The lines printed before the closing line: each failed requirement with its first reason (also
 * under --quiet), each not-shown requirement with its cause (under --quiet only those that make the
 * run incomplete), each known deviation, and why the run ended early if it did.
 */
export function consoleSummary(given: ConformanceReport, options: { quiet?: boolean } = {}): string[] {
  const report = redactValue(given);
  const lines: string[] = [];
  for (const r of inTableOrder(report.requirements)) {
    if (options.quiet && !decidesVerdict(r, report)) continue;
    const line = requirementLine(r, report);
    if (line) lines.push(line);
  }
  if (report.stopped) lines.push(`the run did not finish: ${terminal(report.stopped)}`);
  if (report.verdict === 'incomplete' && report.acceptsIncomplete) lines.push(`an incomplete verdict is accepted here: ${terminal(report.acceptsIncomplete)}`);
  if (!options.quiet) {
    const { unknownMembers, cleanup } = report.warnings;
    if (unknownMembers.length) lines.push(`warning: members outside the schemas: ${unknownMembers.length} (listed in conformance.md)`);
    if (cleanup.length) lines.push(`warning: cleanup problems: ${cleanup.length} (listed in conformance.md)`);
  }
  return lines.map((l) => PREFIX + l);
}

/**
 * The last line of a run, one line: the verdict, then the count of every class (zeros included,
 * named as in conformance.json), for requirements and for scenarios:
 *
 *   not conformant: requirements 40 passed, 1 failed (MUST), 1 failed (SHOULD), 1 known deviation, 1 not shown, 0 not selected; scenarios 128 passed, 2 failed (MUST), 1 failed (SHOULD), 2 known deviation, 3 not shown
 *
 * An incomplete verdict that the run's profile accepts reads "incomplete (accepted by this run's
 * profile)"; a run that did not finish ends with "; not finished: <why>".
 */
export function closingLine(given: ConformanceReport): string {
  const report = redactValue(given);
  const accepted = report.verdict === 'incomplete' && report.acceptsIncomplete ? " (accepted by this run's profile)" : '';
  const { requirements, scenarios } = report.summary;
  const unfinished = report.stopped ? `; not finished: ${terminal(clip(report.stopped, REASON_LENGTH))}` : '';
  return `${report.verdict}${accepted}: requirements ${countsPhrase(requirements, COUNT_ORDER)}; scenarios ${countsPhrase(scenarios, SCENARIO_COUNT_ORDER)}${unfinished}`;
}
