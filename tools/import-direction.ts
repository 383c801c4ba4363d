/**
 * The direction of imports between the project's folders, as data, and the check of it.
 *   bin → src → reference-service → schemas;  steps → src, schemas;  tools, tests → anything.
 * A folder may always import from itself. Packages (non-relative imports) are not checked here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export const ALLOWED: Record<string, readonly string[]> = {
  bin: ['src'],
  src: ['reference-service', 'schemas'],
  steps: ['src', 'schemas'],
  'reference-service': ['schemas'],
  schemas: [],
  tools: ['*'],
  tests: ['*'],
};

const SPECIFIER = /(?:\bfrom\s+|\bimport\s+|\brequire\(\s*|\bimport\(\s*)['"](\.{1,2}\/[^'"]*)['"]/g;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) return [];
    if (statSync(path).isDirectory()) return files(path);
    return /\.(ts|js|cjs|mjs)$/.test(name) ? [path] : [];
  });
}

/** Every import that runs against the allowed direction, as "file:line imports target". */
export function wrongImports(root: string): string[] {
  const problems: string[] = [];
  for (const folder of Object.keys(ALLOWED)) {
    let all: string[];
    try {
      all = files(join(root, folder));
    } catch {
      continue;
    }
    for (const file of all) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        for (const m of line.matchAll(SPECIFIER)) {
          const into = relative(root, resolve(dirname(file), m[1])).split(sep)[0];
          const allowed = ALLOWED[folder];
          if (into === folder || allowed.includes('*') || allowed.includes(into)) continue;
          problems.push(`${relative(root, file)}:${i + 1} imports ${m[1]}: ${folder}/ may import only from ${[folder, ...allowed].join(', ')}/`);
        }
      });
    }
  }
  return problems;
}
