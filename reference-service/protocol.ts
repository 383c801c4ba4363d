/**
 * The awsJson1_1 front end of the reference service: target, authentication, JSON, request schema,
 * and AWS-shaped error bodies. Both in-repo transports (the in-process SDK handler, the HTTP
 * server) pass raw requests through here, so they answer byte for byte alike. The constraint
 * check, the success response and the error response are methods of their own, so that the fault
 * catalog (faults/) can wrap them from outside.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { isPlainObject, requestErrors } from '../schemas';
import { ServiceError } from './errors';
import { type Caller, ReferenceService } from './service';
import { verifySignature } from './sigv4';

export const TARGET_PREFIX = 'AmazonPersonalize.';
export const CONTENT_TYPE = 'application/x-amz-json-1.1';
export const MAX_BODY_BYTES = 1024 * 1024;
const ERROR_NAMESPACE = 'com.amazonaws.personalize#';

export interface WireRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer | string;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface FrontEndOptions {
  /** When set, SigV4 signatures are verified with the secret this returns for an access key id. */
  secretFor?: (accessKeyId: string) => string | undefined;
  /** The clock the signature's time is checked against (default: the wall clock, which the client signs with). */
  now?: () => number;
  /** Which account each access key id stands for (default: the process's, under DEFAULT_ACCOUNT_ID_KEY). */
  accountIds?: AccountIds;
}

/**
 * How an access key id becomes an account id. Candidate n of a key is
 *   HMAC-SHA256(key, n = 0 ? accessKeyId : `${accessKeyId}#${n}`),
 * its first 8 bytes read as an unsigned big-endian integer, modulo 10^12, written as 12 digits.
 * A key of this process takes its candidate 0 unless a key seen earlier holds that account: then
 * its next free candidate. So two access keys never share an account (a pair of keys collides on
 * 12 digits about once in 10^12, which a million keys make likely), and, short of such a
 * collision, an account id can be computed offline (personalize-emulator --account-id-of KEY).
 */
export const DEFAULT_ACCOUNT_ID_KEY = 'personalize-emulator-account-ids';
/** Distinct access keys an emulator takes (it must remember each to keep accounts apart). */
const MAX_ACCESS_KEYS = 1_000_000;
const ACCOUNT_ID_SPACE = 10n ** 12n;

export function accountIdCandidate(key: string, accessKeyId: string, n: number): string {
  const mac = createHmac('sha256', key).update(n === 0 ? accessKeyId : `${accessKeyId}#${n}`).digest();
  return (mac.readBigUInt64BE(0) % ACCOUNT_ID_SPACE).toString().padStart(12, '0');
}

/** The accounts of the access keys seen: one account per key, one key per account. */
export class AccountIds {
  private readonly byKey = new Map<string, string>();
  private readonly taken = new Set<string>();

  constructor(readonly key: string = DEFAULT_ACCOUNT_ID_KEY, private readonly capacity = MAX_ACCESS_KEYS) {}

  of(accessKeyId: string): string {
    const known = this.byKey.get(accessKeyId);
    if (known !== undefined) return known;
    if (this.byKey.size >= this.capacity) {
      throw new ServiceError('UnrecognizedClientException', `The emulator has seen ${this.capacity} access keys, as many as it keeps apart; restart it.`);
    }
    let id = accountIdCandidate(this.key, accessKeyId, 0);
    for (let n = 1; this.taken.has(id); n++) id = accountIdCandidate(this.key, accessKeyId, n);
    this.byKey.set(accessKeyId, id);
    this.taken.add(id);
    return id;
  }
}

const processAccountIds = new AccountIds();

/** The account an access key id stands for in this process (see AccountIds). */
export function accountIdFor(accessKeyId: string): string {
  return processAccountIds.of(accessKeyId);
}

