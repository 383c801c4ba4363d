/**
 * The reference emulator: `personalize-emulator [options]` (npx), or `npm run emulator -- [options]`
 * in a checkout; `--help` lists the options. Prints "reference emulator listening on
 * http://127.0.0.1:PORT" once it accepts requests. Exit 2 on a bad option.
 */
import { createReferenceFrontEnd, describeOptions } from '../reference-service';
import { createEmulatorServer, listen, shutdown, SHUTDOWN_GRACE_MS } from '../reference-service/http-server';
import { AccountIds } from '../reference-service/protocol';
import { seedDataSet } from '../reference-service/seed';
import { dataSet } from './fixtures';
import { ConfigurationError, helpText, readSettings, versionText } from './settings';

async function main(): Promise<void> {
  const o = readSettings('emulator', process.argv.slice(2));
  if (o.get('help')) {
    console.log(helpText('emulator'));
    return;
  }
  if (o.get('version')) {
    console.log(versionText('emulator'));
    return;
  }
  const port = o.get('port')!;
  const timing = `pendingMs=${o.get('pendingMs')},inProgressMs=${o.get('inProgressMs')},deletingMs=40`;
  const secret = o.get('secret')!;
  const accountIds = new AccountIds(o.get('accountIdKey'));
  const accountOf = o.get('accountIdOf');
  if (accountOf !== undefined) {
    console.log(accountIds.of(accountOf));
    return;
  }
  let frontEnd: ReturnType<typeof createReferenceFrontEnd>;
  try {
    frontEnd = createReferenceFrontEnd({
      variant: [timing, o.get('variant')].filter(Boolean).join(','),
      faults: o.get('faults'),
      clock: o.get('clock'),
      tokenKey: o.get('tokenKey'),
      frontEnd: { accountIds, ...(o.get('verifySignatures') && { secretFor: () => secret }) },
    });
  } catch (e) {
    throw new ConfigurationError(`${[o.as('variant'), o.as('faults')].filter(Boolean).join(', ') || '--variant/--faults'}: ${(e as Error).message}`); // the reference service throws Errors
  }
  const seed = o.get('seed');
  if (seed) {
    const key = o.get('seedAccessKey');
    if (!key) throw new ConfigurationError('--seed needs --seed-access-key (or AWS_ACCESS_KEY_ID): the account to seed');
    const caller = { accountId: accountIds.of(key), region: o.get('seedRegion')! };
    const jobs = await seedDataSet(frontEnd.service, caller, seed, dataSet(seed));
    console.log(`  seeded data set ${seed}: ${jobs} import jobs in region ${caller.region}`);
  }
  const server = createEmulatorServer(frontEnd);
  const url = await listen(server, port);
  console.log(`reference emulator listening on ${url}`);
  console.log(`  ${describeOptions(frontEnd.service.options)}${o.get('verifySignatures') ? ', signatures verified' : ''}`);
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

main().catch((e: unknown) => {
  // Usage and configuration mistakes are one line; anything else keeps its stack for a bug report.
  const oneLine = !(e instanceof Error) || e instanceof ConfigurationError || ('code' in e && e.code === 'EADDRINUSE');
  console.error(`reference emulator: ${e instanceof Error ? (oneLine ? e.message : e.stack) : String(e)}`);
  process.exit(2);
});
