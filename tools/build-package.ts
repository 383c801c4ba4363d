/**
 * Builds what `npm pack` ships (run at prepack): the runner, steps, schemas code and reference
 * service compiled to dist/; beside them the JSON Schemas dist/schemas reads, their validators
 * compiled ahead of time (ajv standalone code) and src/'s plain JavaScript.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../src/paths';
import { ensureValidatorsModule } from '../schemas';

const dist = join(ROOT, 'dist');
rmSync(dist, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
// JavaScript kept as is in src/ (loaded by path, e.g. src/early-stop.js): beside its compiled neighbours.
for (const name of readdirSync(join(ROOT, 'src'))) if (name.endsWith('.js')) cpSync(join(ROOT, 'src', name), join(dist, 'src', name));
// The schemas' own tests (schemas/tests) are for maintainers and stay out of the package.
for (const entry of readdirSync(join(ROOT, 'schemas'), { withFileTypes: true })) {
  if (entry.isFile() && entry.name.endsWith('.json')) cpSync(join(ROOT, 'schemas', entry.name), join(dist, 'schemas', entry.name));
  else if (entry.isDirectory() && entry.name !== 'tests') cpSync(join(ROOT, 'schemas', entry.name), join(dist, 'schemas', entry.name), { recursive: true, filter: (f) => !f.endsWith('.ts') });
}
const validators = join(dist, 'schemas', 'validators.generated.js');
ensureValidatorsModule(validators);
if (!existsSync(validators)) {
  console.error(`build: could not write ${validators}`);
  process.exit(1);
}
console.log(`build: compiled JavaScript and schemas in ${dist}`);
