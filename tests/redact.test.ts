/**
 * Redaction (src/redact.ts) replaces the credentials in use by their literal values, wherever they
 * appear and whatever their shape (issue 17, case 13), besides the patterns of known shapes; account
 * ids keep their placeholder. The credentials here are made up at run time, never real.
 *   npm run test:unit
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactText, redactValue, registerCredentials } from '../src/redact';
import { closingLine, consoleSummary, htmlBanner, toJUnit, toMarkdown } from '../src/report';
import { sampleReport } from './support/sample-report';
import { alterable, cutToken, placeOfChange, tamperToken, TOKEN_PLACES } from '../src/tokens';
import { TokenMap } from '../src/recording';

const base64ish = (seed: string, length: number) => Buffer.from(seed.repeat(length)).toString('base64').slice(0, length);

/** Made-up credentials of shapes no pattern knows: an emulator's key, a secret with + / =, a token of an unknown prefix. */
const CREDENTIALS = {
  accessKeyId: 'emulator-key-7f3a9c',
  secretAccessKey: `${base64ish('s3cr', 30)}+/${base64ish('et', 8)}=`,
  sessionToken: `ZZzTESTtoken${base64ish('session', 120)}+/=`,
};

test('the session token prefixes of each STS generation are redacted by pattern', () => {
  for (const prefix of ['FQoGZXIvYXdzE', 'AQoDYXdzE', 'FwoGZXIvYXdzE', 'IQoJb3JpZ2luX2Vj']) {
    const token = prefix + base64ish(prefix, 80);
    assert.equal(redactText(`{"x-amz-security-token":"${token}"}`), '{"x-amz-security-token":"<session-token>"}', prefix);
  }
});

test('a session token echoed in a body is redacted by its literal value once registered, and so are the key id and the secret', () => {
  const echoed = JSON.stringify({ headers: { 'x-amz-security-token': CREDENTIALS.sessionToken, authorization: `key ${CREDENTIALS.accessKeyId} secret ${CREDENTIALS.secretAccessKey}` } });
  assert.ok(redactText(echoed).includes(CREDENTIALS.sessionToken), 'no pattern knows this token: only its literal value can find it');
  registerCredentials(CREDENTIALS);
  const redacted = redactText(`${echoed} url-encoded: ${encodeURIComponent(CREDENTIALS.sessionToken)}`);
  for (const value of Object.values(CREDENTIALS)) {
    assert.ok(!redacted.includes(value), 'a literal value stayed');
    assert.ok(!redacted.includes(encodeURIComponent(value)), 'a URL-encoded value stayed');
  }
  assert.match(redacted, /"x-amz-security-token":"<session-token>"/);
  assert.match(redacted, /key <access-key-id> secret <secret-access-key>/);
});

test('values too short to be secrets are not replaced, and account ids keep their placeholder', () => {
  registerCredentials({ accessKeyId: 'test', secretAccessKey: 'test' });
  assert.equal(redactText('a test of arn:aws:personalize:us-east-1:111111111111:dataset/x'), 'a test of arn:aws:personalize:us-east-1:111111111111:dataset/x');
  assert.equal(redactText('arn:aws:personalize:us-east-1:987654321098:dataset/x'), 'arn:aws:personalize:us-east-1:111111111111:dataset/x');
});

test('no format of a report carries a registered credential echoed by the target, even where a reason is clipped', () => {
  registerCredentials(CREDENTIALS);
  const report = sampleReport();
  const finding = report.requirements[0].findings[0];
  finding.evidence[0].response = JSON.stringify({ echoed: { 'X-Amz-Security-Token': CREDENTIALS.sessionToken } });
  // The token straddles the 300 characters a reason is clipped to: only redaction before clipping removes all of it.
  finding.observed = `${'the endpoint said: '.padEnd(250, '.')}${CREDENTIALS.sessionToken}`;
  report.requirements[0].reason = finding.observed;
  report.requirements[0].scenarios[0].findings = [finding];
  const render = (r: typeof report) => [toMarkdown(r), toJUnit(r), htmlBanner(r), ...consoleSummary(r), closingLine(r)];
  for (const text of render(report)) {
    assert.ok(!text.includes(CREDENTIALS.sessionToken.slice(0, 40)), text.slice(0, 400));
  }
  assert.ok(!JSON.stringify(redactValue(report)).includes(CREDENTIALS.sessionToken), 'conformance.json');
});

test('a token a scenario changed by one character, first, middle or last, is recorded changed the same way in its placeholder', () => {
  const issued = 'eyJzY29wZSI6ImFiYyJ9.Q2hlY2tzdW0tMTIzNDU2';
  for (const place of TOKEN_PLACES) {
    const changed = tamperToken(issued, place);
    assert.notEqual(changed, issued);
    assert.equal(placeOfChange(issued, changed), place);
  }
  assert.equal(tamperToken(issued, 'last').slice(0, -1), issued.slice(0, -1), 'the last place is the last character');
  assert.equal(placeOfChange(issued, `${issued}x`), undefined);
  assert.equal(placeOfChange(issued, tamperToken(tamperToken(issued, 'first'), 'last')), undefined, 'two characters changed');
  // Padding aside: a change or cut there could decode to the same bytes (base64 decoders read past padding).
  for (const padded of ['XQ==', 'eyJrIjoxfQ==', 'AAEC', 'AAE=']) {
    const changed = tamperToken(padded, 'last');
    assert.notDeepEqual(Buffer.from(changed, 'base64'), Buffer.from(padded, 'base64'), `${padded} → ${changed}`);
    assert.notDeepEqual(Buffer.from(cutToken(padded), 'base64'), Buffer.from(padded, 'base64'), `${padded} cut → ${cutToken(padded)}`);
  }
  assert.equal(alterable('A='), false);
  assert.equal(alterable('AB'), true);
});

test('a token a scenario cut short by its last character is recorded as its placeholder cut short', () => {
  const map = new TokenMap();
  const issued = 'eyJzY29wZSI6ImFiYyJ9.Q2hlY2tzdW0tMTIzNDU2';
  const placeholder = map.forResponse(issued);
  map.forResponse('another token of the scenario');
  assert.equal(map.forRequest(cutToken(issued)), cutToken(placeholder));
  assert.equal(map.forRequest(tamperToken(issued, 'last')), tamperToken(placeholder, 'last'));
  assert.equal(map.forRequest('unrelated'), 'unrelated');
  // A changed or cut placeholder is no other placeholder: replay must not match another exchange's request.
  const placeholders = ['token-1-t', 'token-2-t', 'token-12-t'];
  for (const p of placeholders) for (const altered of [cutToken(p), ...TOKEN_PLACES.map((place) => tamperToken(p, place))]) assert.ok(!placeholders.includes(altered), `${p} → ${altered}`);
});
