// `npm run serve`: serves dist/ on 127.0.0.1 (PORT, default 8080, or the next free port) and
// prints the page's URL and the offline file's path. Static files only; nothing is logged.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

if (!fs.existsSync(path.join(dist, 'index.html'))) {
  console.error('dist/ is not built: run `npm run build` (or `npm start`, which builds and serves).');
  process.exit(2);
}

const server = http.createServer((req, res) => {
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
  } catch {
    res.writeHead(400).end('bad request');
    return;
  }
  if (pathname.endsWith('/')) pathname += 'index.html';
  const file = path.join(dist, pathname);
  if (!file.startsWith(dist + path.sep)) {
    res.writeHead(403).end('forbidden');
    return;
  }
  fs.readFile(file, (err, body) => {
    if (err) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    res.end(body);
  });
});

const first = Number(process.env.PORT ?? 8080);
function listen(port) {
  server.once('error', (e) => {
    if (e.code === 'EADDRINUSE' && port < first + 20 && !process.env.PORT) listen(port + 1);
    else {
      console.error(`cannot listen on 127.0.0.1:${port}: ${e.message}`);
      process.exit(2);
    }
  });
  server.listen(port, '127.0.0.1', () => {
    const offline = path.join(dist, 'arc-triage.html');
    console.log(`arc-triage is served at  http://127.0.0.1:${port}/`);
    console.log(`docs embedding example:  http://127.0.0.1:${port}/embed-example.html`);
    console.log(`offline single file:     ${offline}`);
    console.log(`                         (${pathToFileURL(offline).href})`);
    console.log('Press Ctrl+C to stop.');
  });
}
listen(first);
