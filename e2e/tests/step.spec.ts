// At the step that decided (#26): the alternatives shown under the response appear under the
// decision path too, each applied with one click or key press and getting the status it
// promised; for the step shown, the other requests that end there the same way.
import { expect, openFullApp, screenshot, test } from './support';

const presets = ['no-token', 'expired-token', 'user-on-admin', 'insufficient-scope', 'attack-kid-traversal'];

for (const preset of presets) {
  test(`${preset}: every alternative at the deciding step gets the status it promised`, async ({ page }) => {
    await openFullApp(page);
    await page.getByTestId(`preset-${preset}`).click();
    const before = (await page.getByTestId('status-code').textContent()) ?? '';
    const panel = page.getByTestId('step-alternatives');
    await expect(panel).toContainText('the step that decided');
    const items = panel.getByTestId('step-alternative');
    const count = await items.count();
    expect(count).toBeGreaterThan(0);
    // The same changes as under the response, in the same order.
    const atStep = await items.allTextContents();
    const underResponse = await page.getByTestId('alternatives').getByTestId('alternative').allTextContents();
    expect(underResponse.slice(0, count)).toEqual(atStep);
    for (let index = 0; index < count; index += 1) {
      if (index > 0) {
        await page.getByTestId(`preset-${preset}`).click();
        await expect(page.getByTestId('status-code')).toHaveText(before);
      }
      const item = page.getByTestId('step-alternatives').getByTestId('step-alternative').nth(index);
      const promised = (await item.getAttribute('data-status')) ?? '';
      expect(promised).not.toBe(before);
      // By keyboard on the first, by click on the others.
      if (index === 0) {
        await item.getByRole('button').focus();
        await page.keyboard.press('Enter');
      } else {
        await item.getByRole('button').click();
      }
      await expect(page.getByTestId('status-code')).toHaveText(promised);
    }
  });
}

test('the other requests that end at the step shown leave it by the same exit', async ({ page }) => {
  await openFullApp(page);
  await page.getByTestId('preset-expired-token').click();
  await expect(page.getByTestId('status-code')).toHaveText('401');
  const exitTaken = page.locator('[data-testid="decision-path"] g.exit.terminal[data-taken="true"]');
  const exit = await exitTaken.getAttribute('data-exit-id');
  const classPanel = page.getByTestId('step-class');
  await expect(classPanel).toContainText('Verify credentials');
  await classPanel.getByTestId('step-class-show').click();
  const examples = classPanel.getByTestId('step-class-example');
  await expect(examples.first()).toBeVisible();
  const count = await examples.count();
  expect(count).toBeGreaterThan(1);
  await examples.first().getByRole('button').click();
  await expect(page.getByTestId('status-code')).toHaveText('401');
  await expect(exitTaken).toHaveAttribute('data-exit-id', exit ?? '');
  // Another request: the class is asked for again, not recomputed on every edit.
  await expect(classPanel.getByTestId('step-class-show')).toBeVisible();
  // An earlier step: its class is of that step's node.
  await page.getByTestId('preset-expired-token').click();
  await page.getByTestId('step-first').click();
  await expect(page.getByTestId('step-alternatives')).toHaveCount(0);
  await expect(page.getByTestId('step-class')).toContainText('Parse request');
});

for (const colorScheme of ['light', 'dark'] as const) {
  for (const width of [1280, 390]) {
    test(`the deciding step, ${colorScheme} at ${width} px`, async ({ page }) => {
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize({ width, height: 900 });
      await openFullApp(page);
      await page.getByTestId('preset-insufficient-scope').click();
      await page.getByTestId('step-class-show').click();
      await expect(page.getByTestId('step-class-example').first()).toBeVisible();
      await page.getByTestId('step-panel').scrollIntoViewIfNeeded();
      await screenshot(page, `step-panel-${colorScheme}-${width}`, { fullPage: false });
    });
  }
}
