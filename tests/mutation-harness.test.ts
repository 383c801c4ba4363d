/**
 * The mutation harness runs cucumber once per mutant in one process, with the support code loaded
 * once (as @stryker-mutator/cucumber-runner does). Each run must stand on its own: a run that broke
 * off arranging because an earlier run's data was still there would "kill" whatever mutant was
 * active, and the score would count it. Two runs without a mutant must both pass.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { loadConfiguration, runCucumber, type IRunResult } from '@cucumber/cucumber/api';

test('cucumber run twice in one process on the in-process mock (as Stryker runs it): both pass', async () => {
  for (const k of Object.keys(process.env)) if (k.startsWith('CONFORMANCE_')) delete process.env[k];
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  let support: IRunResult['support'] | undefined;
  const outcomes: boolean[] = [];
  for (let i = 0; i < 2; i++) {
    const { runConfiguration } = await loadConfiguration({
      profiles: ['mutation'],
      provided: { format: [], retry: 0, parallel: 0, tags: '@req:LDIJ-FILTER-004 or @req:LDIJ-PAGE-001' },
    });
    const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
    const result = await runCucumber(support ? { ...runConfiguration, support } : runConfiguration, { stdout: silent });
    support = result.support;
    outcomes.push(result.success);
  }
  assert.deepEqual(outcomes, [true, true], 'the second run in the process did not pass: it depends on what the first left behind');
});
