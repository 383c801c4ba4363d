/**
 * The run's shared data: the shared datasets of a plan, arranged once per run, account and region
 * (by the runner for a network target; in each process for the in-process mock, whose reference
 * service is the process's own), every job finished, and handed to every scenario as an
 * Arrangement: ARNs by alias, or why a dataset could not be arranged, with the exchanges that
 * showed it. With kept fixtures, what a previous run kept is found by name and tag, checked against
 * the plan, and only what is missing is created.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { contractEdition } from '../../schemas';
import { RUN_TAG_KEY } from '../cleanup';
import { resolveEvidence } from '../evidence';
import type { RunContext, ClientRole } from '../targets';
import { NotShown, type Charge, type Evidence, type NotShownCause } from '../verdict';
import type { WireLog } from '../wire';
import { catalogFingerprint, fixtureDataset, type FixtureDataset } from './catalog';
import { plannedShared, type DataPlan } from './plan';
import {
  cleanUp, dataset, datasetActive, datasetGroup, deleteDatasetAndWait, describeError, ensureJobs, groupActive, schema,
  waitForAllImports, waitUntilListed, type ArrangeScope, type Cleanup, type Tag,
} from './provision';
import type { CreatedKind } from './state';
import type { ArrangedDataset } from './types';

export { RUN_TAG_KEY };
export const FIXTURES_TAG_KEY = 'conformance-fixtures';
export const EDITION_TAG_KEY = 'conformance-edition';

/** Why a shared dataset could not be arranged: a scenario that reads it is not shown, for this reason. */
export interface SharedFailure {
  reason: string;
  cause: NotShownCause;
  /** The exchanges of the run's arranging that showed it. */
  evidence: Evidence[];
}

export interface ArrangeStats {
  /** API calls of the arranging. */
  calls: number;
  seconds: number;
  /** What it created (what kept fixtures already held is not counted). */
  created: Record<CreatedKind, number>;
}

/** What one cucumber process created (its scenarios' own data, and on the mock its shared data) and what its arranging cost. */
export interface ProcessStats {
  arranging?: ArrangeStats;
  created: Record<CreatedKind, number>;
}

/** What a run arranged once: what every scenario that reads shared data gets. */
export interface Arrangement {
  version: 1;
  catalog: string;
  datasets: Record<string, ArrangedDataset>;
  failures: Record<string, SharedFailure>;
  /** Schemas by `${role}:${type}`: the scenarios' own datasets use them too. */
  schemas: Record<string, string>;
  /**
   * What the arranging's exchanges showed that belongs to a requirement wherever it is seen (a body
   * that breaks its schema, a null member): reported with the first scenario of each process that
   * reads the shared data, since the report charges what scenarios saw.
   */
  charges: Charge[];
  stats: ArrangeStats;
}

/**
 * The prefix of kept fixtures' names and their cleanup tag: one per catalog, whatever the run, in
 * the form of a run's prefix (cf and 11 letters or digits, src/created-resources.ts), so that the
 * cleanup takes it: "cffx" and the catalog's fingerprint (a run's own prefix holds the time there).
 */
export const keptPrefix = () => `cffx${catalogFingerprint().slice(0, 9)}`;

/** The contract edition the suite follows, as a tag value can hold it (its date; tag values take no parentheses or commas). */
const editionTag = () => /\d{4}-\d{2}-\d{2}/.exec(contractEdition)?.[0] ?? contractEdition.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '').slice(0, 256);

/** Tags of what the shared data creates: the run's, or the kept fixtures' (found again by them). */
export function sharedTags(runPrefix: string, keep: boolean): Tag[] {
  if (!keep) return [{ tagKey: RUN_TAG_KEY, tagValue: runPrefix }];
  return [{ tagKey: RUN_TAG_KEY, tagValue: keptPrefix() }, { tagKey: FIXTURES_TAG_KEY, tagValue: catalogFingerprint() }, { tagKey: EDITION_TAG_KEY, tagValue: editionTag() }];
}

