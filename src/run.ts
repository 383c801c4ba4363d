import './quiet-sdk-warning';
/**
 * The runner: runs the conformance suite against each target (cucumber in a child process, with
 * the target's settings in one file) and writes the reports; `--help` lists every option. Its
 * exit code is the report's verdict (src/report/types.ts EXIT_CODES): 0 conformant, 1 not
 * conformant, 2 configuration, 3 incomplete (0 where the profile accepts it), 4 run error,
 * 130/143 interrupted.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { contractEdition } from '../schemas';
import { FIXTURES, loadDataSets, loadValidatedJson } from './fixtures';
import { recordingsLabel } from './recording';
import { terminal as forTerminal } from './escape';
import { redactConsole, redactFiles, redactText } from './redact';
import {
  buildReport, closingLine, consoleSummary, describeImplementation, EXIT_CODES, loadCatalog, ROOT, runErrors, toJUnit, toMarkdown, withHtmlBanner,
  type ConformanceReport, type Deviation, type Implementation,
} from './report';
import { claimReportsFolders, privateRunFolder, publish, writeReport } from './reports-folder';
import {
  BIN_NAMES, ConfigurationError, helpText, packageVersion, prepareSdkEnvironment, readSettings, resolveRegion, resolveSuiteConfig, versionText, worldParametersFor, writeSettingsFile,
  type Environment, type Settings, type SuiteConfig, type TargetKind,
} from './settings';
import { crashOf, DEADLINE_REASON, handleStopSignals, runChild, runStop, stopReserve, Terminal } from './supervise';
import { checkBudget, handOver, planRun, planText, secondAccountOf } from './arrange/runner';
import { notStartedMessages } from './arrange/pickles';

function versionOf(pkgDir: string): string {
  try {
    return (JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version; // a package's package.json has its version
  } catch {
    return 'unknown';
  }
}

function sdkVersion(): string {
  try {
    return versionOf(dirname(require.resolve('@aws-sdk/client-personalize/package.json', { paths: [ROOT] })));
  } catch {
    return versionOf(join(ROOT, 'node_modules', '@aws-sdk', 'client-personalize'));
  }
}

/** Known deviations (the suite's own file, or --deviations FILE), checked against their schema. */
function loadDeviations(s: Settings, cwd: string): { file: string; deviations: Deviation[] } {
  const given = s.get('deviations');
  const path = given ? resolve(cwd, given) : join(FIXTURES, 'known-deviations.json');
  if (!existsSync(path)) {
    if (given) throw new ConfigurationError(`${s.as('deviations')}: no such file.`);
    return { file: path, deviations: [] };
  }
  return { file: path, deviations: loadValidatedJson<{ deviations: Deviation[] }>(path, 'known-deviations.schema.json').deviations };
}

function printCatalog(): void {
  for (const r of loadCatalog()) console.log(`${r.id}  ${r.level.toUpperCase().padEnd(6)} ${r.statement}`);
}

/** The tag expression of --tags and --requirement together; an unknown requirement id is a configuration error. */
function selection(s: Settings): string | undefined {
  const requirements = s.get('requirement') ?? [];
  const known = new Set(loadCatalog().map((r) => r.id));
  const unknown = requirements.filter((id) => !known.has(id));
  if (unknown.length) throw new ConfigurationError(`--requirement ${unknown.join(',')}: no such requirement (--list-requirements prints the catalog).`);
  const byId = requirements.length ? requirements.map((id) => `@req:${id}`).join(' or ') : undefined;
  const tags = s.get('tags');
  if (tags && byId) return `(${tags}) and (${byId})`;
  return tags ?? byId;
}

/** Fails with one line, before any scenario runs, when the reference service's faults or variant name something unknown. */
function checkReferenceSetup(s: Settings): void {
  for (const key of ['faults', 'variant'] as const) {
    const value = s.get(key);
    if (!value) continue;
    // Loaded only here: a run without faults or a variant does not need the model in this process.
    const { createReferenceFrontEnd } = require('../reference-service') as typeof import('../reference-service');
    try {
      createReferenceFrontEnd({ [key]: value });
    } catch (e) {
      throw new ConfigurationError(`${s.as(key)}: ${(e as Error).message}`); // the reference service throws Errors
    }
  }
}

