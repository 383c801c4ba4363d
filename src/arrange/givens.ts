/**
 * What the steps need: each step phrase that reads or makes data, its cucumber expression, and the
 * data it needs. One table, read twice: steps/arrange.steps.ts registers the Given steps from it,
 * and the planner (src/arrange/plan.ts) matches the selected scenarios' steps against it to make
 * the run's data plan before any scenario runs. The two actions that create jobs while the
 * scenario watches are here too (their steps are registered where the other actions are), so that
 * the plan counts every import job a run creates.
 */
import { CucumberExpression, ParameterType, ParameterTypeRegistry } from '@cucumber/cucumber-expressions';
import type { FreshDataset } from './types';

/** `"clicks"`, `"clicks" and "catalog"`, `"clicks", "catalog" and "members"`: shared datasets by alias. */
export const DATASETS_PARAMETER = {
  name: 'datasets',
  regexp: /"[^"]+"(?:(?:, | and )"[^"]+")*/,
  transformer: (text: string): string[] => [...text.matchAll(/"([^"]+)"/g)].map((m) => m[1]),
};

/** What a step needs (or, for an action, creates). */
export type Need =
  /** Reads these shared datasets (arranged once for the run); `jobs`: the count the step states, checked against the catalog. */
  | { kind: 'shared'; aliases: string[]; jobs?: number }
  /**
   * Arranges a dataset of its own, with jobs, in the scenario (it changes it or watches it change),
   * and waits until they are listed; `justCreated`: does not wait, so that the action sees the
   * jobs from their first status on (it allows them the listing wait itself).
   */
  | { kind: 'fresh'; dataset: FreshDataset; justCreated?: true }
  /** Reads the account as it is: where the suite may write, the account as these shared datasets leave it. */
  | { kind: 'account'; reads: 'jobs' | 'failed jobs' | 'a dataset with jobs'; whereWritable: string[] }
  /** A feature's table of the shared datasets it shows (first row: the column names), checked against the catalog. */
  | { kind: 'catalog table'; rows: string[][] }
  /** An action that creates `jobs` import jobs in the scenario's own dataset `alias`. */
  | { kind: 'created by the action'; alias: string; jobs: number };

export interface StepNeed {
  keyword: 'Given' | 'When';
  /** The cucumber expression of the step (registered with it: one source of truth for the phrase). */
  expression: string;
  /** Whether the step takes a data table (its last argument). */
  table?: true;
  /** What the step needs, from its arguments as cucumber passes them (a data table's rows last). */
  need(args: unknown[]): Need;
}

const fresh = (alias: string, jobs: number, failing = 0): FreshDataset => ({
  alias, type: 'Interactions', role: 'primary',
  jobs: [{ count: jobs - failing }, { count: failing, outcome: 'fails' as const }].filter((j) => j.count > 0),
});

