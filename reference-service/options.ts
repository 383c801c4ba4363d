/**
 * The choices the contract leaves open, each a documented, conformant option of the reference
 * service; the documented rules it follows; and lenient choices that only the SDK's tolerance
 * covers. Injected faults are not options: reference-service/faults/ applies them from outside.
 */

/**
 * The documented rules of CreateDatasetImportJob, on by default: the reference behaves as the
 * real service is documented to (a variant may switch them off).
 */
const IN_PROGRESS_LIMIT_BY_DEFAULT = true;
const FULL_BEFORE_INCREMENTAL_BY_DEFAULT = true;
/** "More than 5 resources with PENDING or IN_PROGRESS status" (developer guide, limits.md). */
export const DOCUMENTED_IN_PROGRESS_LIMIT = 5;
/** Length of a real service's continuation token (an AWS Encryption SDK message, base64). */
export const LONG_TOKEN_LENGTH = 920;
export type ResultOrder = 'oldest-first' | 'newest-first' | 'by-name' | 'by-hash';
export type TokenFormat = 'opaque' | 'checksummed' | 'signed';
export type LastPageToken = 'absent' | 'empty';
export type UnknownDatasetAnswer = 'empty-list' | 'invalid-input';
export type ErrorTypeStyle = 'plain' | 'namespaced' | 'header';
export type TimestampStyle = 'whole-seconds' | 'fractional-seconds';
export type ConstraintErrorType = 'InvalidInputException' | 'ValidationException';

export interface Lifecycle {
  /** How long a new resource stays CREATE PENDING. */
  pendingMs: number;
  /** How long it then stays CREATE IN_PROGRESS before ACTIVE or CREATE FAILED. */
  inProgressMs: number;
  /** How long a deleted resource stays DELETE PENDING before it is gone. */
  deletingMs: number;
}

export interface ServiceOptions {
  order: ResultOrder;
  tokenFormat: TokenFormat;
  /** Page size when a request omits maxResults. */
  defaultPageSize: number;
  lastPageToken: LastPageToken;
  unknownDataset: UnknownDatasetAnswer;
  errorTypeStyle: ErrorTypeStyle;
  timestampStyle: TimestampStyle;
  /** Members the model does not (yet) declare, added to every summary, as a newer service might. */
  extraSummaryFields: boolean;
  lifecycle: Lifecycle;
  /** Key for signed tokens; none: a random key per process (tokens.ts), so that no token can be forged. */
  tokenSecret?: string;
  /** Most import jobs CREATE PENDING or CREATE IN_PROGRESS per account and region; 0: no limit. */
  inProgressLimit: number;
  /** An INCREMENTAL import needs an ACTIVE FULL import in its dataset first. */
  fullBeforeIncremental: boolean;
  /** How long after its creation a job is first listed (Describe shows it at once). */
  listingLagMs: number;
  /** Pages hold at most half the page size while more remain, and the second page is empty (with a token). */
  shortPages: boolean;
  /** Tokens as long as the real service's (about 920 characters). */
  longTokens: boolean;
  /** The error type of a broken length, range or pattern constraint (ValidationException: lenient). */
  constraintErrorType: ConstraintErrorType;
  /** Absent optional members sent as null, and "nextToken": null on the last page (lenient). */
  nullMembers: boolean;
  /**
   * How far (ms, service clock) the status and lastUpdatedDateTime a listing shows trail
   * DescribeDatasetImportJob: the listing reads an index that the job's table updates this much
   * later, so a job's listed status catches up with Describe once this time has passed. No source
   * promises read-your-write consistency between the two operations; AWS control planes are
   * eventually consistent ("the result of an API command ... might not be immediately visible to
   * all subsequent commands", Amazon EC2 Developer Guide, "Eventual consistency in the Amazon EC2
   * API"; contract.md §6, 2026-12-02).
   */
  statusLagMs: number;
  /**
   * A listing with datasetArn reads a page of the account's jobs (in result order, maxResults of
   * them) and then keeps that dataset's, as a DynamoDB Query with a filter expression does: "This
   * limit applies before the filter expression is evaluated", and "If LastEvaluatedKey is not
   * empty, it does not necessarily mean that there is more data in the result set" (Amazon
   * DynamoDB Developer Guide, "Filter expressions for the Query operation", "Paginating table
   * query results"; contract.md §6, 2026-12-02). A filtered listing then has short or empty pages
   * that carry a token; its tokens still end, and every job is listed once. Smithy's pagination
   * guidance allows it: "Do not attempt to fill response pages to meet the value provided for the
   * pageSize member" (paginated trait).
   */
  filterAfterPage: boolean;
  /**
   * Error bodies carry the type only, as {"__type":"InvalidInputException"}: the model's error
   * shapes have an optional `message` member (not @required), and the one real Personalize 400 on
   * record is a 38-byte body with a type and no message (boto/botocore issue 1844; contract.md §1
   * and §6, 2026-12-02).
   */
  errorsWithoutMessage: boolean;
  /**
   * Another actor at work in each account and region that has resources: every this many requests
   * of that account and region (0: never), someone else creates an import job in a dataset of
   * their own there and lets it finish, so account-level listings grow while a client walks them.
   * The API reference lists "all the dataset import jobs associated with the account", whoever
   * created them; Smithy's paginated trait: "Services MAY include newly created items in a
   * paginated result set on a not yet seen page".
   */
  otherActorEvery: number;
}