/** The scope of the run's arranging: clients of its own (their exchanges charged to the run, not to a scenario). */
export function sharedScope(run: RunContext, o: { log: WireLog; signal: AbortSignal | (() => AbortSignal); keep: boolean; prefix?: string }): ArrangeScope & { destroy(): void; beginCleanup(): void } {
  // The arranging's signal, then the cleanup's own (read at each request and wait); or the caller's, read each time.
  let own: AbortSignal | undefined;
  const current = () => own ?? (typeof o.signal === 'function' ? o.signal() : o.signal);
  const clients = run.clientsFor({ log: o.log, get signal() { return current(); } });
  const prefix = o.keep ? keptPrefix() : o.prefix ?? run.config.runPrefix;
  const cleanups: Cleanup[] = [];
  return {
    config: run.config,
    prefix: o.keep ? keptPrefix() : run.config.runPrefix,
    state: run.arranging,
    client: (role?: ClientRole) => clients.client(role),
    clientOnce: (role?: ClientRole) => clients.clientOnce(role),
    name: (label: string) => `${prefix}-${label.replace(/[^a-zA-Z0-9-_]+/g, '-')}`.slice(0, 63),
    get signal() {
      return current();
    },
    beginCleanup: () => {
      own = new AbortController().signal;
    },
    cleanups,
    tags: sharedTags(run.config.runPrefix, o.keep),
    by: 'shared',
    keep: o.keep,
    destroy: () => clients.destroy(),
  };
}

const stopping = (e: unknown) => (e as Error)?.name === 'AbortedError' || (e instanceof NotShown && e.cause === 'stopped'); // a thrown value is unknown: only its name is read

const ARRANGING_NOTE = "an exchange of the run's arranging of shared data";

function failureOf(e: unknown, log: WireLog): SharedFailure {
  const last = log.last();
  const evidence = resolveEvidence(log, last ? { exchanges: [last.n] } : undefined).map((x) => ({ ...x, note: ARRANGING_NOTE }));
  if (e instanceof NotShown) return { reason: e.reason.replace(/^could not arrange: /, ''), cause: e.cause, evidence };
  return { reason: describeError(e), cause: 'target', evidence };
}

/**
 * Arranges the plan's shared datasets: schemas, then every dataset group (their lifecycles run side
 * by side), then the datasets, then the jobs (FULL and failing imports first, INCREMENTAL ones once
 * a FULL import is ACTIVE, never more in progress than the limit), then waits until every job has
 * finished, deletes the datasets meant to be deleted, and waits until the jobs are listed. A
 * dataset that cannot be arranged is a failure of that dataset alone.
 */
export async function arrangeShared(scope: ArrangeScope, plan: DataPlan, log: WireLog, runScope?: ArrangeScope): Promise<Arrangement> {
  // With kept fixtures, a dataset meant to be deleted (and its group) is still the run's own: only its absence is shared.
  const scopeOf = (d: { deleted: boolean }) => (d.deleted && runScope ? runScope : scope);
  const started = Date.now();
  const calls = log.exchanges.length;
  const created = { ...scope.state.created };
  const arrangement: Arrangement = { version: 1, catalog: plan.catalog, datasets: {}, failures: {}, schemas: {}, charges: [], stats: { calls: 0, seconds: 0, created } };
  const wanted = plannedShared(plan);
  const failed = (d: FixtureDataset) => d.alias in arrangement.failures;
  const fail = (datasets: FixtureDataset[], e: unknown) => {
    if (stopping(e)) throw e;
    for (const d of datasets) arrangement.failures[d.alias] ??= failureOf(e, log);
  };

  for (const s of plan.schemas) {
    const key = `${s.role}:${s.type}`;
    try {
      arrangement.schemas[key] = await schema(scope, s.role, s.type);
    } catch (e) {
      fail(wanted.filter((d) => `${d.role}:${d.type}` === key), e);
    }
  }
  const groups = new Map<string, { label: string; role: ClientRole; scope: ArrangeScope; datasets: FixtureDataset[]; arn?: string }>();
  for (const d of wanted.filter((x) => !failed(x))) {
    const key = `${d.role}:${d.group}`;
    if (!groups.has(key)) groups.set(key, { label: d.group, role: d.role, scope: scopeOf(d), datasets: [] });
    groups.get(key)!.datasets.push(d);
  }
  for (const g of groups.values()) {
    try {
      g.arn = await datasetGroup(g.scope, g.label, g.role, { wait: false });
    } catch (e) {
      fail(g.datasets, e);
    }
  }
  for (const g of groups.values()) {
    try {
      if (g.arn) await groupActive(g.scope, g.arn, g.role);
    } catch (e) {
      fail(g.datasets, e);
    }
  }
  const made: { fixture: FixtureDataset; arranged: ArrangedDataset; scope: ArrangeScope }[] = [];
  for (const g of groups.values()) {
    for (const d of g.datasets.filter((x) => !failed(x))) {
      try {
        const arranged = await dataset(g.scope, { alias: d.alias, groupArn: g.arn!, type: d.type, role: d.role, schemaArn: arrangement.schemas[`${d.role}:${d.type}`] }, { wait: false });
        made.push({ fixture: d, arranged, scope: g.scope });
      } catch (e) {
        fail([d], e);
      }
    }
  }
  for (const m of made) {
    try {
      await datasetActive(m.scope, m.arranged);
    } catch (e) {
      fail([m.fixture], e);
    }
  }
  // FULL and failing imports of every dataset first; INCREMENTAL ones after, when a FULL import has long finished.
  for (const incremental of [false, true]) {
    for (const m of made.filter((x) => !failed(x.fixture))) {
      try {
        await ensureJobs(m.scope, m.arranged, m.fixture.jobs, (spec) => (spec.importMode === 'INCREMENTAL') === incremental);
      } catch (e) {
        fail([m.fixture], e);
      }
    }
  }
  for (const role of new Set(made.map((m) => m.fixture.role))) {
    try {
      await waitForAllImports(scope, role);
    } catch (e) {
      fail(made.filter((m) => m.fixture.role === role).map((m) => m.fixture), e);
    }
  }
  for (const m of made.filter((x) => x.fixture.deleted && !failed(x.fixture))) {
    try {
      await deleteDatasetAndWait(m.scope, m.arranged);
    } catch (e) {
      fail([m.fixture], e);
    }
  }
  const ready = made.filter((m) => !failed(m.fixture));
  for (const role of new Set(ready.map((m) => m.fixture.role))) {
    await waitUntilListed(scope, ready.filter((m) => m.fixture.role === role && !m.arranged.deleted).map((m) => m.arranged));
  }
  for (const m of ready) arrangement.datasets[m.fixture.alias] = { ...m.arranged, shared: true };
  for (const [kind, n] of Object.entries(scope.state.created) as [CreatedKind, number][]) created[kind] = n - created[kind]; // created's keys are CreatedKinds
  arrangement.stats = { calls: log.exchanges.length - calls, seconds: (Date.now() - started) / 1000, created };
  arrangement.charges = chargesOf(log);
  return arrangement;
}

