/**
 * A hand-made conformance report with one requirement of every class: a MUST failure, a SHOULD
 * failure, a known deviation, a requirement not shown, one passed and one not selected, each failure
 * with its evidence. `taint` puts a string into every piece of target-supplied text of a report.
 */
import type { ConformanceReport, RequirementResult, ScenarioResult } from '../../src/report/types';
import { REPORT_API_VERSION } from '../../src/report/types';
import type { Evidence, Finding } from '../../src/verdict';

const LISTING = 'ListDatasetImportJobs';

function exchange(n: number, over: Partial<Evidence> = {}): Evidence {
  return {
    n, operation: LISTING, request: `{"datasetArn":"arn:aws:personalize:us-east-1:111111111111:dataset/cf-1/INTERACTIONS","maxResults":2}`,
    status: 200, response: '{"datasetImportJobs":[{"jobName":"cf-1-j1"}],"nextToken":"t2"}', responseBytes: 62, ...over,
  };
}

function finding(requirement: string, over: Partial<Finding> = {}): Finding {
  return {
    requirement, expected: 'every job listed exactly once', observed: 'over 2 pages: 1 of 8 jobs missing: cf-1-j8',
    evidence: [exchange(1, { note: 'page 1 of the listing' }), exchange(2, { note: 'page 2 of the listing', response: '{"datasetImportJobs":[]}', responseBytes: 24 })],
    reproduce: `curl -sS -i --aws-sigv4 'aws:amz:us-east-1:personalize' -H 'X-Amz-Target: AmazonPersonalize.${LISTING}' --data-binary '{"maxResults":2}' 'http://127.0.0.1:4599/'`,
    ...over,
  };
}

function scenario(requirement: string, level: 'must' | 'should', name: string, cls: ScenarioResult['class'], over: Partial<ScenarioResult> = {}): ScenarioResult {
  return { name, location: 'features/pagination.feature:12', requirement, level, class: cls, findings: [], seconds: 0.25, ...over };
}

export function sampleReport(): ConformanceReport {
  const mustFinding = finding('LDIJ-PAGE-002');
  const shouldFinding = finding('LDIJ-ERR-011', {
    expected: 'an error message saying what is wrong', observed: 'the error carries no message',
    evidence: [exchange(1, { request: '{"maxResults":0}', status: 400, errorType: 'InvalidInputException', response: '{"__type":"InvalidInputException"}', responseBytes: 36 })],
  });
  const deviationFinding = finding('LDIJ-PAGE-003', { expected: 'at most 100 jobs on a page', observed: 'a page of 200 jobs' });
  const requirements: RequirementResult[] = [
    {
      id: 'LDIJ-PAGE-002', level: 'must', statement: 'Following nextToken MUST list every job exactly once.', source: 'API reference', class: 'failed (MUST)',
      reason: mustFinding.observed, findings: [mustFinding],
      scenarios: [
        scenario('LDIJ-PAGE-002', 'must', 'every job once, 2 at a time', 'failed (MUST)', { reason: mustFinding.observed, findings: [mustFinding] }),
        scenario('LDIJ-PAGE-002', 'must', 'every job once, 100 at a time', 'passed'),
      ],
    },
    {
      id: 'LDIJ-ERR-011', level: 'should', statement: 'An error response SHOULD carry a message.', source: 'API reference', class: 'failed (SHOULD)',
      reason: shouldFinding.observed, findings: [shouldFinding],
      scenarios: [scenario('LDIJ-ERR-011', 'should', 'a refused request says why', 'failed (SHOULD)', { reason: shouldFinding.observed, findings: [shouldFinding] })],
    },
    {
      id: 'LDIJ-PAGE-003', level: 'must', statement: 'A page MUST NOT hold more than 100 jobs.', source: 'API reference', class: 'known deviation',
      reason: 'pages of 200 (tracked upstream)', findings: [deviationFinding], deviation: { observed: 'pages of 200', reason: 'tracked upstream' },
      scenarios: [scenario('LDIJ-PAGE-003', 'must', 'no page over 100', 'known deviation', { reason: deviationFinding.observed, findings: [deviationFinding] })],
    },
    {
      id: 'LDIJ-PAGE-004', level: 'must', statement: 'A listing MUST end.', source: 'API reference', class: 'not shown',
      reason: '1 of 2 scenarios not shown: could not arrange: CreateDatasetImportJob was refused', notShownCauses: ['target'], findings: [],
      scenarios: [
        scenario('LDIJ-PAGE-004', 'must', 'a listing of 250 jobs ends', 'not shown', {
          reason: 'could not arrange: CreateDatasetImportJob was refused', notShown: { cause: 'target', reason: 'could not arrange: CreateDatasetImportJob was refused' },
        }),
        scenario('LDIJ-PAGE-004', 'must', 'an empty listing ends', 'passed'),
      ],
    },
    {
      id: 'LDIJ-PAGE-001', level: 'must', statement: 'A page MUST NOT hold more jobs than maxResults.', source: 'API reference', class: 'passed', findings: [],
      scenarios: [scenario('LDIJ-PAGE-001', 'must', 'a page of 1', 'passed'), scenario('LDIJ-PAGE-001', 'must', 'a page of 7', 'passed')],
    },
    {
      id: 'LDIJ-FILTER-002', level: 'must', statement: 'With datasetArn, the listing MUST hold exactly that dataset\'s jobs.', source: 'API reference', class: 'not selected',
      reason: 'no scenario of it was selected (--requirement LDIJ-PAGE-001)', findings: [], scenarios: [],
    },
  ];
  return {
    apiVersion: REPORT_API_VERSION,
    verdict: 'not conformant',
    verdictReason: '1 requirement failed: LDIJ-PAGE-002',
    target: 'endpoint http://127.0.0.1:4599, region us-east-1',
    implementation: { name: 'my-emulator', version: '1.2.3', url: 'https://example.org/my-emulator' },
    deviationsTarget: 'my-emulator',
    generatedAt: '2026-12-02T17:00:00.000Z',
    suiteVersion: '0.1.0', sdkVersion: '3.1000.0', contractEdition: 'test edition', strict: false,
    selection: '--requirement LDIJ-PAGE-001',
    summary: {
      requirements: { passed: 1, 'failed (MUST)': 1, 'failed (SHOULD)': 1, 'known deviation': 1, 'not shown': 1, 'not selected': 1 },
      scenarios: { passed: 4, 'failed (MUST)': 1, 'failed (SHOULD)': 1, 'known deviation': 1, 'not shown': 1 },
      mustFailed: ['LDIJ-PAGE-002'], shouldFailed: ['LDIJ-ERR-011'], mustNotShown: ['LDIJ-PAGE-004'],
      apiCalls: 42, validatedBodies: 40, seconds: 12.5,
    },
    warnings: { unknownMembers: ['ListDatasetImportJobs response /datasetImportJobs/*/extra'], cleanup: ['could not delete schema cf-1-schema'] },
    requirements,
  };
}

/** Keys whose strings are ours alone (ids, enums, timestamps): everything else may carry a target's text. */
const OURS = new Set(['apiVersion', 'verdict', 'id', 'level', 'class', 'cause', 'requirement', 'generatedAt', 'notShownCauses', 'mustFailed', 'shouldFailed', 'mustNotShown']);

/** The report with `hostile` appended to every piece of text a target (or a user's flag) could supply. */
export function taint<T>(value: T, hostile: string, key = ''): T {
  if (typeof value === 'string') return (OURS.has(key) ? value : value + hostile) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => taint(v, hostile, key)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, OURS.has(k) ? v : taint(v, hostile, k)])) as T;
  }
  return value;
}
