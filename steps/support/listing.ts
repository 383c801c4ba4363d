/**
 * Walking through ListDatasetImportJobs the way clients do: by following nextToken by hand, or
 * with the SDK's paginator. Every walk has caps of its own (pages, bytes, time), whatever it has
 * listed, so an endpoint whose tokens never end cannot hang a scenario or fill the memory: a walk
 * keeps what judging needs (the jobs as the SDK parsed them, the tokens), not the bodies, which
 * the scenario's wire log keeps within its budget.
 */
import { DescribeDatasetImportJobCommand, ListDatasetImportJobsCommand, paginateListDatasetImportJobs, type DatasetImportJob, type DatasetImportJobSummary, type ListDatasetImportJobsCommandOutput } from '@aws-sdk/client-personalize';
import { importJobStatuses, limits, terminalImportJobStatuses } from '../../schemas';
import type { ClientRole } from '../../src/targets';
import { sleep } from '../../src/wait';
import { ContractBreach, LimitReached, NotShown, type EvidenceRef } from '../../src/verdict';
import { PLACEHOLDER_ACCOUNT } from '../../src/redact';
import { refusedRangeEnd } from './refusal';
import type { ArrangedJob, ConformanceWorld, Listing, Page } from './world';

/** The requests a walk may always take, however few jobs the account is known to hold. */
const MIN_WALK_PAGES = 200;
/** Bytes of response bodies one walk may read (pages of 100 jobs are a few tens of KiB). */
const WALK_MAX_BYTES = 64 * 1024 * 1024;
/** Time one walk may take, at most (the step time-out may end it sooner). */
const WALK_MAX_MS = 120_000;

export interface WalkOptions {
  datasetArn?: string;
  /** Page sizes to ask for, page by page (the last one repeats); none: maxResults is omitted. */
  sizes?: number[];
  role?: ClientRole;
  /** Called after each page that carried a token, e.g. to change data while a client pages. */
  afterPage?: (pageNumber: number) => Promise<void>;
  /** Sends each request a second time with the same token (LDIJ-PAGE-009). */
  repeatEachRequest?: boolean;
}

/**
 * The pages a walk may take: two per job the account is known to hold, plus ten (an index-backed
 * service may answer a filtered listing with a short or empty page for every page of the whole
 * account's jobs), and never fewer than MIN_WALK_PAGES. A safety limit of the suite, not a promise of the API.
 */
export function walkPageCap(accountJobs: number): number {
  return Math.max(MIN_WALK_PAGES, 2 * accountJobs + 10);
}

/** Jobs the account is known to hold: the most any listing of this process showed, and what it created since. */
function knownAccountJobs(world: ConformanceWorld): number {
  return world.run.accountJobs.known;
}

/** Why a walk must stop: a token seen before (the service's defect), or one of the walk's caps (the suite's limit). */
class Progress {
  private readonly tokens = new Map<string, number>();
  private bytes = 0;
  private readonly started = Date.now();
  constructor(private readonly pageCap: number) {}

  stop(page: Page, pageNumber: number, responseBytes: number): Pick<Listing, 'stoppedBecause' | 'capped'> | undefined {
    this.bytes += responseBytes;
    const earlier = this.tokens.get(page.nextToken!);
    if (earlier !== undefined) return { stoppedBecause: `page ${pageNumber} handed out the token page ${earlier} had already given`, capped: false };
    this.tokens.set(page.nextToken!, pageNumber);
    if (pageNumber >= this.pageCap) return { stoppedBecause: `still handing out new tokens after ${pageNumber} pages, the walk's cap (two per job the account is known to hold, plus ten)`, capped: true };
    if (this.bytes > WALK_MAX_BYTES) return { stoppedBecause: `still handing out new tokens after ${pageNumber} pages and ${Math.round(this.bytes / 1048576)} MiB, past the walk's cap of ${WALK_MAX_BYTES / 1048576} MiB`, capped: true };
    const ms = Date.now() - this.started;
    if (ms > WALK_MAX_MS) return { stoppedBecause: `still handing out new tokens after ${pageNumber} pages and ${Math.round(ms / 1000)} s, past the walk's cap of ${WALK_MAX_MS / 1000} s`, capped: true };
    return undefined;
  }
}

/**
 * Under a call budget (the smoke run on a real account, read-only), identical walks within a run
 * are made once: the data does not change under a read-only run, and each call counts.
 */
const readOnlyWalksOf = new WeakMap<ConformanceWorld['run'], Map<string, Promise<Listing>>>();

