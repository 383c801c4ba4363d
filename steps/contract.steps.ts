/** Then: the shape and truth of each summary in the listings. */
import { Then } from '@cucumber/cucumber';
import type { DatasetImportJobSummary } from '@aws-sdk/client-personalize';
import { checkBody, importJobStatuses, importModes, limits, matchesPattern } from '../schemas';
import { describeJob } from './support/arrange';
import { assertEnded, listedJobs } from './support/listing';
import type { ConformanceWorld } from './support/world';

/** Every summary the When step's listings showed. */
function summaries(world: ConformanceWorld): DatasetImportJobSummary[] {
  const listings = world.allListings();
  if (!listings.length) throw new Error('No listing was made by the When step.');
  listings.forEach(assertEnded);
  return listings.flatMap(listedJobs);
}

function failIf(problems: string[], what: string): void {
  if (problems.length) throw new Error(`${problems.length} ${what}:\n- ${problems.slice(0, 8).join('\n- ')}${problems.length > 8 ? '\n- ...' : ''}`);
}

Then("every listed job's ARN is a dataset-import-job ARN in the caller's region", function (this: ConformanceWorld) {
  const problems: string[] = [];
  for (const j of summaries(this)) {
    const arn = j.datasetImportJobArn ?? '';
    const [prefix, , service, region, account, resource = ''] = arn.split(':');
    if (!matchesPattern('Arn', arn) || prefix !== 'arn' || service !== 'personalize') problems.push(`"${arn}" is not a Personalize ARN`);
    else if (!resource.startsWith('dataset-import-job/')) problems.push(`"${arn}" is not of resource type dataset-import-job`);
    else if (region !== this.config.region) problems.push(`"${arn}" is in region ${region}, not ${this.config.region}`);
    else if (!/^\d{12}$/.test(account)) problems.push(`"${arn}" has no 12-digit account`);
  }
  failIf(problems, 'job ARNs break the contract');
});

Then("every listed job's name matches the model's Name pattern and length", function (this: ConformanceWorld) {
  const problems = summaries(this)
    .filter((j) => !j.jobName || j.jobName.length > limits.nameMaxLength || !matchesPattern('Name', j.jobName))
    .map((j) => `${j.datasetImportJobArn}: jobName "${j.jobName}"`);
  failIf(problems, 'job names break the Name shape');
});

Then('every job of dataset {string} is listed under the name it was created with', function (this: ConformanceWorld, alias: string) {
  const listed = new Map(summaries(this).map((j) => [j.datasetImportJobArn, j.jobName]));
  const problems = this.dataset(alias).jobs.filter((j) => listed.get(j.arn) !== j.name).map((j) => `${j.arn} was created as "${j.name}", listed as "${listed.get(j.arn)}"`);
  failIf(problems, 'jobs are listed under another name');
});

Then('every status seen is one of the documented lifecycle statuses', function (this: ConformanceWorld) {
  const problems = summaries(this).filter((j) => !importJobStatuses.includes(j.status ?? '')).map((j) => `${j.jobName}: status "${j.status}"`);
  failIf(problems, `statuses are not among ${importJobStatuses.join(', ')}`);
});

Then('the finished jobs show ACTIVE or CREATE FAILED as their import succeeded or failed', function (this: ConformanceWorld) {
  const last = this.allListings().at(-1)!;
  const listed = new Map(listedJobs(last).map((j) => [j.datasetImportJobArn, j.status]));
  const problems = this.theDataset().jobs
    .filter((j) => listed.get(j.arn) !== (j.outcome === 'fails' ? 'CREATE FAILED' : 'ACTIVE'))
    .map((j) => `${j.name} (import that ${j.outcome === 'fails' ? 'fails' : 'succeeds'}) is listed as ${listed.get(j.arn) ?? 'nothing'}`);
  failIf(problems, 'finished jobs show the wrong final status');
});

Then("every listed job's importMode, where present, is FULL or INCREMENTAL", function (this: ConformanceWorld) {
  const problems = summaries(this).filter((j) => j.importMode !== undefined && !importModes.includes(j.importMode)).map((j) => `${j.jobName}: importMode "${j.importMode}"`);
  failIf(problems, 'import modes are not FULL or INCREMENTAL');
});

