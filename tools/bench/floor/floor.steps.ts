import { Given } from '@cucumber/cucumber';

Given('the SDK, nock and ajv are loaded', function () {
  require('@aws-sdk/client-personalize');
  require('nock');
  require('ajv/dist/2020');
});
