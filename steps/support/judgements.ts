/**
 * The judgements Then steps make on what the When step observed: each returns the problems it
 * found (empty when the contract holds), so a step states the rule and `failIf` reports.
 */
import type { DatasetImportJobSummary } from '@aws-sdk/client-personalize';
import { importJobStatuses, statusesFrom } from '../../schemas';
import { describeEach, observedListings, knownJobs, listedArns, listedJobs } from './listing';
import type { ArrangedJob, ConformanceWorld, Listing, RepeatedRequest } from './world';

/** Who a listed job is (steps/support/listing.ts identify). */
type JobId = (s: DatasetImportJobSummary) => string;

export function failIf(problems: string[], what: string): void {
  if (problems.length) throw new Error(`${problems.length} ${what}:\n- ${problems.slice(0, 8).join('\n- ')}${problems.length > 8 ? '\n- ...' : ''}`);
}

/** A body as it came over the wire, parsed (null members read as absent by the caller). */
export function parsedBody(raw: string): Record<string, unknown> {
  try {
    return (JSON.parse(raw || '{}') ?? {}) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** ARNs that are not dataset-import-job ARNs of the caller's region (the pattern itself is the schema's). */
export function arnProblems(jobs: DatasetImportJobSummary[], region: string): string[] {
  const problems: string[] = [];
  for (const j of jobs) {
    const arn = j.datasetImportJobArn ?? '';
    const [prefix, , service, arnRegion, account, resource = ''] = arn.split(':');
    if (prefix !== 'arn' || service !== 'personalize') problems.push(`"${arn}" is not a Personalize ARN`);
    else if (!resource.startsWith('dataset-import-job/')) problems.push(`"${arn}" is not of resource type dataset-import-job`);
    else if (arnRegion !== region) problems.push(`"${arn}" is in region ${arnRegion}, not ${region}`);
    else if (!/^\d{12}$/.test(account)) problems.push(`"${arn}" has no 12-digit account`);
  }
  return problems;
}

/** The ARNs DescribeDatasetImportJob can be asked about: a wrong ARN is LDIJ-RESP-001's finding, not the describing rule's. */
export function describableArns(arns: string[], region: string): string[] {
  return arns.filter((a) => !arnProblems([{ datasetImportJobArn: a }], region).length);
}

/** Jobs the last listing does not show in the end state their import earns. */
export function finalStatusProblems(last: Listing, jobs: ArrangedJob[], id: JobId): string[] {
  const listed = new Map(listedJobs(last).map((j) => [id(j), j.status]));
  return jobs
    .filter((j) => listed.get(j.arn) !== (j.outcome === 'fails' ? 'CREATE FAILED' : 'ACTIVE'))
    .map((j) => `${j.name} (an import that ${j.outcome}) is listed as ${listed.get(j.arn) ?? 'nothing'}`);
}

/** Statuses listed earlier in the lifecycle than one seen before. */
export function statusSetbacks(seen: { arn: string; before?: string; listed?: string }[]): string[] {
  return seen
    // A status outside the lifecycle is LDIJ-RESP-003's finding (its schema), not a step back.
    .filter((s) => s.before !== undefined && s.listed !== undefined && importJobStatuses.includes(s.listed) && statusesFrom(s.before).length > 0 && !statusesFrom(s.before).includes(s.listed))
    .map((s) => `${s.arn}: listed ${s.listed} after ${s.before} was seen`);
}

/** Over listings one after another: each job's status against Describe before the listing and the listings before. */
export function statusSetbacksAcross(listings: Listing[], id: JobId): string[] {
  const latest = new Map<string, string>();
  const problems: string[] = [];
  listings.forEach((listing, i) => {
    const seen = listedJobs(listing).map((j) => {
      const arn = id(j);
      const described = listing.describedBefore?.get(arn)?.status;
      const before = [latest.get(arn), described].filter((s): s is string => !!s && statusesFrom(s).length > 0).sort((a, b) => statusesFrom(a).length - statusesFrom(b).length)[0]; // the later one
      return { arn, before, listed: j.status };
    });
    problems.push(...statusSetbacks(seen).map((p) => `listing ${i + 1}: ${p}`));
    for (const j of listedJobs(listing)) if (j.status) latest.set(id(j), j.status);
  });
  return problems;
}

/** Jobs whose lastUpdatedDateTime is earlier than an earlier listing showed. */
export function lastUpdateSetbacks(listings: Listing[], id: JobId): string[] {
  const latest = new Map<string, number>();
  const problems: string[] = [];
  listings.forEach((listing, i) => {
    for (const j of listedJobs(listing)) {
      const arn = id(j);
      const at = j.lastUpdatedDateTime?.getTime();
      if (at === undefined) continue;
      const before = latest.get(arn);
      if (before !== undefined && at < before) problems.push(`listing ${i + 1}: ${j.jobName} last updated ${new Date(at).toISOString()}, an earlier listing said ${new Date(before).toISOString()}`);
      latest.set(arn, Math.max(at, before ?? at));
    }
  });
  return problems;
}

/** Where a summary disagrees with the DescribeDatasetImportJob made before its listing. */
export function disagreementsWithDescribe(listing: Listing, id: JobId): string[] {
  const described = listing.describedBefore ?? new Map();
  const problems: string[] = [];
  for (const s of listedJobs(listing)) {
    const d = described.get(id(s));
    if (!d) continue; // a job created after the Describe calls: nothing to compare with
    const name = s.jobName ?? s.datasetImportJobArn;
    if (d.jobName !== s.jobName) problems.push(`${s.datasetImportJobArn}: name "${s.jobName}" listed, "${d.jobName}" described`);
    if (d.creationDateTime?.getTime() !== s.creationDateTime?.getTime()) problems.push(`${name}: created ${s.creationDateTime?.toISOString()} listed, ${d.creationDateTime?.toISOString()} described`);
    if (s.importMode !== undefined && d.importMode !== undefined && s.importMode !== d.importMode) problems.push(`${name}: importMode ${s.importMode} listed, ${d.importMode} described`);
    problems.push(...statusSetbacks([{ arn: `${name}`, before: d.status, listed: s.status }]).map((p) => `${p} by DescribeDatasetImportJob`));
    if (d.lastUpdatedDateTime && s.lastUpdatedDateTime && s.lastUpdatedDateTime.getTime() < d.lastUpdatedDateTime.getTime()) {
      problems.push(`${name}: last updated ${s.lastUpdatedDateTime.toISOString()} listed, ${d.lastUpdatedDateTime.toISOString()} described before`);
    }
  }
  if (described.size && !problems.length && !listedJobs(listing).some((s) => described.has(id(s)))) {
    problems.push(`none of the ${described.size} described jobs was listed`);
  }
  return problems;
}

/** Requests sent twice with the same token that got different pages (the jobs in order, and whether more remain). */
export function repeatedRequestProblems(repeats: RepeatedRequest[]): string[] {
  return repeats.flatMap(({ pageNumber, first, second }) => {
    if ('refused' in second) return [`page ${pageNumber}: the repeat was refused with ${second.refused}`];
    const a = first.jobs.map((j) => `${j.datasetImportJobArn}/${j.jobName}`).join(',');
    const b = second.jobs.map((j) => `${j.datasetImportJobArn}/${j.jobName}`).join(',');
    const problems: string[] = [];
    if (a !== b) problems.push(`page ${pageNumber}: ${first.jobs.length} jobs the first time, ${second.jobs.length} the second, not the same ones in the same order`);
    if (!!first.nextToken !== !!second.nextToken) problems.push(`page ${pageNumber}: ${first.nextToken ? 'a token' : 'no token'} the first time, ${second.nextToken ? 'a token' : 'no token'} the second`);
    return problems;
  });
}

export function compareRepeatedRequests(repeats: RepeatedRequest[]): void {
  if (!repeats.length) throw new Error('The When step repeated no request.');
  failIf(repeatedRequestProblems(repeats), 'requests repeated with the same token got another page');
}

/**
 * Fails unless DescribeDatasetImportJob places every listed job in `datasetArn`; refuses an empty
 * listing. Where no listed job has an ARN to describe, says why the rule cannot be judged.
 */
export async function assertDescribedInDataset(world: ConformanceWorld, datasetArn: string, what: string): Promise<string | undefined> {
  const listed = observedListings(world, knownJobs(world)).flatMap((l) => listedArns(world, l));
  const arns = describableArns(listed, world.config.region);
  if (!arns.length) return `none of the ${listed.length} listed jobs has a dataset-import-job ARN of the region to describe (LDIJ-RESP-001's finding)`;
  const described = await describeEach(world, arns);
  const wrong = [...described].filter(([, job]) => job.datasetArn !== datasetArn).map(([arn, job]) => `${arn} belongs to ${job.datasetArn}`);
  if (wrong.length) throw new Error(`Jobs listed for ${what} that DescribeDatasetImportJob places elsewhere: ${wrong.slice(0, 5).join('; ')}.`);
  return undefined;
}