/** The scenarios a run would execute: a tag syntax error or an empty selection ends the run before it starts. */
async function checkSelection(profile: string, tags: string | undefined): Promise<void> {
  // A profile's own selection is the suite's, never empty (tests/cli.test.ts): only a user's tags are checked, which costs loading cucumber's sources.
  if (!tags) return;
  const { loadConfiguration, loadSources } = await import('@cucumber/cucumber/api');
  const { runConfiguration } = await loadConfiguration({ profiles: [profile], provided: { tags } }, { cwd: ROOT });
  let planned: number;
  try {
    planned = (await loadSources(runConfiguration.sources, { cwd: ROOT })).plan.length;
  } catch (e) {
    const cause = ((e as Error & { cause?: Error }).cause ?? (e as Error)).message; // cucumber throws an Error, whose cause the tag parser's
    throw new ConfigurationError(`--tags ${tags}: not a tag expression (${cause.replace(/^.*because of /, '')})`);
  }
  if (planned === 0) {
    throw new ConfigurationError(`no scenario is selected by ${runConfiguration.sources.tagExpression || 'the profile'} (profile ${profile}); check --tags and --requirement.`);
  }
}

/** Scenarios that failed a requirement (MUST, SHOULD or a known deviation). */
function sumsFailed(report: ConformanceReport): number {
  const c = report.summary.scenarios;
  return c['failed (MUST)'] + c['failed (SHOULD)'] + c['known deviation'];
}

/** Who is under test, for the reports: the flags, else what the target says about itself. */
function implementationFor(target: TargetKind, s: Settings): Implementation {
  const given = { name: s.get('implementationName'), version: s.get('implementationVersion'), url: s.get('implementationUrl') };
  const known: Partial<Record<TargetKind, Implementation>> = {
    mock: { name: 'reference service (in-process mock)', version: packageVersion() },
    replay: { name: 'recorded exchanges (replay)', version: packageVersion() },
    aws: { name: 'Amazon Personalize', url: 'https://aws.amazon.com/personalize/' },
  };
  const fallback = known[target] ?? { name: 'unnamed implementation (set --implementation-name)' };
  const set = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Partial<Implementation>; // given's entries, less the unset
  return given.name ? { ...set, name: given.name } : { ...fallback, ...set, name: fallback.name };
}

function describeTarget(config: SuiteConfig): string {
  const { variant, faults } = config.reference;
  if (config.target === 'mock') return `in-process mock (reference service${variant ? `, variant ${variant}` : ''}${faults ? `, faults ${faults}` : ''})`;
  if (config.target === 'endpoint') return `endpoint ${config.endpoint}, region ${config.region}`;
  if (config.target === 'replay') return `replay of ${recordingsLabel(config.recordings.dir)} (no network)`;
  return `${config.endpoint ? `the default credential chain's account at ${config.endpoint}` : 'AWS account (default credential chain)'}, region ${config.region}`;
}

/** The cleanup command that exists where the user runs: the checkout's npm script, or the installed package's bin. */
export function cleanupCommand(prefix: string, cwd = process.cwd()): string {
  if (!existsSync(join(ROOT, 'src', 'run.ts'))) return `npx ${BIN_NAMES.cleanup} --prefix ${prefix}`;
  return resolve(cwd) === ROOT ? `npm run cleanup -- --prefix ${prefix}` : `node ${join(ROOT, 'bin', 'cleanup.js')} --prefix ${prefix}`;
}

/** Why this run accepts an incomplete verdict, if it does (the closing line says so). */
function acceptance(s: Settings, target: TargetKind): string | undefined {
  if (!s.get('acceptIncomplete', target)) return undefined;
  if (s.source('acceptIncomplete')) return `asked for (${s.as('acceptIncomplete')})`;
  if (s.get('smoke')) return "the smoke run shows what the account's data and its call budget allow";
  return 'a replay shows what the recordings hold';
}

