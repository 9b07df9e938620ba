// Issue 14 at its stated size: a workspace of 200 runs, opened from a link.
// - 200 run folders are generated (`runlens synth-runs`, archives only), each given a CPT event
//   file whose tags and length vary by run (seeded), and indexed (`runlens index`); the page
//   opens `?workspace=<the 200 run ids, compact form>&index=<manifest>`.
// - What a user sees is read back against the generated files: one panel per tag of the union,
//   the legend lists the 200 runs, the crosshair's list holds a row for every run with the tag,
//   each value equal to the file's at the step it names (the nearest point to one x).
// - The link, after the state is changed through the page (tag filter, one column, three runs
//   hidden and one shown alone from the legend, x unsynced and one panel zoomed on its own),
//   reopens the same state in a fresh browser context: the same panels, the same rows under
//   the same pointer, the same runs drawn; Alt+click there brings back the hidden three.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { browserSession, distIsBuilt, DIST, CLI, dragAcross, waitIdle, writeScalarEventFile, seededRandom } from './helpers.mjs';
import { startServer } from './server.mjs';

const LOAD = 120_000;
const RUNS = 200;
/** Tags a run may log, with the chance that it does (`lm_loss`: every run). */
const TAGS = [['lm_loss', 1], ['grad-norm', 0.5], ['learning-rate', 0.7], ['rare/tag', 0.02]];

/** Every file under `dir`, relative to it, with `/` separators. */
function filesUnder(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p).map((f) => `${e.name}/${f}`));
    else out.push(e.name);
  }
  return out;
}

/**
 * Generates the runs under `root`: archives by the CLI, an event file per run at the CPT step's
 * `loss_curve` path. Returns [{ id, dir, steps, tags: Map(tag -> Map(step -> value)) }] in the
 * order the CLI numbers them.
 */
function generate(root) {
  execFileSync(CLI, ['synth-runs', root, '--runs', String(RUNS)]);
  const archives = filesUnder(root).filter((f) => f.endsWith('/archive.md'));
  assert.equal(archives.length, RUNS, 'synth-runs wrote the runs');
  const runs = archives.map((a) => {
    const text = fs.readFileSync(path.join(root, a), 'utf8');
    const id = text.match(/^- run_id: (\S+)/m)[1];
    const curve = text.match(/^\s+loss_curve: (\S+)/m)[1];
    return { id, dir: path.join(root, path.dirname(a)), curve };
  });
  runs.sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const [i, r] of runs.entries()) {
    const rnd = seededRandom(1400 + i);
    const tags = TAGS.filter(([, p]) => rnd() < p).map(([t]) => t);
    r.steps = 40 + Math.floor(rnd() * 60);
    const scale = 2 + rnd();
    const value = (k, step) => Math.fround((k + 1) * scale / (1 + step / 30) + 0.01 * rnd());
    r.tags = new Map(tags.map((t) => [t, new Map()]));
    // The file's path below the run folder: the loss_curve's path from `tensorboard/` on.
    const rel = r.curve.slice(r.curve.indexOf('tensorboard/'));
    writeScalarEventFile(path.join(r.dir, rel), {
      steps: r.steps,
      tags,
      wallStart: 1762161200 + i,
      wallStep: 3,
      valueOf: (k, step) => {
        const v = value(k, step);
        r.tags.get(tags[k]).set(step, v);
        return v;
      },
    });
  }
  execFileSync(CLI, ['index', root]);
  return runs;
}

/** The `?workspace=` list in its compact form: `PREFIX{a,b,...}` (the ids share a prefix). */
function compactList(ids) {
  let pre = ids[0].length - 1;
  for (const id of ids) while (!id.startsWith(ids[0].slice(0, pre))) pre--;
  return `${ids[0].slice(0, pre)}{${ids.map((id) => id.slice(pre)).join(',')}}`;
}

