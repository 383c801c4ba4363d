/** When and Then of features/tokens.feature: where a continuation token may, and may not, be used. */
import { Then, When } from '@cucumber/cucumber';
import { ListDatasetGroupsCommand, ListDatasetsCommand, ListSchemasCommand } from '@aws-sdk/client-personalize';
import { allListingEvidence, listedJobs, listOnce, observedListings } from './support/listing';
import { failIf, problem } from './support/judgements';
import { assertClientError } from './support/rejection';
import type { ConformanceWorld } from './support/world';

/** The held token, sent by the second account (with or without a datasetArn of the first account's). */
async function sentBySecondAccount(world: ConformanceWorld, alias?: string): Promise<void> {
  if (!world.run.hasSecondAccount) world.notShown('setup', 'no second account: set CONFORMANCE_SECOND_ACCESS_KEY_ID and CONFORMANCE_SECOND_SECRET_ACCESS_KEY');
  await listOnce(world, { nextToken: world.arranged.heldToken!.token, ...(alias && { datasetArn: world.dataset(alias).arn }) }, 'second');
}

When('the token is sent by the second account', async function (this: ConformanceWorld) {
  await sentBySecondAccount(this);
});

When('the token is sent by the second account, with the datasetArn of {string}', async function (this: ConformanceWorld, alias: string) {
  await sentBySecondAccount(this, alias);
});

When('the token is sent in another region', async function (this: ConformanceWorld) {
  await listOnce(this, { nextToken: this.arranged.heldToken!.token }, 'otherRegion');
});

Then("the request is rejected as a client error, or none of this account's jobs of this region is listed", async function (this: ConformanceWorld) {
  if (this.observed.rejection) return assertClientError(this);
  this.rejectionChecked = true;
  // The first account's jobs in its region: by the ARNs the scenario's datasets hold, and by the account and region in every listed ARN.
  const account = this.accountId();
  const region = this.config.region;
  const ours = new Set([...this.datasets.values()].filter((d) => d.role === 'primary').flatMap((d) => d.jobs.map((j) => j.arn)));
  const leaked = observedListings(this, 0).flatMap(listedJobs).filter((s) => {
    const arn = s.datasetImportJobArn ?? '';
    const [, , , arnRegion, arnAccount] = arn.split(':');
    return ours.has(arn) || (account !== undefined && arnAccount === account && arnRegion === region);
  });
  failIf(this, leaked.map((s) => problem(`${s.datasetImportJobArn} (${s.jobName}) was listed`, s.datasetImportJobArn)), {
    expected: "a token issued to this account in this region shows no other caller this account's jobs of this region",
    what: "jobs of the token's own account and region were listed to another caller",
    evidence: allListingEvidence(this, leaked.map((s) => s.datasetImportJobArn ?? '')),
  });
});

/** A token of another listing operation: each account of the shared data has several schemas, dataset groups and datasets. */
const otherOperations: Record<string, (world: ConformanceWorld) => Promise<string | undefined>> = {
  ListSchemas: async (world) => (await world.send('primary', (c) => c.send(new ListSchemasCommand({ maxResults: 1 })))).nextToken,
  ListDatasets: async (world) => (await world.send('primary', (c) => c.send(new ListDatasetsCommand({ maxResults: 1 })))).nextToken,
  ListDatasetGroups: async (world) => (await world.send('primary', (c) => c.send(new ListDatasetGroupsCommand({ maxResults: 1 })))).nextToken,
};

When(/^a client holds a nextToken of (ListSchemas|ListDatasets|ListDatasetGroups)$/, async function (this: ConformanceWorld, operation: string) {
  const token = await otherOperations[operation](this);
  const x = this.wire.last(operation);
  if (!token) this.notShown('target', `${operation} with maxResults 1 gave no token to send elsewhere (the account has a single one?)`, x ? { exchanges: [x.n] } : undefined);
  this.arranged.heldToken = { token: token, exchange: x?.n ?? 0 };
});

When('the client sends that nextToken to ListDatasetImportJobs', async function (this: ConformanceWorld) {
  await listOnce(this, { nextToken: this.arranged.heldToken!.token });
});
