/**
 * The fault catalog: realistic defects applied to the reference service from outside, each one
 * that the conformance suite must catch. A fault is one entry: what goes wrong, and the named
 * points (points.ts) it wraps. `npm run test:faults` runs the whole suite once per fault.
 */
import { limits } from '../../schemas';
import { ServiceError, invalidInput, invalidNextToken } from '../errors';
import type { ReferenceService } from '../service';
import { lifecycleAt } from '../store';
import type { Fault } from './points';
import { leakyListing, offsetListing } from './listings';

const UNFINISHED = ['CREATE PENDING', 'CREATE IN_PROGRESS'];
const serverError = () => new ServiceError('InternalFailure', 'Internal error.', 500);
const aboutMaxResults = (e: string) => e.startsWith('/maxResults');
/** How far behind the listing's replica is, for stale-status-in-listing: more than one lifecycle step of the mock. */
const REPLICA_LAG_MS = 3000;

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

/** Every member named …DateTime, as an ISO-8601 string instead of epoch seconds. */
function isoTimestamps(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(isoTimestamps);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k.endsWith('DateTime') && typeof v === 'number' ? new Date(v * 1000).toISOString() : isoTimestamps(v)]));
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
    about: ['LDIJ-PAGE-002'],
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
  'token-on-last-page': {
    description: 'the last page still carries a nextToken that leads to an empty page, forever',
    about: ['LDIJ-PAGE-004'],
    points: { nextCursor: (next) => (page) => next(page) ?? { key: page.start?.key ?? [] } },
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
      const { __type: _dropped, ...body } = JSON.parse(r.body);
      const { 'x-amzn-errortype': _header, ...headers } = r.headers;
      return { ...r, headers, body: JSON.stringify(body) };
    } },
  },
  'error-without-message': {
    description: 'error bodies carry no message',
    about: ['LDIJ-ERR-011'],
    points: { error: (next) => (e) => {
      const r = next(e);
      const { message: _dropped, ...body } = JSON.parse(r.body);
      return { ...r, body: JSON.stringify(body) };
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
  // Response contract
  'iso-timestamps': {
    description: 'timestamps as ISO-8601 strings instead of epoch seconds',
    about: ['LDIJ-RESP-004'],
    points: { ok: (next) => (output) => next(isoTimestamps(output) as Record<string, unknown>) },
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
  'summary-import-mode-always-full': {
    description: 'summaries report importMode FULL even for INCREMENTAL jobs',
    about: ['LDIJ-RESP-005'],
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
    about: ['LDIJ-RESP-013', 'LDIJ-RESP-008'],
    points: { listDatasetImportJobs: (next, service) => (input, caller) => {
      const out = next(input, caller);
      if (++listingRequests(service).count % 2) return out;
      // Never before the job's creation: that would be LDIJ-RESP-004's defect, not this one.
      return { ...out, datasetImportJobs: out.datasetImportJobs.map((s) => (s.lastUpdatedDateTime - 1 >= s.creationDateTime ? { ...s, lastUpdatedDateTime: s.lastUpdatedDateTime - 1 } : s)) };
    } },
  },
  'stale-status-in-listing': {
    description: `the listing reads each job's status from a replica ${REPLICA_LAG_MS / 1000} s behind: a job DescribeDatasetImportJob already showed further on is listed at an earlier status`,
    about: ['LDIJ-RESP-012'],
    points: { importJobSummary: (next, service) => (job) => {
      const s = next(job);
      const replica = lifecycleAt(job, service.clock.now() - REPLICA_LAG_MS, service.options.lifecycle);
      return { ...s, status: replica.status, failureReason: replica.failureReason };
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
      return out.datasetImportJobs.length ? out : ({ ...out, datasetImportJobs: undefined } as unknown as typeof out);
    } },
  },
} satisfies Record<string, Fault>;

export type FaultName = keyof typeof FAULTS;
