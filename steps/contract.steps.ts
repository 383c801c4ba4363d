/** Then: the truth of each summary in the listings, beyond what its schema says. */
import { Then } from '@cucumber/cucumber';
import { importJobStatuses, importModes } from '../schemas';
import { NotShown } from '../src/verdict';
import { allListingEvidence, identify, knownJobs, listedJobs, listedSummaries, observedListings } from './support/listing';
import * as judge from './support/judgements';
import { problem } from './support/judgements';
import type { ConformanceWorld } from './support/world';

Then("every listed job's ARN is a dataset-import-job ARN in the caller's region", function (this: ConformanceWorld) {
  const listed = listedSummaries(this);
  const problems = judge.arnProblems(listed, this.config.region);
  // An arranged job listed under its name with another ARN than CreateDatasetImportJob returned.
  const created = new Map(this.allJobs.map((j) => [j.name, j.arn]));
  for (const s of listed) {
    const arn = s.jobName ? created.get(s.jobName) : undefined;
    if (arn && s.datasetImportJobArn !== arn) problems.push(problem(`${s.jobName} is listed as "${s.datasetImportJobArn}", CreateDatasetImportJob returned "${arn}"`, s.jobName));
  }
  judge.failIf(this, problems, { expected: "every listed job's ARN is the dataset-import-job ARN CreateDatasetImportJob returned, in the caller's region", what: 'job ARNs break the contract' });
});

Then('every job of dataset {string} is listed under the name it was created with', function (this: ConformanceWorld, alias: string) {
  const id = identify(this);
  const listed = new Map(listedSummaries(this).map((j) => [id(j), j.jobName]));
  const jobs = this.dataset(alias).jobs;
  // A job not listed at all has no name to judge (the listing rules' finding), unless none is listed.
  const judged = jobs.some((j) => listed.has(j.arn)) ? jobs.filter((j) => listed.has(j.arn)) : jobs;
  const problems = judged.filter((j) => listed.get(j.arn) !== j.name).map((j) => problem(`${j.arn} was created as "${j.name}", listed as ${listed.has(j.arn) ? `"${listed.get(j.arn)}"` : 'nothing (not listed)'}`, j.arn));
  judge.failIf(this, problems, { expected: 'every job is listed under the name it was created with', what: 'jobs are listed under another name' });
});

Then('every status the listings show is one of the documented lifecycle statuses', function (this: ConformanceWorld) {
  const listed = listedSummaries(this);
  const problems = listed.filter((j) => !importJobStatuses.includes(j.status ?? '')).map((j) => problem(`${j.jobName} is listed with status ${JSON.stringify(j.status ?? null)}`, j.datasetImportJobArn));
  judge.failIf(this, problems, { expected: `every listed status is one of ${importJobStatuses.join(', ')}`, what: 'jobs listed with a status outside the lifecycle' });
});

Then('every importMode the listings show is FULL or INCREMENTAL', function (this: ConformanceWorld) {
  const problems = listedSummaries(this).filter((j) => j.importMode !== undefined && !importModes.includes(j.importMode)).map((j) => problem(`${j.jobName} is listed with importMode ${JSON.stringify(j.importMode)}`, j.datasetImportJobArn));
  judge.failIf(this, problems, { expected: `every importMode a summary carries is one of ${importModes.join(', ')}`, what: 'jobs listed with another import mode' });
});

Then("every listed job's importMode, where present, is FULL", function (this: ConformanceWorld) {
  // A mode outside the enum is LDIJ-RESP-005's finding; this rule is about INCREMENTAL said of a job created without one.
  const problems = listedSummaries(this).filter((j) => j.importMode !== undefined && importModes.includes(j.importMode) && j.importMode !== 'FULL').map((j) => problem(`${j.jobName}, created without an import mode, is listed ${j.importMode}`, j.datasetImportJobArn));
  judge.failIf(this, problems, { expected: 'a job created without an import mode is listed FULL (the documented default)', what: 'jobs listed with another import mode than FULL' });
});

