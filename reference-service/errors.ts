/**
 * Errors of the reference service. The HTTP status of each modelled error comes from the Smithy
 * model's `smithy.api#httpError` trait (held in schemas/errors.json); protocol-level errors that
 * the model does not declare use the status AWS's JSON protocol front-end answers with.
 */
import { errorStatus } from '../schemas/error-types';

export class ServiceError extends Error {
  readonly status: number;
  constructor(readonly type: string, message: string, status?: number) {
    super(message);
    this.status = status ?? errorStatus(type);
  }
}

export const invalidInput = (message: string) => new ServiceError('InvalidInputException', message);
export const invalidNextToken = (message = 'The token is not valid.') =>
  new ServiceError('InvalidNextTokenException', message);
export const notFound = (arn: string) =>
  new ServiceError('ResourceNotFoundException', `Could not find the specified resource: ${arn}`);
export const alreadyExists = (arn: string) =>
  new ServiceError('ResourceAlreadyExistsException', `The resource already exists: ${arn}`);
export const inUse = (message: string) => new ServiceError('ResourceInUseException', message);
