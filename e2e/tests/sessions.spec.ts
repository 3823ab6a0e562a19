// API keys, browser sessions and CSRF (#23): the builder's session kind and its CSRF control,
// the four presets' own pages, Spring's CSRF filter in the decision path, Learn's "Why 403 on
// my POST?", the policy's schemes, and links that carry no session, key or CSRF token.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openApp, screenshot, screenshotDirectory, test } from './support';

const cli = resolve(__dirname, '..', '..', 'target', 'debug', 'authpath');

/** What `authpath eval` answers for this raw request under a profile: the engine itself. */
function engineResponse(raw: string, profile = 'rfc'): string {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run cargo build -p authpath-cli first`);
  return execFileSync(cli, ['eval', '--profile', profile], { input: raw, encoding: 'utf8' });
}

/** The statuses the engine gives the four presets of API keys and sessions. */
const presets: Array<[string, string]> = [
  ['csrf-missing', '403'],
  ['unknown-api-key', '401'],
  ['api-key-in-url', '401'],
  ['expired-session', '401'],
];

/** Points the builder at the demo API's POST /users/{id}/notes with alice's session. */
async function sessionPost(page: Page): Promise<void> {
  const route = page.getByTestId('select-route');
  const value = await route.locator('option', { hasText: 'POST /users/{id}/notes' }).getAttribute('value');
  await route.selectOption(value ?? '');
  await page.getByTestId('select-kind').selectOption('session');
}

test('a session POST without its CSRF token answers 403; the control is there for unsafe methods only', async ({ page }) => {
  await openApp(page);
  await expect(page.getByTestId('select-csrf')).toHaveCount(0);
  await sessionPost(page);
  const csrf = page.getByTestId('select-csrf');
  await expect(csrf).toBeVisible();
  await expect(csrf).toHaveValue('sent');
  await expect(page.getByTestId('status-code')).toHaveText('200');
  // Only a token carries claims: a session's role is the server's to look up.
  await expect(page.getByTestId('select-role')).toBeDisabled();
  // Keyboard: the control is labelled and takes the arrow keys.
  await csrf.focus();
  await csrf.selectOption('missing');
  await expect(page.getByTestId('status-code')).toHaveText('403');
  await expect(page.getByTestId('preset-csrf-missing')).toHaveAttribute('aria-current', 'true');
  const raw = await page.getByTestId('raw-request').inputValue();
  expect(raw).toContain('Cookie: sessionid=');
  expect(raw).not.toContain('X-CSRFToken');
  expect(await page.getByTestId('raw-response').textContent()).toBe(engineResponse(raw));
  await expect(page.getByLabel('CSRF token')).toBeVisible();
  await csrf.selectOption('wrong');
  await expect(page.getByTestId('status-code')).toHaveText('403');
  await expect(page.getByTestId('raw-request')).toHaveValue(/X-CSRFToken: /);
  // Safe methods need no token: the control goes, and comes back for another unsafe one.
  for (const [method, shown] of [['GET', false], ['HEAD', false], ['OPTIONS', false], ['DELETE', true], ['PUT', true]] as const) {
    await page.getByTestId('select-method').selectOption(method);
    await expect(csrf).toHaveCount(shown ? 1 : 0);
  }
  await page.getByTestId('select-method').selectOption('GET');
  await expect(page.getByTestId('status-code')).toHaveText('200');
  // The link spells the choices out and carries no session.
  // The address follows the page after a short pause: wait for the last choice to reach it.
  await expect.poll(() => new URL(page.url()).hash).toContain('csrf=wrong');
  expect(page.url()).toContain('cred=session');
  expect(page.url()).not.toContain('alicesession');
});

test('each select shows what a preset set, also after a person picked another option', async ({ page }) => {
  await openApp(page);
  // Picked by hand, an option no longer follows its `selected` attribute in the browser.
  await page.getByTestId('select-kind').selectOption('session');
  await page.getByTestId('select-method').selectOption('POST');
  await page.getByTestId('preset-unknown-api-key').click();
  await expect(page.getByTestId('select-kind')).toHaveValue('api-key');
  await expect(page.getByTestId('select-validity')).toHaveValue('unknown');
  await page.getByTestId('preset-expired-session').click();
  await expect(page.getByTestId('select-kind')).toHaveValue('session');
  await expect(page.getByTestId('select-validity')).toHaveValue('expired');
  await expect(page.getByTestId('select-method')).toHaveValue('GET');
  await page.getByTestId('preset-admin-deletes-user').click();
  await expect(page.getByTestId('select-kind')).toHaveValue('bearer');
  await expect(page.getByTestId('select-method')).toHaveValue('DELETE');
  await expect(page.getByTestId('select-role')).toHaveValue('admin');
});

for (const [preset, status] of presets) {
  test(`the ${preset} preset answers ${status}, in the bar and on its own page`, async ({ page }) => {
    await openApp(page);
    await page.getByTestId(`preset-${preset}`).click();
    await expect(page.getByTestId(`preset-${preset}`)).toHaveAttribute('aria-current', 'true');
    await expect(page.getByTestId('status-code')).toHaveText(status);
    const raw = await page.getByTestId('raw-request').inputValue();
    const answer = (await page.getByTestId('raw-response').textContent()) ?? '';
    expect(answer).toBe(engineResponse(raw));
    // The prerendered page shows the same answer, and the app takes it over without a
    // mismatch (a failed hydration panics: a console error the fixture fails on).
    await openApp(page, `./preset-${preset}.html#v=1&preset=${preset}`);
    await expect(page.getByTestId('status-code')).toHaveText(status);
    expect(await page.getByTestId('raw-response').textContent()).toBe(answer);
    await openApp(page, `./embed-${preset}.html?embed#v=1&preset=${preset}`);
    await expect(page.getByTestId('status-code')).toHaveText(status);
    // No session, key or CSRF token in the page's own link.
    expect(decodeURIComponent(page.url())).not.toMatch(/alicesession|ak_|csrftoken0|api_key=/);
  });
}