Then('every time the listings show is a number of epoch seconds', function (this: ConformanceWorld) {
  // Epoch seconds of any time after 1973 and before the year 5138 lie between these; epoch milliseconds of today are far above.
  const plausible = (d: Date | undefined) => d === undefined || (d.getTime() / 1000 > 1e8 && d.getTime() / 1000 < 1e11);
  const problems = listedSummaries(this).flatMap((j) => (['creationDateTime', 'lastUpdatedDateTime'] as const)
    .filter((k) => !plausible(j[k])).map((k) => problem(`${j.jobName}: ${k} is ${j[k]!.getTime() / 1000}, no number of epoch seconds of our time (${j[k]!.toISOString()})`, j.datasetImportJobArn)));
  judge.failIf(this, problems, { expected: 'creationDateTime and lastUpdatedDateTime in epoch seconds', what: 'times that are not epoch seconds' });
});

Then('every listed job carries the lastUpdatedDateTime and importMode that DescribeDatasetImportJob shows', function (this: ConformanceWorld) {
  const [listing] = observedListings(this, knownJobs(this));
  const id = identify(this);
  const problems = listedJobs(listing).flatMap((s) => {
    const d = listing.describedBefore?.get(id(s));
    if (!d) return [];
    return (['lastUpdatedDateTime', 'importMode'] as const).filter((k) => d[k] !== undefined && s[k] === undefined).map((k) => problem(`${s.jobName} is listed without ${k}, which DescribeDatasetImportJob shows`, id(s)));
  });
  judge.failIf(this, problems, { expected: 'a summary carries the lastUpdatedDateTime and importMode that DescribeDatasetImportJob shows', what: 'members left out of summaries' });
});

Then("every listed job's importMode, where present, is the one it was created with", function (this: ConformanceWorld) {
  const created = new Map(this.allJobs.map((j) => [j.arn, j.importMode]));
  const id = identify(this);
  // A Then about listed jobs refuses to pass on nothing where jobs were arranged.
  if (!listedSummaries(this).some((j) => created.has(id(j)))) judge.failIf(this, [problem(`none of the ${created.size} arranged jobs was listed`)], { expected: 'the arranged jobs listed, each with the import mode it was created with', what: 'jobs missing' });
  const problems = listedSummaries(this)
    // A mode outside the enum is LDIJ-RESP-005's finding.
    .filter((j) => j.importMode !== undefined && importModes.includes(j.importMode) && created.has(id(j)) && created.get(id(j)) !== j.importMode)
    .map((j) => problem(`${j.jobName}: created ${created.get(id(j))}, listed ${j.importMode}`, id(j)));
  judge.failIf(this, problems, { expected: 'every job is listed with the import mode it was created with (FULL where none was given)', what: 'jobs are listed with another import mode' });
});

Then('no listed job was last updated before it was created', function (this: ConformanceWorld) {
  const problems = listedSummaries(this)
    .filter((j) => j.creationDateTime && j.lastUpdatedDateTime && j.lastUpdatedDateTime.getTime() < j.creationDateTime.getTime())
    .map((j) => problem(`${j.jobName}: created ${j.creationDateTime!.toISOString()}, last updated ${j.lastUpdatedDateTime!.toISOString()}`, j.datasetImportJobArn));
  judge.failIf(this, problems, { expected: 'no job is last updated before it was created', what: 'jobs were last updated before they were created' });
});

Then("no job's lastUpdatedDateTime went back from one listing to a later one", function (this: ConformanceWorld) {
  judge.failIf(this, judge.lastUpdateSetbacks(observedListings(this, knownJobs(this)), identify(this)), {
    expected: "a job's lastUpdatedDateTime never decreases from one listing to a later one", what: 'jobs were last updated earlier than an earlier listing said',
  });
});

