/**
 * The formats of the report (src/report/{console,markdown,junit,html}.ts) say one thing: the same
 * verdict and the same count of every class, read back from each format as its reader would; the
 * failures first, each with its evidence; a SHOULD failure that does not fail the run never fails CI.
 *   npm run test:unit
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { notStartedMessages, selectedPickles } from '../src/arrange/pickles';
import { OBSERVATIONS, ROOT, buildReport, closingLine, consoleSummary, htmlBanner, loadCatalog, toJUnit, toMarkdown, withHtmlBanner } from '../src/report';
import type { ConformanceReport } from '../src/report/types';
import { checkReport } from '../tools/check-report';
import { fromClosingLine, fromHtmlBanner, fromJson, fromJUnitProperties, fromMarkdown, junitSuite, renderAll, type Counts } from './support/formats';
import { splitFences, table } from './support/markdown';
import { messagesFile } from './support/messages';
import { sampleReport } from './support/sample-report';
import { elements, parseXml, type XmlElement } from './support/xml';
import { tempDir } from './support/temp';

const SCENARIO_CLASSES = ['passed', 'failed (MUST)', 'failed (SHOULD)', 'known deviation', 'not shown'] as const;

/** junit.xml's testsuite counts, and what they must be for the report's scenario counts. */
function junitCounts(suite: XmlElement) {
  return { tests: Number(suite.attributes.tests), failures: Number(suite.attributes.failures), skipped: Number(suite.attributes.skipped), errors: Number(suite.attributes.errors) };
}
function expectedJunitCounts(r: ConformanceReport) {
  const s = r.summary.scenarios;
  const failures = s['failed (MUST)'] + (r.strict ? s['failed (SHOULD)'] : 0);
  return { tests: SCENARIO_CLASSES.reduce((n, c) => n + s[c], 0), failures, skipped: s['failed (SHOULD)'] + s['known deviation'] + s['not shown'] - (r.strict ? s['failed (SHOULD)'] : 0), errors: 0 };
}

/** Every format read back, against the report object. */
function assertAllFormatsAgree(report: ConformanceReport): void {
  const { closing, markdown, junit, banner } = renderAll(report);
  const truth: Counts = fromJson(report);
  assert.deepEqual(fromClosingLine(closing), truth, 'closing line');
  assert.deepEqual(fromMarkdown(markdown), truth, 'conformance.md');
  assert.deepEqual(fromJUnitProperties(junit), truth, 'junit.xml properties');
  assert.deepEqual(fromHtmlBanner(banner), truth, 'HTML banner');
  const suite = junitSuite(junit);
  assert.deepEqual(junitCounts(suite), expectedJunitCounts(report), 'junit.xml testsuite attributes');
  assert.deepEqual(junitCounts(parseXml(junit)), junitCounts(suite), 'junit.xml testsuites attributes');
  // The requirements table holds as many rows of each class as the counts say.
  const rows = table(markdown, 'Requirement');
  for (const [c, n] of Object.entries(truth.requirements)) assert.equal(rows.filter((row) => row[2].replace(/\*/g, '') === c).length, n, `table rows ${c}`);
}

