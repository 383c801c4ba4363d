/**
 * The awsJson1_1 front end of the reference service: target, authentication, JSON, request schema,
 * and AWS-shaped error bodies. Both in-repo transports (the in-process SDK handler, the HTTP
 * server) pass raw requests through here, so they answer byte for byte alike. The constraint
 * check, the success response and the error response are methods of their own, so that the fault
 * catalog (faults/) can wrap them from outside.
 */
import { createHash, randomUUID } from 'node:crypto';
import { requestErrors } from '../schemas';
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
}

/** The account an access key id stands for: a stable 12-digit number derived from the key id. */
export function accountIdFor(accessKeyId: string): string {
  const digits = BigInt('0x' + createHash('sha256').update(accessKeyId).digest('hex').slice(0, 15)) % 10n ** 12n;
  return digits.toString().padStart(12, '0');
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
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new ServiceError('SerializationException', 'The request body must be a JSON object.');
    }
    this.validate(operation, input as Record<string, unknown>);
    return this.service.handle(operation, input as Record<string, unknown>, caller) as Record<string, unknown>;
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
      if (!verifySignature(req, secret)) {
        throw new ServiceError('InvalidSignatureException', 'The request signature we calculated does not match the signature you provided.');
      }
    }
    return { accountId: accountIdFor(accessKeyId), region };
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

  /** HTTP 200 with the output; absent members as null where the options say so. */
  ok(output: Record<string, unknown>): WireResponse {
    return {
      status: 200,
      headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': randomUUID() },
      body: JSON.stringify(output, this.service.options.nullMembers ? (_k, v) => (v === undefined ? null : v) : undefined),
    };
  }

  /** An AWS-shaped error: its type where the options put it (__type, namespaced, or the header), and its message (unless the options leave it out). */
  error(e: ServiceError): WireResponse {
    const style = this.service.options.errorTypeStyle;
    const headers: Record<string, string> = { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': randomUUID() };
    const body: Record<string, string> = {};
    if (style === 'header') headers['x-amzn-errortype'] = `${e.type}:http://internal.amazon.com/coral/com.amazonaws.personalize/`;
    else body.__type = style === 'namespaced' ? ERROR_NAMESPACE + e.type : e.type;
    if (!this.service.options.errorsWithoutMessage) body.message = e.message;
    return { status: e.status, headers, body: JSON.stringify(body) };
  }
}
