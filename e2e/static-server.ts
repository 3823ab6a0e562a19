// A tiny static file server for dist/: the e2e tests load the site over HTTP on 127.0.0.1,
// as a static host would serve it (the app cannot run from file://).
import { createServer, type Server } from 'node:http';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

/** Content types for every kind of file Trunk writes; a wrong one breaks wasm streaming. */
const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

/** A running server: its base URL (ending in `/`) and how to stop it. */
export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/**
 * How the server compresses what it sends: not at all (the tests), or as a static host does,
 * with `gzip -9` or brotli at quality 11 when the browser accepts it (the benchmarks).
 */
export type Compression = 'none' | 'gzip' | 'br';

/** Kinds of file worth compressing; images and the manifest's icons are sent as they are. */
const compressible = new Set(['.html', '.js', '.mjs', '.css', '.wasm', '.svg', '.json', '.webmanifest', '.txt']);

function compress(body: Buffer, compression: Compression): Buffer {
  if (compression === 'gzip') return gzipSync(body, { level: 9 });
  return brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
}

/** Serves the files under `root` on 127.0.0.1 at a free port chosen by the system. */
export async function serveStatic(root: string, compression: Compression = 'none'): Promise<StaticServer> {
  const base = resolve(root);
  // Compressed once per file, as a host that precompresses its files would serve them.
  const compressed = new Map<string, Buffer>();
  const server: Server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    let file = normalize(join(base, path));
    // Never serve anything outside the root, whatever the URL says.
    if (file !== base && !file.startsWith(base + sep)) {
      response.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      let body = await readFile(file);
      const headers: Record<string, string> = {
        'Content-Type': contentTypes[extname(file)] ?? 'application/octet-stream',
        'Cache-Control': 'no-store',
      };
      const accepted = String(request.headers['accept-encoding'] ?? '').split(/\s*,\s*/).map((part) => part.split(';')[0]);
      if (compression !== 'none' && compressible.has(extname(file)) && accepted.includes(compression)) {
        const key = `${compression} ${file}`;
        const packed = compressed.get(key) ?? compress(body, compression);
        compressed.set(key, packed);
        body = packed;
        headers['Content-Encoding'] = compression;
        headers['Vary'] = 'Accept-Encoding';
      }
      headers['Content-Length'] = String(body.length);
      response.writeHead(200, headers);
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', done);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no port');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
