// Accessibility checks in the browser: axe-core audits and keyboard use.
//
// Run from the project root after `trunk build --release` and `(cd tests/e2e && npm ci)` (which
// installs axe-core):
//   node --test tests/e2e/a11y.test.mjs
//   RUNLENS_E2E_DIST=/tmp/e2e-dist node --test tests/e2e/a11y.test.mjs   # another build
//
// 1. axe-core (node_modules/axe-core/axe.min.js) audits the run view of a successful and of the
//    failed run, the comparison of two runs, and the runs table, each in the light and the dark
//    theme. Every violation is printed as `a11y <page> <rule id> <impact> <nodes>` (the TAP
//    reporter prefixes it with `# `); a test fails on any violation, whatever its impact.
//    axe is injected as an inline script, which the page's CSP forbids: the audit contexts are
//    opened with `bypassCSP` (the app itself is not changed by it).
// 2. Keyboard: Tab reaches the search box and the runs list, `/` focuses the search, `j`/`k`
//    switch runs, `?` opens the shortcuts dialog and Escape closes it, Enter on a step chip
//    moves to that step.
//
// Same conventions as the other e2e tests: headless /usr/bin/chromium through playwright-core,
// dist/ served by ./server.mjs, a fresh browser context per test, a test fails on any uncaught
// page error, no fixed sleeps (every wait is on something the page shows).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from './server.mjs';
import {
  DIST,
  HERE,
  browserSession,
  distIsBuilt,
  goodAndFailed,
  listedKeys,
  nextFrame,
  openDefault,
  sampleRuns,
  waitIdle,
  norm,
} from './helpers.mjs';

const LOAD_TIMEOUT = 30_000; // app start or one archive load
const SETTLED_TIMEOUT = 10_000; // content expected right after an action
const TEST_TIMEOUT = 60_000;

const AXE = path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js');
const FAIL_IMPACTS = ['minor', 'moderate', 'serious', 'critical'];

// As app.test.mjs: the good run is the newest success with a curves/ folder; the failed run.
const { good: GOOD, failed: FAILED } = goodAndFailed(sampleRuns());
const COMPARE = ['20251103-0853-a1f3', '20251110-1420-b7c2'];

/** The pages audited: name, query, and what shows they are ready. */
const PAGES = [
  { name: 'run-good', query: `?run=samples/${GOOD.runId}/archive.md`, ready: { title: GOOD.runId, sel: '#step-2 .chart-note' } },
  { name: 'run-failed', query: `?run=samples/${FAILED.runId}/archive.md`, ready: { title: FAILED.runId, sel: '#step-2 .chart-note' } },
  { name: 'compare', query: `?compare=${COMPARE.join(',')}`, ready: { sel: '#compare-view #compare-title' } },
  { name: 'runs-table', query: '?view=index', ready: { sel: '#index-count' } },
  { name: 'relate-scatter', query: '?view=index&plot=scatter&x=peak_vram_gb&y=train.cpt.final_loss&color=host', ready: { sel: '#scatter-legend' } },
  { name: 'relate-parallel', query: '?view=index&plot=parallel&ax=peak_vram_gb&ax=train.cpt.final_loss&brush=peak_vram_gb:70:80', ready: { sel: '#brush-chips' } },
];

