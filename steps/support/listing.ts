/**
 * Walking through ListDatasetImportJobs the way clients do: by following nextToken by hand, or
 * with the SDK's paginator. Every walk is bounded by a number of requests that allows short and
 * even empty pages, so an endpoint whose tokens never end fails a scenario instead of hanging it.
 */
import { DescribeDatasetImportJobCommand, ListDatasetImportJobsCommand, paginateListDatasetImportJobs, type DatasetImportJob, type DatasetImportJobSummary, type ListDatasetImportJobsCommandOutput } from '@aws-sdk/client-personalize';
import { limits, statusesFrom, terminalImportJobStatuses } from '../../schemas';
import type { ClientRole } from '../../src/targets';
import { waitUntil } from '../../src/wait';
import { refusedRangeEnd } from './refusal';
import type { ArrangedJob, ConformanceWorld, Listing, Page } from './world';

/**
 * The requests a listing may take: two per job it has listed (a page per job, and an empty page
 * with a token after each) plus this many. Short pages pass; a token that never ends does not.
 */
const SPARE_REQUESTS = 10;

export interface WalkOptions {
  datasetArn?: string;
  /** Page sizes to ask for, page by page (the last one repeats); none: maxResults is omitted. */
  sizes?: number[];
  role?: ClientRole;
  /** Jobs the listing is known to hold at least (the bound on requests allows for them). */
  expectedJobs?: number;
  /** Called after each page that carried a token, e.g. to change data while a client pages. */
  afterPage?: (pageNumber: number) => Promise<void>;
  /** Sends each request a second time with the same token (LDIJ-PAGE-009). */
  repeatEachRequest?: boolean;
}

/** The most requests a listing may take, having listed `distinctJobs` jobs of at least `expectedJobs`. */
export function requestBound(distinctJobs: number, expectedJobs = 0): number {
  return 2 * Math.max(distinctJobs, expectedJobs) + SPARE_REQUESTS;
}

/** Tells when a walk must stop: a token seen before, or more requests than the bound allows. */
class Progress {
  private readonly tokens = new Set<string>();
  private readonly seen = new Set<string>();

  constructor(private readonly expectedJobs = 0) {}

  stopReason(page: Page, requests: number): string | undefined {
    for (const j of page.jobs) this.seen.add(j.datasetImportJobArn ?? '');
    if (this.tokens.has(page.nextToken!)) return `page ${requests} handed out a token that an earlier page had already given`;
    this.tokens.add(page.nextToken!);
    const bound = requestBound(this.seen.size, this.expectedJobs);
    if (requests >= bound) return `still handing out tokens after ${requests} requests, which listed ${this.seen.size} jobs (the bound is two requests per job plus ${SPARE_REQUESTS})`;
    return undefined;
  }
}

/**
 * Under a call budget (the smoke run on a real account, read-only), identical walks within a run
 * are made once: the data does not change under a read-only run, and each call counts.
 */
const readOnlyWalks = new Map<string, Promise<Listing>>();

export function followTokens(world: ConformanceWorld, o: WalkOptions): Promise<Listing> {
  if (world.config.callBudget === undefined || world.config.allowWrites || o.afterPage || o.repeatEachRequest) return walk(world, o);
  const key = JSON.stringify([o.datasetArn, o.sizes, o.role]);
  let listing = readOnlyWalks.get(key);
  if (!listing) {
    listing = walk(world, o);
    readOnlyWalks.set(key, listing);
    listing.catch(() => readOnlyWalks.delete(key));
  }
  return listing;
}

function pageOf(world: ConformanceWorld, output: ListDatasetImportJobsCommandOutput, maxResults?: number): Page {
  return { maxResults, jobs: output.datasetImportJobs ?? [], nextToken: output.nextToken || undefined, output, raw: lastBody(world) };
}

type ListInput = { datasetArn?: string; maxResults?: number; nextToken?: string };

/** One ListDatasetImportJobs request, as a page (steps/support/refusal.ts: a refused maxResults 1 or 100 stops the scenario as not run). */
export async function listPage(world: ConformanceWorld, role: ClientRole, input: ListInput): Promise<Page> {
  try {
    return pageOf(world, await world.send(role, (c) => c.send(new ListDatasetImportJobsCommand(input))), input.maxResults);
  } catch (e) {
    throw (await refusedRangeEnd(world.client(role), e, input.maxResults)) ?? e;
  }
}

