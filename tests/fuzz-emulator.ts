/**
 * Property-based test of the reference emulator: random and mutated requests over HTTP (bad JSON,
 * wrong member types, unknown targets, wrong content types, missing or malformed authentication,
 * oversized bodies, other methods and paths). For every one: no 5xx, an AWS-shaped error body for
 * every 4xx, and no change to the stored state when the request was rejected. Then forged
 * continuation tokens (signed with the key, as anyone who knows a configured key could, for the
 * right scope, with cursors of any shape) for every listing: 200 or InvalidNextTokenException
 * (400), never a 5xx. At the end the server still answers a well-formed request.
 *   npm run test:fuzz            (FUZZ_RUNS, default 10000; FUZZ_SEED to replay a failure)
 */
import { request, Agent } from 'node:http';
import fc from 'fast-check';
import { ManualClock } from '../reference-service/clock';
import { createEmulatorServer, listen } from '../reference-service/http-server';
import { parseVariant } from '../reference-service/options';
import { accountIdFor, AwsJsonFrontEnd, MAX_BODY_BYTES } from '../reference-service/protocol';
import { ReferenceService } from '../reference-service/service';
import { tokenCodec, type Cursor } from '../reference-service/tokens';
import { OPERATIONS } from '../schemas';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const agent = new Agent({ keepAlive: true, maxSockets: 4 });

interface Req { method: string; path: string; headers: Record<string, string>; body: Buffer }
interface Res { status: number; body: string }

