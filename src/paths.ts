/** Where the package's data lives: the one place that knows the folder layout. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The package root (the folder of package.json): src/.. in a checkout, dist/src/../.. when compiled. */
function packageRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, 'package.json'))) return dir;
  return join(from, '..');
}

export const ROOT = packageRoot(__dirname);
export const FIXTURES = join(ROOT, 'fixtures');
export const RECORDINGS = join(FIXTURES, 'recordings');
