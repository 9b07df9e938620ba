// Issue 16: the first screen loads less. A release build's wasm is split in two
// (scripts/split-wasm.mjs): what the first run's page needs, and the rest, fetched once the
// first part is compiled (static/init.js).
// - The first run paints while the page's request for the rest of the app is held back, and
//   the chart draws once it is in.
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
