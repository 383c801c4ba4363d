#!/usr/bin/env node
// The command-line entry of the suite: runs scripts/run.ts through ts-node (transpile only).
const { join } = require('node:path');
require('ts-node').register({ transpileOnly: true, project: join(__dirname, '..', 'tsconfig.json') });
const { main } = require('../src/run.ts');
const { ConfigurationError } = require('../src/config.ts');

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(`conformance: ${e instanceof ConfigurationError ? e.message : e && e.stack ? e.stack : e}`);
    process.exit(2);
  },
);
