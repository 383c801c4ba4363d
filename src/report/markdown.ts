/**
 * conformance.md: the verdict first, the count of every class, the requirements in the order a
 * reader acts on them, then each failure with its evidence (expected, observed, the exchanges that
 * showed it, a command that reproduces the first) and each requirement not shown, grouped by who can
 * act. Target text lands only escaped (markdownText) or in fenced blocks it cannot close.
 */
import { markdownFence, markdownText } from '../escape';
import { redactValue } from '../redact';
import type { Evidence, Finding, NotShownCause } from '../verdict';
import {
  answerOf, CAUSE_LABEL, clip, COUNT_ORDER, inTableOrder, isFailed, levelLabel, NOT_SHOWN_GROUPS, REASON_LENGTH, responseLabel,
} from './presentation';
import type { ConformanceReport, Implementation, RequirementResult } from './types';

const md = markdownText;
const cell = (text: string | undefined): string => md(clip(text ?? '', REASON_LENGTH));

function describeImplementation(i: Implementation): string {
  return `${md(i.name)}${i.version ? ` ${md(i.version)}` : ''}${i.url ? ` (${md(i.url)})` : ''}`;
}

function verdictSection(r: ConformanceReport): string[] {
  const lines = [`**Verdict: ${r.verdict}.** ${md(r.verdictReason)}`, ''];
  if (r.acceptsIncomplete) lines.push(`This run's profile accepts an incomplete verdict: ${md(r.acceptsIncomplete)}.`, '');
  if (r.summary.shouldFailed.length && !r.strict) lines.push('A failed SHOULD does not fail the run without --strict.', '');
  if (r.stopped) lines.push(`The run did not finish: ${md(r.stopped)}.`, '');
  return lines;
}

function aboutSection(r: ConformanceReport): string[] {
  const s = r.summary;
  return [
    `- Target: ${md(r.target)}`,
    `- Implementation: ${describeImplementation(r.implementation)}`,
    `- Suite ${md(r.suiteVersion)}, @aws-sdk/client-personalize ${md(r.sdkVersion)}; contract: ${md(r.contractEdition)}`,
    `- Generated: ${md(r.generatedAt)}${r.strict ? '; strict: a failed SHOULD fails the run' : ''}`,
    ...(r.selection ? [`- Selection: ${md(r.selection)}`] : []),
    `- API calls: ${s.apiCalls}; response bodies validated against their schemas: ${s.validatedBodies}${s.seconds !== undefined ? `; ${s.seconds} s` : ''}`,
    '',
  ];
}

function countsSection(r: ConformanceReport): string[] {
  const { requirements, scenarios } = r.summary;
  const row = (label: string, counts: Partial<Record<string, number>>) =>
    `| ${label} | ${COUNT_ORDER.map((c) => (c in counts ? String(counts[c]) : '–')).join(' | ')} |`;
  return [
    `| | ${COUNT_ORDER.join(' | ')} |`,
    `| --- | ${COUNT_ORDER.map(() => '---:').join(' | ')} |`,
    row('Requirements', requirements),
    row('Scenarios', scenarios),
    '',
  ];
}

function requirementRow(q: RequirementResult): string {
  const result = isFailed(q.class) ? `**${q.class}**` : q.class;
  return `| ${md(q.id)} | ${levelLabel(q.level)} | ${result} | ${cell(q.statement)} | ${q.scenarios.length} | ${cell(q.reason)} |`;
}

function tableSection(r: ConformanceReport): string[] {
  return [
    '## Requirements',
    '',
    '| Requirement | Level | Result | Statement | Scenarios | First reason |',
    '| --- | --- | --- | --- | ---: | --- |',
    ...inTableOrder(r.requirements).map(requirementRow),
    '',
  ];
}

export function exchangeBlock(x: Evidence): string[] {
  return [
    `Exchange ${x.n}: ${md(x.operation)}${x.note ? ` (${md(x.note)})` : ''}: ${answerOf(x, md)}`,
    '',
    'request:',
    '',
    markdownFence(x.request || '(empty body)', 'json'),
    '',
    `${responseLabel(x)}:`,
    '',
    markdownFence(x.response || '(empty body)', 'json'),
    '',
  ];
}

/**
 * A finding as markdown: expected, observed, each exchange, the command that reproduces the first.
 * Also the evidence attached to a scenario for cucumber's HTML report (steps/support/evidence-text.ts),
 * so that the attachment and conformance.md show a failure the same way, escaped the same way.
 */
