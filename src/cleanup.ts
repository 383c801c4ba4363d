/**
 * Removes what an interrupted writing run left behind, and nothing else. A run's prefix is unique
 * to it (src/created-resources.ts), and a name is the run's only when it carries the full prefix
 * and the separator, `<prefix>-`:
 * - dataset groups and datasets so named AND that carry the tag conformance-run=<prefix> (every
 *   resource a run creates has both);
 * - schemas (which take no tags) so named that no dataset in the account uses any more (after the
 *   run's own datasets are gone) and, with --record FILE (the record the run kept of what it
 *   created), only those in that record.
 * A look-alike (the prefix in its name, but not the tag, not the separator, or not in the record)
 * is kept and named. A prefix not of the form a run makes (cfmx: a part of one) is refused.
 *   personalize-conformance-cleanup --prefix cfmx0z7s4gfh9 [--record FILE] [--dry-run] [--yes]   (npm run cleanup -- ... in a checkout)
 * --dry-run lists every ARN it would delete; without it, the deletion asks for confirmation
 * unless --yes (with no terminal to ask and no --yes, it refuses: exit 2).
 * Uses the SDK's default credential chain and region, and --endpoint (AWS_ENDPOINT_URL_PERSONALIZE) when set;
 * its time-outs are the runner's for that target (src/settings.ts).
 */
