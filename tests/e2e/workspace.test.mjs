// Issue 14: the workspace of many runs, read back against the files it was given.
// - Run folders the app has never seen (copies of the samples under new run ids, and a run
//   whose CPT event file is synthetic, with a tag no sample has) are dropped together, ticked
//   in the runs list and opened in the workspace: one panel per tag of the union of the runs'
//   CPT curves; the crosshair's side list holds each run's value at the hovered x, equal to
//   the file's value at that step; grouping gives a band equal to the min/max/mean computed
//   here; checkpoint markers sit at the archives' checkpoint steps.
// - The same runs hosted (a manifest): the workspace's state in the link reopens in a fresh
//   browser context.
// - Keyboard: a focused panel moves the crosshair with the arrows; Esc clears it.
// - Two run folders holding the same run id are two runs in the workspace: two legend rows
//   (the same `data-run`, each its own `data-key`), hidden one at a time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  browserSession, distIsBuilt, DIST, readOracle, sampleRun, newRunId, withRunId, curveOf,
  dragAcross, waitIdle, writeScalarEventFile, sectionText, waitFilesRead,
  openDroppedInWorkspace,
} from './helpers.mjs';
import { startServer } from './server.mjs';

const LOAD = 60_000;
const A1F3 = '20251103-0853-a1f3';
const B7C2 = '20251110-1420-b7c2';
const C9D4 = '20251112-2201-c9d4';
const SYNTH_TAGS = ['lm_loss', 'learning-rate', 'synthetic-only-tag'];
const SYNTH_STEPS = 1500;

/** Copies `runId`'s folder under a new run id into `root`; returns { id, dir, text }. */
function copyRun(root, runId, suffix) {
  const run = sampleRun(runId);
  const id = newRunId(run, suffix);
  const dir = path.join(root, id);
  fs.cpSync(run.dir, dir, { recursive: true });
  const text = withRunId(run, id);
  fs.writeFileSync(path.join(dir, 'archive.md'), text);
  return { id, dir, text, sample: runId };
}

/** A synthetic value of tag `k` at `step`: a falling curve, different for each tag. */
const synthValue = (k, step) => (k + 1) * 3 / (1 + step / 200) + 0.001 * (step % 7);

/** Every file under `dir`, relative to it. */
function filesUnder(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p).map((f) => path.join(e.name, f)));
    else out.push(e.name);
  }
  return out;
}

/** The steps of the checkpoints an archive's Artifacts list whose path contains `within`. */
function checkpointSteps(text, within) {
  const artifacts = sectionText(text, 'Artifacts') ?? '';
  const block = artifacts.split(/^- (?=\w)/m).find((b) => b.startsWith('checkpoints:')) ?? '';
  return block
    .split(/^\s+- path: /m)
    .slice(1)
    .filter((c) => c.split('\n')[0].includes(within))
    .map((c) => Number(c.match(/^\s+step: (\d+)/m)?.[1]))
    .filter((n) => Number.isFinite(n));
}

