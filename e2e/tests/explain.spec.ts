// Explaining further (#26): what would change the answer, applied with one click or key; the run
// in words under the decision path; the code that gives the response, in the framework chosen.
import { expect, openFullApp, test } from './support';

test('an alternative applies with one key press and gets the status it stated', async ({ page }) => {
  await openFullApp(page);
  await page.getByTestId('preset-no-token').click();
  await expect(page.getByTestId('status-code')).toHaveText('401');
  const narration = page.getByTestId('narration');
  await expect(narration).toContainText('so it answered 401 Unauthorized');

  const alternatives = page.getByTestId('alternatives');
  const first = alternatives.getByTestId('alternative').first();
  await expect(first).toBeVisible();
  const promised = await first.getAttribute('data-status');
  expect(promised).not.toBe('401');
  const words = (await first.textContent()) ?? '';
  expect(words).toMatch(promised?.startsWith('2') ? /^to get \d{3} / : /^this would be \d{3} .* instead: /);
  expect(words).toContain(promised ?? '');
  // Keyboard: the alternative is a button, reached by focus and pressed with Enter.
  await first.getByRole('button').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('status-code')).toHaveText(promised ?? '');
  await expect(narration).toContainText(`answered ${promised}`);
  // The hand-edited request is now the alternative's; the back button goes to the one before.
  await page.goBack();
  await expect(page.getByTestId('status-code')).toHaveText('401');
});

test('an alternative under another profile sets the profile too', async ({ page }) => {
  await openFullApp(page);
  await page.getByTestId('preset-user-on-admin').click();
  const before = await page.getByTestId('status-code').textContent();
  const more = page.getByTestId('alternatives').locator('details');
  await more.locator('summary').click();
  const other = more.getByTestId('alternative').filter({ hasText: 'answered by the' }).first();
  const promised = (await other.getAttribute('data-status')) ?? '';
  expect(promised).not.toBe(before);
  const profile = /answered by the (\S+) profile/.exec((await other.textContent()) ?? '')?.[1] ?? '';
  expect(profile).not.toBe('');
  await other.getByRole('button').click();
  await expect(page.getByTestId('status-code')).toHaveText(promised);
  await expect(page.getByTestId('select-profile')).toHaveValue(profile);
});

test('the code panel follows the response and the framework chosen', async ({ page, context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(baseURL ?? '').origin });
  await openFullApp(page);
  await page.getByTestId('preset-no-token').click();
  const code = page.getByTestId('code-snippet');
  await expect(page.getByTestId('code-language')).toHaveValue('flask');
  await expect(code).toContainText('from flask import Flask');
  await expect(code).toContainText('STATUS = 401');
  await page.getByTestId('code-language').selectOption('express');
  await expect(code).toHaveAttribute('data-language', 'express');
  await expect(code).toContainText('require("express")');
  await expect(code).toContainText('const STATUS = 401;');
  await expect(code).not.toContainText('from flask');
  await page.getByTestId('code-language').selectOption('go');
  await expect(code).toContainText('net/http');
  // An edit moves the snippet with the response.
  const ok = page.getByTestId('alternative').filter({ has: page.locator('[class*="s2xx"]') }).first();
  await ok.getByRole('button').click();
  await expect(page.getByTestId('status-code')).toHaveText(/^2\d\d$/);
  const status = (await page.getByTestId('status-code').textContent()) ?? '';
  await expect(code).toContainText(`const status = ${status}`);
  await expect(code).toHaveAttribute('data-language', 'go');
  // Copy puts exactly the snippet on the clipboard.
  await page.getByTestId('copy-code').click();
  await expect(page.getByTestId('copy-code')).toHaveText('✓ Copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(await code.textContent());
});
