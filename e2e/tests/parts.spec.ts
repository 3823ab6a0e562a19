// The landing build and the parts it loads on demand (src/parts.rs): a link into each part works
// cold, offline after one visit, and from the one-file build; a preset is a real link before the
// app has taken the page over; a click before then is not lost.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, openApp, test } from './support';
import type { Page } from '@playwright/test';

/** Each view outside the landing build, with what shows it is there. */
const VIEWS: [string, string][] = [
  ['policy', 'policy-view'],
  ['matrix', 'matrix-view'],
  ['compare', 'compare-view'],
  ['check', 'check-view'],
  ['learn', 'learn-view'],
  ['quiz', 'quiz-question'],
];

/** The wasm files the page has fetched so far, by build. */
function builds(page: Page): { landing: number; full: number } {
  const counts = { landing: 0, full: 0 };
  page.on('requestfinished', (request) => {
    const name = new URL(request.url()).pathname.split('/').pop() ?? '';
    if (!name.endsWith('_bg.wasm')) return;
    if (name.startsWith('authpath-landing-')) counts.landing += 1;
    if (name.startsWith('authpath-web-')) counts.full += 1;
  });
  return counts;
}

test('the landing page starts the landing build and fetches the full one only in idle time', async ({ page }) => {
  const fetched = builds(page);
  await openApp(page, './#v=1&preset=expired-token');
  await expect(page.getByTestId('status-code')).toHaveText('401');
  expect(fetched.landing).toBe(1);
  // What the landing build does not hold is asked for, not drawn.
  await expect(page.getByTestId('ask-alternatives')).toBeVisible();
  await expect(page.getByTestId('ask-code')).toBeVisible();
  await expect(page.getByTestId('alternatives')).toHaveCount(0);
  // Then, idle, the page prefetches the full build (to the HTTP cache; nothing runs it yet).
  await expect(page.locator('link[rel="prefetch"]')).toHaveCount(2);
  await expect(page.getByTestId('ask-alternatives')).toBeVisible();
});

for (const [view, testid] of VIEWS) {
  test(`a link to the ${view} view works cold from the landing page`, async ({ page }) => {
    const fetched = builds(page);
    await page.goto(`./#v=1&view=${view}`);
    await expect(page.getByTestId(testid).first()).toBeVisible();
    await expect(page.getByTestId(`view-${view}`)).toHaveAttribute('aria-current', 'page');
    expect(fetched.landing).toBe(1);
    expect(fetched.full).toBeGreaterThanOrEqual(1);
    // The full build now runs the page: its parts are drawn, not asked for.
    await page.getByTestId('view-simulator').click();
    await expect(page.getByTestId('alternatives')).toBeVisible();
    await expect(page.getByTestId('ask-alternatives')).toHaveCount(0);
  });
}

test('a link to an attack preset, whose server holds public keys, works cold from the landing page', async ({ page }) => {
  const fetched = builds(page);
  await page.goto('./#v=1&preset=attack-jku');
  await expect(page.getByTestId('status-code')).toHaveText('401');
  await expect(page.getByTestId('execution-table')).toContainText('never fetched');
  expect(fetched.landing).toBe(1);
  expect(fetched.full).toBeGreaterThanOrEqual(1);
});

test('an attack preset clicked in the landing page loads the public-key verifiers', async ({ page }) => {
  const fetched = builds(page);
  await openApp(page);
  await page.getByTestId('preset-attack-alg-confusion').click();
  await expect(page.getByTestId('status-code')).toHaveText('401');
  await expect(page.locator('[data-testid="execution-table"] tr.failed .check-name').last()).toHaveText('key type');
  await expect(page.getByTestId('preset-attack-alg-confusion')).toHaveAttribute('aria-current', 'true');
  expect(fetched.full).toBeGreaterThanOrEqual(1);
  // A preset of the secret alone afterwards is answered in place by the full build.
  await page.getByTestId('preset-no-token').click();
  await expect(page.getByTestId('status-code')).toHaveText('401');
});

test('a link carrying a public key reaches the full build whole', async ({ page }) => {
  const jwks = JSON.stringify({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'm80WLP1O6QLN1tQ4CNnhZHRDgPCUvOJwWJjctqdB5SI', kid: 'attacker' }] });
  await page.goto(`./#v=1&m=GET&p=/profile&cred=bearer&valid=embedded_jwk&sub=alice&role=user&profile=rfc&keys=${encodeURIComponent(jwks)}&algs=HS256,EdDSA`);
  // The server trusts the attacker's own key here, so the token it signed passes: verified with
  // Ed25519, which only the full build does.
  await expect(page.getByTestId('status-code')).toHaveText('200');
  // Nothing of the link was dropped: no notice, and the key is still in the address.
  await expect(page.getByTestId('link-notice')).toHaveCount(0);
  await expect.poll(() => decodeURIComponent(new URL(page.url()).hash)).toContain('m80WLP1O6QLN1tQ4CNnhZHRDgPCUvOJwWJjctqdB5SI');
  await page.getByTestId('view-policy').click();
  await expect(page.getByTestId('policy-view')).toContainText('1 key(s) in force');
});

