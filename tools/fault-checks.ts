/**
 * Which fault breaks which check: reads the message streams of the fault runs (reports/faults/<fault>/
 * messages.ndjson, written by npm run test:faults) and lists every Then step definition with the
 * faults under which one of its steps failed. A check that no fault breaks is shown as such.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { TestStepResultStatus, type Envelope } from '@cucumber/messages';
import { join } from 'node:path';
import { COVERAGE_GATES } from '../steps/support/gates';

interface Stream { thenPatterns: Set<string>; brokenPatterns: Set<string> }

/** The Then step definitions a run used, and those whose steps failed in it. */
function readStream(file: string): Stream {
  const stepType = new Map<string, string | undefined>();
  const definitions = new Map<string, string>();
  const testSteps = new Map<string, { pickleStepId?: string; stepDefinitionIds?: readonly string[] }>();
  const failed: string[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const m = JSON.parse(line) as Envelope;
    if (m.pickle) for (const s of m.pickle.steps) stepType.set(s.id, s.type);
    if (m.stepDefinition) definitions.set(m.stepDefinition.id, m.stepDefinition.pattern.source);
    if (m.testCase) for (const s of m.testCase.testSteps) testSteps.set(s.id, s);
    if (m.testStepFinished?.testStepResult.status === TestStepResultStatus.FAILED) failed.push(m.testStepFinished.testStepId);
  }
  const patternsOf = (s?: { stepDefinitionIds?: readonly string[] }) => (s?.stepDefinitionIds ?? []).map((id) => definitions.get(id)!).filter(Boolean);
  const thenPatterns = new Set([...testSteps.values()].filter((s) => s.pickleStepId && stepType.get(s.pickleStepId) === 'Outcome').flatMap(patternsOf));
  const brokenPatterns = new Set(failed.map((id) => testSteps.get(id)).filter((s) => s?.pickleStepId && stepType.get(s.pickleStepId) === 'Outcome').flatMap(patternsOf));
  return { thenPatterns, brokenPatterns };
}

/** Markdown: every Then step definition and the faults that broke it. */
export function thenStepsBrokenByFaults(faultsDir: string): { markdown: string; unbroken: string[] } {
  const byPattern = new Map<string, string[]>();
  for (const fault of readdirSync(faultsDir).sort()) {
    const file = join(faultsDir, fault, 'messages.ndjson');
    if (!existsSync(file)) continue;
    const { thenPatterns, brokenPatterns } = readStream(file);
    for (const p of thenPatterns) if (!byPattern.has(p)) byPattern.set(p, []);
    for (const p of brokenPatterns) byPattern.get(p)?.push(fault);
  }
  const gates = [...byPattern.keys()].filter((p) => COVERAGE_GATES.includes(p));
  const rows = [...byPattern].filter(([p]) => !COVERAGE_GATES.includes(p)).sort(([a], [b]) => a.localeCompare(b));
  const unbroken = rows.filter(([, f]) => !f.length).map(([p]) => p);
  const markdown = [
    '## Every check, and the faults that break it', '',
    `${rows.length - unbroken.length} of ${rows.length} Then steps fail under at least one fault.`, '',
    '| Then step | Broken by |', '| --- | --- |',
    ...rows.map(([p, f]) => `| ${p.replace(/\|/g, '\\|')} | ${f.join(', ') || '**none**'} |`), '',
    ...(gates.length ? ['Then steps that judge nothing of the target, and only decide whether a scenario could show its requirement (not shown, never failed):', '', ...gates.map((g) => `- ${g}`), ''] : []),
  ].join('\n');
  return { markdown, unbroken };
}

if (require.main === module) {
  const { markdown, unbroken } = thenStepsBrokenByFaults(join(__dirname, '..', 'reports', 'faults'));
  console.log(markdown);
  process.exitCode = unbroken.length ? 1 : 0;
}
