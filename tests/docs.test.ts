/**
 * The README and the examples say what the code does:
 * - the README is short (under 250 lines), starts with `npm ci` and `npm test`, and tells no history;
 * - its requirement counts (MUST and SHOULD per area) are the catalog's, read as --list-requirements prints it;
 * - the configuration tables of docs/configuration.md are the ones src/settings.ts makes;
 * - every command of its ```sh blocks runs as written, in a temp copy of the checkout, against the
 *   reference emulator on 127.0.0.1, with fake credentials; a block marked
 *   `<!-- docs-test: skip (why) -->` (it needs an AWS account, or packs and installs the package) is
 *   checked instead by reading its command lines with the settings table of the bin they call;
 * - the known-deviations template is valid, and the GitHub Actions examples' commands run against
 *   the emulator: the emulator workflow's (narrowed to two requirements, for time), and the nightly
 *   smoke run's and its secret scan, with the emulator seeded to stand in for an account.
 * Nothing here reaches the network beyond loopback. Run by `npm run test:docs`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ROOT } from '../src/paths';
import { loadValidatedJson } from '../src/fixtures';
import { readSettings, settingsOf, settingsTable, type Bin } from '../src/settings';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; scripts: Record<string, string> };
const TARBALL = `${PACKAGE.name}-${PACKAGE.version}.tgz`;
const BLOCK_TIMEOUT_MS = 60_000;

/** Fake credentials only: the emulator takes the account from the access key id and checks no secret. */
const FAKE_ACCOUNT = { AWS_ACCESS_KEY_ID: 'docs-test-account-a', AWS_SECRET_ACCESS_KEY: 'not-a-secret', AWS_REGION: 'us-east-1' };

/** The caller's environment without AWS or suite settings, with no instance metadata and no shared AWS files. */
function cleanEnvironment(home: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('CONFORMANCE_') && !k.startsWith('AWS_') && !k.startsWith('npm_')) env[k] = v;
  return {
    ...env, HOME: home, AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(home, 'no-aws-config'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-aws-credentials'),
  };
}

// ---- the README's code blocks --------------------------------------------------------------------

interface Block { lang: string; body: string; line: number; skip?: string }

/** The top-level fenced blocks of a markdown text (a fence inside a longer fence is content), with a skip marker just before. */
function fencedBlocks(text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const fence = open[1];
    let end = i + 1;
    while (end < lines.length && !new RegExp(`^${fence}\\s*$`).test(lines[end])) end++;
    let before = i - 1;
    while (before >= 0 && lines[before].trim() === '') before--;
    const skip = /^<!-- docs-test: skip \((.+)\) -->$/.exec(lines[before]?.trim() ?? '')?.[1];
    blocks.push({ lang: open[2], body: lines.slice(i + 1, end).join('\n'), line: i + 1, skip });
    i = end;
  }
  return blocks;
}