test('asking for what would change the answer loads it, keeps the request, and focuses it', async ({ page }) => {
  await openApp(page, './#v=1&preset=no-token');
  // A hand edit, with a credential a link would not carry, survives the handover.
  const raw = page.getByTestId('raw-request');
  await raw.fill('GET /profile HTTP/1.1\r\nHost: api.example\r\nAuthorization: Bearer not-a-jwt\r\n\r\n');
  await expect(page.getByTestId('status-code')).toHaveText('401');
  await page.getByTestId('ask-alternatives').click();
  await expect(page.getByTestId('alternatives')).toBeVisible();
  await expect(page.getByTestId('raw-request')).toHaveValue(/Bearer not-a-jwt/);
  await expect(page.getByTestId('status-code')).toHaveText('401');
  await expect(page.locator('html')).toHaveAttribute('data-live', '');
  // The link still withholds the credential.
  expect(decodeURIComponent(new URL(page.url()).hash)).not.toContain('not-a-jwt');
});

test('asking for the code loads it with the keyboard and focuses its select', async ({ page }) => {
  await openApp(page, './#v=1&preset=user-on-admin');
  await page.getByTestId('ask-code').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('code-language')).toBeFocused();
  await expect(page.getByTestId('code-snippet')).toContainText('403');
});

test('the theme chosen in the landing build stays after the handover', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('select-theme').selectOption('dark');
  await page.getByTestId('view-matrix').click();
  await expect(page.getByTestId('matrix-view')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByTestId('select-theme')).toHaveValue('dark');
});

test('every part works offline after one visit', async ({ page, context }) => {
  await openApp(page);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((done) => navigator.serviceWorker.addEventListener('controllerchange', done));
    }
  });
  await context.setOffline(true);
  // Each link in a page of its own, as a reader opens it, from the landing page.
  const open = async (fragment: string) => {
    const other = await context.newPage();
    await other.goto(`./#${fragment}`);
    return other;
  };
  for (const [view, testid] of VIEWS) {
    const other = await open(`v=1&view=${view}`);
    await expect(other.getByTestId(testid).first()).toBeVisible();
    await other.close();
  }
  const attack = await open('v=1&preset=attack-embedded-jwk');
  await expect(attack.getByTestId('status-code')).toHaveText('401');
  await attack.close();
  const simulator = await open('v=1&preset=no-token');
  await simulator.getByTestId('ask-code').click();
  await expect(simulator.getByTestId('code-snippet')).toBeVisible();
  await simulator.close();
  await context.setOffline(false);
});

test('offline before the full build was ever fetched, the wait says so and can try again', async ({ page, context, problems }) => {
  await page.route(/authpath-web-[0-9a-f]+_bg\.wasm$/, (route) => route.abort('internetdisconnected'));
  await openApp(page);
  await page.getByTestId('view-policy').click();
  await expect(page.getByTestId('part-retry')).toBeVisible();
  await expect(page.getByTestId('part-waiting')).toContainText('could not be loaded');
  await page.unroute(/authpath-web-[0-9a-f]+_bg\.wasm$/);
  await page.getByTestId('part-retry').click();
  await expect(page.getByTestId('policy-view')).toBeVisible();
  // The aborted fetches (the idle prefetch and the first attempt) were provoked on purpose.
  for (let index = problems.length - 1; index >= 0; index -= 1) {
    if (/authpath-web-[0-9a-f]+_bg\.wasm|ERR_INTERNET_DISCONNECTED/.test(problems[index])) problems.splice(index, 1);
  }
  void context;
});

test('the one-file build carries every part', async ({ page }) => {
  const singleFile = resolve(__dirname, '..', '..', 'dist', 'authpath.html');
  expect(existsSync(singleFile), `${singleFile} is missing: run cargo xtask dist --single-file`).toBe(true);
  for (const [view, testid] of VIEWS) {
    await page.goto(pathToFileURL(singleFile).toString() + `#v=1&view=${view}`);
    await page.reload();
    await expect(page.getByTestId(testid).first()).toBeVisible();
  }
  await page.goto(pathToFileURL(singleFile).toString() + '#v=1&preset=no-token');
  await page.reload();
  await expect(page.getByTestId('alternatives')).toBeVisible();
  await expect(page.getByTestId('code-snippet')).toBeVisible();
});

test('before the app has taken the page over, a preset is a link to its own page', async ({ browser }) => {
  // Without JavaScript at all: the link goes to the prerendered page of the preset.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('./');
  const preset = page.getByTestId('preset-expired-token');
  await expect(preset).toHaveAttribute('href', 'preset-expired-token.html');
  await preset.click();
  await expect(page).toHaveURL(/preset-expired-token\.html$/);
  await expect(page.getByTestId('status-code')).toHaveText('401');
  await context.close();
});

test('a click before the app is live is replayed once it is', async ({ page }) => {
  // Hold the wasm back, click a control of the prerendered page, then let the wasm through.
  let release = () => {};
  const held = new Promise<void>((done) => (release = done));
  await page.route(/authpath-landing-[0-9a-f]+_bg\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('./#');
  await expect(page.locator('html')).toHaveClass(/booting/);
  await page.getByTestId('view-learn').click();
  release();
  await expect(page.getByTestId('learn-view')).toBeVisible();
});
