/**
 * Lint of the suite itself (no endpoint is called):
 * - a cucumber dry run finds no undefined or ambiguous step;
 * - every scenario names exactly one requirement of features/requirements.json (@req:ID), its
 *   level (@must/@should, as the catalog says) and whether it writes (@writes/@readonly);
 * - every requirement of the catalog has a scenario, ids are unique and statements use the
 *   RFC 2119 word of their level;
 * - every Rule quotes its source in a comment, and every scenario has exactly one When;
 * - imports between folders run one way (tools/import-direction.ts);
 * - no fault of the catalog appears in the correct model (tools/faults-outside-model.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT } from '../src/paths';
import { loadCatalog } from '../src/report';
import { wrongImports } from './import-direction';
import { faultsInModel } from './faults-outside-model';

const problems: string[] = [...wrongImports(ROOT), ...faultsInModel(ROOT)];
const tmp = mkdtempSync(join(tmpdir(), 'lint-'));
const messages = join(tmp, 'dry-run.ndjson');
const cucumber = join(dirname(require.resolve('@cucumber/cucumber/package.json')), 'bin', 'cucumber.js');
const run = spawnSync(process.execPath, [cucumber, '-p', 'lint', '--format', `message:${messages}`], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' } });
if (run.status !== 0 && !run.stdout.includes('scenarios')) problems.push(`the dry run failed: ${run.stderr || run.stdout}`);

const catalog = loadCatalog();
const byId = new Map(catalog.map((r) => [r.id, r]));
if (byId.size !== catalog.length) problems.push('features/requirements.json lists an id twice');
for (const r of catalog) {
  if (!/^LDIJ-[A-Z]+-\d{3}$/.test(r.id)) problems.push(`${r.id}: ids look like LDIJ-AREA-000`);
  if (!['must', 'should'].includes(r.level)) problems.push(`${r.id}: level must be must or should`);
  const word = r.level.toUpperCase();
  if (!new RegExp(`\\b${word}\\b`).test(r.statement)) problems.push(`${r.id}: a ${r.level} requirement's statement says ${word}`);
  if (!r.source?.trim()) problems.push(`${r.id}: no source`);
}

const covered = new Set<string>();
let scenarios = 0;
for (const line of readFileSync(messages, 'utf8').split('\n').filter(Boolean)) {
  const m = JSON.parse(line);
  if (m.gherkinDocument) {
    const doc = m.gherkinDocument;
    const lines = readFileSync(join(ROOT, doc.uri), 'utf8').split('\n');
    for (const child of doc.feature?.children ?? []) {
      const rule = child.rule;
      if (!rule) continue;
      const next = lines[rule.location.line]?.trim() ?? '';
      if (!next.startsWith('#')) problems.push(`${doc.uri}:${rule.location.line}: Rule "${rule.name}" does not quote its source in a comment on the next line`);
      for (const c of rule.children) {
        const sc = c.scenario;
        if (!sc) continue;
        const whens = sc.steps.filter((st: { keyword: string }) => st.keyword.trim() === 'When').length;
        if (whens !== 1) problems.push(`${doc.uri}:${sc.location.line}: scenario "${sc.name}" has ${whens} When steps (one per scenario)`);
      }
    }
  } else if (m.pickle) {
    scenarios++;
    const where = `${m.pickle.uri}: "${m.pickle.name}"`;
    const tags: string[] = m.pickle.tags.map((t: { name: string }) => t.name);
    const reqs = tags.filter((t) => t.startsWith('@req:')).map((t) => t.slice(5));
    if (reqs.length !== 1) problems.push(`${where}: carries ${reqs.length} @req tags (exactly one)`);
    for (const id of reqs) {
      const r = byId.get(id);
      if (!r) problems.push(`${where}: @req:${id} is not in features/requirements.json`);
      else {
        covered.add(id);
        if (!tags.includes(`@${r.level}`)) problems.push(`${where}: @req:${id} is a ${r.level} requirement; tag the scenario @${r.level}`);
      }
    }
    if (tags.includes('@must') === tags.includes('@should')) problems.push(`${where}: tag it either @must or @should`);
    if (tags.includes('@writes') === tags.includes('@readonly')) problems.push(`${where}: tag it either @writes or @readonly`);
  } else if (m.testStepFinished) {
    const status = m.testStepFinished.testStepResult.status;
    if (status === 'UNDEFINED' || status === 'AMBIGUOUS') problems.push(`a step is ${status.toLowerCase()}: ${m.testStepFinished.testStepResult.message ?? ''}`);
  } else if (m.testCase) {
    for (const s of m.testCase.testSteps) {
      if (s.pickleStepId && s.stepDefinitionIds?.length === 0) problems.push(`undefined step in test case ${m.testCase.id}`);
      if (s.stepDefinitionIds?.length > 1) problems.push(`ambiguous step in test case ${m.testCase.id}`);
    }
  }
}
for (const r of catalog) if (!covered.has(r.id)) problems.push(`${r.id} has no scenario`);

for (const p of problems) console.log(`lint: ${p}`);
console.log(`lint: ${scenarios} scenarios, ${catalog.length} requirements, ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);
