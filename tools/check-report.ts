/**
 * Checks conformance reports against their published schema (report/conformance.schema.json):
 *   ts-node tools/check-report.ts reports/conformance.json [more.json ...]
 * Exit 1 when one does not match, 2 when one cannot be read.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { ROOT } from '../src/paths';

const files = process.argv.slice(2);
if (!files.length) {
  console.error('usage: check-report conformance.json [...]');
  process.exit(2);
}
const ajv = new Ajv2020({ allErrors: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'report', 'conformance.schema.json'), 'utf8')));
let status = 0;
for (const file of files) {
  let report: unknown;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    console.error(`check-report: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    process.exit(2);
  }
  if (validate(report)) console.log(`check-report: ${file} matches report/conformance.schema.json`);
  else {
    status = 1;
    console.log(`check-report: ${file} does not match: ${(validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}`).join('; ')}`);
  }
}
process.exit(status);
