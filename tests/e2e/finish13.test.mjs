// Issue 13, item 8 "Finish", the parts outside the charts, each read back from the DOM at the
// size a user met it:
//   - the top bar does not overflow at 390 px: its actions fold into a menu that the keyboard
//     opens, walks and closes (aria-expanded / aria-controls);
//   - GPU utilisation is labelled once ("92 %") and rated by one rule, high is good;
//   - a run of 160 steps shows its step strip as one summary line with a toggle, and a run of
//     a few steps keeps its strip of chips;
//   - the two-run comparison's headers ("delta") are one line each, not a letter per line;
//   - the sidebar's background reaches the bottom of the page, scrolled or not.
//
// Run from the project root after `trunk build --release` and `cargo build --bin runlens`
// (the 160-step archive comes from `runlens synth`; RUNLENS_E2E_CLI names another binary):
//   node --test tests/e2e/finish13.test.mjs
// Same conventions as the other e2e tests: headless /usr/bin/chromium through playwright-core,
// dist/ served by ./server.mjs, a fresh context per test, no fixed sleeps. Expected values come
// from the bundled archives in static/samples/.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI, DIST, SAMPLES, field, launchBrowser, nextFrame, norm, pageRunner, sectionText, waitDrawn, waitIdle } from './helpers.mjs';
import { startServer } from './server.mjs';

const A = '20251103-0853-a1f3';
const B = '20251110-1420-b7c2';
const FAILED = '20251112-2201-c9d4';
const LOAD_TIMEOUT = 30_000;

const archiveText = (runId) => fs.readFileSync(path.join(SAMPLES, runId, 'archive.md'), 'utf8');

/** The `- step_id:` blocks of an archive's Steps section. */
const stepBlocks = (text) => sectionText(text, 'Steps').split(/^(?=- step_id: )/m).filter((b) => b.startsWith('- step_id: '));

/** The rating the app must give a mean GPU utilisation: high is good (80 % and up). */
const utilWord = (pct) => (pct >= 80 ? 'high' : pct >= 50 ? 'medium' : 'low');