/** A block's command lines: continuation lines joined, comments and blank lines left out. */
function commandLines(body: string): string[] {
  return body.replace(/\\\n\s*/g, ' ').split('\n').map((l) => l.replace(/(^|\s)#.*$/, '').trim()).filter(Boolean);
}

/** Shell words of a command line without quotes, variables or globs (what the README's commands use). */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/** Which bin a command line calls, with its leading variable assignments and its arguments; undefined for another command. */
function binCall(line: string): { bin: Bin; env: Record<string, string>; args: string[] } | undefined {
  const all = words(line.replace(/\s*&$/, ''));
  const env: Record<string, string> = {};
  while (all.length && /^[A-Z_][A-Z0-9_]*=/.test(all[0])) {
    const [name, ...value] = all.shift()!.split('=');
    env[name] = value.join('=');
  }
  const rest = (n: number) => all.slice(n);
  const afterDashes = (n: number) => (all[n] === '--' ? rest(n + 1) : rest(n));
  const [a, b, c] = all;
  if (a === 'node' && b === 'bin/conformance.js') return { bin: 'conformance', env, args: rest(2) };
  if (a === 'node' && b === 'bin/emulator.js') return { bin: 'emulator', env, args: rest(2) };
  if (a === 'node' && b === 'bin/cleanup.js') return { bin: 'cleanup', env, args: rest(2) };
  if (a === 'npx') {
    const name = all[1];
    if (name === 'personalize-list-import-jobs-conformance') return { bin: 'conformance', env, args: rest(2) };
    if (name === 'personalize-emulator') return { bin: 'emulator', env, args: rest(2) };
    if (name === 'personalize-conformance-cleanup') return { bin: 'cleanup', env, args: rest(2) };
  }
  if (a === 'npm' && b === 'run') {
    const quiet = c === '-s';
    const script = quiet ? all[3] : c;
    const from = quiet ? 4 : 3;
    const base = { emulator: 'emulator', cleanup: 'cleanup', smoke: 'conformance', 'test:endpoint': 'conformance', record: 'conformance' } as const;
    const bin = base[script as keyof typeof base] as Bin | undefined;
    if (!bin) return undefined;
    // The script's own arguments come first, as npm passes them.
    const own = words(PACKAGE.scripts[script]).slice(2);
    return { bin, env, args: [...own, ...afterDashes(from)] };
  }
  return undefined;
}

/** Variables a command line may set besides a bin's own settings: the AWS SDK's. */
const SDK_VARIABLES = new Set(['AWS_PROFILE', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL_PERSONALIZE', 'AWS_ENDPOINT_URL']);

/** A command line that cannot run here, read with the settings table of the bin it calls (exit 2's checks, without running). */
function checkWithoutRunning(line: string): void {
  const call = binCall(line);
  if (!call) {
    const [a, b, c] = words(line);
    if (a === 'npm' && b === 'run') assert.ok(PACKAGE.scripts[c === '-s' ? words(line)[3] : c], `${line}: package.json has no such script`);
    else if (a === 'npm' && (b === 'pack' || b === 'install')) assert.ok(b === 'pack' || line.includes(TARBALL), `${line}: the tarball npm pack makes is ${TARBALL}`);
    else if (a === 'npm' && b === 'test') assert.ok(PACKAGE.scripts.test, 'package.json has no test script');
    else if (!(a === 'npm' && b === 'ci')) assert.fail(`${line}: not a command this test knows how to check`);
    return;
  }
  const known = new Set(settingsOf(call.bin).flatMap(({ spec }) => [spec.env, ...(spec.envAliases ?? [])]).filter(Boolean));
  for (const name of Object.keys(call.env)) assert.ok(known.has(name) || SDK_VARIABLES.has(name), `${line}: ${name} is no variable of ${call.bin}`);
  assert.doesNotThrow(() => readSettings(call.bin, call.args, call.env), `${line}: its flags are refused`);
}

// ---- running commands in a temp copy ------------------------------------------------------------

let work: string;
let home: string;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Runs a shell script in the temp copy; background jobs get process groups of their own and are ended with it. */
function bash(script: string, env: Record<string, string>, cwd = work): Promise<{ code: number | null; output: string }> {
  const wrapped = `set -em\ntrap 'for p in $(jobs -p); do kill -- -$p 2>/dev/null || true; done' EXIT\n${script}\n`;
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', wrapped], { cwd, env: { ...cleanEnvironment(home), ...env }, detached: true });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, BLOCK_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

before(() => {
  work = mkdtempSync(join(tmpdir(), 'docs-test-'));
  home = join(work, '.home');
  mkdirSync(home);
  const skip = /^(node_modules|reports|\.git|\.stryker-tmp|dist|\.home)(\/|$)/;
  cpSync(ROOT, join(work, 'checkout'), { recursive: true, filter: (from) => !skip.test(relative(ROOT, from)) });
  symlinkSync(join(ROOT, 'node_modules'), join(work, 'checkout', 'node_modules'), 'dir');
  work = join(work, 'checkout');
});
after(() => rmSync(join(work, '..'), { recursive: true, force: true }));

// ---- the tests ----------------------------------------------------------------------------------

describe('the README', () => {
  test('is under 250 lines', () => {
    const lines = README.trimEnd().split('\n').length;
    assert.ok(lines < 250, `README.md has ${lines} lines`);
  });

  test('starts with npm ci and npm test, which CI runs first on a clean checkout', () => {
    const first = fencedBlocks(README).filter((b) => b.lang === 'sh').flatMap((b) => commandLines(b.body)).slice(0, 2);
    assert.deepEqual(first, ['npm ci', 'npm test']);
    const ci = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
    assert.match(ci, /npm ci --no-audit --no-fund/);
    assert.match(ci, /^check "[^"]*" npm test$/m);
  });

  test('tells no history: no sessions, issues, dated measurements, mutation scores or benchmark narrative', () => {
    const history = [
      /\bsessions?\b(?! tokens?)/i, /\bissue \d+/i, /\bit was\b/i, /\bused to\b/i, /\bno longer\b/i, /\bpreviously\b/i,
      /\bbefore this (change|work)\b/i, /\bat the start of this\b/i, /\b20\d\d-\d\d-\d\d\b/, /\d+(\.\d+)?\s?%/, /\bmutation score\b/i, /\d+ (mutants|killed|survivors)\b/i, /\bbench(mark)? runs?\b/i,
    ];
    const found = history.flatMap((word) => README.split('\n').map((line, i) => ({ line, i })).filter(({ line }) => word.test(line)).map(({ line, i }) => `README.md:${i + 1}: ${line.trim()} (${word})`));
    assert.deepEqual(found, []);
  });

  test("states the catalog's requirement counts per area, as --list-requirements prints the catalog", () => {
    const listed = spawnSync(process.execPath, [join(ROOT, 'bin', 'conformance.js'), '--list-requirements'], { encoding: 'utf8', env: cleanEnvironment(tmpdir()) });
    assert.equal(listed.status, 0, listed.stderr);
    const catalog = new Map<string, { must: number; should: number }>();
    for (const m of listed.stdout.matchAll(/^LDIJ-([A-Z]+)-\d{3}\s+(MUST|SHOULD)\b/gm)) {
      const area = catalog.get(m[1]) ?? { must: 0, should: 0 };
      area[m[2] === 'MUST' ? 'must' : 'should']++;
      catalog.set(m[1], area);
    }
    assert.ok(catalog.size > 0, 'no requirement listed');
    const rows = new Map<string, { must: number; should: number }>();
    for (const m of README.matchAll(/^\|[^|]*\|\s*`LDIJ-([A-Z]+)-\*`\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|/gm)) rows.set(m[1], { must: Number(m[2]), should: Number(m[3]) });
    const expected = [...catalog].map(([area, n]) => `${area} ${n.must} MUST ${n.should} SHOULD`).sort();
    assert.deepEqual([...rows].map(([area, n]) => `${area} ${n.must} MUST ${n.should} SHOULD`).sort(), expected, 'the README\'s table of areas is not the catalog\'s');
    const must = [...catalog.values()].reduce((s, n) => s + n.must, 0);
    const should = [...catalog.values()].reduce((s, n) => s + n.should, 0);
    const total = /^\|\s*all\s*\|\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+) requirements\s*\|/m.exec(README);
    assert.ok(total, 'the README has no "all" row');
    assert.deepEqual(total.slice(1).map(Number), [must, should, must + should]);
    for (const m of README.matchAll(/\b(\d+) requirements\b/g)) assert.equal(Number(m[1]), must + should, `"${m[0]}": the catalog has ${must + should}`);
  });

  test('links the configuration, whose tables are the ones src/settings.ts makes (npm run settings-table)', () => {
    assert.match(README, /\(docs\/configuration\.md\)/);
    const doc = readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8');
    for (const bin of ['conformance', 'emulator', 'cleanup'] as Bin[]) {
      const block = new RegExp(`<!-- settings:${bin} -->\\n([\\s\\S]*?)\\n<!-- /settings:${bin} -->`).exec(doc);
      assert.ok(block, `docs/configuration.md has no <!-- settings:${bin} --> block`);
      assert.equal(block[1], settingsTable(bin), `docs/configuration.md's table of ${bin} is out of date: run npm run settings-table`);
    }
  });

  test('links only files that exist', () => {
    for (const doc of ['README.md', ...['architecture', 'adding-a-requirement', 'faults-and-variants', 'configuration', 'performance', 'mutation-testing', 'targets'].map((d) => `docs/${d}.md`)]) {
      const text = readFileSync(join(ROOT, doc), 'utf8');
      for (const m of text.matchAll(/\]\(([^)#:\s]+)(#[^)]*)?\)/g)) assert.ok(existsSync(join(ROOT, doc, '..', m[1])), `${doc} links ${m[1]}, which does not exist`);
    }
  });
});

describe("the README's commands", () => {
  const blocks = fencedBlocks(README).filter((b) => b.lang === 'sh');

  for (const block of blocks.filter((b) => b.skip)) {
    test(`README.md:${block.line}, not run (${block.skip}): each line is read with its bin's settings`, () => {
      for (const line of commandLines(block.body)) checkWithoutRunning(line);
    });
  }

  for (const block of blocks.filter((b) => !b.skip)) {
    test(`README.md:${block.line} runs as written: ${commandLines(block.body).join('; ').slice(0, 100)}`, async () => {
      // The temp copy shares the checkout's node_modules: a block that installs must be marked not runnable.
      const installs = commandLines(block.body).filter((l) => /^npm (ci|install|i|pack|update|uninstall)\b/.test(l));
      assert.deepEqual(installs, [], 'a block that installs or packs reaches the registry: mark it <!-- docs-test: skip (why) -->');
      const port = await freePort();
      // The reference emulator of a block listens on a free port, for the README's 4599.
      const script = block.body.replace(/\b4599\b/g, String(port));
      const r = await bash(script, FAKE_ACCOUNT);
      assert.equal(r.code, 0, `exit ${r.code}:\n${r.output.slice(-3000)}`);
      assert.doesNotMatch(r.output, /unknown option|needs a value|Error: /);
    });
  }
});

describe('the examples', () => {
  const workflow = readFileSync(join(ROOT, 'examples', 'github-actions', 'emulator-conformance.yml'), 'utf8');
  const nightly = readFileSync(join(ROOT, 'examples', 'github-actions', 'nightly-aws-smoke.yml'), 'utf8');

  test('the known-deviations template is valid against fixtures/known-deviations.schema.json', () => {
    const template = loadValidatedJson<{ deviations: unknown[] }>(join(ROOT, 'examples', 'known-deviations.json'), 'known-deviations.schema.json');
    assert.deepEqual(template.deviations, []);
  });

  test('the workflows install the tarball npm pack makes, and call only bins of the package', () => {
    for (const text of [workflow, nightly]) {
      assert.ok(text.includes(`./.conformance/${TARBALL}`), `the workflows install ${TARBALL}`);
      assert.doesNotMatch(text.replace(/^\s*#.*$/gm, ''), /npx -y personalize/, 'the package is not published: no npx -y outside comments');
    }
    assert.match(workflow, /--deviations \.conformance\/known-deviations\.json/);
    assert.match(README, /`examples\/known-deviations\.json`[\s\S]{0,40}to `\.conformance\/known-deviations\.json`/);
  });

  /** The folded `run: >` of a step, as one command line, with its step's env. */
  function step(text: string, name: string): { command: string; env: Record<string, string> } {
    const at = text.indexOf(`- name: ${name}`);
    assert.ok(at >= 0, `no step "${name}"`);
    const lines = text.slice(at).split('\n').slice(1);
    const end = lines.findIndex((l) => /^\s*- (name|uses):/.test(l));
    const body = lines.slice(0, end < 0 ? undefined : end);
    const env: Record<string, string> = {};
    const envAt = body.findIndex((l) => /^\s+env:\s*$/.test(l));
    if (envAt >= 0) {
      for (const l of body.slice(envAt + 1)) {
        if (/^\s*#/.test(l)) continue;
        const m = /^\s+([A-Z_][A-Z0-9_]*):\s*'?([^'#]*?)'?\s*(#.*)?$/.exec(l);
        if (!m) break;
        env[m[1]] = m[2];
      }
    }
    const runAt = body.findIndex((l) => /^\s+run: >\s*$/.test(l));
    assert.ok(runAt >= 0, `step "${name}" has no folded run`);
    const command = body.slice(runAt + 1).filter((l) => l.trim() && !l.trim().startsWith('#')).map((l) => l.trim()).join(' ');
    return { command, env };
  }

  /** GitHub's expressions, as a push to a repository named my-emulator would fill them. */
  const expressions = (command: string) => command
    .replace(/\$\{\{\s*github\.event\.repository\.name\s*\}\}/g, 'my-emulator')
    .replace(/\$\{\{\s*github\.sha\s*\}\}/g, '0123456789abcdef')
    .replace(/\$\{\{\s*github\.server_url\s*\}\}/g, 'https://github.example')
    .replace(/\$\{\{\s*github\.repository\s*\}\}/g, 'someone/my-emulator');

  test("the nightly smoke run's commands run against the emulator standing in for an account with history", async () => {
    const { command, env } = step(nightly, 'Smoke run (read-only)');
    const args = words(expressions(command)).slice(1);
    assert.doesNotThrow(() => readSettings('conformance', args, env));
    assert.ok(args.includes('--smoke') && args.includes('--target'));
    const scan = /run: '(.*personalize-conformance-scan-secrets.*)'/.exec(nightly)?.[1];
    assert.ok(scan, 'the nightly workflow scans its reports for secrets');
    // The package's bins, where the workflow installs them.
    const bins = join(work, '..', 'suite-bin');
    mkdirSync(bins, { recursive: true });
    symlinkSync(join(work, 'bin', 'conformance.js'), join(bins, 'personalize-list-import-jobs-conformance'));
    symlinkSync(join(work, 'bin', 'scan-secrets.js'), join(bins, 'personalize-conformance-scan-secrets'));
    const port = await freePort();
    const script = [
      `node bin/emulator.js --port ${port} --seed shared --seed-access-key docs-test-smoke > emulator-smoke.log 2>&1 &`,
      `until grep -q listening emulator-smoke.log; do sleep 0.1; done`,
      expressions(command),
      scan,
    ].join('\n');
    const r = await bash(script, {
      ...env, SUITE_BIN: bins, AWS_ACCESS_KEY_ID: 'docs-test-smoke', AWS_SECRET_ACCESS_KEY: 'not-a-secret', AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_PERSONALIZE: `http://127.0.0.1:${port}`,
    });
    assert.equal(r.code, 0, `exit ${r.code}:\n${r.output.slice(-3000)}`);
  });

  test("the emulator workflow's conformance command runs against the reference emulator (two requirements, for time)", async () => {
    const { command, env } = step(workflow, 'Run the conformance suite');
    const port = await freePort();
    mkdirSync(join(work, '.conformance'), { recursive: true });
    cpSync(join(ROOT, 'examples', 'known-deviations.json'), join(work, '.conformance', 'known-deviations.json'));
    const line = expressions(command).replace(/http:\/\/127\.0\.0\.1:4599/g, `http://127.0.0.1:${port}`);
    const script = [
      `node bin/emulator.js --port ${port} > emulator.log 2>&1 &`,
      `until grep -q listening emulator.log; do sleep 0.1; done`,
      `${line} --requirement LDIJ-ERR-001,LDIJ-FILTER-001 --quiet`,
      `node -e "const r = require('./conformance-reports/conformance.json'); if (r.verdict !== 'conformant' || r.implementation.name !== 'my-emulator') { console.error(r.verdict, JSON.stringify(r.implementation)); process.exit(1) }"`,
    ].join('\n');
    const r = await bash(script, { ...env, CONFORMANCE: join(work, 'bin', 'conformance.js') });
    assert.equal(r.code, 0, `exit ${r.code}:\n${r.output.slice(-3000)}`);
  });
});
