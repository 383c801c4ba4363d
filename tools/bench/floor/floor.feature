Feature: The floor of the toolchain
  One trivial scenario that loads what every run of the suite loads (the SDK, nock and ajv):
  the least any run of the suite can cost, for tools/bench.ts to measure ratios against.

  Scenario: loading the toolchain
    Given the SDK, nock and ajv are loaded
