/**
 * Writes the README's configuration tables (between `<!-- settings:BIN -->` markers) from the
 * settings table, src/settings.ts; tests/cli.test.ts fails when they differ from it or from --help.
 *   npm run settings-table
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../src/paths';
import { settingsTable, type Bin } from '../src/settings';

const file = join(ROOT, 'README.md');
let readme = readFileSync(file, 'utf8');
for (const bin of ['conformance', 'emulator', 'cleanup'] as Bin[]) {
  const block = new RegExp(`(<!-- settings:${bin} -->\\n)[\\s\\S]*?(<!-- /settings:${bin} -->)`);
  if (!block.test(readme)) {
    console.error(`settings-table: README.md has no <!-- settings:${bin} --> ... <!-- /settings:${bin} --> block`);
    process.exit(1);
  }
  readme = readme.replace(block, (_, open: string, close: string) => `${open}${settingsTable(bin)}\n${close}`);
}
writeFileSync(file, readme);
console.log('settings-table: README.md tables written from src/settings.ts');