test('Spring Security refuses the POST at its CSRF filter, before authentication', async ({ page }) => {
  await openApp(page, './preset-csrf-missing.html#v=1&preset=csrf-missing');
  // Under rfc the session is known first: the verify node's CSRF exit lights.
  await expect(page.locator('[data-node="verify"]')).toHaveAttribute('data-taken', 'true');
  await expect(page.locator('[data-exit-id="CSRF check failed"]')).toHaveAttribute('data-taken', 'true');
  await page.getByTestId('select-profile').selectOption('spring-security');
  await expect(page.getByTestId('status-code')).toHaveText('403');
  await expect(page.locator('[data-node="csrf"]')).toHaveAttribute('data-taken', 'true');
  await expect(page.locator('[data-node="credentials"]')).toHaveAttribute('data-taken', 'false');
  const lit = page.locator('[data-testid="decision-path"] .exit.terminal[data-taken="true"]');
  await expect(lit).toHaveCount(1);
  await expect(lit).toHaveAttribute('data-exit-id', 'refused');
  const raw = await page.getByTestId('raw-request').inputValue();
  expect(await page.getByTestId('raw-response').textContent()).toBe(engineResponse(raw, 'spring-security'));
});

test('Learn: why 403 on my POST? Each answer is the engine\'s and opens the simulator', async ({ page }) => {
  await openApp(page, './view-learn.html#v=1&view=learn');
  const section = page.getByTestId('learn-csrf');
  await expect(section.getByRole('heading', { name: 'Why 403 on my POST?' })).toBeVisible();
  await expect(section.getByTestId('learn-csrf-answer')).toHaveCount(12);
  const drfPost = section.locator('[data-testid="learn-csrf-answer"][data-profile="drf"][data-method="POST"][data-csrf="missing"]');
  await expect(drfPost).toHaveAttribute('data-status', '403');
  await drfPost.click();
  await expect(page.getByTestId('status-code')).toHaveText('403');
  await expect(page.getByTestId('select-profile')).toHaveValue('drf');
  const raw = await page.getByTestId('raw-request').inputValue();
  expect(await page.getByTestId('raw-response').textContent()).toBe(engineResponse(raw, 'drf'));
  await page.getByTestId('view-learn').click();
  await page.getByTestId('learn-csrf-try').click();
  await expect(page.getByTestId('preset-csrf-missing')).toHaveAttribute('aria-current', 'true');
});

