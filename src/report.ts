/**
 * The conformance report: from cucumber's message stream (reports/messages.ndjson) and the
 * requirement catalog, each requirement's outcome on the target, as JSON and Markdown.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Outcome = 'passed' | 'failed' | 'not run' | 'skipped' | 'known deviation';

/**
 * A part of a body that belongs to a requirement: body "<operation> response|error" (operation `*`: any);
 * pointer steps `*` (one) and `**` (any number), "" the whole body; keyword "null" matches a null member,
 * "endless" a listing whose token never ended, any other keyword that schema keyword only.
 */
export interface Field { body: string; pointer: string; keyword?: string }

export interface Requirement { id: string; level: 'must' | 'should'; statement: string; source: string; fields?: Field[] }

/** A schema break or null member as a scenario recorded it (src/wire.ts Breach, with array indices as *). */
interface Finding { body: string; pointer: string; keyword: string; text: string }

/** Finding keywords that are not schema keywords: a null member, a listing whose token never ends, a request the contract accepts refused. */
const OBSERVATIONS = new Set(['null', 'endless', 'refused']);

/** Whether the steps of a pointer begin with the pattern's: `*` is one step, `**` any number. */
function pointerMatches(want: string[], got: string[]): boolean {
  if (!want.length) return true;
  const [step, ...rest] = want;
  if (step === '**') return got.some((_, i) => pointerMatches(rest, got.slice(i)));
  return got.length > 0 && (step === '*' || step === got[0]) && pointerMatches(rest, got.slice(1));
}

function fieldMatches(field: Field, f: Finding): boolean {
  const [operation, direction] = field.body.split(' ');
  if ((operation !== '*' && field.body !== f.body) || !f.body.endsWith(` ${direction}`)) return false;
  // Observations (a null member, a listing that never ends) belong only to the fields that name them.
  if (OBSERVATIONS.has(f.keyword) || field.keyword) {
    if (field.keyword !== f.keyword) return false;
  }
  return pointerMatches(field.pointer.split('/').slice(1), f.pointer.split('/').slice(1));
}

/** What a scenario's record says was seen on the wire: its schema breaks and null members. */
function findingsOf(record: Record<string, unknown> | undefined): Finding[] {
  const breaches = (record?.breaches as Finding[] | undefined) ?? [];
  const nulls = ((record?.nullMembers as string[] | undefined) ?? []).map((n) => {
    const [operation, direction, pointer = ''] = n.split(' ');
    return { body: `${operation} ${direction}`, pointer, keyword: 'null', text: `${pointer} is null` };
  });
  return [...breaches, ...nulls];
}

/**
 * Each requirement's charges: the findings in any scenario of the run that break one of its
 * fields, with the scenario they were seen in (a defect in one field fails the requirement of
 * that field, and LDIJ-RESP-010, wherever it shows).
 */
export function chargesByRequirement(catalog: Requirement[], scenarios: { name: string; record?: Record<string, unknown> }[]): Map<string, string[]> {
  const charges = new Map<string, string[]>();
  for (const s of scenarios) {
    for (const f of findingsOf(s.record)) {
      for (const req of catalog) {
        if (!req.fields?.some((field) => fieldMatches(field, f))) continue;
        const list = charges.get(req.id) ?? [];
        const how = ({ null: 'carries a null member', endless: 'hands out tokens that never end', refused: 'was refused' } as Record<string, string>)[f.keyword] ?? 'breaks its schema';
        const text = `${f.body} ${how}: ${f.text} (seen in "${s.name}")`;
        if (!list.some((t) => t.startsWith(text.slice(0, text.indexOf(' (seen in'))))) list.push(text);
        charges.set(req.id, list);
      }
    }
  }
  return charges;
}

export interface ScenarioResult {
  name: string;
  uri: string;
  line?: number;
  status: string;
  requirement?: string;
  message?: string;
  notRunReason?: string;
}