export const defaultOptions: ServiceOptions = {
  order: 'oldest-first',
  tokenFormat: 'signed',
  defaultPageSize: 100,
  lastPageToken: 'absent',
  unknownDataset: 'empty-list',
  errorTypeStyle: 'plain',
  timestampStyle: 'whole-seconds',
  extraSummaryFields: false,
  lifecycle: { pendingMs: 2000, inProgressMs: 2000, deletingMs: 1000 },
  inProgressLimit: IN_PROGRESS_LIMIT_BY_DEFAULT ? DOCUMENTED_IN_PROGRESS_LIMIT : 0,
  fullBeforeIncremental: FULL_BEFORE_INCREMENTAL_BY_DEFAULT,
  listingLagMs: 0,
  shortPages: false,
  longTokens: false,
  constraintErrorType: 'InvalidInputException',
  nullMembers: false,
  statusLagMs: 0,
  filterAfterPage: false,
  errorsWithoutMessage: false,
  otherActorEvery: 0,
};

const choices: Record<string, readonly string[]> = {
  order: ['oldest-first', 'newest-first', 'by-name', 'by-hash'],
  tokenFormat: ['opaque', 'checksummed', 'signed'],
  lastPageToken: ['absent', 'empty'],
  unknownDataset: ['empty-list', 'invalid-input'],
  errorTypeStyle: ['plain', 'namespaced', 'header'],
  timestampStyle: ['whole-seconds', 'fractional-seconds'],
  constraintErrorType: ['InvalidInputException', 'ValidationException'],
};
const switches = ['extraSummaryFields', 'fullBeforeIncremental', 'shortPages', 'longTokens', 'nullMembers', 'filterAfterPage', 'errorsWithoutMessage'] as const;
const durations = ['pendingMs', 'inProgressMs', 'deletingMs'] as const;
const isOneOf = <T extends string>(list: readonly T[], key: string): key is T => list.some((item) => item === key);

function flag(key: string, value: string | undefined): boolean {
  if (value === undefined || value === 'true') return true;
  if (value === 'false') return false;
  throw new Error(`variant ${key}=${value} is not true or false`);
}

/**
 * Reads options from a compact string such as `order=newest-first,tokenFormat=opaque,defaultPageSize=25`
 * (the form of CONFORMANCE_VARIANT and the emulator's --variant), on top of the defaults.
 */
export function parseVariant(text: string | undefined, base: ServiceOptions = defaultOptions): ServiceOptions {
  const options: ServiceOptions = { ...base, lifecycle: { ...base.lifecycle } };
  if (!text) return options;
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [key, value] = part.split('=').map((s) => s.trim());
    if (key in choices) {
      if (!choices[key].includes(value)) {
        throw new Error(`variant ${key}=${value} is not one of: ${choices[key].join(', ')}`);
      }
      (options as unknown as Record<string, string>)[key] = value; // key is one of choices', each a string member of ServiceOptions
    } else if (key === 'defaultPageSize') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) throw new Error(`variant defaultPageSize=${value} is not a positive integer`);
      options.defaultPageSize = n;
    } else if (isOneOf(switches, key)) {
      options[key] = flag(key, value);
    } else if (key === 'inProgressLimit') {
      const n = value === 'off' ? 0 : Number(value);
      if (!Number.isInteger(n) || n < 0) throw new Error(`variant inProgressLimit=${value} is not a whole number or off`);
      options.inProgressLimit = n;
    } else if (key === 'listingLagMs' || key === 'statusLagMs') {
      options[key] = duration(key, value);
    } else if (key === 'otherActorEvery') {
      const n = value === 'off' ? 0 : Number(value);
      if (!Number.isInteger(n) || n < 0) throw new Error(`variant otherActorEvery=${value} is not a whole number of requests or off`);
      options.otherActorEvery = n;
    } else if (isOneOf(durations, key)) {
      options.lifecycle[key] = duration(key, value);
    } else {
      throw new Error(`unknown variant option "${key}" (known: ${[...Object.keys(choices), 'defaultPageSize', ...switches, 'inProgressLimit', 'listingLagMs', 'statusLagMs', 'otherActorEvery', ...durations].join(', ')})`);
    }
  }
  return options;
}

function duration(key: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || value === '' || !Number.isFinite(n) || n < 0) throw new Error(`variant ${key}=${value} is not a duration in ms`);
  return n;
}

export function describeOptions(o: ServiceOptions): string {
  return [
    `order=${o.order}`, `tokenFormat=${o.tokenFormat}`, `defaultPageSize=${o.defaultPageSize}`,
    `lastPageToken=${o.lastPageToken}`, `unknownDataset=${o.unknownDataset}`, `errorTypeStyle=${o.errorTypeStyle}`,
    `timestampStyle=${o.timestampStyle}`, `extraSummaryFields=${o.extraSummaryFields}`,
    `pendingMs=${o.lifecycle.pendingMs}`, `inProgressMs=${o.lifecycle.inProgressMs}`,
    `inProgressLimit=${o.inProgressLimit || 'off'}`, `fullBeforeIncremental=${o.fullBeforeIncremental}`,
    ...(o.listingLagMs ? [`listingLagMs=${o.listingLagMs}`] : []),
    ...(o.shortPages ? ['shortPages=true'] : []),
    ...(o.longTokens ? ['longTokens=true'] : []),
    ...(o.constraintErrorType !== 'InvalidInputException' ? [`constraintErrorType=${o.constraintErrorType}`] : []),
    ...(o.nullMembers ? ['nullMembers=true'] : []),
    ...(o.statusLagMs ? [`statusLagMs=${o.statusLagMs}`] : []),
    ...(o.filterAfterPage ? ['filterAfterPage=true'] : []),
    ...(o.errorsWithoutMessage ? ['errorsWithoutMessage=true'] : []),
    ...(o.otherActorEvery ? [`otherActorEvery=${o.otherActorEvery}`] : []),
  ].join(',');
}