test('the policy editor shows the schemes and keeps them through a row edit', async ({ page }) => {
  await openApp(page, './view-policy.html#v=1&view=policy');
  await expect(page.getByTestId('policy-scheme')).toHaveCount(4);
  const security = page.getByTestId('policy-security');
  await expect(security.nth(7)).toHaveValue('apiKey');
  await page.getByTestId('policy-path').first().fill('/open');
  await expect(page.getByTestId('policy-text')).toHaveValue(/\[schemes\.session\][\s\S]*path = "\/open"[\s\S]*security = \["apiKey"\]/);
  await security.nth(7).fill('apiKey, nosuch');
  await expect(page.getByTestId('policy-row-error')).toContainText('nosuch');
  await security.nth(7).fill('apiKey, bearer');
  await expect(page.getByTestId('policy-text')).toHaveValue(/security = \["apiKey", "bearer"\]/);
  await expect(page.getByTestId('policy-state')).toContainText('In force');
});

test('a session, CSRF token and API key typed by hand stay out of the link', async ({ page }) => {
  await openApp(page);
  const secrets = ['REALSESSION4f9a8b7c6d5e', 'REALCSRF0a1b2c3d4e5f6', 'sk_live_REALKEY9z8y7x6w'];
  const [session, csrf, key] = secrets;
  await page
    .getByTestId('raw-request')
    .fill(
      `POST /users/alice/notes?api_key=${key} HTTP/1.1\nHost: api.authpath.example\n` +
        `Cookie: sessionid=${session}; csrftoken=${csrf}\nX-CSRFToken: ${csrf}\nX-API-Key: ${key}\n\n`,
    );
  await expect.poll(() => decodeURIComponent(page.url())).toContain('POST /users/alice/notes');
  for (const secret of secrets) expect(decodeURIComponent(page.url())).not.toContain(secret);
  const opened = await page.context().newPage();
  await opened.goto(new URL(page.url()).hash === '' ? './' : `./${new URL(page.url()).hash}`);
  await expect(opened.getByTestId('raw-request')).toHaveValue(/sessionid=withheld; csrftoken=withheld/);
  await expect(opened.getByTestId('link-notice')).toContainText('withheld');
  await opened.close();
});

for (const scheme of ['light', 'dark'] as const) {
  for (const width of [1280, 390]) {
    test(`screenshots of sessions and CSRF, ${scheme}, ${width} px`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height: 900 });
      await openApp(page);
      await sessionPost(page);
      await page.getByTestId('select-csrf').selectOption('missing');
      await expect(page.getByTestId('status-code')).toHaveText('403');
      await screenshot(page, `builder-session-csrf-${scheme}-${width}`);
      for (const [preset] of presets) {
        await page.getByTestId(`preset-${preset}`).click();
        await expect(page.getByTestId(`preset-${preset}`)).toHaveAttribute('aria-current', 'true');
        await screenshot(page, `preset-${preset}-${scheme}-${width}`);
      }
      await page.getByTestId('preset-csrf-missing').click();
      await page.getByTestId('select-profile').selectOption('spring-security');
      await expect(page.locator('[data-node="csrf"]')).toHaveAttribute('data-taken', 'true');
      await page.getByTestId('decision-path').screenshot({ path: screenshotPath(`spring-csrf-path-${scheme}-${width}`) });
      await page.getByTestId('view-learn').click();
      await page.getByTestId('learn-csrf').screenshot({ path: screenshotPath(`learn-csrf-${scheme}-${width}`) });
      await page.getByTestId('view-policy').click();
      await expect(page.getByTestId('policy-schemes')).toBeVisible();
      await screenshot(page, `policy-schemes-${scheme}-${width}`);
    });
  }
}

/** Where `screenshot` writes `name`, for a screenshot of one element (after a page's, which
 * makes the folder). */
function screenshotPath(name: string): string {
  return resolve(screenshotDirectory, `${name}.png`);
}