/** The same request again (LDIJ-PAGE-009): its page, or the client error that refused it, for the Then step to judge. */
async function repeatOf(world: ConformanceWorld, role: ClientRole, input: ListInput): Promise<Page | { refused: string }> {
  try {
    return await listPage(world, role, input);
  } catch (e) {
    const { $fault, name, message, $metadata } = e as { $fault?: string; name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    if ($fault !== 'client') throw e;
    return { refused: `${name} (HTTP ${$metadata?.httpStatusCode}): ${message}` };
  }
}

async function walk(world: ConformanceWorld, o: WalkOptions): Promise<Listing> {
  const pages: Page[] = [];
  const progress = new Progress(o.expectedJobs);
  const role = o.role ?? 'primary';
  let nextToken: string | undefined;
  for (let n = 1; ; n++) {
    const maxResults = o.sizes?.length ? o.sizes[Math.min(n - 1, o.sizes.length - 1)] : undefined;
    const input = { datasetArn: o.datasetArn, maxResults, nextToken };
    const page = await listPage(world, role, input);
    pages.push(page);
    if (o.repeatEachRequest) world.observed.repeats.push({ pageNumber: n, first: page, second: await repeatOf(world, role, input) });
    nextToken = page.nextToken;
    if (!nextToken) return { datasetArn: o.datasetArn, pages, ended: true };
    const stop = progress.stopReason(page, n);
    if (stop) return { datasetArn: o.datasetArn, pages, ended: false, stoppedBecause: stop };
    await o.afterPage?.(n);
  }
}

export async function walkWithPaginator(world: ConformanceWorld, o: WalkOptions & { pageSize?: number }): Promise<Listing> {
  const pages: Page[] = [];
  const progress = new Progress(o.expectedJobs);
  const paginator = paginateListDatasetImportJobs(
    { client: world.client(o.role), pageSize: o.pageSize, stopOnSameToken: true },
    { datasetArn: o.datasetArn },
  );
  const stoppedBecause = await world.send(o.role ?? 'primary', async () => {
    for await (const output of paginator) {
      const page = pageOf(world, output, o.pageSize);
      pages.push(page);
      if (!page.nextToken) return undefined;
      const stop = progress.stopReason(page, pages.length);
      if (stop) return `the paginator went on: ${stop}`;
    }
    return undefined;
  }).catch(async (e) => {
    throw (await refusedRangeEnd(world.client(o.role), e, o.pageSize)) ?? e;
  });
  return { datasetArn: o.datasetArn, pages, ended: !stoppedBecause, ...(stoppedBecause && { stoppedBecause }) };
}

/** What DescribeDatasetImportJob shows of each job now, by ARN. */
export async function describeEach(world: ConformanceWorld, arns: string[], role: ClientRole = 'primary'): Promise<Map<string, DatasetImportJob>> {
  const described = new Map<string, DatasetImportJob>();
  for (const arn of arns) {
    const { datasetImportJob } = await world.send(role, (c) => c.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn: arn })));
    if (!datasetImportJob) throw new Error(`DescribeDatasetImportJob ${arn} answered without a datasetImportJob.`);
    described.set(arn, datasetImportJob);
  }
  return described;
}

/** Describes every job, then lists them; again and again until Describe shows every job finished, and once more. */
export async function listUntilEveryJobHasFinished(world: ConformanceWorld, datasetArn: string, jobs: ArrangedJob[]): Promise<Listing[]> {
  const listings: Listing[] = [];
  let finished = false;
  await waitUntil(async () => {
    const describedBefore = await describeEach(world, jobs.map((j) => j.arn));
    const listing = await followTokens(world, { datasetArn, sizes: [limits.maxResults.max], expectedJobs: jobs.length });
    listings.push({ ...listing, describedBefore });
    const done = finished;
    finished = [...describedBefore.values()].every((d) => terminalImportJobStatuses.includes(d.status ?? ''));
    return done;
  }, (done) => done, {
    what: `${jobs.length} import jobs to finish`, timeoutMs: world.config.waitTimeoutMs, intervalMs: world.config.pollIntervalMs,
    describe: () => `${listings.length} listings`, hint: 'Set CONFORMANCE_WAIT_TIMEOUT_MS to wait longer.',
  });
  return listings;
}

