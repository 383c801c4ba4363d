/**
 * The correct model holds no fault: no name of the fault catalog appears in reference-service/
 * outside its faults/ folder, and only the entry (index.ts), which composes a service with its
 * faults, imports that folder.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { FAULTS } from '../reference-service/faults';

const FAULTS_FOLDER = 'faults';
const COMPOSING_ENTRY = 'index.ts';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? (name === FAULTS_FOLDER ? [] : files(path)) : /\.(ts|js|md)$/.test(name) ? [path] : [];
  });
}

/** Problems, as "file:line names fault x" or "file:line imports the faults". */
export function faultsInModel(root: string): string[] {
  const model = join(root, 'reference-service');
  const problems: string[] = [];
  for (const file of files(model)) {
    const name = relative(root, file);
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      for (const fault of Object.keys(FAULTS)) if (line.includes(fault)) problems.push(`${name}:${i + 1} names the fault ${fault}; faults belong in reference-service/${FAULTS_FOLDER}/`);
      if (/['"]\.\/faults(\/|['"])/.test(line) && relative(model, file) !== COMPOSING_ENTRY) problems.push(`${name}:${i + 1} imports the faults; only reference-service/${COMPOSING_ENTRY} composes a service with them`);
    });
  }
  return problems;
}