if (distIsBuilt()) {
  test('a workspace of 200 runs (issue 14)', { timeout: 15 * 60_000 }, async (t) => {
    const s = await browserSession('workspace200', { defaultTimeout: LOAD });
    const root = path.join(s.tmp, 'runs');
    const runs = generate(root);
    const byId = new Map(runs.map((r) => [r.id, r]));
    const unionTags = [...new Set(runs.flatMap((r) => [...r.tags.keys()]))].sort();
    assert.ok(unionTags.includes('rare/tag') && unionTags.length === TAGS.length, 'fixture: every tag is logged by some run');

    const routes = {};
    for (const f of filesUnder(root)) routes[`/w2/${f}`] = { body: fs.readFileSync(path.join(root, f)) };
    const server = await startServer({ root: DIST, routes });
    const ids = runs.map((r) => r.id);
    const list = compactList(ids);
    assert.ok(list.length < ids.join(',').length, 'the compact form is shorter');
    // Runs hidden from the legend, and one with grad-norm shown alone.
    const hiddenIds = [ids[5], ids[17], ids[150]];
    const soloId = ids.find((id, i) => i > 20 && byId.get(id).tags.has('grad-norm'));
    const url = `${server.url}?workspace=${encodeURIComponent(list)}&index=${encodeURIComponent('/w2/runs.json')}`;

    const panelTags = (page) => page.$$eval('#workspace .ws-panel', (els) => els.map((e) => e.dataset.tag));
    const legendRuns = (page) => page.$$eval('.ws-legend .ws-runs [data-run]', (els) => els.map((e) => e.dataset.run));

    /** Waits until every run is read and every curve file too. */
    async function waitLoaded(page) {
      await page.locator('#workspace').waitFor();
      try {
        await page.waitForFunction((n) => {
          const t = document.querySelector('#workspace .ws-files')?.textContent ?? '';
          const m = t.match(/(\d+) of (\d+) curve files read/);
          return m && Number(m[1]) === n && Number(m[2]) === n && !document.querySelector('.ws-loading');
        }, RUNS);
      } catch (e) {
        const said = await page.$$eval('#workspace .ws-files, .ws-loading, #load-errors', (els) => els.map((e) => e.textContent.slice(0, 400)));
        assert.fail(`the 200 runs and their curves were not all read: ${JSON.stringify(said)} (${e.message.split('\n')[0]})`);
      }
      await waitIdle(page, LOAD);
    }

    /** Hovers the panel of `tag` at fraction `f` of its width; returns the side list's rows. */
    async function hoverPanel(page, tag, f) {
      const canvas = page.locator(`#workspace .ws-panel[data-tag="${tag}"] canvas`);
      const box = await canvas.boundingBox();
      await canvas.hover({ position: { x: Math.round(box.width * f), y: Math.round(box.height / 2) } });
      await page.waitForFunction((tag) => (document.querySelector('.ws-values h2')?.textContent ?? '').startsWith(tag), tag);
      return page.$$eval('.ws-value', (els) => els.map((e) => ({ run: e.dataset.run, value: e.dataset.value, step: Number(e.dataset.step) })));
    }

    /** Checks the crosshair's rows of `tag` against the files: `shown` runs (ids) have a row each. */
    function checkRows(rows, tag, shown) {
      const having = shown.filter((id) => byId.get(id).tags.has(tag)).sort();
      assert.deepEqual(rows.map((r) => r.run).sort(), having, `${tag}: a row per shown run with the tag`);
      // Every run logs steps 1..N: the nearest point to one x is that x's step, or the run's last.
      const at = Math.max(...rows.map((r) => r.step));
      for (const row of rows) {
        const r = byId.get(row.run);
        assert.equal(row.step, Math.min(at, r.steps), `${tag} ${row.run}: the nearest step to the crosshair`);
        // The file holds f32 values; data-value is the shortest text that reads back as that f32.
        assert.equal(Math.fround(Number(row.value)), r.tags.get(tag).get(row.step), `${tag} ${row.run} step ${row.step}: ${row.value} is the file's value`);
      }
      const values = rows.map((r) => Number(r.value));
      assert.deepEqual(values, [...values].sort((a, b) => a - b), `${tag}: sorted by value`);
      return at;
    }

    try {
      let link;
      let state;
      await t.test('200 runs from a compact link: panels, legend, crosshair values', () =>
        s.withPage(t, async (page) => {
          await page.goto(url);
          await waitLoaded(page);
          assert.deepEqual((await panelTags(page)).sort(), unionTags, 'a panel per tag of the union');
          const legend = await legendRuns(page);
          assert.equal(legend.length, RUNS, 'the legend lists 200 runs');
          assert.deepEqual([...legend].sort(), [...ids].sort(), 'the legend lists the runs named');
          for (const [tag, f] of [['lm_loss', 0.5], ['grad-norm', 0.3], ['rare/tag', 0.6]]) {
            const rows = await hoverPanel(page, tag, f);
            checkRows(rows, tag, ids);
            const counted = runs.filter((r) => r.tags.has(tag)).length;
            assert.match(await page.locator(`.ws-panel[data-tag="${tag}"] figcaption`).textContent(), new RegExp(`\\b${counted} of ${counted} runs`));
          }
          // Change the state through the page; the link carries it.
          await page.locator('#ws-tags').fill('loss|norm');
          await page.waitForFunction(() => document.querySelectorAll('.ws-panel').length === 2);
          await page.locator('#ws-cols').selectOption('1');
          await page.waitForFunction(() => /[?&]wtag=/.test(location.search) && /[?&]wcols=1/.test(location.search));
          // Three runs hidden from the legend: no row, no line.
          for (const id of hiddenIds) await page.locator(`.ws-legend [data-run="${id}"]`).click();
          await page.waitForFunction((n) => new URLSearchParams(location.search).get('whide')?.split(',').length === n, hiddenIds.length);
          const shown = ids.filter((id) => !hiddenIds.includes(id));
          checkRows(await hoverPanel(page, 'lm_loss', 0.5), 'lm_loss', shown);
          assert.equal(new URLSearchParams(new URL(page.url()).search).get('whide'), hiddenIds.map((id) => ids.indexOf(id)).join(','), 'whide: their positions in the list');
          // x unsynced; grad-norm zoomed on its own, lm_loss left as it was.
          const before = { loss: Math.max(...(await hoverPanel(page, 'lm_loss', 0.5)).map((r) => r.step)), norm: Math.max(...(await hoverPanel(page, 'grad-norm', 0.5)).map((r) => r.step)) };
          await page.locator('#ws-sync').uncheck();
          await dragAcross(page, page.locator('.ws-panel[data-tag="grad-norm"] canvas'), 0.3, 0.6);
          await page.waitForFunction(() => new URLSearchParams(location.search).get('wpz')?.startsWith('grad-norm~'));
          const zoomedNorm = Math.max(...(await hoverPanel(page, 'grad-norm', 0.5)).map((r) => r.step));
          assert.ok(zoomedNorm < before.norm, `grad-norm is zoomed: step ${zoomedNorm} at the middle, ${before.norm} before`);
          assert.equal(Math.max(...(await hoverPanel(page, 'lm_loss', 0.5)).map((r) => r.step)), before.loss, 'lm_loss is not');
          // One run shown alone (Alt+click).
          await page.locator(`.ws-legend [data-run="${soloId}"]`).click({ modifiers: ['Alt'] });
          await page.waitForFunction(() => new URLSearchParams(location.search).has('wsolo'));
          const rows = await hoverPanel(page, 'lm_loss', 0.5);
          checkRows(rows, 'lm_loss', [soloId]);
          const normRows = await hoverPanel(page, 'grad-norm', 0.5);
          checkRows(normRows, 'grad-norm', [soloId]);
          state = { panels: await panelTags(page), rows, normRows };
          link = await page.evaluate(() => location.href);
          assert.ok(link.includes(`workspace=${encodeURIComponent(list)}`) || link.includes(`workspace=${list}`), 'the link keeps the compact list');
        }),
      );

      await t.test('the link reopens the same state in a fresh browser', () =>
        s.withPage(t, async (page) => {
          assert.ok(link, 'the first test made a link');
          // withPage: a new browser context (no storage, no history), the same window size.
          await page.goto(link);
          await waitLoaded(page);
          assert.deepEqual(await panelTags(page), state.panels, 'the same panels');
          assert.equal(await page.locator('#ws-tags').inputValue(), 'loss|norm');
          assert.equal(await page.locator('#ws-cols').inputValue(), '1');
          assert.equal((await legendRuns(page)).length, RUNS, 'the legend lists 200 runs');
          assert.equal(await page.locator('#ws-sync').isChecked(), false, 'x unsynced');
          assert.deepEqual(await hoverPanel(page, 'lm_loss', 0.5), state.rows, 'lm_loss: the same row under the same pointer (the run shown alone)');
          assert.deepEqual(await hoverPanel(page, 'grad-norm', 0.5), state.normRows, 'grad-norm: the same row (its own zoom kept)');
          const off = await page.$$eval('.ws-legend [data-run][aria-pressed="false"]', (els) => els.length);
          assert.equal(off, RUNS - 1, 'every run but the one shown alone is off');
          assert.equal(await page.evaluate(() => location.href), link, 'the address is kept as it was');
          // Alt+click again: the runs hidden before it was shown alone are still hidden.
          await page.locator(`.ws-legend [data-run="${soloId}"]`).click({ modifiers: ['Alt'] });
          await page.waitForFunction(() => !new URLSearchParams(location.search).has('wsolo'));
          const back = await page.$$eval('.ws-legend [data-run][aria-pressed="false"]', (els) => els.map((e) => e.dataset.run));
          assert.deepEqual(back.sort(), [...hiddenIds].sort(), 'the three hidden runs');
          checkRows(await hoverPanel(page, 'lm_loss', 0.5), 'lm_loss', ids.filter((id) => !hiddenIds.includes(id)));
          // Sync x on again: one zoom for every panel, the panels' own left out of the link.
          await page.locator('#ws-sync').check();
          await page.waitForFunction(() => !new URLSearchParams(location.search).has('wpz') && !new URLSearchParams(location.search).has('wsync'));
        }),
      );
    } finally {
      await server.close();
      await s.close();
    }
  });
}
