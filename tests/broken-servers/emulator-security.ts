/**
 * The emulator's security switches mean what they say (issue 17, cases 6, 7, 8 and 14), in this
 * process and without cucumber:
 * - signatures (--verify-signatures): requests signed in 2019 and in 2035 are refused; a signed
 *   CreateSchema resent with another body (swapped1) is refused and creates nothing; an honest
 *   SDK client passes;
 * - tokens: a forged token whose key is [{"toString":1,"valueOf":1}] is InvalidNextTokenException
 *   (400), never a 5xx, for ListDatasetImportJobs, ListSchemas, ListDatasets and ListDatasetGroups,
 *   signed with the key that used to be public or with a configured key someone knows;
 * - accounts: AKIA278090 and AKIA1401660 (which shared an account) do not see each other's
 *   schemas; a pair that collides on the keyed hash gets two accounts; many random keys, many ids;
 *   --account-id-of prints the id a key gets;
 * - SIGTERM ends the emulator within 5 s with 10,000 connections open (as many as open quickly).
 */
import '../../src/quiet-sdk-warning';
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { createConnection, type Socket } from 'node:net';
import { join } from 'node:path';
import {
  CreateDatasetGroupCommand, CreateSchemaCommand, ListDatasetImportJobsCommand, ListSchemasCommand, PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { createReferenceFrontEnd } from '../../reference-service';
import { createEmulatorServer, listen } from '../../reference-service/http-server';
import { AccountIds, accountIdCandidate, DEFAULT_ACCOUNT_ID_KEY } from '../../reference-service/protocol';
import { tokenCodec, type Cursor } from '../../reference-service/tokens';

const ROOT = join(__dirname, '..', '..');
const REGION = 'us-east-1';
const SCHEMA = JSON.stringify({ type: 'record', name: 'Interactions', namespace: 'com.amazonaws.personalize.schema', version: '1.0', fields: [{ name: 'USER_ID', type: 'string' }] });

export interface SecurityResult { name: string; problems: string[]; ms: number }

async function timed(name: string, check: (problems: string[]) => Promise<void>): Promise<SecurityResult> {
  const started = Date.now();
  const problems: string[] = [];
  try {
    await check(problems);
  } catch (e) {
    problems.push(`could not run: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  }
  return { name, problems, ms: Date.now() - started };
}

/** Starts an emulator server in this process; `stop` closes it and every client made. */
async function emulator(setup: Parameters<typeof createReferenceFrontEnd>[0]) {
  const frontEnd = createReferenceFrontEnd({ variant: 'pendingMs=0,inProgressMs=0,deletingMs=0', ...setup });
  const server = createEmulatorServer(frontEnd);
  const url = await listen(server, 0);
  const clients: PersonalizeClient[] = [];
  const client = (accessKeyId: string, o: { secretAccessKey?: string; systemClockOffset?: number } = {}) => {
    const c = new PersonalizeClient({ endpoint: url, region: REGION, maxAttempts: 1, credentials: { accessKeyId, secretAccessKey: o.secretAccessKey ?? 'not-a-secret' }, systemClockOffset: o.systemClockOffset });
    clients.push(c);
    return c;
  };
  const stop = () => {
    for (const c of clients) c.destroy();
    server.closeAllConnections();
    server.close();
  };
  return { frontEnd, url, client, stop };
}

/** Sends raw bytes as one HTTP request and resolves with its status and body. */
function post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const errorName = async (send: () => Promise<unknown>): Promise<{ name: string; message: string }> => {
  try {
    await send();
    return { name: 'accepted', message: '' };
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message };
  }
};

// ---- case 6 ----------------------------------------------------------------------------------

export function signatureChecks(): Promise<SecurityResult> {
  return timed('issue 17 case 6: --verify-signatures: signed in 2019 or 2035 refused, a body swapped under a signature refused, an honest client passes', async (problems) => {
    const secret = 'case6-secret';
    const e = await emulator({ clock: 'system', frontEnd: { secretFor: () => secret, accountIds: new AccountIds() } });
    try {
      const honest = e.client('AKIACASE6', { secretAccessKey: secret });
      const listed = await errorName(() => honest.send(new ListDatasetImportJobsCommand({})));
      if (listed.name !== 'accepted') problems.push(`an honest client's listing: ${listed.name}: ${listed.message}`);
      for (const [year, pattern] of [[2019, /expired/], [2035, /not yet current/]] as const) {
        const skewed = e.client('AKIACASE6', { secretAccessKey: secret, systemClockOffset: Date.UTC(year, 5, 1) - Date.now() });
        const r = await errorName(() => skewed.send(new ListDatasetImportJobsCommand({})));
        if (r.name !== 'InvalidSignatureException' || !pattern.test(r.message)) problems.push(`a request signed in ${year}: ${r.name} ${r.message}, expected InvalidSignatureException (${pattern})`);
      }

      // The signed request as it went over the wire, caught after signing.
      let signed: { headers: Record<string, string>; body: string } | undefined;
      const catching = e.client('AKIACASE6', { secretAccessKey: secret });
      catching.middlewareStack.add((next) => async (args) => {
        const r = args.request as { headers: Record<string, string>; body: string | Uint8Array };
        signed = { headers: { ...r.headers }, body: typeof r.body === 'string' ? r.body : new TextDecoder().decode(r.body) };
        return next(args);
      }, { step: 'deserialize', name: 'catchSignedRequest' });
      const created = await errorName(() => catching.send(new CreateSchemaCommand({ name: 'original', schema: SCHEMA })));
      if (created.name !== 'accepted' || !signed) problems.push(`an honest CreateSchema: ${created.name}: ${created.message}`);
      else {
        const swappedBody = signed.body.replace('"original"', '"swapped1"'); // the same length: content-length is signed too
        const asSent = await post(e.url, signed.headers, swappedBody);
        const withHash = await post(e.url, { ...signed.headers, 'x-amz-content-sha256': createHash('sha256').update(swappedBody).digest('hex') }, swappedBody);
        for (const [what, r] of [['with the signed headers', asSent], ['with x-amz-content-sha256 of the new body', withHash]] as const) {
          if (r.status !== 403 || !/InvalidSignatureException/.test(r.body)) problems.push(`a signed CreateSchema resent with another body ${what}: HTTP ${r.status} ${r.body.slice(0, 160)}, expected 403 InvalidSignatureException`);
        }
        const { schemas } = await honest.send(new ListSchemasCommand({}));
        if (schemas?.some((s) => s.name === 'swapped1')) problems.push('the schema swapped1 was created under the signature of another body');
      }
    } finally {
      e.stop();
    }
  });
}

