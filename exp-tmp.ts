import './steps/support/quiet-sdk-warning';
import { createTarget } from './steps/support/targets';
import { readConfig } from './steps/support/config';
import { ListDatasetImportJobsCommand, PersonalizeClient } from '@aws-sdk/client-personalize';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent } from 'node:https';
async function measure(name: string, c: PersonalizeClient) {
  await c.send(new ListDatasetImportJobsCommand({ maxResults: 1 }));
  const cpu = process.cpuUsage(); const s = process.hrtime.bigint();
  for (let i = 0; i < 300; i++) await c.send(new ListDatasetImportJobsCommand({ maxResults: 1 }));
  const u = process.cpuUsage(cpu);
  console.log(name, 'ms/req', (Number(process.hrtime.bigint() - s) / 1e6 / 300).toFixed(2), 'cpu', ((u.user + u.system) / 1000 / 300).toFixed(2));
}
(async () => {
  createTarget(readConfig({} as any));
  const creds = { accessKeyId: 'a', secretAccessKey: 'b' };
  await measure('default handler', new PersonalizeClient({ region: 'us-east-1', credentials: creds }));
  await measure('keepAlive false', new PersonalizeClient({ region: 'us-east-1', credentials: creds, requestHandler: new NodeHttpHandler({ httpsAgent: new Agent({ keepAlive: false }) }) }));
  await measure('keepAlive true', new PersonalizeClient({ region: 'us-east-1', credentials: creds, requestHandler: new NodeHttpHandler({ httpsAgent: new Agent({ keepAlive: true }) }) }));
})();