describe('one classification in every format', () => {
  test('a run with a MUST failure, a SHOULD failure, a known deviation, one not shown and one not selected: the same counts everywhere', () => {
    const report = sampleReport();
    assert.deepEqual(checkReport(JSON.parse(JSON.stringify(report))), [], 'the sample is a valid, consistent report');
    assertAllFormatsAgree(report);
    assert.equal(closingLine(report), 'not conformant: requirements 1 passed, 1 failed (MUST), 1 failed (SHOULD), 1 known deviation, 1 not shown, 1 not selected; scenarios 4 passed, 1 failed (MUST), 1 failed (SHOULD), 1 known deviation, 1 not shown');
  });

  test('the same, under --strict: the SHOULD failure is a JUnit failure', () => {
    const report: ConformanceReport = { ...sampleReport(), strict: true, verdictReason: '2 requirements failed: LDIJ-PAGE-002, LDIJ-ERR-011' };
    assert.deepEqual(checkReport(JSON.parse(JSON.stringify(report))), []);
    assertAllFormatsAgree(report);
    const should = elements(parseXml(toJUnit(report)), 'testcase').find((c) => c.attributes.classname === 'LDIJ-ERR-011 (SHOULD)')!;
    assert.equal(should.children[0].name, 'failure');
  });

  test("the same for a report made by the builder from a run's message stream", () => {
    const failure = { requirement: 'LDIJ-PAGE-002', expected: 'every job once', observed: 'cf-j8 missing', evidence: [] };
    const report = buildReport({
      messagesFile: messagesFile([
        { name: 'a page of 1', requirement: 'LDIJ-PAGE-001', outcome: 'passed' },
        { name: 'every job once', requirement: 'LDIJ-PAGE-002', outcome: 'failed', failures: [failure] },
        { name: 'a message', requirement: 'LDIJ-ERR-011', outcome: 'failed', failures: [{ ...failure, requirement: 'LDIJ-ERR-011' }] },
        { name: 'no page over 100', requirement: 'LDIJ-PAGE-003', outcome: 'failed', failures: [{ ...failure, requirement: 'LDIJ-PAGE-003' }] },
        { name: 'a listing ends', requirement: 'LDIJ-PAGE-004', outcome: 'not shown', notShown: { cause: 'target', reason: 'could not arrange' } },
      ]),
      catalog: loadCatalog(), target: 'endpoint http://127.0.0.1:4599, region us-east-1', implementation: { name: 'my-emulator' },
      deviationsTarget: 'my-emulator', deviations: [{ requirement: 'LDIJ-PAGE-003', target: 'my-emulator', observed: 'pages of 200', reason: 'tracked' }],
      strict: false, suiteVersion: '0.1.0', sdkVersion: '3', contractEdition: 'test',
    });
    assert.deepEqual(checkReport(JSON.parse(JSON.stringify(report))), []);
    assert.equal(report.summary.requirements['known deviation'], 1);
    assertAllFormatsAgree(report);
  });
});

describe('observations', () => {
  // A finding whose keyword no requirement's field names would be charged nowhere: lost from the verdict.
  test('every observation is charged to exactly one requirement of the catalog', () => {
    const catalog = loadCatalog();
    for (const keyword of OBSERVATIONS) {
      const owners = catalog.filter((r) => r.fields?.some((f) => f.keyword === keyword)).map((r) => r.id);
      assert.equal(owners.length, 1, `observation "${keyword}" is named by ${owners.length ? owners.join(', ') : 'no requirement'}`);
    }
  });

  test('every keyword a step charges is an observation', () => {
    const dir = join(ROOT, 'steps');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const used = new Set(files.flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/\bkeyword: '([a-z-]+)'/g)].map((m) => m[1])));
    assert.ok(used.size >= OBSERVATIONS.size - 1, `found the steps' keywords: ${[...used].join(', ')}`);
    for (const keyword of used) assert.ok(OBSERVATIONS.has(keyword), `steps charge "${keyword}", which is no observation: it would be read as a schema break`);
  });
});

describe('the verdict', () => {
  const verdictOf = (runs: Parameters<typeof messagesFile>[0]) => buildReport({
    messagesFile: messagesFile(runs), catalog: loadCatalog(), target: 'endpoint http://127.0.0.1:4599, region us-east-1', implementation: { name: 'x' },
    deviationsTarget: 'x', deviations: [], strict: false, suiteVersion: '0.1.0', sdkVersion: '3', contractEdition: 'test',
  });
  const unshown = { outcome: 'not shown' as const, notShown: { cause: 'target' as const, reason: 'the endpoint accepted the request' } };

  test('is incomplete where only SHOULDs were selected and none was shown: a verdict is a claim with evidence', () => {
    const report = verdictOf([{ name: 'an unknown token', requirement: 'LDIJ-ERR-010', ...unshown }]);
    assert.equal(report.verdict, 'incomplete');
    assert.match(report.verdictReason, /no selected requirement was shown: LDIJ-ERR-010/);
  });

  test('stays conformant where a SHOULD was not shown beside a MUST that passed', () => {
    const report = verdictOf([
      { name: 'an unknown token', requirement: 'LDIJ-ERR-010', ...unshown },
      { name: 'a page of 1', requirement: 'LDIJ-PAGE-001', outcome: 'passed' },
    ]);
    assert.equal(report.verdict, 'conformant');
  });
});

