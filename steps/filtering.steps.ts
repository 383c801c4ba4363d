/** Then: which jobs a filtered or unfiltered listing holds. */
import { Then } from '@cucumber/cucumber';
import { statusesFrom } from '../schemas';
import { describeJob } from './support/arrange';
import { assertEnded, assertListedOnce, listedArns, listedJobs } from './support/listing';
import type { ConformanceWorld } from './support/world';

Then('exactly the jobs of dataset {string} are listed', function (this: ConformanceWorld, alias: string) {
  assertListedOnce(this.listing!, this.dataset(alias).jobs, true, `jobs of dataset "${alias}"`);
});

async function describedDatasetIs(world: ConformanceWorld, datasetArn: string, what: string): Promise<void> {
  const listing = world.listing!;
  assertEnded(listing);
  const wrong: string[] = [];
  for (const arn of listedArns(listing)) {
    const job = await describeJob(world, arn);
    if (job.datasetArn !== datasetArn) wrong.push(`${arn} belongs to ${job.datasetArn}`);
  }
  if (wrong.length) throw new Error(`Jobs listed for ${what} that DescribeDatasetImportJob places elsewhere: ${wrong.slice(0, 5).join('; ')}.`);
}

Then('DescribeDatasetImportJob names dataset {string} for every listed job', async function (this: ConformanceWorld, alias: string) {
  await describedDatasetIs(this, this.dataset(alias).arn, `dataset "${alias}"`);
});

Then('DescribeDatasetImportJob names that dataset for every listed job', async function (this: ConformanceWorld) {
  if (!listedJobs(this.listing!).length) throw new Error('The existing dataset listed no jobs, though it had some a moment before.');
  await describedDatasetIs(this, this.existingDatasetArn!, 'the existing dataset');
});

Then('the listing is empty', function (this: ConformanceWorld) {
  assertEnded(this.listing!);
  const arns = listedArns(this.listing!);
  if (arns.length) throw new Error(`Expected no jobs, but ${arns.length} were listed: ${arns.slice(0, 5).join(', ')}.`);
});

Then('the listing is empty or the request is rejected with InvalidInputException', function (this: ConformanceWorld) {
  if (this.lastError) {
    this.assertRejection(['InvalidInputException']);
    return;
  }
  assertEnded(this.listing!);
  const arns = listedArns(this.listing!);
  if (arns.length) throw new Error(`A datasetArn of no dataset listed ${arns.length} jobs: ${arns.slice(0, 5).join(', ')}.`);
});

Then('none of the jobs of dataset {string} is listed', function (this: ConformanceWorld, alias: string) {
  assertEnded(this.listing!);
  const theirs = new Set(this.dataset(alias).jobs.map((j) => j.arn));
  const leaked = listedArns(this.listing!).filter((a) => theirs.has(a));
  if (leaked.length) throw new Error(`${leaked.length} jobs of dataset "${alias}" were listed: ${leaked.slice(0, 5).join(', ')}.`);
});

Then(/^that job is listed with the status (CREATE PENDING|CREATE IN_PROGRESS|ACTIVE|CREATE FAILED) or a later one$/, function (this: ConformanceWorld, wanted: string) {
  const watched = this.watchedJob!;
  assertEnded(this.listing!);
  const found = listedJobs(this.listing!).find((j) => j.datasetImportJobArn === watched.arn);
  if (!found) throw new Error(`The job that DescribeDatasetImportJob showed as ${wanted} is not in the listing.`);
  if (!statusesFrom(wanted).includes(found.status ?? '')) {
    throw new Error(`The job DescribeDatasetImportJob showed as ${wanted} is listed as ${found.status}.`);
  }
});

Then('every listing held every job of the dataset', function (this: ConformanceWorld) {
  const jobs = this.theDataset().jobs;
  this.allListings().forEach((listing, i) => {
    const statuses = new Map(listedJobs(listing).map((j) => [j.datasetImportJobArn, j.status]));
    const missing = jobs.filter((j) => !statuses.has(j.arn));
    if (missing.length) throw new Error(`Listing ${i + 1} of ${this.allListings().length} left out ${missing.length} of the dataset's ${jobs.length} jobs (${missing.slice(0, 3).map((j) => j.name).join(', ')}); the listed ones were ${[...new Set(statuses.values())].join(', ')}.`);
  });
});

Then("the request is rejected with one of the operation's declared errors", function (this: ConformanceWorld) {
  this.assertRejection();
});
