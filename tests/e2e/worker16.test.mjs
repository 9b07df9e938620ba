// Issue 16: curve files are read in a Web Worker. A generated ~50 MB event file opened with
// its run folder: the page answers clicks while it loads (long tasks and click delays are
// printed as metrics), the chart appears before the whole file is in, and the final series
// holds every value of the file (CSV export compared with the generator). Esc stops a load.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from './server.mjs';
import {
  bigValueOf,
  BUNDLED_IDS,
  curveOf,
  browserSession,
  clickWhileLoading,
  DIST,
  distIsBuilt,
  download,
  grouped,
  metric,
  openDefault,
  sampleRun,
  waitIdle,
  waitListed,
  waitRun,
  watchBigLoad,
  writeBigCurveRun,
} from './helpers.mjs';

const A1F3 = sampleRun('20251103-0853-a1f3');
const TAGS = ['lm_loss', 'learning-rate', 'grad-norm', 'throughput'];

if (distIsBuilt()) {
  describe('curves read in a worker', { timeout: 10 * 60_000 }, () => {
    let session;
    let server;
    let tmp;
    let withPage;
    let big;

    before(async () => {
      server = await startServer({ root: DIST });
      session = await browserSession('worker16', { defaultTimeout: 30_000 });
      ({ tmp, withPage } = session);
      // About 50 MB: 2M scalars over 4 tags, one record per step.
      big = writeBigCurveRun(path.join(tmp, 'big'), A1F3, { scalars: 2_000_000, tags: TAGS });
    });

    after(async () => {
      await session?.close();
      await server?.close();
    });

    it('a 50 MB event file: the page answers clicks while it loads, the chart fills in, every value read', { timeout: 5 * 60_000 }, async (t) => {
      t.diagnostic(`${big.name}: ${big.bytes} bytes, ${big.scalars} scalars`);
      await withPage(t, async (page) => {
        await openDefault(page, server.url);
        const want = `${grouped(big.steps)} points in view`;
        await watchBigLoad(page, want, big.name);
        await page.locator('input#folder-input').setInputFiles(big.folder);
        const clicks = await clickWhileLoading(page, big.name);
        const r = await page.evaluate(() => window.__load);
        const longest = Math.max(0, ...r.longTasks);
        metric('worker16_50mb_longest_task', longest, 'ms');
        metric('worker16_50mb_longest_click_delay', Math.max(0, ...r.clicks), 'ms');
        metric('worker16_50mb_first_chart', r.firstChart - r.t0, 'ms');
        metric('worker16_50mb_whole_file', r.painted - r.t0, 'ms');
        t.diagnostic(`long tasks (start+duration ms after the pick): ${(r.longAt ?? []).join(' ')}`);
        assert.ok(clicks >= 1 && r.clicks.length >= 1, `no click was handled while the file loaded (${clicks} clicks made)`);
        assert.ok(r.firstChart <= r.done, 'the chart was not drawn before the whole file was in');
        const stats = await page.evaluate(() => window.runlensCurveStats ?? []);
        const read = stats.find((s) => s.name === big.name);
        assert.ok(read, `the worker reported no read of ${big.name}: ${JSON.stringify(stats)}`);
        assert.equal(read.bytes, big.bytes, 'bytes the worker read');
        metric('worker16_50mb_worker_mb_per_s', big.bytes / 1e6 / (read.busyMs / 1e3), 'MB/s');

        // Every value of the loss series, as the file holds it.
        const controls = page.locator('#step-2 .chart-controls');
        const csv = await download(page, () => controls.getByRole('button', { name: 'CSV', exact: true }).click(), 'CSV download', 60_000);
        const lines = fs.readFileSync(csv.file, 'utf8').split(/\r?\n/).filter((l) => l !== '');
        assert.equal(lines[0], 'series,step,wall_time,value');
        assert.equal(lines.length - 1, big.steps, 'CSV rows vs steps in the file');
        const bad = [];
        for (let i = 1; i < lines.length && bad.length < 5; i++) {
          const [quoted, step, wall, value] = lines[i].split(',');
          const series = quoted.replace(/^"|"$/g, '');
          const s = i;
          if (series !== TAGS[0] || Number(step) !== s || Number(wall) !== 1762161200 + (s - 1) * 10 || Math.fround(Number(value)) !== Math.fround(bigValueOf(0, s))) {
            bad.push(`row ${i + 1}: ${lines[i]} (file: ${TAGS[0]},${s},${1762161200 + (s - 1) * 10},${Math.fround(bigValueOf(0, s))})`);
          }
        }
        assert.deepEqual(bad, [], 'CSV rows that differ from the file');
      });
    });

    it('Esc stops a load: the step says so and the page goes on', { timeout: 3 * 60_000 }, async (t) => {
      const cpt = curveOf(A1F3, '2');
      await withPage(t, async (page) => {
        // The curve's response is held back until the load was stopped.
        let release;
        const held = new Promise((r) => { release = r; });
        await page.route(`**/${cpt.name}`, async (route) => {
          await held;
          await route.fulfill({ body: fs.readFileSync(cpt.file) }).catch(() => {});
        });
        await page.goto(`${server.url}?run=samples/${A1F3.runId}/archive.md`);
        // Once the runs list is in, the curve's source (and its load) no longer changes.
        await waitListed(page, BUNDLED_IDS, 'bundled runs list');
        await waitRun(page, A1F3.runId);
        await waitIdle(page);
        await page.locator('#step-2 .curve-loading', { hasText: cpt.name }).waitFor();
        await page.keyboard.press('Escape');
        const err = page.locator('#step-2 .curve .error-box');
        await err.waitFor();
        assert.match(await err.textContent(), new RegExp(`${cpt.name.replace(/\./g, '\\.')}.*reading was stopped`));
        release();
        // The page goes on: the next run opens (a fresh worker reads its curves).
        await page.locator(`nav#runs [data-run-key]:not([data-run-key*="${A1F3.runId}"])`).first().click();
        await page.waitForFunction((id) => !document.querySelector('#run-title')?.textContent.includes(id), A1F3.runId);
      });
    });

    it('Close stops a run\'s loads: the run closes, and reopened it reads its curve afresh', { timeout: 3 * 60_000 }, async (t) => {
      const cpt = curveOf(A1F3, '2');
      await withPage(t, async (page) => {
        let release;
        const held = new Promise((r) => { release = r; });
        let requests = 0;
        await page.route(`**/${cpt.name}`, async (route) => {
          requests += 1;
          await held;
          await route.fulfill({ body: fs.readFileSync(cpt.file) }).catch(() => {});
        });
        // A finished read gives its worker back to a pool; only a stopped one ends it.
        let ended = 0;
        let onEnd;
        const firstEnd = new Promise((r) => { onEnd = r; });
        page.on('worker', (w) => w.on('close', () => { ended += 1; onEnd(); }));
        await page.goto(`${server.url}?run=samples/${A1F3.runId}/archive.md`);
        await waitListed(page, BUNDLED_IDS, 'bundled runs list');
        await waitRun(page, A1F3.runId);
        await waitIdle(page);
        await page.locator('#step-2 .curve-loading', { hasText: cpt.name }).waitFor();
        const before = requests;
        assert.equal(ended, 0, 'no worker ended before the run was closed');
        await page.locator('#close-run').click();
        // Another run opens; the closed one stays listed (it is hosted), not loaded.
        await page.waitForFunction((id) => {
          const title = document.querySelector('#run-title')?.textContent || '';
          return title && !title.includes(id);
        }, A1F3.runId);
        assert.ok(await page.locator(`nav#runs [data-run-key*="${A1F3.runId}"]`).count() > 0, 'still listed');
        await firstEnd;
        release();
        // Reopened, its curve is read again from the start and drawn whole: the stopped
        // read left nothing behind (no error, no half curve).
        await page.locator(`nav#runs [data-run-key*="${A1F3.runId}"]`).first().click();
        await waitRun(page, A1F3.runId);
        await page.locator('#step-2 .step-chart:not([data-partial]) canvas').waitFor();
        assert.equal(await page.locator('#step-2 .curve .error-box').count(), 0, 'no error from the stopped read');
        assert.equal(requests, before + 1, 'reopened, the curve is read again');
      });
    });
  });
}
