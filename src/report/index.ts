/**
 * The conformance report: the requirement catalog, the builder (build.ts: a run's message stream →
 * ConformanceReport) and its formats. Renderers read only the ConformanceReport (types.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../paths';
import type { Implementation, Requirement } from './types';

export { ROOT } from '../paths';
export * from './types';
export { OBSERVATIONS, buildReport, runErrors } from './build';

export function loadCatalog(): Requirement[] {
  return (JSON.parse(readFileSync(join(ROOT, 'features', 'requirements.json'), 'utf8')) as { requirements: Requirement[] }).requirements; // the catalog; npm run lint checks it
}

export function describeImplementation(i: Implementation): string {
  return `${i.name}${i.version ? ` ${i.version}` : ''}${i.url ? ` (${i.url})` : ''}`;
}

export { closingLine, consoleSummary } from './console';
export { toMarkdown } from './markdown';
export { toJUnit } from './junit';
export { htmlBanner, withHtmlBanner } from './html';
