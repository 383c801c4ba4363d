/**
 * Removes what an interrupted writing run left behind: every dataset, dataset group and schema
 * whose name starts with the given prefix (each run's resources carry its prefix, printed at the
 * start of the run, and the tag conformance-run=<prefix>). Uses the SDK's default credential chain
 * and region, and AWS_ENDPOINT_URL_PERSONALIZE when set.
 *   npm run cleanup -- --prefix cfmx0z7s4gfh9 [--dry-run]
 */
import './quiet-sdk-warning';
import { deleteWhenFree } from './wait';
import {
  DeleteDatasetCommand, DeleteDatasetGroupCommand, DeleteSchemaCommand, paginateListDatasetGroups,
  paginateListDatasets, paginateListSchemas, PersonalizeClient,
} from '@aws-sdk/client-personalize';

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const p of pages) out.push(p);
  return out;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--prefix');
  const prefix = at >= 0 ? args[at + 1] : undefined;
  const dryRun = args.includes('--dry-run');
  if (!prefix || prefix.length < 4) {
    console.error('usage: npm run cleanup -- --prefix PREFIX [--dry-run]   (the prefix a run printed; at least 4 characters)');
    return 2;
  }
  process.env.AWS_EC2_METADATA_DISABLED ??= 'true';
  const client = new PersonalizeClient({});
  const mine = (name?: string) => !!name && name.startsWith(prefix);
  const groups = (await collect(paginateListDatasetGroups({ client }, {}))).flatMap((p) => p.datasetGroups ?? []).filter((g) => mine(g.name));
  const datasets = [];
  for (const g of groups) datasets.push(...(await collect(paginateListDatasets({ client }, { datasetGroupArn: g.datasetGroupArn }))).flatMap((p) => p.datasets ?? []));
  const schemas = (await collect(paginateListSchemas({ client }, {}))).flatMap((p) => p.schemas ?? []).filter((s) => mine(s.name));
  console.log(`cleanup: prefix ${prefix}: ${datasets.length} datasets, ${groups.length} dataset groups, ${schemas.length} schemas${dryRun ? ' (dry run: nothing deleted)' : ''}`);
  if (dryRun) return 0;
  const timeout = Number(process.env.CONFORMANCE_WAIT_TIMEOUT_MS) || 30 * 60_000;
  // Datasets first (their import jobs go with them), then the groups, then the schemas they used.
  for (const d of datasets) await deleteWhenFree(() => client.send(new DeleteDatasetCommand({ datasetArn: d.datasetArn })), { what: `dataset ${d.name}`, timeoutMs: timeout, intervalMs: 500 });
  for (const g of groups) await deleteWhenFree(() => client.send(new DeleteDatasetGroupCommand({ datasetGroupArn: g.datasetGroupArn })), { what: `dataset group ${g.name}`, timeoutMs: timeout, intervalMs: 500 });
  for (const s of schemas) await deleteWhenFree(() => client.send(new DeleteSchemaCommand({ schemaArn: s.schemaArn })), { what: `schema ${s.name}`, timeoutMs: timeout, intervalMs: 500 });
  console.log(`cleanup: deleted ${datasets.length} datasets, ${groups.length} dataset groups, ${schemas.length} schemas`);
  return 0;
}

main().then((code) => process.exit(code), (e) => {
  const message = e instanceof Error ? e.message : String(e);
  if (/Region is missing/.test(message)) console.error('cleanup: no region: set AWS_REGION (or a region in your AWS profile).');
  else console.error(`cleanup: ${message}`);
  process.exit(1);
});
