/**
 * Whole listings that replace the correct ListDatasetImportJobs for the deep faults: offset
 * paging over a mutable order, and listings that reach into other accounts' or regions' stores
 * (without a filter, or through a token that names the store it pages).
 */
import type { ListDatasetImportJobsInput, ListDatasetImportJobsOutput, Caller } from '../operations';
import type { ReferenceService } from '../service';
import type { SortKey } from '../sorted-index';
import type { ImportJobRecord } from '../store';

/**
 * Pages by offset over the jobs in an order of its own: by default by last update time (which
 * changes as jobs progress); `reorder` gives each request another order.
 */
export function offsetListing(service: ReferenceService, i: ListDatasetImportJobsInput, caller: Caller, reorder: (jobs: ImportJobRecord[]) => ImportJobRecord[] = (jobs) => jobs): ListDatasetImportJobsOutput {
  const filter = i.datasetArn || undefined;
  const { index, keep } = service.jobSelection(service.storeToRead(caller), filter);
  const scope = service.scopeOf('ListDatasetImportJobs', caller, filter);
  const size = service.pageSize(i.maxResults);
  const all = reorder([...index].filter(keep).sort((a, b) => service.lifecycleOf(a).lastUpdatedAt - service.lifecycleOf(b).lastUpdatedAt || a.seq - b.seq));
  const offset = Number(service.readToken(i.nextToken, scope)?.key[0] ?? 0);
  const items = all.slice(offset, offset + size);
  return {
    datasetImportJobs: items.map((j) => service.importJobSummary(j)),
    ...(offset + size < all.length && { nextToken: service.issueToken({ scope, key: [offset + size] }) }),
  };
}

/** A listing without datasetArn over the stores `reaches` lets in besides the caller's own. */
export function leakyListing(service: ReferenceService, i: ListDatasetImportJobsInput, caller: Caller, reaches: (store: Caller) => boolean): ListDatasetImportJobsOutput {
  const stores = [...service.regionStores()].filter((s) => (s.accountId === caller.accountId && s.region === caller.region) || reaches(s));
  const all = stores.flatMap((s) => [...s.allJobs]).sort((a, b) => a.seq - b.seq);
  const scope = service.scopeOf('ListDatasetImportJobs', caller, undefined);
  const size = service.pageSize(i.maxResults);
  const after = Number(service.readToken(i.nextToken, scope)?.key[0] ?? 0);
  const rest = all.filter((j) => j.seq > after);
  const items = rest.slice(0, size);
  return {
    datasetImportJobs: items.map((j) => service.importJobSummary(j)),
    ...(rest.length > size && { nextToken: service.issueToken({ scope, key: [items[items.length - 1].seq] }) }),
  };
}

/**
 * A listing whose tokens name the account or the region they page (in the cursor), and that reads
 * the store a token names instead of the caller's: whoever holds a token pages that store.
 */
export function tokenNamesItsStore(service: ReferenceService, i: ListDatasetImportJobsInput, caller: Caller, carries: 'accountId' | 'region'): ListDatasetImportJobsOutput {
  const filter = i.datasetArn || undefined;
  // What the cursor carries is left out of the scope: the token is checked against the rest only.
  const scope = service.scopeOf('ListDatasetImportJobs', { ...caller, [carries]: '' }, filter);
  const cursor = service.readToken(i.nextToken, scope);
  // The cursor's one key: the store it pages and the sort key after which it goes on, as text.
  const [store, after] = cursor ? (JSON.parse(String(cursor.key[0])) as [string, SortKey]) : [caller[carries], undefined];
  const owner = { ...caller, [carries]: store };
  const { index, keep } = service.jobSelection(service.storeToRead(owner), filter);
  const { items, more } = index.page(after, service.pageSize(i.maxResults), keep);
  const last = items.at(-1);
  return {
    datasetImportJobs: items.map((j) => service.importJobSummary(j)),
    ...(more && last && { nextToken: service.issueToken({ scope, key: [JSON.stringify([store, index.keyFor(last)])] }) }),
  };
}
