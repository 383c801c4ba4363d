/**
 * The region of a run comes from where the SDK would take it (src/config.ts resolveRegion).
 *   npm run test:unit
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveRegion } from '../src/config';

test("the region comes from the SDK's provider chain: the variable, then the profile", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'region-test-'));
  writeFileSync(join(dir, 'config'), '[profile conformance-test]\nregion = eu-west-3\n');
  const saved = { ...process.env };
  try {
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    Object.assign(process.env, { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'), AWS_PROFILE: 'conformance-test' });
    assert.equal(await resolveRegion('aws'), 'eu-west-3');
    assert.equal(await resolveRegion('aws', { ...process.env, AWS_REGION: 'ap-south-1' }), 'ap-south-1');
    assert.equal(await resolveRegion('mock', process.env), 'us-east-1');
    process.env.AWS_PROFILE = 'no-such-profile';
    await assert.rejects(resolveRegion('aws'), /No region: set AWS_REGION, or a region in your AWS profile/);
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
});
