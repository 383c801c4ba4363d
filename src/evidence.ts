/**
 * Evidence as a reader needs it: the exchanges a finding points at, with long listings cut to the
 * jobs that matter, and one command that sends the first of them again to the same target.
 */
import type { WireLog } from './wire';
import type { Evidence, EvidenceRef, Exchange } from './verdict';

/** Longest body text shown in evidence; the rest is summarised. */
const MAX_TEXT = 6000;
/** Listings of more jobs than this are cut to the jobs around the focus. */
const KEEP_JOBS = 6;

interface JobLike { datasetImportJobArn?: unknown; jobName?: unknown }

function cutText(text: string): string {
  return text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT)}… (${text.length - MAX_TEXT} more characters)`;
}

/** Whether a listed job is one the finding is about (by ARN or name, or an ARN ending in a name). */
function matches(job: JobLike, focus: string[]): boolean {
  return focus.some((f) => f === job.datasetImportJobArn || f === job.jobName || (typeof job.datasetImportJobArn === 'string' && job.datasetImportJobArn.endsWith(`/${f}`)));
}

/**
 * A listing body with its jobs cut to what matters: the focused jobs and their neighbours, the
 * first and the last; the jobs left out are counted in their place.
 */
export function cutListing(text: string, focus: string[] = []): string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return cutText(text);
  }
  const jobs = typeof body === 'object' && body !== null && 'datasetImportJobs' in body ? body.datasetImportJobs : undefined;
  if (!Array.isArray(jobs) || jobs.length <= KEEP_JOBS) return cutText(text);
  const keep = new Set<number>([0, jobs.length - 1]);
  jobs.forEach((j, i) => {
    if (j && typeof j === 'object' && matches(j as JobLike, focus)) for (const k of [i - 1, i, i + 1]) if (k >= 0 && k < jobs.length) keep.add(k); // a listed job: matches() reads its members as they come
  });
  const cut: unknown[] = [];
  let skipped = 0;
  jobs.forEach((j, i) => {
    if (keep.has(i)) {
      if (skipped) cut.push(`… ${skipped} jobs left out …`);
      skipped = 0;
      cut.push(j);
    } else skipped++;
  });
  if (skipped) cut.push(`… ${skipped} jobs left out …`);
  try {
    return cutText(JSON.stringify({ ...(body as object), datasetImportJobs: cut }, null, 1)); // it holds the jobs read above
  } catch {
    return cutText(text); // a body nested too deep to write again: shown as it came, cut
  }
}

/** The exchanges a reference points at, in order, each cut to what matters. */
export function resolveEvidence(log: WireLog, ref: EvidenceRef | undefined): Evidence[] {
  if (!ref) return [];
  const numbers = [...new Set(ref.exchanges)].filter((n) => log.exchange(n)).sort((a, b) => a - b);
  return [...(ref.outside ?? []), ...numbers.map((n) => {
    const x = log.exchange(n)!;
    return {
      ...x,
      request: cutText(x.request),
      response: cutListing(x.response, ref.focus),
      ...(ref.notes?.[n] && { note: ref.notes[n] }),
    };
  })];
}

/** Where a reproduction is sent: the target as the user configured it. */
export interface ReproTarget {
  kind: 'mock' | 'endpoint' | 'aws' | 'replay';
  endpoint?: string;
  region: string;
  /** The account id of the caller, as the run saw it (reports redact it; commands name it as $ACCOUNT_ID). */
  accountId?: string;
  /** How to run the scenario again where there is no endpoint to send a request to (mock, replay). */
  rerun: string;
}

/** A string in single quotes for a POSIX shell. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The request body with the caller's account id as a shell variable the user sets (the reports redact account ids). */
function bodyArgument(request: string, accountId: string | undefined): string {
  const quoted = shellQuote(request || '{}');
  if (!accountId || !request.includes(accountId)) return quoted;
  return quoted.split(accountId).join(`'"\${ACCOUNT_ID:?set ACCOUNT_ID to the account id of your credentials}"'`);
}

/** ListDatasetImportJobs → list-dataset-import-jobs (the AWS CLI's name of an operation). */
function cliName(operation: string): string {
  return operation.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** One command that sends `x`'s request again to the same target, with the user's own credentials. */
export function reproduceCommand(x: Exchange, target: ReproTarget): string {
  if (target.kind === 'mock' || target.kind === 'replay') return target.rerun;
  const body = bodyArgument(x.request, target.accountId);
  if (target.kind === 'aws' && !target.endpoint) {
    return `aws personalize ${cliName(x.operation)} --region ${target.region} --no-paginate --cli-input-json ${body}`;
  }
  return [
    'curl -sS -i',
    `--aws-sigv4 ${shellQuote(`aws:amz:${target.region}:personalize`)}`,
    '--user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY"',
    `-H ${shellQuote('Content-Type: application/x-amz-json-1.1')}`,
    `-H ${shellQuote(`X-Amz-Target: AmazonPersonalize.${x.operation}`)}`,
    `--data-binary ${body}`,
    shellQuote(`${target.endpoint ?? ''}/`),
  ].join(' ');
}
