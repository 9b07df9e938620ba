// Links reopen the same view: a chart's tag, smoothing, axis, zoom and log scale, and the
// runs table's filters and sort, are in the URL, and opening such a link restores them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DIST, browserSession, readOracle, waitIdle } from './helpers.mjs';
import { startServer } from './server.mjs';

const GOOD = '20251103-0853-a1f3';

test('view state in links', async (t) => {
  const server = await startServer({ root: DIST });
  const session = await browserSession('url');
  const { withPage } = session;
  const param = (page, k) => new URL(page.url()).searchParams.get(k);
  try {
    await t.test('a chart link restores tag, smoothing, axis, zoom and log scale', () =>
      withPage(t, async (page) => {
        const lr = readOracle(GOOD, 'cpt').byTag.get('learning-rate');
        const inRange = lr.filter((p) => p.step >= 100 && p.step <= 500).length;
        await page.goto(`${server.url}?run=samples/${GOOD}/archive.md&chart=step-2~learning-rate~0.9~step~100~500~1`);
        const note = page.locator('#step-2 p.chart-note');
        await note.filter({ hasText: `${inRange} points in view` }).waitFor();
        assert.equal(await page.locator('#step-2 select[aria-label="Tag"]').inputValue(), 'learning-rate');
        assert.equal(await page.locator('#step-2 input[aria-label="Smoothing"]').inputValue(), '0.9');
        assert.ok(await page.locator('#step-2 .chart-controls input[type=checkbox]').isChecked(), 'log y');
        // Changing a setting updates the link, without a new history entry.
        const before = await page.evaluate(() => history.length);
        await page.locator('#step-2 .canvas-wrap').focus();
        await page.keyboard.press('0');
        await page.waitForFunction(() => new URL(location.href).searchParams.get('chart')?.split('~')[4] === '');
        assert.equal(await page.evaluate(() => history.length), before);
        assert.match(param(page, 'chart'), /^step-2~learning-rate~0\.9~step~~~1$/);
      }));

    await t.test('a chart link whose archive arrives after the listed runs opens that run with its chart', () =>
      withPage(t, async (page) => {
        // The linked archive is held until another listed run's archive has been served.
        const other = page.waitForResponse((r) => r.url().endsWith('/20251112-2201-c9d4/archive.md'));
        let held = 0;
        await page.route(`**/${GOOD}/archive.md`, async (route) => {
          if (++held === 1) await other;
          await route.continue();
        });
        const chart = 'step-2~learning-rate~0.9~step~100~500~1';
        await page.goto(`${server.url}?run=samples/${GOOD}/archive.md&chart=${chart}`);
        const lr = readOracle(GOOD, 'cpt').byTag.get('learning-rate');
        const inRange = lr.filter((p) => p.step >= 100 && p.step <= 500).length;
        await page.locator('#step-2 p.chart-note').filter({ hasText: `${inRange} points in view` }).waitFor();
        await waitIdle(page);
        assert.equal((await page.locator('#run-title .mono').textContent()).trim(), GOOD);
        assert.equal(param(page, 'chart'), chart);
      }));

    await t.test('a link names a run by its id: it opens; an id no run has is said', () =>
      withPage(t, async (page) => {
        const other = '20251110-1420-b7c2';
        await page.goto(`${server.url}?run=${other}`);
        await page.locator('#run-title', { hasText: other }).waitFor();
        await waitIdle(page);
        assert.equal(await page.locator('#load-errors .load-error').count(), 0, 'no error: the id is not fetched as an address');
        await page.goto(`${server.url}?run=no-such-run`);
        const error = page.locator('#load-errors .load-error', { hasText: 'no-such-run' });
        await error.waitFor();
        assert.match(await error.textContent(), /no listed or loaded run has this run id or key/);
        // The page goes on with the first listed run.
        await page.locator('#run-title').waitFor();
      }));

    await t.test('the runs table link restores its filters and sort', () =>
      withPage(t, async (page) => {
        const runs = JSON.parse(fs.readFileSync(path.join(DIST, 'runs.json'), 'utf8')).runs;
        const failed = runs.filter((r) => r.status === 'failed').length;
        await page.goto(`${server.url}?view=index&status=failed&sort=run_id:asc`);
        await page.locator('#index-count').filter({ hasText: `${failed} of ${runs.length} runs` }).waitFor();
        assert.equal(await page.locator('select[aria-label="Status filter"]').inputValue(), 'failed');
        await page.locator('select[aria-label="Status filter"]').selectOption('');
        await page.locator('#index-count').filter({ hasText: `${runs.length} of ${runs.length} runs` }).waitFor();
        await waitIdle(page);
        assert.equal(param(page, 'status'), null);
        assert.equal(param(page, 'sort'), 'run_id:asc');
        const ids = await page.$$eval('.ix-body .ix-row', (rows) => rows.map((r) => r.getAttribute('data-run-key')));
        assert.deepEqual(ids, [...ids].sort(), 'sorted by run id, ascending');
      }));
  } finally {
    await session.close();
    await server.close();
  }
});
