/**
 * Then steps that judge nothing of the target: they only decide whether the scenario could show its
 * requirement (not shown, never failed). tools/fault-checks.ts lists them apart from the checks,
 * which every fault run must show able to fail.
 */
export const FOLLOWED_EVERY_STATUS = 'the listings followed DescribeDatasetImportJob through every status of the lifecycle';

export const HOLDS_OWN_JOBS = 'the listing holds jobs of dataset {string}, or the scenario shows nothing';

export const COVERAGE_GATES: readonly string[] = [FOLLOWED_EVERY_STATUS, HOLDS_OWN_JOBS];
