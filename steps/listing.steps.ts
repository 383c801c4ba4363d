/** When: a client lists dataset import jobs (one When per scenario). */
import { When } from '@cucumber/cucumber';
import { DescribeDatasetImportJobCommand, ListDatasetImportJobsCommand } from '@aws-sdk/client-personalize';
import { statusesFrom, terminalImportJobStatuses } from '../schemas';
import { deleteDatasetAndWait, describeJob, importJobs, waitForJobsToFinish, waitUntil } from './support/arrange';
import { ACCOUNT_PAGE_BOUND, followTokens, lastBody, pageBound, walkWithPaginator } from './support/listing';
import { tamperToken } from '../src/tokens';
import { sleep } from '../src/wait';
import type { ConformanceWorld } from './support/world';


// ---- walking through a listing until no token remains ---------------------------------------

When("a client lists the dataset's jobs {int} at a time until no token remains", async function (this: ConformanceWorld, size: number) {
  const d = this.theDataset();
  this.listing = await followTokens(this, { datasetArn: d.arn, sizes: [size], maxPages: pageBound(d.jobs.length) });
});

When('a client lists the jobs of dataset {string} {int} at a time until no token remains', async function (this: ConformanceWorld, alias: string, size: number) {
  const d = this.dataset(alias);
  this.listing = await followTokens(this, { datasetArn: d.arn, sizes: [size], maxPages: pageBound(d.jobs.length) });
});

When("a client lists the dataset's jobs without maxResults until no token remains", async function (this: ConformanceWorld) {
  const d = this.theDataset();
  this.listing = await followTokens(this, { datasetArn: d.arn, maxPages: pageBound(d.jobs.length) });
});

When('a client lists all jobs of the account {int} at a time until no token remains', async function (this: ConformanceWorld, size: number) {
  this.listing = await followTokens(this, { sizes: [size], maxPages: ACCOUNT_PAGE_BOUND });
});

When('a client lists all jobs of the account without maxResults until no token remains', async function (this: ConformanceWorld) {
  this.listing = await followTokens(this, { maxPages: ACCOUNT_PAGE_BOUND });
});

When("a client lists that dataset's jobs {int} at a time until no token remains", async function (this: ConformanceWorld, size: number) {
  this.listing = await followTokens(this, { datasetArn: this.existingDatasetArn, sizes: [size], maxPages: ACCOUNT_PAGE_BOUND });
});

When("a client lists that dataset's jobs {int} at a time and again {int} at a time", async function (this: ConformanceWorld, first: number, second: number) {
  this.listing = await followTokens(this, { datasetArn: this.existingDatasetArn, sizes: [first], maxPages: ACCOUNT_PAGE_BOUND });
  this.otherListings.push(await followTokens(this, { datasetArn: this.existingDatasetArn, sizes: [second], maxPages: ACCOUNT_PAGE_BOUND }));
});

When(/^a client lists the dataset's jobs with the page sizes ([\d, ]+)$/, async function (this: ConformanceWorld, sizes: string) {
  const d = this.theDataset();
  this.listing = await followTokens(this, { datasetArn: d.arn, sizes: sizes.split(',').map((s) => Number(s.trim())), maxPages: pageBound(d.jobs.length) });
});

// ---- the SDK paginator --------------------------------------------------------------------

async function paginatorAndByHand(world: ConformanceWorld, pageSize: number | undefined): Promise<void> {
  const d = world.theDataset();
  world.listing = await walkWithPaginator(world, { datasetArn: d.arn, pageSize, maxPages: pageBound(d.jobs.length) });
  world.otherListings.push(await followTokens(world, { datasetArn: d.arn, sizes: pageSize ? [pageSize] : undefined, maxPages: pageBound(d.jobs.length) }));
}

When("a client lists the dataset's jobs with the SDK paginator, {int} at a time", async function (this: ConformanceWorld, size: number) {
  await paginatorAndByHand(this, size);
});

When("a client lists the dataset's jobs with the SDK paginator and no page size", async function (this: ConformanceWorld) {
  await paginatorAndByHand(this, undefined);
});

// ---- data that changes while a client pages -------------------------------------------------

When("a client lists the dataset's jobs {int} at a time while the jobs finish between pages", async function (this: ConformanceWorld, size: number) {
  const d = this.theDataset();
  let waited = false;
  this.listing = await followTokens(this, {
    datasetArn: d.arn, sizes: [size], maxPages: pageBound(d.jobs.length),
    afterPage: async () => {
      if (waited) return;
      waited = true;
      await waitForJobsToFinish(this, d.jobs);
    },
  });
});