describe('a run stopped while arranging', () => {
  test('lists every selected scenario as not shown (stopped), from the stream of a run that started none', () => {
    const dir = tempDir('not-started-');
    const file = join(dir, 'messages.ndjson');
    const tags = '@req:LDIJ-PAGE-001 or @req:LDIJ-ERR-003';
    writeFileSync(file, notStartedMessages('default', tags));
    const report = buildReport({
      messagesFile: file, catalog: loadCatalog(), target: 'endpoint http://127.0.0.1:4599, region us-east-1', implementation: { name: 'x' },
      deviationsTarget: 'x', deviations: [], strict: false, suiteVersion: '0.1.0', sdkVersion: '3', contractEdition: 'test',
      stopped: 'the run was stopped (SIGTERM)',
    });
    assert.deepEqual(checkReport(JSON.parse(JSON.stringify(report))), []);
    const scenarios = report.requirements.flatMap((q) => q.scenarios);
    assert.equal(scenarios.length, selectedPickles('default', tags).length);
    assert.ok(scenarios.length > 2);
    assert.ok(scenarios.every((x) => x.class === 'not shown' && x.notShown?.cause === 'stopped' && /SIGTERM/.test(x.notShown.reason)));
    assert.ok(scenarios.every((x) => /^features\/[a-z-]+\.feature:\d+$/.test(x.location)), 'each with its line');
    assert.equal(report.verdict, 'incomplete');
    assertAllFormatsAgree(report);
  });
});

