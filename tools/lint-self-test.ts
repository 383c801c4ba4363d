/**
 * The lint's self-test: a small good specification passes every rule, and each bad variant of it
 * fails the rule it breaks (like the schema tests' invalid cases). Run first by `npm run lint`;
 * a rule that can no longer fail fails the lint.
 */
import { generateMessages } from '@cucumber/gherkin';
import { IdGenerator, SourceMediaType, type GherkinDocument, type Pickle } from '@cucumber/messages';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Requirement } from '../src/report';
import { recordingFileName } from '../src/recording';
import { wrongImports } from './import-direction';
import { dataProblems, dryRunProblems, identities, lintSpec, type LintInput } from './lint-rules';

const CATALOG: Requirement[] = [
  { id: 'LDIJ-TEST-001', level: 'must', statement: 'A listing MUST include every job.', source: 'API reference' },
  { id: 'LDIJ-TEST-002', level: 'should', statement: 'A page SHOULD be full.', source: 'API reference' },
];

const GOOD = `Feature: the lint's own example

  Rule: listings
    # "Returns a list of dataset import jobs" (API reference)

    @req:LDIJ-TEST-001 @must @readonly
    Scenario Outline: listing <size> at a time
      Given the account's jobs
      When I list them <size> at a time
      Then every job is listed
      And no job twice

      Examples:
        | size |
        | 1    |
        | 2    |

    @req:LDIJ-TEST-002 @should @writes @case:one
    Scenario: a page of one
      Given a dataset with 1 job
      When I list it
      Then the page is full

    @req:LDIJ-TEST-002 @should @writes @case:two
    Scenario: a page of two
      Given a dataset with 2 jobs
      When I list it
      Then the page is full
`;

/** An example of steps that read shared data, as fixtures/data-sets.json defines it. */
const DATA = `Feature: the data the lint's example reads

  Background:
    Given the shared datasets, arranged once for the run where the suite may write
      | dataset group | dataset | type         | where        | import jobs                             |
      | retail        | clicks  | Interactions | this account | 3 FULL, 2 INCREMENTAL, 2 FULL that fail |

  Scenario: a listing
    Given the shared dataset "clicks" with 7 import jobs
    When I list it
    Then the page is full
`;

function parse(text: string): { documents: GherkinDocument[]; pickles: Pickle[] } {
  const envelopes = generateMessages(text, 'features/example.feature', SourceMediaType.TEXT_X_CUCUMBER_GHERKIN_PLAIN, {
    includeGherkinDocument: true, includePickles: true, includeSource: false, newId: IdGenerator.incrementing(),
  });
  const errors = envelopes.filter((e) => e.parseError).map((e) => e.parseError!.message);
  if (errors.length) throw new Error(`the self-test's feature does not parse: ${errors.join('; ')}`);
  return {
    documents: envelopes.filter((e) => e.gherkinDocument).map((e) => e.gherkinDocument!),
    pickles: envelopes.filter((e) => e.pickle).map((e) => e.pickle!),
  };
}

/** The recordings folder the good specification needs: one per @readonly scenario, by id. */
function recordingsFor(text: string): Map<string, string | undefined> {
  const { documents, pickles } = parse(text);
  return new Map(identities(documents, pickles)
    .filter((i) => i.scenario && i.pickle.tags.some((t) => t.name === '@readonly'))
    .map((i) => [recordingFileName(i.scenario!), i.scenario!.id]));
}

function input(text = GOOD, catalog = CATALOG, recordings = recordingsFor(GOOD)): LintInput {
  return { catalog, ...parse(text), recordings };
}

/** The good text with `from` replaced by `to` (which must be there: a case that changes nothing proves nothing). */
function edit(from: string, to: string, text = GOOD): string {
  if (!text.includes(from)) throw new Error(`the self-test's edit finds no "${from}"`);
  return text.replace(from, to);
}

const goodRecordings = recordingsFor(GOOD);
const [firstRecording] = goodRecordings.keys();
const writingCase = identities(parse(GOOD).documents, parse(GOOD).pickles).find((i) => i.scenario?.case === 'one')!.scenario!;

