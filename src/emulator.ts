/**
 * The reference emulator: `personalize-emulator [options]` (npx), or `npm run emulator -- [options]`
 * in a checkout; `--help` lists the options. Prints "reference emulator listening on
 * http://127.0.0.1:PORT" once it accepts requests. Exit 2 on a bad option.
 */
import { createReferenceFrontEnd, describeOptions } from '../reference-service';
import { createEmulatorServer, listen, shutdown, SHUTDOWN_GRACE_MS } from '../reference-service/http-server';
import { AccountIds, DEFAULT_ACCOUNT_ID_KEY } from '../reference-service/protocol';
import { seedDataSet } from '../reference-service/seed';
import { dataSet } from './fixtures';

const OPTIONS: { flag: string; value?: string; default?: string; help: string }[] = [
  { flag: '--port', value: 'N', default: 'PORT or 4599', help: 'port on 127.0.0.1 (0 picks a free one)' },
  { flag: '--clock', value: 'system|request', default: 'system', help: 'wall-clock lifecycles, or time that moves a step per request' },
  { flag: '--pending-ms', value: 'N', default: '40', help: 'how long an import job stays CREATE PENDING' },
  { flag: '--in-progress-ms', value: 'N', default: '60', help: 'how long it stays CREATE IN_PROGRESS' },
  { flag: '--variant', value: 'SPEC', help: 'implementation choices, e.g. order=newest-first,tokenFormat=opaque' },
  { flag: '--faults', value: 'NAMES', help: 'injected faults (reference-service/faults.ts), for testing the suite' },
  { flag: '--verify-signatures', help: "check SigV4 signatures; every access key's secret is --secret" },
  { flag: '--secret', value: 'S', default: 'emulator-secret', help: 'the secret access key signatures are checked with' },
  { flag: '--token-key', value: 'KEY', default: 'random per process', help: 'the key that signs continuation tokens (set it to keep tokens valid across restarts)' },
  { flag: '--account-id-key', value: 'KEY', default: DEFAULT_ACCOUNT_ID_KEY, help: 'the key of the hash that makes account ids of access key ids (below)' },
  { flag: '--account-id-of', value: 'KEY', help: 'print the account id of the access key id KEY, and exit' },
  { flag: '--seed', value: 'NAME', help: 'arrange a data set of fixtures/data-sets.json first (e.g. account-baseline)' },
  { flag: '--seed-access-key', value: 'KEY', default: 'AWS_ACCESS_KEY_ID', help: 'the account --seed fills (the access key id names the account)' },
  { flag: '--seed-region', value: 'REGION', default: 'AWS_REGION or us-east-1', help: 'the region --seed fills' },
  { flag: '--help', help: 'this text (also -h)' },
];

const USAGE = [
  'usage: personalize-emulator [options]      (--flag value or --flag=value)',
  '',
  ...OPTIONS.map((d) => `  ${`${d.flag}${d.value ? ` ${d.value}` : ''}`.padEnd(30)} ${d.help}${d.default ? ` (default: ${d.default})` : ''}`),
  '',
  'Accounts: an access key id stands for an account, isolated from every other. Its id is the first 8 bytes of',
  'HMAC-SHA256(--account-id-key, access key id), read as an unsigned big-endian integer, modulo 10^12, in 12 digits.',
  'Two keys never share an account: should a key\'s id be held by a key seen earlier in the process (about once in',
  '10^12 pairs), it takes the next free id of HMAC-SHA256(--account-id-key, "KEY#1"), "KEY#2", ... --account-id-of KEY',
  'prints the id a key gets in a fresh process (for ARNs in a reproduction command).',
  '',
  'Environment: PORT (the port, when --port is not given), AWS_ACCESS_KEY_ID and AWS_REGION (for --seed).',
  'Exit codes: 0 stopped by SIGINT/SIGTERM, 2 a bad option or a port in use.',
].join('\n');

class UsageError extends Error {}

