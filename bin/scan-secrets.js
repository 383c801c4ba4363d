#!/usr/bin/env node
// Scans folders (default: the suite's fixtures/ and reports/) for anything that looks like a secret.
const { join } = require('node:path');
require('ts-node').register({ transpileOnly: true, project: join(__dirname, '..', 'tsconfig.json') });
require('../src/scan-secrets.ts').main(process.argv.slice(2));
