/**
 * The secret scan's own test: it must pass on what the suite writes (placeholders only) and fail
 * on each kind of planted secret. The planted values are built at run time, so the repository
 * itself never holds one.
 */
import { scanText } from '../src/scan-secrets';

const keyId = ['AK', 'IA', 'Q3EXAMPLE', 'PLANTED1'].join('').slice(0, 20);
const sessionToken = ['IQoJb3JpZ2luX2Vj', 'EPLANTEDx'.repeat(6)].join('');
const secretKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY' + 'PLANTEDKEY';
const cases: { name: string; text: string; expect: string | null }[] = [
  { name: 'placeholders only', text: '{"datasetImportJobArn":"arn:aws:personalize:us-east-1:111111111111:dataset-import-job/j1","nextToken":"token-1"}', expect: null },
  { name: 'redacted credential', text: 'Credential=<access-key-id>/20261128/us-east-1/personalize/aws4_request', expect: null },
  { name: 'an access key id', text: `{"accessKeyId":"${keyId}"}`, expect: 'an AWS access key id' },
  { name: 'a session token', text: `x-amz-security-token: ${sessionToken}`, expect: 'a session token' },
  { name: 'a secret access key', text: `aws_secret_access_key = ${secretKey}`, expect: 'a secret access key' },
  { name: 'a real account id in an ARN', text: '"arn:aws:personalize:us-east-1:493812774062:dataset/shop/INTERACTIONS"', expect: 'an account id' },
  { name: 'a real account id as a member', text: '{"accountId": "493812774062"}', expect: 'an account id' },
];

let failed = 0;
for (const c of cases) {
  const findings = scanText('planted.json', c.text);
  const ok = c.expect === null ? findings.length === 0 : findings.some((f) => f.what === c.expect);
  if (!ok) {
    failed++;
    console.log(`secret scan self-test: ${c.name}: expected ${c.expect ?? 'no finding'}, got ${findings.map((f) => f.what).join(', ') || 'none'}`);
  }
}
console.log(`secret scan self-test: ${cases.length - failed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