function send(url: string, r: Req): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${r.path}`, { method: r.method, headers: { ...r.headers, 'content-length': String(r.body.length) }, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(r.body);
  });
}

const auth = (key: string, region: string) =>
  `AWS4-HMAC-SHA256 Credential=${key}/20261128/${region}/personalize/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}`;

// ---- generators ----------------------------------------------------------------------------

const arnish = fc.oneof(
  fc.string(),
  fc.constantFrom('arn:aws:personalize:us-east-1:111111111111:dataset/g/INTERACTIONS', 'arn:aws:s3:::b', 'arn::personalize:x:y:z', ''),
  fc.string({ minLength: 250, maxLength: 400 }).map((s) => `arn:aws:personalize:us-east-1:1:dataset/${s}`),
);
const anyValue = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }));
const member = {
  maxResults: fc.oneof(fc.integer({ min: -5, max: 200 }), fc.constantFrom(2147483647, -2147483648, 1e308, 0.5), anyValue),
  nextToken: fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ minLength: 1490, maxLength: 1600 }), anyValue),
  datasetArn: fc.oneof(arnish, anyValue),
  datasetGroupArn: fc.oneof(arnish, anyValue),
  schemaArn: fc.oneof(arnish, anyValue),
  datasetImportJobArn: fc.oneof(arnish, anyValue),
  name: fc.oneof(fc.stringMatching(/^[a-z][a-z0-9-]{0,70}$/), anyValue),
  jobName: fc.oneof(fc.stringMatching(/^[a-z][a-z0-9-]{0,70}$/), anyValue),
  schema: fc.oneof(fc.constant('{"type":"record","name":"I","fields":[]}'), fc.string(), anyValue),
  datasetType: fc.oneof(fc.constantFrom('Interactions', 'Items', 'Users', 'Bad Type'), anyValue),
  dataSource: fc.oneof(fc.record({ dataLocation: fc.oneof(fc.constant('s3://b/k.csv'), fc.string(), anyValue) }), anyValue),
  importMode: fc.oneof(fc.constantFrom('FULL', 'INCREMENTAL', 'PARTIAL'), anyValue),
  tags: fc.oneof(fc.array(fc.record({ tagKey: fc.string(), tagValue: fc.string() }), { maxLength: 3 }), anyValue),
};
const bodyObject = fc.record(member, { requiredKeys: [] }).chain((o) =>
  fc.dictionary(fc.string({ maxLength: 8 }), anyValue, { maxKeys: 2 }).map((extra) => ({ ...extra, ...o })));
const rawBody = fc.oneof(
  { weight: 6, arbitrary: bodyObject.map((o) => Buffer.from(JSON.stringify(o))) },
  { weight: 1, arbitrary: fc.string().map((s) => Buffer.from(s)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)) },
  { weight: 1, arbitrary: bodyObject.map((o) => Buffer.from(JSON.stringify(o).slice(0, -1))) },
  { weight: 1, arbitrary: anyValue.map((v) => Buffer.from(JSON.stringify(v) ?? 'null')) },
  { weight: 1, arbitrary: fc.constant(Buffer.alloc(MAX_BODY_BYTES + 10, 0x20)) },
);
const target = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...OPERATIONS).map((op) => `AmazonPersonalize.${op}`) },
  { weight: 1, arbitrary: fc.constantFrom('AmazonPersonalize.CreateSolution', 'amazonpersonalize.ListDatasetImportJobs', 'AmazonPersonalize.', '', 'Other.ListDatasetImportJobs') },
  { weight: 1, arbitrary: fc.string() },
);
const requestArb = fc.record({
  method: fc.oneof({ weight: 9, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH') }),
  path: fc.oneof({ weight: 9, arbitrary: fc.constant('/') }, { weight: 1, arbitrary: fc.constantFrom('/x', '/?a=b', '//', '/%ZZ') }),
  target,
  contentType: fc.oneof({ weight: 8, arbitrary: fc.constant('application/x-amz-json-1.1') }, { weight: 1, arbitrary: fc.constantFrom('application/json', 'text/plain', '', 'application/x-amz-json-1.0; charset=utf-8') }),
  authorization: fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom('fuzz-account-a', 'fuzz-account-b').chain((k) => fc.constantFrom('us-east-1', 'eu-west-1').map((r) => auth(k, r))) },
    { weight: 1, arbitrary: fc.constantFrom('', 'AWS4-HMAC-SHA256 Credential=broken', 'Bearer x') },
    { weight: 1, arbitrary: fc.string() },
  ),
  body: rawBody,
});

// ---- forged tokens ---------------------------------------------------------------------------

/** The emulator's token key, known to whoever forges (a configured key can be). */
const TOKEN_KEY = 'fuzz-token-key';
/** Values a cursor's members could be forged as: objects whose conversion throws, wrong types, wrong shapes. */
const forgedValue = fc.oneof(
  fc.constantFrom<unknown>([{ toString: 1, valueOf: 1 }], [{}], [[1]], [null], [], [1, 'a'], ['a', 'b', 'c'], [1e308, -1e308], ['x'.repeat(600)], { length: 1 }, '1', 1, null, true),
  fc.jsonValue({ maxDepth: 3 }),
);
const forgedCursor = fc.record({
  key: forgedValue,
  page: fc.oneof(fc.constant(undefined), forgedValue, fc.integer({ min: -5, max: 5 })),
  extra: fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 2 })),
  scopeIsRight: fc.boolean(),
});
const listing = fc.constantFrom('ListDatasetImportJobs', 'ListDatasetImportJobs of a dataset', 'ListSchemas', 'ListDatasetGroups', 'ListDatasets');

// ---- the property ----------------------------------------------------------------------------

async function main(): Promise<void> {
  const service = new ReferenceService({ ...parseVariant(undefined), tokenSecret: TOKEN_KEY }, new ManualClock());
  const frontEnd = new AwsJsonFrontEnd(service);
  // A little state, so that rejected requests have something to disturb.
  const seed = (op: string, body: object) => frontEnd.handle({ method: 'POST', path: '/', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AmazonPersonalize.${op}`, authorization: auth('fuzz-account-a', 'us-east-1') }, body: JSON.stringify(body) });
  const schemaArn = (JSON.parse(seed('CreateSchema', { name: 'fuzz-schema', schema: '{"type":"record","name":"I","fields":[]}' }).body) as { schemaArn: string }).schemaArn;
  const groupArn = (JSON.parse(seed('CreateDatasetGroup', { name: 'fuzz-group' }).body) as { datasetGroupArn: string }).datasetGroupArn;
  (service.clock as ManualClock).advance(60_000);
  const datasetArn = (JSON.parse(seed('CreateDataset', { name: 'fuzz-dataset', schemaArn, datasetGroupArn: groupArn, datasetType: 'Interactions' }).body) as { datasetArn: string }).datasetArn;
  (service.clock as ManualClock).advance(60_000);
  for (let i = 0; i < 5; i++) seed('CreateDatasetImportJob', { jobName: `fuzz-job-${i}`, datasetArn, dataSource: { dataLocation: 's3://b/k.csv' } });

  const server = createEmulatorServer(frontEnd);
  const url = await listen(server, 0);
  const statuses = new Map<number, number>();
  let accepted = 0;
  let forged = 0;
  try {
    await fc.assert(
      fc.asyncProperty(requestArb, async (r) => {
        const before = service.snapshot();
        const res = await send(url, {
          method: r.method, path: r.path, body: r.body,
          headers: { 'content-type': r.contentType, 'x-amz-target': r.target.replace(/[^\x20-\x7e]/g, '?'), authorization: r.authorization.replace(/[^\x20-\x7e]/g, '?') },
        });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) throw new Error(`HTTP ${res.status}: ${res.body}`);
        const body = JSON.parse(res.body) as { __type?: unknown; message?: unknown };
        if (res.status >= 400) {
          if (typeof body.__type !== 'string' || typeof body.message !== 'string') throw new Error(`HTTP ${res.status} without an AWS error body: ${res.body}`);
          if (service.snapshot() !== before) throw new Error(`a rejected request (${String(body.__type)}) changed the stored state`);
        } else accepted++;
      }),
      { numRuns: RUNS, ...(process.env.FUZZ_SEED && { seed: Number(process.env.FUZZ_SEED) }) },
    );
    // Forged tokens, for the right scope (else the scope check alone refuses them).
    const caller = { accountId: accountIdFor('fuzz-account-a'), region: 'us-east-1' };
    const codec = tokenCodec('signed', TOKEN_KEY);
    await fc.assert(
      fc.asyncProperty(listing, forgedCursor, async (which, f) => {
        const [operation, input, filter] =
          which === 'ListDatasetImportJobs of a dataset' ? ['ListDatasetImportJobs', { datasetArn }, datasetArn]
            : which === 'ListDatasets' ? ['ListDatasets', { datasetGroupArn: groupArn }, groupArn]
              : [which, {}, undefined];
        const cursor = {
          scope: f.scopeIsRight ? service.scopeOf(operation, caller, filter) : 'another-scope',
          key: f.key, ...(f.page !== undefined && { page: f.page }), ...(f.extra !== undefined && { extra: f.extra }),
        } as unknown as Cursor;
        const nextToken = codec.issue(cursor);
        const res = await send(url, {
          method: 'POST', path: '/', body: Buffer.from(JSON.stringify({ ...input, nextToken })),
          headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AmazonPersonalize.${operation}`, authorization: auth('fuzz-account-a', 'us-east-1') },
        });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) throw new Error(`a forged token for ${which} (${JSON.stringify(cursor).slice(0, 200)}): HTTP ${res.status}: ${res.body}`);
        // A token longer than the model allows is refused before it is read, as any long string.
        const expected = nextToken.length > 1500 ? ['InvalidNextTokenException', 'InvalidInputException'] : ['InvalidNextTokenException'];
        if (res.status !== 200 && !expected.includes((JSON.parse(res.body) as { __type: string }).__type)) {
          throw new Error(`a forged token for ${which} (${JSON.stringify(cursor).slice(0, 200)}): HTTP ${res.status} ${res.body}, expected 200 or InvalidNextTokenException`);
        }
        forged++;
      }),
      { numRuns: Math.ceil(RUNS / 5), ...(process.env.FUZZ_SEED && { seed: Number(process.env.FUZZ_SEED) }) },
    );
    const alive = await send(url, { method: 'POST', path: '/', body: Buffer.from('{}'), headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonPersonalize.ListDatasetImportJobs', authorization: auth('fuzz-account-a', 'us-east-1') } });
    if (alive.status !== 200 || (JSON.parse(alive.body) as { datasetImportJobs: unknown[] }).datasetImportJobs.length < 5) throw new Error(`after the fuzzing, a plain listing answered ${alive.status}: ${alive.body.slice(0, 200)}`);
    console.log(`fuzz: ${RUNS} requests, ${accepted} accepted, and ${forged} with forged tokens; statuses ${[...statuses].sort().map(([s, n]) => `${s}:${n}`).join(' ')}`);
    console.log('fuzz: 1 passed, 0 failed');
  } catch (e) {
    console.error(`fuzz: ${e instanceof Error ? e.message : String(e)}`);
    console.log('fuzz: 0 passed, 1 failed');
    process.exitCode = 1;
  } finally {
    server.close();
    agent.destroy();
  }
}

void main();