/** The body of the last listing response that came over the wire. */
export function lastBody(world: ConformanceWorld): string {
  const x = [...world.wireLog.exchanges].reverse().find((e) => e.operation === 'ListDatasetImportJobs');
  return x?.body ?? '';
}

export function listedJobs(listing: Listing): DatasetImportJobSummary[] {
  return listing.pages.flatMap((p) => p.jobs);
}

/**
 * Who a listed job is: its ARN, or, where that ARN is none the scenario created, the arranged job
 * of the same name. A wrong ARN is LDIJ-RESP-001's finding; the other rules go on judging the job.
 */
export function identify(world: ConformanceWorld): (s: DatasetImportJobSummary) => string {
  const created = new Set(world.allJobs.map((j) => j.arn));
  const byName = new Map(world.allJobs.map((j) => [j.name, j.arn]));
  return (s) => {
    const arn = s.datasetImportJobArn ?? '';
    if (!created.has(arn) && s.jobName && byName.has(s.jobName)) return byName.get(s.jobName)!;
    return arn || '<no ARN>';
  };
}

export function listedArns(world: ConformanceWorld, listing: Listing): string[] {
  return listedJobs(listing).map(identify(world));
}

/** ARNs listed more than once, with their counts. */
export function duplicates(arns: string[]): string[] {
  const counts = new Map<string, number>();
  for (const a of arns) counts.set(a, (counts.get(a) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1).map(([a, n]) => `${a} (${n} times)`);
}

/** Fails unless the listing ended by itself (LDIJ-PAGE-004's own check). */
export function assertEnded(listing: Listing): void {
  if (!listing.ended) throw new Error(`The listing did not end: ${listing.stoppedBecause} (after ${listing.pages.length} pages, ${listedJobs(listing).length} jobs).`);
}

/** Fails unless `expected` are all listed exactly once (other jobs are allowed unless `exactly`). */
export function assertListedOnce(world: ConformanceWorld, listing: Listing, expected: { arn: string; name: string }[], exactly: boolean, what: string): void {
  const arns = listedArns(world, listing);
  const counts = new Map<string, number>();
  for (const a of arns) counts.set(a, (counts.get(a) ?? 0) + 1);
  const problems: string[] = [];
  const missing = expected.filter((j) => !counts.has(j.arn));
  if (missing.length) problems.push(`${missing.length} of ${expected.length} ${what} missing: ${missing.slice(0, 5).map((j) => j.name).join(', ')}${missing.length > 5 ? ', ...' : ''}`);
  const wanted = new Set(expected.map((j) => j.arn));
  const twice = duplicates(exactly ? arns : arns.filter((a) => wanted.has(a)));
  if (twice.length) problems.push(`listed more than once: ${twice.slice(0, 5).join(', ')}`);
  if (exactly) {
    const extra = [...counts.keys()].filter((a) => !wanted.has(a));
    if (extra.length) problems.push(`${extra.length} jobs listed that are not ${what}: ${extra.slice(0, 5).join(', ')}`);
  }
  if (problems.length) {
    throw new Error(`Expected ${exactly ? 'exactly ' : ''}the ${expected.length} ${what}, each once, over ${listing.pages.length} pages: ${problems.join('; ')}.`);
  }
}

/**
 * The listings of the When step. A listing that did not end is LDIJ-PAGE-004's finding (charged
 * wherever it is seen); the other rules judge the pages it showed. `arranged` says how many jobs
 * the scenario knows to be there: a Then about listed jobs refuses to pass on nothing where jobs were arranged.
 */
export function observedListings(world: ConformanceWorld, arranged: number): Listing[] {
  const listings = world.observed.listings;
  if (!listings.length) throw new Error('The When step made no listing.');
  for (const l of listings.filter((x) => !x.ended)) {
    world.findings.push({ body: 'ListDatasetImportJobs response', pointer: '/nextToken', keyword: 'endless', text: `the listing did not end: ${l.stoppedBecause}` });
  }
  const empty = listings.filter((l) => listedJobs(l).length === 0);
  if (arranged > 0 && empty.length) throw new Error(`${empty.length} of ${listings.length} listings held no job, though ${arranged} were arranged for them.`);
  return listings;
}

/** How many jobs the scenario knows its listings must show: the arranged ones, or at least one that the account or an existing dataset had. */
export function knownJobs(world: ConformanceWorld): number {
  const listed = world.observed.listings[0];
  if (listed?.datasetArn) {
    const mine = [...world.datasets.values()].find((d) => d.arn === listed.datasetArn);
    if (mine) return mine.jobs.length;
    return listed.datasetArn === world.arranged.existingDatasetArn ? 1 : 0;
  }
  // The whole account: the scenario's own jobs, or (@readonly) the jobs a Given step found there.
  return Math.max(world.allJobs.length, 1);
}

/** Every summary the When step's listings showed, refusing an empty listing where jobs were arranged. */
export function listedSummaries(world: ConformanceWorld): DatasetImportJobSummary[] {
  return observedListings(world, knownJobs(world)).flatMap(listedJobs);
}

/** Kinds of well-formed datasetArn that name no dataset the caller can list (LDIJ-FILTER-006). */
export type NoDataset = 'a dataset that was never created in this account' | 'a dataset ARN of another account' | 'a dataset ARN of another region' | 'a dataset that has been deleted';

/** The account id in the ARNs this scenario got back, or a placeholder for a read-only account. */
function accountOf(world: ConformanceWorld): string {
  const arn = [...world.datasets.values()][0]?.arn ?? '';
  return arn.split(':')[4] || '111111111111';
}

/** A well-formed datasetArn of no dataset, of the kind asked for; the deleted one is deleted here. */
export async function datasetArnOfNoDataset(world: ConformanceWorld, which: NoDataset, deleteDataset: (alias: string) => Promise<string>): Promise<string> {
  const account = accountOf(world);
  const region = world.config.region;
  const otherAccount = account === '111111111111' ? '222222222222' : '111111111111';
  const arns: Record<NoDataset, () => Promise<string> | string> = {
    'a dataset that was never created in this account': () => `arn:aws:personalize:${region}:${account}:dataset/${world.name('never-created')}/INTERACTIONS`,
    'a dataset ARN of another account': () => world.dataset('clicks').arn.replace(`:${account}:`, `:${otherAccount}:`),
    'a dataset ARN of another region': () => world.dataset('clicks').arn.replace(`:${region}:`, `:${world.config.otherRegion}:`),
    'a dataset that has been deleted': () => deleteDataset('members'),
  };
  return arns[which]();
}

/**
 * Watches the newest job that can reach `wanted` until DescribeDatasetImportJob shows it there (or
 * past it: then the scenario cannot show the status, and says so).
 */
export async function watchJobInto(world: ConformanceWorld, jobs: ArrangedJob[], wanted: string): Promise<{ arn: string; status: string } | { missed: string }> {
  const reaches = (j: ArrangedJob) => (wanted === 'ACTIVE' ? j.outcome === 'succeeds' : wanted === 'CREATE FAILED' ? j.outcome === 'fails' : true);
  const job = jobs.filter(reaches).at(-1);
  if (!job) throw new Error(`No arranged job can reach ${wanted}.`);
  const status = await waitUntil(async () => (await describeEach(world, [job.arn])).get(job.arn)?.status ?? '',
    (s) => statusesFrom(wanted).includes(s) || terminalImportJobStatuses.includes(s),
    { what: `import job ${job.name} to be ${wanted}`, timeoutMs: world.config.waitTimeoutMs, intervalMs: world.config.pollIntervalMs, describe: (s) => `status ${s}`, hint: 'Set CONFORMANCE_WAIT_TIMEOUT_MS to wait longer.' });
  if (status !== wanted) return { missed: `job ${job.name} went from an earlier status to ${status} before DescribeDatasetImportJob could show it ${wanted}` };
  return { arn: job.arn, status };
}
