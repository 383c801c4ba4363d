/**
 * The data plan of a run: from the selected scenarios' steps (their Givens and Background, and the
 * actions that create jobs), what the run creates before any scenario runs (the shared datasets,
 * once) and what scenarios create for themselves. The runner arranges it, `--plan` prints it, and
 * the lint checks that every step's data agrees with fixtures/data-sets.json.
 */
import type { DatasetType } from '../settings';
import type { ClientRole } from '../targets';
import { catalogFingerprint, fixtureDataset, jobsOf, sharedCatalog, tableProblems, type FixtureDataset } from './catalog';
import { needOf } from './givens';
import { jobCount, type FreshDataset } from './types';

/** What the planner reads of a scenario (cucumber's pickle, as its message stream and @cucumber/gherkin give it). */
export interface PickleLike {
  name: string;
  uri: string;
  tags: readonly { name: string }[];
  steps: readonly { text: string; argument?: { dataTable?: { rows: readonly { cells: readonly { value: string }[] }[] } } }[];
}

/** What one scenario creates for itself: its own datasets, and jobs its action creates while it watches. */
export interface PlannedScenario {
  scenario: string;
  datasets: FreshDataset[];
  /** Import jobs the scenario's action creates (in one of its own datasets). */
  jobsByAction: number;
}

export interface DataPlan {
  version: 1;
  /** The catalog's fingerprint (src/arrange/catalog.ts): an arrangement is for one catalog. */
  catalog: string;
  /** Scenarios selected. */
  scenarios: number;
  /** Whether the run may write: a run that may not arranges nothing, and reads the account as it is. */
  writes: boolean;
  /** Shared datasets to arrange once, in the catalog's order (by alias). */
  shared: string[];
  /** Schemas the run creates, one per account, region and dataset type its datasets need. */
  schemas: { role: ClientRole; type: DatasetType }[];
  /** Scenarios that create data of their own. */
  fresh: PlannedScenario[];
  /** Shared datasets left out, and why (no second account). */
  leftOut: { alias: string; why: string }[];
}

export interface PlanOptions {
  /** Whether the run may write (else the plan is empty). */
  writes: boolean;
  /** Whether a second account is configured (its datasets are planned only then). */
  secondAccount: boolean;
}

/** The features disagree with fixtures/data-sets.json, or a step asks for data the catalog does not have. */
export class PlanError extends Error {
  constructor(readonly problems: string[]) {
    super(`the features' data disagrees with fixtures/data-sets.json: ${problems.join('; ')}`);
    this.name = 'PlanError';
  }
}

const tableOf = (step: PickleLike['steps'][number]) => step.argument?.dataTable?.rows.map((r) => r.cells.map((c) => c.value));
const where = (p: PickleLike) => `${p.uri}: "${p.name}"`;

/** What the steps of the scenarios ask for that the catalog does not have; empty when they agree. */
export function planProblems(pickles: readonly PickleLike[]): string[] {
  const problems = new Set<string>();
  for (const p of pickles) {
    for (const step of p.steps) {
      const need = needOf(step.text, tableOf(step));
      if (need?.kind === 'catalog table') for (const t of tableProblems(need.rows)) problems.add(`${p.uri}: Background table: ${t}`);
      if (need?.kind === 'shared' || need?.kind === 'account') {
        for (const alias of need.kind === 'shared' ? need.aliases : need.whereWritable) {
          const d = fixtureDataset(alias);
          if (!d) problems.add(`${where(p)} reads a shared dataset "${alias}" that fixtures/data-sets.json does not define`);
          else if (need.kind === 'shared' && need.jobs !== undefined && need.jobs !== (d.deleted ? 0 : jobsOf(d))) problems.add(`${where(p)} says dataset "${alias}" has ${need.jobs} import jobs; fixtures/data-sets.json gives it ${jobsOf(d)}`);
        }
      }
    }
  }
  return [...problems];
}

/** Shared datasets of the catalog that no scenario reads (each costs every writing run). */
export function unusedFixtures(pickles: readonly PickleLike[]): string[] {
  const used = new Set(pickles.flatMap((p) => p.steps.map((s) => needOf(s.text, tableOf(s)))).flatMap((n) => (n?.kind === 'shared' ? n.aliases : n?.kind === 'account' ? n.whereWritable : [])));
  return sharedCatalog().filter((d) => !used.has(d.alias)).map((d) => d.alias);
}

