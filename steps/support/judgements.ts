/**
 * The judgements Then steps make on what the When step observed: each returns the problems it
 * found (empty when the contract holds), each problem naming the job it is about, so a step states
 * the rule and `failIf` throws one ContractBreach whose evidence is the pages that show them.
 */
import type { DatasetImportJobSummary } from '@aws-sdk/client-personalize';
import { importJobStatuses, importModes, statusesFrom, terminalImportJobStatuses } from '../../schemas';
import { ContractBreach, NotShown, type EvidenceRef } from '../../src/verdict';
import { allListingEvidence, describeEach, knownJobs, listedArns, listedJobs, observedListings } from './listing';
import type { DatasetImportJob } from '@aws-sdk/client-personalize';
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

/** A status's place in the documented lifecycle (CREATE PENDING > CREATE IN_PROGRESS > ACTIVE -or- CREATE FAILED); undefined outside it. */
export function lifecycleRank(status: string | undefined): number | undefined {
  if (status === undefined || !importJobStatuses.includes(status)) return undefined;
  return terminalImportJobStatuses.includes(status) ? importJobStatuses.length : importJobStatuses.indexOf(status);
}

/** Whether a listed status lies beyond what Describe showed (later in the lifecycle, or another end). */
function beyond(listed: string | undefined, described: string | undefined): boolean {
  const l = lifecycleRank(listed);
  const d = lifecycleRank(described);
  if (l === undefined || d === undefined) return false; // a status outside the lifecycle is LDIJ-RESP-003's finding
  return l > d || (l === d && listed !== described);
}

/**
 * MUST: a listing never shows a job later in its lifecycle (or at another end) than a
 * DescribeDatasetImportJob made after that listing showed. A listing may trail Describe; it may not lead it.
 */
export function aheadOfDescribe(listings: Listing[], id: JobId): Problem[] {
  const problems: Problem[] = [];
  listings.forEach((listing, i) => {
    for (const s of listedJobs(listing)) {
      const after = listing.describedAfter?.get(id(s))?.status;
      if (beyond(s.status, after)) problems.push(problem(`listing ${i + 1} showed ${s.jobName} ${s.status}; DescribeDatasetImportJob right after it showed ${after}`, id(s)));
    }
  });
  return problems;
}

/**
 * A job's listed value, once a listing showed it as Describe did before that listing (caught up),
 * must not go back in later listings. Before it caught up, a listing may trail and waver.
 */
function setbacksAfterCatchUp<T>(listings: Listing[], id: JobId, o: { listed: (s: DatasetImportJobSummary) => T | undefined; described: (d: DatasetImportJob) => T | undefined; order: (v: T) => number | undefined; show: (v: T) => string; what: string }): Problem[] {
  const caught = new Map<string, T>();
  const problems: Problem[] = [];
  listings.forEach((listing, i) => {
    for (const s of listedJobs(listing)) {
      const arn = id(s);
      const value = o.listed(s);
      if (value === undefined || o.order(value) === undefined) continue;
      const highest = caught.get(arn);
      if (highest !== undefined && o.order(value)! < o.order(highest)!) {
        problems.push(problem(`listing ${i + 1} showed ${s.jobName} ${o.what} ${o.show(value)} after a listing had shown ${o.show(highest)}, as DescribeDatasetImportJob did`, arn));
        continue;
      }
      const d = listing.describedBefore?.get(arn);
      const described = d ? o.described(d) : undefined;
      const agrees = described !== undefined && o.order(described) === o.order(value);
      if (agrees || (highest !== undefined && o.order(value)! >= o.order(highest)!)) caught.set(arn, value);
    }
  });
  return problems;
}

/** MUST: once a listing shows a job's status as Describe does, later listings never show an earlier one (LDIJ-RESP-012). */
export function statusSetbacksAcross(listings: Listing[], id: JobId): Problem[] {
  return setbacksAfterCatchUp(listings, id, { listed: (s) => s.status, described: (d) => d.status, order: lifecycleRank, show: (v) => v, what: 'at status' });
}

/** MUST: once a listing shows a job's lastUpdatedDateTime as Describe does, later listings never show an earlier one (LDIJ-RESP-013). */
export function lastUpdateSetbacks(listings: Listing[], id: JobId): Problem[] {
  return setbacksAfterCatchUp(listings, id, { listed: (s) => s.lastUpdatedDateTime?.getTime(), described: (d) => d.lastUpdatedDateTime?.getTime(), order: (v) => v, show: (v) => new Date(v).toISOString(), what: 'last updated' });
}

/** Statuses listed earlier in the lifecycle than one seen before (a single comparison: a watched job, LDIJ-RESP-012's examples). */
export function statusSetbacks(seen: { arn: string; before?: string; listed?: string }[]): Problem[] {
  return seen
    // A status outside the lifecycle is LDIJ-RESP-003's finding (its schema), not a step back.
    .filter((s) => s.before !== undefined && s.listed !== undefined && importJobStatuses.includes(s.listed) && statusesFrom(s.before).length > 0 && !statusesFrom(s.before).includes(s.listed))
    .map((s) => problem(`${s.arn}: listed ${s.listed} after ${s.before} was seen`, s.arn));
}

/**
 * MUST: the facts of a job that never change agree between CreateDatasetImportJob,
 * DescribeDatasetImportJob and every listing: its name, its creation time and its import mode
 * (its ARN is LDIJ-RESP-001's). Status and last update may trail Describe (LDIJ-CONS-002 judges them).
 */