export interface RequirementResult extends Requirement {
  outcome: Outcome;
  scenarios: { name: string; location: string; status: string; reason?: string }[];
  note?: string;
}

/** The implementation under test, as the reports name it. */
export interface Implementation { name: string; version?: string; url?: string }

/** The format of conformance.json (schema: report/conformance.schema.json); a change that breaks readers bumps it. */
export const REPORT_API_VERSION = 'personalize-conformance/v1';

export interface ConformanceReport {
  apiVersion: typeof REPORT_API_VERSION;
  target: string;
  implementation: Implementation;
  /** The target name the known deviations were looked up under (fixtures/known-deviations.json, --deviations). */
  deviationsTarget: string;
  generatedAt: string;
  suiteVersion: string;
  sdkVersion: string;
  contractEdition: string;
  strict: boolean;
  tags?: string;
  summary: {
    scenarios: Record<string, number>;
    requirements: Record<Outcome, number>;
    mustFailed: string[];
    shouldFailed: string[];
    validatedBodies: number;
    apiCalls: number;
  };
  warnings: { unknownMembers: string[]; cleanup: string[] };
  requirements: RequirementResult[];
}

export { ROOT } from './paths';
import { ROOT } from './paths';

export function loadCatalog(): Requirement[] {
  return JSON.parse(readFileSync(join(ROOT, 'features', 'requirements.json'), 'utf8')).requirements;
}

const RANK = ['PASSED', 'SKIPPED', 'PENDING', 'UNDEFINED', 'AMBIGUOUS', 'UNKNOWN', 'FAILED'];
const worst = (a: string, b: string) => (RANK.indexOf(a) >= RANK.indexOf(b) ? a : b);

/** Scenario results, per-scenario records and totals read from a cucumber message stream. */
export function readMessages(file: string) {
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const pickles = new Map<string, { name: string; uri: string; tags: string[]; astNodeIds: string[] }>();
  const scenarioLines = new Map<string, number>();
  const testCases = new Map<string, string>();
  const started = new Map<string, string>();
  const status = new Map<string, string>();
  const messages = new Map<string, string>();
  const records = new Map<string, Record<string, unknown>>();
  const retried = new Set<string>();
  let finished = false;
  for (const line of lines) {
    const m = JSON.parse(line);
    if (m.gherkinDocument) {
      const walk = (node: any) => {
        if (!node || typeof node !== 'object') return;
        if (node.id && node.location && (node.keyword === 'Scenario' || node.keyword === 'Scenario Outline' || node.cells)) scenarioLines.set(node.id, node.location.line);
        for (const v of Object.values(node)) if (typeof v === 'object') walk(v);
      };
      walk(m.gherkinDocument.feature);
    } else if (m.pickle) pickles.set(m.pickle.id, { name: m.pickle.name, uri: m.pickle.uri, tags: m.pickle.tags.map((t: { name: string }) => t.name), astNodeIds: m.pickle.astNodeIds });
    else if (m.testCase) testCases.set(m.testCase.id, m.testCase.pickleId);
    else if (m.testCaseStarted) {
      started.set(m.testCaseStarted.id, m.testCaseStarted.testCaseId);
      status.set(m.testCaseStarted.id, 'PASSED');
    } else if (m.testStepFinished) {
      const id = m.testStepFinished.testCaseStartedId;
      const r = m.testStepFinished.testStepResult;
      status.set(id, worst(status.get(id) ?? 'PASSED', r.status));
      if (r.status === 'FAILED' && r.message && !messages.has(id)) messages.set(id, r.message);
    } else if (m.attachment?.mediaType === 'application/vnd.conformance.scenario+json') {
      records.set(m.attachment.testCaseStartedId, JSON.parse(m.attachment.body));
    } else if (m.testCaseFinished?.willBeRetried) retried.add(m.testCaseFinished.testCaseStartedId);
    else if (m.testRunFinished) finished = true;
  }
  const scenarios: (ScenarioResult & { record?: Record<string, unknown> })[] = [];
  for (const [startedId, testCaseId] of started) {
    if (retried.has(startedId)) continue;
    const pickle = pickles.get(testCases.get(testCaseId)!)!;
    const requirement = pickle.tags.find((t) => t.startsWith('@req:'))?.slice(5);
    const line = pickle.astNodeIds.map((id) => scenarioLines.get(id)).filter((n) => n !== undefined).pop();
    const record = records.get(startedId);
    // A scenario cut short by the run's call budget, by throttling or transport trouble, or by a stopping run was not run, not failed.
    const scenarioStatus = record?.budgetSpent || record?.notRun ? 'SKIPPED' : status.get(startedId)!;
    scenarios.push({
      name: pickle.name, uri: pickle.uri, line, status: scenarioStatus, requirement,
      message: messages.get(startedId), notRunReason: record?.notRunReason as string | undefined, record,
    });
  }
  return { scenarios, finished };
}