/** The data plan of the selected scenarios. Throws PlanError where the features and the catalog disagree. */
export function planFor(pickles: readonly PickleLike[], o: PlanOptions): DataPlan {
  const problems = planProblems(pickles);
  if (problems.length) throw new PlanError(problems);
  const plan: DataPlan = { version: 1, catalog: catalogFingerprint(), scenarios: pickles.length, writes: o.writes, shared: [], schemas: [], fresh: [], leftOut: [] };
  if (!o.writes) return plan;
  const shared = new Set<string>();
  for (const p of pickles) {
    const mine: PlannedScenario = { scenario: where(p), datasets: [], jobsByAction: 0 };
    for (const step of p.steps) {
      const need = needOf(step.text, tableOf(step));
      if (need?.kind === 'shared') need.aliases.forEach((a) => shared.add(a));
      if (need?.kind === 'account') need.whereWritable.forEach((a) => shared.add(a));
      if (need?.kind === 'fresh') mine.datasets.push(need.dataset);
      if (need?.kind === 'created by the action') mine.jobsByAction += need.jobs;
    }
    if (mine.datasets.length || mine.jobsByAction) plan.fresh.push(mine);
  }
  for (const d of sharedCatalog().filter((x) => shared.has(x.alias))) {
    if (d.role === 'second' && !o.secondAccount) plan.leftOut.push({ alias: d.alias, why: 'no second account (CONFORMANCE_SECOND_ACCESS_KEY_ID)' });
    else plan.shared.push(d.alias);
  }
  const schemas = new Map<string, { role: ClientRole; type: DatasetType }>();
  for (const d of [...plannedShared(plan), ...plan.fresh.flatMap((f) => f.datasets)]) schemas.set(`${d.role}:${d.type}`, { role: d.role, type: d.type });
  plan.schemas = [...schemas.values()];
  return plan;
}

/** The shared datasets of a plan, from the catalog. */
export function plannedShared(plan: DataPlan): FixtureDataset[] {
  return plan.shared.map((alias) => fixtureDataset(alias)!);
}

/** What a plan creates, counted. */
export interface PlanCounts {
  schemas: number;
  shared: { groups: number; datasets: number; deleted: number; jobs: number };
  fresh: { scenarios: number; groups: number; datasets: number; jobs: number };
  jobs: number;
}

export function countPlan(plan: DataPlan): PlanCounts {
  const shared = plannedShared(plan);
  const freshDatasets = plan.fresh.flatMap((f) => f.datasets);
  const freshJobs = jobCount(freshDatasets.flatMap((d) => d.jobs)) + plan.fresh.reduce((n, f) => n + f.jobsByAction, 0);
  const sharedJobs = shared.reduce((n, d) => n + jobsOf(d), 0);
  return {
    schemas: plan.schemas.length,
    shared: { groups: new Set(shared.map((d) => `${d.role}:${d.group}`)).size, datasets: shared.length, deleted: shared.filter((d) => d.deleted).length, jobs: sharedJobs },
    // Each dataset of a scenario's own lives in a dataset group of its own.
    fresh: { scenarios: plan.fresh.length, groups: freshDatasets.length, datasets: freshDatasets.length, jobs: freshJobs },
    jobs: sharedJobs + freshJobs,
  };
}

/**
 * The plan of a run that could not be planned from its scenarios (cucumber started without the
 * runner): every shared dataset of the catalog that the run's accounts allow, and the schema the
 * scenarios' own datasets use.
 */
export function catalogPlan(o: PlanOptions): DataPlan {
  const plan: DataPlan = { version: 1, catalog: catalogFingerprint(), scenarios: 0, writes: o.writes, shared: [], schemas: [], fresh: [], leftOut: [] };
  if (!o.writes) return plan;
  for (const d of sharedCatalog()) {
    if (d.role === 'second' && !o.secondAccount) plan.leftOut.push({ alias: d.alias, why: 'no second account (CONFORMANCE_SECOND_ACCESS_KEY_ID)' });
    else plan.shared.push(d.alias);
  }
  const schemas = new Map<string, { role: ClientRole; type: DatasetType }>([['primary:Interactions', { role: 'primary', type: 'Interactions' }]]);
  for (const d of plannedShared(plan)) schemas.set(`${d.role}:${d.type}`, { role: d.role, type: d.type });
  plan.schemas = [...schemas.values()];
  return plan;
}
