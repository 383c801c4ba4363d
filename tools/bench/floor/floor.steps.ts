import { Given, When } from '@cucumber/cucumber';
import { InProcessHttpHandler } from '../../../src/in-process';
import { CANNED_PAGE } from './canned-page';

Given('the SDK, nock and ajv are loaded', function () {
  require('@aws-sdk/client-personalize');
  require('nock');
  require('ajv/dist/2020');
});

When('BENCH_FLOOR_CALLS calls go through a bare in-process handler', async function () {
  const { PersonalizeClient, ListDatasetImportJobsCommand } = require('@aws-sdk/client-personalize') as typeof import('@aws-sdk/client-personalize');
  const client = new PersonalizeClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench-account', secretAccessKey: 'not-a-secret' },
    requestHandler: new InProcessHttpHandler(() => ({ status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: CANNED_PAGE })),
  });
  const calls = Number(process.env.BENCH_FLOOR_CALLS ?? 0);
  for (let i = 0; i < calls; i++) await client.send(new ListDatasetImportJobsCommand({ maxResults: 10 }));
});