export interface Deviation { requirement: string; target: string; observed: string; reason: string }

export function buildReport(opts: {
  messagesFile: string; target: string; targetKind: string; strict: boolean; tags?: string;
  suiteVersion: string; sdkVersion: string; contractEdition: string; excludedTags?: string; deviations?: Deviation[];
  implementation: Implementation;
  /** Why the run stopped before every scenario ran (its deadline, a signal), for the requirements none of whose scenarios began. */
  stoppedBecause?: string;
}): { report: ConformanceReport; finished: boolean; broken: ScenarioResult[] } {
  const { scenarios, finished } = readMessages(opts.messagesFile);
  const catalog = loadCatalog();
  const charges = chargesByRequirement(catalog, scenarios);
  const requirements: RequirementResult[] = catalog.map((req) => {
    const mine = scenarios.filter((s) => s.requirement === req.id);
    const charged = charges.get(req.id) ?? [];
    const deviation = opts.deviations?.find((d) => d.requirement === req.id && d.target === opts.targetKind);
    const list = mine.map((s) => ({
      name: s.name, location: `${s.uri}:${s.line ?? ''}`, status: s.status.toLowerCase(),
      ...(s.status === 'FAILED' && s.message && { reason: s.message.split('\n')[0].slice(0, 300) }),
      ...(s.notRunReason && { reason: s.notRunReason }),
    }));
    let outcome: Outcome;
    let note: string | undefined;
    const executed = mine.filter((s) => s.status !== 'SKIPPED');
    const failedHere = mine.some((s) => s.status !== 'PASSED' && s.status !== 'SKIPPED') || charged.length > 0;
    if (deviation && failedHere) {
      outcome = 'known deviation';
      note = `${deviation.observed} (${deviation.reason})`;
    } else if (failedHere) {
      outcome = 'failed';
      if (charged.length) note = charged.slice(0, 3).join('; ') + (charged.length > 3 ? `; and ${charged.length - 3} more` : '');
    } else if (executed.length) {
      outcome = 'passed';
      const notRun = mine.filter((s) => s.status === 'SKIPPED');
      if (notRun.length) note = `${notRun.length} of ${mine.length} scenarios not run: ${[...new Set(notRun.map((s) => s.notRunReason ?? 'skipped'))].join('; ')}`;
    } else if (mine.length) {
      outcome = 'not run';
      note = [...new Set(mine.map((s) => s.notRunReason ?? 'skipped by a step'))].join('; ');
    } else if (opts.tags) {
      outcome = 'skipped';
      note = `no scenario matched --tags ${opts.tags}`;
    } else {
      outcome = 'not run';
      note = opts.stoppedBecause ? `no scenario ran: ${opts.stoppedBecause}`
        : opts.excludedTags ? `its scenarios do not run on this target (${opts.excludedTags})` : 'no scenario ran';
    }
    return { ...req, outcome, scenarios: list, ...(note && { note }) };
  });

  const scenarioCounts: Record<string, number> = {};
  for (const s of scenarios) scenarioCounts[s.status.toLowerCase()] = (scenarioCounts[s.status.toLowerCase()] ?? 0) + 1;
  const outcomes = { passed: 0, failed: 0, 'not run': 0, skipped: 0, 'known deviation': 0 } as Record<Outcome, number>;
  for (const r of requirements) outcomes[r.outcome]++;
  const unknown = new Set<string>();
  const cleanup: string[] = [];
  let validatedBodies = 0;
  let apiCalls = 0;
  for (const s of scenarios) {
    validatedBodies += Number(s.record?.validatedBodies ?? 0);
    apiCalls += Number(s.record?.apiCalls ?? 0);
    for (const u of (s.record?.unknownMembers as string[] | undefined) ?? []) unknown.add(u);
    cleanup.push(...((s.record?.cleanupProblems as string[] | undefined) ?? []));
  }
  const report: ConformanceReport = {
    apiVersion: REPORT_API_VERSION,
    target: opts.target,
    implementation: opts.implementation,
    deviationsTarget: opts.targetKind,
    generatedAt: new Date().toISOString(),
    suiteVersion: opts.suiteVersion,
    sdkVersion: opts.sdkVersion,
    contractEdition: opts.contractEdition,
    strict: opts.strict,
    ...(opts.tags && { tags: opts.tags }),
    summary: {
      scenarios: scenarioCounts,
      requirements: outcomes,
      mustFailed: requirements.filter((r) => r.level === 'must' && r.outcome === 'failed').map((r) => r.id),
      shouldFailed: requirements.filter((r) => r.level === 'should' && r.outcome === 'failed').map((r) => r.id),
      validatedBodies,
      apiCalls,
    },
    warnings: { unknownMembers: [...unknown].sort(), cleanup },
    requirements,
  };
  const broken = scenarios.filter((s) => ['UNDEFINED', 'AMBIGUOUS', 'PENDING', 'UNKNOWN'].includes(s.status) || (s.status === 'FAILED' && !s.requirement));
  return { report, finished, broken };
}

