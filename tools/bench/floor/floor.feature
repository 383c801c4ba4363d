Feature: The floor of the toolchain
  One scenario that loads what every run of the suite loads (the SDK, nock and ajv) and makes as
  many SDK calls as a run of the suite, each through a bare in-process handler answering a canned
  page: the least a run of the suite can cost, for tools/bench.ts to measure ratios against.

  Scenario: the toolchain and the calls
    Given the SDK, nock and ajv are loaded
    When BENCH_FLOOR_CALLS calls go through a bare in-process handler
