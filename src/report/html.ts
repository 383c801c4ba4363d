/**
 * A banner on top of cucumber's HTML report: the verdict and why, who was tested, the count of every
 * class, and the requirements that failed or were not shown with their first reason. The evidence of
 * each failure is the attachment beside its scenario below. Target text is escaped (htmlText), and
 * the banner is inserted by slicing: a replacement string would read `$\``, `$'` or `$&` in a name as
 * "the text before/after the match" and copy the page's head into the banner.
 */
import { htmlText as h } from '../escape';
import { redactValue } from '../redact';
import { CAUSE_LABEL, clip, COUNT_ORDER, inTableOrder, isFailed, levelLabel, REASON_LENGTH } from './presentation';
import type { ConformanceReport, RequirementResult } from './types';

const COLOUR: Record<ConformanceReport['verdict'], string> = { conformant: '#1a7f37', 'not conformant': '#cf222e', incomplete: '#9a6700' };
const reasonOf = (q: RequirementResult) => h(clip(q.reason ?? '', REASON_LENGTH));

function countsTable(r: ConformanceReport): string {
  const row = (label: string, key: string, counts: Partial<Record<string, number>>) =>
    `<tr data-counts="${key}"><th style="text-align:left">${label}</th>${COUNT_ORDER.map((c) => `<td data-class="${h(c)}">${c in counts ? counts[c] : '–'}</td>`).join('')}</tr>`;
  return '<table style="border-collapse:collapse;margin:8px 0" cellpadding="4">'
    + `<tr><th></th>${COUNT_ORDER.map((c) => `<th>${h(c)}</th>`).join('')}</tr>`
    + row('Requirements', 'requirements', r.summary.requirements)
    + row('Scenarios', 'scenarios', r.summary.scenarios)
    + '</table>';
}

/** "LDIJ-PAGE-002 failed (MUST)", "LDIJ-PAGE-004 (MUST) not shown (the target refused or failed)". */
function requirementItem(q: RequirementResult): string {
  const what = isFailed(q.class) ? q.class
    : `(${levelLabel(q.level)}) ${q.class}${q.class === 'not shown' ? ` (${(q.notShownCauses ?? []).map((c) => CAUSE_LABEL[c]).join('; ')})` : ''}`;
  return `<li data-requirement="${h(q.id)}"><code>${h(q.id)}</code> ${h(what)}: ${reasonOf(q)}</li>`;
}

function requirementList(title: string, requirements: RequirementResult[]): string {
  if (!requirements.length) return '';
  return `<details open><summary>${title} (${requirements.length})</summary><ul>${requirements.map(requirementItem).join('')}</ul></details>`;
}

function about(r: ConformanceReport): string {
  const i = r.implementation;
  const implementation = [i.name, i.version, i.url ? `(${i.url})` : undefined].filter(Boolean).join(' ');
  return `<p style="margin:4px 0">Implementation <strong>${h(implementation)}</strong>, target <strong>${h(r.target)}</strong>; `
    + `suite ${h(r.suiteVersion)}, contract ${h(r.contractEdition)}, ${h(r.generatedAt)}${r.strict ? '; strict' : ''}</p>`;
}

export function htmlBanner(report: ConformanceReport): string {
  const r = redactValue(report);
  const ordered = inTableOrder(r.requirements);
  return `<section id="conformance-verdict" data-verdict="${h(r.verdict)}" style="font-family:sans-serif;padding:8px 16px;border-bottom:4px solid ${COLOUR[r.verdict]}">`
    + `<h1 style="font-size:1.4em;margin:0">ListDatasetImportJobs conformance: <span style="color:${COLOUR[r.verdict]}">${h(r.verdict)}</span></h1>`
    + `<p style="margin:4px 0" data-verdict-reason>${h(r.verdictReason)}</p>`
    + (r.acceptsIncomplete ? `<p style="margin:4px 0">This run's profile accepts an incomplete verdict: ${h(r.acceptsIncomplete)}.</p>` : '')
    + (r.stopped ? `<p style="margin:4px 0">The run did not finish: ${h(r.stopped)}.</p>` : '')
    + about(r)
    + countsTable(r)
    + requirementList('Failed', ordered.filter((q) => isFailed(q.class)))
    + requirementList('Known deviations', ordered.filter((q) => q.class === 'known deviation'))
    + requirementList('Not shown', ordered.filter((q) => q.class === 'not shown'))
    + '<p style="margin:4px 0">The evidence of each failure is attached to its scenario below, and in conformance.md.</p>'
    + '</section>';
}

/** Cucumber's HTML report with the banner first in its body (or first of all, if it has no body tag). */
export function withHtmlBanner(cucumberHtml: string, r: ConformanceReport): string {
  const body = /<body\b[^>]*>/i.exec(cucumberHtml);
  const at = body ? body.index + body[0].length : 0;
  return cucumberHtml.slice(0, at) + htmlBanner(r) + cucumberHtml.slice(at);
}
