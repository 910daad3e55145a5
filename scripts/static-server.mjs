// A small static file server for dist/, used by scripts/serve and the end-to-end tests.
// Binds 127.0.0.1 only. Serves the directory under a URL prefix (default "/") so tests can prove
// the app works from any sub-path of a static host. No dependencies beyond node.
//
//   node scripts/static-server.mjs DIR [--port N] [--prefix /some/path/]
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.ico': 'image/x-icon', '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
};

export function startServer(dir, { port = 0, prefix = '/' } = {}) {
  const root = resolve(dir);
  if (!prefix.endsWith('/')) prefix += '/';
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://127.0.0.1');
      if (!url.pathname.startsWith(prefix)) { res.writeHead(404).end('not found'); return; }
      let rel = decodeURIComponent(url.pathname.slice(prefix.length)) || 'index.html';
      const path = normalize(join(root, rel));
      if (path !== root && !path.startsWith(root + sep)) { res.writeHead(403).end(); return; }
      let file = path;
      if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((ok) => server.listen(port, '127.0.0.1', () => ok(server)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const dir = args[0] ?? 'dist';
  const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
  const server = await startServer(dir, { port: Number(opt('--port', 8080)), prefix: opt('--prefix', '/') });
  const { port } = server.address();
  console.log(`Trailglass is at http://127.0.0.1:${port}${opt('--prefix', '/')}  (serving ${dir}; Ctrl-C to stop)`);
  process.on('SIGINT', () => { server.close(); process.exit(0); });
}
