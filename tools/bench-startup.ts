/**
 * What starting the suite costs, in two or more checkouts side by side, e.g. the tree before and
 * after a change of how TypeScript or the schema validators are loaded (docs/performance.md):
 *   npm run bench:startup -- [--runs 5] [--only NAME] /tmp/before .
 * Measures:
 * - `npm test` (the mock suite), and one small suite run (one requirement): wall time, and the CPU
 *   time (user + system) of the command and every process under it, which the load of other work
 *   on the machine disturbs less (read from /proc: Linux only);
 * - validators: inside one process with the checkout's TypeScript loader, the milliseconds from
 *   requiring schemas/ to a first validation of every operation's request and response, the error
 *   body and the fixtures' schemas; then again after forgetting the project's modules, as the fault
 *   and variant workers (tools/suite-worker.ts) do between two runs of the suite;
 * - modules: the same for requiring the project's modules a run of the suite loads besides its
 *   steps (the runner, targets, wire, report, reference service), first and again;
 * - compile: the milliseconds that compiling every schema with ajv would add to a process's start
 *   (the alternative to compiling them ahead of time; ajv and ajv-formats already loaded).
 * Each round runs every measure once in every checkout, in turn, so that the machine's load (2
 * shared cores) falls on all of them alike; the medians are what to read.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ options: { runs: { type: 'string', default: '5' }, only: { type: 'string' } }, allowPositionals: true });
const RUNS = Number(values.runs);
const checkouts = positionals.map((dir) => resolve(dir));
if (!Number.isInteger(RUNS) || RUNS < 1 || checkouts.length < 2 || checkouts.some((dir) => !existsSync(resolve(dir, 'bin', 'conformance.js')))) {
  console.error('bench-startup: usage: bench-startup [--runs N] [--only NAME] CHECKOUT CHECKOUT... (folders with bin/conformance.js)');
  process.exit(2);
}

/** Run in a checkout (its current folder): prints {"first": ms, "again": ms}. */
const VALIDATORS_PROBE = `
const { join } = require('node:path');
const { readFileSync } = require('node:fs');
const root = process.cwd();
const fixtureSchema = (name) => JSON.parse(readFileSync(join(root, 'fixtures', name), 'utf8'));
function firstValidations() {
  const started = process.hrtime.bigint();
  const schemas = require(join(root, 'schemas'));
  for (const operation of schemas.OPERATIONS) {
    schemas.checkBody(operation, 'request', {});
    schemas.checkBody(operation, 'response', {});
  }
  schemas.checkErrorBody({});
  schemas.standaloneValidator(fixtureSchema('data-sets.schema.json'))({});
  schemas.standaloneValidator(fixtureSchema('known-deviations.schema.json'))({});
  return Number(process.hrtime.bigint() - started) / 1e6;
}
const first = firstValidations();
for (const file of Object.keys(require.cache)) if (file.startsWith(root) && !file.includes('node_modules')) delete require.cache[file];
console.log(JSON.stringify({ first, again: firstValidations() }));
`;

/** Run in a checkout: prints {"first": ms, "again": ms}. */
const MODULES_PROBE = `
const { join } = require('node:path');
const root = process.cwd();
const modules = ['src/run', 'src/targets', 'src/in-process', 'src/wire', 'src/wait', 'src/recording', 'src/cleanup', 'src/report', 'reference-service'];
function load() {
  const started = process.hrtime.bigint();
  for (const m of modules) require(join(root, m));
  return Number(process.hrtime.bigint() - started) / 1e6;
}
const first = load();
for (const file of Object.keys(require.cache)) if (file.startsWith(root) && !file.includes('node_modules')) delete require.cache[file];
console.log(JSON.stringify({ first, again: load() }));
`;

