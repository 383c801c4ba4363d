/**
 * Another actor at work in an account (option otherActorEvery): someone else, in the same account
 * and region as the client, who keeps creating import jobs in a dataset of their own and lets
 * them finish. It works through the service's own operations, as any client does, and within the
 * documented rules: it waits for its dataset group and dataset to be ACTIVE, imports FULL, and
 * skips a turn when the in-progress limit is reached.
 */
import { ServiceError } from './errors';
import type { Caller } from './operations';
import type { ReferenceService } from './service';

const NAME = 'other-actor';
const SCHEMA = JSON.stringify({ type: 'record', name: 'Interactions', namespace: 'com.amazonaws.personalize.schema', version: '1.0', fields: [{ name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }] });

/** What the actor has in one account and region, and how many of its requests it has seen. */
interface Workplace {
  requests: number;
  schemaArn?: string;
  groupArn?: string;
  datasetArn?: string;
  jobs: number;
}

export class OtherActor {
  private readonly workplaces = new Map<string, Workplace>();

  constructor(private readonly service: ReferenceService, private readonly every: number) {}

  /** Counts a request of the caller's account and region; every `every` requests, takes the next step of its work there. */
  onRequest(caller: Caller): void {
    const key = `${caller.accountId}/${caller.region}`;
    let place = this.workplaces.get(key);
    if (!place) this.workplaces.set(key, (place = { requests: 0, jobs: 0 }));
    if (++place.requests % this.every) return;
    try {
      this.step(place, caller);
    } catch (e) {
      // A turn the documented rules refuse (too many jobs in progress) is skipped, as a client would wait.
      if (!(e instanceof ServiceError)) throw e;
    }
  }

  /** Its dataset group, then its dataset, each once its parent is ACTIVE, then one import job per turn. */
  private step(place: Workplace, caller: Caller): void {
    const s = this.service;
    if (!place.schemaArn) place.schemaArn = s.createSchema({ name: `${NAME}-schema`, schema: SCHEMA }, caller).schemaArn;
    if (!place.groupArn) {
      place.groupArn = s.createDatasetGroup({ name: `${NAME}-group` }, caller).datasetGroupArn;
      return;
    }
    if (!place.datasetArn) {
      if (s.describeDatasetGroup({ datasetGroupArn: place.groupArn }, caller).datasetGroup.status !== 'ACTIVE') return;
      place.datasetArn = s.createDataset({ name: `${NAME}-interactions`, schemaArn: place.schemaArn, datasetGroupArn: place.groupArn, datasetType: 'Interactions' }, caller).datasetArn;
      return;
    }
    if (s.describeDataset({ datasetArn: place.datasetArn }, caller).dataset.status !== 'ACTIVE') return;
    s.createDatasetImportJob({
      jobName: `${NAME}-job-${place.jobs + 1}`, datasetArn: place.datasetArn,
      dataSource: { dataLocation: `s3://${NAME}-bucket/interactions.csv` }, importMode: 'FULL',
    }, caller);
    place.jobs++;
  }
}
