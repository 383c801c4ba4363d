/**
 * The conformance report from a run's message stream: each scenario's record (src/verdict.ts,
 * attached by the suite's After hook) decides its outcome; the catalog's fields charge what the wire
 * showed to the requirement it breaks; the classes and the verdict follow (src/report/types.ts).
 * A scenario is passed only when its record says so: one that started and never finished, or that
 * left no record, is not shown, with the cause.
 */
import { readFileSync } from 'node:fs';
import type { Envelope, Timestamp } from '@cucumber/messages';
import type { Charge, Finding, NotShownCause, ScenarioRecord } from '../verdict';
import { SCENARIO_RECORD_MEDIA_TYPE } from '../verdict';
import {
  REPORT_API_VERSION, REQUIREMENT_CLASSES,
  type BuildInput, type ClassCounts, type ConformanceReport, type Field, type Level, type Requirement, type RequirementClass, type RequirementResult, type ScenarioClass, type ScenarioResult,
} from './types';

/** Observations that are not schema keywords: a null member, a listing whose token never ends, a request the contract accepts refused, jobs of one status left out of listings, jobs lost between pages, other datasets' jobs in a dataset's listing, a page larger than its request asked for. */
export const OBSERVATIONS = new Set(['null', 'endless', 'refused', 'status-hidden', 'dropped-by-paging', 'other-datasets-jobs', 'over-max-results']);

/** Whether the steps of a pointer begin with the pattern's: `*` is one step, `**` any number. */
function pointerMatches(want: string[], got: string[]): boolean {
  if (!want.length) return true;
  const [step, ...rest] = want;
  if (step === '**') return got.some((_, i) => pointerMatches(rest, got.slice(i)));
  return got.length > 0 && (step === '*' || step === got[0]) && pointerMatches(rest, got.slice(1));
}

export function fieldMatches(field: Field, c: Pick<Charge, 'body' | 'pointer' | 'keyword'>): boolean {
  const [operation, direction] = field.body.split(' ');
  if ((operation !== '*' && field.body !== c.body) || !c.body.endsWith(` ${direction}`)) return false;
  // Observations (a null member, a listing that never ends) belong only to the fields that name them.
  if (OBSERVATIONS.has(c.keyword) || field.keyword) {
    if (field.keyword !== c.keyword) return false;
  }
  return pointerMatches(field.pointer.split('/').slice(1), c.pointer.split('/').slice(1));
}

const HOW: Record<string, string> = { null: 'carries a null member', endless: 'hands out tokens that never end', refused: 'was refused', 'status-hidden': 'leaves out jobs of one status', 'dropped-by-paging': 'loses jobs between its pages', 'other-datasets-jobs': "lists other datasets' jobs for one dataset", 'over-max-results': 'holds more jobs than maxResults asked for' };
const EXPECTED: Record<string, string> = { null: 'to carry no null member', endless: 'to end', refused: 'to be accepted', 'status-hidden': 'to list jobs whatever their status', 'dropped-by-paging': 'to list every job, however it is paged', 'other-datasets-jobs': 'to list only the jobs of the dataset asked for', 'over-max-results': 'to hold no more jobs than maxResults asks for' };

/** A charge as a finding of the requirement whose field it breaks. */
function chargeFinding(req: Requirement, c: Charge, seenIn: string): Finding {
  return {
    requirement: req.id,
    expected: `the ${c.body} ${EXPECTED[c.keyword] ?? `to match its schema at ${c.pointer || '(root)'}`}`,
    observed: `${c.body} ${HOW[c.keyword] ?? 'breaks its schema'}: ${c.text}`,
    evidence: c.evidence,
    ...(c.reproduce && { reproduce: c.reproduce }),
    seenIn,
  };
}

interface Pickle { id: string; name: string; uri: string; tags: string[]; astNodeIds: string[] }
interface Started { pickleId: string; record?: ScenarioRecord; finished: boolean; willBeRetried: boolean; startedAt?: number; finishedAt?: number }

