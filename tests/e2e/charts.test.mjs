// Browser end-to-end tests for the loss charts of train steps.
//
// Run from the project root after `trunk build --release`:
//   node --test tests/e2e/charts.test.mjs
//   RUNLENS_E2E_DIST=/tmp/e2e-dist node --test tests/e2e/charts.test.mjs   # another build
//
// Same conventions as app.test.mjs: headless /usr/bin/chromium through playwright-core, dist/
// served by ./server.mjs, a fresh browser context per test, a test fails on any uncaught page
// error, no fixed sleeps (every wait is on something the page shows). Expected values come from
// the fixture files: the oracle of every bundled event file (tests/fixtures/oracle/*.jsonl), the
// sample archives and their curve files (static/samples/). Performance numbers are printed as
// `e2e-metric <name> <value> <unit>`.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from './server.mjs';
import {
  browserSession,
  bytesFile,
  byteRe,
  csvDataRows,
  curveOf,
  distIsBuilt,
  download,
  dropFiles,
  grouped,
  metric,
  nextFrame,
  openDefault,
  openRun,
  readOracle,
  sampleRun,
  tfrecordTail,
  waitIdle,
  waitInView,
  watchFrames,
  writeScalarEventFile,
  DIST,
} from './helpers.mjs';

const LOAD_TIMEOUT = 30_000; // app start or one archive/curve load
const SETTLED_TIMEOUT = 10_000; // content expected right after an action
const TEST_TIMEOUT = 60_000;

// ---------------------------------------------------------------------------------------------
// Fixtures


const A1F3 = sampleRun('20251103-0853-a1f3'); // success; TensorBoard curves for CPT and SFT
const B7C2 = sampleRun('20251110-1420-b7c2'); // success; SFT curve is a CSV export
const C9D4 = sampleRun('20251112-2201-c9d4'); // failed; CPT event file cut off mid-record

const LOSS = 'lm_loss'; // the tag the chart shows first (the loss)
const OTHER_TAG = 'learning-rate';

// ---------------------------------------------------------------------------------------------
// Page steps of these tests (the shared ones are in helpers.mjs).

/**
 * Wait until the chart of a step is shown (its note is there); fail early, with the message,
 * when the step shows a curve error instead.
 */
async function waitChart(page, stepSel, { timeout = SETTLED_TIMEOUT, what = '' } = {}) {
  const note = `${stepSel} .step-chart .loss-chart .chart-note`;
  const error = `${stepSel} .curve .error-box`;
  const stepText = () =>
    page
      .evaluate((sel) => {
        const el = document.querySelector(`${sel} .curve`) ?? document.querySelector(sel);
        return el ? el.textContent.replace(/\s+/g, ' ').trim().slice(0, 600) : null;
      }, stepSel)
      .catch(() => null);
  try {
    await page.locator(`${note}, ${error}`).first().waitFor({ state: 'visible', timeout });
  } catch {
    assert.fail(`${what ? `${what}: ` : ''}no loss chart in ${stepSel} after ${timeout} ms; its curve area reads: ${JSON.stringify(await stepText())}`);
  }
  if (await page.locator(error).count()) {
    assert.fail(`${what ? `${what}: ` : ''}${stepSel} shows a curve error instead of its chart: ${JSON.stringify(await stepText())}`);
  }
}

/** Bring the step's canvas into view and return its box (viewport coordinates). */
async function canvasBox(page, stepSel) {
  const canvas = page.locator(`${stepSel} .canvas-wrap canvas`);
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  assert.ok(box && box.width > 100 && box.height > 100, `${stepSel} canvas has no usable size: ${JSON.stringify(box)}`);
  return box;
}


// ---------------------------------------------------------------------------------------------

