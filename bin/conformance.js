#!/usr/bin/env node
// The command-line entry of the suite (src/run.ts); --help lists the options and the exit codes.
const { load } = require('./runtime');
const { main } = load('src/run');
const { ConfigurationError } = load('src/settings');

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    // A mistake in the settings is one line (exit 2); anything else is a defect of the suite: a run error, with its stack for a bug report.
    if (e instanceof ConfigurationError) {
      console.error(`conformance: ${e.message}`);
      process.exit(2);
    }
    console.error(`conformance: run error: ${e && e.stack ? e.stack : e}`);
    process.exit(4);
  },
);