test('finish: top bar, GPU utilisation, long step strip, delta header, sidebar (issue 13, item 8)', async (t) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-finish-'));
  const server = await startServer({ root: DIST });
  const browser = await launchBrowser(tmp);
  const withPage = pageRunner(browser, { prefix: 'failed-finish-' });

  /** Open a bundled run at the given viewport size and wait until it is shown and idle. */
  async function openRun(page, runId, { width = 1400, height = 900 } = {}) {
    await page.setViewportSize({ width, height });
    await page.goto(`${server.url}?run=samples/${runId}/archive.md`);
    await page.locator('#run-title', { hasText: runId }).waitFor({ timeout: LOAD_TIMEOUT });
    await waitIdle(page);
    await waitDrawn(page);
  }

  /** Every rendered element of the top bar whose box leaves the viewport horizontally. */
  const outsideViewport = (page, sel) =>
    page.$$eval(sel, (els) =>
      els
        .map((e) => ({ e, r: e.getBoundingClientRect() }))
        .filter(({ r }) => r.width > 0 && r.height > 0 && (r.left < -0.5 || r.right > document.documentElement.clientWidth + 0.5))
        .map(({ e, r }) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${e.className} [${Math.round(r.left)}, ${Math.round(r.right)}]`),
    );
  const focusedId = (page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName.toLowerCase());

  try {
    await t.test('at 390 px the top bar fits: its actions fold into a menu the keyboard opens and closes', () =>
      withPage(t, async (page) => {
        await openRun(page, A, { width: 390, height: 844 });
        const bar = await page.$eval('header.topbar', (h) => ({ scroll: h.scrollWidth, client: h.clientWidth, height: h.getBoundingClientRect().height }));
        assert.ok(bar.scroll <= bar.client, `the top bar overflows at 390 px: scrollWidth ${bar.scroll} > clientWidth ${bar.client}`);
        assert.ok(bar.height <= 56, `the top bar wraps to ${bar.height}px at 390 px`);
        assert.deepEqual(await outsideViewport(page, 'header.topbar *'), [], 'top bar elements outside the 390 px viewport');

        const toggle = page.locator('#topbar-menu-toggle');
        assert.ok(await toggle.isVisible(), 'no menu button at 390 px');
        assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
        const controls = await toggle.getAttribute('aria-controls');
        assert.equal(await page.locator(`#${controls}`).count(), 1, `aria-controls="${controls}" names no element`);
        for (const id of ['open-index', 'paste-open', 'theme-toggle']) {
          assert.equal(await page.locator(`#${id}`).isVisible(), false, `#${id} shows in the closed menu at 390 px`);
        }

        // Keyboard: from the search box, Tab reaches the menu button, Enter opens it.
        await page.locator('#run-search').focus();
        await page.keyboard.press('Tab');
        assert.equal(await focusedId(page), 'topbar-menu-toggle', 'Tab from the search box');
        await page.keyboard.press('Enter');
        await page.locator(`#${controls}`).waitFor({ state: 'visible' });
        assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
        assert.deepEqual(await outsideViewport(page, `#${controls}, #${controls} *`), [], 'open menu items outside the viewport');
        assert.ok(await page.$eval('header.topbar', (h) => h.scrollWidth <= h.clientWidth), 'the open menu widens the top bar');

        // Tab walks the menu's actions, in order, then on to the theme switch.
        const seen = [];
        for (let i = 0; i < 8 && seen.at(-1) !== 'theme-toggle'; i++) {
          await page.keyboard.press('Tab');
          seen.push(await focusedId(page));
        }
        assert.deepEqual(
          seen.filter((id) => ['open-index', 'paste-open', 'theme-toggle'].includes(id)),
          ['open-index', 'paste-open', 'theme-toggle'],
          `focus went ${seen.join(' → ')}`,
        );
        assert.ok(
          await page.evaluate((c) => document.getElementById(c).contains(document.activeElement), controls),
          'the focus left the menu while walking it',
        );
        // Enter on the theme switch switches the theme, closes the menu, focus back on its button.
        const theme = await page.evaluate(() => document.documentElement.dataset.theme);
        await page.keyboard.press('Enter');
        await page.waitForFunction((th) => document.documentElement.dataset.theme !== th, theme);
        await page.locator(`#${controls}`).waitFor({ state: 'hidden' });
        assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
        assert.equal(await focusedId(page), 'topbar-menu-toggle', 'focus after choosing an action');

        // Escape closes the open menu and leaves the focus on its button.
        await page.keyboard.press('Enter');
        await page.locator(`#${controls}`).waitFor({ state: 'visible' });
        await page.keyboard.press('Tab');
        await page.keyboard.press('Escape');
        await page.locator(`#${controls}`).waitFor({ state: 'hidden' });
        assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
        assert.equal(await focusedId(page), 'topbar-menu-toggle', 'focus after Escape');

        // A press outside the open menu closes it.
        await toggle.click();
        await page.locator(`#${controls}`).waitFor({ state: 'visible' });
        await page.locator('#run-title').click();
        await page.locator(`#${controls}`).waitFor({ state: 'hidden' });

        // Between phone and desktop the bar never overflows either, menu or not.
        for (const width of [320, 600, 860, 941, 1024, 1100, 1280]) {
          await page.setViewportSize({ width, height: 800 });
          await nextFrame(page);
          const b = await page.$eval('header.topbar', (h) => ({ scroll: h.scrollWidth, client: h.clientWidth, height: h.getBoundingClientRect().height }));
          assert.ok(b.scroll <= b.client && b.height <= 56, `at ${width} px the top bar is ${b.scroll} px wide in ${b.client} px, ${b.height} px tall`);
          assert.deepEqual(await outsideViewport(page, 'header.topbar *'), [], `top bar elements outside the ${width} px viewport`);
        }

        // Wide again: no menu button, every action in the bar, nothing overflows.
        await page.setViewportSize({ width: 1400, height: 900 });
        await page.locator('#theme-toggle').waitFor({ state: 'visible' });
        assert.equal(await toggle.isVisible(), false, 'the menu button shows at 1400 px');
        for (const id of ['open-index', 'paste-open', 'theme-toggle']) assert.ok(await page.locator(`#${id}`).isVisible(), `#${id} at 1400 px`);
        assert.ok(await page.$eval('header.topbar', (h) => h.scrollWidth <= h.clientWidth), 'the top bar overflows at 1400 px');
      }));

    await t.test('GPU utilisation is labelled once and rated by one rule: high is good', () =>
      withPage(t, async (page) => {
        for (const runId of [A, FAILED]) {
          const pct = Number(field(sectionText(archiveText(runId), 'Resources'), 'gpu_util_avg_pct'));
          assert.ok(Number.isFinite(pct), `${runId}: gpu_util_avg_pct in the fixture`);
          await openRun(page, runId);
          const card = page.locator('#sec-resources .figure.gpu-util');
          assert.equal(await card.count(), 1, `${runId}: one GPU utilisation card`);
          const got = await card.evaluate((c) => {
            const m = c.querySelector('meter');
            return {
              text: c.textContent.replace(/\s+/g, ' ').trim(),
              value: c.querySelector('.value').textContent.replace(/\s+/g, ' ').trim(),
              level: c.dataset.level,
              meter: m && { value: m.value, low: m.low, high: m.high, optimum: m.optimum, max: m.max },
            };
          });
          const word = utilWord(pct);
          assert.equal(got.value, `${Math.round(pct)} % ${word}`, `${runId}: the card's value`);
          assert.equal((got.text.match(/\d+(\.\d+)?\s*%/g) ?? []).length, 1, `${runId}: the percentage is written once: "${got.text}"`);
          assert.equal(got.level, word, `${runId}: data-level`);
          // The meter colours by the same rule: its optimum is at the high end.
          assert.ok(got.meter, `${runId}: a meter`);
          assert.equal(got.meter.value, pct);
          assert.equal(got.meter.optimum, got.meter.max, `${runId}: meter optimum ${got.meter.optimum}`);
          assert.deepEqual([got.meter.low, got.meter.high], [50, 80], `${runId}: meter low/high`);
        }
      }));

    await t.test('a run of 160 steps shows its strip as a summary line with a toggle; a short run keeps its chips', { timeout: 120_000 }, () =>
      withPage(t, async (page) => {
        // The short run first: the strip of chips, no summary, no toggle.
        const shortSteps = stepBlocks(archiveText(A)).length;
        await openRun(page, A);
        assert.equal(await page.locator('.step-strip a.chip:visible').count(), shortSteps, `${A}: one chip per step`);
        assert.equal(await page.locator('.strip-summary, .strip-toggle').count(), 0, `${A}: no summary line`);

        assert.ok(fs.existsSync(CLI), `${CLI} is missing: build it with \`cargo build --bin runlens\``);
        const synth = await new Promise((resolve, reject) =>
          execFile(CLI, ['synth', '--steps', '160', '--params', '2'], { maxBuffer: 64 << 20 }, (err, out) => (err ? reject(err) : resolve(out))),
        );
        // Mixed outcomes, so the line has something to say: step 17 failed after 2 retries,
        // step 40 skipped.
        const edit = (text, id, from, to) => text.replace(new RegExp(`(- step_id: ${id}\\n[\\s\\S]*?)${from}`), `$1${to}`);
        let big = edit(synth, 17, '  status: success\n', '  status: failed\n');
        big = edit(big, 17, '  retries: 0\n', '  retries: 2\n');
        big = edit(big, 40, '  status: success\n', '  status: skipped\n');
        const runId = field(sectionText(big, 'Summary'), 'run_id');
        const blocks = stepBlocks(big);
        assert.equal(blocks.length, 160, 'synth wrote 160 steps');
        const count = (st) => blocks.filter((b) => field(b, 'status') === st).length;
        const hours = blocks.reduce((s, b) => s + Number(field(b, 'duration_sec')), 0) / 3600;
        const want = `160 steps: ${count('success')} success, ${count('failed')} failed, ${count('skipped')} skipped · ${Math.floor(hours / 24)} d ${hours % 24} h of steps · 2 retries`;

        await page.locator('input#file-input').setInputFiles({ name: 'long-run.md', mimeType: 'text/markdown', buffer: Buffer.from(big) });
        await page.locator('#run-title', { hasText: runId }).waitFor({ timeout: LOAD_TIMEOUT });
        await waitIdle(page);

        const summary = page.locator('.strip-summary');
        assert.equal(norm(await summary.locator('.strip-line').textContent()), want, 'the summary line');
        assert.match(norm(await summary.textContent()), /first failed: step 17, train \(cpt\)/);
        const lines = await summary.evaluate((p) => p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight));
        assert.ok(lines < 2.2, `the summary takes ${lines.toFixed(1)} lines at 1400 px`);
        assert.equal(await page.locator('.step-strip a.chip:visible').count(), 0, 'chips shown while collapsed');

        const toggle = page.locator('.strip-toggle');
        assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
        const controls = await toggle.getAttribute('aria-controls');
        assert.equal(await page.locator(`#${controls}.step-strip`).count(), 1, `aria-controls="${controls}" names the strip`);
        assert.equal(norm(await toggle.textContent()), 'Show all 160 steps');

        // Keyboard: Enter on the toggle shows every chip, Enter again folds them.
        await toggle.focus();
        await page.keyboard.press('Enter');
        await page.waitForFunction(() => document.querySelectorAll('.step-strip a.chip').length === 160 && !document.querySelector('.step-strip').hidden);
        assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
        assert.equal(await page.locator('.step-strip a.chip:visible').count(), 160);
        const failedChip = page.locator('.step-strip a.chip.status-failed');
        assert.equal(await failedChip.count(), 1, 'one failed chip');
        assert.equal(await failedChip.getAttribute('href'), '#step-17');
        await page.keyboard.press('Enter');
        await page.locator('.step-strip').waitFor({ state: 'hidden' });
        assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
      }));

    await t.test("the comparison's column headers are one line each, the delta header included", () =>
      withPage(t, async (page) => {
        await page.setViewportSize({ width: 1400, height: 900 });
        await page.goto(`${server.url}?compare=${A},${B}`);
        await page.locator('#compare-title', { hasText: `${A} vs B ${B}` }).waitFor({ timeout: LOAD_TIMEOUT });
        await waitIdle(page);
        await page.locator('.diff-table').first().waitFor();
        // Lines of a header: the distinct tops of its text's line boxes.
        const heads = await page.$$eval('.diff-table thead th', (ths) =>
          ths.map((th) => {
            const r = document.createRange();
            r.selectNodeContents(th);
            const tops = new Set([...r.getClientRects()].filter((b) => b.width > 0).map((b) => Math.round(b.top)));
            return { text: th.textContent.trim(), lines: tops.size, fits: th.scrollWidth <= th.clientWidth };
          }),
        );
        const deltas = heads.filter((h) => h.text === 'delta');
        assert.ok(deltas.length >= 2, `delta headers found: ${deltas.length}`);
        const broken = heads.filter((h) => h.lines !== 1 || !h.fits);
        assert.deepEqual(broken, [], 'headers broken over lines');
      }));

    await t.test('the sidebar background reaches the bottom of the page, scrolled or not', () =>
      withPage(t, async (page) => {
        const probe = () =>
          page.evaluate(() => {
            const nav = document.querySelector('nav#runs').getBoundingClientRect();
            const doc = document.documentElement;
            return {
              navBottom: nav.bottom,
              viewport: doc.clientHeight,
              pageBottom: doc.getBoundingClientRect().bottom,
              scrollable: doc.scrollHeight > doc.clientHeight,
              background: getComputedStyle(document.querySelector('nav#runs')).backgroundColor,
              body: getComputedStyle(document.body).backgroundColor,
            };
          });
        for (const theme of ['light', 'dark']) {
          await openRun(page, A);
          if ((await page.evaluate(() => document.documentElement.dataset.theme)) !== theme) {
            await page.locator('#theme-toggle').click();
            await page.waitForFunction((th) => document.documentElement.dataset.theme === th, theme);
          }
          let p = await probe();
          assert.ok(p.scrollable, 'the run page is longer than the window');
          assert.notEqual(p.background, p.body, `${theme}: the sidebar has a background of its own`);
          assert.ok(p.navBottom >= p.viewport - 0.5, `${theme}, top of the page: the sidebar ends at ${p.navBottom}px of ${p.viewport}`);
          await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
          await nextFrame(page);
          p = await probe();
          assert.ok(Math.abs(p.pageBottom - p.viewport) <= 1, `scrolled to the end (page bottom ${p.pageBottom}, window ${p.viewport})`);
          assert.ok(p.navBottom >= p.pageBottom - 0.5, `${theme}, bottom of the page: the sidebar ends at ${p.navBottom}px, the page at ${p.pageBottom}px`);
          // A short sidebar (no run matches the search) still runs down the page.
          await page.locator('#run-search').fill('no-such-run-zzz');
          await page.locator('nav#runs', { hasText: 'No run matches the search.' }).waitFor();
          p = await probe();
          assert.ok(p.navBottom >= p.pageBottom - 0.5, `${theme}, empty list: the sidebar ends at ${p.navBottom}px, the page at ${p.pageBottom}px`);
        }
      }));
  } finally {
    await browser.close();
    await server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