export const SHARED_TABLE: StepNeed = {
  keyword: 'Given', expression: 'the shared datasets, arranged once for the run where the suite may write', table: true,
  need: ([rows]) => ({ kind: 'catalog table', rows: rows as string[][] }), // cucumber passes what the expression's parameters make
};
export const SHARED: StepNeed = {
  keyword: 'Given', expression: 'the shared dataset(s) {datasets}',
  need: ([aliases]) => ({ kind: 'shared', aliases: aliases as string[] }), // cucumber passes what the expression's parameters make
};
export const SHARED_WITH_JOBS: StepNeed = {
  keyword: 'Given', expression: 'the shared dataset {string} with {int} import jobs',
  need: ([alias, jobs]) => ({ kind: 'shared', aliases: [alias as string], jobs: jobs as number }), // cucumber passes what the expression's parameters make
};
export const FRESH_WITH_JOBS: StepNeed = {
  keyword: 'Given', expression: 'a new dataset with {int} import jobs, {int} of which will fail',
  need: ([jobs, failing]) => ({ kind: 'fresh', dataset: fresh('the dataset', jobs as number, failing as number) }), // cucumber passes what the expression's parameters make
};
export const FRESH_JUST_CREATED: StepNeed = {
  keyword: 'Given', expression: '{int} import jobs, {int} of which will fail, just created in a new dataset',
  need: ([jobs, failing]) => ({ kind: 'fresh', dataset: fresh('the dataset', jobs as number, failing as number), justCreated: true }), // cucumber passes what the expression's parameters make
};
export const FRESH_EMPTY: StepNeed = {
  keyword: 'Given', expression: 'a new dataset {string} with no import jobs',
  need: ([alias]) => ({ kind: 'fresh', dataset: fresh(alias as string, 0) }), // cucumber passes what the expression's parameters make
};
/** @readonly: the account's own jobs; where the suite may write, the shared "clicks" stands in for an account's history. */
export const ACCOUNT_JOBS: StepNeed = {
  keyword: 'Given', expression: 'the account has import jobs',
  need: () => ({ kind: 'account', reads: 'jobs', whereWritable: ['clicks'] }),
};
export const ACCOUNT_FAILED_JOBS: StepNeed = {
  keyword: 'Given', expression: 'the account has import jobs that failed',
  need: () => ({ kind: 'account', reads: 'failed jobs', whereWritable: ['clicks'] }),
};
export const EXISTING_DATASET: StepNeed = {
  keyword: 'Given', expression: 'an existing dataset with import jobs',
  need: () => ({ kind: 'account', reads: 'a dataset with jobs', whereWritable: ['clicks'] }),
};
export const CREATES_BETWEEN_PAGES: StepNeed = {
  keyword: 'When', expression: 'a client lists all jobs of the account {int} at a time while {int} new jobs are created in dataset {string} between pages',
  need: ([, jobs, alias]) => ({ kind: 'created by the action', alias: alias as string, jobs: jobs as number }), // cucumber passes what the expression's parameters make
};
export const CREATES_AND_FOLLOWS: StepNeed = {
  keyword: 'When', expression: 'a client creates an import job in dataset {string} and follows it in the listings until it has finished',
  need: ([alias]) => ({ kind: 'created by the action', alias: alias as string, jobs: 1 }), // cucumber passes what the expression's parameters make
};

/** Every step that reads or makes data. */
export const STEP_NEEDS: readonly StepNeed[] = [
  SHARED_TABLE, SHARED, SHARED_WITH_JOBS, FRESH_WITH_JOBS, FRESH_JUST_CREATED, FRESH_EMPTY,
  ACCOUNT_JOBS, ACCOUNT_FAILED_JOBS, EXISTING_DATASET, CREATES_BETWEEN_PAGES, CREATES_AND_FOLLOWS,
];

/** How many arguments cucumber passes the step: one per parameter, and the data table. */
export const arityOf = (step: StepNeed): number => (step.expression.match(/\{[^}]*\}/g)?.length ?? 0) + (step.table ? 1 : 0);

/** The steps' cucumber expressions, compiled once with the suite's parameter types. */
let compiled: { step: StepNeed; expression: CucumberExpression }[] | undefined;

function compiledNeeds(): { step: StepNeed; expression: CucumberExpression }[] {
  if (compiled) return compiled;
  const registry = new ParameterTypeRegistry();
  const p = DATASETS_PARAMETER;
  registry.defineParameterType(new ParameterType(p.name, p.regexp, null, p.transformer, true, false));
  compiled = STEP_NEEDS.map((step) => ({ step, expression: new CucumberExpression(step.expression, registry) }));
  return compiled;
}

/** What a step of a scenario needs, or undefined for a step that reads or makes no data; `table`: its data table's rows. */
export function needOf(text: string, table?: string[][]): Need | undefined {
  for (const { step, expression } of compiledNeeds()) {
    const args = expression.match(text);
    if (!args) continue;
    const values = args.map((a) => a.getValue(null));
    return step.need(table ? [...values, table] : values);
  }
  return undefined;
}
