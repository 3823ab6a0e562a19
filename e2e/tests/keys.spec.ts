// Keys and tokens in the Policy view: a pasted RS256 JWKS and a token signed with its key get
// 200, one changed signature character gets 401 at the signature step; an attack preset is
// refused at its check; a secret stays out of the link while public keys go in; a reset drops
// the texts that did not read.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import type { Page } from '@playwright/test';
import { expect, openApp, test } from './support';

const NOW = 1767225600; // the demo clock, 2026-01-01T00:00:00Z

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** An RSA key made for this run, its JWKS (kid e2e-rsa) and an RS256 token Node signed with it. */
function rs256(): { jwks: string; token: string } {
  // Made as PEM and read into key objects of their own: exporting a key object that Node's
  // key-generation job returned can deadlock Node 20 (conformance/node/foreign_tokens.js).
  const pem = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const publicKey = createPublicKey(pem.publicKey);
  const jwks = JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'e2e-rsa', alg: 'RS256' }] });
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'e2e-rsa' }));
  const payload = base64url(
    JSON.stringify({
      sub: 'alice', role: 'user', iat: NOW, exp: NOW + 3600,
      iss: 'https://auth.authpath.example', aud: 'https://api.authpath.example',
    }),
  );
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), createPrivateKey(pem.privateKey));
  return { jwks, token: `${header}.${payload}.${base64url(signature)}` };
}

async function failedCheck(page: Page): Promise<string> {
  return (await page.locator('[data-testid="execution-table"] tr.failed .check-name').last().textContent()) ?? '';
}

async function sendToken(page: Page, token: string): Promise<void> {
  await page.getByTestId('view-simulator').click();
  await page
    .getByTestId('raw-request')
    .fill(`GET /profile HTTP/1.1\nHost: api.authpath.example\nAuthorization: Bearer ${token}\n\n`);
}

test('a pasted RS256 JWKS verifies its token; one changed character fails the signature', async ({ page }) => {
  const { jwks, token } = rs256();
  await openApp(page);
  await page.getByTestId('view-policy').click();
  await page.getByTestId('policy-keys').fill('{"keys": [');
  await expect(page.getByTestId('policy-keys-state')).toContainText('Not read');
  await expect(page.getByTestId('policy-keys-state')).toContainText('last good keys stay in force');
  await page.getByTestId('policy-keys').fill(jwks);
  await expect(page.getByTestId('policy-keys-state')).toContainText('1 key(s) in force');
  await page.getByTestId('policy-alg-RS256').check();
  await sendToken(page, token);
  await expect(page.getByTestId('status-code')).toHaveText('200');
  const dot = token.lastIndexOf('.') + 1;
  const changed = token.slice(0, dot) + (token[dot] === 'A' ? 'B' : 'A') + token.slice(dot + 1);
  await sendToken(page, changed);
  await expect(page.getByTestId('status-code')).toHaveText('401');
  expect(await failedCheck(page)).toBe('signature');
});

test('the algorithm-confusion preset is refused for the key type', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('preset-attack-alg-confusion').click();
  await expect(page.getByTestId('status-code')).toHaveText('401');
  expect(await failedCheck(page)).toBe('key type');
  await page.getByTestId('preset-attack-jku').click();
  await expect(page.getByTestId('status-code')).toHaveText('401');
  await expect(page.getByTestId('execution-table')).toContainText('never fetched');
});

test('a secret stays out of the link; public keys go in', async ({ page }) => {
  const secret = 'S3cr3t-e2e-never-in-a-link';
  const { jwks } = rs256();
  await openApp(page);
  await page.getByTestId('view-policy').click();
  await page.getByTestId('policy-keys').fill(jwks);
  await page.getByTestId('policy-secret').fill(secret);
  await expect.poll(() => decodeURIComponent(page.url())).toContain('e2e-rsa');
  expect(decodeURIComponent(page.url())).not.toContain(secret);
});

test('a reset drops every text that did not read, though the demo settings were in force', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('view-policy').click();
  const keys = page.getByTestId('policy-keys');
  const demoKeys = await keys.inputValue();
  const policy = page.getByTestId('policy-text');
  const demoPolicy = await policy.inputValue();
  await keys.fill('{"keys": [');
  await page.getByTestId('policy-leeway').fill('soon');
  await page.getByTestId('policy-clock').fill('tomorrow');
  await policy.fill(demoPolicy.replace('access = "public"', 'access = "publik"'));
  await expect(page.getByTestId('policy-keys-state')).toContainText('Not read');
  await expect(page.getByTestId('policy-state')).toContainText('stays in force');
  await expect(page.getByText('Not a whole number: the last leeway stays.')).toHaveCount(1);
  await expect(page.getByTestId('policy-clock-date')).toContainText('Not a whole number');
  await page.getByTestId('policy-reset').click();
  await expect(page.getByTestId('policy-keys-state')).toContainText('✓');
  await expect(keys).toHaveValue(demoKeys);
  await expect(page.getByTestId('policy-leeway')).toHaveValue('30');
  await expect(page.getByText('Not a whole number: the last leeway stays.')).toHaveCount(0);
  await expect(page.getByTestId('policy-clock-date')).toContainText('2026-01-01 00:00:00 UTC');
  await expect(page.getByTestId('policy-clock')).toHaveValue(String(NOW));
  await expect(policy).toHaveValue(demoPolicy);
  await expect(page.getByTestId('policy-error')).toHaveCount(0);
  await expect(page.getByTestId('policy-reset')).toBeFocused();
});
