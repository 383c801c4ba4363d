#!/usr/bin/env node
// Removes what an interrupted writing run left behind (src/cleanup.ts): `personalize-conformance-cleanup --prefix PREFIX`; --help lists the options.
const { load } = require('./runtime');
load('src/cleanup').runCleanup(process.argv.slice(2));
