// Profiles of the conformance suite. `npm test` runs the default profile (the in-process mock);
// src/run.ts picks the profile for a target and writes the reports.
const { join } = require('node:path');
const { fromSources } = require('./bin/runtime');

const common = {
  paths: ['features/**/*.feature'],
  // A checkout runs the TypeScript steps through ts-node and swc (bin/runtime.js); the published package its compiled dist/steps.
  requireModule: fromSources ? [join(__dirname, 'bin', 'register-typescript.js')] : [],
  require: fromSources ? ['steps/**/*.ts'] : ['dist/steps/**/*.js'],
  // Report formats (html, message) are added by src/run.ts, which knows the report folder; it writes
  // junit.xml itself, from the conformance report (known deviations are skipped tests, not failures).
  format: [],
  strict: true,
};

module.exports = {
  default: { ...common },
  // Any endpoint that may be written to (an emulator): every scenario.
  endpoint: { ...common },
  // A real account where the suite may only read: scenarios that arrange data are left out (reported as not run).
  readonly: { ...common, tags: 'not @writes' },
  // The smoke run on a real account: only what changes nothing, the cheapest and broadest first,
  // within the run's call budget (src/run.ts --smoke).
  smoke: {
    ...common,
    paths: ['features/errors.feature', 'features/response-contract.feature', 'features/filtering.feature', 'features/pagination.feature'],
    tags: '@readonly',
  },
  // Stryker's runs of the suite (the in-process mock), one per mutant.
  mutation: { ...common, format: [] },
  // Lint of the suite: every step defined once, nothing run.
  lint: { ...common, dryRun: true, format: ['summary'] },
};