export function toMarkdown(r: ConformanceReport): string {
  const icon: Record<Outcome, string> = { passed: 'passed', failed: '**FAILED**', 'not run': 'not run', skipped: 'skipped', 'known deviation': 'known deviation' };
  const rows = r.requirements.map((q) => `| ${q.id} | ${q.level.toUpperCase()} | ${icon[q.outcome]} | ${q.statement.replace(/\|/g, '\\|')} | ${q.scenarios.length} | ${(q.note ?? '').replace(/\|/g, '\\|')} |`);
  const failures = r.requirements.filter((q) => q.outcome === 'failed').flatMap((q) => {
    const failed = q.scenarios.filter((s) => s.status === 'failed').map((s) => `- ${q.id}: ${s.name} (${s.location})${s.reason ? `: ${s.reason}` : ''}`);
    return failed.length ? failed : [`- ${q.id}: ${q.note}`]; // charged by a body seen in another requirement's scenario
  });
  return [
    '# ListDatasetImportJobs conformance report',
    '',
    `- Target: ${r.target}`,
    `- Implementation: ${describeImplementation(r.implementation)}`,
    `- Suite ${r.suiteVersion}, @aws-sdk/client-personalize ${r.sdkVersion}`,
    `- Contract: ${r.contractEdition}`,
    `- Generated: ${r.generatedAt}${r.strict ? ' (strict: SHOULD counts as MUST)' : ''}${r.tags ? `, tags ${r.tags}` : ''}`,
    `- Requirements: ${Object.entries(r.summary.requirements).map(([k, v]) => `${v} ${k}`).join(', ')}`,
    `- Scenarios: ${Object.entries(r.summary.scenarios).map(([k, v]) => `${v} ${k}`).join(', ')}; API calls ${r.summary.apiCalls}; response bodies validated against their schemas: ${r.summary.validatedBodies}`,
    '',
    '| Requirement | Level | Outcome | Statement | Scenarios | Note |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    ...(failures.length ? ['## Failures', '', ...failures, ''] : []),
    '## Warnings',
    '',
    r.warnings.unknownMembers.length
      ? `Members the schemas do not know (allowed: clients ignore unknown members; the schemas may need a newer model):\n\n${r.warnings.unknownMembers.map((u) => `- ${u}`).join('\n')}`
      : 'No member outside the schemas was seen.',
    ...(r.warnings.cleanup.length ? ['', 'Cleanup problems:', '', ...r.warnings.cleanup.map((c) => `- ${c}`)] : []),
    '',
  ].join('\n');
}

