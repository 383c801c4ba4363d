// The floor: the suite's toolchain and settings (cucumber-js, TypeScript loaded as the suite loads
// it) running one scenario that makes BENCH_FLOOR_CALLS SDK calls through a bare in-process handler.
const { join } = require('node:path');

module.exports = {
  default: {
    paths: ['tools/bench/floor/floor.feature'],
    requireModule: [join(__dirname, '..', '..', '..', 'bin', 'register-typescript.js')],
    require: ['tools/bench/floor/floor.steps.ts'],
    format: [],
  },
};
