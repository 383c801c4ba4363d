/**
 * The rules of the suite's lint, as pure functions of what cucumber parsed (gherkin documents and
 * pickles, as in its message stream), the requirement catalog and the recordings folder, so that
 * tools/lint-self-test.ts can show each of them failing on a bad input.
 */
import { PickleStepType, type GherkinDocument, type Pickle } from '@cucumber/messages';
import type { Requirement } from '../src/report';
import { recordingFileName } from '../src/recording';
import { CASE_TAG, identifyScenario, REQUIREMENT_TAG, type ScenarioIdentity } from '../src/scenario-id';
import { planProblems, unusedFixtures } from '../src/arrange/plan';

export interface LintInput {
  catalog: Requirement[];
  documents: GherkinDocument[];
  pickles: Pickle[];
  /** The recordings folder: file name → the scenario id its metadata names (undefined: none). */
  recordings: Map<string, string | undefined>;
}

/** A short, readable @case: value. */
const CASE_VALUE = /^[a-z0-9][a-z0-9-]{0,23}$/;

export function catalogProblems(catalog: Requirement[]): string[] {
  const problems: string[] = [];
  if (new Set(catalog.map((r) => r.id)).size !== catalog.length) problems.push('features/requirements.json lists an id twice');
  for (const r of catalog) {
    if (!/^LDIJ-[A-Z]+-\d{3}$/.test(r.id)) problems.push(`${r.id}: ids look like LDIJ-AREA-000`);
    if (!['must', 'should'].includes(r.level)) problems.push(`${r.id}: level must be must or should`);
    const word = String(r.level).toUpperCase();
    if (!new RegExp(`\\b${word}\\b`).test(r.statement)) problems.push(`${r.id}: a ${r.level} requirement's statement says ${word}`);
    if (!r.source?.trim()) problems.push(`${r.id}: no source`);
  }
  return problems;
}

type Child = NonNullable<GherkinDocument['feature']>['children'][number];
type ScenarioNode = NonNullable<Child['scenario']>;

function scenariosOf(children: readonly Child[]): ScenarioNode[] {
  return children.flatMap((c) => (c.scenario ? [c.scenario] : c.rule ? scenariosOf(c.rule.children) : []));
}

/** Every Rule quotes its source in a comment on the line that follows it. */
export function ruleSourceProblems(documents: GherkinDocument[]): string[] {
  const problems: string[] = [];
  for (const doc of documents) {
    const commentLines = new Set(doc.comments.map((c) => c.location.line));
    for (const child of doc.feature?.children ?? []) {
      const rule = child.rule;
      if (rule && !commentLines.has(rule.location.line + 1)) problems.push(`${doc.uri}:${rule.location.line}: Rule "${rule.name}" does not quote its source in a comment on the next line`);
    }
  }
  return problems;
}

/**
 * One action per scenario. Gherkin gives each pickle step its type, an And or But taking the type
 * of the step before it: a second action written "And" counts as the action it is.
 */
export function actionProblems(documents: GherkinDocument[], pickles: Pickle[]): string[] {
  const where = new Map(documents.flatMap((d) => scenariosOf(d.feature?.children ?? []).map((s) => [s.id, `${d.uri}:${s.location.line}`] as const)));
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const p of pickles) {
    const actions = p.steps.filter((s) => s.type === PickleStepType.ACTION).length;
    const scenario = p.astNodeIds[0];
    if (actions === 1 || seen.has(scenario)) continue;
    seen.add(scenario);
    problems.push(`${where.get(scenario) ?? p.uri}: scenario "${p.name}" has ${actions} actions (a When, or an And/But after it): one per scenario`);
  }
  return problems;
}

/** Tags: one known requirement, its level, read-only or writing; every requirement covered. */
export function tagProblems(catalog: Requirement[], pickles: Pickle[]): string[] {
  const byId = new Map(catalog.map((r) => [r.id, r]));
  const covered = new Set<string>();
  const problems: string[] = [];
  for (const p of pickles) {
    const where = `${p.uri}: "${p.name}"`;
    const tags = p.tags.map((t) => t.name);
    const reqs = tags.filter((t) => t.startsWith(REQUIREMENT_TAG)).map((t) => t.slice(REQUIREMENT_TAG.length));
    if (reqs.length !== 1) problems.push(`${where}: carries ${reqs.length} ${REQUIREMENT_TAG} tags (exactly one)`);
    for (const id of reqs) {
      const r = byId.get(id);
      if (!r) problems.push(`${where}: ${REQUIREMENT_TAG}${id} is not in features/requirements.json`);
      else {
        covered.add(id);
        if (!tags.includes(`@${r.level}`)) problems.push(`${where}: ${REQUIREMENT_TAG}${id} is a ${r.level} requirement; tag the scenario @${r.level}`);
      }
    }
    if (tags.includes('@must') === tags.includes('@should')) problems.push(`${where}: tag it either @must or @should`);
    if (tags.includes('@writes') === tags.includes('@readonly')) problems.push(`${where}: tag it either @writes or @readonly`);
    for (const c of tags.filter((t) => t.startsWith(CASE_TAG))) {
      if (!CASE_VALUE.test(c.slice(CASE_TAG.length))) problems.push(`${where}: ${c} is not a short case name (${CASE_VALUE.source})`);
    }
  }
  for (const r of catalog) if (!covered.has(r.id)) problems.push(`${r.id} has no scenario`);
  return problems;
}

