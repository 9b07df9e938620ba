// Issue 16: the first screen loads less. A release build's wasm is split in two
// (scripts/split-wasm.mjs): what the first run's page needs, and the rest, requested at once
// and compiled once the first run is painted (static/init.js).
// - The first run paints while the page's request for the rest of the app is held back, and
//   the chart draws once it is in.
// - On the default page and on a run's link, what the first screen does not need waits until
//   the run is painted (the rest of the app compiled, the curve files read), and no code of
//   the rest is called before it is in (which would load it with a synchronous request).
// - When the background fetch of the rest fails, a view that needs it (the workspace of the
//   bundled runs) still opens: the first call into the missing code loads it there and then.
// A build made without the split's tools (one module) skips these tests, saying so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { browserSession, distIsBuilt, DIST, BUNDLED_IDS, metric, waitIdle } from './helpers.mjs';
import { startServer } from './server.mjs';

const LATER = 'runlens-web_later.wasm';
const split = fs.existsSync(path.join(DIST, LATER));
const skip = split ? false : `${DIST} is one module (built without scripts/split-wasm.sh's tools)`;

if (distIsBuilt()) {
  const session = await browserSession('split');
  const server = await startServer({ root: DIST });

  test('the first run paints while the rest of the app is held back; its chart draws once it is in', { skip }, () =>
    session.withPage(test, async (page) => {
      // The page's own (background) request for the rest is held until the page reports
      // (Element Timing) that it painted the run's title: were the first paint waiting for
      // the rest, it would never come. A load the app asks for at once, when it calls code of
      // the rest before the held request is in (a synchronous request), goes through; how
      // many were made before the first paint is printed.
      let painted;
      const titlePainted = new Promise((r) => { painted = r; });
      await page.exposeFunction('__runlensTitlePainted', () => painted());
      await page.addInitScript(() => {
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) {
            if (e.identifier === 'run-title' && window.__titlePaint === undefined) {
              window.__titlePaint = e.renderTime || e.loadTime;
              window.__runlensTitlePainted();
            }
          }
        }).observe({ type: 'element', buffered: true });
      });
      let asked = 0;
      await page.route(`**/${LATER}`, async (route) => {
        if (++asked === 1) await titlePainted;
        await route.continue();
      });
      await page.goto(server.url);
      await titlePainted;
      await page.locator('.step-chart canvas').first().waitFor({ timeout: 30_000 });
      await waitIdle(page);
      const early = await page.evaluate((later) => performance.getEntriesByType('resource')
        .filter((e) => e.name.endsWith(later)).slice(1)
        .filter((e) => e.startTime < window.__titlePaint).length, `/${LATER}`);
      metric('split_loads_at_once_before_first_paint', early, 'requests');
    }));

  for (const [what, query] of [['the default page', ''], ["a run's link", '?run=samples/20251110-1420-b7c2/archive.md']]) {
    test(`${what}: the curves are read and the rest of the app compiled after the run is painted, and none of it is loaded at once`, { skip }, () =>
      session.withPage(test, async (page) => {
        await page.addInitScript(() => {
          // No time limit on the wait for the paint (1 s by default): on a slow machine it
          // would end the wait before the paint and this test would say nothing.
          window.runlensFirstScreenWaitMs = 60_000;
          new PerformanceObserver((list) => {
            for (const e of list.getEntries()) {
              if (e.identifier === 'run-title' && window.__titlePaint === undefined) window.__titlePaint = e.renderTime || e.loadTime;
            }
          }).observe({ type: 'element', buffered: true });
          window.__compiledAt = [];
          const compile = WebAssembly.compile;
          WebAssembly.compile = (...args) => {
            window.__compiledAt.push(performance.now());
            return compile(...args);
          };
          window.__syncLoads = 0;
          const open = XMLHttpRequest.prototype.open;
          XMLHttpRequest.prototype.open = function (method, url, async, ...rest) {
            if (async === false) window.__syncLoads++;
            return open.call(this, method, url, async, ...rest);
          };
        });
        await page.goto(server.url + query);
        await page.locator('.step-chart canvas').first().waitFor({ timeout: 30_000 });
        await waitIdle(page);
        const r = await page.evaluate(() => ({
          painted: window.__titlePaint,
          compiled: window.__compiledAt,
          sync: window.__syncLoads,
          worker: performance.getEntriesByType('resource').filter((e) => /curve-worker\.js$/.test(e.name)).map((e) => e.startTime),
        }));
        assert.equal(typeof r.painted, 'number', 'the run title was painted');
        assert.equal(r.sync, 0, 'no code of the rest of the app was called before it was in');
        assert.equal(r.compiled.length, 1, 'the rest of the app was compiled once, in the background');
        assert.ok(r.compiled[0] >= r.painted, `the rest of the app was compiled at ${r.compiled[0].toFixed(0)} ms, before the run was painted at ${r.painted.toFixed(0)} ms`);
        assert.ok(r.worker.length >= 1, 'the curve reader started');
        assert.ok(r.worker[0] >= r.painted, `the curve reader started at ${r.worker[0].toFixed(0)} ms, before the run was painted at ${r.painted.toFixed(0)} ms`);
      }));
  }

  test('a view that needs the rest of the app opens even when its background fetch failed', { skip }, () =>
    session.withPage(test, async (page) => {
      let asked = 0;
      await page.route(`**/${LATER}`, (route) => (++asked === 1 ? route.abort() : route.continue()));
      const warned = page.waitForEvent('console', (m) => /later part of the app did not load in the background/.test(m.text()));
      await page.goto(`${server.url}?workspace=${BUNDLED_IDS.join(',')}`);
      await warned;
      await page.locator('[data-tag]').first().waitFor({ timeout: 30_000 });
      await waitIdle(page);
      assert.equal(asked, 2, 'the failed background fetch, then the load when the code was first needed');
      assert.ok(await page.locator('[data-tag]').count() >= 1, 'the workspace shows its panels');
    }));

  test.after(async () => {
    await server.close();
    await session.close();
  });
}
