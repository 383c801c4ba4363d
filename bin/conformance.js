#!/usr/bin/env node
// The command-line entry of the suite (src/run.ts); --help lists the options.
const { load } = require('./runtime');
const { main } = load('src/run');
const { ConfigurationError } = load('src/config');

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(`conformance: ${e instanceof ConfigurationError ? e.message : e && e.stack ? e.stack : e}`);
    process.exit(2);
  },
);
