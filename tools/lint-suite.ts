/**
 * Lint of the suite itself (no endpoint is called):
 * - a cucumber dry run finds no undefined or ambiguous step;
 * - every scenario names exactly one requirement of features/requirements.json (@req:ID), its
 *   level (@must/@should, as the catalog says) and whether it writes (@writes/@readonly);
 * - every requirement of the catalog has a scenario, ids are unique and statements use the
 *   RFC 2119 word of their level;
 * - every Rule quotes its source in a comment, and every scenario has exactly one action (a When,
 *   an And/But after it counting as another);
 * - every scenario has its own stable id (src/scenario-id.ts), every @readonly scenario a
 *   recording in fixtures/recordings named by it, and no recording is orphaned;
 * - imports between folders run one way (tools/import-direction.ts);
 * - no fault of the catalog appears in the correct model (tools/faults-outside-model.ts);
 * - and first, each of these rules is shown failing on a bad input (tools/lint-self-test.ts).
 */
import { spawnSync } from 'node:child_process';
import type { Envelope } from '@cucumber/messages';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { RECORDINGS, ROOT } from '../src/paths';
import { loadCatalog } from '../src/report';
import { wrongImports } from './import-direction';
import { faultsInModel } from './faults-outside-model';
import { dataProblems, dryRunProblems, lintSpec } from './lint-rules';
import { lintSelfTest } from './lint-self-test';

/** The recordings folder: each file, and the scenario id its metadata names. */
export function readRecordings(dir: string): Map<string, string | undefined> {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  return new Map(files.map((f) => {
    let id: string | undefined;
    try {
      id = (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { recording?: { scenarioId?: string } }[])[0]?.recording?.scenarioId;
    } catch {
      id = 'unreadable';
    }
    return [f, id];
  }));
}

const selfTest = lintSelfTest();
const problems: string[] = [...wrongImports(ROOT), ...faultsInModel(ROOT)];
problems.push(...selfTest.failures.map((f) => `self-test: ${f}`));
const tmp = mkdtempSync(join(tmpdir(), 'lint-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const messagesFile = join(tmp, 'dry-run.ndjson');
const cucumber = join(dirname(require.resolve('@cucumber/cucumber/package.json')), 'bin', 'cucumber.js');
const run = spawnSync(process.execPath, [cucumber, '-p', 'lint', '--format', `message:${messagesFile}`], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' } });
if (run.status !== 0 && !run.stdout.includes('scenarios')) problems.push(`the dry run failed: ${run.stderr || run.stdout}`);

const messages = readFileSync(messagesFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Envelope);
const catalog = loadCatalog();
const pickles = messages.flatMap((m) => (m.pickle ? [m.pickle] : []));
problems.push(...lintSpec({
  catalog,
  documents: messages.flatMap((m) => (m.gherkinDocument ? [m.gherkinDocument] : [])),
  pickles,
  recordings: readRecordings(RECORDINGS),
}));
problems.push(...dryRunProblems(messages));
problems.push(...dataProblems(pickles, { wholeSuite: true }));

for (const p of problems) console.log(`lint: ${p}`);
console.log(`lint: ${pickles.length} scenarios, ${catalog.length} requirements, ${selfTest.cases} self-test cases, ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);
