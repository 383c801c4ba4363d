/**
 * Unit tests of the report builder (src/report.ts): the report matches its published schema,
 * names the implementation, and counts a known deviation as such (closing line, JUnit), never as a failure.
 *   npm run test:unit
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { buildReport, REPORT_API_VERSION, ROOT, scenarioCounts, toJUnit, toMarkdown, withHtmlBanner, type Deviation } from '../src/report';

type Scenario = { name: string; req: string; status: 'PASSED' | 'FAILED' | 'SKIPPED'; message?: string };

/** A cucumber message stream of the given scenarios, as the runner reads it. */
function messages(scenarios: Scenario[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'report-test-'));
  const lines = scenarios.flatMap((s, i) => [
    { pickle: { id: `p${i}`, name: s.name, uri: 'features/pagination.feature', tags: [{ name: `@req:${s.req}` }], astNodeIds: [] } },
    { testCase: { id: `c${i}`, pickleId: `p${i}` } },
    { testCaseStarted: { id: `s${i}`, testCaseId: `c${i}` } },
    { testStepFinished: { testCaseStartedId: `s${i}`, testStepResult: { status: s.status, ...(s.message && { message: s.message }) } } },
  ]);
  lines.push({ testRunFinished: {} } as never);
  const file = join(dir, 'messages.ndjson');
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return file;
}

const DEVIATION: Deviation = { requirement: 'LDIJ-PAGE-003', target: 'my-emulator', observed: 'pages of 200', reason: 'tracked upstream' };
const SCENARIOS: Scenario[] = [
  { name: 'a page of 1', req: 'LDIJ-PAGE-001', status: 'PASSED' },
  { name: 'every job once', req: 'LDIJ-PAGE-002', status: 'FAILED', message: 'job listed twice <b>\u001b[31m' },
  { name: 'no page over 100', req: 'LDIJ-PAGE-003', status: 'FAILED', message: 'a page of 200' },
  { name: 'not arranged', req: 'LDIJ-PAGE-004', status: 'SKIPPED' },
];

function build(targetKind: string) {
  return buildReport({
    messagesFile: messages(SCENARIOS), target: 'endpoint http://127.0.0.1:4599, region us-east-1', targetKind, strict: false,
    suiteVersion: '0.1.0', sdkVersion: '3.0.0', contractEdition: 'test', deviations: [DEVIATION],
    implementation: { name: 'my-emulator', version: '1.2.3', url: 'https://example.org/my-emulator' },
  });
}

test('the report matches its published JSON Schema and carries its apiVersion and implementation', () => {
  const { report } = build('my-emulator');
  const schema = JSON.parse(readFileSync(join(ROOT, 'report', 'conformance.schema.json'), 'utf8'));
  const ajv = new Ajv2020({ allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  assert.ok(validate(JSON.parse(JSON.stringify(report))), JSON.stringify(validate.errors));
  assert.equal(report.apiVersion, REPORT_API_VERSION);
  assert.deepEqual(report.implementation, { name: 'my-emulator', version: '1.2.3', url: 'https://example.org/my-emulator' });
  assert.equal(report.deviationsTarget, 'my-emulator');
  assert.match(toMarkdown(report), /Implementation: my-emulator 1\.2\.3 \(https:\/\/example\.org\/my-emulator\)/);
});

test('the schema refuses a report without an implementation or with another apiVersion', () => {
  const { report } = build('my-emulator');
  const validate = (() => { const ajv = new Ajv2020(); addFormats(ajv); return ajv.compile(JSON.parse(readFileSync(join(ROOT, 'report', 'conformance.schema.json'), 'utf8'))); })();
  const { implementation: _, ...withoutImplementation } = JSON.parse(JSON.stringify(report));
  assert.equal(validate(withoutImplementation), false);
  assert.equal(validate({ ...JSON.parse(JSON.stringify(report)), apiVersion: 'v0' }), false);
});

test('a known deviation of the target is counted as such, never as a failure', () => {
  const { report } = build('my-emulator');
  assert.equal(report.requirements.find((r) => r.id === 'LDIJ-PAGE-003')!.outcome, 'known deviation');
  assert.equal(report.requirements.find((r) => r.id === 'LDIJ-PAGE-002')!.outcome, 'failed');
  assert.deepEqual(report.summary.mustFailed, ['LDIJ-PAGE-002']);
  assert.deepEqual(scenarioCounts(report), { passed: 1, failed: 1, knownDeviations: 1, skipped: 1 });
});

test('a deviation filed under another target name is a failure', () => {
  const { report } = build('mock');
  assert.equal(report.requirements.find((r) => r.id === 'LDIJ-PAGE-003')!.outcome, 'failed');
  assert.deepEqual(scenarioCounts(report), { passed: 1, failed: 2, knownDeviations: 0, skipped: 1 });
});

test('JUnit: the known deviation is a skipped test with its message; failures count only failed requirements', () => {
  const xml = toJUnit(build('my-emulator').report);
  assert.match(xml, /<testsuites [^>]*tests="4" failures="1" skipped="2" errors="0">/);
  assert.match(xml, /name="no page over 100"[^>]*>\s*<skipped message="known deviation of my-emulator: pages of 200 \(tracked upstream\)"\/>/);
  assert.match(xml, /name="every job once"[^>]*>\s*<failure message="job listed twice &lt;b&gt;\[31m" type="failed"\/>/);
  assert.doesNotMatch(xml, /\u001b/);
});

test('the HTML report names the target and the implementation', () => {
  const html = withHtmlBanner('<html><body><div id="content"></div></body></html>', build('my-emulator').report);
  assert.match(html, /<body><header[^>]*>.*implementation <strong>my-emulator 1\.2\.3 \(https:\/\/example\.org\/my-emulator\)<\/strong>, target <strong>endpoint http:\/\/127\.0\.0\.1:4599, region us-east-1<\/strong>/);
});