function header(headers: WireRequest['headers'], name: string): string | undefined {
  const v = headers[name] ?? headers[name.toLowerCase()] ??
    Object.entries(headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  return Array.isArray(v) ? v.join(',') : v;
}

export class AwsJsonFrontEnd {
  constructor(readonly service: ReferenceService, private readonly options: FrontEndOptions = {}) {}

  handle(req: WireRequest): WireResponse {
    this.service.clock.onRequest();
    try {
      return this.ok(this.dispatch(req));
    } catch (e) {
      if (e instanceof ServiceError) return this.error(e);
      // A defect of the reference service itself, never a client's mistake.
      console.error('reference service: internal failure:', e);
      return this.error(new ServiceError('InternalFailure', 'The request processing has failed because of an unknown error.', 500));
    }
  }

  private dispatch(req: WireRequest): Record<string, unknown> {
    if (req.method !== 'POST' || (req.path !== '/' && !req.path.startsWith('/?'))) {
      throw new ServiceError('UnknownOperationException', `${req.method} ${req.path} is not an operation of this service; send POST / with X-Amz-Target.`);
    }
    const bodyBytes = typeof req.body === 'string' ? Buffer.byteLength(req.body) : req.body.length;
    if (bodyBytes > MAX_BODY_BYTES) {
      throw new ServiceError('RequestEntityTooLargeException', `Request body of ${bodyBytes} bytes exceeds ${MAX_BODY_BYTES} bytes.`);
    }
    const contentType = (header(req.headers, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
    if (contentType !== CONTENT_TYPE) {
      throw new ServiceError('UnsupportedMediaTypeException', `Content-Type must be ${CONTENT_TYPE}, not "${contentType}".`);
    }
    const target = header(req.headers, 'x-amz-target') ?? '';
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    if (!operation || !this.service.has(operation)) {
      throw new ServiceError('UnknownOperationException', `Unknown operation "${target}".`);
    }
    const caller = this.authenticate(req);
    const text = typeof req.body === 'string' ? req.body : req.body.toString('utf8');
    let input: unknown;
    try {
      input = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      throw new ServiceError('SerializationException', 'The request body is not valid JSON.');
    }
    if (!isPlainObject(input)) {
      throw new ServiceError('SerializationException', 'The request body must be a JSON object.');
    }
    this.validate(operation, input);
    return this.service.handle(operation, input, caller) as Record<string, unknown>; // every operation's output is a JSON object; handle() types it `object`
  }

  private authenticate(req: WireRequest): Caller {
    const authorization = header(req.headers, 'authorization');
    if (!authorization) throw new ServiceError('MissingAuthenticationTokenException', 'Missing Authentication Token');
    const m = /Credential=([^/\s,]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request/.exec(authorization);
    if (!m) throw new ServiceError('IncompleteSignatureException', 'Authorization header is not a valid AWS Signature Version 4 header.');
    const [, accessKeyId, , region] = m;
    if (this.options.secretFor) {
      const secret = this.options.secretFor(accessKeyId);
      if (secret === undefined) throw new ServiceError('UnrecognizedClientException', 'The security token included in the request is invalid.');
      const refused = verifySignature(req, secret, (this.options.now ?? Date.now)());
      if (refused) throw new ServiceError(refused.type, refused.message);
    }
    return { accountId: (this.options.accountIds ?? processAccountIds).of(accessKeyId), region };
  }

  /** The request schema decides what is valid; type errors are serialization errors, the rest broken constraints. */
  private validate(operation: string, input: Record<string, unknown>): void {
    const errors = requestErrors(operation, input);
    const typeErrors = errors.filter((e) => / must be (string|integer|number|boolean|object|array)\b/.test(e));
    const wrongTypes = this.wrongTypes(typeErrors, input);
    if (wrongTypes.length) throw new ServiceError('SerializationException', `Request members have the wrong type: ${wrongTypes.join('; ')}`);
    const broken = this.constraintErrors(errors.filter((e) => !typeErrors.includes(e)), input);
    if (broken.length) throw this.constraintError(broken);
  }

  /** Members of the request that have the wrong type, as the request schema found them. */
  wrongTypes(typeErrors: string[], _input: Record<string, unknown>): string[] {
    return typeErrors;
  }

  /** Length, range and pattern constraints of the model that the request breaks, as the request schema found them. */
  constraintErrors(schemaErrors: string[], _input: Record<string, unknown>): string[] {
    return schemaErrors;
  }

  /** The error for broken constraints: InvalidInputException, or the lenient ValidationException; HTTP 400 either way. */
  constraintError(errors: string[]): ServiceError {
    // Stryker disable next-line StringLiteral: how several errors are joined is free text (one error: no separator at all)
    const joined = errors.join('; ');
    return new ServiceError(this.service.options.constraintErrorType, `${errors.length} validation error(s) detected: ${joined}`, 400);
  }

  /** The headers of every answer; Date is the service's own clock, as AWS sends it. */
  private headers(): Record<string, string> {
    return { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': randomUUID(), date: new Date(this.service.clock.now()).toUTCString() };
  }

  /** HTTP 200 with the output; absent members as null where the options say so. */
  ok(output: Record<string, unknown>): WireResponse {
    return {
      status: 200,
      headers: this.headers(),
      body: JSON.stringify(output, this.service.options.nullMembers ? (_k, v: unknown) => (v === undefined ? null : v) : undefined),
    };
  }

  /** An AWS-shaped error: its type where the options put it (__type, namespaced, or the header), and its message (unless the options leave it out). */
  error(e: ServiceError): WireResponse {
    const style = this.service.options.errorTypeStyle;
    const headers = this.headers();
    const body: Record<string, string> = {};
    if (style === 'header') headers['x-amzn-errortype'] = `${e.type}:http://internal.amazon.com/coral/com.amazonaws.personalize/`;
    else body.__type = style === 'namespaced' ? ERROR_NAMESPACE + e.type : e.type;
    if (!this.service.options.errorsWithoutMessage) body.message = e.message;
    return { status: e.status, headers, body: JSON.stringify(body) };
  }
}