function seconds(t: Timestamp | undefined): number | undefined {
  return t ? Number(t.seconds) + Number(t.nanos) / 1e9 : undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** What the message stream holds: every pickle, which were selected, what each started scenario recorded. */
export function readMessages(file: string) {
  const pickles = new Map<string, Pickle>();
  const scenarioLines = new Map<string, number>();
  const selected = new Set<string>();
  const testCases = new Map<string, string>();
  const started = new Map<string, Started>();
  let finished = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    let m: Envelope;
    try {
      m = JSON.parse(line) as Envelope; // cucumber's message formatter writes one Envelope a line
    } catch {
      continue; // a line torn by a process that died while writing it
    }
    if (m.gherkinDocument) {
      const walk = (node: unknown) => {
        if (!isRecord(node)) return;
        if (typeof node.id === 'string' && node.id && isRecord(node.location) && typeof node.location.line === 'number' && (node.keyword === 'Scenario' || node.keyword === 'Scenario Outline' || node.cells)) scenarioLines.set(node.id, node.location.line);
        for (const v of Object.values(node)) if (typeof v === 'object') walk(v);
      };
      walk(m.gherkinDocument.feature);
    } else if (m.pickle) {
      pickles.set(m.pickle.id, { id: m.pickle.id, name: m.pickle.name, uri: m.pickle.uri, tags: m.pickle.tags.map((t) => t.name), astNodeIds: [...m.pickle.astNodeIds] });
    } else if (m.testCase) {
      testCases.set(m.testCase.id, m.testCase.pickleId);
      selected.add(m.testCase.pickleId);
    } else if (m.testCaseStarted) {
      started.set(m.testCaseStarted.id, { pickleId: testCases.get(m.testCaseStarted.testCaseId) ?? '', finished: false, willBeRetried: false, startedAt: seconds(m.testCaseStarted.timestamp) });
    } else if (m.attachment?.mediaType === SCENARIO_RECORD_MEDIA_TYPE) {
      const s = started.get(m.attachment.testCaseStartedId ?? '');
      if (s) s.record = JSON.parse(m.attachment.body) as ScenarioRecord; // the steps attach their record under this media type
    } else if (m.testCaseFinished) {
      const s = started.get(m.testCaseFinished.testCaseStartedId);
      if (s) Object.assign(s, { finished: true, willBeRetried: !!m.testCaseFinished.willBeRetried, finishedAt: seconds(m.testCaseFinished.timestamp) });
    } else if (m.testRunFinished) finished = true;
  }
  const lineOf = (p: Pickle) => p.astNodeIds.map((id) => scenarioLines.get(id)).filter((n) => n !== undefined).pop();
  return { pickles, selected, started: [...started.values()].filter((s) => !s.willBeRetried), finished, lineOf };
}

const requirementOf = (p: Pickle) => p.tags.find((t) => t.startsWith('@req:'))?.slice(5) ?? '';

/** The one-line reason of a finding. */
const reasonOf = (f: Finding) => f.observed.split('\n')[0];

function emptyCounts(): ClassCounts {
  return Object.fromEntries(REQUIREMENT_CLASSES.map((c) => [c, 0])) as ClassCounts; // one entry for each class
}

