/**
 * Seeding the reference service with a named data set (fixtures/data-sets.json) through its own
 * operations, so that an emulator can stand in for an account that already has history (for the
 * read-only smoke run and for recordings).
 */
import { ServiceError } from './errors';
import type { DataSet } from './types';
import type { Caller, ReferenceService } from './service';

const SCHEMA = JSON.stringify({ type: 'record', name: 'Seed', namespace: 'com.amazonaws.personalize.schema', version: '1.0', fields: [{ name: 'USER_ID', type: 'string' }] });

/** Waits until resources created now are ACTIVE on the service's clock. */
async function settle(service: ReferenceService, ms = service.options.lifecycle.pendingMs + service.options.lifecycle.inProgressMs): Promise<void> {
  const until = service.clock.now() + ms + 1;
  while (service.clock.now() < until) {
    service.clock.onRequest();
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Creates an import job within the documented rules, as a client must: when the service says too
 * many jobs are in progress, or that a FULL import must finish first, wait until the jobs created
 * so far are done and try again.
 */
async function createImportJob(service: ReferenceService, caller: Caller, input: object): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      service.handle('CreateDatasetImportJob', input, caller);
      return;
    } catch (e) {
      const waitable = e instanceof ServiceError && (e.type === 'LimitExceededException' || (e.type === 'InvalidInputException' && /only specify FULL/.test(e.message)));
      if (!waitable || attempt >= 3) throw e;
      await settle(service);
    }
  }
}

/**
 * Seeds the caller's account and region with the data set's groups that live there ("this
 * account"), as a writing run leaves them: jobs finished, datasets marked deleted gone again.
 */
export async function seedDataSet(service: ReferenceService, caller: Caller, name: string, set: DataSet): Promise<number> {
  // handle() types every output `object`; each operation's output has the ARN its model names (so below).
  const { schemaArn } = service.handle('CreateSchema', { name: `seed-${name}`, schema: SCHEMA }, caller) as { schemaArn: string };
  const here = set.groups.filter((g) => (g.where ?? 'this account') === 'this account');
  // CreateDatasetGroup's output: its datasetGroupArn.
  const groups = here.map((g) => ({ g, arn: (service.handle('CreateDatasetGroup', { name: `seed-${g.name}` }, caller) as { datasetGroupArn: string }).datasetGroupArn }));
  await settle(service);
  // CreateDataset's output: its datasetArn.
  const datasets = groups.flatMap(({ g, arn }) => g.datasets.map((d) => ({ d, arn: (service.handle('CreateDataset', { name: `seed-${d.alias.replace(/ /g, '-')}`, schemaArn, datasetGroupArn: arn, datasetType: d.type }, caller) as { datasetArn: string }).datasetArn })));
  await settle(service);
  let jobs = 0;
  for (const { d, arn } of datasets) {
    for (const spec of d.jobs) {
      for (let i = 0; i < spec.count; i++) {
        const location = spec.outcome === 'fails' ? 's3://seed-bucket/missing/none.csv' : 's3://seed-bucket/interactions.csv';
        const importMode = spec.importMode === 'omitted' ? undefined : spec.importMode ?? 'FULL';
        await createImportJob(service, caller, { jobName: `seed-${d.alias.replace(/ /g, '-')}-${++jobs}`, datasetArn: arn, dataSource: { dataLocation: location }, ...(importMode && { importMode }) });
      }
    }
  }
  await settle(service);
  const deleted = datasets.filter(({ d }) => d.deleted);
  for (const { d, arn } of deleted) {
    service.handle('DeleteDataset', { datasetArn: arn }, caller);
    jobs -= d.jobs.reduce((n, j) => n + j.count, 0);
  }
  if (deleted.length) await settle(service, service.options.lifecycle.deletingMs);
  return jobs;
}
