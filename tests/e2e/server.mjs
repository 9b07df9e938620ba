// A tiny static file server for the browser end-to-end tests (node:http, no dependencies).
//
//   const srv = await startServer({ root: '/work/main/dist', basePath: '/ml/runs/' });
//   srv.url      -> 'http://127.0.0.1:PORT/ml/runs/'   (the app's address)
//   srv.origin   -> 'http://127.0.0.1:PORT'
//   srv.requests -> [{ method, path, status }]          (every request seen, in order)
//   await srv.close();
//
// Options:
//   root       folder whose files are served (required)
//   basePath   URL prefix the files are served under ('/' by default); anything outside it is 404
//   corsAllow  send `Access-Control-Allow-Origin: *` on every response (true by default); a
//              server started with `corsAllow: false` is a cross-origin host whose content a
//              page on another origin cannot fetch
//   routes     extra fixed responses, keyed by absolute URL path:
//              { '/hosted/x.md': { body: 'text' | Buffer, type?: 'text/markdown', status?: 200 } }
//              or a big body made on the fly, written as the client reads it:
//              { '/huge.md': { head: 'text', chunk: 'text', times: 1000 } } (head, then chunk
//              `times` times, with its Content-Length); the request's entry gets `sent`, the
//              bytes written before the body ended or the client stopped reading
//
// Built-in test route: `/__test/cors-blocked.md` always answers 200 with a small, valid archive
// and never carries CORS headers (whatever `corsAllow` says), so a cross-origin fetch of it fails
// in the browser while a same-origin or server-side fetch works.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.wasm': 'application/wasm',
  '.csv': 'text/csv; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

/** Content type for a file name, by its extension. */
export function contentType(name) {
  return TYPES[path.extname(name).toLowerCase()] ?? 'application/octet-stream';
}

export const CORS_BLOCKED_PATH = '/__test/cors-blocked.md';
export const CORS_BLOCKED_RUN_ID = '20251201-0000-cors';
const CORS_BLOCKED_BODY = `# Experiment Archive

## Summary
- experiment: cors-blocked
- run_id: ${CORS_BLOCKED_RUN_ID}
- status: success
`;

function normaliseBase(basePath) {
  let b = basePath || '/';
  if (!b.startsWith('/')) b = `/${b}`;
  if (!b.endsWith('/')) b = `${b}/`;
  return b;
}

/**
 * Start a server on 127.0.0.1 on a free port.
 * @returns {Promise<{url: string, origin: string, port: number, requests: Array<{method: string, path: string, status: number}>, close: () => Promise<void>}>}
 */
export async function startServer({ root, basePath = '/', corsAllow = true, routes = {} } = {}) {
  if (!root) throw new Error('startServer: `root` is required');
  const rootDir = path.resolve(root);
  const base = normaliseBase(basePath);
  const requests = [];

  const server = http.createServer((req, res) => {
    const entry = { method: req.method, path: req.url, status: 0 };
    requests.push(entry);

    const send = (status, headers, body) => {
      entry.status = status;
      const h = { 'Cache-Control': 'no-store', ...headers };
      if (body !== undefined && h['Content-Length'] === undefined) {
        h['Content-Length'] = Buffer.byteLength(body);
      }
      res.writeHead(status, h);
      if (req.method === 'HEAD' || body === undefined) res.end();
      else res.end(body);
    };
    const cors = corsAllow ? { 'Access-Control-Allow-Origin': '*' } : {};
    const notFound = () =>
      send(404, { 'Content-Type': 'text/plain; charset=utf-8', ...cors }, `404 Not Found: ${req.url}\n`);

    if (req.method === 'OPTIONS') {
      return send(204, {
        ...cors,
        ...(corsAllow ? { 'Access-Control-Allow-Methods': 'GET, HEAD', 'Access-Control-Allow-Headers': '*' } : {}),
      });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(405, { 'Content-Type': 'text/plain; charset=utf-8', Allow: 'GET, HEAD', ...cors }, '405\n');
    }

    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      return send(400, { 'Content-Type': 'text/plain; charset=utf-8', ...cors }, '400 Bad Request\n');
    }

    if (pathname === CORS_BLOCKED_PATH) {
      // Deliberately no CORS headers, whatever corsAllow says.
      return send(200, { 'Content-Type': contentType(pathname) }, CORS_BLOCKED_BODY);
    }
    const route = routes[pathname];
    if (route?.chunk != null) {
      const head = Buffer.from(route.head ?? '');
      const chunk = Buffer.from(route.chunk);
      entry.status = 200;
      entry.sent = 0;
      res.writeHead(200, {
        'Cache-Control': 'no-store',
        'Content-Type': route.type ?? contentType(pathname),
        'Content-Length': head.length + chunk.length * route.times,
        ...cors,
      });
      let left = route.times;
      const pump = () => {
        let ok = true;
        if (entry.sent === 0) {
          entry.sent += head.length;
          ok = res.write(head);
        }
        while (ok && left > 0) {
          left -= 1;
          entry.sent += chunk.length;
          ok = res.write(chunk);
        }
        if (left === 0) res.end();
        else res.once('drain', pump);
      };
      res.on('close', () => res.removeAllListeners('drain'));
      return pump();
    }
    if (route) {
      return send(
        route.status ?? 200,
        { 'Content-Type': route.type ?? contentType(pathname), ...cors, ...(route.headers ?? {}) },
        route.body,
      );
    }

    // Files live under basePath only; `/ml/runs` (no slash) redirects to `/ml/runs/`.
    if (base !== '/' && pathname === base.slice(0, -1)) {
      return send(301, { Location: base, ...cors }, '');
    }
    if (!pathname.startsWith(base)) return notFound();
    let rel = pathname.slice(base.length);
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = path.resolve(rootDir, rel);
    if (file !== rootDir && !file.startsWith(rootDir + path.sep)) return notFound(); // ../ escape

    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) return notFound();
      fs.readFile(file, (err2, body) => {
        if (err2) return notFound();
        send(200, { 'Content-Type': contentType(file), ...cors }, body);
      });
    });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}${base}`,
    origin,
    port,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}