/** Each pickle's identity, where it has one (tagProblems reports those without). */
export function identities(documents: GherkinDocument[], pickles: Pickle[]): { pickle: Pickle; scenario?: ScenarioIdentity; problem?: string }[] {
  const byUri = new Map(documents.map((d) => [d.uri, d]));
  return pickles.map((pickle) => {
    try {
      return { pickle, scenario: identifyScenario(byUri.get(pickle.uri) ?? {}, pickle) };
    } catch (e) {
      return { pickle, problem: (e as Error).message };
    }
  });
}

/** Scenario ids are unique: two scenarios that share one need a @case: tag to tell them apart. */
export function scenarioIdProblems(documents: GherkinDocument[], pickles: Pickle[]): string[] {
  const problems: string[] = [];
  const first = new Map<string, Pickle>();
  for (const { pickle, scenario, problem } of identities(documents, pickles)) {
    if (problem) {
      if (!problem.includes(REQUIREMENT_TAG)) problems.push(problem);
      continue;
    }
    const other = first.get(scenario!.id);
    if (other) problems.push(`${pickle.uri}: "${pickle.name}" has the scenario id of ${other.uri}: "${other.name}" (${scenario!.key}); tell them apart with a ${CASE_TAG} tag`);
    else first.set(scenario!.id, pickle);
  }
  return problems;
}

/** Each @readonly scenario has its recording, named by its id; every recording belongs to one. */
export function recordingProblems(documents: GherkinDocument[], pickles: Pickle[], recordings: Map<string, string | undefined>): string[] {
  const problems: string[] = [];
  const expected = new Set<string>();
  for (const { pickle, scenario } of identities(documents, pickles)) {
    if (!scenario || !pickle.tags.some((t) => t.name === '@readonly')) continue;
    const file = recordingFileName(scenario);
    expected.add(file);
    if (!recordings.has(file)) problems.push(`${pickle.uri}: "${pickle.name}" is @readonly but has no recording ${file} (${scenario.key}); record it (npm run record:fixtures)`);
    else {
      const recordedId = recordings.get(file);
      if (recordedId !== undefined && recordedId !== scenario.id) problems.push(`recording ${file} says it is of scenario ${recordedId}, not ${scenario.id}`);
    }
  }
  for (const file of recordings.keys()) {
    if (!expected.has(file)) problems.push(`recording ${file} is of no @readonly scenario (orphaned): delete it, or re-record (npm run record:fixtures)`);
  }
  return problems;
}

/** Undefined and ambiguous steps, from a cucumber dry run's messages. */
/** What the dry run's check reads of a message (cucumber's Envelope has these members). */
export interface DryRunMessage {
  testStepFinished?: { testStepResult: { status: string; message?: string } };
  testCase?: { id: string; testSteps: readonly { pickleStepId?: string; stepDefinitionIds?: readonly string[] }[] };
}

export function dryRunProblems(messages: DryRunMessage[]): string[] {
  const problems: string[] = [];
  for (const m of messages) {
    if (m.testStepFinished) {
      const status = m.testStepFinished.testStepResult.status;
      if (status === 'UNDEFINED' || status === 'AMBIGUOUS') problems.push(`a step is ${status.toLowerCase()}: ${m.testStepFinished.testStepResult.message ?? ''}`);
    } else if (m.testCase) {
      for (const s of m.testCase.testSteps) {
        if (s.pickleStepId && s.stepDefinitionIds?.length === 0) problems.push(`undefined step in test case ${m.testCase.id}`);
        if ((s.stepDefinitionIds?.length ?? 0) > 1) problems.push(`ambiguous step in test case ${m.testCase.id}`);
      }
    }
  }
  return problems;
}

/**
 * The data the steps read agrees with fixtures/data-sets.json (src/arrange/plan.ts): every shared
 * dataset a step names is in the catalog, with the count the step states, every Background table
 * shows the catalog's rows as they are, and (over the whole suite) every shared dataset is read by
 * some scenario, since each costs every writing run.
 */
export function dataProblems(pickles: Pickle[], o: { wholeSuite: boolean }): string[] {
  return [
    ...planProblems(pickles),
    ...(o.wholeSuite ? unusedFixtures(pickles).map((alias) => `fixtures/data-sets.json: no scenario reads the shared dataset "${alias}" (every writing run arranges it)`) : []),
  ];
}

/** Every rule above over one input. */
export function lintSpec(input: LintInput): string[] {
  return [
    ...catalogProblems(input.catalog),
    ...ruleSourceProblems(input.documents),
    ...actionProblems(input.documents, input.pickles),
    ...tagProblems(input.catalog, input.pickles),
    ...scenarioIdProblems(input.documents, input.pickles),
    ...recordingProblems(input.documents, input.pickles, input.recordings),
  ];
}
