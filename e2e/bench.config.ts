// Benchmarks of the built site; the same browser and server as the tests, one worker so
// nothing else competes for the two cores. No traces (recording them costs time inside the
// measured loops), and results apart from the tests' own, so a test run alongside cannot
// delete them.
import { defineConfig } from '@playwright/test';
import base from './playwright.config';

export default defineConfig({
  ...base,
  testDir: './bench',
  testMatch: '**/*.bench.ts',
  outputDir: '../target/bench-results',
  fullyParallel: false,
  workers: 1,
  use: { ...base.use, trace: 'off' },
});
