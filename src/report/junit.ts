/**
 * junit.xml: one test case per scenario (classname: its requirement and level), in a suite named
 * without volatile parts (the implementation and the target name, never a port), with times.
 *
 * How each class appears, so that CI's view never disagrees with the exit code:
 * - passed: a test case that passed;
 * - failed (MUST), and failed (SHOULD) under --strict: a <failure> whose body is the evidence
 *   (expected, observed, the exchanges, the command that reproduces the first);
 * - failed (SHOULD) without --strict: a *skipped* test case whose message begins "SHOULD not met",
 *   the evidence in its <system-out>. The run's exit code is 0 for it, and CI tools (Jenkins,
 *   GitLab, GitHub annotations) turn a step red on any <failure>: a skip keeps a passing step green
 *   and still shows the defect in the test list;
 * - known deviation: skipped, "known deviation of <target>: …", the evidence in <system-out>;
 * - not shown: skipped, "not shown (<cause>): <reason>".
 * A requirement failed only by what other scenarios saw (a schema break of its field) has no
 * scenario of its own that failed: it gets a test case of its own, "<ID>: findings seen in other
 * scenarios", so a failing run never has a green junit.xml. The testsuite's counts are those of the
 * report's scenarios, plus such cases; the requirement counts and the verdict are <properties>.
 *
 * Every character XML 1.0 forbids is replaced by a visible escape, the rest escaped (src/escape.ts).
 */
import { xmlAttribute as attr, xmlText as text } from '../escape';
import { redactValue } from '../redact';
import type { Evidence, Finding } from '../verdict';
import { answerOf, clip, COUNT_ORDER, failsRun, isFailed, levelLabel, REASON_LENGTH, responseLabel, SCENARIO_COUNT_ORDER } from './presentation';
import type { ConformanceReport, RequirementResult, ScenarioResult } from './types';

/** A test case and how it ended, before it is written. */
interface Case {
  classname: string;
  name: string;
  file?: string;
  seconds?: number;
  outcome: 'passed' | 'failure' | 'skipped';
  message?: string;
  type?: string;
  /** The failure's body, or the skipped case's system-out: plain text. */
  evidence?: string;
}

const none = (x: string) => x;

function exchangeText(x: Evidence): string {
  return [
    `Exchange ${x.n}: ${x.operation}${x.note ? ` (${x.note})` : ''}: ${answerOf(x, none)}`,
    'request:',
    x.request || '(empty body)',
    `${responseLabel(x)}:`,
    x.response || '(empty body)',
  ].join('\n');
}

function findingText(f: Finding): string {
  return [
    `Expected: ${f.expected}`,
    `Observed: ${f.observed}`,
    ...(f.seenIn ? [`Seen in: ${f.seenIn}`] : []),
    ...f.evidence.map(exchangeText),
    ...(f.reproduce ? ['Reproduce:', f.reproduce] : []),
  ].join('\n');
}

function evidenceText(findings: Finding[]): string | undefined {
  return findings.length ? findings.map(findingText).join('\n\n') : undefined;
}

const classnameOf = (q: RequirementResult) => `${q.id} (${levelLabel(q.level)})`;
const fileOf = (location: string) => location.replace(/:\d*$/, '');

function scenarioCase(s: ScenarioResult, q: RequirementResult, r: ConformanceReport): Case {
  const base = { classname: classnameOf(q), name: s.name, file: fileOf(s.location), seconds: s.seconds };
  const reason = s.reason ?? q.reason ?? '';
  const evidence = evidenceText(s.findings);
  switch (s.class) {
    case 'passed':
      return { ...base, outcome: 'passed' };
    case 'failed (MUST)':
    case 'failed (SHOULD)':
      return failsRun(s.class, r)
        ? { ...base, outcome: 'failure', type: s.class, message: reason, evidence }
        : { ...base, outcome: 'skipped', message: `SHOULD not met (not failing the run without --strict): ${reason}`, evidence };
    case 'known deviation':
      return { ...base, outcome: 'skipped', message: `known deviation of ${r.deviationsTarget}: ${q.reason ?? ''}; observed: ${reason}`, evidence };
    case 'not shown':
      return { ...base, outcome: 'skipped', message: `not shown (${s.notShown?.cause ?? 'no cause recorded'}): ${s.notShown?.reason ?? reason}` };
  }
}

