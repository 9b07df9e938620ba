// Issue 13, the chart items, as a user sees them in headless Chromium:
//   2  log y labels its axis (ticks at round values, in range, the same in every chart)
//   6  the smoothed line starts afresh after a restart
//   7  the time axes are disabled, with the reason on hover, for a curve without wall times
//   8  axis titles; the last x label inside the canvas; tooltip raw and smoothed to the same
//      significant digits; after a zoom the note says what is in view, never "N drawn" > in view
//
// Run from the project root after `trunk build --release`:
//   node --test tests/e2e/charts13.test.mjs
//
// What the canvas shows is read by recording the canvas's `fillText` calls (text, position,
// alignment, width) from an init script: the labels a user reads, where they are drawn.
// Expected values come from the fixtures: the oracle of the bundled event files
// (tests/fixtures/oracle/), the rules fixture run (tests/fixtures/runs/20251120-0900-l0g5) and
// the Megatron log with a restart (tests/fixtures/curves/train.log and its .expected.json).
// No sleeps: every wait is on something the page shows.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DIST, ROOT, launchBrowser, pageRunner, readOracle, waitIdle, nextFrame } from './helpers.mjs';
import { startServer } from './server.mjs';

const GOOD = '20251103-0853-a1f3';
const LOSS = 'lm_loss';
const RULES = path.join(ROOT, 'tests', 'fixtures', 'runs', '20251120-0900-l0g5');
const RESTART_LOG = path.join(ROOT, 'tests', 'fixtures', 'curves', 'train.log');
const RESTART_EXPECTED = JSON.parse(fs.readFileSync(`${RESTART_LOG}.expected.json`, 'utf8'));

/** Records every `fillText` of every canvas as {canvas id, text, device x/y, align, width}. */
function recordCanvasText() {
  const seen = (window.__texts = []);
  const fill = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text, x, y, ...rest) {
    const m = this.getTransform();
    const step = this.canvas.closest('[id^="step-"]')?.id ?? '';
    seen.push({
      step,
      text: String(text),
      x: m.a * x + m.c * y + m.e,
      y: m.b * x + m.d * y + m.f,
      rotated: Math.abs(m.b) > 1e-6,
      align: this.textAlign,
      width: this.measureText(String(text)).width,
      canvasWidth: this.canvas.width,
      frame: window.__frame ?? 0,
    });
    return fill.call(this, text, x, y, ...rest);
  };
  // A draw starts by filling the whole canvas: count draws, so a test reads the last one.
  const fillRect = CanvasRenderingContext2D.prototype.fillRect;
  CanvasRenderingContext2D.prototype.fillRect = function (x, y, w, h) {
    if (x === 0 && y === 0 && w >= this.canvas.width - 1 && h >= this.canvas.height - 1) window.__frame = (window.__frame ?? 0) + 1;
    return fillRect.call(this, x, y, w, h);
  };
}

/** The texts of the last draw of the chart in `stepId`. */
async function lastDrawTexts(page, stepId) {
  return page.evaluate((stepId) => {
    const mine = window.__texts.filter((t) => t.step === stepId);
    const last = Math.max(...mine.map((t) => t.frame));
    return mine.filter((t) => t.frame === last);
  }, stepId);
}

/** Significant digits of a number as written (`2.310` has 4, `0.0012` has 2, `1.500e-7` has 4). */
function sigDigits(text) {
  const mantissa = text.trim().replace(/^[-+]/, '').split(/e/i)[0];
  return mantissa.replace('.', '').replace(/^0+/, '').length;
}

