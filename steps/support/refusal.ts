/**
 * A listing request the contract accepts, refused in a scenario about something else: maxResults
 * at an end of its range (1 or 100) answered with a client error. The scenario cannot judge its own
 * rule (not run, with the response); the refusal is charged to the requirement that the range's
 * ends be accepted (features/requirements.json, keyword "refused"), wherever it is seen.
 */
import { ListDatasetImportJobsCommand, type PersonalizeClient } from '@aws-sdk/client-personalize';
import { limits } from '../../schemas';
import { RefusedAcceptedRequest } from './world';

interface SdkError { $fault?: string; name?: string; message?: string; $metadata?: { httpStatusCode?: number } }

const isClientError = (e: unknown) => (e as SdkError | undefined)?.$fault === 'client';

/**
 * After a client error to a listing with maxResults at an end of its range, asks once for the
 * account's first page with the same maxResults and nothing else, so that the blame is certain:
 * refused again, the value itself is refused (a RefusedAcceptedRequest to throw); accepted, the
 * first refusal was about something else (a token, a dataset, a change of page size): undefined.
 */
export async function refusedRangeEnd(client: PersonalizeClient, e: unknown, maxResults: number | undefined): Promise<RefusedAcceptedRequest | undefined> {
  if (!isClientError(e) || (maxResults !== limits.maxResults.min && maxResults !== limits.maxResults.max)) return undefined;
  let again: unknown;
  try {
    await client.send(new ListDatasetImportJobsCommand({ maxResults }));
    return undefined;
  } catch (probeError) {
    again = probeError;
  }
  if (!isClientError(again)) return undefined;
  const { name, message, $metadata } = again as SdkError;
  const response = `${name} (HTTP ${$metadata?.httpStatusCode}): ${message}`;
  return new RefusedAcceptedRequest(
    `a listing with maxResults ${maxResults}, which the contract accepts, was refused with ${response}`,
    { body: 'ListDatasetImportJobs request', pointer: '/maxResults', keyword: 'refused', text: `maxResults ${maxResults} was refused: ${response}` },
    e,
  );
}
