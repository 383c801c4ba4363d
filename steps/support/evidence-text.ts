/**
 * The evidence of a scenario for cucumber's HTML report (an attachment beside the scenario's
 * steps), rendered as conformance.md renders it: each finding with what was expected and observed,
 * its exchanges and the command that reproduces the first; target text escaped.
 */
import { findingBlock, notShownBlock } from '../../src/report/markdown';
import type { ScenarioRecord } from '../../src/verdict';

export function evidenceMarkdown(record: ScenarioRecord): string {
  const parts = [
    ...record.failures.flatMap(findingBlock),
    ...(record.notShown ? notShownBlock(record.notShown.cause, record.notShown.reason, record.notShown.evidence) : []),
  ];
  return parts.join('\n');
}