Then('no listing shows a job at an earlier status than DescribeDatasetImportJob or an earlier listing showed', function (this: ConformanceWorld) {
  const listings = observedListings(this, knownJobs(this));
  const id = identify(this);
  judge.failIf(this, [...judge.aheadOfDescribe(listings, id), ...judge.statusSetbacksAcross(listings, id)], {
    expected: 'no listing shows a job later in its lifecycle than a DescribeDatasetImportJob made after it, nor earlier than a listing already showed once it agreed with DescribeDatasetImportJob',
    what: 'jobs are listed out of step with their lifecycle',
  });
});

Then('every failed job in the listings carries a failureReason', function (this: ConformanceWorld) {
  const failed = listedSummaries(this).filter((j) => j.status === 'CREATE FAILED');
  // Failed jobs left out of the listing are LDIJ-FILTER-007's finding: here there is no failureReason to judge.
  if (!failed.length) throw new NotShown('target', 'no CREATE FAILED job was listed, though the data holds jobs that fail (LDIJ-FILTER-007 judges a listing that leaves them out): no failureReason to judge', allListingEvidence(this));
  judge.failIf(this, failed.filter((j) => !j.failureReason?.trim()).map((j) => problem(`${j.jobName} has no failureReason`, j.datasetImportJobArn)), {
    expected: 'a CREATE FAILED job carries a failureReason', what: 'failed jobs say nothing of why',
  });
});

Then('no job in the listings that has not failed carries a failureReason', function (this: ConformanceWorld) {
  const problems = listedSummaries(this).filter((j) => j.status !== 'CREATE FAILED' && j.failureReason !== undefined).map((j) => problem(`${j.jobName} (${j.status}) has failureReason "${j.failureReason}"`, j.datasetImportJobArn));
  judge.failIf(this, problems, { expected: 'a job that has not failed carries no failureReason', what: 'jobs that have not failed carry a failureReason' });
});

Then('every listed job agrees with what DescribeDatasetImportJob showed before the listing', function (this: ConformanceWorld) {
  const [listing] = observedListings(this, knownJobs(this));
  judge.failIf(this, judge.disagreementsWithDescribe(listing, identify(this), this.allJobs), {
    expected: 'a summary agrees with CreateDatasetImportJob and DescribeDatasetImportJob on what never changes: the name, the creation time and the import mode', what: 'summaries disagree with DescribeDatasetImportJob',
  });
});

Then('every response carries a datasetImportJobs list', function (this: ConformanceWorld) {
  const pages = observedListings(this, 0).flatMap((l) => l.pages);
  const without = pages.filter((p) => !p.carriedList);
  judge.failIf(this, without.map((p) => problem(`the response of exchange ${p.exchange} carries no datasetImportJobs list`)), {
    expected: 'every listing response carries a datasetImportJobs list, empty or not', what: `of ${pages.length} listing responses carry no list`, evidence: { exchanges: without.map((p) => p.exchange) },
  });
});

Then('no response of the listing carries a null member', function (this: ConformanceWorld) {
  observedListings(this, knownJobs(this));
  const nulls = this.wire.nullMembers.filter((n) => n.text.startsWith('ListDatasetImportJobs '));
  judge.failIf(this, nulls.map((n) => problem(n.text)), {
    expected: 'no null member (servers leave absent members out; clients read nulls as absent)', what: 'null members were sent', evidence: { exchanges: nulls.map((n) => n.exchange) },
  });
});

Then('every response body of the listings matches its schema', function (this: ConformanceWorld) {
  observedListings(this, knownJobs(this));
  const breaches = this.wire.breaches.filter((b) => b.body.startsWith('ListDatasetImportJobs '));
  judge.failIf(this, breaches.map((b) => problem(`${b.body}: ${b.text}`)), {
    expected: 'every ListDatasetImportJobs body matches the schema of the operation', what: 'schema violations', evidence: { exchanges: breaches.map((b) => b.exchange ?? 0) },
  });
});
