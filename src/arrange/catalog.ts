/**
 * The fixture catalog: the datasets of fixtures/data-sets.json ("shared") that a writing run
 * arranges once per run, account and region, and that every scenario which only reads them shares.
 * One source of truth: the features' Background tables are checked against the rows made here.
 */
import { createHash } from 'node:crypto';
import type { DatasetType } from '../settings';
import { dataSet, type DataSetGroup } from '../fixtures';
import type { ClientRole } from '../targets';
import { jobCount, type JobSpec } from './types';

/** The name of the shared data set in fixtures/data-sets.json. */
export const SHARED_DATA_SET = 'shared';

export interface FixtureDataset {
  alias: string;
  /** The dataset group's label (the run's or the kept fixtures' prefix goes before it). */
  group: string;
  type: DatasetType;
  role: ClientRole;
  jobs: JobSpec[];
  deleted: boolean;
}

const ROLE_OF: Record<NonNullable<DataSetGroup['where']>, ClientRole> = {
  'this account': 'primary',
  'another region': 'otherRegion',
  'a second account': 'second',
};
const WHERE_OF = Object.fromEntries(Object.entries(ROLE_OF).map(([where, role]) => [role, where])) as Record<ClientRole, string>; // ROLE_OF turned round: its values are every ClientRole

let catalog: FixtureDataset[] | undefined;

/** Every dataset of the shared data set, in the order of fixtures/data-sets.json. */
export function sharedCatalog(): FixtureDataset[] {
  catalog ??= dataSet(SHARED_DATA_SET).groups.flatMap((g) => g.datasets.map((d) => ({
    alias: d.alias, group: g.name, type: d.type, role: ROLE_OF[g.where ?? 'this account'], jobs: d.jobs, deleted: d.deleted ?? false,
  })));
  return catalog;
}

/** The shared dataset called `alias`; undefined when the catalog has none. */
export function fixtureDataset(alias: string): FixtureDataset | undefined {
  return sharedCatalog().find((d) => d.alias === alias);
}

/**
 * A short fingerprint of the shared data's definition: kept fixtures carry it (tag and name), so
 * that a later run reuses them only while the catalog still defines the same data.
 */
export function catalogFingerprint(): string {
  return createHash('sha256').update(JSON.stringify(dataSet(SHARED_DATA_SET).groups)).digest('hex').slice(0, 12);
}

/** "3 FULL, 2 INCREMENTAL, 2 FULL that fail", "3 without an import mode", "none". */
export function describeJobs(jobs: JobSpec[]): string {
  if (!jobs.length) return 'none';
  return jobs.map((j) => `${j.count} ${j.importMode === 'omitted' ? 'without an import mode' : j.importMode ?? 'FULL'}${j.outcome === 'fails' ? ' that fail' : ''}`).join(', ');
}

/** The columns of a Background table of shared datasets, in order. */
export const TABLE_COLUMNS = ['dataset group', 'dataset', 'type', 'where', 'import jobs'] as const;
export type CatalogRow = Record<(typeof TABLE_COLUMNS)[number], string>;

/** A dataset as a feature's Background table shows it. */
export function catalogRow(d: FixtureDataset): CatalogRow {
  return {
    'dataset group': d.group,
    dataset: d.alias,
    type: d.type,
    where: WHERE_OF[d.role],
    'import jobs': `${describeJobs(d.jobs)}${d.deleted ? ', then the dataset is deleted' : ''}`,
  };
}

/**
 * What is wrong with a feature's table of shared datasets (its first row the column names): each
 * row must be a dataset of the catalog, as the catalog defines it. Empty when it agrees.
 */
export function tableProblems(rows: string[][]): string[] {
  const [head, ...body] = rows;
  const problems: string[] = [];
  if (!head || head.join('|') !== TABLE_COLUMNS.join('|')) return [`the table's columns must be: ${TABLE_COLUMNS.join(' | ')}`];
  for (const cells of body) {
    const row = Object.fromEntries(head.map((h, i) => [h, cells[i]])) as CatalogRow; // the head is TABLE_COLUMNS (checked above): CatalogRow's members
    const d = fixtureDataset(row.dataset);
    if (!d) {
      problems.push(`fixtures/data-sets.json has no shared dataset "${row.dataset}"`);
      continue;
    }
    const want = catalogRow(d);
    const wrong = TABLE_COLUMNS.filter((c) => row[c] !== want[c]);
    if (wrong.length) problems.push(`dataset "${d.alias}": ${wrong.map((c) => `${c} is "${want[c]}" in fixtures/data-sets.json, not "${row[c]}"`).join('; ')}`);
  }
  return problems;
}

/** Import jobs of a shared dataset. */
export const jobsOf = (d: FixtureDataset): number => jobCount(d.jobs);
