/**
 * A listing request the contract accepts, refused in a scenario about something else: maxResults
 * at an end of its range (1 or 100) answered with a client error. The scenario cannot judge its own
 * rule (not shown, with the response); the refusal is charged to the requirement that the range's
 * ends be accepted (features/requirements.json, keyword "refused"), wherever it is seen.
 * Throttling and server trouble are weather here as everywhere: never a refusal.
 */
import { ListDatasetImportJobsCommand } from '@aws-sdk/client-personalize';
import { limits } from '../../schemas';
import type { ClientRole } from '../../src/targets';
import { NotShown } from '../../src/verdict';
import { describeAnswer, isWeatherError, weatherOf, type SdkError } from './classify';
import { RefusedAcceptedRequest, type ConformanceWorld } from './world';

/** A client error that is the endpoint's answer to the request (not throttling, not the run's own limits). */
const isRefusal = (e: unknown) => !(e instanceof NotShown) && (e as SdkError | undefined)?.$fault === 'client' && !isWeatherError(e as SdkError);

/**
 * After a client error to a listing with maxResults at an end of its range, asks once for the
 * account's first page with the same maxResults and nothing else, so that the blame is certain:
 * refused again, the value itself is refused (a RefusedAcceptedRequest to throw); accepted, the
 * first refusal was about something else (a token, a dataset, a change of page size): undefined.
 */
export async function refusedRangeEnd(world: ConformanceWorld, role: ClientRole, e: unknown, maxResults: number | undefined): Promise<NotShown | undefined> {
  if (!isRefusal(e) || (maxResults !== limits.maxResults.min && maxResults !== limits.maxResults.max)) return undefined;
  let again: unknown;
  try {
    await world.client(role).send(new ListDatasetImportJobsCommand({ maxResults }));
    return undefined;
  } catch (probeError) {
    again = probeError;
  }
  if (isWeatherError(again as SdkError)) return weatherOf(again as SdkError, world.wire); // what the SDK threw (so below)
  if (!isRefusal(again)) return undefined;
  const response = `${describeAnswer(again as SdkError)}: ${(again as SdkError).message ?? ''}`; // (the same)
  const exchange = world.wire.last('ListDatasetImportJobs')?.n;
  return new RefusedAcceptedRequest(
    `a listing with maxResults ${maxResults}, which the contract accepts, was refused with ${response}`,
    { body: 'ListDatasetImportJobs request', pointer: '/maxResults', keyword: 'refused', text: `maxResults ${maxResults} was refused: ${response}`, exchange },
    e,
  );
}