Then("every listed job's importMode, where present, is the one it was created with", function (this: ConformanceWorld) {
  const created = new Map(this.allJobs.map((j) => [j.arn, j.importMode]));
  const problems = summaries(this)
    .filter((j) => j.importMode !== undefined && created.has(j.datasetImportJobArn!) && created.get(j.datasetImportJobArn!) !== j.importMode)
    .map((j) => `${j.jobName}: created ${created.get(j.datasetImportJobArn!)}, listed ${j.importMode}`);
  failIf(problems, 'jobs are listed with another import mode');
});

/** The listing bodies as they came over the wire, page by page. */
function rawPages(world: ConformanceWorld): Record<string, unknown>[] {
  const listings = world.allListings();
  if (!listings.length) throw new Error('No listing was made by the When step.');
  return listings.flatMap((l) => l.pages.map((p) => JSON.parse(p.raw || '{}')));
}

Then("every listed job's times are epoch seconds on the wire", function (this: ConformanceWorld) {
  const problems: string[] = [];
  const jobs = rawPages(this).flatMap((b) => (b.datasetImportJobs ?? []) as Record<string, unknown>[]);
  for (const j of jobs) {
    for (const field of ['creationDateTime', 'lastUpdatedDateTime']) {
      if (j[field] !== undefined && (typeof j[field] !== 'number' || !Number.isFinite(j[field]))) problems.push(`${j.jobName}: ${field} is ${JSON.stringify(j[field])}`);
    }
  }
  failIf(problems, 'times are not epoch seconds');
  if (!jobs.length) throw new Error('No job was listed, so no time could be checked.');
});

Then('no listed job was last updated before it was created', function (this: ConformanceWorld) {
  const problems = summaries(this)
    .filter((j) => j.creationDateTime && j.lastUpdatedDateTime && j.lastUpdatedDateTime.getTime() < j.creationDateTime.getTime())
    .map((j) => `${j.jobName}: created ${j.creationDateTime!.toISOString()}, last updated ${j.lastUpdatedDateTime!.toISOString()}`);
  failIf(problems, 'jobs were last updated before they were created');
});

Then('every failed job in the listings carries a failureReason', function (this: ConformanceWorld) {
  const failed = summaries(this).filter((j) => j.status === 'CREATE FAILED');
  if (!failed.length) throw new Error('No CREATE FAILED job was listed, though the data holds jobs that fail.');
  failIf(failed.filter((j) => !j.failureReason?.trim()).map((j) => `${j.jobName} has no failureReason`), 'failed jobs say nothing of why');
});

Then('no job in the listings that has not failed carries a failureReason', function (this: ConformanceWorld) {
  const problems = summaries(this).filter((j) => j.status !== 'CREATE FAILED' && j.failureReason !== undefined).map((j) => `${j.jobName} (${j.status}) has failureReason "${j.failureReason}"`);
  failIf(problems, 'jobs that have not failed carry a failureReason');
});

Then('every listed job agrees with DescribeDatasetImportJob on name, creation time and import mode', async function (this: ConformanceWorld) {
  const listed = summaries(this);
  if (!listed.length) throw new Error('No job was listed to compare.');
  const problems: string[] = [];
  for (const s of listed) {
    const d = await describeJob(this, s.datasetImportJobArn!);
    if (d.jobName !== s.jobName) problems.push(`${s.datasetImportJobArn}: name "${s.jobName}" listed, "${d.jobName}" described`);
    if (d.creationDateTime?.getTime() !== s.creationDateTime?.getTime()) problems.push(`${s.jobName}: created ${s.creationDateTime?.toISOString()} listed, ${d.creationDateTime?.toISOString()} described`);
    if (s.importMode !== undefined && d.importMode !== undefined && s.importMode !== d.importMode) problems.push(`${s.jobName}: importMode ${s.importMode} listed, ${d.importMode} described`);
  }
  failIf(problems, 'summaries disagree with DescribeDatasetImportJob');
});

Then('every response carries a datasetImportJobs list', function (this: ConformanceWorld) {
  const bodies = rawPages(this);
  const without = bodies.filter((b) => !Array.isArray(b.datasetImportJobs));
  if (without.length) throw new Error(`${without.length} of ${bodies.length} listing responses carry no datasetImportJobs list: ${JSON.stringify(without[0]).slice(0, 200)}`);
});

Then('every response body matched its schema', function (this: ConformanceWorld) {
  const problems = rawPages(this).flatMap((b, i) => checkBody('ListDatasetImportJobs', 'response', b).errors.map((e) => `page ${i + 1}: ${e}`));
  problems.push(...this.wireLog.violations);
  failIf(problems, 'schema violations');
});
