/**
 * The judgements Then steps make on what the When step observed: each returns the problems it
 * found (empty when the contract holds), each problem naming the job it is about, so a step states
 * the rule and `failIf` throws one ContractBreach whose evidence is the pages that show them.
 */
import type { DatasetImportJobSummary } from '@aws-sdk/client-personalize';
import { importJobStatuses, statusesFrom } from '../../schemas';
import { ContractBreach, NotShown, type EvidenceRef } from '../../src/verdict';
import { allListingEvidence, describeEach, knownJobs, listedArns, listedJobs, observedListings } from './listing';
import type { ArrangedJob, ConformanceWorld, Listing, RepeatedRequest } from './world';

/** Who a listed job is (steps/support/listing.ts identify). */
type JobId = (s: DatasetImportJobSummary) => string;

/** A problem a judgement found, and the job it is about (an ARN or a name), to focus the evidence. */
export interface Problem { text: string; about?: string }

export const problem = (text: string, about?: string): Problem => ({ text, about });

/**
 * Throws one ContractBreach for the problems found, if any: `expected` is the rule, the problems
 * what was observed, and the evidence the exchanges of the When step's listings about those jobs
 * (or the evidence given).
 */
export function failIf(world: ConformanceWorld, problems: Problem[], o: { expected: string; what: string; evidence?: EvidenceRef }): void {
  if (!problems.length) return;
  const shown = problems.slice(0, 8).map((p) => p.text).join('; ');
  const focus = [...new Set(problems.map((p) => p.about).filter((a): a is string => !!a))];
  throw new ContractBreach({
    expected: o.expected,
    observed: `${problems.length} ${o.what}: ${shown}${problems.length > 8 ? '; ...' : ''}`,
    evidence: o.evidence ?? allListingEvidence(world, focus),
  });
}

/** ARNs that are not dataset-import-job ARNs of the caller's region (the pattern itself is the schema's). */
export function arnProblems(jobs: DatasetImportJobSummary[], region: string): Problem[] {
  const problems: Problem[] = [];
  for (const j of jobs) {
    const arn = j.datasetImportJobArn ?? '';
    const [prefix, , service, arnRegion, account, resource = ''] = arn.split(':');
    const p = (text: string) => problems.push(problem(text, arn || j.jobName));
    if (prefix !== 'arn' || service !== 'personalize') p(`"${arn}" is not a Personalize ARN`);
    else if (!resource.startsWith('dataset-import-job/')) p(`"${arn}" is not of resource type dataset-import-job`);
    else if (arnRegion !== region) p(`"${arn}" is in region ${arnRegion}, not ${region}`);
    else if (!/^\d{12}$/.test(account)) p(`"${arn}" has no 12-digit account`);
  }
  return problems;
}

/** The ARNs DescribeDatasetImportJob can be asked about: a wrong ARN is LDIJ-RESP-001's finding, not the describing rule's. */
export function describableArns(arns: string[], region: string): string[] {
  return arns.filter((a) => !arnProblems([{ datasetImportJobArn: a }], region).length);
}

/** Jobs the last listing does not show in the end state their import earns. */
export function finalStatusProblems(last: Listing, jobs: ArrangedJob[], id: JobId): Problem[] {
  const listed = new Map(listedJobs(last).map((j) => [id(j), j.status]));
  return jobs
    .filter((j) => listed.get(j.arn) !== (j.outcome === 'fails' ? 'CREATE FAILED' : 'ACTIVE'))
    .map((j) => problem(`${j.name} (an import that ${j.outcome}) is listed as ${listed.get(j.arn) ?? 'nothing'}`, j.arn));
}

/** Statuses listed earlier in the lifecycle than one seen before. */
export function statusSetbacks(seen: { arn: string; before?: string; listed?: string }[]): Problem[] {
  return seen
    // A status outside the lifecycle is LDIJ-RESP-003's finding (its schema), not a step back.
    .filter((s) => s.before !== undefined && s.listed !== undefined && importJobStatuses.includes(s.listed) && statusesFrom(s.before).length > 0 && !statusesFrom(s.before).includes(s.listed))
    .map((s) => problem(`${s.arn}: listed ${s.listed} after ${s.before} was seen`, s.arn));
}

/** Over listings one after another: each job's status against Describe before the listing and the listings before. */
export function statusSetbacksAcross(listings: Listing[], id: JobId): Problem[] {
  const latest = new Map<string, string>();
  const problems: Problem[] = [];
  listings.forEach((listing, i) => {
    const seen = listedJobs(listing).map((j) => {
      const arn = id(j);
      const described = listing.describedBefore?.get(arn)?.status;
      const before = [latest.get(arn), described].filter((s): s is string => !!s && statusesFrom(s).length > 0).sort((a, b) => statusesFrom(a).length - statusesFrom(b).length)[0]; // the later one
      return { arn, before, listed: j.status };
    });
    problems.push(...statusSetbacks(seen).map((p) => ({ ...p, text: `listing ${i + 1}: ${p.text}` })));
    for (const j of listedJobs(listing)) if (j.status) latest.set(id(j), j.status);
  });
  return problems;
}

