/**
 * The fault catalog: realistic defects that can be switched on in the reference service, each
 * one that the conformance suite must catch. A fault names what goes wrong, not how the suite
 * detects it. `npm run test:faults` runs the whole suite once per fault.
 */
export const FAULTS = {
  // Pagination
  'page-size-plus-one': 'returns maxResults + 1 jobs per page (classic off-by-one)',
  'ignores-max-results': 'ignores maxResults and always returns the default page size',
  'accepts-max-results-zero': 'accepts maxResults 0 (answers an empty page) instead of rejecting it',
  'accepts-max-results-101': 'accepts maxResults above 100 instead of rejecting it',
  'rejects-max-results-100': 'rejects maxResults 100, the top of the range (an exclusive bound where the model has an inclusive one)',
  'default-page-over-limit': 'returns up to 150 jobs when maxResults is omitted',
  'drops-item-at-page-boundary': 'the next page starts one job too late, skipping a job at each boundary',
  'repeats-item-at-page-boundary': 'the next page starts one job too early, repeating a job at each boundary',
  'token-loops-to-first-page': 'the token of the second page leads back to the first page',
  'offset-token-mutable-order': 'orders by last update time (which changes) and pages by offset',
  'token-on-last-page': 'the last page still carries a nextToken that leads to an empty page, forever',
  // Tokens
  'accepts-unknown-token': 'a token it never issued is treated as the start of the list',
  'unknown-token-server-error': 'a token it never issued is answered with HTTP 500',
  'token-not-bound-to-filter': 'a token issued for one datasetArn is honoured with another',
  'unknown-token-invalid-input': 'a token it never issued is answered with InvalidInputException',
  // Filtering
  'ignores-dataset-filter': 'ignores datasetArn and lists every job of the account',
  'prefix-matches-dataset-filter': 'matches datasetArn as a prefix of the dataset path, conflating datasets whose group names share a prefix',
  'unknown-dataset-lists-all': 'a datasetArn of no existing dataset lists every job, as if no filter were given',
  'unknown-dataset-server-error': 'a datasetArn of no existing dataset is answered with HTTP 500',
  'hides-pending-jobs': 'lists only jobs that have finished (ACTIVE or CREATE FAILED)',
  'hides-failed-jobs': 'leaves CREATE FAILED jobs out of the list',
  'leaks-other-accounts': 'a listing without datasetArn includes jobs of every account in the region',
  'leaks-other-regions': 'a listing without datasetArn includes the account\'s jobs of every region',
  // Validation and errors
  'no-arn-pattern-check': 'accepts a datasetArn that does not match the documented pattern',
  'no-arn-length-check': 'accepts a datasetArn longer than 256 characters',
  'undeclared-validation-exception': 'answers out-of-range maxResults with ValidationException, which the operation does not declare',
  'error-without-type': 'error bodies carry no error type (__type, code or header)',
  'error-without-message': 'error bodies carry no message',
  'validation-errors-500': 'answers validation errors with HTTP 500 (a server fault the SDK retries)',
  'token-errors-404': 'answers InvalidNextTokenException with HTTP 404 instead of 400',
  // Response contract
  'iso-timestamps': 'timestamps as ISO-8601 strings instead of epoch seconds',
  'undocumented-status': 'reports finished jobs with status COMPLETED instead of ACTIVE',
  'failed-without-reason': 'CREATE FAILED jobs carry no failureReason',
  'reason-on-active-jobs': 'ACTIVE jobs carry a failureReason too',
  'last-updated-before-creation': 'lastUpdatedDateTime lies before creationDateTime',
  'wrong-arn-resource-type': 'job ARNs use the resource type import-job/ instead of dataset-import-job/',
  'summary-import-mode-always-full': 'summaries report importMode FULL even for INCREMENTAL jobs',
  'summary-creation-time-differs': 'summaries report a creation time one second off from DescribeDatasetImportJob',
  'omits-empty-list': 'an empty result omits the datasetImportJobs member',
} as const;

export type FaultName = keyof typeof FAULTS;

export function parseFaults(text: string | undefined): Set<FaultName> {
  const names = (text ?? '').split(/[,+]/).map((s) => s.trim()).filter(Boolean);
  for (const n of names) {
    if (!(n in FAULTS)) throw new Error(`unknown fault "${n}"; known faults: ${Object.keys(FAULTS).join(', ')}`);
  }
  return new Set(names as FaultName[]);
}
