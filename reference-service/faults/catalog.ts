/**
 * The fault catalog: realistic defects applied to the reference service from outside, each one
 * that the conformance suite must catch. A fault is one entry: what goes wrong, and the named
 * points (points.ts) it wraps. `npm run test:faults` runs the whole suite once per fault.
 */
import { limits } from '../../schemas';
import { ServiceError, invalidInput } from '../errors';
import type { Fault } from './points';
import { leakyListing, offsetListing } from './listings';

const UNFINISHED = ['CREATE PENDING', 'CREATE IN_PROGRESS'];
const serverError = () => new ServiceError('InternalFailure', 'Internal error.', 500);
const aboutMaxResults = (e: string) => e.startsWith('/maxResults');

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
    points: { pageSize: (next) => (maxResults) => next(maxResults) + 1 },
  },
  'ignores-max-results': {
    description: 'ignores maxResults and always returns the default page size',
    points: { pageSize: (next) => () => next(undefined) },
  },
  'accepts-max-results-zero': {
    description: 'accepts maxResults 0 (answers an empty page) instead of rejecting it',
    points: { constraintErrors: (next) => (errors, input) => next(errors, input).filter((e) => !(aboutMaxResults(e) && input.maxResults === 0)) },
  },
  'accepts-max-results-101': {
    description: 'accepts maxResults above 100 instead of rejecting it',
    points: { constraintErrors: (next) => (errors, input) => next(errors, input).filter((e) => !(aboutMaxResults(e) && Number(input.maxResults) > limits.maxResults.max)) },
  },
  'rejects-max-results-100': {
    description: 'rejects maxResults 100, the top of the range (an exclusive bound where the model has an inclusive one)',
    points: { constraintErrors: (next) => (errors, input) => [...next(errors, input), ...(input.maxResults === limits.maxResults.max ? [`/maxResults must be < ${limits.maxResults.max}`] : [])] },
  },
  'default-page-over-limit': {
    description: 'returns up to 150 jobs when maxResults is omitted',
    points: { pageSize: (next) => (maxResults) => (maxResults === undefined ? 150 : next(maxResults)) },
  },
  'drops-item-at-page-boundary': {
    description: 'the next page starts one job too late, skipping a job at each boundary',
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
    points: { nextCursor: (next) => (page) => {
      const cursor = next(page);
      return cursor && page.items.length > 1 ? { ...cursor, key: page.index.keyFor(page.items[page.items.length - 2]) } : cursor;
    } },
  },
  'token-loops-to-first-page': {
    description: 'the token of the second page leads back to the first page',
    points: { nextCursor: (next) => (page) => {
      const cursor = next(page);
      return cursor && page.start ? { ...cursor, key: [] } : cursor;
    } },
  },
  'offset-token-mutable-order': {
    description: 'orders by last update time (which changes) and pages by offset',
    points: { listDatasetImportJobs: (_next, service) => (input, caller) => offsetListing(service, input, caller) },
  },
  'token-on-last-page': {
    description: 'the last page still carries a nextToken that leads to an empty page, forever',
    points: { nextCursor: (next) => (page) => next(page) ?? { key: page.start?.key ?? [] } },
  },
  // Tokens
  'accepts-unknown-token': {
    description: 'a token it never issued is treated as the start of the list',
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
    points: { scopeOf: (next) => (operation, caller, filter) => next(operation, caller, operation === 'ListDatasetImportJobs' ? '*' : filter) },
  },
  'unknown-token-invalid-input': {
    description: 'a token it never issued is answered with InvalidInputException',
    points: { readToken: (next) => (token, scope) => {
      try {
        return next(token, scope);
      } catch {
        throw invalidInput('nextToken is not valid.');
      }
    } },
  },
  // Filtering
  'ignores-dataset-filter': {
    description: 'ignores datasetArn and lists every job of the account',
    points: { jobSelection: (next) => (store) => next(store, undefined) },
  },
  'prefix-matches-dataset-filter': {
    description: 'matches datasetArn as a prefix of the dataset path, conflating datasets whose group names share a prefix',
    points: { jobSelection: (next) => (store, datasetArn) => {
      const all = next(store, undefined);
      if (datasetArn === undefined) return all;
      const groupPath = datasetArn.replace(/\/[^/]*\/[^/]*$/, '');
      return { index: all.index, keep: (j) => j.datasetArn.startsWith(groupPath) && all.keep(j) };
    } },
  },
  'unknown-dataset-lists-all': {
    description: 'a datasetArn of no existing dataset lists every job, as if no filter were given',
    points: { jobSelection: (next) => (store, datasetArn) => next(store, datasetArn !== undefined && store.datasets.has(datasetArn) ? datasetArn : undefined) },
  },
  'unknown-dataset-server-error': {
    description: 'a datasetArn of no existing dataset is answered with HTTP 500',
    points: { jobSelection: (next) => (store, datasetArn) => {
      if (datasetArn !== undefined && !store.datasets.has(datasetArn)) throw serverError();
      return next(store, datasetArn);
    } },
  },
  'hides-pending-jobs': {
    description: 'lists only jobs that have finished (ACTIVE or CREATE FAILED)',
    points: { jobSelection: (next, service) => (store, datasetArn) => {
      const s = next(store, datasetArn);
      return { ...s, keep: (j) => s.keep(j) && !UNFINISHED.includes(service.lifecycleOf(j).status) };
    } },
  },
  'hides-failed-jobs': {
    description: 'leaves CREATE FAILED jobs out of the list',
    points: { jobSelection: (next, service) => (store, datasetArn) => {
      const s = next(store, datasetArn);
      return { ...s, keep: (j) => s.keep(j) && service.lifecycleOf(j).status !== 'CREATE FAILED' };
    } },
  },
  'leaks-other-accounts': {
    description: 'a listing without datasetArn includes jobs of every account in the region',
    points: { listDatasetImportJobs: (next, service) => (input, caller) =>
      input.datasetArn ? next(input, caller) : leakyListing(service, input, caller, (s) => s.region === caller.region) },
  },
  'leaks-other-regions': {
    description: 'a listing without datasetArn includes the account\'s jobs of every region',
    points: { listDatasetImportJobs: (next, service) => (input, caller) =>
      input.datasetArn ? next(input, caller) : leakyListing(service, input, caller, (s) => s.accountId === caller.accountId) },
  },
  // Validation and errors
  'no-arn-pattern-check': {
    description: 'accepts a datasetArn that does not match the documented pattern',
    points: { constraintErrors: (next) => (errors, input) => next(errors, input).filter((e) => !(e.startsWith('/datasetArn') && / pattern /.test(e))) },
  },
  'no-arn-length-check': {
    description: 'accepts a datasetArn longer than 256 characters',
    points: { constraintErrors: (next) => (errors, input) => next(errors, input).filter((e) => !(e.startsWith('/datasetArn') && /more than/.test(e))) },
  },
  'undeclared-validation-exception': {
    description: 'answers out-of-range maxResults with ValidationException, which the operation does not declare',
    points: { constraintError: (next) => (errors) => {
      const e = next(errors);
      return errors.some(aboutMaxResults) ? new ServiceError('ValidationException', e.message, 400) : e;
    } },
  },
  'error-without-type': {
    description: 'error bodies carry no error type (__type, code or header)',
    points: { error: (next) => (e) => {
      const r = next(e);
      const { __type: _dropped, ...body } = JSON.parse(r.body);
      const { 'x-amzn-errortype': _header, ...headers } = r.headers;
      return { ...r, headers, body: JSON.stringify(body) };
    } },
  },
  'error-without-message': {
    description: 'error bodies carry no message',
    points: { error: (next) => (e) => {
      const r = next(e);
      const { message: _dropped, ...body } = JSON.parse(r.body);
      return { ...r, body: JSON.stringify(body) };
    } },
  },
  'validation-errors-500': {
    description: 'answers validation errors with HTTP 500 (a server fault the SDK retries)',
    points: { error: (next) => (e) => ({ ...next(e), ...(e.type === 'InvalidInputException' && { status: 500 }) }) },
  },
  'token-errors-404': {
    description: 'answers InvalidNextTokenException with HTTP 404 instead of 400',
    points: { error: (next) => (e) => ({ ...next(e), ...(e.type === 'InvalidNextTokenException' && { status: 404 }) }) },
  },
  // Response contract
  'iso-timestamps': {
    description: 'timestamps as ISO-8601 strings instead of epoch seconds',
    points: { ok: (next) => (output) => next(isoTimestamps(output) as Record<string, unknown>) },
  },
  'undocumented-status': {
    description: 'reports finished jobs with status COMPLETED instead of ACTIVE',
    points: { importJobSummary: (next) => (job) => {
      const s = next(job);
      return s.status === 'ACTIVE' ? { ...s, status: 'COMPLETED' } : s;
    } },
  },
  'failed-without-reason': {
    description: 'CREATE FAILED jobs carry no failureReason',
    points: { importJobSummary: (next) => (job) => ({ ...next(job), failureReason: undefined }) },
  },
  'reason-on-active-jobs': {
    description: 'ACTIVE jobs carry a failureReason too',
    points: { importJobSummary: (next) => (job) => {
      const s = next(job);
      return s.status === 'ACTIVE' ? { ...s, failureReason: 'None' } : s;
    } },
  },
  'last-updated-before-creation': {
    description: 'lastUpdatedDateTime lies before creationDateTime',
    points: { importJobSummary: (next) => (job) => {
      const s = next(job);
      return { ...s, lastUpdatedDateTime: s.creationDateTime - 60 };
    } },
  },
  'wrong-arn-resource-type': {
    description: 'job ARNs use the resource type import-job/ instead of dataset-import-job/',
    points: { importJobSummary: (next) => (job) => {
      const s = next(job);
      return { ...s, datasetImportJobArn: s.datasetImportJobArn.replace(':dataset-import-job/', ':import-job/') };
    } },
  },
  'summary-import-mode-always-full': {
    description: 'summaries report importMode FULL even for INCREMENTAL jobs',
    points: { importJobSummary: (next) => (job) => ({ ...next(job), importMode: 'FULL' }) },
  },
  'summary-creation-time-differs': {
    description: 'summaries report a creation time one second off from DescribeDatasetImportJob',
    points: { importJobSummary: (next) => (job) => {
      const s = next(job);
      return { ...s, creationDateTime: s.creationDateTime + 1 };
    } },
  },
  'omits-empty-list': {
    description: 'an empty result omits the datasetImportJobs member',
    points: { listDatasetImportJobs: (next) => (input, caller) => {
      const out = next(input, caller);
      return out.datasetImportJobs.length ? out : ({ ...out, datasetImportJobs: undefined } as unknown as typeof out);
    } },
  },
} satisfies Record<string, Fault>;

export type FaultName = keyof typeof FAULTS;