/** Each bad input, and the words of the problem it must raise. */
const BAD: { name: string; problems: () => string[]; expect: string }[] = [
  { name: 'a second action written And', expect: 'has 2 actions', problems: () => lintSpec(input(edit('When I list them <size> at a time\n', 'When I list them <size> at a time\n      And I list them again\n'))) },
  { name: 'a second action written But', expect: 'has 2 actions', problems: () => lintSpec(input(edit('When I list it\n', 'When I list it\n      But I list it again\n'))) },
  { name: 'a second When after a Then', expect: 'has 2 actions', problems: () => lintSpec(input(edit('And no job twice\n', 'And no job twice\n      When I list them again\n'))) },
  { name: 'no action', expect: 'has 0 actions', problems: () => lintSpec(input(edit('      When I list it\n', ''))) },
  { name: 'a Rule without its source', expect: 'does not quote its source', problems: () => lintSpec(input(edit('    # "Returns a list of dataset import jobs" (API reference)\n', ''))) },
  { name: 'no requirement tag', expect: 'carries 0 @req: tags', problems: () => lintSpec(input(edit('@req:LDIJ-TEST-002 @should @writes @case:one', '@should @writes @case:one'))) },
  { name: 'two requirement tags', expect: 'carries 2 @req: tags', problems: () => lintSpec(input(edit('@req:LDIJ-TEST-002 @should @writes @case:one', '@req:LDIJ-TEST-002 @req:LDIJ-TEST-001 @should @writes @case:one'))) },
  { name: 'a requirement not in the catalog', expect: 'is not in features/requirements.json', problems: () => lintSpec(input(edit('@req:LDIJ-TEST-002 @should @writes @case:one', '@req:LDIJ-TEST-009 @should @writes @case:one'))) },
  { name: 'a level tag that is not the requirement\'s', expect: 'tag the scenario @should', problems: () => lintSpec(input(edit('@req:LDIJ-TEST-002 @should @writes @case:one', '@req:LDIJ-TEST-002 @must @writes @case:one'))) },
  { name: 'both levels', expect: 'either @must or @should', problems: () => lintSpec(input(edit('@should @writes @case:one', '@should @must @writes @case:one'))) },
  { name: 'neither @writes nor @readonly', expect: 'either @writes or @readonly', problems: () => lintSpec(input(edit('@should @writes @case:one', '@should @case:one'))) },
  { name: 'a requirement without a scenario', expect: 'LDIJ-TEST-003 has no scenario', problems: () => lintSpec(input(GOOD, [...CATALOG, { id: 'LDIJ-TEST-003', level: 'must', statement: 'It MUST.', source: 'API reference' }])) },
  { name: 'an id listed twice', expect: 'lists an id twice', problems: () => lintSpec(input(GOOD, [...CATALOG, CATALOG[0]])) },
  { name: 'a malformed id', expect: 'ids look like', problems: () => lintSpec(input(GOOD, [...CATALOG, { ...CATALOG[0], id: 'LDIJ-test-1' }])) },
  { name: 'an unknown level', expect: 'level must be must or should', problems: () => lintSpec(input(GOOD, [{ ...CATALOG[0], level: 'may' as 'must' }, CATALOG[1]])) },
  { name: 'a statement without its level\'s word', expect: 'statement says MUST', problems: () => lintSpec(input(GOOD, [{ ...CATALOG[0], statement: 'A listing includes every job.' }, CATALOG[1]])) },
  { name: 'a requirement without a source', expect: 'no source', problems: () => lintSpec(input(GOOD, [{ ...CATALOG[0], source: ' ' }, CATALOG[1]])) },
  { name: 'two scenarios of one requirement without @case:', expect: 'has the scenario id of', problems: () => lintSpec(input(edit('@writes @case:two', '@writes', edit('@writes @case:one', '@writes')))) },
  { name: 'two example rows alike', expect: 'has the scenario id of', problems: () => lintSpec(input(edit('        | 2    |\n', '        | 2    |\n        | 1    |\n'), CATALOG, goodRecordings)) },
  { name: 'a case name that is not short', expect: 'is not a short case name', problems: () => lintSpec(input(edit('@case:one', '@case:The_First_One'))) },
  { name: 'two @case: tags', expect: 'carries 2 @case: tags', problems: () => lintSpec(input(edit('@case:one', '@case:one @case:uno'))) },
  { name: 'a @readonly scenario without its recording', expect: 'has no recording', problems: () => lintSpec(input(GOOD, CATALOG, new Map([...goodRecordings].slice(1)))) },
  { name: 'an orphaned recording', expect: 'orphaned', problems: () => lintSpec(input(GOOD, CATALOG, new Map([...goodRecordings, ['LDIJ-TEST-001--00000000.json', '00000000']]))) },
  { name: 'a recording of a writing scenario', expect: 'orphaned', problems: () => lintSpec(input(GOOD, CATALOG, new Map([...goodRecordings, [recordingFileName(writingCase), writingCase.id]]))) },
  { name: 'an example value changed (its recording no longer fits)', expect: 'orphaned', problems: () => lintSpec(input(edit('        | 2    |\n', '        | 3    |\n'))) },
  { name: 'a recording whose metadata names another scenario', expect: 'says it is of scenario', problems: () => lintSpec(input(GOOD, CATALOG, new Map([...goodRecordings].map(([f, id]) => [f, f === firstRecording ? 'ffffffff' : id])))) },
  { name: 'an undefined step (dry run)', expect: 'undefined step', problems: () => dryRunProblems([{ testCase: { id: 'tc1', testSteps: [{ pickleStepId: 's1', stepDefinitionIds: [] }] } }]) },
  { name: 'an ambiguous step (dry run)', expect: 'ambiguous step', problems: () => dryRunProblems([{ testCase: { id: 'tc1', testSteps: [{ pickleStepId: 's1', stepDefinitionIds: ['d1', 'd2'] }] } }]) },
  { name: 'a step the dry run found undefined', expect: 'a step is undefined', problems: () => dryRunProblems([{ testStepFinished: { testStepResult: { status: 'UNDEFINED' } } }]) },
  { name: 'a step that says another count than the catalog', expect: 'fixtures/data-sets.json gives it 7', problems: () => dataProblems(parse(edit('with 7 import jobs', 'with 8 import jobs', DATA)).pickles, { wholeSuite: false }) },
  { name: 'a shared dataset the catalog does not define', expect: 'does not define', problems: () => dataProblems(parse(edit('the shared dataset "clicks"', 'the shared dataset "clocks"', DATA)).pickles, { wholeSuite: false }) },
  { name: 'a Background table that disagrees with the catalog', expect: 'in fixtures/data-sets.json, not', problems: () => dataProblems(parse(edit('| 3 FULL, 2 INCREMENTAL, 2 FULL that fail |', '| 7 FULL                                  |', DATA)).pickles, { wholeSuite: false }) },
  { name: 'a shared dataset no scenario reads', expect: 'no scenario reads the shared dataset', problems: () => dataProblems(parse(DATA).pickles, { wholeSuite: true }) },
  { name: 'an import against the direction', expect: 'src/ may import only from', problems: () => importsOf({ 'src/runner.ts': "import { world } from '../steps/support/world';\n", 'steps/support/world.ts': "export const world = 1;\n" }) },
];

