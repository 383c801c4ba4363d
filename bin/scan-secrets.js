#!/usr/bin/env node
// Scans folders (default: the suite's fixtures/ and reports/) for anything that looks like a secret.
require('./runtime').load('src/scan-secrets').main(process.argv.slice(2));
