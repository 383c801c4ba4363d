/**
 * The reference emulator: `personalize-emulator [options]` (npx), or `npm run emulator -- [options]`
 * in a checkout; `--help` lists the options. Prints "reference emulator listening on
 * http://127.0.0.1:PORT" once it accepts requests. Exit 2 on a bad option.
 */
import { accountIdFor, createReferenceFrontEnd, describeOptions } from '../reference-service';
import { seedDataSet } from '../reference-service/seed';
import { dataSet } from './fixtures';
import { createEmulatorServer, listen } from '../reference-service/http-server';
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
  let frontEnd: ReturnType<typeof createReferenceFrontEnd>;
  try {
    frontEnd = createReferenceFrontEnd({
      variant: [timing, o.get('variant')].filter(Boolean).join(','),
      faults: o.get('faults'),
      clock: o.get('clock'),
      frontEnd: o.get('verifySignatures') ? { secretFor: () => secret } : {},
    });
  } catch (e) {
    throw new ConfigurationError(`${[o.as('variant'), o.as('faults')].filter(Boolean).join(', ') || '--variant/--faults'}: ${(e as Error).message}`);
  }
  const seed = o.get('seed');
  if (seed) {
    const key = o.get('seedAccessKey');
    if (!key) throw new ConfigurationError('--seed needs --seed-access-key (or AWS_ACCESS_KEY_ID): the account to seed');
    const caller = { accountId: accountIdFor(key), region: o.get('seedRegion')! };
    const jobs = await seedDataSet(frontEnd.service, caller, seed, dataSet(seed));
    console.log(`  seeded data set ${seed}: ${jobs} import jobs in region ${caller.region}`);
  }
  const server = createEmulatorServer(frontEnd);
  const url = await listen(server, port);
  console.log(`reference emulator listening on ${url}`);
  console.log(`  ${describeOptions(frontEnd.service.options)}${o.get('verifySignatures') ? ', signatures verified' : ''}`);
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  // Usage and configuration mistakes are one line; anything else keeps its stack for a bug report.
  const oneLine = e instanceof ConfigurationError || e?.code === 'EADDRINUSE' || !(e instanceof Error);
  console.error(`reference emulator: ${oneLine ? (e instanceof Error ? e.message : e) : e.stack}`);
  process.exit(2);
});
