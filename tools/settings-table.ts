/**
 * Writes the configuration tables of docs/configuration.md (between `<!-- settings:BIN -->`
 * markers) from the settings table, src/settings.ts; tests/cli.test.ts and tests/docs.test.ts fail
 * when they differ from it or from --help.
 *   npm run settings-table
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../src/paths';
import { settingsTable, type Bin } from '../src/settings';

const file = join(ROOT, 'docs', 'configuration.md');
let doc = readFileSync(file, 'utf8');
for (const bin of ['conformance', 'emulator', 'cleanup'] as Bin[]) {
  const block = new RegExp(`(<!-- settings:${bin} -->\\n)[\\s\\S]*?(<!-- /settings:${bin} -->)`);
  if (!block.test(doc)) {
    console.error(`settings-table: docs/configuration.md has no <!-- settings:${bin} --> ... <!-- /settings:${bin} --> block`);
    process.exit(1);
  }
  doc = doc.replace(block, (_, open: string, close: string) => `${open}${settingsTable(bin)}\n${close}`);
}
writeFileSync(file, doc);
console.log('settings-table: docs/configuration.md tables written from src/settings.ts');
