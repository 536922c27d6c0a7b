// The scrubber removes known secret values and credential-looking text, and leaves ordinary words.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scrubFailure, scrubText, secretsOfUser } from '../../../src/kube/scrubSecrets';

describe('scrubSecrets', () => {
  it('removes the exact secrets of a kubeconfig user, including decoded key data and exec env', () => {
    const keyPem = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIAbcdefghijklmnop\n-----END EC PRIVATE KEY-----\n';
    const user = {
      token: 'sha256~abcdefghijklmnopqrstuvwxyz',
      password: 'hunter2-long',
      'client-key-data': Buffer.from(keyPem).toString('base64'),
      exec: { command: 'aws', env: [{ name: 'AWS_SECRET', value: 'aws-secret-value-123' }] },
    };
    const secrets = secretsOfUser(user);
    const text = `token sha256~abcdefghijklmnopqrstuvwxyz pw hunter2-long key ${user['client-key-data']} env aws-secret-value-123 ${keyPem}`;
    const out = scrubText(text, secrets);
    for (const s of [user.token, user.password, user['client-key-data'], 'aws-secret-value-123', 'MHcCAQEEIAbcdefghijklmnop']) assert.ok(!out.includes(s), s);
    assert.match(out, /\[redacted\]/);
  });

  it('removes credential-looking text from unknown sources', () => {
    const out = scrubText('Authorization: Bearer abc.def-ghi and token=s3cr3tvalue and eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig', []);
    assert.doesNotMatch(out, /abc\.def-ghi|s3cr3tvalue|eyJhbGciOiJIUzI1NiJ9/);
    assert.match(out, /Bearer \[redacted\]/);
    assert.match(out, /token=\[redacted\]/);
  });

  it('keeps ordinary messages intact', () => {
    const text = 'The credentials for user "alice" in context "demo" were rejected (401): expired or wrong. Log in again or refresh the token.';
    assert.equal(scrubText(text, ['ab']), text);
  });

  it('scrubs a failure message and its suggestions', () => {
    const f = scrubFailure({ kind: 'not-found', message: 'x secret-token-123456 y', suggestions: ['secret-token-123456'] }, ['secret-token-123456']);
    assert.equal(f.message, 'x [redacted] y');
    assert.deepEqual(f.suggestions, ['[redacted]']);
  });
});