describe('conformance.md', () => {
  const md = toMarkdown(sampleReport());

  test('opens on the verdict and its reason', () => {
    assert.match(md.split('\n').slice(0, 4).join('\n'), /\*\*Verdict: not conformant\.\*\* 1 requirement failed: LDIJ-PAGE-002/);
    assert.match(md, /A failed SHOULD does not fail the run without --strict\./);
  });

  test('lists failed requirements first, MUST before SHOULD, then known deviations, not shown, passed, not selected, with the first reason', () => {
    const scrambled = { ...sampleReport() };
    scrambled.requirements = [...scrambled.requirements].reverse();
    const rows = table(toMarkdown(scrambled), 'Requirement');
    assert.deepEqual(rows.map((r) => r[2].replace(/\*/g, '')), ['failed (MUST)', 'failed (SHOULD)', 'known deviation', 'not shown', 'passed', 'not selected']);
    assert.equal(rows[0][5], 'over 2 pages: 1 of 8 jobs missing: cf-1-j8');
  });

  test('shows each failure with expected, observed, every exchange (request, status, error type, response) and the command that reproduces it', () => {
    const failures = md.slice(md.indexOf('## Failures'), md.indexOf('## Known deviations'));
    assert.match(failures, /### LDIJ-PAGE-002 \(MUST\): Following nextToken MUST list every job exactly once\.\n\n#### Scenario: every job once, 2 at a time \(features\/pagination\.feature:12\)\n/);
    assert.match(failures, /- Expected: every job listed exactly once/);
    assert.match(failures, /- Observed: over 2 pages: 1 of 8 jobs missing: cf-1-j8/);
    assert.match(failures, /Exchange 2: ListDatasetImportJobs \(page 2 of the listing\): HTTP 200/);
    assert.match(failures, /Exchange 1: ListDatasetImportJobs: HTTP 400, error type InvalidInputException/);
    const { blocks } = splitFences(failures);
    assert.ok(blocks.includes('{"datasetImportJobs":[]}'), 'the response body of page 2');
    assert.ok(blocks.includes('{"maxResults":0}'), 'the request body of the SHOULD failure');
    assert.ok(blocks.some((b) => b.startsWith('curl -sS -i --aws-sigv4')), 'the reproduction command');
  });

  test('a finding charged to a requirement from another scenario says where it was seen', () => {
    const report = sampleReport();
    report.requirements[0].findings.push({ requirement: 'LDIJ-PAGE-002', expected: 'no null member', observed: 'a null member', evidence: [], seenIn: 'a page of 7 (features/pagination.feature:30)' });
    assert.match(toMarkdown(report), /#### Seen in another scenario: a page of 7 \(features\/pagination\.feature:30\)\n\n- Expected: no null member\n- Observed: a null member\n\nNo exchange was kept for this finding\./);
  });

  test('groups the scenarios not shown by who can act', () => {
    const notShown = md.slice(md.indexOf('## Not shown'));
    assert.match(notShown, /### The target's[^\n]*\n\n- LDIJ-PAGE-004 \(MUST\), a listing of 250 jobs ends \(features\/pagination\.feature:12\): could not arrange: CreateDatasetImportJob was refused/);
  });

  test('says when the profile accepts an incomplete verdict', () => {
    const report: ConformanceReport = { ...sampleReport(), verdict: 'incomplete', acceptsIncomplete: 'the smoke run shows what the account allows' };
    assert.match(toMarkdown(report), /This run's profile accepts an incomplete verdict: the smoke run shows what the account allows\./);
    assert.match(closingLine(report), /^incomplete \(accepted by this run's profile\): requirements /);
  });
});

describe('junit.xml', () => {
  const junit = toJUnit(sampleReport());
  const cases = elements(parseXml(junit), 'testcase');
  const caseOf = (classname: string) => cases.find((c) => c.attributes.classname === classname)!;

  test('one test case per scenario, classname its requirement and level, with times; a suite named without the port', () => {
    assert.equal(cases.length, 8);
    assert.deepEqual([...new Set(cases.map((c) => c.attributes.classname))].sort(), ['LDIJ-ERR-011 (SHOULD)', 'LDIJ-PAGE-001 (MUST)', 'LDIJ-PAGE-002 (MUST)', 'LDIJ-PAGE-003 (MUST)', 'LDIJ-PAGE-004 (MUST)']);
    assert.ok(cases.every((c) => c.attributes.time === '0.250'));
    const suite = junitSuite(junit);
    assert.equal(suite.attributes.name, 'my-emulator (my-emulator)');
    assert.equal(suite.attributes.time, '12.500');
    assert.doesNotMatch(suite.attributes.name, /4599/);
  });

  test('a MUST failure is a <failure> whose body is the evidence', () => {
    const failure = caseOf('LDIJ-PAGE-002 (MUST)').children[0];
    assert.equal(failure.name, 'failure');
    assert.equal(failure.attributes.message, 'over 2 pages: 1 of 8 jobs missing: cf-1-j8');
    for (const part of ['Expected: every job listed exactly once', 'Exchange 2: ListDatasetImportJobs (page 2 of the listing): HTTP 200', 'response, 24 bytes:\n{"datasetImportJobs":[]}', 'Reproduce:\ncurl -sS -i']) {
      assert.ok(failure.text.includes(part), part);
    }
  });

  test('a SHOULD failure without --strict is skipped, "SHOULD not met", the evidence in system-out: a passing CI step stays green', () => {
    const should = caseOf('LDIJ-ERR-011 (SHOULD)');
    assert.deepEqual(should.children.map((c) => c.name), ['skipped', 'system-out']);
    assert.match(should.children[0].attributes.message, /^SHOULD not met \(not failing the run without --strict\): the error carries no message/);
    assert.match(should.children[1].text, /HTTP 400, error type InvalidInputException/);
    const onlyShould: ConformanceReport = { ...sampleReport(), verdict: 'conformant' };
    onlyShould.requirements = onlyShould.requirements.filter((q) => q.class !== 'failed (MUST)');
    assert.equal(junitSuite(toJUnit(onlyShould)).attributes.failures, '0');
  });

  test('known deviation and not shown are skipped with their reason', () => {
    assert.match(caseOf('LDIJ-PAGE-003 (MUST)').children[0].attributes.message, /^known deviation of my-emulator: pages of 200 \(tracked upstream\)/);
    const notShown = cases.find((c) => c.attributes.name === 'a listing of 250 jobs ends')!;
    assert.deepEqual(notShown.children.map((c) => c.name), ['skipped']);
    assert.equal(notShown.children[0].attributes.message, 'not shown (target): could not arrange: CreateDatasetImportJob was refused');
  });

  test('a requirement failed only by what other scenarios saw has a failing test case of its own', () => {
    const report = sampleReport();
    const charged = report.requirements.find((q) => q.id === 'LDIJ-PAGE-001')!;
    Object.assign(charged, { class: 'failed (MUST)', reason: 'a null member', findings: [{ requirement: 'LDIJ-PAGE-001', expected: 'no null', observed: 'a null member', evidence: [], seenIn: 'a page of 7' }] });
    const xml = toJUnit(report);
    const own = elements(parseXml(xml), 'testcase').find((c) => c.attributes.name === 'LDIJ-PAGE-001: findings seen in other scenarios')!;
    assert.equal(own.children[0].name, 'failure');
    assert.match(own.children[0].text, /Seen in: a page of 7/);
    assert.equal(junitSuite(xml).attributes.failures, '2');
  });
});

describe('console', () => {
  const report = sampleReport();

  test('a line per failed requirement with its first reason, also under --quiet; not shown with its cause; known deviations', () => {
    const lines = consoleSummary(report);
    assert.deepEqual(lines.slice(0, 4), [
      'conformance: LDIJ-PAGE-002 failed (MUST): over 2 pages: 1 of 8 jobs missing: cf-1-j8',
      'conformance: LDIJ-ERR-011 failed (SHOULD, not failing the run without --strict): the error carries no message',
      'conformance: LDIJ-PAGE-003 known deviation of my-emulator: pages of 200 (tracked upstream)',
      'conformance: LDIJ-PAGE-004 not shown (the target refused or failed): 1 of 2 scenarios not shown: could not arrange: CreateDatasetImportJob was refused',
    ]);
    const quiet = consoleSummary(report, { quiet: true });
    assert.ok(quiet.includes(lines[0]) && quiet.includes(lines[1]) && quiet.includes(lines[3]));
    assert.ok(!quiet.some((l) => l.includes('known deviation')));
  });

  test('the closing line is one line, names a run that did not finish, and every class even at zero', () => {
    const stopped: ConformanceReport = { ...report, stopped: 'the process running the scenarios crashed (exit 134)\nand more' };
    const line = closingLine(stopped);
    assert.doesNotMatch(line, /\n/);
    assert.match(line, /; not finished: the process running the scenarios crashed \(exit 134\)\\nand more$/);
    assert.deepEqual(fromClosingLine(line), fromJson(stopped));
  });
});

describe('the HTML banner', () => {
  test('opens the body with the verdict, the counts, and the failed and not-shown requirements with their first reason', () => {
    const page = '<!DOCTYPE html><html><head><title>t</title></head><body>\n<div id="content"></div></body></html>';
    const html = withHtmlBanner(page, sampleReport());
    assert.ok(html.startsWith('<!DOCTYPE html><html><head><title>t</title></head><body><section id="conformance-verdict" data-verdict="not conformant"'));
    const banner = htmlBanner(sampleReport());
    assert.match(banner, /<li data-requirement="LDIJ-PAGE-002"><code>LDIJ-PAGE-002<\/code> failed \(MUST\): over 2 pages: 1 of 8 jobs missing: cf-1-j8<\/li>/);
    assert.match(banner, /<li data-requirement="LDIJ-PAGE-004"><code>LDIJ-PAGE-004<\/code> \(MUST\) not shown \(the target refused or failed\): 1 of 2 scenarios not shown/);
  });
});
