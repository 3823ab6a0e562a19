// Learn's additions (#26): the club analogy, the myths as questions the engine answers, and
// the statuses for when neither 401 nor 403 fits with what a client does after each. Every
// link opens the simulator on a request the engine answers as the words say.
import type { Locator, Page } from '@playwright/test';
import { resolve } from 'node:path';
import { expect, openApp, screenshotDirectory, test } from './support';

async function openLearn(page: Page): Promise<void> {
  await openApp(page);
  await page.getByTestId('view-learn').click();
  await expect(page.getByTestId('learn-view')).toBeVisible();
}

/** Follows a Learn link and checks the simulator shows the status it promised. */
async function follow(page: Page, link: Locator): Promise<void> {
  const status = await link.getAttribute('data-status');
  expect(status).toMatch(/^\d{3}$/);
  await link.click();
  await expect(page.getByTestId('raw-request')).toBeVisible();
  await expect(page.getByTestId('status-code')).toHaveText(status ?? '');
}

test('the club: the door asks who you are (401), the VIP area says no (403)', async ({ page }) => {
  await openLearn(page);
  const club = page.getByTestId('learn-club');
  await expect(club).toContainText('ID');
  const links = club.getByTestId('learn-link');
  await expect(links).toHaveCount(2);
  await expect(links.nth(0)).toHaveAttribute('data-status', '401');
  await expect(links.nth(1)).toHaveAttribute('data-status', '403');
  for (const index of [0, 1]) {
    await openLearn(page);
    await follow(page, page.getByTestId('learn-club').getByTestId('learn-link').nth(index));
  }
});

// What a correct server answers to each myth's request, as the RFCs say.
const mythAnswers = ['401', '401', '403', '401', '404'];

test('each myth is a question the engine answers, and opens in the simulator', async ({ page }) => {
  await openLearn(page);
  const myths = page.getByTestId('learn-myth');
  await expect(myths).toHaveCount(mythAnswers.length);
  for (const [index, answer] of mythAnswers.entries()) {
    if (index > 0) await openLearn(page);
    const myth = page.getByTestId('learn-myth').nth(index);
    await expect(myth).toHaveAttribute('data-status', answer);
    await expect(myth.getByTestId('learn-myth-answer')).toHaveCount(0);
    // A wrong option first, by keyboard: focus it and press Enter.
    const wrong = myth.getByTestId('learn-myth-choice').filter({ hasNotText: new RegExp(`^${answer}`) }).first();
    await wrong.focus();
    await page.keyboard.press('Enter');
    await expect(myth.getByTestId('learn-myth-answer')).toContainText('Not quite');
    await myth.getByTestId('learn-myth-choice').filter({ hasText: new RegExp(`^${answer}`) }).click();
    await expect(myth.getByTestId('learn-myth-answer')).toContainText('Right');
    await follow(page, myth.getByTestId('learn-link'));
  }
});

test('when neither fits: 400, 404, 500, and what the client does after each', async ({ page }) => {
  await openLearn(page);
  const rows = page.getByTestId('learn-status');
  await expect(rows).toHaveCount(5);
  const row = (code: string) => page.locator(`[data-testid="learn-status"][data-code="${code}"]`);
  await expect(row('401').getByTestId('learn-client')).toContainText('Log in or refresh');
  await expect(row('403').getByTestId('learn-client')).toContainText('access denied');
  await expect(row('400').getByTestId('learn-client')).toContainText('Fix the request');
  await expect(row('404').getByTestId('learn-client')).toContainText('Check the address');
  await expect(row('500')).toContainText('Never the answer to bad credentials');
  for (const [code, status] of [['401', '401'], ['403', '403'], ['400', '400'], ['404', '404'], ['500', '401']]) {
    await openLearn(page);
    const link = row(code).getByTestId('learn-link');
    await expect(link).toHaveAttribute('data-status', status);
    await follow(page, link);
  }
});

for (const colorScheme of ['light', 'dark'] as const) {
  for (const width of [1280, 390]) {
    test(`learn additions, ${colorScheme} at ${width} px`, async ({ page }) => {
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize({ width, height: 900 });
      await openLearn(page);
      await page.getByTestId('learn-myth').first().getByTestId('learn-myth-choice').first().click();
      for (const part of ['learn-club', 'learn-myths', 'learn-statuses']) {
        await page.getByTestId(part).screenshot({ path: resolve(screenshotDirectory, `${part}-${colorScheme}-${width}.png`) });
      }
    });
  }
}