/** The exit code of a target's run: its verdict, a run error, or the signal that stopped it. */
export function exitCodeOf(report: ConformanceReport, runError: boolean): number {
  if (runStop.signal) return runStop.signal === 'SIGINT' ? EXIT_CODES.SIGINT : EXIT_CODES.SIGTERM;
  if (report.verdict === 'not conformant') return EXIT_CODES['not conformant'];
  if (runError) return EXIT_CODES['run error'];
  if (report.verdict === 'incomplete') return report.acceptsIncomplete ? EXIT_CODES.conformant : EXIT_CODES.incomplete;
  return EXIT_CODES.conformant;
}

/** When the run must end (CONFORMANCE_RUN_TIMEOUT_MS), set by runSuite. */
let deadlineAt: number | undefined;

export async function main(argv: string[]): Promise<number> {
  redactConsole();
  handleStopSignals();
  return runSuite(argv);
}

type Counts = { passed: number; failed: number; knownDeviations: number; notShown: number };

/** The run itself, without the process-wide console redaction and signal handling of main (tests call it with their own environment). */
export async function runSuite(argv: string[], env?: Environment, cwd = process.cwd()): Promise<number> {
  const s = readSettings('conformance', argv, env);
  if (s.get('help')) {
    console.log(helpText('conformance'));
    return 0;
  }
  if (s.get('version')) {
    console.log(versionText('conformance'));
    return 0;
  }
  if (s.get('listRequirements')) {
    printCatalog();
    return 0;
  }
  prepareSdkEnvironment();
  checkReferenceSetup(s);
  const tags = selection(s);
  const deviations = loadDeviations(s, cwd);
  const targets = s.get('target')!;
  // Every target's settings are checked before the first one runs.
  const configs: SuiteConfig[] = [];
  for (const target of targets) configs.push(resolveSuiteConfig(s, target, await resolveRegion(s, target), cwd));
  loadDataSets();
  const profiles = configs.map((c) => (s.get('smoke') ? 'smoke' : s.get('readonly') || !c.allowWrites ? 'readonly' : 'default'));
  for (const profile of new Set(profiles)) await checkSelection(profile, tags);
  const folders = claimReportsFolders(s.get('reports')!, s.source('reports') === 'flag', targets, cwd);
  const terminal = new Terminal();
  try {
    for (const note of folders.notes) terminal.line(`conformance: ${note}`);
    // One deadline for the whole invocation, however many targets it runs.
    deadlineAt = configs[0].runTimeoutMs ? Date.now() + configs[0].runTimeoutMs : undefined;
    let worst = 0;
    const total: Counts = { passed: 0, failed: 0, knownDeviations: 0, notShown: 0 };
    for (const [i, config] of configs.entries()) {
      if (runStop.reason && i > 0) {
        terminal.line(`conformance: target ${config.target} not run: ${runStop.reason}`);
        continue;
      }
      const r = await runTarget(s, config, profiles[i], folders.folderOf(i, config.target), tags, deviations, terminal);
      worst = Math.max(worst, r.code);
      for (const k of Object.keys(total) as (keyof Counts)[]) total[k] += r.counts[k]; // total is a Counts: its keys are Counts'
    }
    if (targets.length > 1) {
      terminal.line(`\n${total.passed} passed, ${total.failed} failed${total.knownDeviations ? `, ${total.knownDeviations} known deviations` : ''}${total.notShown ? `, ${total.notShown} not shown` : ''} (scenarios of ${targets.length} targets)`);
    }
    return worst;
  } finally {
    folders.release();
  }
}

