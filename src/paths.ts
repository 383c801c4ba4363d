/** Where the package's data lives: the one place that knows the folder layout. */
import { join } from 'node:path';

/** The package root (the folder of package.json), from src/ or its compiled copy. */
export const ROOT = join(__dirname, '..');
export const FIXTURES = join(ROOT, 'fixtures');
export const RECORDINGS = join(FIXTURES, 'recordings');
