/**
 * The fault catalog: realistic defects applied to the reference service from outside, each one
 * that the conformance suite must catch. A fault is one entry: what goes wrong, and the named
 * points (points.ts) it wraps. `npm run test:faults` runs the whole suite once per fault.
 */
import { createHash } from 'node:crypto';
import { limits } from '../../schemas';
import { ServiceError, invalidInput, invalidNextToken } from '../errors';
import type { ReferenceService } from '../service';
import { lifecycleAt, type LifecycleState, type Lifecycled } from '../store';
import type { Fault } from './points';
import { leakyListing, offsetListing, tokenNamesItsStore } from './listings';

const UNFINISHED = ['CREATE PENDING', 'CREATE IN_PROGRESS'];
const serverError = () => new ServiceError('InternalFailure', 'Internal error.', 500);
const aboutMaxResults = (e: string) => e.startsWith('/maxResults');
/** How far behind a lagging replica is: longer than a job's whole lifecycle on the mock, so that a finished job is listed back at an earlier status. */
const REPLICA_LAG_MS = 10_000;
/** How far ahead of the job the listing's index is written: more than one lifecycle step of the mock. */
const INDEX_AHEAD_MS = 3000;
/** Local time of UTC-7 written as UTC: every time 7 hours early. */
const TIME_ZONE_OFFSET_S = -7 * 3600;
/** A creation time an emulator's record keeps when nothing sets it (2020-01-01T00:00:00Z, epoch seconds). */
const FIXED_CREATION_S = Date.UTC(2020, 0, 1) / 1000;
/** The account id emulators commonly default to, where the caller's belongs. */
const DEFAULT_ACCOUNT = '000000000000';

/** State a fault keeps per service it is applied to (several of its points share it). */
function perService<T>(make: () => T): (service: ReferenceService) => T {
  const states = new WeakMap<ReferenceService, T>();
  return (service) => {
    if (!states.has(service)) states.set(service, make());
    return states.get(service)!;
  };
}
const createdWithoutImportMode = perService(() => new Set<string>());
const listingRequests = perService(() => ({ count: 0 }));
const usedTokens = perService(() => new Set<string>());
const replicaTurn = perService(() => ({ listings: 0, behind: false }));
const currentPageSize = perService((): { size: number | undefined } => ({ size: undefined }));
/** How many listings this service answered: where an unordered scan starts. */
const listingsAnswered = perService(() => ({ n: 0 }));
/** The page size each issued token carries: that of the listing's first request. */
const pageSizeOfToken = perService(() => new Map<string, number>());

/** Every member named …DateTime of a body, changed by `change`. */
function everyTimestamp(value: unknown, change: (seconds: number) => unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => everyTimestamp(v, change));
  if (value === null || typeof value !== 'object') return value;
  return bodyTimestamps(value, change);
}
/** The same over an object's members: a body stays a body. */
function bodyTimestamps(body: object, change: (seconds: number) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, k.endsWith('DateTime') && typeof v === 'number' ? change(v) : everyTimestamp(v, change)]));
}
const isoTimestamps = (body: Record<string, unknown>) => bodyTimestamps(body, (s) => new Date(s * 1000).toISOString());

/** A job's lifecycle state one step back: the state it was in before its current one (CREATE PENDING stays). */
function oneStepBack(service: ReferenceService, job: Lifecycled, state: LifecycleState): LifecycleState {
  const { pendingMs } = service.options.lifecycle;
  if (state.status === 'CREATE IN_PROGRESS') return lifecycleAt(job, job.createdAt, service.options.lifecycle);
  if (state.status === 'ACTIVE' || state.status === 'CREATE FAILED') return lifecycleAt(job, job.createdAt + pendingMs, service.options.lifecycle);
  return state;
}