async function runTarget(
  s: Settings, config: SuiteConfig, profile: string, reports: string, tags: string | undefined,
  known: { file: string; deviations: Deviation[] }, terminal: Terminal,
): Promise<{ code: number; counts: Counts }> {
  const quiet = s.get('quiet') === true;
  const none = { passed: 0, failed: 0, knownDeviations: 0, notShown: 0 };
  // The run's data, planned from the selected scenarios and said before anything is created (src/arrange/runner.ts).
  const writes = profile === 'default';
  const planOnly = s.get('plan') === true;
  const { plan, pickles } = planRun(config, { profile, tags, writes, planOnly, hasSecondAccount: secondAccountOf(config) });
  if (planOnly || (config.target === 'aws' && writes && plan)) {
    for (const line of planText(config, plan!, pickles!, s.get('assumeImportMinutes'))) terminal.line(`conformance: ${line}`);
    if (planOnly) return { code: EXIT_CODES.conformant, counts: none };
    checkBudget(plan!, { budget: s.get('importJobBudget', config.target), acceptPlan: s.get('acceptPlan') === true });
  }
  if (config.allowWrites && config.target !== 'mock') {
    terminal.line(`conformance: resources of this run are named ${config.runPrefix}-… and tagged conformance-run=${config.runPrefix} (${cleanupCommand(config.runPrefix)} removes leftovers)`);
  }
  // The preflight's requests count against the run's call budget too; it (and the SDK it loads) only for a target over the network.
  const preflightCalls = config.target === 'endpoint' || config.target === 'aws' ? await (await import('./preflight')).preflight(config) : 0;
  const graceMs = s.get('stopGraceMs', config.target)!;
  const own = privateRunFolder(reports);
  try {
    const arrangeBy = deadlineAt !== undefined ? deadlineAt - (deadlineAt - Date.now()) / 3 : undefined;
    // The shared data, arranged once for the run (a network target) or handed to each cucumber process as a plan (the mock).
    const handed = await handOver(config, plan, {
      writes, keep: config.keepFixtures, runDir: own, recordFile: join(reports, 'created-resources.jsonl'), terminal,
      // Arranging gives up a third of the run's time before its deadline: deleting what it made and writing the reports need it.
      stopped: () => runStop.reason ?? (arrangeBy !== undefined && Date.now() > arrangeBy ? DEADLINE_REASON : undefined),
    });
    const messagesFile = join(own, 'messages.ndjson');
    const htmlFile = join(own, 'cucumber.html');
    // Stopped while arranging (a signal, or the deadline): no scenario starts, what was made is deleted, and the
    // report lists every selected scenario as not shown (stopped).
    if (!runStop.reason && arrangeBy !== undefined && Date.now() >= arrangeBy) runStop.reason = DEADLINE_REASON;
    const stoppedArranging = runStop.reason !== undefined;
    if (stoppedArranging) {
      writeFileSync(messagesFile, notStartedMessages(profile, tags));
      terminal.line(`conformance: ${runStop.reason} while arranging the shared data: no scenario was started`);
    }
    // The preflight's and the arranging's requests count against the run's call budget too.
    const settingsFile = writeSettingsFile(own, {
      ...config, preflightCalls: preflightCalls + handed.arrangingCalls, arrangementFile: handed.file, ...(deadlineAt && { runDeadlineAt: deadlineAt - stopReserve(deadlineAt) }),
    });
    const parallel = s.get('parallel')!;
    const args = [
      join(dirname(require.resolve('@cucumber/cucumber/package.json')), 'bin', 'cucumber.js'),
      '-p', profile,
      '--world-parameters', JSON.stringify(worldParametersFor(settingsFile)),
      '--format', `html:${htmlFile}`,
      '--format', `message:${messagesFile}`,
      ...(quiet ? [] : ['--format', 'progress']),
      ...(tags ? ['--tags', tags] : []),
      ...(parallel > 1 ? ['--parallel', String(parallel)] : []),
    ];
    const started = Date.now();
    // Cucumber prints progress and its summary whenever no formatter writes to stdout: --quiet drops that
    // stdout (warnings stay on stderr; everything else is in the reports).
    const child = stoppedArranging ? undefined : await runChild(args, { cwd: ROOT, deadlineAt, graceMs, quiet, messagesFile, terminal });
    if (!existsSync(messagesFile)) {
      await handed.finish({ keepResources: config.keepResources, reports, quiet });
      terminal.line(`conformance: run error: cucumber ended (${child?.signal ?? `exit ${child?.status}`}) before it wrote a message stream: no report`);
      return { code: runStop.signal ? (runStop.signal === 'SIGINT' ? EXIT_CODES.SIGINT : EXIT_CODES.SIGTERM) : EXIT_CODES['run error'], counts: none };
    }
    const crashed = child && crashOf(child, graceMs);
    const acceptsIncomplete = acceptance(s, config.target);
    const report = buildReport({
      messagesFile, catalog: loadCatalog(), target: describeTarget(config), implementation: implementationFor(config.target, s),
      deviationsTarget: s.get('deviationsTarget') ?? config.target, deviations: known.deviations, strict: config.strict,
      selection: [tags, profile !== 'default' ? `${profile} profile: @writes scenarios are left out where the suite may not write` : undefined].filter(Boolean).join('; ') || undefined,
      ...(acceptsIncomplete && { acceptsIncomplete }),
      suiteVersion: packageVersion(), sdkVersion: sdkVersion(), contractEdition,
      ...(runStop.reason && { stopped: runStop.reason }),
      ...(crashed && { crashed }),
      seconds: Math.round((Date.now() - started) / 100) / 10,
    });
    // Where a scenario failed and the run keeps failed data, the shared data its reproduction commands read stays too.
    const keptForFailures = config.keepFailed && !config.keepResources && (sumsFailed(report) > 0);
    const arranged = await handed.finish({ keepResources: config.keepResources || keptForFailures, reports, quiet });
    for (const p of arranged.problems) terminal.line(`cleanup: ${forTerminal(redactText(p))}`);
    if (keptForFailures && config.allowWrites) terminal.line(`conformance: the data of the failed scenarios, and the run's shared data, were kept so that the reports' reproduction commands find them (--keep-failed); ${cleanupCommand(config.runPrefix)} removes them`);
    // Reports may be published: no account id, key or token of the target stays in them. Written whole, then moved in.
    writeReport(reports, 'conformance.json', redactText(JSON.stringify(report, null, 2) + '\n'));
    writeReport(reports, 'conformance.md', redactText(toMarkdown(report)));
    writeReport(reports, 'junit.xml', redactText(toJUnit(report)));
    if (existsSync(htmlFile)) writeFileSync(htmlFile, withHtmlBanner(readFileSync(htmlFile, 'utf8'), report));
    redactFiles([htmlFile, messagesFile]);
    if (existsSync(htmlFile)) publish(htmlFile, reports);
    publish(messagesFile, reports);

    const sums = report.summary;
    const errors = runErrors(report);
    terminal.line(`\nconformance: target ${forTerminal(redactText(report.target))}; implementation ${forTerminal(describeImplementation(report.implementation))}`);
    terminal.line(`conformance: API calls made by the scenarios: ${sums.apiCalls}${arranged.summary.arranging.calls ? `, by arranging the shared data: ${arranged.summary.arranging.calls}` : ''}${preflightCalls ? `, by the preflight: ${preflightCalls}` : ''}${config.callBudget ? ` (budget ${config.callBudget}, for all)` : ''}; response bodies validated: ${sums.validatedBodies}`);
    // Each failed requirement with its first reason (under --quiet too), then the closing line, last.
    for (const line of consoleSummary(report, { quiet })) terminal.line(line);
    if (crashed) terminal.line(`conformance: run error: ${crashed}; the scenarios it had not finished are not shown (crash)`);
    for (const e of errors.slice(0, 5)) terminal.line(`conformance: run error: ${forTerminal(redactText(e))}`);
    if (errors.length > 5) terminal.line(`conformance: run error: and ${errors.length - 5} more (see conformance.md)`);
    terminal.line(`conformance: reports in ${reports} (conformance.md, conformance.json, cucumber.html, junit.xml)`);
    terminal.line(closingLine(report));
    const counts = {
      passed: sums.scenarios.passed, failed: sums.scenarios['failed (MUST)'] + sums.scenarios['failed (SHOULD)'],
      knownDeviations: sums.scenarios['known deviation'], notShown: sums.scenarios['not shown'],
    };
    return { code: exitCodeOf(report, crashed !== undefined || errors.length > 0), counts };
  } finally {
    // The private folder goes, whatever happened: its settings file may hold a second account's secret.
    rmSync(own, { recursive: true, force: true });
  }
}
