// The built site loads, the app mounts and shows its name, with no console error or failed
// request, in both themes at a desktop and a phone width.
import { expect, openApp, screenshot, test } from './support';

const widths = [1280, 390];
const schemes = ['light', 'dark'] as const;

for (const colorScheme of schemes) {
  for (const width of widths) {
    test(`renders in ${colorScheme} at ${width} px`, async ({ page }) => {
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize({ width, height: 900 });
      await openApp(page);
      await expect(page.getByTestId('app')).toContainText(/authpath/i);
      await expect(page).toHaveTitle(/authpath/i);
      await screenshot(page, `smoke-${colorScheme}-${width}`);
    });
  }
}

// The picture at the top of README.md (docs/screenshot.png is a copy of it): a refused request,
// at a desktop width, showing only what fits on one screen.
test('README screenshot: a user on an admin route', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 860 });
  await openApp(page);
  await page.getByTestId('preset-user-on-admin').click();
  await expect(page.getByTestId('status-code')).toContainText('403');
  await screenshot(page, 'readme', { fullPage: false });
});
