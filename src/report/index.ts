/**
 * The conformance report: the requirement catalog, the builder (build.ts: a run's message stream →
 * ConformanceReport) and its formats. Renderers read only the ConformanceReport (types.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../paths';
import type { ConformanceReport, Implementation, Requirement } from './types';

export { ROOT } from '../paths';
export * from './types';
export { buildReport, runErrors } from './build';

export function loadCatalog(): Requirement[] {
  return (JSON.parse(readFileSync(join(ROOT, 'features', 'requirements.json'), 'utf8')) as { requirements: Requirement[] }).requirements;
}

export function describeImplementation(i: Implementation): string {
  return `${i.name}${i.version ? ` ${i.version}` : ''}${i.url ? ` (${i.url})` : ''}`;
}

/** Interim formats, until the renderers of src/report/{console,markdown,junit,html}.ts land. */
export function closingLine(r: ConformanceReport): string {
  const counts = (c: Record<string, number>) => Object.entries(c).map(([k, v]) => `${v} ${k}`).join(', ');
  return `${r.verdict}: requirements ${counts(r.summary.requirements)}; scenarios ${counts(r.summary.scenarios)}`;
}

export function toMarkdown(r: ConformanceReport): string {
  return [`# ListDatasetImportJobs conformance report`, '', `**${r.verdict}**: ${r.verdictReason}`, '', '```json', JSON.stringify(r, null, 1).replace(/```/g, '`\u200b``'), '```', ''].join('\n');
}

const xml = (t: string) => t.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');

export function toJUnit(r: ConformanceReport): string {
  const cases = r.requirements.flatMap((q) => q.scenarios.map((s) => {
    const head = `<testcase classname="${xml(`${q.id} (${q.level.toUpperCase()})`)}" name="${xml(s.name)}">`;
    if (s.class === 'failed (MUST)' || (s.class === 'failed (SHOULD)' && r.strict)) return `${head}<failure message="${xml(s.reason ?? '')}"/></testcase>`;
    if (s.class !== 'passed') return `${head}<skipped message="${xml(`${s.class}: ${s.reason ?? ''}`)}"/></testcase>`;
    return `${head}</testcase>`;
  }));
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="${xml(r.implementation.name)}" tests="${cases.length}">\n${cases.join('\n')}\n</testsuite></testsuites>\n`;
}

export function withHtmlBanner(html: string, r: ConformanceReport): string {
  const banner = `<header>${xml(`${r.verdict}: ${r.verdictReason}`)}</header>`;
  const at = html.indexOf('<body>');
  return at < 0 ? banner + html : html.slice(0, at + 6) + banner + html.slice(at + 6);
}
