/**
 * Each format of a report read back into counts, the way its reader would read it: the closing
 * line's words, conformance.json's object, conformance.md's counts table, junit.xml's attributes
 * and properties, the HTML banner's table.
 */
import { closingLine, htmlBanner, toJUnit, toMarkdown } from '../../src/report';
import type { ConformanceReport } from '../../src/report/types';
import { cells, table } from './markdown';
import { elements, parseXml, type XmlElement } from './xml';

export interface Counts { verdict: string; requirements: Record<string, number>; scenarios: Record<string, number> }

/** "40 passed, 1 failed (MUST)" → { passed: 40, 'failed (MUST)': 1 } */
function countList(text: string): Record<string, number> {
  return Object.fromEntries(text.split(', ').map((part) => {
    const m = /^(\d+) (.+)$/.exec(part);
    if (!m) throw new Error(`not a count: ${part}`);
    return [m[2], Number(m[1])];
  }));
}

export function fromClosingLine(line: string): Counts {
  const m = /^(conformant|not conformant|incomplete)(?: \(accepted by this run's profile\))?: requirements ([^;]+); scenarios ([^;]+)(?:; not finished: .*)?$/.exec(line);
  if (!m) throw new Error(`not a closing line: ${line}`);
  return { verdict: m[1], requirements: countList(m[2]), scenarios: countList(m[3]) };
}

export function fromJson(report: ConformanceReport): Counts {
  const parsed = JSON.parse(JSON.stringify(report)) as ConformanceReport;
  return { verdict: parsed.verdict, requirements: parsed.summary.requirements, scenarios: parsed.summary.scenarios };
}

export function fromMarkdown(md: string): Counts {
  const verdict = /^\*\*Verdict: (conformant|not conformant|incomplete)\.\*\*/m.exec(md)?.[1] ?? '';
  const header = cells(md.split('\n').find((l) => l.startsWith('| | '))!).slice(1);
  const rows = table(md, '');
  const row = (label: string) => {
    const cellsOf = rows.find((r) => r[0] === label)!.slice(1);
    return Object.fromEntries(header.map((c, i) => [c, cellsOf[i]]).filter(([, v]) => v !== '–').map(([c, v]) => [c, Number(v)]));
  };
  return { verdict, requirements: row('Requirements'), scenarios: row('Scenarios') };
}

export function junitSuite(xml: string): XmlElement {
  return elements(parseXml(xml), 'testsuite')[0];
}

/** The counts junit.xml states in its properties (requirements and scenarios, and the verdict). */
export function fromJUnitProperties(xml: string): Counts {
  const props = Object.fromEntries(elements(junitSuite(xml), 'property').map((p) => [p.attributes.name, p.attributes.value]));
  const counts = (prefix: string) => Object.fromEntries(Object.entries(props).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), Number(v)]));
  return { verdict: props.verdict, requirements: counts('requirements '), scenarios: counts('scenarios ') };
}

export function fromHtmlBanner(html: string): Counts {
  const verdict = /data-verdict="([^"]+)"/.exec(html)?.[1] ?? '';
  const row = (key: string) => {
    const tr = new RegExp(`<tr data-counts="${key}">(.*?)</tr>`).exec(html)?.[1] ?? '';
    return Object.fromEntries([...tr.matchAll(/<td data-class="([^"]+)">([^<]+)<\/td>/g)].filter((m) => m[2] !== '–').map((m) => [m[1], Number(m[2])]));
  };
  return { verdict, requirements: row('requirements'), scenarios: row('scenarios') };
}

/** Every format of `report`, rendered. */
export function renderAll(report: ConformanceReport) {
  return { closing: closingLine(report), markdown: toMarkdown(report), junit: toJUnit(report), banner: htmlBanner(report) };
}
