/** Named data sets (fixtures/data-sets.json), checked against their own schema before use. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { standaloneValidator } from '../schemas';
import { ConfigurationError } from './settings';

import type { DataSet } from '../reference-service/types';

export type { DataSet, DataSetDataset, DataSetGroup, DataSetJobs } from '../reference-service/types';

export { FIXTURES } from './paths';
import { FIXTURES } from './paths';
let loaded: Record<string, DataSet> | undefined;

/** Reads a JSON file of fixtures/ and checks it against its schema; one clear error when it is malformed. */
export function loadValidatedJson<T>(file: string, schemaFile: string): T {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigurationError(`${file} is not readable JSON: ${(e as Error).message}`); // JSON.parse and readFileSync throw Errors
  }
  const validate = standaloneValidator(JSON.parse(readFileSync(join(FIXTURES, schemaFile), 'utf8')) as object); // a schema of fixtures/: a JSON object
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}`).join('; ');
    throw new ConfigurationError(`${file} is malformed: ${problems}`);
  }
  return data as T; // the schema of T's file accepted it
}

export function loadDataSets(file = join(FIXTURES, 'data-sets.json')): Record<string, DataSet> {
  const data = loadValidatedJson<{ dataSets: Record<string, DataSet> }>(file, 'data-sets.schema.json');
  const sets = data.dataSets;
  for (const [name, set] of Object.entries(sets)) {
    const aliases = set.groups.flatMap((g) => g.datasets.map((d) => d.alias));
    if (new Set(aliases).size !== aliases.length) throw new ConfigurationError(`${file}: data set "${name}" uses a dataset alias twice.`);
    for (const d of set.groups.flatMap((g) => g.datasets)) {
      const firstFull = d.jobs.findIndex((j) => (j.importMode ?? 'FULL') !== 'INCREMENTAL' && j.outcome !== 'fails');
      const firstIncremental = d.jobs.findIndex((j) => j.importMode === 'INCREMENTAL');
      if (firstIncremental >= 0 && (firstFull < 0 || firstFull > firstIncremental)) {
        throw new ConfigurationError(`${file}: data set "${name}", dataset "${d.alias}" has INCREMENTAL jobs before any FULL job that succeeds (the service accepts only FULL until a bulk import is done).`);
      }
    }
    for (const g of set.groups) {
      const types = g.datasets.map((d) => d.type);
      if (new Set(types).size !== types.length) throw new ConfigurationError(`${file}: data set "${name}", group "${g.name}" has two datasets of one type (a group holds one dataset per type).`);
    }
  }
  return sets;
}

export function dataSet(name: string): DataSet {
  loaded ??= loadDataSets();
  const set = loaded[name];
  if (!set) throw new ConfigurationError(`There is no data set "${name}" in fixtures/data-sets.json (it has: ${Object.keys(loaded).join(', ')}).`);
  return set;
}