export function buildReport(input: BuildInput): ConformanceReport {
  const { pickles, selected, started, finished, lineOf } = readMessages(input.messagesFile);
  const catalog = input.catalog;
  const level = new Map<string, Level>(catalog.map((r) => [r.id, r.level]));
  const deviationOf = (id: string) => input.deviations.find((d) => d.requirement === id && d.target === input.deviationsTarget);
  const stoppedOrCrashed = (): { cause: NotShownCause; reason: string } => (input.crashed
    ? { cause: 'crash', reason: `the process running the scenarios ended before this one finished (${input.crashed})` }
    : input.stopped ? { cause: 'stopped', reason: `${input.stopped}: the scenario did not finish` }
      : { cause: 'crash', reason: 'the scenario started but never finished (the process running it ended)' });

  // Every selected scenario: its record, or why it has none.
  const scenarios: (ScenarioResult & { charges: Charge[]; record?: ScenarioRecord })[] = [];
  const startedByPickle = new Map<string, Started>();
  for (const s of started) startedByPickle.set(s.pickleId, s);
  for (const pickleId of selected) {
    const p = pickles.get(pickleId);
    if (!p) continue;
    const requirement = requirementOf(p);
    const lvl = level.get(requirement) ?? 'must';
    const s = startedByPickle.get(pickleId);
    const base = { name: p.name, location: `${p.uri}:${lineOf(p) ?? ''}`, requirement, level: lvl };
    const record = s?.finished ? s.record : undefined;
    let cls: ScenarioClass;
    let notShown: ScenarioResult['notShown'];
    const findings: Finding[] = record?.failures ?? [];
    if (!s) notShown = input.stopped || input.crashed ? stoppedOrCrashed() : { cause: 'crash', reason: 'the scenario was selected but never started' };
    else if (!s.finished) notShown = stoppedOrCrashed();
    else if (!record) notShown = { cause: 'suite', reason: 'a defect of the suite: the scenario finished without a record of its outcome' };
    else if (record.outcome === 'not shown') notShown = { cause: record.notShown?.cause ?? 'suite', reason: record.notShown?.reason ?? 'not shown' };
    if (notShown) cls = 'not shown';
    else if (record!.outcome === 'failed') cls = deviationOf(requirement) ? 'known deviation' : lvl === 'must' ? 'failed (MUST)' : 'failed (SHOULD)';
    else cls = 'passed';
    const seconds = s?.startedAt !== undefined && s.finishedAt !== undefined ? Math.round((s.finishedAt - s.startedAt) * 1000) / 1000 : undefined;
    scenarios.push({
      ...base, class: cls, findings, charges: record?.charges ?? [], record,
      ...(notShown && { notShown, reason: notShown.reason.split('\n')[0] }),
      ...(findings[0] && { reason: reasonOf(findings[0]) }),
      ...(seconds !== undefined && { seconds }),
    });
  }

  // Charges go to the requirement of the field they break, wherever they were seen.
  const charged = new Map<string, Finding[]>();
  for (const s of scenarios) {
    for (const c of s.charges) {
      for (const req of catalog) {
        if (!req.fields?.some((f) => fieldMatches(f, c))) continue;
        const list = charged.get(req.id) ?? [];
        const finding = chargeFinding(req, c, `${s.name} (${s.location})`);
        if (!list.some((f) => f.observed === finding.observed)) list.push(finding);
        charged.set(req.id, list);
      }
    }
  }

  const requirements: RequirementResult[] = catalog.map((req) => {
    const mine = scenarios.filter((s) => s.requirement === req.id);
    const findings = [...mine.flatMap((s) => s.findings), ...(charged.get(req.id) ?? [])];
    const deviation = deviationOf(req.id);
    const failed = findings.length > 0 || mine.some((s) => s.class.startsWith('failed') || s.class === 'known deviation');
    const notShown = mine.filter((s) => s.class === 'not shown');
    let cls: RequirementClass;
    let reason: string | undefined;
    if (failed && deviation) [cls, reason] = ['known deviation', `${deviation.observed} (${deviation.reason})`];
    else if (failed) [cls, reason] = [req.level === 'must' ? 'failed (MUST)' : 'failed (SHOULD)', findings[0] ? reasonOf(findings[0]) : mine.find((s) => s.reason)?.reason];
    else if (notShown.length) [cls, reason] = ['not shown', `${notShown.length} of ${mine.length} scenarios not shown: ${notShown[0].notShown!.reason.split('\n')[0]}`];
    else if (mine.length) cls = 'passed';
    else [cls, reason] = ['not selected', input.selection ? `no scenario of it was selected (${input.selection})` : 'no scenario of it was selected'];
    const scenarioResults: ScenarioResult[] = mine.map(({ charges: _c, record: _r, ...s }) => s);
    return {
      ...req, class: cls, findings, scenarios: scenarioResults,
      ...(reason && { reason }),
      ...(notShown.length && !failed && { notShownCauses: [...new Set(notShown.map((s) => s.notShown!.cause))] }),
      ...(failed && deviation && { deviation: { observed: deviation.observed, reason: deviation.reason } }),
    };
  });

  const order = (c: RequirementClass) => REQUIREMENT_CLASSES.indexOf(c);
  requirements.sort((a, b) => order(a.class) - order(b.class));
  const counts = emptyCounts();
  for (const r of requirements) counts[r.class]++;
  const scenarioCounts = emptyCounts();
  for (const s of scenarios) scenarioCounts[s.class]++;
  const { 'not selected': _notSelected, ...scenarioClassCounts } = scenarioCounts;
  const mustFailed = requirements.filter((r) => r.class === 'failed (MUST)').map((r) => r.id);
  const shouldFailed = requirements.filter((r) => r.class === 'failed (SHOULD)').map((r) => r.id);
  const mustNotShown = requirements.filter((r) => r.class === 'not shown' && r.level === 'must').map((r) => r.id);
  const shouldNotShown = requirements.filter((r) => r.class === 'not shown' && r.level === 'should').map((r) => r.id);

  let verdict: ConformanceReport['verdict'];
  let verdictReason: string;
  const failing = [...mustFailed, ...(input.strict ? shouldFailed : [])];
  const unshown = [...mustNotShown, ...(input.strict ? shouldNotShown : [])];
  if (failing.length) [verdict, verdictReason] = ['not conformant', `${failing.length} requirement${failing.length > 1 ? 's' : ''} failed: ${failing.join(', ')}`];
  else if (unshown.length) [verdict, verdictReason] = ['incomplete', `nothing failed, but ${unshown.length} ${input.strict ? '' : 'MUST '}requirement${unshown.length > 1 ? 's were' : ' was'} not shown: ${unshown.join(', ')}`];
  else if (!scenarios.length) [verdict, verdictReason] = ['incomplete', 'no scenario was selected'];
  // A verdict is a claim with evidence: with no MUST selected, SHOULDs that were all not shown show nothing.
  else if (!counts.passed && !counts['known deviation'] && !counts['failed (SHOULD)']) [verdict, verdictReason] = ['incomplete', `no selected requirement was shown: ${shouldNotShown.join(', ')}`];
  else [verdict, verdictReason] = ['conformant', `every selected ${input.strict ? '' : 'MUST '}requirement passed${counts['not selected'] ? ` (${counts['not selected']} not selected)` : ''}`];

  const unknown = new Set<string>();
  const cleanup: string[] = [];
  let validatedBodies = 0;
  let apiCalls = 0;
  for (const s of scenarios) {
    validatedBodies += s.record?.validatedBodies ?? 0;
    apiCalls += s.record?.apiCalls ?? 0;
    for (const u of s.record?.unknownMembers ?? []) unknown.add(u);
    cleanup.push(...(s.record?.cleanupProblems ?? []));
  }
  return {
    apiVersion: REPORT_API_VERSION,
    verdict,
    verdictReason,
    ...(input.acceptsIncomplete && { acceptsIncomplete: input.acceptsIncomplete }),
    target: input.target,
    implementation: input.implementation,
    deviationsTarget: input.deviationsTarget,
    generatedAt: new Date().toISOString(),
    suiteVersion: input.suiteVersion,
    sdkVersion: input.sdkVersion,
    contractEdition: input.contractEdition,
    strict: input.strict,
    ...(input.selection && { selection: input.selection }),
    summary: {
      requirements: counts,
      scenarios: scenarioClassCounts,
      mustFailed,
      shouldFailed,
      mustNotShown,
      apiCalls,
      validatedBodies,
      ...(input.seconds !== undefined && { seconds: input.seconds }),
    },
    ...((input.stopped || input.crashed || !finished) && { stopped: input.crashed ? `the process running the scenarios crashed (${input.crashed})` : input.stopped ?? 'the run did not finish' }),
    warnings: { unknownMembers: [...unknown].sort(), cleanup },
    requirements,
  };
}

/** Scenarios not shown because the suite itself failed or a process crashed: a run error, whatever else the run showed. */
export function runErrors(report: ConformanceReport): string[] {
  return report.requirements.flatMap((r) => r.scenarios.filter((s) => s.notShown && (s.notShown.cause === 'suite' || s.notShown.cause === 'crash')).map((s) => `${s.name} (${s.location}): ${s.notShown!.reason.split('\n')[0]}`));
}
