/**
 * The one stable identity of a scenario: its requirement, whether it reads the account as it is
 * or arranges its own data (@readonly, @writes), its explicit `@case:` tag if it has one, and for
 * an outline the values of its example row. Never the scenario's title or steps, so
 * rewording a scenario keeps its resource names and its recording; changing what it sends (an
 * example value) or what it stands for (its requirement or case) gives it a new identity.
 * Used for resource-name prefixes and recording file names alike.
 */
import { createHash } from 'node:crypto';

/** Length of the hash in resource names and file names: one length for both. */
export const SCENARIO_ID_LENGTH = 8;

/** The parts of a cucumber GherkinDocument and Pickle that identify a scenario (structural, no dependency). */
interface Cell { value: string }
interface Row { id: string; cells: readonly Cell[] }
interface Examples { tableHeader?: Row; tableBody: readonly Row[] }
interface ScenarioNode { id: string; examples: readonly Examples[] }
interface Child { scenario?: ScenarioNode; rule?: { children: readonly Child[] } }
export interface IdentifiedDocument { feature?: { children: readonly Child[] } }
export interface IdentifiedPickle { uri: string; name: string; astNodeIds: readonly string[]; tags: readonly { name: string }[] }

export interface ScenarioIdentity {
  requirement: string;
  /** 'readonly' or 'writes', from the scenario's tag (the lint requires exactly one). */
  access?: 'readonly' | 'writes';
  /** The `@case:` tag's value, where one requirement has several scenarios that examples cannot tell apart. */
  case?: string;
  /** The outline's example row, header to value, in column order. */
  example?: [string, string][];
  /** What the id is a hash of, readable: "LDIJ-ERR-001 writes case=filtered maxResults=0". */
  key: string;
  /** Hash of the key, SCENARIO_ID_LENGTH hex characters. */
  id: string;
}

export const REQUIREMENT_TAG = '@req:';
export const CASE_TAG = '@case:';

function tagValues(pickle: IdentifiedPickle, prefix: string): string[] {
  return pickle.tags.map((t) => t.name).filter((t) => t.startsWith(prefix)).map((t) => t.slice(prefix.length));
}

function findScenario(children: readonly Child[], id: string): ScenarioNode | undefined {
  for (const child of children) {
    if (child.scenario?.id === id) return child.scenario;
    const inRule = child.rule && findScenario(child.rule.children, id);
    if (inRule) return inRule;
  }
  return undefined;
}

/** The example row a pickle of an outline was made from, as header/value pairs. */
function exampleRow(document: IdentifiedDocument, pickle: IdentifiedPickle): [string, string][] | undefined {
  const [scenarioId, rowId] = pickle.astNodeIds;
  if (!rowId) return undefined;
  const scenario = findScenario(document.feature?.children ?? [], scenarioId);
  for (const examples of scenario?.examples ?? []) {
    const row = examples.tableBody.find((r) => r.id === rowId);
    if (row) return row.cells.map((cell, i) => [examples.tableHeader?.cells[i]?.value ?? String(i), cell.value]);
  }
  return undefined;
}

/** The scenario's identity; throws where it names no single requirement (the lint reports those). */
export function identifyScenario(document: IdentifiedDocument, pickle: IdentifiedPickle): ScenarioIdentity {
  const requirements = tagValues(pickle, REQUIREMENT_TAG);
  if (requirements.length !== 1) throw new Error(`${pickle.uri}: "${pickle.name}" carries ${requirements.length} ${REQUIREMENT_TAG} tags (exactly one)`);
  const cases = tagValues(pickle, CASE_TAG);
  if (cases.length > 1) throw new Error(`${pickle.uri}: "${pickle.name}" carries ${cases.length} ${CASE_TAG} tags (at most one)`);
  const example = exampleRow(document, pickle);
  const tags = new Set(pickle.tags.map((t) => t.name));
  const access = tags.has('@readonly') ? 'readonly' : tags.has('@writes') ? 'writes' : undefined;
  const key = [requirements[0], ...(access ? [access] : []), ...cases.map((c) => `case=${c}`), ...(example ?? []).map(([h, v]) => `${h}=${v}`)].join(' ');
  return {
    requirement: requirements[0],
    access,
    case: cases[0],
    example,
    key,
    id: createHash('sha256').update(key).digest('hex').slice(0, SCENARIO_ID_LENGTH),
  };
}
