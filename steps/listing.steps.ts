/** When: a client lists dataset import jobs (one When per scenario); each records what it saw in `this.observed`. */
import { When } from '@cucumber/cucumber';
import { limits } from '../schemas';
import { CREATES_BETWEEN_PAGES } from '../src/arrange/givens';
import { importJobs, waitForJobsToFinish } from '../src/arrange/provision';
import {
  listOnce, datasetArnOfNoDataset, describeEach, followTokens, listPage, listUntilEveryJobHasFinished, walkWithPaginator,
  type NoDataset, type WalkOptions,
} from './support/listing';
import { describableArns } from './support/judgements';
import { alterable, cutToken, tamperToken, type TokenPlace } from '../src/tokens';
import { PLACEHOLDER_ACCOUNT } from '../src/redact';
import type { ConformanceWorld } from './support/world';

/** Follows the tokens to the end and records the listing. */
async function listAll(world: ConformanceWorld, o: WalkOptions): Promise<void> {
  world.observed.listings.push(await followTokens(world, o));
}

// ---- walking through a listing until no token remains ---------------------------------------

When("a client lists the dataset's jobs {int} at a time until no token remains", async function (this: ConformanceWorld, size: number) {
  const d = this.onlyDataset();
  await listAll(this, { datasetArn: d.arn, sizes: [size] });
});

When('a client lists the jobs of dataset {string} {int} at a time until no token remains', async function (this: ConformanceWorld, alias: string, size: number) {
  const d = this.dataset(alias);
  await listAll(this, { datasetArn: d.arn, sizes: [size] });
});

When("a client lists the dataset's jobs without maxResults until no token remains", async function (this: ConformanceWorld) {
  const d = this.onlyDataset();
  await listAll(this, { datasetArn: d.arn });
});

When('a client lists all jobs of the account {int} at a time until no token remains', async function (this: ConformanceWorld, size: number) {
  await listAll(this, { sizes: [size] });
});

When('a client lists all jobs of the account without maxResults until no token remains', async function (this: ConformanceWorld) {
  await listAll(this, {});
});

When("a client lists that dataset's jobs {int} at a time until no token remains", async function (this: ConformanceWorld, size: number) {
  await listAll(this, { datasetArn: this.arranged.existingDatasetArn, sizes: [size] });
});

When("a client lists that dataset's jobs {int} at a time and again {int} at a time", async function (this: ConformanceWorld, first: number, second: number) {
  await listAll(this, { datasetArn: this.arranged.existingDatasetArn, sizes: [first] });
  await listAll(this, { datasetArn: this.arranged.existingDatasetArn, sizes: [second] });
});

When(/^a client lists the dataset's jobs with the page sizes ([\d, ]+)$/, async function (this: ConformanceWorld, sizes: string) {
  const d = this.onlyDataset();
  await listAll(this, { datasetArn: d.arn, sizes: sizes.split(',').map((s) => Number(s.trim())) });
});

When("a client lists the dataset's jobs {int} at a time, sending each request twice", async function (this: ConformanceWorld, size: number) {
  const d = this.onlyDataset();
  await listAll(this, { datasetArn: d.arn, sizes: [size], repeatEachRequest: true });
});

// ---- the SDK paginator --------------------------------------------------------------------

async function paginatorAndByHand(world: ConformanceWorld, pageSize: number | undefined): Promise<void> {
  const d = world.onlyDataset();
  world.observed.listings.push(await walkWithPaginator(world, { datasetArn: d.arn, pageSize}));
  await listAll(world, { datasetArn: d.arn, sizes: pageSize ? [pageSize] : undefined});
}

When("a client lists the dataset's jobs with the SDK paginator, {int} at a time", async function (this: ConformanceWorld, size: number) {
  await paginatorAndByHand(this, size);
});

When("a client lists the dataset's jobs with the SDK paginator and no page size", async function (this: ConformanceWorld) {
  await paginatorAndByHand(this, undefined);
});

// ---- data that changes while a client pages -------------------------------------------------

