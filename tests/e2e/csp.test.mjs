// The built page runs under its strict Content-Security-Policy: no inline script, no eval
// (WebAssembly compilation only), and no violation while a run with charts is shown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import { DIST as dist, browserSession } from './helpers.mjs';
import { startServer } from './server.mjs';

test('the app works under its strict CSP, with no violation', async () => {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const csp = html.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1] ?? '';
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'(;|$)/, 'script-src allows only same-origin files and wasm');
  assert.doesNotMatch(csp, /[^-]'unsafe-eval'/, 'no eval');
  assert.doesNotMatch(csp, /script-src[^;]*'unsafe-inline'/, 'no inline script');
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline <script> in the page');
  const server = await startServer({ root: dist });
  const session = await browserSession('csp');
  try {
    const page = await session.browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(() => {
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.goto(`${server.url}?run=samples/20251103-0853-a1f3/archive.md`);
    await page.locator('#run-title').filter({ hasText: '20251103-0853-a1f3' }).waitFor();
    await page.locator('#step-2 .chart-note').waitFor();
    await page.locator('#sec-lineage svg').waitFor();
    const violations = await page.evaluate(() => window.__csp);
    assert.deepEqual(violations, [], 'CSP violations');
    assert.deepEqual(errors, []);
  } finally {
    await session.close();
    await server.close();
  }
});