export function findingBlock(f: Finding): string[] {
  return [
    `- Expected: ${md(f.expected)}`,
    `- Observed: ${md(f.observed)}`,
    '',
    ...(f.evidence.length ? f.evidence.flatMap(exchangeBlock) : ['No exchange was kept for this finding.', '']),
    ...(f.reproduce ? ['Reproduce:', '', markdownFence(f.reproduce, 'sh'), ''] : []),
  ];
}

/** Why a scenario was not shown, with the exchanges that showed it, as markdown (for the scenario's attachment). */
export function notShownBlock(cause: NotShownCause, reason: string, evidence: Evidence[]): string[] {
  return [`- Not shown (${CAUSE_LABEL[cause]}): ${md(reason)}`, '', ...evidence.flatMap(exchangeBlock)];
}

/** The findings of a failed requirement: by the scenario of its own that showed them, then those seen in others. */
function requirementFindings(q: RequirementResult): string[] {
  const heading = `### ${md(q.id)} (${levelLabel(q.level)}): ${md(q.statement)}`;
  const own = q.scenarios.filter((s) => s.findings.length).map((s) => ({ title: `Scenario: ${md(s.name)} (${md(s.location)})`, findings: s.findings }));
  const elsewhere = q.findings.filter((f) => f.seenIn).map((f) => ({ title: `Seen in another scenario: ${md(f.seenIn!)}`, findings: [f] }));
  const groups = [...own, ...elsewhere];
  if (!groups.length) return [heading, '', `No finding was recorded: ${cell(q.reason ?? 'no reason recorded')}`, ''];
  return [heading, '', ...groups.flatMap((g) => [`#### ${g.title}`, '', ...g.findings.flatMap(findingBlock)])];
}

function failuresSection(r: ConformanceReport): string[] {
  const failed = inTableOrder(r.requirements).filter((q) => isFailed(q.class));
  return failed.length ? ['## Failures', '', ...failed.flatMap(requirementFindings)] : [];
}

function deviationsSection(r: ConformanceReport): string[] {
  const known = r.requirements.filter((q) => q.class === 'known deviation');
  if (!known.length) return [];
  return [
    `## Known deviations of ${md(r.deviationsTarget)}`,
    '',
    ...known.flatMap((q) => [
      `- ${md(q.id)} (${levelLabel(q.level)}): accepted, ${md(q.deviation?.observed ?? '')} (${md(q.deviation?.reason ?? '')}); observed in this run: ${md(q.findings[0]?.observed ?? q.reason ?? '')}`,
    ]),
    '',
  ];
}

/** Every scenario not shown, grouped by who can act on its cause. */
function notShownSection(r: ConformanceReport): string[] {
  const notShown = r.requirements.filter((q) => q.class === 'not shown')
    .flatMap((q) => q.scenarios.filter((s) => s.notShown).map((s) => ({ q, s, cause: s.notShown!.cause })));
  if (!notShown.length) return [];
  const groups = NOT_SHOWN_GROUPS.flatMap((g) => {
    const mine = notShown.filter((x) => g.causes.includes(x.cause));
    if (!mine.length) return [];
    return [`### ${g.title}`, '', ...mine.map(({ q, s }) => `- ${md(q.id)} (${levelLabel(q.level)}), ${md(s.name)} (${md(s.location)}): ${md(s.notShown!.reason)}`), ''];
  });
  return ['## Not shown', '', ...groups];
}

function warningsSection(r: ConformanceReport): string[] {
  const { unknownMembers, cleanup } = r.warnings;
  return [
    '## Warnings',
    '',
    unknownMembers.length
      ? 'Members the schemas do not know (allowed: clients ignore unknown members; the schemas may need a newer model):'
      : 'No member outside the schemas was seen.',
    ...(unknownMembers.length ? ['', ...unknownMembers.map((u) => `- ${md(u)}`)] : []),
    ...(cleanup.length ? ['', 'Cleanup problems:', '', ...cleanup.map((c) => `- ${md(c)}`)] : []),
    '',
  ];
}

export function toMarkdown(report: ConformanceReport): string {
  const r = redactValue(report);
  return [
    '# ListDatasetImportJobs conformance report',
    '',
    ...verdictSection(r),
    ...aboutSection(r),
    ...countsSection(r),
    ...tableSection(r),
    ...failuresSection(r),
    ...deviationsSection(r),
    ...notShownSection(r),
    ...warningsSection(r),
  ].join('\n');
}
