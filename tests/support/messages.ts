/**
 * A cucumber message stream (messages.ndjson) of finished scenarios, each with the record the
 * suite's After hook attaches, as the report builder reads it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCENARIO_RECORD_MEDIA_TYPE, type Finding, type NotShownCause, type ScenarioRecord } from '../../src/verdict';
import { tempDir } from './temp';

export interface ScenarioSpec {
  name: string;
  requirement: string;
  outcome: ScenarioRecord['outcome'];
  failures?: Finding[];
  notShown?: { cause: NotShownCause; reason: string };
}

function record(s: ScenarioSpec): ScenarioRecord {
  return {
    version: 2, outcome: s.outcome, failures: s.failures ?? [], charges: [],
    ...(s.notShown && { notShown: { ...s.notShown, evidence: [] } }),
    apiCalls: 3, validatedBodies: 2, unknownMembers: [], cleanupProblems: [],
  };
}

/** Writes the stream to a fresh folder and returns the file's path. */
export function messagesFile(scenarios: ScenarioSpec[]): string {
  const at = (seconds: number) => ({ seconds, nanos: 0 });
  const lines = scenarios.flatMap((s, i) => [
    { pickle: { id: `p${i}`, name: s.name, uri: 'features/pagination.feature', tags: [{ name: `@req:${s.requirement}` }], astNodeIds: [] } },
    { testCase: { id: `c${i}`, pickleId: `p${i}` } },
    { testCaseStarted: { id: `s${i}`, testCaseId: `c${i}`, timestamp: at(100 + i) } },
    { attachment: { testCaseStartedId: `s${i}`, mediaType: SCENARIO_RECORD_MEDIA_TYPE, body: JSON.stringify(record(s)) } },
    { testCaseFinished: { testCaseStartedId: `s${i}`, timestamp: at(101 + i), willBeRetried: false } },
  ]);
  const file = join(tempDir('report-messages-'), 'messages.ndjson');
  writeFileSync(file, [...lines, { testRunFinished: {} }].map((l) => JSON.stringify(l)).join('\n') + '\n');
  return file;
}