export function describeImplementation(i: Implementation): string {
  return `${i.name}${i.version ? ` ${i.version}` : ''}${i.url ? ` (${i.url})` : ''}`;
}

const FAILING = new Set(['failed', 'undefined', 'ambiguous', 'pending', 'unknown']);

/**
 * Scenario counts of the closing line: a scenario that failed a requirement with a known deviation
 * of this target counts as a known deviation, never as a failure.
 */
export function scenarioCounts(r: ConformanceReport): { passed: number; failed: number; knownDeviations: number; skipped: number } {
  const knownDeviations = r.requirements.filter((q) => q.outcome === 'known deviation')
    .reduce((n, q) => n + q.scenarios.filter((s) => s.status === 'failed').length, 0);
  return {
    passed: r.summary.scenarios.passed ?? 0,
    failed: (r.summary.scenarios.failed ?? 0) - knownDeviations,
    knownDeviations,
    skipped: r.summary.scenarios.skipped ?? 0,
  };
}

const xml = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)
  // Characters XML 1.0 cannot carry (terminal colour codes in messages).
  .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/**
 * JUnit XML of the report: one test case per scenario, named by its requirement. A known deviation
 * and a scenario that was not run are skipped tests with their reason; only a broken requirement fails.
 */
export function toJUnit(r: ConformanceReport): string {
  const cases: string[] = [];
  let failures = 0;
  let skipped = 0;
  for (const q of r.requirements) {
    for (const s of q.scenarios) {
      const head = `    <testcase classname="${xml(`${q.id} (${q.level.toUpperCase()})`)}" name="${xml(s.name)}" file="${xml(s.location)}">`;
      if (s.status === 'passed') {
        cases.push(`${head}</testcase>`);
      } else if (q.outcome === 'known deviation' && FAILING.has(s.status)) {
        skipped++;
        cases.push(`${head}\n      <skipped message="${xml(`known deviation of ${r.deviationsTarget}: ${q.note ?? ''}`)}"/>\n    </testcase>`);
      } else if (FAILING.has(s.status)) {
        failures++;
        cases.push(`${head}\n      <failure message="${xml(s.reason ?? s.status)}" type="${xml(s.status)}"/>\n    </testcase>`);
      } else {
        skipped++;
        cases.push(`${head}\n      <skipped message="${xml(`not run: ${s.reason ?? s.status}`)}"/>\n    </testcase>`);
      }
    }
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ListDatasetImportJobs conformance" tests="${cases.length}" failures="${failures}" skipped="${skipped}" errors="0">`,
    `  <testsuite name="${xml(`${r.implementation.name} (${r.target})`)}" tests="${cases.length}" failures="${failures}" skipped="${skipped}" errors="0" timestamp="${r.generatedAt}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** Cucumber's HTML report with a line on top naming the target and the implementation under test. */
export function withHtmlBanner(html: string, r: ConformanceReport): string {
  const banner = `<header style="font-family:sans-serif;padding:8px 16px;border-bottom:1px solid #ccc" data-conformance-report="${xml(r.apiVersion)}">`
    + `ListDatasetImportJobs conformance: implementation <strong>${xml(describeImplementation(r.implementation))}</strong>, target <strong>${xml(r.target)}</strong>`
    + `, suite ${xml(r.suiteVersion)}, ${xml(r.generatedAt)}</header>`;
  return html.includes('<body>') ? html.replace('<body>', `<body>${banner}`) : `${banner}${html}`;
}