export function followTokens(world: ConformanceWorld, o: WalkOptions): Promise<Listing> {
  if (world.config.callBudget === undefined || world.config.allowWrites || o.afterPage || o.repeatEachRequest) return walk(world, o);
  // Kept per run context, not per module: the walks belong to the run whose budget they spend.
  const walks = readOnlyWalksOf.get(world.run) ?? new Map<string, Promise<Listing>>();
  readOnlyWalksOf.set(world.run, walks);
  const key = JSON.stringify([o.datasetArn, o.sizes, o.role]);
  let listing = walks.get(key);
  if (!listing) {
    listing = walk(world, o);
    walks.set(key, listing);
    listing.catch(() => walks.delete(key));
  }
  return listing;
}

function pageOf(world: ConformanceWorld, output: ListDatasetImportJobsCommandOutput, maxResults: number | undefined, sentToken: string | undefined): Page {
  const exchange = world.wire.last('ListDatasetImportJobs')?.n ?? 0;
  return { maxResults, jobs: output.datasetImportJobs ?? [], nextToken: output.nextToken || undefined, sentToken, carriedList: output.datasetImportJobs !== undefined, exchange };
}

type ListInput = { datasetArn?: string; maxResults?: number; nextToken?: string };

/** One ListDatasetImportJobs request, as a page (steps/support/refusal.ts: a refused maxResults 1 or 100 stops the scenario as not shown). */
export async function listPage(world: ConformanceWorld, role: ClientRole, input: ListInput): Promise<Page> {
  try {
    return pageOf(world, await world.send(role, (c) => c.send(new ListDatasetImportJobsCommand(input))), input.maxResults, input.nextToken);
  } catch (e) {
    throw (await refusedRangeEnd(world, role, e, input.maxResults)) ?? e;
  }
}

/** One request whose rejection may be the behaviour under test (sent by the primary account, unless `role` says otherwise). */
export async function listOnce(world: ConformanceWorld, input: { datasetArn?: string; maxResults?: number; nextToken?: string }, role: ClientRole = 'primary'): Promise<void> {
  const startedAt = Date.now();
  const output = await world.attempt(() => world.client(role).send(new ListDatasetImportJobsCommand(input)));
  if (!output) return;
  const page = {
    maxResults: input.maxResults, jobs: output.datasetImportJobs ?? [], nextToken: output.nextToken || undefined, sentToken: input.nextToken,
    carriedList: output.datasetImportJobs !== undefined, exchange: world.wire.last('ListDatasetImportJobs')?.n ?? 0,
  };
  // One request, not a walk: whether more pages would follow is not what the scenario asks.
  world.observed.listings.push({ datasetArn: input.datasetArn, pages: [page], ended: true, startedAt });
}

/** The same request again (LDIJ-PAGE-009): its page, or the client error that refused it, for the Then step to judge. */
async function repeatOf(world: ConformanceWorld, role: ClientRole, input: ListInput): Promise<Page | { refused: string; exchange: number }> {
  try {
    return await listPage(world, role, input);
  } catch (e) {
    const { $fault, name, message, $metadata } = e as { $fault?: string; name?: string; message?: string; $metadata?: { httpStatusCode?: number } }; // what the SDK throws: a ServiceException, or another Error
    if ($fault !== 'client' || e instanceof NotShown) throw e;
    return { refused: `${name} (HTTP ${$metadata?.httpStatusCode}): ${message}`, exchange: world.wire.last()?.n ?? 0 };
  }
}

/** Notes the jobs an unfiltered walk showed: what the account is known to hold. */
function noteAccountJobs(world: ConformanceWorld, listing: Listing): void {
  if (listing.datasetArn === undefined) world.run.accountJobs.saw(new Set(listedJobs(listing).map((j) => j.datasetImportJobArn)).size);
}

async function walk(world: ConformanceWorld, o: WalkOptions): Promise<Listing> {
  const pages: Page[] = [];
  const progress = new Progress(walkPageCap(knownAccountJobs(world)));
  const role = o.role ?? 'primary';
  const startedAt = Date.now();
  let nextToken: string | undefined;
  for (let n = 1; ; n++) {
    const maxResults = o.sizes?.length ? o.sizes[Math.min(n - 1, o.sizes.length - 1)] : undefined;
    const input = { datasetArn: o.datasetArn, maxResults, nextToken };
    const page = await listPage(world, role, input);
    pages.push(page);
    if (o.repeatEachRequest) world.observed.repeats.push({ pageNumber: n, first: page, second: await repeatOf(world, role, input) });
    nextToken = page.nextToken;
    if (!nextToken) {
      const listing = { datasetArn: o.datasetArn, pages, ended: true, startedAt };
      noteAccountJobs(world, listing);
      return listing;
    }
    const stop = progress.stop(page, n, world.wire.exchange(page.exchange)?.responseBytes ?? 0);
    if (stop) return { datasetArn: o.datasetArn, pages, ended: false, startedAt, ...stop };
    await o.afterPage?.(n);
  }
}