When("a client lists the dataset's jobs {int} at a time while the jobs finish between pages", async function (this: ConformanceWorld, size: number) {
  const d = this.onlyDataset();
  await listAll(this, {
    datasetArn: d.arn, sizes: [size],
    afterPage: async (n) => (n === 1 ? waitForJobsToFinish(this, d.jobs, d.role) : undefined),
  });
});

/** The new jobs go into a dataset of the scenario's own, one after each of the first pages. */
When(CREATES_BETWEEN_PAGES.expression, async function (this: ConformanceWorld, size: number, created: number, alias: string) {
  const d = this.dataset(alias);
  if (d.shared) throw new Error(`This scenario adds jobs to dataset "${alias}": arrange it with "Given a new dataset ..." (a shared dataset is only read).`);
  this.observed.preexistingJobs = [...this.allJobs];
  let added = 0;
  await listAll(this, {
    sizes: [size],
    afterPage: async () => {
      if (added < created) added += (await importJobs(this, d, { count: 1 })).length;
    },
  });
});

When("a client lists the dataset's jobs again and again until every job has finished", async function (this: ConformanceWorld) {
  const d = this.onlyDataset();
  this.observed.listings.push(...(await listUntilEveryJobHasFinished(this, d.arn, d.jobs)));
});

// ---- comparing with DescribeDatasetImportJob ------------------------------------------------

When('a client describes each job of dataset {string} and then lists them {int} at a time', async function (this: ConformanceWorld, alias: string, size: number) {
  const d = this.dataset(alias);
  const describedBefore = await describeEach(this, d.jobs.map((j) => j.arn));
  this.observed.listings.push({ ...(await followTokens(this, { datasetArn: d.arn, sizes: [size] })), describedBefore });
});

/** The jobs of a dataset the account already had are found by a first listing, then described, then listed again. */
When("a client describes each job of that dataset and then lists them {int} at a time", async function (this: ConformanceWorld, size: number) {
  const datasetArn = this.arranged.existingDatasetArn;
  const found = await followTokens(this, { datasetArn, sizes: [size] });
  const describedBefore = await describeEach(this, describableArns(found.pages.flatMap((p) => p.jobs.map((j) => j.datasetImportJobArn ?? '')), this.config.region));
  this.observed.listings.push({ ...(await followTokens(this, { datasetArn, sizes: [size] })), describedBefore });
});

// ---- datasetArn values that name no dataset --------------------------------------------------

When(/^a client lists the jobs of (a dataset that was never created in this account|a dataset ARN of another account|a dataset ARN of another region|a dataset that has been deleted|a dataset group's ARN)$/, async function (this: ConformanceWorld, which: NoDataset) {
  const datasetArn = await datasetArnOfNoDataset(this, which, (alias) => {
    const gone = this.dataset(alias);
    if (!gone.deleted) throw new Error(`Dataset "${alias}" was not deleted: read the shared dataset "deleted".`);
    return gone.arn;
  });
  const listing = await this.attempt(() => followTokens(this, { datasetArn, sizes: [limits.maxResults.max] }));
  if (listing) this.observed.listings.push(listing);
});

// ---- requests outside the contract ------------------------------------------------------------

When("a client lists the account's jobs with maxResults {int}", async function (this: ConformanceWorld, maxResults: number) {
  await listOnce(this, { maxResults });
});

When("a client lists the dataset's jobs with maxResults {int}", async function (this: ConformanceWorld, maxResults: number) {
  await listOnce(this, { datasetArn: this.onlyDataset().arn, maxResults });
});

/** A datasetArn that matches the pattern, `length` characters long. */
function longDatasetArn(world: ConformanceWorld, length: number): string {
  const head = `arn:aws:personalize:${world.config.region}:${PLACEHOLDER_ACCOUNT}:dataset/`;
  return head + 'a'.repeat(length - head.length - '/INTERACTIONS'.length) + '/INTERACTIONS';
}

When('a client lists the jobs of a well-formed datasetArn of {int} characters', async function (this: ConformanceWorld, length: number) {
  await listOnce(this, { datasetArn: longDatasetArn(this, length) });
});

