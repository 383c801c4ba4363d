// The floor: the suite's toolchain and settings (ts-node, cucumber-js) running one trivial scenario.
module.exports = {
  default: {
    paths: ['tools/bench/floor/floor.feature'],
    requireModule: ['ts-node/register'],
    require: ['tools/bench/floor/floor.steps.ts'],
    format: [],
  },
};