export async function walkWithPaginator(world: ConformanceWorld, o: WalkOptions & { pageSize?: number }): Promise<Listing> {
  const pages: Page[] = [];
  const progress = new Progress(walkPageCap(knownAccountJobs(world)));
  const startedAt = Date.now();
  const paginator = paginateListDatasetImportJobs(
    { client: world.client(o.role), pageSize: o.pageSize, stopOnSameToken: true },
    { datasetArn: o.datasetArn },
  );
  let sent: string | undefined;
  const stopped = await world.send(o.role ?? 'primary', async () => {
    for await (const output of paginator) {
      const page = pageOf(world, output, o.pageSize, sent);
      pages.push(page);
      sent = page.nextToken;
      if (!page.nextToken) return undefined;
      const stop = progress.stop(page, pages.length, world.wire.exchange(page.exchange)?.responseBytes ?? 0);
      if (stop) return { ...stop, stoppedBecause: `the paginator went on: ${stop.stoppedBecause}` };
    }
    return undefined;
  }).catch(async (e) => {
    throw (await refusedRangeEnd(world, o.role ?? 'primary', e, o.pageSize)) ?? e;
  });
  return { datasetArn: o.datasetArn, pages, ended: !stopped, startedAt, ...stopped };
}

/** What DescribeDatasetImportJob shows of each job now, by ARN. */
export async function describeEach(world: ConformanceWorld, arns: string[], role: ClientRole = 'primary'): Promise<Map<string, DatasetImportJob>> {
  const described = new Map<string, DatasetImportJob>();
  for (const arn of arns) {
    const { datasetImportJob } = await world.send(role, (c) => c.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn: arn })));
    if (!datasetImportJob) {
      const x = world.wire.last('DescribeDatasetImportJob');
      throw new NotShown('target', `DescribeDatasetImportJob ${arn} answered without a datasetImportJob`, x ? { exchanges: [x.n] } : undefined);
    }
    described.set(arn, datasetImportJob);
  }
  return described;
}

/** Whether a listing shows every job with the status and last update Describe showed (where the summary carries one). */
export function agreesWithDescribe(listing: Listing, described: Map<string, DatasetImportJob>, id: (s: DatasetImportJobSummary) => string): boolean {
  const listed = new Map(listedJobs(listing).map((s) => [id(s), s]));
  return [...described].every(([arn, d]) => {
    const s = listed.get(arn);
    if (!s) return false;
    // A status outside the documented lifecycle never agrees; it is LDIJ-RESP-003's finding, not a listing that has not caught up.
    if (!importJobStatuses.includes(s.status ?? '')) return true;
    return s.status === d.status && (s.lastUpdatedDateTime === undefined || s.lastUpdatedDateTime.getTime() === d.lastUpdatedDateTime?.getTime());
  });
}

/**
 * The time of the service, as its latest answer's Date header gives it (the wall clock where it
 * sends none): the wait for a listing to catch up is the service's time, so that a service whose
 * clock moves by request (the in-process mock) is not waited for in wall-clock minutes.
 */
function serviceNow(world: ConformanceWorld): number {
  return world.wire.last()?.serverDate ?? Date.now();
}

/**
 * Watches jobs through their lifecycle: each listing is made between two DescribeDatasetImportJob
 * rounds (describedBefore, describedAfter), until Describe shows every job finished and a listing
 * shows them as Describe does (caught up), and once more, or the wait for that ends
 * (CONFORMANCE_WAIT_TIMEOUT_MS after they finished: the listing never caught up, LDIJ-CONS-002's finding).
 * A listing may trail Describe for a while: only the judgements decide what that may look like.
 *
 * A round describes the jobs not yet seen finished, the newest first, up to the first that has not
 * finished: that job is watched closely. While it runs, a listing follows each status Describe
 * newly shows it in, and Describe alone is asked in between, so that the listings follow it
 * through every status of its lifecycle, however short or however long a listing takes. A
 * finished job's last description stands (it no longer changes). Jobs just created may be listed
 * late (CONFORMANCE_LISTING_WAIT_MS, LDIJ-CONS-001): listings made before every job was listed,
 * within that wait, are not kept for judging.
 */