function parse(argv: string[]): Record<string, string | boolean> {
  const o: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = arg === '-h' ? '--help' : eq > 0 ? arg.slice(0, eq) : arg;
    const option = OPTIONS.find((d) => d.flag === flag);
    if (!option) throw new UsageError(`unknown ${arg.startsWith('-') ? 'option' : 'argument'} ${arg} (see --help)`);
    if (!option.value) {
      o[flag.slice(2)] = true;
      continue;
    }
    const v = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (v === undefined || v === '' || (eq < 0 && v.startsWith('--'))) throw new UsageError(`${flag} needs a value: ${flag} ${option.value} (see --help)`);
    o[flag.slice(2)] = v;
  }
  return o;
}

/** An integer setting within bounds, or one line naming how it was given. */
function integer(given: string, raw: string, min: number, max: number): number {
  const n = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${given} is not an integer from ${min} to ${max}`);
  return n;
}

async function main(): Promise<void> {
  const o = parse(process.argv.slice(2));
  if (o.help) {
    console.log(USAGE);
    return;
  }
  const port = o.port !== undefined ? integer(`--port ${o.port}`, String(o.port), 0, 65535)
    : process.env.PORT !== undefined ? integer(`PORT=${process.env.PORT}`, process.env.PORT, 0, 65535) : 4599;
  if (o.clock !== undefined && o.clock !== 'system' && o.clock !== 'request') throw new UsageError(`--clock ${o.clock} is not one of: system, request`);
  for (const k of ['pending-ms', 'in-progress-ms']) if (o[k] !== undefined) integer(`--${k} ${o[k]}`, String(o[k]), 0, 3_600_000);
  const timing = `pendingMs=${o['pending-ms'] ?? 40},inProgressMs=${o['in-progress-ms'] ?? 60},deletingMs=40`;
  const secret = String(o.secret ?? 'emulator-secret');
  const accountIds = new AccountIds(String(o['account-id-key'] ?? DEFAULT_ACCOUNT_ID_KEY));
  if (o['account-id-of'] !== undefined) {
    console.log(accountIds.of(String(o['account-id-of'])));
    return;
  }
  let frontEnd: ReturnType<typeof createReferenceFrontEnd>;
  try {
    frontEnd = createReferenceFrontEnd({
      variant: [timing, o.variant].filter(Boolean).join(','),
      faults: o.faults as string | undefined,
      clock: o.clock === 'request' ? 'request' : 'system',
      tokenKey: o['token-key'] as string | undefined,
      frontEnd: { accountIds, ...(o['verify-signatures'] && { secretFor: () => secret }) },
    });
  } catch (e) {
    throw new UsageError(`--variant/--faults: ${(e as Error).message}`);
  }
  if (o.seed) {
    const key = String(o['seed-access-key'] ?? process.env.AWS_ACCESS_KEY_ID ?? '');
    if (!key) throw new UsageError('--seed needs --seed-access-key (or AWS_ACCESS_KEY_ID): the account to seed');
    const caller = { accountId: accountIds.of(key), region: String(o['seed-region'] ?? process.env.AWS_REGION ?? 'us-east-1') };
    const jobs = await seedDataSet(frontEnd.service, caller, String(o.seed), dataSet(String(o.seed)));
    console.log(`  seeded data set ${o.seed}: ${jobs} import jobs in region ${caller.region}`);
  }
  const server = createEmulatorServer(frontEnd);
  const url = await listen(server, port);
  console.log(`reference emulator listening on ${url}`);
  console.log(`  ${describeOptions(frontEnd.service.options)}${o['verify-signatures'] ? ', signatures verified' : ''}`);
  // Ends within about the grace whatever connections are open; a second signal ends it at once.
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(0);
    stopping = true;
    void shutdown(server, SHUTDOWN_GRACE_MS).then(() => process.exit(0));
    setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS + 2000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  // Usage and configuration mistakes are one line; anything else keeps its stack for a bug report.
  const oneLine = e instanceof UsageError || e?.name === 'ConfigurationError' || e?.code === 'EADDRINUSE' || !(e instanceof Error);
  console.error(`reference emulator: ${oneLine ? (e instanceof Error ? e.message : e) : e.stack}`);
  process.exit(2);
});