/** Schema breaks and null members of the arranging's exchanges, one per body, place (indices as *) and keyword. */
function chargesOf(log: WireLog): Charge[] {
  const seen = new Map<string, Charge>();
  const nulls = log.nullMembers.map((m) => {
    const [operation, direction, pointer = ''] = m.text.split(' ');
    return { body: `${operation} ${direction}`, pointer, keyword: 'null', text: `${pointer} is null`, exchange: m.exchange };
  });
  for (const b of [...log.breaches, ...nulls]) {
    const pointer = b.pointer.replace(/\/\d+(?=\/|$)/g, '/*');
    const key = `${b.body} ${pointer} ${b.keyword}`;
    if (seen.has(key)) continue;
    const evidence = resolveEvidence(log, b.exchange ? { exchanges: [b.exchange] } : undefined).map((x) => ({ ...x, note: ARRANGING_NOTE }));
    seen.set(key, { body: b.body, pointer, keyword: b.keyword, text: `${b.text} (seen while arranging the run's shared data)`, evidence });
  }
  return [...seen.values()];
}

/** Deletes the run's shared data (never kept fixtures: their scope registers no cleanup). */
export function removeShared(scope: Pick<ArrangeScope, 'cleanups'>): Promise<string[]> {
  return cleanUp(scope);
}

// ---- handed from the runner to the scenarios ---------------------------------------------------

/**
 * What the runner hands every cucumber process: the plan (the in-process mock arranges it in each
 * process), or the arrangement it made (network targets), where created resources are recorded,
 * and whether fixtures are kept.
 */
export interface RunHandover {
  /** The run's own folder (each process of the mock writes what its arranging cost there). */
  runDir?: string;
  plan?: DataPlan;
  arrangement?: Arrangement;
  recordFile?: string;
  keep?: boolean;
}

export function writeHandover(file: string, handover: RunHandover): void {
  writeFileSync(file, JSON.stringify(handover));
}

export function readHandover(file: string | undefined): RunHandover | undefined {
  if (!file) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as RunHandover; // the file the runner wrote (handOver)
}

/** The shared dataset `alias` of an arrangement, or the reason it is missing (not planned, or not arranged). */
export function sharedDataset(arrangement: Arrangement | undefined, alias: string): ArrangedDataset | SharedFailure {
  const d = arrangement?.datasets[alias];
  if (d) return d;
  const failure = arrangement?.failures[alias];
  if (failure) return failure;
  const fixture = fixtureDataset(alias);
  return { reason: fixture ? `the shared dataset "${alias}" was not arranged for this run` : `fixtures/data-sets.json has no shared dataset "${alias}"`, cause: 'suite', evidence: [] };
}

/** Import jobs the arrangement put in the caller's account and region (the walks' caps scale with them). */
export function primaryJobs(arrangement: Arrangement): number {
  return Object.values(arrangement.datasets).filter((d) => d.role === 'primary' && !d.deleted).reduce((n, d) => n + d.jobs.length, 0);
}
