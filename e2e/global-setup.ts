// Serves ../dist for the whole run; Playwright calls the returned function as the teardown.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { serveStatic } from './static-server';

export default async function globalSetup(): Promise<() => Promise<void>> {
  // AUTHPATH_DIST serves another build (e.g. an older one, to compare).
  const dist = resolve(process.env.AUTHPATH_DIST ?? resolve(__dirname, '..', 'dist'));
  if (!existsSync(join(dist, 'index.html'))) {
    throw new Error(`${dist}/index.html is missing: build the site first (cargo xtask dist)`);
  }
  const server = await serveStatic(dist);
  // Workers start after this and inherit the environment; the config reads the URL from it.
  process.env.AUTHPATH_BASE_URL = server.url;
  console.log(`serving ${dist} at ${server.url}`);
  return server.close;
}