if (distIsBuilt()) {
  test('workspace (issue 14)', { timeout: 15 * 60_000 }, async (t) => {
    const s = await browserSession('workspace', { defaultTimeout: LOAD });
    const root = path.join(s.tmp, 'runs');
    const runs = [copyRun(root, A1F3, 'ws01'), copyRun(root, B7C2, 'ws02'), copyRun(root, C9D4, 'ws03')];
    // A fourth run: A1F3's archive with a synthetic CPT event file (its own tags).
    const synth = copyRun(root, A1F3, 'ws04');
    const cpt = curveOf(sampleRun(A1F3), 2);
    writeScalarEventFile(path.join(synth.dir, cpt.rel), {
      steps: SYNTH_STEPS, tags: SYNTH_TAGS, wallStart: 1762161200, wallStep: 2, valueOf: synthValue,
    });
    runs.push(synth);
    // What each run's CPT curve holds, by tag: step -> value (the oracles; the synthetic file's own values).
    const truth = new Map();
    for (const r of runs) {
      const byTag = new Map();
      if (r === synth) {
        SYNTH_TAGS.forEach((tag, k) => byTag.set(tag, new Map(Array.from({ length: SYNTH_STEPS }, (_, i) => [i + 1, Math.fround(synthValue(k, i + 1))]))));
      } else {
        for (const [tag, pts] of readOracle(r.sample, 'cpt').byTag) byTag.set(tag, new Map(pts.map((p) => [p.step, Math.fround(p.value)])));
      }
      truth.set(r.id, byTag);
    }
    const unionTags = [...new Set([...truth.values()].flatMap((m) => [...m.keys()]))].sort();

    // Hosted copies of the same folders, with a manifest, for the link test.
    const routes = {};
    const manifest = { version: 2, runs: [] };
    for (const r of runs) {
      const files = filesUnder(r.dir);
      for (const f of files) routes[`/ws/${r.id}/${f.split(path.sep).join('/')}`] = { body: fs.readFileSync(path.join(r.dir, f)) };
      manifest.runs.push({ archive: `${r.id}/archive.md`, files: files.filter((f) => f !== 'archive.md').map((f) => `${r.id}/${f.split(path.sep).join('/')}`), run_id: r.id });
    }
    routes['/ws/runs.json'] = { body: JSON.stringify(manifest), type: 'application/json' };
    const server = await startServer({ root: DIST, routes });

    /** The tags of the panels shown. */
    const panelTags = (page) => page.$$eval('#workspace .ws-panel', (els) => els.map((e) => e.dataset.tag));

    /** The hosted runs, ticked in the runs table, opened in the workspace, every file read. */
    async function openFromIndex(page) {
      await page.goto(`${server.url}?index=${encodeURIComponent('/ws/runs.json')}&view=index`);
      await page.locator(`.ix-row[data-run-key="${runs[0].id}"]`).waitFor();
      await waitIdle(page);
      for (const r of runs) await page.locator(`.ix-row[data-run-key="${r.id}"] input[type="checkbox"]`).check();
      await page.waitForFunction((n) => document.querySelector('#index-workspace')?.textContent === `Open workspace (${n})`, runs.length);
      await page.locator('#index-workspace').click();
      await page.locator('#workspace').waitFor();
      await waitFilesRead(page);
    }

    /** Hovers the panel of `tag` at fraction `f` of its width; returns the side list rows. */
    async function hoverPanel(page, tag, f) {
      const canvas = page.locator(`#workspace .ws-panel[data-tag="${tag}"] canvas`);
      const box = await canvas.boundingBox();
      await canvas.hover({ position: { x: Math.round(box.width * f), y: Math.round(box.height / 2) } });
      await page.waitForFunction((tag) => (document.querySelector('.ws-values h2')?.textContent ?? '').startsWith(tag), tag);
      return page.$$eval('.ws-value', (els) => els.map((e) => ({ run: e.dataset.run, key: e.dataset.key, value: e.dataset.value, step: Number(e.dataset.step) })));
    }

    // Two folders of one run id: the first run's folder and a re-run beside it (same archive,
    // another folder, so another run).
    const twinsRoot = path.join(s.tmp, 'twins');
    fs.mkdirSync(twinsRoot, { recursive: true });
    fs.cpSync(runs[0].dir, path.join(twinsRoot, runs[0].id), { recursive: true });
    fs.cpSync(runs[0].dir, path.join(twinsRoot, `${runs[0].id}-rerun`), { recursive: true });

    try {
      await t.test('dropped run folders open in the workspace: panels, crosshair values, groups, markers', () =>
        s.withPage(t, async (page) => {
          await openDroppedInWorkspace(page, server.url, root, runs.map((r) => r.id));

          // One panel per tag of the union of the runs' CPT curves.
          assert.deepEqual((await panelTags(page)).sort(), unionTags, 'panels = union of the CPT curves\' tags');
          const synthOnly = await page.locator('.ws-panel[data-tag="synthetic-only-tag"] figcaption').textContent();
          assert.match(synthOnly, /1 of 1 runs/, 'the synthetic-only tag has one run');

          // The crosshair: every run that has the tag, its value at the step it names equal to the file's.
          for (const [tag, f] of [['lm_loss', 0.5], ['learning-rate', 0.23]]) {
            const rows = await hoverPanel(page, tag, f);
            const having = runs.filter((r) => truth.get(r.id).has(tag)).map((r) => r.id).sort();
            assert.deepEqual(rows.map((r) => r.run).sort(), having, `${tag}: a row per run with the tag`);
            for (const row of rows) {
              const want = truth.get(row.run).get(tag).get(row.step);
              assert.ok(want !== undefined, `${tag} ${row.run}: step ${row.step} is not in the file`);
              assert.equal(Math.fround(Number(row.value)), want, `${tag} ${row.run} step ${row.step}: ${row.value} vs the file's ${want}`);
              assert.equal(String(Number(row.value)), row.value, 'data-value is the number as read, not rounded for display');
            }
            const values = rows.map((r) => Number(r.value));
            assert.deepEqual(values, [...values].sort((a, b) => a - b), `${tag}: sorted by value`);
            // The same x in every panel.
            assert.equal(await page.locator('#workspace .ws-panel .crosshair').count(), unionTags.length, 'a crosshair in every panel');
          }

          // Keyboard: focus a panel, arrows move the crosshair, Esc clears it.
          await page.locator('.ws-panel[data-tag="lm_loss"] .canvas-wrap').focus();
          await page.keyboard.press('ArrowRight');
          await page.locator('.ws-value').first().waitFor();
          await page.keyboard.press('Escape');
          await page.locator('.ws-panel .crosshair').first().waitFor({ state: 'detached' });
          // The list's × clears a crosshair set by keys or a tap (the pointer's own goes when it
          // leaves the panel); on a narrow screen the list covers the window's bottom.
          await page.locator('.ws-panel[data-tag="lm_loss"] .canvas-wrap').focus();
          await page.keyboard.press('ArrowRight');
          await page.locator('.ws-value').first().waitFor();
          await page.locator('.ws-values-clear').focus();
          assert.ok(await page.locator('.ws-value').count() > 0, 'the crosshair stays while its × has the focus');
          await page.keyboard.press('Enter');
          await page.locator('.ws-panel .crosshair').first().waitFor({ state: 'detached' });
          assert.equal(await page.locator('.ws-value').count(), 0, 'no values listed once the crosshair is cleared');

          // Legend: click hides a run in every panel; Alt+click shows it alone.
          const first = runs[0].id;
          await page.locator(`.ws-legend [data-run="${first}"]`).click();
          await page.waitForFunction(() => /3 of 4 runs/.test(document.querySelector('.ws-panel[data-tag="lm_loss"] figcaption').textContent));
          await page.locator(`.ws-legend [data-run="${first}"]`).click();
          await page.locator(`.ws-legend [data-run="${first}"]`).click({ modifiers: ['Alt'] });
          await page.waitForFunction(() => /1 of 4 runs/.test(document.querySelector('.ws-panel[data-tag="lm_loss"] figcaption').textContent));
          await page.locator(`.ws-legend [data-run="${first}"]`).click({ modifiers: ['Alt'] });

          // Tag filter (a regex) and one column.
          await page.locator('#ws-tags').fill('^(lm|learning)');
          await page.waitForFunction(() => document.querySelectorAll('.ws-panel').length === 2);
          assert.deepEqual((await panelTags(page)).sort(), unionTags.filter((t) => /^(lm|learning)/i.test(t)));
          await page.locator('#ws-tags').fill('');
          await page.waitForFunction((n) => document.querySelectorAll('.ws-panel').length === n, unionTags.length);

          // Checkpoint markers on the CPT panels: the archives' CPT checkpoint steps.
          const cptCheckpoints = [...new Set(runs.flatMap((r) => checkpointSteps(r.text, '/cpt/')))].sort((a, b) => a - b);
          assert.ok(cptCheckpoints.length > 0, 'fixture: the archives list CPT checkpoints');
          const marked = await page.$$eval('.ws-panel[data-tag="lm_loss"] .ws-marker[data-kind="checkpoint"]', (els) => els.map((e) => Number(e.dataset.step)));
          assert.deepEqual([...new Set(marked)].sort((a, b) => a - b), cptCheckpoints, 'checkpoint markers at the archives\' CPT checkpoint steps');
          const tip = await page.locator('.ws-panel[data-tag="lm_loss"] .ws-marker[data-kind="checkpoint"]').first().getAttribute('title');
          assert.match(tip, /checkpoint at step \d+/);

          // CPT then SFT: SFT's checkpoints are marked too (named by SFT's steps), each run's
          // after its CPT curve ends: at CPT's last lm_loss step plus the SFT step.
          const sftRuns = runs.filter((r) => r.sample === A1F3);
          const cptLast = (r) => (r === synth ? SYNTH_STEPS : Math.max(...truth.get(r.id).get('lm_loss').keys()));
          const sftSteps = [...new Set(sftRuns.flatMap((r) => checkpointSteps(r.text, '/sft/')))].sort((a, b) => a - b);
          assert.ok(sftSteps.length > 0, 'fixture: the archives list SFT checkpoints');
          const places = new Set(sftRuns.flatMap((r) => checkpointSteps(r.text, '/sft/').map((st) => cptLast(r) + st)));
          await page.locator('#ws-step').selectOption('both');
          await page.waitForFunction(() => document.querySelector('.ws-panel[data-tag="lm_loss"] .ws-marker[data-stage="sft"]'));
          const sftMarks = await page.$$eval('.ws-panel[data-tag="lm_loss"] .ws-marker[data-kind="checkpoint"]', (els) => els.map((e) => ({ stage: e.dataset.stage, step: Number(e.dataset.step), left: parseFloat(e.style.left) })));
          const sft = sftMarks.filter((m) => m.stage === 'sft');
          assert.deepEqual([...new Set(sft.map((m) => m.step))].sort((a, b) => a - b), sftSteps, 'SFT checkpoint markers at the archives\' SFT checkpoint steps');
          assert.equal(new Set(sft.map((m) => m.left)).size, places.size, 'one marker per run\'s place (CPT\'s last step + the SFT step)');
          // Where: the step axis is linear, so two CPT markers give the pixel of any step; each
          // SFT marker is at one of the places (CPT's last step + the SFT step), within a pixel.
          const [c0, c1] = sftMarks.filter((m) => m.stage === 'cpt');
          const px = (step) => c0.left + ((step - c0.step) * (c1.left - c0.left)) / (c1.step - c0.step);
          const want = [...places].map(px).sort((a, b) => a - b);
          const got = sft.map((m) => m.left).sort((a, b) => a - b);
          assert.equal(got.length, want.length);
          got.forEach((l, i) => assert.ok(Math.abs(l - want[i]) <= 1, `SFT checkpoint at ${l}px, expected ${want[i]}px (${JSON.stringify([...places])})`));
          assert.match(await page.locator('.ws-panel[data-tag="lm_loss"] .ws-marker[data-stage="sft"]').first().getAttribute('title'), /^checkpoint at SFT step \d+/);
          await page.locator('#ws-step').selectOption('cpt');
          await page.locator('.ws-marker[data-stage="sft"]').first().waitFor({ state: 'detached' });

          // Group by status: the group's line and band at the hovered step are the mean, min
          // and max of its members' values there, computed from the files.
          const statusOf = (r) => r.text.match(/^- status: (\S+)/m)[1];
          await page.locator('#ws-group').selectOption('status');
          await page.locator('.ws-legend [data-group]').first().waitFor();
          await hoverPanel(page, 'lm_loss', 0.4);
          const groups = await page.$$eval('.ws-group-value', (els) => els.map((e) => ({ ...e.dataset })));
          const statuses = [...new Set(runs.map(statusOf))].sort();
          assert.deepEqual(groups.map((g) => g.group).sort(), statuses, 'a row per group');
          for (const g of groups) {
            const step = Number(g.step);
            const vals = runs.filter((r) => statusOf(r) === g.group).map((r) => truth.get(r.id).get('lm_loss').get(step)).filter((v) => v !== undefined);
            assert.ok(vals.length > 0, `${g.group}: members with a value at step ${step}`);
            const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
            assert.equal(Number(g.n), vals.length, `${g.group}: members counted at step ${step}`);
            assert.equal(Number(g.lo), Math.min(...vals), `${g.group}: band low = the members' min at step ${step}`);
            assert.equal(Number(g.hi), Math.max(...vals), `${g.group}: band high = the members' max`);
            assert.ok(Math.abs(Number(g.value) - mean) <= 1e-12 * Math.abs(mean), `${g.group}: line ${g.value} = the members' mean ${mean}`);
          }
          await page.locator('#ws-group').selectOption('');
          await page.locator('.ws-legend [data-group]').first().waitFor({ state: 'detached' });

          // Colour by a text field: one colour per value, with the legend of the buckets.
          await page.locator('#ws-color').selectOption('status');
          await page.locator('.ws-buckets[aria-label="Colour key"] .ws-bucket').first().waitFor();
          const buckets = await page.$$eval('.ws-buckets[aria-label="Colour key"] .ws-bucket', (els) => els.map((e) => e.textContent));
          assert.deepEqual(buckets.map((b) => b.replace(/ \(\d+\)$/, '')).sort(), statuses, 'a bucket per status');

          // Zooming one panel zooms all (the zoom is the workspace's, in the link).
          await dragAcross(page, page.locator('.ws-panel[data-tag="lm_loss"] canvas'), 0.4, 0.7);
          await page.waitForFunction(() => /[?&]wzoom=/.test(location.search));
        }),
      );

      await t.test('two runs sharing a run id are two legend rows, hidden one at a time', () =>
        s.withPage(t, async (page) => {
          const id = runs[0].id;
          await page.goto(server.url);
          await waitIdle(page);
          await page.locator('input#folder-input').setInputFiles(twinsRoot);
          await page.waitForFunction((id) => document.querySelectorAll(`nav#runs [data-run-key="${id}"]`).length === 2, id);
          const keys = await page.$$eval(`nav#runs [data-run-key="${id}"]`, (els) => els.map((e) => e.dataset.runSrc));
          assert.equal(new Set(keys).size, 2, 'two runs, two keys');
          for (const k of keys) await page.locator(`nav#runs li.run-row:has([data-run-src="${k}"]) input.pick`).check();
          await page.locator('#workspace-selected').click();
          await page.locator('#workspace').waitFor();
          await waitFilesRead(page);
          const legend = await page.$$eval('.ws-legend .ws-runs [data-run]', (els) => els.map((e) => ({ run: e.dataset.run, key: e.dataset.key })));
          assert.deepEqual(legend.map((r) => r.run), [id, id], 'two legend rows of the one run id');
          assert.deepEqual(legend.map((r) => r.key).sort(), [...keys].sort(), 'each row is one run (its key)');
          const caption = () => page.locator('.ws-panel[data-tag="lm_loss"] figcaption').textContent();
          const hoverKeys = async () => (await hoverPanel(page, 'lm_loss', 0.5)).map((r) => r.key).sort();
          assert.deepEqual(await hoverKeys(), [...keys].sort(), 'a crosshair row per run');
          // Hide the first: the second is still drawn and listed; then the other way round.
          const [a, b] = legend.map((r) => r.key);
          await page.locator(`.ws-legend [data-key="${a}"]`).click();
          await page.waitForFunction(() => /\b1 of 2 runs/.test(document.querySelector('.ws-panel[data-tag="lm_loss"] figcaption').textContent));
          assert.equal(await page.locator(`.ws-legend [data-key="${a}"]`).getAttribute('aria-pressed'), 'false');
          assert.equal(await page.locator(`.ws-legend [data-key="${b}"]`).getAttribute('aria-pressed'), 'true');
          assert.deepEqual(await hoverKeys(), [b], 'only the shown run has a row');
          await page.locator(`.ws-legend [data-key="${a}"]`).click();
          await page.locator(`.ws-legend [data-key="${b}"]`).click();
          await page.waitForFunction(([a, b]) => {
            const pressed = (k) => document.querySelector(`.ws-legend [data-key="${CSS.escape(k)}"]`)?.getAttribute('aria-pressed');
            return pressed(a) === 'true' && pressed(b) === 'false';
          }, [a, b]);
          assert.match(await caption(), /\b1 of 2 runs/);
          assert.deepEqual(await hoverKeys(), [a], 'the other run hidden');
          // Alt+click shows one alone; the range table names its rows by key too.
          await page.locator(`.ws-legend [data-key="${b}"]`).click();
          await page.locator(`.ws-legend [data-key="${b}"]`).click({ modifiers: ['Alt'] });
          await page.waitForFunction(() => /\b1 of 2 runs/.test(document.querySelector('.ws-panel[data-tag="lm_loss"] figcaption').textContent));
          assert.deepEqual(await hoverKeys(), [b], 'Alt+click: that run alone');
          assert.match(await caption(), /\b1 of 2 runs/);

          // The shortcuts list (?) names the workspace's keys and gestures, and Relate's.
          await page.locator('.ws-legend h2').click();
          await page.keyboard.press('?');
          const help = page.locator('[role="dialog"]', { has: page.locator('#help-title') });
          await help.waitFor();
          const sections = await help.locator('h3').allTextContents();
          assert.ok(sections.some((h) => /^Workspace/.test(h)) && sections.some((h) => /^Relate/.test(h)), `help sections: ${sections}`);
          const helpKeys = await help.locator('kbd').allTextContents();
          for (const k of ['Alt+click', 'Shift+drag', 'Esc']) assert.ok(helpKeys.includes(k), `the list names ${k}`);
          await page.keyboard.press('Escape');
          await help.waitFor({ state: 'detached' });
        }),
      );

      await t.test('the link reopens the same workspace in a fresh browser', () =>
        s.withPage(t, async (page) => {
          await openFromIndex(page);
          assert.deepEqual((await panelTags(page)).sort(), unionTags);
          // Change the state through the page.
          await page.locator('#ws-tags').fill('loss|rate');
          await page.locator('#ws-robust').check();
          await page.locator('#ws-cols').selectOption('1');
          await page.locator('#ws-range-from').fill('200');
          await page.locator('#ws-range-from').press('Tab');
          await page.locator('#ws-range-to').fill('900');
          await page.locator('#ws-range-to').press('Tab');
          await page.waitForFunction(() => location.search.includes('wrange='));
          // The step-range table over 200..900 of the first panel's tag (lm_loss).
          await page.locator('.ws-range-table tbody tr').first().waitFor();
          const table = await page.$$eval('.ws-range-table tbody tr', (trs) =>
            trs.map((tr) => ({ run: tr.dataset.run, ...Object.fromEntries([...tr.querySelectorAll('td[data-col]')].map((td) => [td.dataset.col, td.dataset.value ?? td.textContent])) })),
          );
          assert.deepEqual(table.map((r) => r.run).sort(), runs.map((r) => r.id).sort(), 'a row per run');
          for (const row of table) {
            const pts = [...truth.get(row.run).get('lm_loss')].filter(([st]) => st >= 200 && st <= 900);
            const vals = pts.map(([, v]) => v);
            assert.equal(Math.fround(Number(row.start)), pts[0][1], `${row.run}: value at the range's start`);
            assert.equal(Math.fround(Number(row.end)), pts[pts.length - 1][1], `${row.run}: value at its end`);
            assert.equal(Math.fround(Number(row.min)), Math.min(...vals), `${row.run}: min`);
            assert.equal(Math.fround(Number(row.max)), Math.max(...vals), `${row.run}: max`);
            assert.equal(Number(row.points), vals.length, `${row.run}: points in the range`);
          }
          const link = await page.evaluate(() => location.href);
          assert.match(link, /workspace=/);
          const shown = await panelTags(page);
          const fresh = await s.browser.newContext();
          try {
            const p2 = await fresh.newPage();
            await p2.goto(link);
            await p2.locator('#workspace').waitFor({ timeout: LOAD });
            await waitFilesRead(p2);
            assert.deepEqual(await panelTags(p2), shown, 'the same panels');
            assert.equal(await p2.locator('#ws-tags').inputValue(), 'loss|rate');
            assert.equal(await p2.locator('#ws-robust').isChecked(), true);
            assert.equal(await p2.locator('#ws-cols').inputValue(), '1');
            assert.equal(await p2.locator('#ws-range-from').inputValue(), '200');
            assert.equal(await p2.locator('#ws-range-to').inputValue(), '900');
            assert.equal(await p2.locator('.ws-range-table tbody tr').count(), table.length, 'the same range table');
            assert.equal(await p2.evaluate(() => location.href), link, 'the address is kept as it was');
          } finally {
            await fresh.close();
          }
        }),
      );

      await t.test('a panel out of view is drawn when scrolled to, as the link draws it fresh', () =>
        s.withPage(t, async (page) => {
          // One panel a row in a short window: the last panels are out of view.
          await openFromIndex(page);
          await page.locator('#ws-cols').selectOption('1');
          const tags = await panelTags(page);
          const last = tags[tags.length - 1];
          const panel = (p) => p.locator(`#workspace .ws-panel[data-tag="${last}"]`);
          const pixels = (p) => p.$eval(`#workspace .ws-panel[data-tag="${last}"] canvas`, (c) => c.toDataURL());
          const below = await panel(page).evaluate((el) => el.getBoundingClientRect().top - window.innerHeight);
          assert.ok(below > 200, `the last panel (${last}) starts ${below} px below the window`);
          const before = await pixels(page);
          // Zoom every panel from the first (keyboard), then scroll to the last one: it shows
          // the zoom (its pixels change).
          await page.locator(`.ws-panel[data-tag="${tags[0]}"] .canvas-wrap`).focus();
          await page.keyboard.press('+');
          await page.waitForFunction(() => /[?&]wzoom=/.test(location.search));
          await waitIdle(page);
          await panel(page).scrollIntoViewIfNeeded();
          await page.waitForFunction(([tag, before]) => document.querySelector(`#workspace .ws-panel[data-tag="${tag}"] canvas`).toDataURL() !== before, [last, before]);
          const link = await page.evaluate(() => location.href);
          // The same link in a fresh browser, the same panel scrolled to: the same pixels.
          const fresh = await s.browser.newContext({ viewport: { width: 1400, height: 600 } });
          try {
            const p2 = await fresh.newPage();
            await p2.goto(link);
            await p2.locator('#workspace').waitFor({ timeout: LOAD });
            await waitFilesRead(p2);
            // Scrolled to (again at each check: while a run's files arrive, a panel may be
            // drawn anew).
            const want = await pixels(page);
            await p2.waitForFunction(([tag, want]) => {
              const el = document.querySelector(`#workspace .ws-panel[data-tag="${tag}"]`);
              el?.scrollIntoView({ block: 'nearest' });
              return el?.querySelector('canvas').toDataURL() === want;
            }, [last, want]);

          } finally {
            await fresh.close();
          }
        }, { viewport: { width: 1400, height: 600 } }),
      );
    } finally {
      await server.close();
      await s.close();
    }
  });
}