When('a client lists the jobs of a well-formed datasetArn of {int} characters, and of one of {int}', async function (this: ConformanceWorld, long: number, short: number) {
  await listOnce(this, { datasetArn: longDatasetArn(this, long) });
  const first = { rejection: this.observed.rejection, listing: this.observed.listings.at(-1) };
  this.observed.rejection = undefined;
  await listOnce(this, { datasetArn: longDatasetArn(this, short) });
  this.observed.compared = [first, { rejection: this.observed.rejection, listing: this.observed.listings.at(-1) }];
  this.observed.rejection = undefined;
  this.rejectionChecked = true;
});

When('a client lists the jobs of the datasetArn {string}', async function (this: ConformanceWorld, datasetArn: string) {
  await listOnce(this, { datasetArn });
});

When("a client lists the account's jobs with the nextToken {string}", async function (this: ConformanceWorld, nextToken: string) {
  await listOnce(this, { nextToken });
});

When("a client lists the account's jobs with an empty nextToken", async function (this: ConformanceWorld) {
  await listOnce(this, { nextToken: '' });
});

/** Values of maxResults of the wrong type, as the SDK sends them (it checks nothing before sending). */
const wrongTypes: Record<string, unknown> = { '1.5': 1.5, '"10"': '10' };

When("a client lists the account's jobs with the maxResults {word}, as the SDK sends it", async function (this: ConformanceWorld, value: string) {
  if (!(value in wrongTypes)) throw new Error(`No maxResults is defined for ${value} (known: ${Object.keys(wrongTypes).join(', ')}).`);
  // The model types maxResults as an integer; the request sends what a careless caller would.
  await listOnce(this, { maxResults: wrongTypes[value] as number });
});

const oddTokens: Record<string, string> = {
  '1500 ASCII characters long': 'T'.repeat(1500),
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

const mistakes: Record<string, (world: ConformanceWorld) => { datasetArn?: string; maxResults?: number; nextToken?: string }> = {
  'a datasetArn of plain text': () => ({ datasetArn: 'interactions-dataset' }),
  'a datasetArn of 257 characters': (world) => ({ datasetArn: longDatasetArn(world, 257) }),
  'a nextToken it never issued': () => ({ nextToken: 'not-a-token-this-endpoint-issued' }),
};

When(/^a client lists the account's jobs with (a datasetArn of plain text|a datasetArn of 257 characters|a nextToken it never issued)$/, async function (this: ConformanceWorld, mistake: string) {
  await listOnce(this, mistakes[mistake](this));
});

// ---- tokens used out of place ------------------------------------------------------------

/** A Given in the features: the token is what the scenario arranges, the request the When sends. */
When(/^a client holds a nextToken issued for (?:dataset "([^"]+)"|(the whole account))$/, async function (this: ConformanceWorld, alias: string | undefined, _wholeAccount: string | undefined) {
  const datasetArn = alias ? this.dataset(alias).arn : undefined;
  const output = await listPage(this, 'primary', { datasetArn, maxResults: 1 });
  if (!output.nextToken) return this.notShown('target', `a listing of ${alias ? `dataset "${alias}"` : 'the account'}, one job at a time, gave no token to reuse`, { exchanges: [output.exchange] });
  this.arranged.heldToken = { token: output.nextToken, datasetArn, exchange: output.exchange };
});

When(/^the client sends that nextToken (?:with the datasetArn of "([^"]+)"|(without a datasetArn)|with its (first|middle|last) character changed|(with its last character cut off))$/, async function (this: ConformanceWorld, alias: string | undefined, withoutFilter: string | undefined, place: TokenPlace | undefined, cutOff: string | undefined) {
  const held = this.arranged.heldToken!;
  if (alias) await listOnce(this, { nextToken: held.token, datasetArn: this.dataset(alias).arn });
  else if (withoutFilter) await listOnce(this, { nextToken: held.token });
  else if (!alterable(held.token)) this.notShown('target', `the issued token "${held.token}" is too short to change or cut and still send a token`, { exchanges: [held.exchange] });
  else if (cutOff) await listOnce(this, { nextToken: cutToken(held.token), datasetArn: held.datasetArn });
  else await listOnce(this, { nextToken: tamperToken(held.token, place), datasetArn: held.datasetArn });
});