export const FAULTS = {
  // Pagination
  'page-size-plus-one': {
    description: 'returns maxResults + 1 jobs per page (classic off-by-one)',
    about: ['LDIJ-PAGE-001'],
    points: { pageSize: (next) => (maxResults) => next(maxResults) + 1 },
  },
  'ignores-max-results': {
    description: 'ignores maxResults and always returns the default page size',
    about: ['LDIJ-PAGE-001'],
    points: { pageSize: (next) => () => next(undefined) },
  },
  'accepts-max-results-zero': {
    description: 'accepts maxResults 0 (answers an empty page) instead of rejecting it',
    about: ['LDIJ-ERR-001'],
    points: { constraintErrors: (next) => (errors, input) => next(errors, input).filter((e) => !(aboutMaxResults(e) && input.maxResults === 0)) },
  },
  'accepts-max-results-101': {
    description: 'accepts maxResults above 100 instead of rejecting it',
    about: ['LDIJ-ERR-001'],
    points: { constraintErrors: (next) => (errors, input) => next(errors, input).filter((e) => !(aboutMaxResults(e) && Number(input.maxResults) > limits.maxResults.max)) },
  },
  'rejects-max-results-100': {
    description: 'rejects maxResults 100, the top of the range (an exclusive bound where the model has an inclusive one)',
    about: ['LDIJ-ERR-002'],
    points: { constraintErrors: (next) => (errors, input) => [...next(errors, input), ...(input.maxResults === limits.maxResults.max ? [`/maxResults must be < ${limits.maxResults.max}`] : [])] },
  },
  'default-page-over-limit': {
    description: 'returns up to 150 jobs when maxResults is omitted',
    about: ['LDIJ-PAGE-003'],
    points: { pageSize: (next) => (maxResults) => (maxResults === undefined ? 150 : next(maxResults)) },
  },
  'drops-item-at-page-boundary': {
    description: 'the next page starts one job too late, skipping a job at each boundary',
    about: ['LDIJ-PAGE-002'],
    points: {
      nextCursor: (next) => (page) => {
        const cursor = next(page);
        const skipped = cursor && page.index.page(cursor.key, 1, () => true).items[0];
        return cursor && skipped ? { ...cursor, key: page.index.keyFor(skipped) } : cursor;
      },
    },
  },
  'repeats-item-at-page-boundary': {
    description: 'the next page starts one job too early, repeating a job at each boundary',
    about: ['LDIJ-PAGE-010'],
    points: { nextCursor: (next) => (page) => {
      const cursor = next(page);
      return cursor && page.items.length > 1 ? { ...cursor, key: page.index.keyFor(page.items[page.items.length - 2]) } : cursor;
    } },
  },
  'token-loops-to-first-page': {
    description: 'the token of the second page leads back to the first page',
    about: ['LDIJ-PAGE-004'],
    points: { nextCursor: (next) => (page) => {
      const cursor = next(page);
      return cursor && page.start ? { ...cursor, key: [] } : cursor;
    } },
  },
  'offset-token-mutable-order': {
    description: 'orders by last update time (which changes) and pages by offset',
    about: ['LDIJ-PAGE-007', 'LDIJ-PAGE-008'],
    points: { listDatasetImportJobs: (_next, service) => (input, caller) => offsetListing(service, input, caller) },
  },
  'offset-pages-unstable-order': {
    description: 'pages by offset over a scan with no stable order (each request starts the scan elsewhere): two walks of the same listing show different jobs',
    about: ['LDIJ-PAGE-005', 'LDIJ-PAGE-002', 'LDIJ-PAGE-010'],
    points: { listDatasetImportJobs: (_next, service) => (input, caller) => {
      const start = listingsAnswered(service).n++;
      return offsetListing(service, input, caller, (jobs) => jobs.map((_, k) => jobs[(k + start) % jobs.length]));
    } },
  },
  'token-on-last-page': {
    description: 'the last page still carries a nextToken that leads to an empty page, forever',
    about: ['LDIJ-PAGE-004'],
    points: { nextCursor: (next) => (page) => next(page) ?? { key: page.start?.key ?? [] } },
  },
  'rejects-new-page-size': {
    description: 'a token is refused (InvalidNextTokenException) when the request that sends it asks for another maxResults than the request it came from',
    about: ['LDIJ-PAGE-006'],
    points: {
      listDatasetImportJobs: (next, service) => (input, caller) => {
        currentPageSize(service).size = service.pageSize(input.maxResults);
        return next(input, caller);
      },
      scopeOf: (next, service) => (operation, caller, filter) =>
        next(operation === 'ListDatasetImportJobs' ? `${operation}/${currentPageSize(service).size}` : operation, caller, filter),
    },
  },
  'page-size-kept-in-token': {
    description: "a token carries the page size of the listing's first request: the maxResults of the requests that send it are ignored",
    about: ['LDIJ-PAGE-006'],
    points: {
      listDatasetImportJobs: (next, service) => (input, caller) => {
        const sizes = pageSizeOfToken(service);
        const kept = input.nextToken === undefined ? undefined : sizes.get(input.nextToken);
        const output = next(kept === undefined ? input : { ...input, maxResults: kept }, caller);
        if (output.nextToken) sizes.set(output.nextToken, kept ?? service.pageSize(input.maxResults));
        return output;
      },
    },
  },
  'token-expires-on-change': {
    description: 'a token is refused (InvalidNextTokenException) once an import job was created in the account and region after it was issued',
    about: ['LDIJ-PAGE-008'],
    points: { scopeOf: (next, service) => (operation, caller, filter) =>
      next(operation === 'ListDatasetImportJobs' ? `${operation}@${service.storeToRead(caller).importJobs.size}` : operation, caller, filter) },
  },
  // Tokens
  'accepts-unknown-token': {
    description: 'a token it never issued is treated as the start of the list',
    about: ['LDIJ-ERR-005'],
    points: { readToken: (next) => (token, scope) => {
      try {
        return next(token, scope);
      } catch {
        return undefined;
      }
    } },
  },
  'unchecked-token-signature': {
    description: 'a token is read from its payload alone: the signature or checksum at its end is never checked',
    about: ['LDIJ-ERR-006', 'LDIJ-ERR-005'],
    points: { readToken: (next) => (token, scope) => {
      try {
        return next(token, scope);
      } catch (refused) {
        // The payload before the "." (base64url JSON of the cursor), read as if its signature matched.
        const payload = (token ?? '').split('.')[0];
        let cursor: unknown;
        try {
          cursor = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
        } catch {
          throw refused;
        }
        if (!cursor || typeof cursor !== 'object' || (cursor as { scope?: unknown }).scope !== scope) throw refused; // a JSON object, as the service's cursors are
        return cursor as ReturnType<typeof next>; // a cursor the service itself issued, its signature cut off
      }
    } },
  },
  'unknown-token-server-error': {
    description: 'a token it never issued is answered with HTTP 500',
    about: ['LDIJ-ERR-005'],
    points: { readToken: (next) => (token, scope) => {
      try {
        return next(token, scope);
      } catch {
        throw serverError();
      }
    } },
  },
  'token-not-bound-to-filter': {
    description: 'a token issued for one datasetArn is honoured with another',
    about: ['LDIJ-FILTER-010'],
    points: { scopeOf: (next) => (operation, caller, filter) => next(operation, caller, operation === 'ListDatasetImportJobs' ? undefined : filter) },
  },
  'unknown-token-invalid-input': {
    description: 'a token it never issued is answered with InvalidInputException',
    about: ['LDIJ-ERR-010'],
    points: { readToken: (next) => (token, scope) => {
      try {
        return next(token, scope);
      } catch {
        throw invalidInput('nextToken is not valid.');
      }
    } },
  },
  'single-use-tokens': {
    description: 'a token works once: the same request with it again is refused as an invalid token (until a listing hands it out again)',
    about: ['LDIJ-PAGE-009'],
    points: {
      listDatasetImportJobs: (next, service) => (input, caller) => {
        const out = next(input, caller);
        if (out.nextToken) usedTokens(service).delete(out.nextToken);
        return out;
      },
      readToken: (next, service) => (token, scope) => {
        const cursor = next(token, scope);
        if (token) {
          if (usedTokens(service).has(token)) throw invalidNextToken('The token has already been used.');
          usedTokens(service).add(token);
        }
        return cursor;
      },
    },
  },
  'null-next-token': {
    description: 'the last page of a listing carries "nextToken": null instead of leaving it out',
    about: ['LDIJ-RESP-011'],
    points: { ok: (next) => (output) => next('datasetImportJobs' in output && output.nextToken === undefined ? { ...output, nextToken: null } : output) },
  },
  'token-leaks-across-accounts': {
    description: 'a token carries the account it pages, and whoever sends it pages that account: another account that sends it is shown the first account\'s jobs',
    about: ['LDIJ-TOKEN-001', 'LDIJ-FILTER-009'],
    points: { listDatasetImportJobs: (_next, service) => (input, caller) => tokenNamesItsStore(service, input, caller, 'accountId') },
  },
  'token-leaks-across-regions': {
    description: 'a token carries the region it pages, and a request in another region that sends it pages that region: the account\'s jobs of the first region are listed in the second',
    about: ['LDIJ-TOKEN-001', 'LDIJ-FILTER-008'],
    points: { listDatasetImportJobs: (_next, service) => (input, caller) => tokenNamesItsStore(service, input, caller, 'region') },
  },
  'token-not-bound-to-account': {
    description: 'a token issued to one account is honoured when another account sends it (that account\'s own jobs, from the first account\'s cursor)',
    about: ['LDIJ-TOKEN-003'],
    points: { scopeOf: (next) => (operation, caller, filter) => next(operation, { ...caller, accountId: '' }, filter) },
  },
  'token-not-bound-to-region': {
    description: 'a token issued in one region is honoured in another (that region\'s jobs, from the first region\'s cursor)',
    about: ['LDIJ-TOKEN-003'],
    points: { scopeOf: (next) => (operation, caller, filter) => next(operation, { ...caller, region: '' }, filter) },
  },
  'token-not-bound-to-operation': {
    description: 'a token issued by another operation (ListSchemas, ListDatasets, ListDatasetGroups) is honoured by ListDatasetImportJobs',
    about: ['LDIJ-TOKEN-002'],
    points: { scopeOf: (next) => (_operation, caller, filter) => next('', caller, filter) },
  },
  // Filtering
  'ignores-dataset-filter': {
    description: 'ignores datasetArn and lists every job of the account',
    about: ['LDIJ-FILTER-002'],
    points: { jobSelection: (next) => (store) => next(store, undefined) },
  },
  'prefix-matches-dataset-filter': {
    description: 'matches datasetArn as a prefix of the dataset path, conflating datasets whose group names share a prefix',
    about: ['LDIJ-FILTER-003'],
    points: { jobSelection: (next) => (store, datasetArn) => {
      const all = next(store, undefined);
      if (datasetArn === undefined) return all;
      const groupPath = datasetArn.replace(/\/[^/]*\/[^/]*$/, '');
      return { index: all.index, keep: (j) => j.datasetArn.startsWith(groupPath) && all.keep(j) };
    } },
  },
  'unknown-dataset-lists-all': {
    description: 'a datasetArn of no existing dataset lists every job, as if no filter were given',
    about: ['LDIJ-FILTER-006'],
    points: { jobSelection: (next) => (store, datasetArn) => next(store, datasetArn !== undefined && store.datasets.has(datasetArn) ? datasetArn : undefined) },
  },
  'unknown-dataset-server-error': {
    description: 'a datasetArn of no existing dataset is answered with HTTP 500',
    about: ['LDIJ-FILTER-006'],
    points: { jobSelection: (next) => (store, datasetArn) => {
      if (datasetArn !== undefined && !store.datasets.has(datasetArn)) throw serverError();
      return next(store, datasetArn);
    } },
  },
  'hides-pending-jobs': {
    description: 'lists only jobs that have finished (ACTIVE or CREATE FAILED)',
    about: ['LDIJ-FILTER-007'],
    points: { jobSelection: (next, service) => (store, datasetArn) => {
      const s = next(store, datasetArn);
      return { ...s, keep: (j) => s.keep(j) && !UNFINISHED.includes(service.lifecycleOf(j).status) };
    } },
  },
  'hides-failed-jobs': {
    description: 'leaves CREATE FAILED jobs out of the list',
    about: ['LDIJ-FILTER-007'],
    points: { jobSelection: (next, service) => (store, datasetArn) => {
      const s = next(store, datasetArn);
      return { ...s, keep: (j) => s.keep(j) && service.lifecycleOf(j).status !== 'CREATE FAILED' };
    } },
  },
  'leaks-other-accounts': {
    description: 'a listing without datasetArn includes jobs of every account in the region',
    about: ['LDIJ-FILTER-009'],
    points: { listDatasetImportJobs: (next, service) => (input, caller) =>
      input.datasetArn ? next(input, caller) : leakyListing(service, input, caller, (s) => s.region === caller.region) },
  },
  'leaks-other-regions': {
    description: 'a listing without datasetArn includes the account\'s jobs of every region',
    about: ['LDIJ-FILTER-008'],
    points: { listDatasetImportJobs: (next, service) => (input, caller) =>
      input.datasetArn ? next(input, caller) : leakyListing(service, input, caller, (s) => s.accountId === caller.accountId) },
  },
  'dataset-group-arn-lists-group': {
    description: 'a datasetArn that names a dataset group (resource type dataset-group) lists the jobs of every dataset of that group',
    about: ['LDIJ-FILTER-006'],
    points: { jobSelection: (next) => (store, datasetArn) => {
      const group = datasetArn === undefined ? undefined : store.datasetGroups.get(datasetArn);
      if (!group) return next(store, datasetArn);
      const all = next(store, undefined);
      return { ...all, keep: (j) => group.datasets.has(j.datasetArn) && all.keep(j) };
    } },
  },
  // Validation and errors
  'no-arn-pattern-check': {
    description: 'accepts a datasetArn that does not match the documented pattern',
    about: ['LDIJ-ERR-004'],
    points: { constraintErrors: (next) => (errors, input) => next(errors, input).filter((e) => !(e.startsWith('/datasetArn') && / pattern /.test(e))) },
  },
  'no-arn-length-check': {
    description: 'accepts a datasetArn longer than 256 characters',
    about: ['LDIJ-ERR-003'],
    points: { constraintErrors: (next) => (errors, input) => next(errors, input).filter((e) => !(e.startsWith('/datasetArn') && /more than/.test(e))) },
  },
  'undeclared-validation-exception': {
    description: 'answers out-of-range maxResults with ValidationException, which the operation does not declare',
    about: ['LDIJ-ERR-009'],
    points: { constraintError: (next) => (errors) => {
      const e = next(errors);
      return errors.some(aboutMaxResults) ? new ServiceError('ValidationException', e.message, 400) : e;
    } },
  },
  'error-without-type': {
    description: 'error bodies carry no error type (__type, code or header)',
    about: ['LDIJ-ERR-008'],
    points: { error: (next) => (e) => {
      const r = next(e);
      const { __type: _dropped, ...body } = JSON.parse(r.body) as Record<string, unknown>; // next() wrote it: an error body, a JSON object
      const { 'x-amzn-errortype': _header, ...headers } = r.headers;
      return { ...r, headers, body: JSON.stringify(body) };
    } },
  },
  'validation-errors-500': {
    description: 'answers validation errors with HTTP 500 (a server fault the SDK retries)',
    about: ['LDIJ-ERR-001', 'LDIJ-ERR-003', 'LDIJ-ERR-004'],
    points: { error: (next) => (e) => ({ ...next(e), ...(e.type === 'InvalidInputException' && { status: 500 }) }) },
  },
  'token-errors-404': {
    description: 'answers InvalidNextTokenException with HTTP 404 instead of 400',
    about: ['LDIJ-ERR-010'],
    points: { error: (next) => (e) => ({ ...next(e), ...(e.type === 'InvalidNextTokenException' && { status: 404 }) }) },
  },
  'coerces-max-results': {
    description: 'takes maxResults of the wrong type as it comes (1.5 as a page of 2, "10" as 10) instead of rejecting it',
    about: ['LDIJ-ERR-012'],
    points: { wrongTypes: (next) => (errors, input) => next(errors, input).filter((e) => !aboutMaxResults(e)) },
  },
  'empty-arn-lists-all': {
    description: 'accepts an empty datasetArn (which breaks the ARN pattern) and lists every job of the account, as if no filter were given',
    about: ['LDIJ-ERR-004'],
    points: { constraintErrors: (next) => (errors, input) => next(errors, input).filter((e) => !(e.startsWith('/datasetArn') && input.datasetArn === '')) },
  },
  'rejects-arn-of-256': {
    description: `rejects a datasetArn of exactly ${limits.arnMaxLength} characters, the top of the length range (an exclusive bound where the model has an inclusive one)`,
    about: ['LDIJ-ERR-002'],
    points: { constraintErrors: (next) => (errors, input) => [...next(errors, input), ...(typeof input.datasetArn === 'string' && input.datasetArn.length === limits.arnMaxLength ? [`/datasetArn must NOT have more than ${limits.arnMaxLength - 1} characters`] : [])] },
  },
  'rejects-token-of-1500': {
    description: `answers a nextToken of exactly ${limits.nextTokenMaxLength} ASCII characters, the top of the length range, as a broken constraint (InvalidInputException) instead of an invalid token`,
    about: ['LDIJ-ERR-010'],
    points: { constraintErrors: (next) => (errors, input) => [...next(errors, input), ...(typeof input.nextToken === 'string' && input.nextToken.length === limits.nextTokenMaxLength ? [`/nextToken must NOT have more than ${limits.nextTokenMaxLength - 1} characters`] : [])] },
  },
  'empty-token-lists-nothing': {
    description: 'reads an empty nextToken as the end of the listing: an empty page without a token',
    about: ['LDIJ-ERR-013'],
    points: { listDatasetImportJobs: (next) => (input, caller) => (input.nextToken === '' ? { datasetImportJobs: [] } : next(input, caller)) },
  },
  'error-message-not-a-string': {
    description: 'error bodies carry the message as a JSON array of strings (the list of problems) instead of a string',
    about: ['LDIJ-ERR-008'],
    points: { error: (next) => (e) => {
      const r = next(e);
      const body = JSON.parse(r.body) as Record<string, unknown>; // next() wrote it: an error body, a JSON object
      return { ...r, body: JSON.stringify({ ...body, message: [e.message] }) };
    } },
  },
  // Response contract
  'iso-timestamps': {
    description: 'timestamps as ISO-8601 strings instead of epoch seconds',
    about: ['LDIJ-RESP-004'],
    points: { ok: (next) => (output) => next(isoTimestamps(output)) },
  },
  'undocumented-status': {
    description: 'reports finished jobs with status COMPLETED instead of ACTIVE',
    about: ['LDIJ-RESP-003'],
    points: { importJobSummary: (next) => (job) => {
      const s = next(job);
      return s.status === 'ACTIVE' ? { ...s, status: 'COMPLETED' } : s;
    } },
  },
  'failed-without-reason': {
    description: 'CREATE FAILED jobs carry no failureReason',
    about: ['LDIJ-RESP-006'],
    points: { importJobSummary: (next) => (job) => ({ ...next(job), failureReason: undefined }) },
  },
  'reason-on-active-jobs': {
    description: 'ACTIVE jobs carry a failureReason too',
    about: ['LDIJ-RESP-007'],
    points: { importJobSummary: (next) => (job) => {
      const s = next(job);
      return s.status === 'ACTIVE' ? { ...s, failureReason: 'None' } : s;
    } },
  },
  'last-updated-before-creation': {
    description: 'lastUpdatedDateTime lies before creationDateTime',
    about: ['LDIJ-RESP-004'],
    points: { importJobSummary: (next) => (job) => {
      const s = next(job);
      return { ...s, lastUpdatedDateTime: s.creationDateTime - 60 };
    } },
  },
  'wrong-arn-resource-type': {
    description: 'job ARNs use the resource type import-job/ instead of dataset-import-job/',
    about: ['LDIJ-RESP-001'],
    points: { importJobSummary: (next) => (job) => {
      const s = next(job);
      return { ...s, datasetImportJobArn: s.datasetImportJobArn.replace(':dataset-import-job/', ':import-job/') };
    } },
  },
  'import-mode-out-of-enum': {
    description: 'summaries report the import mode of FULL jobs as BULK, which the ImportMode enum does not hold',
    about: ['LDIJ-RESP-005'],
    points: { importJobSummary: (next) => (job) => {
      const s = next(job);
      return s.importMode === 'FULL' ? { ...s, importMode: 'BULK' } : s;
    } },
  },
  'summary-import-mode-always-full': {
    description: 'summaries report importMode FULL even for INCREMENTAL jobs',
    about: ['LDIJ-RESP-008'],
    points: { importJobSummary: (next) => (job) => ({ ...next(job), importMode: 'FULL' }) },
  },
  'summary-creation-time-differs': {
    description: 'summaries report a creation time one second off from DescribeDatasetImportJob',
    about: ['LDIJ-RESP-008'],
    points: { importJobSummary: (next) => (job) => {
      const s = next(job);
      return { ...s, creationDateTime: s.creationDateTime + 1 };
    } },
  },
  'default-import-mode-incremental': {
    description: 'a job created without importMode is listed as INCREMENTAL (the documented default is FULL)',
    about: ['LDIJ-RESP-014'],
    points: {
      createDatasetImportJob: (next, service) => (input, caller) => {
        const out = next(input, caller);
        if (input.importMode === undefined) createdWithoutImportMode(service).add(out.datasetImportJobArn);
        return out;
      },
      importJobSummary: (next, service) => (job) => {
        const s = next(job);
        return createdWithoutImportMode(service).has(job.arn) ? { ...s, importMode: 'INCREMENTAL' } : s;
      },
    },
  },
  'last-updated-goes-back': {
    description: 'every second listing is answered by a replica whose lastUpdatedDateTime is a second behind: a job\'s last update goes back and forth',
    about: ['LDIJ-RESP-013'],
    points: { listDatasetImportJobs: (next, service) => (input, caller) => {
      const out = next(input, caller);
      if (++listingRequests(service).count % 2) return out;
      // Never before the job's creation: that would be LDIJ-RESP-004's defect, not this one.
      return { ...out, datasetImportJobs: out.datasetImportJobs.map((s) => (s.lastUpdatedDateTime - 1 >= s.creationDateTime ? { ...s, lastUpdatedDateTime: s.lastUpdatedDateTime - 1 } : s)) };
    } },
  },
  'describe-names-other-dataset': {
    description: 'DescribeDatasetImportJob names another dataset of the same group (another dataset type) as the job\'s dataset',
    about: ['LDIJ-FILTER-002'],
    points: { describeDatasetImportJob: (next) => (input, caller) => {
      const out = next(input, caller);
      const other = out.datasetImportJob.datasetArn.replace(/\/[A-Z]+$/, (type) => (type === '/INTERACTIONS' ? '/ITEMS' : '/INTERACTIONS'));
      return { datasetImportJob: { ...out.datasetImportJob, datasetArn: other } };
    } },
  },
  'omits-empty-list': {
    description: 'an empty result omits the datasetImportJobs member',
    about: ['LDIJ-RESP-009'],
    points: { listDatasetImportJobs: (next) => (input, caller) => {
      const out = next(input, caller);
      // The fault breaks the output's type on purpose: the member the model requires is missing.
      return out.datasetImportJobs.length ? out : ({ ...out, datasetImportJobs: undefined } as unknown as typeof out);
    } },
  },
  // Agreement with Create and Describe, over time and with the wall clock
  'listing-never-catches-up': {
    description: 'the listing\'s index misses each job\'s last status change: a job DescribeDatasetImportJob shows finished (for as long as one waits) stays listed CREATE IN_PROGRESS, and one in progress stays listed CREATE PENDING',
    about: ['LDIJ-CONS-002'],
    points: { listedLifecycleOf: (next, service) => (job) => oneStepBack(service, job, next(job)) },
  },
  'listing-ahead-of-describe': {
    description: `the listing's index is written with each job's next state ${INDEX_AHEAD_MS / 1000} s before the job reaches it: a listing shows a job further on in its lifecycle, and last updated later, than a DescribeDatasetImportJob made after it`,
    about: ['LDIJ-RESP-012'],
    points: { listedLifecycleOf: (_next, service) => (job) => lifecycleAt(job, service.clock.now() + INDEX_AHEAD_MS, service.options.lifecycle) },
  },
  'status-goes-back-after-catching-up': {
    description: `every second listing is answered by a replica ${REPLICA_LAG_MS / 1000} s behind: a job listed at one status is listed at an earlier status (and an earlier last update) by a later listing`,
    about: ['LDIJ-RESP-012', 'LDIJ-RESP-013'],
    points: {
      listDatasetImportJobs: (next, service) => (input, caller) => {
        const turn = replicaTurn(service);
        turn.behind = ++turn.listings % 2 === 0;
        return next(input, caller);
      },
      listedLifecycleOf: (next, service) => (job) =>
        (replicaTurn(service).behind ? lifecycleAt(job, service.clock.now() - service.options.statusLagMs - REPLICA_LAG_MS, service.options.lifecycle) : next(job)),
    },
  },
  'listed-arn-differs-from-created': {
    description: `the listing builds each job's ARN with a default account id (${DEFAULT_ACCOUNT}) where CreateDatasetImportJob and DescribeDatasetImportJob give the caller's`,
    about: ['LDIJ-RESP-008'],
    points: { importJobSummary: (next) => (job) => {
      const s = next(job);
      return { ...s, datasetImportJobArn: s.datasetImportJobArn.replace(/^(arn:[^:]*:[^:]*:[^:]*:)\d{12}:/, (_arn, head: string) => `${head}${DEFAULT_ACCOUNT}:`) };
    } },
  },
  'creation-time-moves': {
    description: 'the listing reports as creationDateTime the time its index entry was last written: a job\'s creation time moves forward as its status changes',
    about: ['LDIJ-RESP-008'],
    points: { importJobSummary: (next) => (job) => {
      const s = next(job);
      return { ...s, creationDateTime: s.lastUpdatedDateTime };
    } },
  },
  'describe-import-mode-always-full': {
    description: 'DescribeDatasetImportJob reports importMode FULL for every job, while the listing gives INCREMENTAL jobs their mode',
    about: ['LDIJ-RESP-008'],
    points: { describeDatasetImportJob: (next) => (input, caller) => {
      const out = next(input, caller);
      return { datasetImportJob: { ...out.datasetImportJob, importMode: 'FULL' } };
    } },
  },
  'timestamps-in-milliseconds': {
    description: 'every timestamp is epoch milliseconds (a number 1000 times too large) instead of epoch seconds',
    about: ['LDIJ-RESP-004'],
    points: { ok: (next) => (output) => next(bodyTimestamps(output, (s) => Math.round(s * 1000))) },
  },
  'times-hours-off': {
    description: 'every timestamp is the local time of UTC-7 written as if it were UTC: 7 hours before the time it stands for',
    about: ['LDIJ-RESP-015'],
    points: { ok: (next) => (output) => next(bodyTimestamps(output, (s) => s + TIME_ZONE_OFFSET_S)) },
  },
  'creation-time-fixed': {
    description: 'every import job reports the same creationDateTime, 2020-01-01T00:00:00Z (a field of its record that nothing sets), in the listing and in DescribeDatasetImportJob',
    about: ['LDIJ-RESP-015'],
    points: {
      importJobSummary: (next) => (job) => ({ ...next(job), creationDateTime: FIXED_CREATION_S }),
      describeDatasetImportJob: (next) => (input, caller) => {
        const out = next(input, caller);
        return { datasetImportJob: { ...out.datasetImportJob, creationDateTime: FIXED_CREATION_S } };
      },
    },
  },
  'summary-without-last-updated': {
    description: 'summaries never carry lastUpdatedDateTime (DescribeDatasetImportJob does)',
    about: ['LDIJ-RESP-016'],
    points: { importJobSummary: (next) => (job) => ({ ...next(job), lastUpdatedDateTime: undefined as unknown as number }) }, // the fault breaks the summary's type on purpose
  },
  'summary-without-import-mode': {
    description: 'summaries never carry importMode (DescribeDatasetImportJob does)',
    about: ['LDIJ-RESP-016'],
    points: { importJobSummary: (next) => (job) => ({ ...next(job), importMode: undefined as unknown as string }) }, // the fault breaks the summary's type on purpose
  },
  'job-name-is-record-id': {
    description: 'lists each job under the id of its record (job- and 8 hex characters), a valid name but not the one it was created with',
    about: ['LDIJ-RESP-002', 'LDIJ-RESP-008'],
    points: { importJobSummary: (next) => (job) => {
      const s = next(job);
      return { ...s, jobName: `job-${createHash('sha256').update(s.datasetImportJobArn).digest('hex').slice(0, 8)}` };
    } },
  },
} satisfies Record<string, Fault>;

export type FaultName = keyof typeof FAULTS;