/** Listings kept while waiting for the listing to catch up (the first of them and the latest), and the pause between them. */
const CATCH_UP_LISTINGS_KEPT = 3;
const CATCH_UP_PAUSE_MS = 50;

export async function watchLifecycle(world: ConformanceWorld, datasetArn: string, jobs: ArrangedJob[]): Promise<Listing[]> {
  const listings: Listing[] = [];
  const id = identify(world);
  const started = Date.now();
  const newestCreated = Math.max(0, ...jobs.map((j) => j.createdBetween?.[1] ?? 0));
  const final = new Map<string, DatasetImportJob>();
  const terminal = (d?: DatasetImportJob) => terminalImportJobStatuses.includes(d?.status ?? '');
  const describeRound = async (): Promise<Map<string, DatasetImportJob>> => {
    const round = new Map<string, DatasetImportJob>();
    for (const job of [...jobs].reverse().filter((j) => !final.has(j.arn))) {
      const described = (await describeEach(world, [job.arn])).get(job.arn)!;
      round.set(job.arn, described);
      if (!terminal(described)) break;
      final.set(job.arn, described);
    }
    for (const [arn, d] of final) if (!round.has(arn)) round.set(arn, d);
    return round;
  };
  /** The statuses of each job that a kept listing has followed. */
  const followed = new Map<string, Set<string>>();
  let keptBeforeCatchUp = 0;
  let before = await describeRound();
  let finishedAt: number | undefined;
  let confirmed = false;
  let behind = 0;
  for (;;) {
    const finished = before.size === jobs.length && [...before.values()].every(terminal);
    if (!finished) {
      // The job being watched: a listing only for a status no listing has followed yet.
      const [arn, d] = [...before].find(([, x]) => !terminal(x)) ?? [];
      if (arn && d && followed.get(arn)?.has(d.status ?? '')) {
        if (Date.now() - started > world.config.waitTimeoutMs) {
          throw new NotShown('target', `${jobs.length} import jobs did not finish within ${Math.round(world.config.waitTimeoutMs / 1000)} s (${listings.length} listings); set CONFORMANCE_WAIT_TIMEOUT_MS to wait longer`, listings.length ? listingEvidence(listings[listings.length - 1]) : undefined);
        }
        await sleep(world.config.pollIntervalMs, world.signal);
        before = await describeRound();
        continue;
      }
    }
    const listing = await followTokens(world, { datasetArn, sizes: [limits.maxResults.max] });
    const after = await describeRound();
    const held = new Set(listedJobs(listing).map(id));
    const lagAllowed = !listings.length && Date.now() - newestCreated <= world.config.listingWaitMs && listing.ended;
    if (!lagAllowed || jobs.every((j) => held.has(j.arn))) {
      // Waiting for the listing to catch up, only the first and the latest listings matter: the ones between are let go.
      if (finishedAt !== undefined && listings.length - keptBeforeCatchUp >= CATCH_UP_LISTINGS_KEPT) listings.splice(keptBeforeCatchUp + 1, 1);
      listings.push({ ...listing, describedBefore: before, describedAfter: after });
      for (const [arn, d] of before) {
        if (!followed.has(arn)) followed.set(arn, new Set());
        followed.get(arn)!.add(d.status ?? '');
      }
    }
    if (!listing.ended) break; // judged by observedListings (LDIJ-PAGE-004's finding, or the walk's cap)
    if (finished && listings.length) {
      if (finishedAt === undefined) keptBeforeCatchUp = listings.length;
      finishedAt ??= serviceNow(world);
      // Caught up: once more, to see that it stays so (a listing that agrees and then goes back again).
      if (confirmed) break;
      if (agreesWithDescribe(listing, before, id)) {
        world.observed.catchUp ??= { afterMs: serviceNow(world) - finishedAt, listingsBehind: behind };
        confirmed = true;
        before = after;
        continue;
      }
      behind++;
      if (serviceNow(world) - finishedAt > world.config.waitTimeoutMs) {
        world.observed.catchUp = { afterMs: undefined, waitedMs: serviceNow(world) - finishedAt, listingsBehind: behind };
        break;
      }
    } else if (Date.now() - started > world.config.waitTimeoutMs) {
      throw new NotShown('target', `${jobs.length} import jobs did not finish within ${Math.round(world.config.waitTimeoutMs / 1000)} s (${listings.length} listings); set CONFORMANCE_WAIT_TIMEOUT_MS to wait longer`, listingEvidence(listing));
    }
    before = after;
    // Waiting for a listing to catch up, never a loop that spins (the in-process mock polls without pause).
    await sleep(finishedAt === undefined ? world.config.pollIntervalMs : Math.max(world.config.pollIntervalMs, CATCH_UP_PAUSE_MS), world.signal);
  }
  return listings;
}