test('chart fixes of issue 13', { timeout: 10 * 60_000 }, async (t) => {
  assert.ok(fs.existsSync(path.join(DIST, 'index.html')), 'build the app first: trunk build --release');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-charts13-'));
  const server = await startServer({ root: DIST });
  const browser = await launchBrowser(tmp);
  const withPage = pageRunner(browser, { prefix: 'failed-charts13-' });
  const cpt = readOracle(GOOD, 'cpt').byTag.get(LOSS);

  /** Opens the good sample run and waits for its CPT chart (step 2) with every point. */
  async function openGood(page) {
    await page.addInitScript(recordCanvasText);
    await page.goto(`${server.url}?run=samples/${GOOD}/archive.md`);
    await page.locator('#step-2 .chart-note').filter({ hasText: `${cpt.length.toLocaleString('en-US')} points in view` }).waitFor();
    await waitIdle(page);
  }

  /** A copy of the rules fixture run whose CPT log is the Megatron log with a restart. */
  function restartFolder() {
    const dir = path.join(tmp, 'runs', path.basename(RULES));
    fs.cpSync(RULES, dir, { recursive: true });
    fs.copyFileSync(RESTART_LOG, path.join(dir, 'logs', 'cpt_train.log'));
    return dir;
  }

  try {
    await t.test('log y labels its axis with round values inside the data range, and both axes have titles', () =>
      withPage(t, async (page) => {
        await openGood(page);
        const wrap = page.locator('#step-2 .canvas-wrap');
        await wrap.scrollIntoViewIfNeeded();
        await wrap.focus();
        const before = await page.evaluate(() => window.__frame);
        await page.keyboard.press('l');
        await page.waitForFunction((b) => window.__frame > b, before);
        assert.ok(await page.locator('#step-2 .chart-controls').getByLabel('log y').isChecked());
        const texts = await lastDrawTexts(page, 'step-2');
        // Titles: the x quantity under the plot, the tag turned along the y axis.
        assert.ok(texts.some((x) => x.text === 'step' && !x.rotated), `no x title: ${JSON.stringify(texts.map((x) => x.text))}`);
        assert.ok(texts.some((x) => x.text === LOSS && x.rotated), `no y title ${LOSS}`);
        // y tick labels: right-aligned left of the plot.
        const yLabels = texts.filter((x) => !x.rotated && (x.align === 'right' || x.align === 'end'));
        const values = yLabels.map((x) => Number(x.text));
        assert.ok(values.length >= 2, `log y shows ${values.length} labels: ${JSON.stringify(yLabels.map((x) => x.text))}`);
        const lo = Math.min(...cpt.map((p) => p.value));
        const hi = Math.max(...cpt.map((p) => p.value));
        for (const [i, v] of values.entries()) {
          assert.ok(Number.isFinite(v), `label ${yLabels[i].text} is not a number`);
          assert.ok(v >= lo / 1.2 && v <= hi * 1.2, `label ${v} outside the loss range ${lo}..${hi}`);
          const k = Math.floor(Math.log10(v) + 1e-9);
          const m = v / 10 ** k;
          assert.ok(Math.abs(m - Math.round(m)) < 1e-9, `label ${yLabels[i].text} is not a round value (m x 10^k)`);
        }
        // Higher values are drawn higher.
        const byValue = yLabels.map((x, i) => [values[i], x.y]).sort((a, b) => a[0] - b[0]);
        for (let i = 1; i < byValue.length; i++) assert.ok(byValue[i][1] < byValue[i - 1][1], `labels out of order: ${JSON.stringify(byValue)}`);
      }));

    await t.test('the last x label is drawn wholly inside the canvas', () =>
      withPage(t, async (page) => {
        await openGood(page);
        const texts = await lastDrawTexts(page, 'step-2');
        const xLabels = texts.filter((x) => !x.rotated && x.align === 'center' && x.text !== 'step');
        assert.ok(xLabels.length >= 3, `x labels: ${JSON.stringify(xLabels.map((x) => x.text))}`);
        const last = xLabels.reduce((a, b) => (b.x > a.x ? b : a));
        const right = last.x + last.width / 2;
        assert.ok(right <= last.canvasWidth, `the last x label "${last.text}" ends at ${right}, past the canvas (${last.canvasWidth})`);
      }));

    await t.test('tooltip: raw and smoothed values to the same significant digits, the exact value on hover', () =>
      withPage(t, async (page) => {
        await openGood(page);
        const byStep = new Map(cpt.map((p) => [p.step, p]));
        const canvas = page.locator('#step-2 canvas');
        await canvas.scrollIntoViewIfNeeded();
        const box = await canvas.boundingBox();
        for (const f of [0.25, 0.6]) {
          await page.mouse.move(box.x + box.width * f, box.y + box.height / 2);
          const row = page.locator('#step-2 .tooltip .tt-row').first();
          await row.waitFor();
          const nums = await row.locator('.num').evaluateAll((ns) => ns.map((n) => ({ text: n.textContent.trim(), title: n.title })));
          const step = Number(nums[0].text.replace('step ', ''));
          const raw = nums[1];
          const smoothed = nums[2];
          assert.ok(smoothed?.text.startsWith('smoothed '), `no smoothed value: ${JSON.stringify(nums)}`);
          const sm = smoothed.text.replace('smoothed ', '');
          assert.equal(sigDigits(raw.text), sigDigits(sm), `raw ${raw.text} and smoothed ${sm} differ in digits`);
          assert.equal(Math.fround(Number(raw.title)), Math.fround(byStep.get(step).value), `exact value on hover at step ${step}`);
          assert.equal(Math.fround(Number(raw.text)), Math.fround(byStep.get(step).value), `shown value at step ${step} reads back`);
        }
      }));

    await t.test('after a zoom the note says how many of all points are in view, none "drawn" beyond them', () =>
      withPage(t, async (page) => {
        await openGood(page);
        await page.locator('#step-2 .canvas-wrap').focus();
        await page.keyboard.press('+');
        const note = page.locator('#step-2 .chart-note');
        await note.filter({ hasText: ' · x ' }).waitFor();
        const text = await note.textContent();
        const m = text.match(/^([\d,]+) points in view of ([\d,]+)(?:, all drawn|, ([\d,]+) drawn \([^)]*\))? · x ([\d.]+) – ([\d.]+) · step$/);
        assert.ok(m, `note after a zoom: ${text}`);
        const n = (s) => Number(s.replace(/,/g, ''));
        const [a, b] = [Number(m[4]), Number(m[5])];
        assert.equal(n(m[2]), cpt.length, 'of all the points');
        assert.equal(n(m[1]), cpt.filter((p) => p.step >= a && p.step <= b).length, `points of the oracle in ${a}..${b}`);
        if (m[3] !== undefined) assert.ok(n(m[3]) < n(m[1]), `${m[3]} drawn of ${m[1]} in view`);
      }));

    await t.test('after a restart the smoothed line starts from the first value of the new segment', () =>
      withPage(t, async (page) => {
        const loss = RESTART_EXPECTED.series.find((s) => s.tag === RESTART_EXPECTED.loss_tag);
        const [restartStep] = loss.restarts;
        const restartPoint = loss.points.find((p) => p[0] === restartStep);
        assert.ok(restartPoint, 'the fixture marks its restart');
        await page.addInitScript(recordCanvasText);
        await page.goto(server.url);
        await waitIdle(page);
        await page.locator('input#folder-input').setInputFiles(restartFolder());
        await page.locator('#run-title', { hasText: path.basename(RULES) }).waitFor();
        const note = page.locator('#step-2 .chart-note');
        await note.filter({ hasText: `${loss.points.length} points in view` }).waitFor();
        const canvas = page.locator('#step-2 canvas');
        await canvas.scrollIntoViewIfNeeded();
        const box = await canvas.boundingBox();
        // Walk the mouse right until the tooltip shows the restart's step.
        let row = null;
        for (let px = Math.round(box.width / 2); px < box.width && !row; px += 6) {
          await page.mouse.move(box.x + px, box.y + box.height / 2);
          await page.waitForFunction((px) => {
            const c = document.querySelector('#step-2 .crosshair');
            return c && Math.abs(parseFloat(c.style.left) - px) < 1.5;
          }, px);
          const nums = await page.locator('#step-2 .tooltip .tt-row .num').allTextContents();
          if (nums[0] === `step ${restartStep}`) row = nums;
        }
        assert.ok(row, `no tooltip ever showed step ${restartStep}`);
        assert.equal(Number(row[1]), restartPoint[2], `raw value at step ${restartStep}`);
        assert.equal(row[2], `smoothed ${row[1]}`, 'the first point after a restart is not averaged with the segment before');
      }));

    await t.test('a curve without wall times: time axes disabled with the reason on hover, its chart drawn on steps', () =>
      withPage(t, async (page) => {
        const csv = fs.readFileSync(path.join(RULES, 'curves', 'sft_metrics.csv'), 'utf8');
        const rows = csv.split(/\r?\n/).slice(1).filter((l) => l.trim()).length;
        const header = csv.split(/\r?\n/)[0];
        assert.ok(!/wall|time/i.test(header), `the fixture CSV has no wall time column: ${header}`);
        await page.goto(server.url);
        await waitIdle(page);
        await page.locator('input#folder-input').setInputFiles(restartFolder());
        await page.locator('#run-title', { hasText: path.basename(RULES) }).waitFor();
        const note = page.locator('#step-3 .chart-note');
        await note.filter({ hasText: `${rows} points in view` }).waitFor();
        const select = page.locator('#step-3 select[aria-label="X axis"]');
        for (const v of ['wall', 'relative']) {
          const opt = select.locator(`option[value="${v}"]`);
          assert.equal(await opt.isDisabled(), true, `${v} is offered for a curve without wall times`);
          assert.match(await opt.getAttribute('title'), /no wall times/, `${v} does not say why it is disabled`);
        }
        assert.equal(await select.locator('option[value="step"]').isDisabled(), false);
        assert.equal(await select.inputValue(), 'step', 'the chart draws steps');
        // (A link asking for wall time falls back to steps and says so: opening a folder
        // replaces the link, so that case is tested natively in chart::view.)
        assert.doesNotMatch(await note.textContent(), /^0 points in view/);
        // The step with wall times in its log keeps the time axes.
        const timed = page.locator('#step-2 select[aria-label="X axis"] option[value="wall"]');
        assert.equal(await timed.isDisabled(), false, 'a log with wall times offers wall time');
        await nextFrame(page);
      }));
  } finally {
    await browser.close();
    await server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