if (distIsBuilt()) {
  describe('accessibility', { timeout: 10 * 60_000 }, () => {
    let session;
    let server;
    let withPage;

    before(async () => {
      assert.ok(fs.existsSync(AXE), `${AXE} is missing: run \`npm ci\` in tests/e2e (axe-core is a dependency)`);
      assert.ok(GOOD && FAILED, 'samples must include a successful run with curves/ and a failed run');
      server = await startServer({ root: DIST });
      session = await browserSession('a11y', { defaultTimeout: LOAD_TIMEOUT });
      ({ withPage } = session);
    });

    after(async () => {
      await session?.close();
      await server?.close();
    });

    /** Open `p` and wait until it shows what makes it ready. */
    async function openPage(page, p) {
      await page.goto(server.url + p.query);
      // The runs are listed: in the sidebar, or (the runs table has the full width) in the table.
      await page.locator('nav#runs [data-run-key], .ix-body .ix-row[data-run-key]').first().waitFor({ timeout: LOAD_TIMEOUT });
      if (p.ready.title) await page.locator('#run-title', { hasText: p.ready.title }).waitFor({ timeout: LOAD_TIMEOUT });
      await page.locator(p.ready.sel).first().waitFor({ timeout: LOAD_TIMEOUT });
      await waitIdle(page);
      await nextFrame(page);
    }

    /** Run axe over the page; print every violation; return the serious/critical ones. */
    async function audit(page, label) {
      if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: AXE });
      const violations = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 160), summary: n.failureSummary })),
        }));
      });
      for (const v of violations) console.log(`a11y ${label} ${v.id} ${v.impact} ${v.nodes.length}`);
      if (!violations.length) console.log(`a11y ${label} none - 0`);
      return violations.filter((v) => FAIL_IMPACTS.includes(v.impact));
    }

    /** Each violation with its nodes grouped by what axe says is wrong (first targets of each). */
    const describeViolations = (vs) =>
      vs
        .map((v) => {
          const groups = new Map();
          for (const n of v.nodes) {
            const why = norm(n.summary).replace(/^Fix (any|all) of the following: /, '');
            if (!groups.has(why)) groups.set(why, []);
            groups.get(why).push(n);
          }
          const lines = [...groups].map(
            ([why, ns]) => `    ${ns.length}× ${why.slice(0, 260)}
${ns.slice(0, 3).map((n) => `      ${n.target}  ${n.html.slice(0, 120)}`).join('\n')}`,
          );
          return `${v.id} (${v.impact}, ${v.nodes.length} nodes): ${v.help}\n${lines.join('\n')}`;
        })
        .join('\n  ');

    // 1. axe ----------------------------------------------------------------------------------
    for (const p of PAGES) {
      it(`axe: ${p.name} (${p.query}) in the light and the dark theme has no violation`, { timeout: TEST_TIMEOUT }, async (t) => {
        await withPage(
          t,
          async (page) => {
            await openPage(page, p);
            const found = [];
            const first = await page.evaluate(() => document.documentElement.dataset.theme);
            for (const theme of [first, first === 'light' ? 'dark' : 'light']) {
              if ((await page.evaluate(() => document.documentElement.dataset.theme)) !== theme) {
                await page.locator('#theme-toggle').click();
                await page.waitForFunction((v) => document.documentElement.dataset.theme === v, theme, { timeout: SETTLED_TIMEOUT });
                // Colours settle when no transition is running any more.
                await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'), null, { timeout: SETTLED_TIMEOUT });
                await nextFrame(page);
              }
              const bad = await audit(page, `${p.name}-${theme}`);
              if (bad.length) found.push(`${theme} theme:\n  ${describeViolations(bad)}`);
            }
            if (found.length) assert.fail(`axe violations of impact ${FAIL_IMPACTS.join('/')} on ${p.name} (${p.query}):\n${found.join('\n')}`);
          },
          { bypassCSP: true },
        );
      });
    }

    // 2. keyboard -----------------------------------------------------------------------------

    /** What has the focus: `#id`, or `tag[data-run-key=..]`, or tag.class. */
    const focused = (page) =>
      page.evaluate(() => {
        const e = document.activeElement;
        if (!e || e === document.body) return 'body';
        if (e.id) return `#${e.id}`;
        if (e.dataset.runKey) return `run-item:${e.dataset.runKey}`;
        return `${e.localName}${e.className ? `.${String(e.className).split(' ').join('.')}` : ''}${e.getAttribute('aria-label') ? `[${e.getAttribute('aria-label')}]` : ''}`;
      });

    const title = (page) => page.evaluate(() => (document.querySelector('#run-title')?.textContent ?? '').replace(/\s+/g, ' ').trim());

    it('keyboard: Tab from the page load reaches the search box and the runs list buttons', { timeout: TEST_TIMEOUT }, async (t) => {
      await withPage(t, async (page) => {
        await openDefault(page, server.url);
        const keys = await listedKeys(page);
        const seen = [];
        for (let i = 0; i < 60; i++) {
          await page.keyboard.press('Tab');
          seen.push(await focused(page));
          if (seen.includes('#run-search') && keys.every((k) => seen.includes(`run-item:${k}`))) break;
        }
        assert.ok(seen.includes('#run-search'), `Tab never reached #run-search; focus went: ${seen.join(' → ')}`);
        const missing = keys.filter((k) => !seen.includes(`run-item:${k}`));
        assert.deepEqual(missing, [], `Tab never reached these runs list buttons; focus went: ${seen.join(' → ')}`);
        t.diagnostic(`Tab order: ${seen.join(' → ')}`);
        // Enter on a focused runs list button opens that run.
        const cur = await title(page);
        const other = keys.find((k) => !cur.includes(k));
        await page.locator(`nav#runs [data-run-key="${other}"]`).focus();
        await page.keyboard.press('Enter');
        await page.locator('#run-title', { hasText: other }).waitFor({ timeout: SETTLED_TIMEOUT });
      });
    });

    it('keyboard: / focuses the search box (and is not typed into it)', { timeout: TEST_TIMEOUT }, async (t) => {
      await withPage(t, async (page) => {
        await openDefault(page, server.url);
        await page.locator('#run-title').click(); // focus on the page, not in a field
        await page.keyboard.press('/');
        await page.waitForFunction(() => document.activeElement?.id === 'run-search', null, { timeout: SETTLED_TIMEOUT }).catch(async () => {
          assert.fail(`/ did not focus #run-search; focus is on ${await focused(page)}`);
        });
        const value = await page.locator('#run-search').inputValue();
        assert.equal(
          value,
          '',
          `pressing / focused #run-search but the "/" was also typed into it (value ${JSON.stringify(value)}): ` +
            'the keydown handler calls preventDefault in a passive listener',
        );
      });
    });

    it('keyboard: j and k open the next and the previous run of the runs list', { timeout: TEST_TIMEOUT }, async (t) => {
      await withPage(t, async (page) => {
        await openDefault(page, server.url);
        await page.locator('#run-title').click();
        const keys = await listedKeys(page);
        const current = async () => {
          const tt = await title(page);
          return keys.find((k) => tt.includes(k));
        };
        const want = (k, key) =>
          page.locator('#run-title', { hasText: k }).waitFor({ timeout: SETTLED_TIMEOUT }).catch(async () => {
            assert.fail(`expected run ${k} after pressing ${key}; the title reads ${JSON.stringify(await title(page))} (list order ${keys.join(', ')})`);
          });
        const first = await current();
        const i = keys.indexOf(first);
        assert.ok(i >= 0, `the title ${await title(page)} names no listed run (${keys})`);
        // Walk the whole list down with j from the first run, then back up with k.
        for (let n = i; n > 0; n--) {
          await page.keyboard.press('k');
          await want(keys[n - 1], 'k');
          await waitIdle(page);
        }
        for (let n = 1; n < keys.length; n++) {
          await page.keyboard.press('j');
          await want(keys[n], 'j');
          await waitIdle(page);
        }
        for (let n = keys.length - 2; n >= 0; n--) {
          await page.keyboard.press('k');
          await want(keys[n], 'k');
          await waitIdle(page);
        }
        t.diagnostic(`j/k walked ${keys.join(' → ')} and back`);
      });
    });

    it('keyboard: ? opens the shortcuts dialog and Escape closes it', { timeout: TEST_TIMEOUT }, async (t) => {
      await withPage(t, async (page) => {
        await openDefault(page, server.url);
        await page.locator('#run-title').click();
        const dialog = page.locator('[role="dialog"]', { has: page.locator('#help-title') });
        assert.equal(await dialog.count(), 0, 'the shortcuts dialog is open before ?');
        await page.keyboard.press('?');
        await dialog.waitFor({ state: 'visible', timeout: SETTLED_TIMEOUT });
        assert.equal(norm(await page.locator('#help-title').textContent()), 'Keyboard shortcuts');
        assert.equal(await dialog.getAttribute('aria-modal'), 'true', 'the shortcuts dialog is not aria-modal');
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'detached', timeout: SETTLED_TIMEOUT });
      });
    });

    it('keyboard: Enter on a focused step chip moves to that step', { timeout: TEST_TIMEOUT }, async (t) => {
      await withPage(t, async (page) => {
        await openDefault(page, `${server.url}?run=samples/${GOOD.runId}/archive.md`);
        await page.locator('#run-title', { hasText: GOOD.runId }).waitFor({ timeout: LOAD_TIMEOUT });
        await waitIdle(page);
        const chips = await page.$$eval('.step-strip a', (as) => as.map((a) => a.getAttribute('href')));
        const href = chips.at(-1); // the last step: below the fold at load
        assert.ok(href && /^#step-/.test(href), `step chip hrefs: ${JSON.stringify(chips)}`);
        const stepSel = href;
        const inView = (sel) => {
          const r = document.querySelector(sel)?.getBoundingClientRect();
          return !!r && r.top < innerHeight && r.bottom > 0 && r.top >= -1;
        };
        assert.equal(await page.evaluate(inView, stepSel), false, `fixture: ${stepSel} should be below the fold before Enter`);
        await page.locator(`.step-strip a[href="${href}"]`).focus();
        assert.equal(await page.evaluate((h) => document.activeElement?.getAttribute('href') === h, href), true, 'the chip did not take the focus');
        await page.keyboard.press('Enter');
        await page.waitForFunction(inView, stepSel, { timeout: SETTLED_TIMEOUT }).catch(async () => {
          const r = await page.evaluate((s) => document.querySelector(s)?.getBoundingClientRect().top, stepSel);
          assert.fail(`Enter on the ${href} chip did not bring ${stepSel} into view (its top is at ${r}, URL ${page.url()})`);
        });
        assert.ok(page.url().endsWith(href), `the URL does not name the step after Enter: ${page.url()}`);
      });
    });
  });
}