export function immutableDisagreements(listings: Listing[], jobs: ArrangedJob[], id: JobId): Problem[] {
  const created = new Map(jobs.map((j) => [j.arn, j]));
  const problems: Problem[] = [];
  const firstCreation = new Map<string, number>();
  listings.forEach((listing, i) => {
    for (const s of listedJobs(listing)) {
      const arn = id(s);
      const name = s.jobName ?? arn;
      const p = (text: string) => problems.push(problem(`listing ${i + 1}: ${text}`, arn));
      const job = created.get(arn);
      if (job && s.jobName !== job.name) p(`${arn} listed as "${s.jobName}", created as "${job.name}"`);
      for (const d of [listing.describedBefore?.get(arn), listing.describedAfter?.get(arn)]) {
        if (!d) continue;
        if (d.jobName !== s.jobName) p(`name "${s.jobName}" listed, "${d.jobName}" described`);
        if (d.creationDateTime?.getTime() !== s.creationDateTime?.getTime()) p(`${name} created ${s.creationDateTime?.toISOString()} listed, ${d.creationDateTime?.toISOString()} described`);
        // A mode outside the enum is LDIJ-RESP-005's finding, not a disagreement.
        if (s.importMode !== undefined && importModes.includes(s.importMode) && d.importMode !== undefined && s.importMode !== d.importMode) p(`${name} importMode ${s.importMode} listed, ${d.importMode} described`);
      }
      const at = s.creationDateTime?.getTime();
      if (at === undefined) continue;
      const first = firstCreation.get(arn);
      if (first === undefined) firstCreation.set(arn, at);
      else if (first !== at) p(`${name} created ${new Date(at).toISOString()}, an earlier listing said ${new Date(first).toISOString()}`);
    }
  });
  return [...new Map(problems.map((x) => [x.text.replace(/^listing \d+: /, ''), x])).values()];
}

/** Where a summary disagrees with the DescribeDatasetImportJob made before its listing, on facts that never change (LDIJ-RESP-008). */
export function disagreementsWithDescribe(listing: Listing, id: JobId, jobs: ArrangedJob[] = []): Problem[] {
  const described = listing.describedBefore ?? new Map<string, DatasetImportJob>();
  const problems = immutableDisagreements([listing], jobs, id);
  if (described.size && !problems.length && !listedJobs(listing).some((s) => described.has(id(s)))) {
    problems.push(problem(`none of the ${described.size} described jobs was listed`));
  }
  return problems;
}

/**
 * MUST (LDIJ-CONS-002): the listing catches up with Describe: once Describe shows every watched
 * job finished, a listing shows each with Describe's status and last update, within the wait.
 */
export function notCaughtUp(world: ConformanceWorld, listings: Listing[], id: JobId): Problem[] {
  const last = listings.at(-1);
  const catchUp = world.observed.catchUp;
  if (!last || !catchUp || catchUp.afterMs !== undefined) return [];
  const described = last.describedBefore ?? new Map<string, DatasetImportJob>();
  const listed = new Map(listedJobs(last).map((s) => [id(s), s]));
  // A job the listing leaves out altogether is the listing rules' finding (LDIJ-FILTER-007), unless it leaves out every one.
  const someListed = [...described.keys()].some((arn) => listed.has(arn));
  return [...described].filter(([arn, d]) => {
    const s = listed.get(arn);
    if (!s && someListed) return false;
    // A status outside the documented lifecycle is LDIJ-RESP-003's finding: nothing to catch up with.
    if (s && !importJobStatuses.includes(s.status ?? '')) return false;
    return !s || s.status !== d.status || (s.lastUpdatedDateTime !== undefined && s.lastUpdatedDateTime.getTime() !== d.lastUpdatedDateTime?.getTime());
  }).map(([arn, d]) => {
    const s = listed.get(arn);
    return problem(`${d.jobName}: ${Math.round((catchUp.waitedMs ?? 0) / 1000)} s after DescribeDatasetImportJob showed it ${d.status} (last updated ${d.lastUpdatedDateTime?.toISOString()}), the listing still shows ${s ? `${s.status} (last updated ${s.lastUpdatedDateTime?.toISOString() ?? 'absent'})` : 'nothing'}`, arn);
  });
}

/** Requests sent twice with the same token that got different pages (the jobs in order, and whether more remain). */
export function repeatedRequestProblems(repeats: RepeatedRequest[]): Problem[] {
  return repeats.flatMap(({ pageNumber, first, second }) => {
    if ('refused' in second) return [problem(`page ${pageNumber}: the repeat was refused with ${second.refused}`)];
    const a = first.jobs.map((j) => `${j.datasetImportJobArn}/${j.jobName}`).join(',');
    const b = second.jobs.map((j) => `${j.datasetImportJobArn}/${j.jobName}`).join(',');
    const problems: Problem[] = [];
    if (a !== b) problems.push(problem(`page ${pageNumber}: ${first.jobs.length} jobs the first time, ${second.jobs.length} the second, not the same ones in the same order`));
    // A last page may gain a token on its repeat: others at work in the account added jobs behind it
    // (a service that cuts pages before the filter walks on into them). A token that vanishes has no such excuse.
    if (first.nextToken && !second.nextToken) problems.push(problem(`page ${pageNumber}: a token the first time, no token the second`));
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
