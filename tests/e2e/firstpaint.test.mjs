// Issue 16: the first run paints soon after the page is requested. What the page does for it,
// checked as a user (and a server) would see it:
// - The default page's first drawn run page is the run: the empty page ("Drop an archive…")
//   is never put in the page before it, and the manifest next to the page and the run's
//   archive are each requested once (the start-up script asks for the manifest before the
//   app's module is in; the app reads the first run's archive before it is mounted).
// - A page opened with `?index=` never asks for a `runs.json` next to it.
// - A page with no manifest next to it shows its empty page (it is not held back for a run
//   that will not come).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { browserSession, distIsBuilt, DIST, waitIdle } from './helpers.mjs';
import { startServer } from './server.mjs';

if (distIsBuilt()) {
  const session = await browserSession('firstpaint');
  const server = await startServer({ root: DIST });
  const runs = JSON.parse(fs.readFileSync(path.join(DIST, 'runs.json'), 'utf8')).runs;

  test('the default page draws the run first, never the empty page, and asks for each file once', () =>
    session.withPage(test, async (page) => {
      // Everything put in the page before the run's title, in order.
      await page.addInitScript(() => {
        window.__seen = [];
        new MutationObserver(() => {
          if (window.__titleAt !== undefined) return;
          if (document.querySelector('.empty-state') && !window.__seen.includes('empty')) window.__seen.push('empty');
          if (document.querySelector('.topbar') && !window.__seen.includes('topbar')) window.__seen.push('topbar');
          if (document.querySelector('[elementtiming="run-title"]')) window.__titleAt = performance.now();
        }).observe(document, { childList: true, subtree: true });
      });
      const before = server.requests.length;
      await page.goto(server.url);
      await page.locator('[elementtiming="run-title"]').waitFor();
      await waitIdle(page);
      const seen = await page.evaluate(() => window.__seen);
      assert.ok(!seen.includes('empty'), `the empty page was drawn before the run: ${seen.join(', ')}`);
      const opened = await page.locator('[elementtiming="run-title"]').textContent();
      assert.ok(runs.some((r) => r.run_id === opened), `a bundled run is open (${opened})`);
      const asked = server.requests.slice(before).map((r) => r.path);
      const count = (p) => asked.filter((x) => x.endsWith(p)).length;
      assert.equal(count('/runs.json'), 1, `runs.json requested once: ${asked.join(' ')}`);
      for (const r of runs) {
        assert.equal(count(`/${r.archive}`), 1, `${r.archive} requested once: ${asked.join(' ')}`);
      }
    }));

  test('a page opened with ?index= does not ask for the runs.json next to it', () =>
    session.withPage(test, async (page) => {
      const before = server.requests.length;
      await page.goto(`${server.url}?index=runs.json%3Fcopy%3D1`);
      await page.locator('[elementtiming="run-title"]').waitFor();
      await waitIdle(page);
      const asked = server.requests.slice(before).map((r) => r.path);
      assert.equal(asked.filter((p) => p.endsWith('/runs.json')).length, 0, asked.join(' '));
      assert.equal(asked.filter((p) => p.includes('/runs.json?copy=1')).length, 1, asked.join(' '));
    }));

  test('a page with no manifest next to it shows its empty page', async () => {
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-firstpaint-'));
    fs.cpSync(DIST, bare, { recursive: true, filter: (src) => !['runs.json', 'samples'].includes(path.relative(DIST, src)) });
    const alone = await startServer({ root: bare });
    try {
      await session.withPage(test, async (page) => {
        await page.goto(alone.url);
        await page.locator('.empty-state').waitFor();
        assert.ok(await page.locator('.topbar').isVisible(), 'the top bar is there');
        assert.equal(await page.locator('[elementtiming="run-title"]').count(), 0, 'no run is open');
      });
    } finally {
      await alone.close();
      fs.rmSync(bare, { recursive: true, force: true });
    }
  });

  test.after(async () => {
    await server.close();
    await session.close();
  });
}
