/**
 * The reference emulator: `npm run emulator -- [--port N] [--variant ...] [--faults ...]`
 *   --port N               port on 127.0.0.1 (default PORT or 4599; 0 picks a free one)
 *   --clock system|request wall-clock lifecycles (default) or time that moves a step per request
 *   --pending-ms N, --in-progress-ms N   lifecycle timing (default 40 and 60 ms)
 *   --variant SPEC         implementation choices, e.g. order=newest-first,tokenFormat=opaque
 *   --faults NAMES         injected faults (reference-service/faults.ts), for testing the suite
 *   --verify-signatures    check SigV4 signatures; every access key's secret is --secret
 *   --secret S             the secret access key signatures are checked with (default: emulator-secret)
 *   --seed NAME            arrange a data set of fixtures/data-sets.json first (e.g. account-baseline),
 *                          in the account of --seed-access-key (default: AWS_ACCESS_KEY_ID) and --seed-region
 * Prints "reference emulator listening on http://127.0.0.1:PORT" once it accepts requests.
 */
import { accountIdFor, createReferenceFrontEnd, describeOptions } from '../reference-service';
import { seedDataSet } from '../reference-service/seed';
import { dataSet } from './fixtures';
import { createEmulatorServer, listen } from '../reference-service/http-server';

function parse(argv: string[]) {
  const o: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const key = a.slice(2);
    if (key === 'verify-signatures') o[key] = true;
    else {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      o[key] = v;
    }
  }
  return o;
}

async function main(): Promise<void> {
  const o = parse(process.argv.slice(2));
  const known = ['port', 'clock', 'pending-ms', 'in-progress-ms', 'variant', 'faults', 'verify-signatures', 'secret', 'seed', 'seed-access-key', 'seed-region'];
  for (const k of Object.keys(o)) if (!known.includes(k)) throw new Error(`unknown option --${k} (known: ${known.map((x) => '--' + x).join(', ')})`);
  const port = Number(o.port ?? process.env.PORT ?? 4599);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port ${o.port} is not a port number`);
  const timing = `pendingMs=${o['pending-ms'] ?? 40},inProgressMs=${o['in-progress-ms'] ?? 60},deletingMs=40`;
  const secret = String(o.secret ?? 'emulator-secret');
  const frontEnd = createReferenceFrontEnd({
    variant: [timing, o.variant].filter(Boolean).join(','),
    faults: o.faults as string | undefined,
    clock: o.clock === 'request' ? 'request' : 'system',
    frontEnd: o['verify-signatures'] ? { secretFor: () => secret } : {},
  });
  if (o.seed) {
    const key = String(o['seed-access-key'] ?? process.env.AWS_ACCESS_KEY_ID ?? '');
    if (!key) throw new Error('--seed needs --seed-access-key (or AWS_ACCESS_KEY_ID): the account to seed');
    const caller = { accountId: accountIdFor(key), region: String(o['seed-region'] ?? process.env.AWS_REGION ?? 'us-east-1') };
    const jobs = await seedDataSet(frontEnd.service, caller, String(o.seed), dataSet(String(o.seed)));
    console.log(`  seeded data set ${o.seed}: ${jobs} import jobs in region ${caller.region}`);
  }
  const server = createEmulatorServer(frontEnd);
  const url = await listen(server, port);
  console.log(`reference emulator listening on ${url}`);
  console.log(`  ${describeOptions(frontEnd.service.options)}${o['verify-signatures'] ? ', signatures verified' : ''}`);
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(`reference emulator: ${e instanceof Error ? e.message : e}`);
  process.exit(2);
});