/** Run in a checkout: prints {"compile": ms}. */
const COMPILE_PROBE = `
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;
const read = (file) => JSON.parse(readFileSync(file, 'utf8'));
const started = process.hrtime.bigint();
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const files = ['shapes.json', 'DatasetImportJobSummary.json', 'error.json', ...readdirSync('schemas/operations').map((f) => 'operations/' + f)];
const docs = files.map((f) => read(join('schemas', f)));
for (const doc of docs) ajv.addSchema(doc);
for (const doc of docs) ajv.getSchema(doc.$id);
for (const def of Object.keys(docs[0].$defs)) ajv.getSchema(docs[0].$id + '#/$defs/' + def);
for (const f of ['data-sets.schema.json', 'known-deviations.schema.json']) new Ajv2020({ allErrors: true }).compile(read(join('fixtures', f)));
console.log(JSON.stringify({ compile: Number(process.hrtime.bigint() - started) / 1e6 }));
`;

interface Run { wall: number; cpu: number; stdout: string }
interface Measure { name: string; command: string; args: string[]; unit: string; figures: (run: Run) => Record<string, number> }

const timesOf = ({ wall, cpu }: Run) => ({ wall, cpu });
const MEASURES: Measure[] = ([
  { name: 'npm test', command: 'npm', args: ['test', '--silent'], unit: 's', figures: timesOf },
  { name: 'one requirement', command: process.execPath, args: ['bin/conformance.js', '--requirement', 'LDIJ-ERR-001', '--quiet'], unit: 's', figures: timesOf },
  {
    name: 'validators',
    command: process.execPath,
    args: ['-r', './bin/register-typescript.js', '-e', VALIDATORS_PROBE],
    unit: 'ms',
    figures: ({ stdout }: Run) => JSON.parse(stdout) as Record<string, number>,
  },
  {
    name: 'modules',
    command: process.execPath,
    args: ['-r', './bin/register-typescript.js', '-e', MODULES_PROBE],
    unit: 'ms',
    figures: ({ stdout }: Run) => JSON.parse(stdout) as Record<string, number>,
  },
  { name: 'compile', command: process.execPath, args: ['-e', COMPILE_PROBE], unit: 'ms', figures: ({ stdout }: Run) => JSON.parse(stdout) as Record<string, number> },
] satisfies Measure[]).filter((m) => !values.only || m.name === values.only);

/** CPU seconds used so far by this process's finished children and theirs (cutime + cstime of /proc/self/stat). */
function childrenCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // from field 3 on, after "pid (comm) "
  const ticksPerSecond = 100; // USER_HZ, 100 on Linux
  return (Number(fields[16 - 3]) + Number(fields[17 - 3])) / ticksPerSecond;
}

function measure(cwd: string, m: Measure): Record<string, number> {
  const cpuBefore = childrenCpuSeconds();
  const started = process.hrtime.bigint();
  const run = spawnSync(m.command, m.args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`bench-startup: ${m.name} in ${cwd} exited ${run.status}`);
  return m.figures({ wall: Number(process.hrtime.bigint() - started) / 1e9, cpu: childrenCpuSeconds() - cpuBefore, stdout: run.stdout });
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const samples = new Map<string, Record<string, number>[]>();
for (let round = 1; round <= RUNS; round++) {
  for (const m of MEASURES) {
    for (const dir of checkouts) {
      const key = `${m.name}\0${dir}`;
      samples.set(key, [...(samples.get(key) ?? []), measure(dir, m)]);
    }
  }
  console.error(`bench-startup: round ${round} of ${RUNS} done`);
}

const digits = (unit: string) => (unit === 's' ? 2 : 0);
for (const m of MEASURES) {
  console.log(`\n${m.name}: medians of ${RUNS} runs, ${m.unit} (every run in brackets)`);
  for (const dir of checkouts) {
    const runs = samples.get(`${m.name}\0${dir}`)!;
    const figures = Object.keys(runs[0]).map((figure) => {
      const xs = runs.map((r) => r[figure]);
      return `${figure} ${median(xs).toFixed(digits(m.unit))} (${xs.map((x) => x.toFixed(digits(m.unit))).join(' ')})`;
    });
    console.log(`  ${dir}: ${figures.join('; ')}`);
  }
}