/** Jobs whose lastUpdatedDateTime is earlier than an earlier listing showed. */
export function lastUpdateSetbacks(listings: Listing[], id: JobId): Problem[] {
  const latest = new Map<string, number>();
  const problems: Problem[] = [];
  listings.forEach((listing, i) => {
    for (const j of listedJobs(listing)) {
      const arn = id(j);
      const at = j.lastUpdatedDateTime?.getTime();
      if (at === undefined) continue;
      const before = latest.get(arn);
      if (before !== undefined && at < before) problems.push(problem(`listing ${i + 1}: ${j.jobName} last updated ${new Date(at).toISOString()}, an earlier listing said ${new Date(before).toISOString()}`, arn));
      latest.set(arn, Math.max(at, before ?? at));
    }
  });
  return problems;
}

/** Where a summary disagrees with the DescribeDatasetImportJob made before its listing. */
export function disagreementsWithDescribe(listing: Listing, id: JobId): Problem[] {
  const described = listing.describedBefore ?? new Map();
  const problems: Problem[] = [];
  for (const s of listedJobs(listing)) {
    const arn = id(s);
    const d = described.get(arn);
    if (!d) continue; // a job created after the Describe calls: nothing to compare with
    const name = s.jobName ?? s.datasetImportJobArn;
    const p = (text: string) => problems.push(problem(text, arn));
    if (d.jobName !== s.jobName) p(`${s.datasetImportJobArn}: name "${s.jobName}" listed, "${d.jobName}" described`);
    if (d.creationDateTime?.getTime() !== s.creationDateTime?.getTime()) p(`${name}: created ${s.creationDateTime?.toISOString()} listed, ${d.creationDateTime?.toISOString()} described`);
    if (s.importMode !== undefined && d.importMode !== undefined && s.importMode !== d.importMode) p(`${name}: importMode ${s.importMode} listed, ${d.importMode} described`);
    problems.push(...statusSetbacks([{ arn: `${name}`, before: d.status, listed: s.status }]).map((x) => ({ ...x, text: `${x.text} by DescribeDatasetImportJob`, about: arn })));
    if (d.lastUpdatedDateTime && s.lastUpdatedDateTime && s.lastUpdatedDateTime.getTime() < d.lastUpdatedDateTime.getTime()) {
      p(`${name}: last updated ${s.lastUpdatedDateTime.toISOString()} listed, ${d.lastUpdatedDateTime.toISOString()} described before`);
    }
  }
  if (described.size && !problems.length && !listedJobs(listing).some((s) => described.has(id(s)))) {
    problems.push(problem(`none of the ${described.size} described jobs was listed`));
  }
  return problems;
}

/** Requests sent twice with the same token that got different pages (the jobs in order, and whether more remain). */
export function repeatedRequestProblems(repeats: RepeatedRequest[]): Problem[] {
  return repeats.flatMap(({ pageNumber, first, second }) => {
    if ('refused' in second) return [problem(`page ${pageNumber}: the repeat was refused with ${second.refused}`)];
    const a = first.jobs.map((j) => `${j.datasetImportJobArn}/${j.jobName}`).join(',');
    const b = second.jobs.map((j) => `${j.datasetImportJobArn}/${j.jobName}`).join(',');
    const problems: Problem[] = [];
    if (a !== b) problems.push(problem(`page ${pageNumber}: ${first.jobs.length} jobs the first time, ${second.jobs.length} the second, not the same ones in the same order`));
    if (!!first.nextToken !== !!second.nextToken) problems.push(problem(`page ${pageNumber}: ${first.nextToken ? 'a token' : 'no token'} the first time, ${second.nextToken ? 'a token' : 'no token'} the second`));
    return problems;
  });
}

export function compareRepeatedRequests(world: ConformanceWorld, repeats: RepeatedRequest[]): void {
  if (!repeats.length) throw new NotShown('suite', 'a defect of the suite: the When step repeated no request');
  const differing = repeats.filter((r) => repeatedRequestProblems([r]).length);
  const exchanges = differing.flatMap((r) => [r.first.exchange, 'refused' in r.second ? r.second.exchange : r.second.exchange]);
  failIf(world, repeatedRequestProblems(repeats), { expected: 'the same request with the same nextToken gives the same page again', what: 'requests repeated with the same token got another page', evidence: { exchanges } });
}

/**
 * Fails unless DescribeDatasetImportJob places every listed job in `datasetArn`; refuses an empty
 * listing. Where no listed job has an ARN to describe, the rule cannot be judged (not shown).
 */
export async function assertDescribedInDataset(world: ConformanceWorld, datasetArn: string, what: string): Promise<void> {
  const listed = observedListings(world, knownJobs(world)).flatMap((l) => listedArns(world, l));
  const arns = describableArns(listed, world.config.region);
  if (!arns.length) throw new NotShown('target', `none of the ${listed.length} listed jobs has a dataset-import-job ARN of the region to describe (LDIJ-RESP-001's finding)`);
  const described = await describeEach(world, arns);
  const wrong = [...described].filter(([, job]) => job.datasetArn !== datasetArn);
  if (!wrong.length) return;
  const describes = world.wire.exchanges.filter((x) => x.operation === 'DescribeDatasetImportJob' && wrong.some(([arn]) => x.request.includes(arn))).map((x) => x.n);
  const listing = allListingEvidence(world, wrong.map(([arn]) => arn));
  failIf(world, wrong.map(([arn, job]) => problem(`${arn} belongs to ${job.datasetArn}`, arn)), {
    expected: `every job listed for ${what} belongs to it, as DescribeDatasetImportJob says`,
    what: `jobs listed for ${what} that DescribeDatasetImportJob places elsewhere`,
    evidence: { ...listing, exchanges: [...listing.exchanges, ...describes.slice(0, 3)] },
  });
}