/** A requirement failed (or deviating) only through what other scenarios saw. */
function chargedCase(q: RequirementResult, r: ConformanceReport): Case | undefined {
  const ownScenarioShowsIt = q.scenarios.some((s) => s.class === q.class);
  if ((!isFailed(q.class) && q.class !== 'known deviation') || ownScenarioShowsIt) return undefined;
  const base = { classname: classnameOf(q), name: `${q.id}: findings seen in other scenarios`, evidence: evidenceText(q.findings) };
  const reason = q.findings[0]?.observed ?? q.reason ?? '';
  if (failsRun(q.class, r)) return { ...base, outcome: 'failure', type: q.class, message: reason };
  if (q.class === 'known deviation') return { ...base, outcome: 'skipped', message: `known deviation of ${r.deviationsTarget}: ${q.reason ?? ''}` };
  return { ...base, outcome: 'skipped', message: `SHOULD not met (not failing the run without --strict): ${reason}` };
}

function casesOf(r: ConformanceReport): Case[] {
  return r.requirements.flatMap((q) => {
    const charged = chargedCase(q, r);
    return [...q.scenarios.map((s) => scenarioCase(s, q, r)), ...(charged ? [charged] : [])];
  });
}

const time = (seconds: number | undefined) => (seconds === undefined ? '' : ` time="${seconds.toFixed(3)}"`);

function caseXml(c: Case): string {
  const head = `    <testcase classname="${attr(c.classname)}" name="${attr(c.name)}"${c.file ? ` file="${attr(c.file)}"` : ''}${time(c.seconds)}`;
  if (c.outcome === 'passed') return `${head}/>`;
  const message = attr(clip(c.message ?? '', REASON_LENGTH));
  const inner = c.outcome === 'failure'
    ? [`      <failure message="${message}" type="${attr(c.type ?? 'failure')}">${c.evidence ? text(c.evidence) : ''}</failure>`]
    : [`      <skipped message="${message}"/>`, ...(c.evidence ? [`      <system-out>${text(c.evidence)}</system-out>`] : [])];
  return [`${head}>`, ...inner, '    </testcase>'].join('\n');
}

function propertiesXml(r: ConformanceReport): string[] {
  const property = (name: string, value: string) => `      <property name="${attr(name)}" value="${attr(value)}"/>`;
  return [
    '    <properties>',
    property('verdict', r.verdict),
    property('verdict reason', r.verdictReason),
    ...(r.acceptsIncomplete ? [property('accepts incomplete', r.acceptsIncomplete)] : []),
    property('strict', String(r.strict)),
    ...COUNT_ORDER.map((c) => property(`requirements ${c}`, String(r.summary.requirements[c]))),
    ...SCENARIO_COUNT_ORDER.map((c) => property(`scenarios ${c}`, String(r.summary.scenarios[c]))),
    property('target', r.target),
    property('implementation', [r.implementation.name, r.implementation.version, r.implementation.url].filter(Boolean).join(' ')),
    property('suite version', r.suiteVersion),
    property('contract edition', r.contractEdition),
    ...(r.stopped ? [property('not finished', r.stopped)] : []),
    '    </properties>',
  ];
}

export function toJUnit(report: ConformanceReport): string {
  const r = redactValue(report);
  const cases = casesOf(r);
  const failures = cases.filter((c) => c.outcome === 'failure').length;
  const skipped = cases.filter((c) => c.outcome === 'skipped').length;
  const counts = `tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}"${time(r.summary.seconds)}`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ListDatasetImportJobs conformance" ${counts}>`,
    `  <testsuite name="${attr(`${r.implementation.name} (${r.deviationsTarget})`)}" ${counts} timestamp="${attr(r.generatedAt)}">`,
    ...propertiesXml(r),
    ...cases.map(caseXml),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