When("a client lists the dataset's jobs {int} at a time while {int} new jobs are created between pages", async function (this: ConformanceWorld, size: number, created: number) {
  const d = this.theDataset();
  if (d.shared) throw new Error('This scenario adds jobs to its dataset: arrange it with "Given a fresh dataset with N import jobs".');
  this.preexistingJobs = [...d.jobs];
  let added = 0;
  this.listing = await followTokens(this, {
    datasetArn: d.arn, sizes: [size], maxPages: pageBound(d.jobs.length + created),
    afterPage: async () => {
      const now = Math.min(created - added, Math.ceil(created / 2));
      if (now > 0) added += (await importJobs(this, d, { count: now })).length;
    },
  });
});

/** Lists the whole dataset, again and again, until DescribeDatasetImportJob shows every job finished. */
When("a client lists the dataset's jobs again and again until every job has finished", async function (this: ConformanceWorld) {
  const d = this.theDataset();
  const unfinished = new Set(d.jobs.map((j) => j.arn));
  const deadline = Date.now() + this.config.waitTimeoutMs;
  const listings = [];
  while (true) {
    listings.push(await followTokens(this, { datasetArn: d.arn, sizes: [100], maxPages: pageBound(d.jobs.length) }));
    for (const arn of [...unfinished]) {
      const status = (await describeJob(this, arn)).status ?? '';
      if (terminalImportJobStatuses.includes(status)) unfinished.delete(arn);
    }
    if (unfinished.size === 0) {
      listings.push(await followTokens(this, { datasetArn: d.arn, sizes: [100], maxPages: pageBound(d.jobs.length) }));
      break;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${unfinished.size} import jobs to finish (CONFORMANCE_WAIT_TIMEOUT_MS).`);
    await sleep(this.config.pollIntervalMs);
  }
  [this.listing, ...this.otherListings] = listings;
});

/** Watches the newest job that can reach the status until DescribeDatasetImportJob shows it there. */
When(/^DescribeDatasetImportJob shows one of the jobs as (CREATE PENDING|CREATE IN_PROGRESS|ACTIVE|CREATE FAILED)$/, async function (this: ConformanceWorld, wanted: string) {
  const d = this.theDataset();
  const candidates = d.jobs.filter((j) => (wanted === 'ACTIVE' ? j.outcome === 'succeeds' : wanted === 'CREATE FAILED' ? j.outcome === 'fails' : true));
  const job = candidates[candidates.length - 1];
  const status = await waitUntil(this, `import job ${job.name} to be ${wanted}`,
    async () => (await this.send('primary', (c) => c.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn: job.arn })))).datasetImportJob?.status ?? '',
    (s) => statusesFrom(wanted).includes(s) || terminalImportJobStatuses.includes(s), (s) => `status ${s}`);
  if (status !== wanted) return this.notRun(`job ${job.name} went from an earlier status to ${status} before DescribeDatasetImportJob could show it ${wanted}`);
  this.watchedJob = { arn: job.arn, status };
});

// ---- datasetArn values that name no dataset --------------------------------------------------

/** The account id in the ARNs this scenario got back, or a placeholder for a read-only account. */
function accountOf(world: ConformanceWorld): string {
  const arn = [...world.datasets.values()][0]?.arn ?? '';
  return arn.split(':')[4] || '111111111111';
}

function otherAccount(account: string): string {
  return account === '111111111111' ? '222222222222' : '111111111111';
}

When(/^a client lists the jobs of (a dataset that was never created in this account|a dataset ARN of another account|a dataset ARN of another region|a dataset that has been deleted)$/, async function (this: ConformanceWorld, which: string) {
  const account = accountOf(this);
  const region = this.config.region;
  const never = `arn:aws:personalize:${region}:${account}:dataset/${this.name('never-created')}/INTERACTIONS`;
  let datasetArn: string;
  switch (which) {
    case 'a dataset that was never created in this account':
      datasetArn = never;
      break;
    case 'a dataset ARN of another account':
      datasetArn = this.dataset('clicks').arn.replace(`:${account}:`, `:${otherAccount(account)}:`);
      break;
    case 'a dataset ARN of another region':
      datasetArn = this.dataset('clicks').arn.replace(`:${region}:`, `:${this.config.otherRegion}:`);
      break;
    default: {
      const gone = this.dataset('members');
      await deleteDatasetAndWait(this, gone);
      datasetArn = gone.arn;
    }
  }
  this.listing = await this.attempt(() => followTokens(this, { datasetArn, sizes: [100], maxPages: 20 }));
});

// ---- requests outside the contract ------------------------------------------------------------

async function listOnce(world: ConformanceWorld, input: { datasetArn?: string; maxResults?: number; nextToken?: string }): Promise<void> {
  const output = await world.attempt(() => world.client().send(new ListDatasetImportJobsCommand(input)));
  world.listing = output ? { datasetArn: input.datasetArn, pages: [{ maxResults: input.maxResults, jobs: output.datasetImportJobs ?? [], nextToken: output.nextToken, output, raw: lastBody(world) }], ended: !output.nextToken } : undefined;
}

When("a client lists the account's jobs with maxResults {int}", async function (this: ConformanceWorld, maxResults: number) {
  await listOnce(this, { maxResults });
});

When("a client lists the dataset's jobs with maxResults {int}", async function (this: ConformanceWorld, maxResults: number) {
  await listOnce(this, { datasetArn: this.theDataset().arn, maxResults });
});

When('a client lists the jobs of a well-formed datasetArn of {int} characters', async function (this: ConformanceWorld, length: number) {
  const head = `arn:aws:personalize:${this.config.region}:111111111111:dataset/`;
  await listOnce(this, { datasetArn: head + 'a'.repeat(length - head.length - '/INTERACTIONS'.length) + '/INTERACTIONS' });
});

When('a client lists the jobs of the datasetArn {string}', async function (this: ConformanceWorld, datasetArn: string) {
  await listOnce(this, { datasetArn });
});

When("a client lists the account's jobs with the nextToken {string}", async function (this: ConformanceWorld, nextToken: string) {
  await listOnce(this, { nextToken });
});

const oddTokens: Record<string, string> = {
  '1501 ASCII characters long': 'A'.repeat(1501),
  '5000 ASCII characters long': 'tok'.repeat(1667).slice(0, 5000),
  'made of non-ASCII characters': 'jetonsuivantéèà€漢字',
  'ASCII with one non-ASCII character': 'eyJzY29wZSI6IngiLCJrZXkiOltdfQ.é',
};

When(/^a client lists the account's jobs with a nextToken that is (.+)$/, async function (this: ConformanceWorld, kind: string) {
  const nextToken = oddTokens[kind];
  if (nextToken === undefined) throw new Error(`No token is defined for "${kind}" (known: ${Object.keys(oddTokens).join('; ')}).`);
  await listOnce(this, { nextToken });
});

When(/^a client lists the account's jobs with (a datasetArn of plain text|a nextToken it never issued)$/, async function (this: ConformanceWorld, mistake: string) {
  await listOnce(this, mistake.includes('datasetArn') ? { datasetArn: 'interactions-dataset' } : { nextToken: 'not-a-token-this-endpoint-issued' });
});

// ---- tokens used out of place ------------------------------------------------------------

When(/^a client holds a nextToken issued for (?:dataset "([^"]+)"|(the whole account))$/, async function (this: ConformanceWorld, alias: string | undefined, _wholeAccount: string | undefined) {
  const datasetArn = alias ? this.dataset(alias).arn : undefined;
  const output = await this.send('primary', (c) => c.send(new ListDatasetImportJobsCommand({ datasetArn, maxResults: 1 })));
  if (!output.nextToken) return this.notRun(`a listing of ${alias ? `dataset "${alias}"` : 'the account'}, one job at a time, gave no token to reuse`);
  this.heldToken = { token: output.nextToken, datasetArn };
});

When(/^the client sends that nextToken (?:with the datasetArn of "([^"]+)"|(without a datasetArn)|with one character changed)$/, async function (this: ConformanceWorld, alias: string | undefined, withoutFilter: string | undefined) {
  const held = this.heldToken!;
  if (alias) await listOnce(this, { nextToken: held.token, datasetArn: this.dataset(alias).arn });
  else if (withoutFilter) await listOnce(this, { nextToken: held.token });
  else await listOnce(this, { nextToken: tamperToken(held.token), datasetArn: held.datasetArn });
});
