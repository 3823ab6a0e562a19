import { defineConfig } from '@playwright/test';

// The system Chromium: Playwright's own browser download is not used (and not reachable).
const executablePath = process.env.CHROME_BIN ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: './tests',
  globalSetup: './global-setup.ts',
  outputDir: '../target/e2e-results',
  fullyParallel: true,
  forbidOnly: true,
  retries: 0,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    // Set by the global setup, which serves ../dist on a free port.
    baseURL: process.env.AUTHPATH_BASE_URL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath,
      // Quiet on a closed network: no sandbox (root in CI), no GPU, no background traffic.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
