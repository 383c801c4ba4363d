#!/usr/bin/env node
// The reference emulator (src/emulator.ts): `personalize-emulator --port 4599`; --help lists the options.
require('./runtime').load('src/emulator');