if (distIsBuilt()) {
  describe('loss charts', { timeout: 10 * 60_000 }, () => {
    let session;
    let server;
    let tmp;
    let withPage;

    before(async () => {
      server = await startServer({ root: DIST });
      session = await browserSession('charts', { defaultTimeout: LOAD_TIMEOUT });
      ({ tmp, withPage } = session);
    });

    after(async () => {
      await session?.close();
      await server?.close();
    });

    // 1. -----------------------------------------------------------------------------------------
    it('CPT chart: in-view count and tags match the oracle; choosing a tag switches the series', { timeout: TEST_TIMEOUT }, async (t) => {
      const oracle = readOracle(A1F3.runId, 'cpt');
      const full = oracle.byTag.get(LOSS).length;
      await withPage(t, async (page) => {
        await openRun(page, server.url, A1F3.runId);
        await waitChart(page, '#step-2');
        await waitInView(page, '#step-2', 'eq', full, { what: `${LOSS} of ${A1F3.runId} CPT` });

        const tagSelect = page.locator('#step-2 select[aria-label="Tag"]');
        const offered = await tagSelect.locator('option').evaluateAll((os) => os.map((o) => o.value));
        assert.deepEqual([...offered].sort(), [...oracle.tags].sort(), `tags offered vs ${path.basename(oracle.file)}`);
        assert.equal(await tagSelect.inputValue(), LOSS, 'the chart does not start on the loss');
        const legend = page.locator('#step-2 .legend-item');
        assert.deepEqual(await legend.allTextContents(), [LOSS]);
        assert.equal(await legend.getAttribute('aria-pressed'), 'true');
        const controls = page.locator('#step-2 .loss-chart .chart-controls');
        assert.equal(await controls.locator('input[aria-label="Smoothing"]').inputValue(), '0.6');
        assert.equal(await controls.getByLabel('log y').isChecked(), false);
        assert.equal(await controls.locator('select[aria-label="X axis"]').inputValue(), 'step');

        await tagSelect.selectOption(OTHER_TAG);
        await page.locator('#step-2 .legend-item', { hasText: OTHER_TAG }).waitFor({ timeout: SETTLED_TIMEOUT });
        assert.deepEqual(await legend.allTextContents(), [OTHER_TAG], 'legend after choosing another tag');
        assert.equal(await page.locator('#step-2 canvas').getAttribute('aria-label'), `Chart of ${OTHER_TAG}`);
        await waitInView(page, '#step-2', 'eq', oracle.byTag.get(OTHER_TAG).length, { what: `after choosing ${OTHER_TAG}` });
      });
    });

    // 2. -----------------------------------------------------------------------------------------
    it('drag-zoom, double-click, + and 0 change the in-view count', { timeout: TEST_TIMEOUT }, async (t) => {
      const full = readOracle(A1F3.runId, 'cpt').byTag.get(LOSS).length;
      await withPage(t, async (page) => {
        await openRun(page, server.url, A1F3.runId);
        await waitChart(page, '#step-2');
        await waitInView(page, '#step-2', 'eq', full);
        const reset = page.locator('#step-2 .chart-controls button', { hasText: 'Reset zoom' });
        assert.equal(await reset.isEnabled(), false, '"Reset zoom" is enabled before any zoom');

        // Drag over the middle third of the canvas.
        const box = await canvasBox(page, '#step-2');
        const y = box.y + box.height / 2;
        await page.mouse.move(box.x + box.width / 3, y);
        await page.mouse.down();
        await page.mouse.move(box.x + box.width / 2, y, { steps: 4 });
        await page.mouse.move(box.x + (2 * box.width) / 3, y, { steps: 4 });
        await page.mouse.up();
        const zoomed = await waitInView(page, '#step-2', 'lt', full, { what: 'after drag-zooming the middle third' });
        assert.ok(zoomed > 0, `no point in view after zooming to the middle third (${zoomed})`);
        assert.ok(
          zoomed > full * 0.15 && zoomed < full * 0.55,
          `zooming to the middle third of the canvas left ${zoomed} of ${full} points in view (expected about a third)`,
        );
        await page.waitForFunction(
          () => [...document.querySelectorAll('#step-2 .chart-controls button')].find((b) => b.textContent.includes('Reset zoom'))?.disabled === false,
          null,
          { timeout: SETTLED_TIMEOUT },
        ).catch(() => assert.fail('"Reset zoom" is still disabled after a drag-zoom'));
        assert.match(await page.locator('#step-2 .chart-note').textContent(), / · x [\d.,-]+ – [\d.,-]+/, 'note lacks the x range');

        // Double-click resets.
        await page.mouse.dblclick(box.x + box.width / 2, y);
        await waitInView(page, '#step-2', 'eq', full, { what: 'after a double-click' });
        assert.equal(await reset.isEnabled(), false, '"Reset zoom" stays enabled after a double-click reset');

        // Keyboard: + zooms in, 0 resets.
        await page.mouse.move(box.x + box.width / 2, box.y - 40); // hover off the canvas
        await page.locator('#step-2 .canvas-wrap').focus();
        await page.keyboard.press('+');
        const keyZoomed = await waitInView(page, '#step-2', 'lt', full, { what: 'after pressing + on the chart' });
        assert.ok(keyZoomed > 0, `no point in view after pressing + (${keyZoomed})`);
        await page.keyboard.press('0');
        await waitInView(page, '#step-2', 'eq', full, { what: 'after pressing 0 on the chart' });
      });
    });

    // 3. -----------------------------------------------------------------------------------------
    it('hovering shows a tooltip and crosshair with the step and its value from the oracle', { timeout: TEST_TIMEOUT }, async (t) => {
      const points = readOracle(A1F3.runId, 'cpt').byTag.get(LOSS);
      const byStep = new Map(points.map((p) => [p.step, p]));
      await withPage(t, async (page) => {
        await openRun(page, server.url, A1F3.runId);
        await waitChart(page, '#step-2');
        await waitInView(page, '#step-2', 'eq', points.length);
        const box = await canvasBox(page, '#step-2');
        const seen = new Set();
        for (const f of [0.3, 0.5, 0.8]) {
          await page.mouse.move(box.x + box.width * f, box.y + box.height / 2, { steps: 2 });
          const tooltip = page.locator('#step-2 .canvas-wrap .tooltip[role="status"]');
          await tooltip.waitFor({ state: 'visible', timeout: SETTLED_TIMEOUT });
          await page.locator('#step-2 .canvas-wrap .crosshair').waitFor({ state: 'visible', timeout: SETTLED_TIMEOUT });
          // The tooltip follows the mouse: each place shows a step not shown before.
          await page
            .waitForFunction(
              (old) => {
                const m = document.querySelector('#step-2 .tooltip')?.textContent.match(/step (\d+)/);
                return m && !old.includes(Number(m[1]));
              },
              [...seen],
              { timeout: SETTLED_TIMEOUT },
            )
            .catch(async () =>
              assert.fail(
                `hovering at ${Math.round(f * 100)}% of the canvas width shows no new step (steps shown so far: ${[...seen]}); ` +
                  `tooltip: ${JSON.stringify(await tooltip.textContent().catch(() => null))}`,
              ),
            );
          const row = await tooltip.locator('.tt-row').first().evaluate((r) => ({
            label: r.querySelector('.tt-label')?.textContent ?? '',
            nums: [...r.querySelectorAll('.num')].map((e) => e.textContent.trim()),
            text: r.textContent,
          }));
          assert.equal(row.label, LOSS, `tooltip row label: ${row.text}`);
          const stepText = row.nums.find((n) => /^step \d+$/.test(n));
          assert.ok(stepText, `tooltip has no "step N": ${JSON.stringify(row.nums)}`);
          const step = Number(stepText.slice(5));
          const want = byStep.get(step);
          assert.ok(want, `tooltip step ${step} is not a ${LOSS} step of the oracle`);
          const shown = row.nums[row.nums.indexOf(stepText) + 1];
          assert.ok(shown && !Number.isNaN(parseFloat(shown)), `tooltip shows no value after ${stepText}: ${JSON.stringify(row.nums)}`);
          assert.equal(
            Math.fround(parseFloat(shown)),
            Math.fround(want.value),
            `tooltip at step ${step} shows ${shown}; the oracle has ${want.value} (f32 ${Math.fround(want.value)})`,
          );
          seen.add(step);
        }
      });
    });

    // 4. -----------------------------------------------------------------------------------------
    it('CSV export holds every point of the shown series; PNG export is a PNG', { timeout: TEST_TIMEOUT }, async (t) => {
      const points = readOracle(A1F3.runId, 'cpt').byTag.get(LOSS);
      await withPage(t, async (page) => {
        await openRun(page, server.url, A1F3.runId);
        await waitChart(page, '#step-2');
        await waitInView(page, '#step-2', 'eq', points.length);
        const controls = page.locator('#step-2 .chart-controls');

        const csvDl = await download(page, () => controls.getByRole('button', { name: 'CSV', exact: true }).click(), 'CSV download', SETTLED_TIMEOUT);
        assert.match(csvDl.name, /\.csv$/);
        const csvPath = csvDl.file;
        const lines = fs.readFileSync(csvPath, 'utf8').split(/\r?\n/).filter((l) => l !== '');
        assert.equal(lines[0], 'series,step,wall_time,value', 'CSV header');
        const rows = lines.slice(1).map((l) => {
          const m = l.match(/^("(?:[^"]|"")*"|[^,]*),([^,]*),([^,]*),([^,]*)$/);
          assert.ok(m, `CSV row not of 4 fields: ${l}`);
          return { series: m[1].replace(/^"|"$/g, '').replace(/""/g, '"'), step: Number(m[2]), wall: Number(m[3]), value: Number(m[4]) };
        });
        assert.equal(rows.length, points.length, `CSV rows vs ${LOSS} points in the oracle`);
        const bad = [];
        rows.forEach((r, i) => {
          const p = points[i];
          if (
            r.series !== LOSS ||
            r.step !== p.step ||
            Math.abs(r.wall - p.wall_time) > 1e-3 ||
            Math.fround(r.value) !== Math.fround(p.value)
          ) {
            bad.push(`row ${i + 2}: ${lines[i + 1]} (oracle: ${p.tag},${p.step},${p.wall_time},${p.value})`);
          }
        });
        assert.deepEqual(bad.slice(0, 5), [], `${bad.length} CSV rows differ from the oracle (first 5)`);

        const pngDl = await download(page, () => controls.getByRole('button', { name: 'PNG', exact: true }).click(), 'PNG download', SETTLED_TIMEOUT);
        assert.match(pngDl.name, /\.png$/);
        const pngPath = pngDl.file;
        const png = fs.readFileSync(pngPath);
        assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
        assert.ok(png.length > 1000, `PNG is only ${png.length} bytes`);
      });
    });

    // 5. -----------------------------------------------------------------------------------------
    it('SFT chart from a CSV export shows one series with every row', { timeout: TEST_TIMEOUT }, async (t) => {
      const curve = curveOf(B7C2, '5');
      assert.match(curve.name, /\.csv$/, `${B7C2.runId} step 5 loss_curve should be a CSV`);
      const series = curve.name.replace(/\.csv$/, '');
      const rowCount = csvDataRows(fs.readFileSync(curve.file, 'utf8')).length;
      await withPage(t, async (page) => {
        const expectCsvChart = async (how) => {
          await waitChart(page, '#step-5', { what: `${B7C2.runId} opened ${how}` });
          await waitInView(page, '#step-5', 'eq', rowCount, { what: `${curve.name} (${rowCount} rows), run opened ${how}` });
          const offered = await page.locator('#step-5 select[aria-label="Tag"] option').evaluateAll((os) => os.map((o) => o.value));
          assert.deepEqual(offered, [series], `tags of the CSV curve, run opened ${how}`);
          assert.deepEqual(await page.locator('#step-5 .legend-item').allTextContents(), [series], `legend of the CSV curve, run opened ${how}`);
        };
        // From the runs list (the run comes with the files runs.json lists for it) ...
        await openDefault(page, server.url);
        if (!(await page.locator('#run-title').textContent()).includes(B7C2.runId)) {
          await page.locator('nav#runs [data-run-key]', { hasText: B7C2.runId }).first().click();
          await page.locator('#run-title', { hasText: B7C2.runId }).waitFor({ timeout: LOAD_TIMEOUT });
          await waitIdle(page);
        }
        await expectCsvChart('from the runs list');
        // ... and by its address, ?run=samples/<id>/archive.md (the same bundled run).
        await openRun(page, server.url, B7C2.runId);
        await expectCsvChart('with ?run=');
      });
    });

    // 6. -----------------------------------------------------------------------------------------
    it('failed run: cut-off event file is reported with its byte offset and every whole record is charted', { timeout: TEST_TIMEOUT }, async (t) => {
      const oracle = readOracle(C9D4.runId, 'cpt');
      const curve = curveOf(C9D4, '2');
      const bytes = fs.readFileSync(curve.file);
      const { wholeEnd } = tfrecordTail(bytes);
      assert.ok(wholeEnd < bytes.length, `${curve.file} is not cut off: the test's fixture changed`);
      await withPage(t, async (page) => {
        await openRun(page, server.url, C9D4.runId);
        await waitChart(page, '#step-2');
        await waitInView(page, '#step-2', 'eq', oracle.byTag.get(LOSS).length, { what: `${LOSS} of the cut-off file` });
        const problem = page.locator('#step-2 .problems li', { hasText: 'ends in the middle of a record' });
        await problem.waitFor({ timeout: SETTLED_TIMEOUT }).catch(async () => {
          const items = await page.locator('#step-2 .problems li').allTextContents();
          assert.fail(`no problem "ends in the middle of a record" in #step-2; problems listed: ${JSON.stringify(items)}`);
        });
        const text = (await problem.textContent()).replace(/\s+/g, ' ');
        assert.match(
          text,
          byteRe(wholeEnd),
          `the problem should name byte ${wholeEnd} (where the cut-off record starts); it reads "${text}"`,
        );
        // Every tag still has its whole records (the cut-off one included no further point).
        await page.locator('#step-2 select[aria-label="Tag"]').selectOption(OTHER_TAG);
        await waitInView(page, '#step-2', 'eq', oracle.byTag.get(OTHER_TAG).length, { what: `${OTHER_TAG} of the cut-off file` });
      });
    });

    // 7. -----------------------------------------------------------------------------------------
    it('an archive dropped alone asks for its curve files; dropping the event file charts it', { timeout: TEST_TIMEOUT }, async (t) => {
      const cpt = curveOf(A1F3, '2');
      const sft = curveOf(A1F3, '5');
      const full = readOracle(A1F3.runId, 'cpt').byTag.get(LOSS).length;
      await withPage(t, async (page) => {
        await openDefault(page, server.url);
        await dropFiles(page, [bytesFile('archive.md', fs.readFileSync(A1F3.archive), 'text/markdown')]);
        await page.locator('#run-title', { hasText: A1F3.runId }).waitFor({ timeout: LOAD_TIMEOUT });
        await waitIdle(page);

        for (const [stepSel, c] of [['#step-2', cpt], ['#step-5', sft]]) {
          const target = page.locator(`${stepSel} .curve-drop[role="region"]`);
          await target.waitFor({ timeout: SETTLED_TIMEOUT }).catch(async () => {
            const txt = await page.locator(stepSel).textContent().catch(() => 'missing');
            assert.fail(`${stepSel} shows no .curve-drop for the missing ${c.name}; it reads ${txt.replace(/\s+/g, ' ').slice(0, 500)}`);
          });
          assert.equal(await target.getAttribute('aria-label'), `Drop ${c.name} here`);
          assert.ok((await target.textContent()).includes(c.name), `${stepSel} .curve-drop does not name ${c.name}`);
          assert.equal(await page.locator(`${stepSel} .loss-chart`).count(), 0, `${stepSel} shows a chart without its curve file`);
        }

        await dropFiles(page, [bytesFile(cpt.name, fs.readFileSync(cpt.file))], '#step-2 .curve-drop');
        await waitChart(page, '#step-2', { what: `after dropping ${cpt.name} on #step-2 .curve-drop` });
        await waitInView(page, '#step-2', 'eq', full, { what: `after dropping ${cpt.name}` });
        assert.equal(await page.locator('#step-2 .curve-drop').count(), 0, '#step-2 still asks for its curve');
        // The other step still waits for its own file.
        assert.equal(await page.locator('#step-5 .curve-drop').count(), 1, '#step-5 lost its drop target');
      });
    });

    // 8. -----------------------------------------------------------------------------------------
    it('responsiveness probe: a 1,000,000-scalar event file opened with its run folder', { timeout: TEST_TIMEOUT }, async (t) => {
      const TAGS = [LOSS, OTHER_TAG, 'grad-norm', 'throughput'];
      const STEPS = 250_000;
      const cpt = curveOf(A1F3, '2');
      const folder = path.join(tmp, 'big', A1F3.runId);
      fs.mkdirSync(folder, { recursive: true });
      fs.copyFileSync(A1F3.archive, path.join(folder, 'archive.md'));
      const relCurve = path.relative(A1F3.dir, cpt.file); // tensorboard/cpt/events.out.tfevents...
      const t0 = Date.now();
      const { bytes, scalars } = writeScalarEventFile(path.join(folder, relCurve), {
        steps: STEPS,
        tags: TAGS,
        wallStart: 1762161200,
        wallStep: 10,
        valueOf: (i, s) => {
          const noise = Math.sin(s * 12.9898 + i * 78.233) * 0.01;
          if (i === 0) return 1.5 + 2.3 * Math.exp(-s / 40_000) + noise;
          if (i === 1) return 2e-5 * Math.min(1, s / 2_000) * (0.5 + 0.5 * Math.cos((Math.PI * s) / STEPS));
          if (i === 2) return 0.9 + 0.2 * Math.abs(noise) * 50;
          return 88_000 + 500 * noise * 100;
        },
      });
      assert.equal(scalars, TAGS.length * STEPS);
      t.diagnostic(`wrote ${path.relative(tmp, path.join(folder, relCurve))}: ${bytes} bytes in ${Date.now() - t0} ms`);

      await withPage(t, async (page) => {
        await openDefault(page, server.url);
        assert.ok(!(await page.locator('#run-title').textContent()).includes(A1F3.runId), 'the default run should not be the probed one');
        const want = `${grouped(STEPS)} points in view`;
        await watchFrames(page, '__e2eBigCurve');
        await page.evaluate(({ want, name }) => {
          const s = Object.assign(window.__e2eBigCurve, { progressSeen: false, progressValues: new Set() });
          document.addEventListener(
            'change',
            (e) => { if (e.target?.id === 'folder-input' && s.t0 === undefined) s.t0 = performance.now(); },
            true,
          );
          const obs = new MutationObserver(() => {
            // The progress bar of this file (not of a curve of the run shown before).
            for (const bar of document.querySelectorAll('.curve-loading progress')) {
              if (bar.closest('.curve-loading').textContent.includes(name)) {
                s.progressSeen = true;
                s.progressValues.add(`${bar.value}/${bar.max}`);
              }
            }
            const note = document.querySelector('#step-2 .chart-note');
            if (note && note.textContent.trim().startsWith(want) && s.done === undefined) {
              s.done = performance.now();
              obs.disconnect();
              requestAnimationFrame(() => { s.painted = performance.now(); });
            }
          });
          obs.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
        }, { want, name: cpt.name });

        await page.locator('input#folder-input').setInputFiles(folder);
        try {
          await page.waitForFunction(() => window.__e2eBigCurve.painted !== undefined, null, { timeout: 45_000 });
        } catch {
          const state = await page.evaluate(() => ({
            title: document.querySelector('#run-title')?.textContent,
            step2: document.querySelector('#step-2')?.textContent.replace(/\s+/g, ' ').slice(0, 400),
          }));
          assert.fail(`step 2 never showed "${want}" after opening ${folder}: ${JSON.stringify(state)}`);
        }
        const r = await page.evaluate(() => ({ ...window.__e2eBigCurve, progressValues: [...window.__e2eBigCurve.progressValues] }));
        assert.ok(r.t0 !== undefined, 'the folder input fired no change event');
        metric('big_curve_load_ms', r.painted - r.t0, 'ms');
        metric('big_curve_max_frame_gap', r.maxGap, 'ms');
        metric('big_curve_points', scalars, 'points');
        t.diagnostic(`${r.frames} frames during the load; progress values seen: ${r.progressValues.join(' ')}`);
        await nextFrame(page);
        await page.locator('#run-title', { hasText: A1F3.runId }).waitFor({ timeout: SETTLED_TIMEOUT });
        assert.ok(await page.locator('#step-2 .loss-chart canvas').isVisible(), 'the big chart is not visible');
        assert.ok(r.progressSeen, 'no .curve-loading progress bar was seen while the big curve loaded');
      });
    });
  });
}