import './quiet-sdk-warning';
import { createInterface } from 'node:readline/promises';
import {
  DeleteDatasetCommand, DeleteDatasetGroupCommand, DeleteSchemaCommand, DescribeDatasetCommand, ListTagsForResourceCommand,
  paginateListDatasetGroups, paginateListDatasets, paginateListSchemas, PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { carriesPrefix, inRecord, isRunPrefix, readCreated, RUN_PREFIX_EXAMPLE, type CreatedRecord } from './created-resources';
import { redactConsole } from './redact';
import { ConfigurationError, helpText, prepareSdkEnvironment, readSettings, versionText } from './settings';
import { deleteWhenFree } from './wait';

export const RUN_TAG_KEY = 'conformance-run';

interface Resource { kind: 'dataset' | 'dataset group' | 'schema'; name: string; arn: string }

export interface CleanupPlan {
  delete: Resource[];
  /** Look-alikes and resources still in use: kept, with why. */
  keep: (Resource & { why: string })[];
}

async function all<P, T>(pages: AsyncIterable<P>, items: (page: P) => T[] | undefined): Promise<T[]> {
  const out: T[] = [];
  for await (const p of pages) out.push(...(items(p) ?? []));
  return out;
}

/** Whether the resource carries the run tag of `prefix` (what this suite puts on what it creates). */
export async function carriesRunTag(client: PersonalizeClient, arn: string, prefix: string): Promise<boolean> {
  const { tags } = await client.send(new ListTagsForResourceCommand({ resourceArn: arn }));
  return (tags ?? []).some((t) => t.tagKey === RUN_TAG_KEY && t.tagValue === prefix);
}

/**
 * What a cleanup of `prefix` deletes and keeps: reads only. With `record` (what the run recorded
 * it created), a schema is deleted only if the record holds it.
 */
export async function planCleanup(client: PersonalizeClient, prefix: string, record?: CreatedRecord): Promise<CleanupPlan> {
  if (!isRunPrefix(prefix)) throw new Error(`${prefix} is not a run's prefix`); // main() refuses it first, in one line
  const plan: CleanupPlan = { delete: [], keep: [] };
  const named = (name?: string) => carriesPrefix(name, prefix);
  const groups = await all(paginateListDatasetGroups({ client }, {}), (p) => p.datasetGroups);
  // Every dataset of the account, with its group: schemas in use are found among them.
  const datasets: { name: string; arn: string; groupArn: string }[] = [];
  for (const g of groups) {
    for (const d of await all(paginateListDatasets({ client }, { datasetGroupArn: g.datasetGroupArn }), (p) => p.datasets)) {
      datasets.push({ name: d.name!, arn: d.datasetArn!, groupArn: g.datasetGroupArn! });
    }
  }
  const ownDatasets = new Set<string>();
  for (const d of datasets.filter((x) => named(x.name))) {
    if (await carriesRunTag(client, d.arn, prefix)) {
      ownDatasets.add(d.arn);
      plan.delete.push({ kind: 'dataset', name: d.name, arn: d.arn });
    } else plan.keep.push({ kind: 'dataset', name: d.name, arn: d.arn, why: `no ${RUN_TAG_KEY}=${prefix} tag` });
  }
  for (const g of groups.filter((x) => named(x.name))) {
    const group = { kind: 'dataset group' as const, name: g.name!, arn: g.datasetGroupArn! };
    const others = datasets.filter((d) => d.groupArn === group.arn && !ownDatasets.has(d.arn));
    if (!(await carriesRunTag(client, group.arn, prefix))) plan.keep.push({ ...group, why: `no ${RUN_TAG_KEY}=${prefix} tag` });
    else if (others.length) plan.keep.push({ ...group, why: `it holds datasets this cleanup keeps (${others.map((d) => d.name).join(', ')})` });
    else plan.delete.push(group);
  }
  const listedSchemas = await all(paginateListSchemas({ client }, {}), (p) => p.schemas);
  for (const s of listedSchemas.filter((x) => x.name?.startsWith(prefix) && !named(x.name))) {
    plan.keep.push({ kind: 'schema', name: s.name!, arn: s.schemaArn!, why: `its name does not start with ${prefix}-` });
  }
  const schemas = listedSchemas.filter((s) => named(s.name));
  if (schemas.length) {
    const inUse = new Map<string, string>();
    for (const d of datasets.filter((x) => !ownDatasets.has(x.arn))) {
      const { dataset } = await client.send(new DescribeDatasetCommand({ datasetArn: d.arn }));
      if (dataset?.schemaArn) inUse.set(dataset.schemaArn, d.name);
    }
    for (const s of schemas) {
      const schema = { kind: 'schema' as const, name: s.name!, arn: s.schemaArn! };
      const user = inUse.get(schema.arn);
      if (user) plan.keep.push({ ...schema, why: `the dataset ${user} uses it` });
      else if (record && !inRecord(record, prefix, schema)) plan.keep.push({ ...schema, why: 'the run\'s record does not hold it' });
      else plan.delete.push(schema);
    }
  }
  return plan;
}

const count = (plan: CleanupPlan, kind: Resource['kind']) => plan.delete.filter((r) => r.kind === kind).length;

export function summary(plan: CleanupPlan): string {
  return `${count(plan, 'dataset')} datasets, ${count(plan, 'dataset group')} dataset groups, ${count(plan, 'schema')} schemas`;
}

/** Deletes the plan: datasets first (their import jobs go with them), then the groups, then the schemas. */
export async function executeCleanup(client: PersonalizeClient, plan: CleanupPlan, timeoutMs: number): Promise<void> {
  const order: Resource['kind'][] = ['dataset', 'dataset group', 'schema'];
  for (const kind of order) {
    for (const r of plan.delete.filter((x) => x.kind === kind)) {
      const del = kind === 'dataset' ? new DeleteDatasetCommand({ datasetArn: r.arn })
        : kind === 'dataset group' ? new DeleteDatasetGroupCommand({ datasetGroupArn: r.arn })
          : new DeleteSchemaCommand({ schemaArn: r.arn });
      await deleteWhenFree(() => client.send(del as never), { what: `${kind} ${r.name}`, timeoutMs, intervalMs: 500 }); // one of three commands: send's overloads take each alone, not their union
    }
  }
}

async function confirmed(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

async function main(argv: string[]): Promise<number> {
  redactConsole();
  const o = readSettings('cleanup', argv);
  if (o.get('help')) {
    console.log(helpText('cleanup'));
    return 0;
  }
  if (o.get('version')) {
    console.log(versionText('cleanup'));
    return 0;
  }
  const prefix = o.get('prefix');
  if (!prefix) throw new ConfigurationError('--prefix PREFIX is required: the prefix the run printed (see --help)');
  if (!isRunPrefix(prefix)) throw new ConfigurationError(`--prefix ${prefix} is not a run's prefix: give the whole prefix the run printed (cf and 11 letters or digits, e.g. ${RUN_PREFIX_EXAMPLE}); a part of one would match other runs' resources.`);
  const recordFile = o.get('recordFile');
  let record: CreatedRecord | undefined;
  if (recordFile) {
    try {
      record = readCreated(recordFile);
    } catch (e) {
      throw new ConfigurationError(`--record ${recordFile} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`); // readFileSync throws ErrnoExceptions, JSON.parse SyntaxErrors
    }
  }
  const dryRun = o.get('dryRun') === true;
  const yes = o.get('yes') === true;
  if (!dryRun && !yes && !process.stdin.isTTY) {
    console.error(`cleanup: no terminal to confirm the deletion: run with --dry-run to see what would go, then with --yes to delete it.`);
    return 2;
  }
  // The runner's defaults for the target the cleanup goes to: an endpoint when one is set, else the account.
  const endpoint = o.get('endpoint');
  const target = endpoint ? 'endpoint' : 'aws';
  prepareSdkEnvironment();
  const requestTimeout = o.get('requestTimeoutMs', target) || 0;
  const client = new PersonalizeClient({
    ...(endpoint && { endpoint }),
    retryMode: 'adaptive',
    maxAttempts: 5,
    requestHandler: new NodeHttpHandler(requestTimeout ? { connectionTimeout: Math.min(5000, requestTimeout), requestTimeout, throwOnRequestTimeout: true } : {}),
  });
  if (record) console.log(`cleanup: the record ${recordFile} holds ${record.resources.filter((r) => r.prefix === prefix).length} lines of this run${record.unreadable ? ` (${record.unreadable} unreadable lines ignored)` : ''}`);
  const plan = await planCleanup(client, prefix, record);
  for (const r of plan.delete) console.log(`cleanup: ${dryRun ? 'would delete' : 'deletes'} ${r.kind} ${r.arn}`);
  for (const r of plan.keep) console.log(`cleanup: keeps ${r.kind} ${r.arn}: ${r.why}`);
  console.log(`cleanup: prefix ${prefix}: ${summary(plan)}${dryRun ? ' (dry run: nothing deleted)' : ''}`);
  if (dryRun || plan.delete.length === 0) return 0;
  if (!yes && !(await confirmed(`Delete these ${plan.delete.length} resources? [y/N] `))) {
    console.log('cleanup: nothing deleted');
    return 1;
  }
  await executeCleanup(client, plan, o.get('waitTimeoutMs', target)!);
  console.log(`cleanup: deleted ${summary(plan)}`);
  return 0;
}

/** The cleanup's command line (bin/cleanup.js): exits with its code. */
export function runCleanup(argv: string[]): void {
  main(argv).then((code) => process.exit(code), (e) => {
    if (e instanceof ConfigurationError) {
      console.error(`cleanup: ${e.message}`);
      process.exit(2);
    }
    const message = e instanceof Error ? e.message : String(e);
    if (/Region is missing/.test(message)) console.error('cleanup: no region: set AWS_REGION (or a region in your AWS profile).');
    else console.error(`cleanup: ${(e as { name?: string }).name ?? 'Error'}: ${message}`); // a thrown value is unknown: only its name is read
    process.exit(1);
  });
}

// Run directly (ts-node src/cleanup.ts, as tests/cleanup-own-only.ts does): the same command line.
if (require.main === module) runCleanup(process.argv.slice(2));
