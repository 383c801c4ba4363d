/** Named data sets (fixtures/data-sets.json), checked against their own schema before use. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { ConfigurationError } from './config';

export interface DataSetJobs { count: number; outcome?: 'succeeds' | 'fails'; importMode?: 'FULL' | 'INCREMENTAL' }
export interface DataSetDataset { alias: string; type: 'Interactions' | 'Items' | 'Users'; jobs: DataSetJobs[] }
export interface DataSet { description: string; groups: { name: string; datasets: DataSetDataset[] }[] }

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
let loaded: Record<string, DataSet> | undefined;

export function loadDataSets(file = join(FIXTURES, 'data-sets.json')): Record<string, DataSet> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigurationError(`${file} is not readable JSON: ${(e as Error).message}`);
  }
  const schema = JSON.parse(readFileSync(join(FIXTURES, 'data-sets.schema.json'), 'utf8'));
  const validate = new Ajv2020({ allErrors: true }).compile(schema);
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}`).join('; ');
    throw new ConfigurationError(`${file} is malformed: ${problems}`);
  }
  const sets = (data as { dataSets: Record<string, DataSet> }).dataSets;
  for (const [name, set] of Object.entries(sets)) {
    const aliases = set.groups.flatMap((g) => g.datasets.map((d) => d.alias));
    if (new Set(aliases).size !== aliases.length) throw new ConfigurationError(`${file}: data set "${name}" uses a dataset alias twice.`);
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
