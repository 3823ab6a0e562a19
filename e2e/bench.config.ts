// Benchmarks of the built site; the same browser and server as the tests, one worker so
// nothing else competes for the two cores.
import { defineConfig } from '@playwright/test';
import base from './playwright.config';

export default defineConfig({
  ...base,
  testDir: './bench',
  testMatch: '**/*.bench.ts',
  fullyParallel: false,
  workers: 1,
});
