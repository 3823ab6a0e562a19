// Links, history, embedding: every view is a link, every link works in an iframe.
import { expect, openApp, screenshot, test } from './support';

test('a link opens exactly the scenario built by hand', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('preset-user-on-admin').click();
  await page.getByTestId('select-validity').selectOption('expired');
  await page.getByTestId('step-first').click();
  await page.getByTestId('step-next').click();
  const built = await page.getByTestId('raw-response').textContent();
  // Edits reach the address once they pause, not on every click.
  await expect.poll(() => new URL(page.url()).hash).toContain('step=2');
  const fragment = new URL(page.url()).hash;
  expect(fragment).toContain('valid=expired');

  const other = await page.context().newPage();
  await other.goto(`./${fragment}`);
  await expect(other.getByTestId('app')).toBeVisible();
  expect(await other.getByTestId('raw-response').textContent()).toBe(built);
  await expect(other.getByTestId('select-validity')).toHaveValue('expired');
  await expect(other.getByTestId('step-count')).toHaveText(/^step 2 of/);
  await expect(other.getByTestId('link-notice')).toHaveCount(0);
});

test('back and forward move between presets, not keystrokes', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('preset-no-token').click();
  await expect(page.getByTestId('status-code')).toHaveText('401');
  await page.getByTestId('preset-public-page').click();
  await expect(page.getByTestId('status-code')).toHaveText('200');
  const before = page.url();
  // Typing replaces the current entry instead of adding one per keystroke.
  await page.getByTestId('input-path').pressSequentially('x');
  await expect(page.getByTestId('status-code')).toHaveText('404');
  // The address follows edits once they pause (a history write per keystroke is slow).
  await expect.poll(() => page.url()).not.toBe(before);
  await page.goBack();
  await expect(page.getByTestId('status-code')).toHaveText('401');
  await expect(page.getByTestId('preset-no-token')).toHaveAttribute('aria-current', 'true');
  await page.goForward();
  await expect(page.getByTestId('status-code')).toHaveText('404');
});

test('an unreadable link opens the default scenario with a notice', async ({ page }) => {
  await page.goto('./#v=1&preset=nope&valid=sort-of&step=zero');
  await expect(page.getByTestId('app')).toBeVisible();
  const notice = page.getByTestId('link-notice');
  await expect(notice).toContainText('no preset');
  await expect(notice).toContainText('validity');
  await expect(page.getByTestId('status-code')).toHaveText('200');
  await page.getByTestId('dismiss-notice').click();
  await expect(notice).toHaveCount(0);

  await page.goto('./#v=7&preset=no-token');
  await expect(page.getByTestId('link-notice')).toContainText('newer authpath');
});

test('a pasted token stays out of the link unless the box is ticked', async ({ page }) => {
  await openApp(page);
  const secret = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0.c2VjcmV0LXNpZ25hdHVyZQ';
  await page
    .getByTestId('raw-request')
    .fill(`GET /profile HTTP/1.1\nHost: api.authpath.example\nAuthorization: Bearer ${secret}\n\n`);
  await expect(page.getByTestId('status-code')).toHaveText('401');
  await expect.poll(() => decodeURIComponent(page.url())).toContain('GET /profile');
  expect(page.url()).not.toContain(secret);
  await page.getByTestId('share-credentials').check();
  await expect.poll(() => page.url()).toContain(secret);
  await page.getByTestId('share-credentials').uncheck();
  await expect.poll(() => page.url()).not.toContain(secret);
});

// The engine reads these two as query tokens (it skips a blank line before the request line and
// percent-decodes parameter names), so the link must leave them out too.
for (const [name, request] of [
  ['after a blank line', (token: string) => `\nGET /profile?access_token=${token} HTTP/1.1\nHost: x\n`],
  ['with a percent-encoded name', (token: string) => `GET /profile?access%5Ftoken=${token} HTTP/1.1\nHost: x\n`],
] as const) {
  test(`a query token ${name} stays out of the address and the copied link`, async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await openApp(page);
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0.c2VjcmV0LXNpZ25hdHVyZQ';
    await page.getByTestId('raw-request').fill(request(token));
    // The pipeline did read the token: a bad signature, not "no credentials".
    await expect(page.getByTestId('status-code')).toHaveText('401');
    await expect(page.getByTestId('raw-response')).toContainText('invalid_token');
    await expect(page.getByTestId('share-credentials')).not.toBeChecked();
    await expect.poll(() => decodeURIComponent(page.url())).toContain('GET /profile');
    await page.getByTestId('share-link').click();
    await expect(page.getByTestId('share-link')).toHaveText(/copied/);
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    for (const link of [page.url(), copied]) {
      for (const form of [link, decodeURIComponent(link), decodeURIComponent(decodeURIComponent(link))]) {
        expect(form).not.toContain('eyJ');
        expect(form).not.toContain('c2VjcmV0LXNpZ25hdHVyZQ');
      }
    }
  });
}