/** Good inputs that must pass: the example, a reworded scenario (ids never come from titles), a good import. */
const GOOD_CASES: { name: string; problems: () => string[] }[] = [
  { name: 'the good example', problems: () => lintSpec(input()) },
  { name: 'the good example with its titles and steps reworded', problems: () => lintSpec(input(edit('Scenario Outline: listing <size> at a time', 'Scenario Outline: walking the listing, <size> per page', edit('Then every job is listed', 'Then each job is listed')))) },
  { name: 'steps whose data agrees with the catalog', problems: () => dataProblems(parse(DATA).pickles, { wholeSuite: false }) },
  { name: 'an import in the direction', problems: () => importsOf({ 'steps/support/world.ts': "import { run } from '../../src/runner';\n", 'src/runner.ts': "export const run = 1;\n" }) },
];

function importsOf(files: Record<string, string>): string[] {
  const root = mkdtempSync(join(tmpdir(), 'lint-imports-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return wrongImports(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export function lintSelfTest(): { cases: number; failures: string[] } {
  const failures: string[] = [];
  const attempt = (name: string, f: () => string[]): string[] | undefined => {
    try {
      return f();
    } catch (e) {
      failures.push(`${name}: ${(e as Error).message}`);
      return undefined;
    }
  };
  for (const c of GOOD_CASES) {
    const problems = attempt(c.name, c.problems);
    if (problems?.length) failures.push(`${c.name} should pass, but: ${problems.join(' | ')}`);
  }
  for (const c of BAD) {
    const problems = attempt(c.name, c.problems);
    if (problems && !problems.some((p) => p.includes(c.expect))) failures.push(`${c.name} should fail with "${c.expect}", but got: ${problems.join(' | ') || 'no problem'}`);
  }
  return { cases: GOOD_CASES.length + BAD.length, failures };
}

if (require.main === module) {
  const { cases, failures } = lintSelfTest();
  for (const f of failures) console.log(`lint self-test: ${f}`);
  console.log(`lint self-test: ${cases} cases, ${failures.length} failures`);
  process.exit(failures.length ? 1 : 0);
}
