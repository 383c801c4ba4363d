/**
 * Given: the data a scenario reads or makes, as src/arrange/givens.ts declares it (the planner
 * reads the same table). Shared data was arranged once for the run: a Given only reads it. A
 * scenario that changes data, or watches it change, arranges a small dataset of its own. What
 * cannot be arranged leaves the scenario not shown, never failed.
 */
import { DataTable, defineParameterType, Given } from '@cucumber/cucumber';
import { fixtureDataset, tableProblems } from '../src/arrange/catalog';
import { arityOf, DATASETS_PARAMETER, STEP_NEEDS, type Need } from '../src/arrange/givens';
import { dataset, datasetGroup, importJobs, schema, waitUntilListed } from '../src/arrange/provision';
import { sharedDataset } from '../src/arrange/shared';
import type { FreshDataset } from '../src/arrange/types';
import { ArrangementFailed, NotShown } from '../src/verdict';
import { findDatasetWithJobs, whyAccountHasNoFailedJobs, whyAccountHasNoJobs } from './support/account';
import type { ConformanceWorld } from './support/world';

defineParameterType({ ...DATASETS_PARAMETER, useForSnippets: false });

/** The shared datasets into the scenario, as the run arranged them (or why they are not there). */
function readShared(world: ConformanceWorld, aliases: string[], jobs?: number): void {
  if (!world.config.allowWrites) world.notShown('setup', 'the suite may not write to this target, so no shared data was arranged (CONFORMANCE_ALLOW_WRITES)');
  // What the arranging's exchanges showed goes into the report with the first scenario that reads shared data.
  const arrangement = world.run.arranging.shared;
  if (arrangement && !world.run.arranging.chargesReported) {
    world.run.arranging.chargesReported = true;
    world.outsideCharges.push(...arrangement.charges);
  }
  const broke = world.run.arranging.sharedBroke;
  if (broke) throw new ArrangementFailed(`arranging the shared data broke off: ${broke.reason}`, broke.cause);
  for (const alias of aliases) {
    if (fixtureDataset(alias)?.role === 'second' && !world.run.hasSecondAccount) {
      world.notShown('setup', 'no second account: set CONFORMANCE_SECOND_ACCESS_KEY_ID and CONFORMANCE_SECOND_SECRET_ACCESS_KEY');
    }
    const d = sharedDataset(world.run.arranging.shared, alias);
    if ('reason' in d) throw new ArrangementFailed(d.reason, d.cause, { exchanges: [], outside: d.evidence });
    if (jobs !== undefined && d.jobs.length !== jobs) throw new NotShown('suite', `a defect of the suite: the step says dataset "${alias}" has ${jobs} import jobs; the run arranged ${d.jobs.length}`);
    world.datasets.set(alias, d);
  }
}

/** A dataset of the scenario's own, with its jobs, listed (within the listing wait) before the scenario acts, unless they are to be seen just created. */
async function arrangeFresh(world: ConformanceWorld, want: FreshDataset, justCreated = false): Promise<void> {
  const schemaArn = world.run.arranging.shared?.schemas[`${want.role}:${want.type}`] ?? await schema(world, want.role, want.type);
  const groupArn = await datasetGroup(world, want.alias, want.role);
  const d = await dataset(world, { alias: want.alias, groupArn, type: want.type, role: want.role, schemaArn });
  world.datasets.set(want.alias, d);
  for (const spec of want.jobs) await importJobs(world, d, spec);
  if (!justCreated) await waitUntilListed(world, [d]);
}

async function satisfy(world: ConformanceWorld, need: Need): Promise<void> {
  switch (need.kind) {
    case 'catalog table': {
      const problems = tableProblems(need.rows);
      if (problems.length) throw new NotShown('suite', `a defect of the suite: the feature's table disagrees with fixtures/data-sets.json: ${problems.join('; ')}`);
      return;
    }
    case 'shared':
      return readShared(world, need.aliases, need.jobs);
    case 'fresh':
      return arrangeFresh(world, need.dataset, need.justCreated);
    case 'account': {
      // Where the suite may write, the account holds (at least) these shared datasets.
      if (world.config.allowWrites) readShared(world, need.whereWritable);
      if (need.reads === 'a dataset with jobs') {
        world.arranged.existingDatasetArn = world.config.allowWrites ? world.dataset(need.whereWritable[0]).arn : await findDatasetWithJobs(world);
        if (!world.arranged.existingDatasetArn) world.notShown('setup', 'no dataset with import jobs was found in the first 20 dataset groups of the account');
        return;
      }
      const missing = need.reads === 'jobs' ? await whyAccountHasNoJobs(world) : await whyAccountHasNoFailedJobs(world);
      if (missing) world.notShown('setup', missing);
      return;
    }
    case 'created by the action':
      throw new Error('an action is not a Given');
  }
}

for (const step of STEP_NEEDS.filter((s) => s.keyword === 'Given')) {
  const definition = async function (this: ConformanceWorld, ...args: unknown[]) {
    const values = args.map((a) => (a instanceof DataTable ? a.raw() : a));
    await satisfy(this, step.need(values));
  };
  // Cucumber checks a step function's arity against its expression: this one takes its arguments as a list.
  Object.defineProperty(definition, 'length', { value: arityOf(step) });
  Given(step.expression, definition);
}
