/**
 * The evidence of a scenario as text for cucumber's HTML report (an attachment beside the
 * scenario's steps): each finding with what was expected and observed, its exchanges and the
 * command that reproduces the first. Target text is shown in fenced blocks the content cannot close.
 */
import type { Evidence, ScenarioRecord } from '../../src/verdict';

/** A fence longer than any run of backticks in the text, so the text cannot end the block. */
function fenced(text: string, lang = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${text}\n${fence}`;
}

function exchangeText(x: Evidence): string {
  const answer = x.status === null ? `no answer (${x.transportError ?? 'transport trouble'})` : `HTTP ${x.status}${x.errorType ? ` ${x.errorType}` : ''}`;
  return [`Exchange ${x.n}: ${x.operation}${x.note ? ` (${x.note})` : ''}: ${answer}`, fenced(x.request, 'json'), fenced(x.response || '(empty body)', 'json')].join('\n');
}

export function evidenceMarkdown(record: ScenarioRecord): string {
  const parts: string[] = [];
  for (const f of record.failures) {
    parts.push(`Expected: ${f.expected}`, `Observed: ${f.observed}`, ...f.evidence.map(exchangeText));
    if (f.reproduce) parts.push('Reproduce:', fenced(f.reproduce, 'sh'));
  }
  if (record.notShown) parts.push(`Not shown (${record.notShown.cause}): ${record.notShown.reason}`, ...record.notShown.evidence.map(exchangeText));
  return parts.join('\n\n');
}