// ---- case 7 ----------------------------------------------------------------------------------

/** The key signed tokens had by default, public in the source before issue 17. */
const FORMERLY_PUBLIC_TOKEN_KEY = 'reference-service-token-key';

export function forgedTokens(): Promise<SecurityResult> {
  return timed('issue 17 case 7: forged tokens: [{"toString":1,"valueOf":1}] as a cursor is InvalidNextTokenException (400), for every listing; the default key is not the public one', async (problems) => {
    for (const [what, tokenKey, forgeWith] of [
      ['no --token-key (the formerly public key forges)', undefined, FORMERLY_PUBLIC_TOKEN_KEY],
      ['a configured --token-key that someone knows', 'case7-configured-key', 'case7-configured-key'],
    ] as const) {
      const accountIds = new AccountIds();
      const e = await emulator({ tokenKey, frontEnd: { accountIds } });
      try {
        const accessKeyId = 'AKIACASE7';
        const caller = { accountId: accountIds.of(accessKeyId), region: REGION };
        const client = e.client(accessKeyId);
        const groupArn = (await client.send(new CreateDatasetGroupCommand({ name: 'case7-group' }))).datasetGroupArn!;
        for (const name of ['case7-a', 'case7-b']) await client.send(new CreateSchemaCommand({ name, schema: SCHEMA }));
        const forge = (operation: string, filter?: string) => tokenCodec('signed', forgeWith)
          .issue({ scope: e.frontEnd.service.scopeOf(operation, caller, filter), key: [{ toString: 1, valueOf: 1 }] } as unknown as Cursor);
        const headers = (operation: string) => ({
          'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AmazonPersonalize.${operation}`,
          authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20261202/${REGION}/personalize/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
        });
        const listings: [string, Record<string, unknown>, string | undefined][] = [
          ['ListDatasetImportJobs', {}, undefined], ['ListSchemas', {}, undefined], ['ListDatasetGroups', {}, undefined],
          ['ListDatasets', { datasetGroupArn: groupArn }, groupArn],
        ];
        for (const [operation, input, filter] of listings) {
          const r = await post(e.url, headers(operation), JSON.stringify({ ...input, nextToken: forge(operation, filter) }));
          if (r.status !== 400 || !/InvalidNextTokenException/.test(r.body)) problems.push(`${what}: ${operation} with a forged token: HTTP ${r.status} ${r.body.slice(0, 120)}, expected 400 InvalidNextTokenException`);
        }
        // The strictness keeps honest tokens working.
        const first = await client.send(new ListSchemasCommand({ maxResults: 1 }));
        const second = await errorName(() => client.send(new ListSchemasCommand({ maxResults: 1, nextToken: first.nextToken })));
        if (!first.nextToken || second.name !== 'accepted') problems.push(`${what}: an issued ListSchemas token: ${second.name} ${second.message}`);
      } finally {
        e.stop();
      }
    }
  });
}

// ---- case 8 ----------------------------------------------------------------------------------

const RANDOM_KEYS = 20_000;

/** Two keys whose candidate 0 under DEFAULT_ACCOUNT_ID_KEY is the same account (found by trying 983,338 keys). */
const COLLIDING_PAIR = ['AKIA740941', 'AKIA983337'] as const;