/** Describes every job, then lists them; again and again until the jobs finished and the listing caught up. */
export const listUntilEveryJobHasFinished = watchLifecycle;

export function listedJobs(listing: Listing): DatasetImportJobSummary[] {
  return listing.pages.flatMap((p) => p.jobs);
}

/** The exchanges of a listing's pages, as evidence (focused on `focus` jobs where bodies are long). */
export function listingEvidence(listing: Listing, focus: string[] = []): EvidenceRef {
  const notes: Record<number, string> = {};
  listing.pages.forEach((p, i) => (notes[p.exchange] = `page ${i + 1} of ${listing.pages.length}`));
  return { exchanges: listing.pages.map((p) => p.exchange), focus, notes };
}

/** The pages that hold any of `jobs` (by ARN), or the first and last page: the evidence of a finding about them. */
export function pagesAbout(listing: Listing, arns: string[], id: (s: DatasetImportJobSummary) => string): EvidenceRef {
  const wanted = new Set(arns);
  const holding = listing.pages.filter((p) => p.jobs.some((j) => wanted.has(id(j))));
  const pages = holding.length ? holding : [listing.pages[0], listing.pages[listing.pages.length - 1]].filter(Boolean);
  const all = listingEvidence(listing, arns);
  return { ...all, exchanges: [...new Set(pages.map((p) => p.exchange))] };
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

/**
 * How far the service's clock may be from ours: AWS refuses a request signed more than five
 * minutes off its own clock (SigV4), so a service that answers is at most that far off.
 */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Whether a job existed before a walk began, as far as the suite can tell: a job the scenario
 * arranged, or one created well before (beyond any clock skew). Account-level judgements look only
 * at these: other people's jobs may appear or change while a client pages (LDIJ-PAGE-008).
 */
export function existedBefore(world: ConformanceWorld, listing: Listing): (s: DatasetImportJobSummary) => boolean {
  const arranged = new Set(world.allJobs.map((j) => j.arn));
  const id = identify(world);
  return (s) => arranged.has(id(s)) || (s.creationDateTime !== undefined && s.creationDateTime.getTime() < listing.startedAt - CLOCK_SKEW_MS);
}

/** ARNs listed more than once, with their counts. */
export function duplicates(arns: string[]): string[] {
  const counts = new Map<string, number>();
  for (const a of arns) counts.set(a, (counts.get(a) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1).map(([a, n]) => `${a} (${n} times)`);
}

/** Tokens a walk received, and how many jobs each page added: the evidence of a listing that did not end. */
function walkSummary(listing: Listing): string {
  const seen = new Set<string>();
  const added = listing.pages.map((p) => {
    let fresh = 0;
    for (const j of p.jobs) {
      if (!seen.has(j.datasetImportJobArn ?? '')) {
        seen.add(j.datasetImportJobArn ?? '');
        fresh++;
      }
    }
    return fresh;
  });
  const tokens = new Set(listing.pages.map((p) => p.nextToken).filter(Boolean)).size;
  const tail = added.slice(-5).join(', ');
  return `${listing.pages.length} pages, ${tokens} distinct tokens received, ${seen.size} distinct jobs; new jobs on the last pages: ${tail}`;
}

/** The last pages of a listing that did not end (and the page whose token came back), as evidence. */
function endlessEvidence(listing: Listing): EvidenceRef {
  const last = listing.pages.slice(-2);
  const repeatedFrom = listing.pages.findIndex((p) => p.nextToken === listing.pages[listing.pages.length - 1].nextToken);
  const pages = [...(repeatedFrom >= 0 && repeatedFrom < listing.pages.length - 1 ? [listing.pages[repeatedFrom]] : []), ...last];
  const notes: Record<number, string> = {};
  for (const p of pages) notes[p.exchange] = `page ${listing.pages.indexOf(p) + 1} of the walk`;
  return { exchanges: pages.map((p) => p.exchange), notes };
}

/** LDIJ-PAGE-004's own check: the listing reached a page without a token. */
export function assertEnded(listing: Listing): void {
  if (listing.ended) return;
  throw new ContractBreach({
    expected: 'following nextToken reaches a page without a token, and no token is handed out twice',
    observed: `the listing did not end: ${listing.stoppedBecause} (${walkSummary(listing)})`,
    evidence: endlessEvidence(listing),
  });
}

/** What a listing must hold of the expected jobs: each of them (always); nothing else; none twice. */
export interface ListedRule { onlyThese?: boolean; once?: boolean }

/**
 * Fails unless every `expected` job is listed; with `onlyThese`, unless no other job is; with
 * `once`, unless none of the expected (or, with `onlyThese`, of all listed) jobs comes twice.
 */
export function assertListed(world: ConformanceWorld, listing: Listing, expectedJobs: { arn: string; name: string; outcome?: 'succeeds' | 'fails' }[], what: string, rule: ListedRule = {}): void {
  const id = identify(world);
  const arns = listedArns(world, listing);
  const counts = new Map<string, number>();
  for (const a of arns) counts.set(a, (counts.get(a) ?? 0) + 1);
  const expected = withoutHiddenStatus(world, listing, expectedJobs, counts);
  const problems: string[] = [];
  const focus: string[] = [];
  const missing = expected.filter((j) => !counts.has(j.arn));
  if (missing.length) problems.push(`${missing.length} of ${expected.length} ${what} missing: ${missing.slice(0, 5).map((j) => j.name).join(', ')}${missing.length > 5 ? ', ...' : ''}`);
  focus.push(...missing.map((j) => j.name));
  const wanted = new Set(expected.map((j) => j.arn));
  if (rule.once) {
    const twice = duplicates(rule.onlyThese ? arns : arns.filter((a) => wanted.has(a)));
    if (twice.length) problems.push(`listed more than once: ${twice.slice(0, 5).join(', ')}`);
    focus.push(...twice.map((t) => t.replace(/ \(\d+ times\)$/, '')));
  }
  const extra = rule.onlyThese ? [...counts.keys()].filter((a) => !wanted.has(a)) : [];
  if (extra.length) problems.push(`${extra.length} jobs listed that are not ${what}: ${extra.slice(0, 5).join(', ')}`);
  focus.push(...extra);
  if (!problems.length) return;
  // Missing jobs may belong anywhere: the whole walk is the evidence; extra or repeated jobs: the pages that hold them.
  const evidence = missing.length ? listingEvidence(listing, focus) : pagesAbout(listing, focus, id);
  throw new ContractBreach({
    expected: `${rule.onlyThese ? 'exactly ' : 'every one of '}the ${expected.length} ${what}${rule.once ? ', each once' : ''}`,
    observed: `over ${listing.pages.length} pages: ${problems.join('; ')}`,
    evidence,
  });
}

/**
 * Fails as assertListed does, on the expected jobs the paging did not drop. Where expected jobs are
 * missing from a dataset's listing of several pages, the dataset is listed again in the largest
 * pages the model allows (other page boundaries): jobs those listings hold were lost by the paging,
 * LDIJ-PAGE-002's finding (charged to it wherever seen), and the scenario judges its own rule on
 * the others.
 * LDIJ-PAGE-002's own scenarios judge every job.
 */
export async function assertListedPastPaging(world: ConformanceWorld, listing: Listing, expected: { arn: string; name: string; outcome?: 'succeeds' | 'fails' }[], what: string, rule: ListedRule = {}): Promise<void> {
  const dropped = await droppedByPaging(world, listing, expected);
  assertListed(world, listing, expected.filter((j) => !dropped.has(j.arn)), what, rule);
}

async function droppedByPaging(world: ConformanceWorld, listing: Listing, expected: { arn: string; name: string }[]): Promise<Set<string>> {
  if (world.requirement === 'LDIJ-PAGE-002' || !listing.datasetArn || !listing.ended || listing.pages.length < 2) return new Set();
  const listed = new Set(listedArns(world, listing));
  const missing = expected.filter((j) => !listed.has(j.arn));
  if (!missing.length || missing.length === expected.length) return new Set();
  // Two listings with page boundaries apart from each other: a job one of them loses the other holds.
  const again: Listing[] = [];
  const seen = new Set<string>();
  for (const size of [limits.maxResults.max, limits.maxResults.max - 1]) {
    const whole = await walk(world, { datasetArn: listing.datasetArn, sizes: [size] });
    if (!whole.ended) break;
    again.push(whole);
    for (const arn of listedArns(world, whole)) seen.add(arn);
    if (missing.every((j) => seen.has(j.arn))) break;
  }
  const dropped = missing.filter((j) => seen.has(j.arn));
  if (!dropped.length) return new Set();
  world.findings.push({
    body: 'ListDatasetImportJobs response', pointer: '/datasetImportJobs', keyword: 'dropped-by-paging',
    text: `${dropped.length} jobs missing from a listing of ${listing.pages.length} pages are on listings of the same dataset in larger pages (exchanges ${again.flatMap((l) => l.pages.map((x) => x.exchange)).join(', ')}): ${dropped.slice(0, 5).map((j) => j.name).join(', ')}`,
    exchange: listing.pages.at(-1)!.exchange,
  });
  return new Set(dropped.map((j) => j.arn));
}

/**
 * The expected jobs this listing is judged on. Where exactly the jobs that failed are missing and
 * the others are there, the listing leaves out a status: LDIJ-FILTER-007's finding (charged to it
 * wherever seen), not the paging or filter rule of the scenario, which is judged on the others.
 */
function withoutHiddenStatus<T extends { arn: string; name: string; outcome?: 'succeeds' | 'fails' }>(world: ConformanceWorld, listing: Listing, expected: T[], counts: Map<string, number>): T[] {
  const failed = expected.filter((j) => j.outcome === 'fails');
  const missing = expected.filter((j) => !counts.has(j.arn));
  if (!failed.length || failed.length === expected.length || missing.length !== failed.length || !missing.every((j) => j.outcome === 'fails')) return expected;
  const evidence = listingEvidence(listing, missing.map((j) => j.name));
  world.findings.push({
    body: 'ListDatasetImportJobs response', pointer: '/datasetImportJobs', keyword: 'status-hidden',
    text: `the ${failed.length} arranged jobs that failed are missing, the other ${expected.length - failed.length} listed: ${missing.slice(0, 5).map((j) => j.name).join(', ')}`,
    exchange: evidence.exchanges.at(-1),
  });
  return expected.filter((j) => j.outcome !== 'fails');
}

/** The filtered listings already judged for other datasets' jobs, each with what its scenario judges. */
const trimmedListings = new WeakMap<Listing, Listing>();

/** The requirements about which jobs a listing of one dataset holds: their scenarios judge every listed job. */
const JUDGE_EVERY_LISTED_JOB = new Set(['LDIJ-FILTER-002', 'LDIJ-FILTER-003', 'LDIJ-FILTER-004', 'LDIJ-FILTER-005', 'LDIJ-FILTER-006', 'LDIJ-FILTER-010', 'LDIJ-TOKEN-001', 'LDIJ-TOKEN-002', 'LDIJ-TOKEN-003']);

/** Which dataset each import job this run knows of belongs to: the shared data's and the scenario's own. */
function datasetOfKnownJobs(world: ConformanceWorld): Map<string, string> {
  const datasets = [...Object.values(world.run.arranging.shared?.datasets ?? {}), ...world.datasets.values()];
  return new Map(datasets.flatMap((d) => [...d.jobs, ...(d.formerJobs ?? [])].map((j) => [j.arn, d.arn] as const)));
}

/** How many jobs a page's response held (jobs of other datasets set aside included). */
export function heldOn(page: Page): number {
  return page.held ?? page.jobs.length;
}

/**
 * A listing of one dataset that holds jobs this run knows to be another dataset's: the filter let
 * them through, LDIJ-FILTER-002's finding (charged to it wherever seen). A scenario about something
 * else (pages, members, statuses) judges its own rule on the rest of the listing; the requirements
 * about which jobs a listing holds judge every job.
 */
function withoutOtherDatasetsJobs(world: ConformanceWorld, listing: Listing): Listing {
  if (!listing.datasetArn || JUDGE_EVERY_LISTED_JOB.has(world.requirement ?? '')) return listing;
  const done = trimmedListings.get(listing);
  if (done) return done;
  const datasetOf = datasetOfKnownJobs(world);
  const id = identify(world);
  const foreign = (j: DatasetImportJobSummary) => {
    const of = datasetOf.get(id(j));
    return of !== undefined && of !== listing.datasetArn;
  };
  const others = listedJobs(listing).filter(foreign);
  let trimmed = listing;
  if (others.length) {
    const arns = [...new Set(others.map(id))];
    world.findings.push({
      body: 'ListDatasetImportJobs response', pointer: '/datasetImportJobs', keyword: 'other-datasets-jobs',
      text: `a listing of ${listing.datasetArn} holds ${arns.length} jobs of other datasets: ${others.slice(0, 5).map((j) => j.jobName).join(', ')}${arns.length > 5 ? ', ...' : ''}`,
      exchange: pagesAbout(listing, arns, id).exchanges[0],
    });
    trimmed = { ...listing, pages: listing.pages.map((p) => ({ ...p, jobs: p.jobs.filter((j) => !foreign(j)), held: heldOn(p) })) };
  }
  trimmedListings.set(listing, trimmed);
  return trimmed;
}

/**
 * The listings of the When step, ready to judge. A listing that handed out a token twice is
 * LDIJ-PAGE-004's finding, charged wherever it is seen; a scenario about something else cannot
 * judge its rule on a listing that did not end (not shown), nor on one its own caps cut short
 * (a limit of the suite). `arranged` says how many jobs the scenario knows to be there: a Then
 * about listed jobs refuses to pass on nothing where jobs were arranged.
 */
export function observedListings(world: ConformanceWorld, arranged: number): Listing[] {
  const listings = world.observed.listings;
  if (!listings.length) throw new NotShown('suite', 'a defect of the suite: the When step made no listing');
  const unended = listings.find((l) => !l.ended);
  if (unended) {
    const evidence = endlessEvidence(unended);
    if (!unended.capped) {
      world.findings.push({ body: 'ListDatasetImportJobs response', pointer: '/nextToken', keyword: 'endless', text: `the listing did not end: ${unended.stoppedBecause}`, exchange: evidence.exchanges.at(-1) });
      throw new NotShown('target', `the listing did not end (${unended.stoppedBecause}): LDIJ-PAGE-004's finding, so this rule cannot be judged`, evidence);
    }
    throw new LimitReached(`a walk reached its cap: ${unended.stoppedBecause} (${walkSummary(unended)})`, evidence);
  }
  // Where a When made several listings (a lifecycle watched), a job missing from one of them is
  // the finding of the requirement about which jobs are listed (LDIJ-FILTER-007), not of every rule:
  // only listings that are all empty leave nothing to judge.
  const empty = listings.filter((l) => listedJobs(l).length === 0);
  if (arranged > 0 && empty.length === listings.length) {
    throw new ContractBreach({
      expected: `the ${arranged} jobs arranged for the listing to be listed`,
      observed: `${empty.length} of ${listings.length} listings held no job`,
      evidence: listingEvidence(empty[0]),
    });
  }
  const judged = listings.map((l) => withoutOtherDatasetsJobs(world, l));
  if (arranged > 0 && judged.every((l) => listedJobs(l).length === 0)) {
    throw new NotShown('target', "every job listed is another dataset's (LDIJ-FILTER-002's finding), so this rule cannot be judged", listingEvidence(listings[0]));
  }
  return judged;
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

/** The exchanges of every listing of the When step, as evidence about `focus`. */
export function allListingEvidence(world: ConformanceWorld, focus: string[] = []): EvidenceRef {
  const id = identify(world);
  const refs = world.observed.listings.map((l) => pagesAbout(l, focus, id));
  // Merged one by one: a spread of thousands of listings' notes would overflow the call stack.
  const notes: Record<number, string> = {};
  for (const r of refs) Object.assign(notes, r.notes);
  return { exchanges: refs.flatMap((r) => r.exchanges), focus, notes };
}

/** Kinds of well-formed datasetArn that name no dataset the caller can list (LDIJ-FILTER-006). */
export type NoDataset = 'a dataset that was never created in this account' | 'a dataset ARN of another account' | 'a dataset ARN of another region' | 'a dataset that has been deleted' | "a dataset group's ARN";

/** The account id in the ARNs this scenario got back, or a placeholder for a read-only account. */
function accountOf(world: ConformanceWorld): string {
  return world.accountId() ?? PLACEHOLDER_ACCOUNT;
}

/** A well-formed datasetArn of no dataset, of the kind asked for; the deleted one is deleted here. */
export async function datasetArnOfNoDataset(world: ConformanceWorld, which: NoDataset, deletedDataset: (alias: string) => string): Promise<string> {
  const account = accountOf(world);
  const region = world.config.region;
  const otherAccount = account === PLACEHOLDER_ACCOUNT ? '222222222222' : PLACEHOLDER_ACCOUNT;
  const arns: Record<NoDataset, () => Promise<string> | string> = {
    'a dataset that was never created in this account': () => `arn:aws:personalize:${region}:${account}:dataset/${world.name('never-created')}/INTERACTIONS`,
    'a dataset ARN of another account': () => world.dataset('clicks').arn.replace(`:${account}:`, `:${otherAccount}:`),
    'a dataset ARN of another region': () => world.dataset('clicks').arn.replace(`:${region}:`, `:${world.config.otherRegion}:`),
    'a dataset that has been deleted': () => deletedDataset('deleted'),
    // Well formed (the pattern admits any Personalize ARN), but of another resource type: it names no dataset.
    "a dataset group's ARN": () => world.dataset('clicks').groupArn,
  };
  return arns[which]();
}