// A request copied from a browser's developer tools: no secret of it may reach the address,
// a copied link or an iframe snippet, in any encoding, until the box is ticked.
test('a session cookie, an API key and proxy credentials stay out of every link', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openApp(page);
  const secrets = ['REALSESSIONVALUE123', 'sk_live_SECRETKEY999', 'cHJveHk6cHc', 'proxy:pw'];
  await page
    .getByTestId('raw-request')
    .fill(
      'GET /profile HTTP/1.1\nHost: api.example.com\nCookie: sessionid=REALSESSIONVALUE123; theme=dark\n' +
        'X-API-Key: sk_live_SECRETKEY999\nProxy-Authorization: Basic cHJveHk6cHc=\n\n',
    );
  await expect(page.getByTestId('share-credentials')).not.toBeChecked();
  await expect.poll(() => decodeURIComponent(page.url())).toContain('sessionid=withheld');
  await page.getByTestId('share-link').click();
  await expect(page.getByTestId('share-link')).toHaveText(/copied/);
  const link = await page.evaluate(() => navigator.clipboard.readText());
  await page.getByTestId('share-iframe').click();
  await expect(page.getByTestId('share-iframe')).toHaveText(/copied/);
  const snippet = await page.evaluate(() => navigator.clipboard.readText());
  expect(snippet).toContain('<iframe');
  // Every run of escapes decoded, the rest left as it is: a snippet holds `width="100%"`,
  // which no whole-text decodeURIComponent reads.
  const decode = (text: string) =>
    text.replace(/(%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  const encodings = (text: string) => {
    const forms = [text, decode(text), decode(decode(text))];
    return forms.concat(forms.map((form) => Buffer.from(form).toString('base64')));
  };
  for (const text of [page.url(), link, snippet]) {
    for (const form of encodings(text)) {
      for (const secret of secrets) {
        expect(form).not.toContain(secret);
        expect(form).not.toContain(Buffer.from(secret).toString('base64').replace(/=+$/, ''));
        expect(form).not.toContain(Buffer.from(secret).toString('base64url'));
      }
    }
  }
  // The names stay, so the link still says what was sent; the page that opens it says what
  // its sender withheld.
  expect(decodeURIComponent(link)).toContain('X-API-Key: withheld');
  const other = await context.newPage();
  await other.goto(link);
  await expect(other.getByTestId('link-notice')).toContainText('withheld 4 secret values');
  await expect(other.getByTestId('raw-request')).toHaveValue(/Cookie: sessionid=withheld; theme=withheld/);

  // Ticking the box is the only way in.
  await page.getByTestId('share-credentials').check();
  await expect.poll(() => page.url()).toContain('sk_live_SECRETKEY999');
  await page.getByTestId('share-credentials').uncheck();
  await expect.poll(() => page.url()).not.toContain('sk_live_SECRETKEY999');
});

test('a copy the browser refuses says so, without an error', async ({ page }) => {
  // A refused write, as without permission or user activation.
  await page.addInitScript(() => {
    navigator.clipboard.writeText = () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));
  });
  await openApp(page);
  await page.getByTestId('share-link').click();
  await expect(page.getByTestId('share-link')).toHaveText(/blocked/);
  await page.getByTestId('copy-response').click();
  await expect(page.getByTestId('copy-response')).toHaveText(/blocked/);
  // The page goes on as before.
  await page.getByTestId('preset-no-token').click();
  await expect(page.getByTestId('status-code')).toHaveText('401');
});

test('with no clipboard at all (a plain http:// page) copying says so', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined });
  });
  await openApp(page);
  await page.getByTestId('share-iframe').click();
  await expect(page.getByTestId('share-iframe')).toHaveText(/blocked/);
  await page.getByTestId('copy-curl').click();
  await expect(page.getByTestId('copy-curl')).toHaveText(/blocked/);
});

test('the share buttons copy the link and an iframe snippet', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openApp(page);
  await page.getByTestId('preset-no-token').click();
  await page.getByTestId('share-link').click();
  await expect(page.getByTestId('share-link')).toHaveText(/copied/);
  // The link goes to the page prerendered in that preset (src/pages.rs), which shows its
  // answer before the wasm arrives; the address bar keeps the old form, which works too.
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toBe(new URL('preset-no-token.html#v=1&preset=no-token', page.url()).toString());
  await page.getByTestId('share-iframe').click();
  const snippet = await page.evaluate(() => navigator.clipboard.readText());
  expect(snippet).toMatch(/^<iframe src="[^"]+\/embed-no-token\.html\?embed#v=1&preset=no-token"/);
  const other = await context.newPage();
  await other.goto(link);
  await expect(other.getByTestId('status-code')).toHaveText('401');
  await expect(other.getByTestId('preset-no-token')).toHaveAttribute('aria-current', 'true');
});

for (const scheme of ['light', 'dark'] as const) {
  test(`embed mode at 700 px, ${scheme}: the scenario and no page chrome`, async ({ page }) => {
    await page.setViewportSize({ width: 700, height: 900 });
    await page.goto(`./?embed&theme=${scheme}#v=1&preset=user-on-admin`);
    await expect(page.getByTestId('app')).toHaveAttribute('data-embed', 'true');
    await expect(page.locator('html')).toHaveAttribute('data-theme', scheme);
    await expect(page.getByTestId('raw-request')).toBeVisible();
    await expect(page.getByTestId('decision-path')).toBeVisible();
    await expect(page.getByTestId('raw-response')).toBeVisible();
    await expect(page.getByTestId('status-code')).toHaveText('403');
    await expect(page.locator('.masthead, .presets, .footer, .tabs')).toHaveCount(0);
    await expect(page.getByTestId('open-in-authpath')).toHaveAttribute('href', /#v=1&preset=user-on-admin$/);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, `embed-700-${scheme}`);
  });
}

test('the example page embeds two scenarios that report their height', async ({ page }) => {
  await page.goto('./examples/embed.html');
  const frames = page.locator('iframe');
  await expect(frames).toHaveCount(2);
  await expect(page.frameLocator('iframe >> nth=0').getByTestId('status-code')).toHaveText('401');
  await expect(page.frameLocator('iframe >> nth=1').getByTestId('status-code')).toHaveText('403');
  // The page's listener sizes each iframe from the height the app posts.
  for (const index of [0, 1]) {
    await expect
      .poll(async () => Number(await frames.nth(index).getAttribute('data-reported-height')))
      .toBeGreaterThan(400);
  }
  await screenshot(page, 'example-embed');
});