export function accountIsolation(): Promise<SecurityResult> {
  return timed('issue 17 case 8: accounts: AKIA278090 and AKIA1401660 apart, a colliding pair apart, 20,000 random keys 20,000 accounts, --account-id-of', async (problems) => {
    const e = await emulator({ frontEnd: { accountIds: new AccountIds() } });
    try {
      const [a, b] = ['AKIA278090', 'AKIA1401660'].map((k) => e.client(k));
      const arn = (await a.send(new CreateSchemaCommand({ name: 'case8-schema-of-a', schema: SCHEMA }))).schemaArn!;
      const { schemas } = await b.send(new ListSchemasCommand({}));
      if (schemas?.some((s) => s.schemaArn === arn)) problems.push('AKIA1401660 lists the schema AKIA278090 created: they share an account');
    } finally {
      e.stop();
    }
    const ids = new AccountIds();
    const [first, second] = COLLIDING_PAIR.map((k) => ids.of(k));
    if (accountIdCandidate(DEFAULT_ACCOUNT_ID_KEY, COLLIDING_PAIR[1], 0) !== first) problems.push(`${COLLIDING_PAIR.join(' and ')} no longer collide under the default key: find another pair`);
    if (first === second) problems.push(`${COLLIDING_PAIR.join(' and ')} share the account ${first}`);
    const many = new AccountIds();
    const distinct = new Set<string>();
    for (let i = 0; i < RANDOM_KEYS; i++) {
      distinct.add(many.of(`AKIA${randomBytes(8).toString('hex').toUpperCase()}`));
      if (i % 2000 === 0) await new Promise((r) => setImmediate(r)); // the other cases' servers share this process
    }
    if (distinct.size !== RANDOM_KEYS) problems.push(`${RANDOM_KEYS} random access keys got ${distinct.size} account ids`);
    if (![...distinct].slice(0, 1000).every((id) => /^\d{12}$/.test(id))) problems.push('an account id is not 12 digits');
    const printed = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, [join(ROOT, 'bin', 'emulator.js'), '--account-id-of', 'AKIA278090'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      child.on('exit', (code) => resolve({ code, out }));
    });
    const expected = accountIdCandidate(DEFAULT_ACCOUNT_ID_KEY, 'AKIA278090', 0);
    if (printed.code !== 0 || printed.out.trim() !== expected) problems.push(`--account-id-of AKIA278090: exit ${printed.code}, "${printed.out.trim().slice(0, 120)}", expected ${expected}`);
  });
}

// ---- case 14 ---------------------------------------------------------------------------------

const CONNECTIONS = 10_000;
/**
 * Opening connections stops here, however many are open: "as many as the machine allows quickly"
 * (a loopback connection can take a millisecond on a shared machine).
 */
const OPENING_MS = 5000;
const EXIT_WITHIN_MS = 5000;

function startEmulatorProcess(): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'emulator.js'), '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the emulator did not start: ${out}`)), 30_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.on('exit', (code) => reject(new Error(`the emulator exited (${code}): ${out}`)));
  });
}

export function shutdownUnderLoad(): Promise<SecurityResult> {
  const result = { opened: 0, exitMs: undefined as number | undefined };
  return timed('issue 17 case 14: SIGTERM with 10,000 connections open: the emulator exits within 5 s', async (problems) => {
    const { child, port } = await startEmulatorProcess();
    const sockets: Socket[] = [];
    try {
      const started = Date.now();
      // A few hundred connecting at a time, so that the listen backlog drops none; nothing is ever read.
      let failed = false;
      await new Promise<void>((done) => {
        let connecting = 0;
        const more = () => {
          while (!failed && connecting < 200 && sockets.length + connecting < CONNECTIONS && Date.now() - started < OPENING_MS) {
            connecting++;
            const s = createConnection(port, '127.0.0.1');
            s.pause();
            s.once('connect', () => {
              connecting--;
              sockets.push(s);
              more();
            });
            s.once('error', () => {
              connecting--;
              failed = true; // the machine's limit
              more();
            });
          }
          if (connecting === 0) done();
        };
        more();
      });
      result.opened = sockets.length;
      // Some of them busy: a request whose headers never end, and keep-alive connections after a request.
      sockets.slice(0, 20).forEach((s) => s.write('POST / HTTP/1.1\r\nHost: x\r\n'));
      sockets.slice(20, 40).forEach((s) => s.write('POST / HTTP/1.1\r\nHost: x\r\nconnection: keep-alive\r\ncontent-length: 2\r\n\r\n{}'));
      await new Promise((r) => setTimeout(r, 300));
      if (sockets.length < 1000) problems.push(`only ${sockets.length} connections could be opened`);
      const signalled = Date.now();
      const exited = new Promise<number>((resolve) => child.once('exit', () => resolve(Date.now() - signalled)));
      child.kill('SIGTERM');
      const ms = await Promise.race([exited, new Promise<undefined>((r) => setTimeout(() => r(undefined), EXIT_WITHIN_MS + 3000).unref())]);
      result.exitMs = ms;
      if (ms === undefined || ms > EXIT_WITHIN_MS) problems.push(`after SIGTERM with ${sockets.length} connections open, the emulator ${ms === undefined ? `had not exited after ${EXIT_WITHIN_MS + 3000} ms` : `took ${ms} ms to exit`}`);
    } finally {
      for (const s of sockets) s.destroy();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }).then((r) => ({ ...r, name: `${r.name} (${result.opened} opened; exited after ${result.exitMs ?? '?'} ms)` }));
}
