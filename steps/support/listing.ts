/**
 * Walking through ListDatasetImportJobs the way clients do: by following nextToken by hand, or
 * with the SDK's paginator. Every walk is bounded, so an endpoint whose tokens never end fails a
 * scenario instead of hanging it.
 */
import { ListDatasetImportJobsCommand, paginateListDatasetImportJobs, type DatasetImportJobSummary } from '@aws-sdk/client-personalize';
import type { ClientRole } from '../../src/targets';
import type { ConformanceWorld, Listing, Page } from './world';

/** Pages in a row that bring no job not seen before, after which a listing counts as endless. */
const PAGES_WITHOUT_PROGRESS = 10;
/** The most pages of a listing whose size is not known (the whole account). */
export const ACCOUNT_PAGE_BOUND = 5000;

export interface WalkOptions {
  datasetArn?: string;
  /** Page sizes to ask for, page by page (the last one repeats); none: maxResults is omitted. */
  sizes?: number[];
  role?: ClientRole;
  /** The most pages to follow before calling the listing endless. */
  maxPages: number;
  /** Called after each page that carried a token, e.g. to change data while a client pages. */
  afterPage?: (pageNumber: number) => Promise<void>;
}

/** A bound on the pages of a listing of `total` jobs: a page per job, and an empty last page. */
export function pageBound(total: number): number {
  return total + 2;
}

/** Tells when a walk should stop: a token seen before, or pages that bring nothing new. */
class Progress {
  private readonly tokens = new Set<string>();
  private readonly seen = new Set<string>();
  private idle = 0;

  stopReason(page: Page, n: number, maxPages: number): string | undefined {
    const fresh = page.jobs.filter((j) => !this.seen.has(j.datasetImportJobArn ?? '')).length;
    page.jobs.forEach((j) => this.seen.add(j.datasetImportJobArn ?? ''));
    this.idle = fresh ? 0 : this.idle + 1;
    if (this.tokens.has(page.nextToken!)) return `page ${n} handed out a token that an earlier page had already given`;
    this.tokens.add(page.nextToken!);
    if (this.idle >= PAGES_WITHOUT_PROGRESS) return `${this.idle} pages in a row brought no job not listed before, yet still carried a token`;
    if (n >= maxPages) return `still handing out tokens after ${maxPages} pages`;
    return undefined;
  }
}

/**
 * Under a call budget (the smoke run on a real account, read-only), identical walks within a run
 * are made once: the data does not change under a read-only run, and each call counts.
 */
const readOnlyWalks = new Map<string, Promise<Listing>>();

export function followTokens(world: ConformanceWorld, o: WalkOptions): Promise<Listing> {
  if (world.config.callBudget === undefined || world.config.allowWrites || o.afterPage) return walk(world, o);
  const key = JSON.stringify([o.datasetArn, o.sizes, o.role, o.maxPages]);
  let listing = readOnlyWalks.get(key);
  if (!listing) {
    listing = walk(world, o);
    readOnlyWalks.set(key, listing);
    listing.catch(() => readOnlyWalks.delete(key));
  }
  return listing;
}

async function walk(world: ConformanceWorld, o: WalkOptions): Promise<Listing> {
  const pages: Page[] = [];
  const progress = new Progress();
  let nextToken: string | undefined;
  for (let n = 1; ; n++) {
    const maxResults = o.sizes?.length ? o.sizes[Math.min(n - 1, o.sizes.length - 1)] : undefined;
    const output = await world.send(o.role ?? 'primary', (c) => c.send(new ListDatasetImportJobsCommand({ datasetArn: o.datasetArn, maxResults, nextToken })));
    const page: Page = { maxResults, jobs: output.datasetImportJobs ?? [], nextToken: output.nextToken, output, raw: lastBody(world) };
    pages.push(page);
    nextToken = output.nextToken || undefined;
    if (!nextToken) return { datasetArn: o.datasetArn, pages, ended: true };
    const stop = progress.stopReason(page, n, o.maxPages);
    if (stop) return { datasetArn: o.datasetArn, pages, ended: false, stoppedBecause: stop };
    await o.afterPage?.(n);
  }
}

export async function walkWithPaginator(world: ConformanceWorld, o: WalkOptions & { pageSize?: number }): Promise<Listing> {
  const pages: Page[] = [];
  const progress = new Progress();
  const paginator = paginateListDatasetImportJobs(
    { client: world.client(o.role), pageSize: o.pageSize, stopOnSameToken: true },
    { datasetArn: o.datasetArn },
  );
  try {
    for await (const output of paginator) {
      world.raiseWireViolations();
      const page: Page = { maxResults: o.pageSize, jobs: output.datasetImportJobs ?? [], nextToken: output.nextToken, output, raw: lastBody(world) };
      pages.push(page);
      if (!output.nextToken) break;
      const stop = progress.stopReason(page, pages.length, o.maxPages);
      if (stop) return { datasetArn: o.datasetArn, pages, ended: false, stoppedBecause: `the paginator went on: ${stop}` };
    }
  } catch (e) {
    world.raiseWireViolations();
    throw e;
  }
  return { datasetArn: o.datasetArn, pages, ended: true };
}

/** The body of the last listing response that came over the wire. */
export function lastBody(world: ConformanceWorld): string {
  const x = [...world.wireLog.exchanges].reverse().find((e) => e.operation === 'ListDatasetImportJobs');
  return x?.body ?? '';
}

export function listedJobs(listing: Listing): DatasetImportJobSummary[] {
  return listing.pages.flatMap((p) => p.jobs);
}

export function listedArns(listing: Listing): string[] {
  return listedJobs(listing).map((j) => j.datasetImportJobArn ?? '<no ARN>');
}

/** ARNs listed more than once, with their counts. */
export function duplicates(arns: string[]): string[] {
  const counts = new Map<string, number>();
  for (const a of arns) counts.set(a, (counts.get(a) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1).map(([a, n]) => `${a} (${n} times)`);
}

/** Fails unless the listing ended by itself. */
export function assertEnded(listing: Listing): void {
  if (!listing.ended) throw new Error(`The listing did not end: ${listing.stoppedBecause} (after ${listing.pages.length} pages, ${listedJobs(listing).length} jobs).`);
}

/** Fails unless `expected` are all listed exactly once (other jobs are allowed unless `exactly`). */
export function assertListedOnce(listing: Listing, expected: { arn: string; name: string }[], exactly: boolean, what: string): void {
  assertEnded(listing);
  const arns = listedArns(listing);
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
