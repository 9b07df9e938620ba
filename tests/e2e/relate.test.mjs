// Relate (issue 15, items 3 and 4): the runs table's scatter, rank correlation and parallel
// coordinates. Truth comes from the manifests the page reads: a generated one of 240 runs
// (seeded, served by the test) and the bundled samples' runs.json (written by `runlens index`
// from their archives).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DIST, browserSession, manifestRunFields, seededRandom, waitIdle, waitRun } from './helpers.mjs';
import { startServer } from './server.mjs';

const LOAD_TIMEOUT = 30_000;
const N = 240;

const rng = seededRandom;

function generated() {
  const r = rng(15);
  const runs = [];
  for (let i = 0; i < N; i++) {
    const id = `rel-${String(i).padStart(3, '0')}`;
    const lr = i % 37 === 0 ? 0 : [1e-5, 2e-5, 3e-5, 5e-5][Math.floor(r() * 4)];
    const fields = {
      status: i % 7 === 0 ? 'failed' : 'success',
      host: `gpu-node-0${i % 5}`,
      'train.cpt.lr': lr,
      'train.cpt.final_loss': Math.round((1.4 + lr * 500 + r() * 0.2) * 1e5) / 1e5,
      peak_vram_gb: Math.round((60 + r() * 20) * 10) / 10,
    };
    if (i % 6 !== 0) fields['eval.mmlu'] = Math.round((0.6 + r() * 0.2 - lr * 1000) * 1e4) / 1e4;
    runs.push({
      archive: `gen/${id}/archive.md`,
      run_id: id,
      experiment: `exp-${i % 3}`,
      status: fields.status,
      started_at: `2025-11-${String(1 + (i % 28)).padStart(2, '0')} 08:00:00`,
      fields,
    });
  }
  return { version: 2, runs };
}

const GEN = generated();
const SAMPLES = manifestRunFields(JSON.parse(fs.readFileSync(path.join(DIST, 'runs.json'), 'utf8')));
const GEN_URL = '/relate/runs.json';

/** The runs of `m` holding a number in both fields: [run id, x, y], sorted. */
const both = (runs, x, y) =>
  runs
    .filter((r) => typeof r.fields?.[x] === 'number' && typeof r.fields?.[y] === 'number')
    .map((r) => [r.run_id, r.fields[x], r.fields[y]])
    .sort((a, b) => a[0].localeCompare(b[0]));

/** Spearman's rho by the textbook (average ranks for ties). */
function spearman(xs, ys) {
  const rank = (v) => v.map((a) => v.filter((b) => b < a).length + (v.filter((b) => b === a).length + 1) / 2);
  const [rx, ry] = [rank(xs), rank(ys)];
  const mean = (v) => v.reduce((s, a) => s + a, 0) / v.length;
  const [mx, my] = [mean(rx), mean(ry)];
  let [c, vx, vy] = [0, 0, 0];
  rx.forEach((a, i) => {
    c += (a - mx) * (ry[i] - my);
    vx += (a - mx) ** 2;
    vy += (ry[i] - my) ** 2;
  });
  return c / Math.sqrt(vx * vy);
}

/** A scale attribute (`lo,hi,p0,p1,log`) as a value -> pixel function. */
function scaleOf(attr) {
  const [lo, hi, p0, p1, log] = attr.split(',');
  const t = (v) => (log === 'true' ? Math.log10(v) : v);
  const [a, b] = [t(Number(lo)), t(Number(hi))];
  const px = (v) => Number(p0) + ((t(v) - a) / (b - a)) * (Number(p1) - Number(p0));
  px.value = (p) => {
    const tv = a + ((p - Number(p0)) / (Number(p1) - Number(p0))) * (b - a);
    return log === 'true' ? 10 ** tv : tv;
  };
  return px;
}

/** Every row of the points table, page by page: [run, x, y, ticked]. */
async function readPoints(page) {
  const details = page.locator('#scatter-points');
  if (!(await details.evaluate((d) => d.open))) await details.locator('summary').click();
  await page.locator('#scatter-points table').waitFor();
  const out = [];
  for (;;) {
    const rows = await page.$$eval('#scatter-points tbody tr', (trs) =>
      trs.map((t) => [t.dataset.run, Number(t.dataset.x), Number(t.dataset.y), t.dataset.ticked === 'true']),
    );
    out.push(...rows);
    const next = page.locator('#scatter-points button', { hasText: 'Next' });
    if ((await next.count()) === 0 || (await next.isDisabled())) break;
    const first = rows[0][0];
    await next.click();
    await page.waitForFunction((f) => document.querySelector('#scatter-points tbody tr')?.dataset.run !== f, first);
  }
  return out;
}

const count = (page, n, total) => page.locator('#index-count').filter({ hasText: `${n} of ${total} runs` });
const compareCount = (page, n) => page.locator('#index-compare').filter({ hasText: `Compare selected (${n})` });

test('relate: scatter, rank correlation, parallel coordinates', async (t) => {
  const server = await startServer({ root: DIST, routes: { [GEN_URL]: { body: JSON.stringify(GEN), type: 'application/json' } } });
  const session = await browserSession('relate');
  const gen = (params) => `${server.url}?index=${encodeURIComponent(GEN_URL)}&view=index&${params}`;
  try {
    await t.test('the points are the runs holding both fields, with their values; log x leaves out x <= 0 and says so', () =>
      session.withPage(t, async (page) => {
        const [x, y] = ['train.cpt.lr', 'eval.mmlu'];
        await page.goto(gen(`plot=scatter&x=${x}&y=${y}`));
        await count(page, N, N).waitFor({ timeout: LOAD_TIMEOUT });
        const want = both(GEN.runs, x, y);
        await page.locator(`#scatter[data-count="${want.length}"]`).waitFor();
        const got = (await readPoints(page)).map((p) => p.slice(0, 3)).sort((a, b) => a[0].localeCompare(b[0]));
        assert.deepEqual(got, want);
        await page.locator('#scatter-logx').check();
        const positive = want.filter((p) => p[1] > 0);
        await page.locator(`#scatter[data-count="${positive.length}"]`).waitFor();
        assert.equal(await page.locator('#scatter').getAttribute('data-skipped-x'), String(want.length - positive.length));
        assert.match(await page.locator('#scatter-note').textContent(), new RegExp(`${want.length - positive.length} with ${x} ≤ 0 left off log x`));
        assert.equal(new URL(page.url()).searchParams.get('logx'), '1');
      }));

    await t.test('every numeric field is ranked against y by Spearman rho, strongest first', () =>
      session.withPage(t, async (page) => {
        await page.goto(gen('plot=scatter&x=train.cpt.lr&y=eval.mmlu'));
        await page.locator('#rank-corr tbody tr').first().waitFor({ timeout: LOAD_TIMEOUT });
        const rows = await page.$$eval('#rank-corr tbody tr', (trs) => trs.map((t) => [t.dataset.field, t.dataset.rho, Number(t.dataset.n)]));
        const fields = ['train.cpt.lr', 'train.cpt.final_loss', 'peak_vram_gb'];
        for (const f of fields) {
          const pairs = both(GEN.runs, f, 'eval.mmlu');
          const want = spearman(pairs.map((p) => p[1]), pairs.map((p) => p[2]));
          const row = rows.find((r) => r[0] === f);
          assert.ok(row, `${f} is ranked`);
          assert.equal(row[2], pairs.length, `${f}: n`);
          assert.ok(Math.abs(Number(row[1]) - want) < 1e-9, `${f}: rho ${row[1]} vs ${want}`);
        }
        const abs = rows.filter((r) => r[1] !== '').map((r) => Math.abs(Number(r[1])));
        assert.deepEqual(abs, [...abs].sort((a, b) => b - a), 'sorted by |rho|');
        assert.ok(!rows.some((r) => r[0] === 'eval.mmlu'), 'y is not ranked against itself');
      }));

    await t.test('a box drawn on the scatter ticks exactly the runs inside; Esc unticks them', () =>
      session.withPage(t, async (page) => {
        const [x, y] = ['train.cpt.final_loss', 'eval.mmlu'];
        await page.goto(gen(`plot=scatter&x=${x}&y=${y}`));
        const want = both(GEN.runs, x, y);
        const plot = page.locator(`#scatter[data-count="${want.length}"]`);
        await plot.waitFor({ timeout: LOAD_TIMEOUT });
        await waitIdle(page);
        const sx = scaleOf(await plot.getAttribute('data-x-scale'));
        const sy = scaleOf(await plot.getAttribute('data-y-scale'));
        const pts = want.map(([id, a, b]) => ({ id, px: sx(a), py: sy(b) }));
        // A box over the middle of the plot, its edges nudged off any point.
        const edge = (v, along) => {
          while (pts.some((p) => Math.abs(p[along] - v) < 1.5)) v += 0.7;
          return v;
        };
        const xs = pts.map((p) => p.px).sort((a, b) => a - b);
        const ys = pts.map((p) => p.py).sort((a, b) => a - b);
        const box = {
          x0: edge(xs[Math.floor(xs.length * 0.3)] + 0.3, 'px'),
          x1: edge(xs[Math.floor(xs.length * 0.75)] + 0.3, 'px'),
          y0: edge(ys[Math.floor(ys.length * 0.2)] + 0.3, 'py'),
          y1: edge(ys[Math.floor(ys.length * 0.8)] + 0.3, 'py'),
        };
        const inside = pts.filter((p) => p.px >= box.x0 && p.px <= box.x1 && p.py >= box.y0 && p.py <= box.y1).map((p) => p.id).sort();
        assert.ok(inside.length > 5 && inside.length < want.length, `fixture: the box holds some runs (${inside.length})`);
        const bb = await plot.boundingBox();
        await page.mouse.move(bb.x + box.x0, bb.y + box.y1);
        await page.mouse.down();
        await page.mouse.move(bb.x + (box.x0 + box.x1) / 2, bb.y + (box.y0 + box.y1) / 2, { steps: 4 });
        await page.mouse.move(bb.x + box.x1, bb.y + box.y0, { steps: 4 });
        await page.mouse.up();
        await compareCount(page, inside.length).waitFor();
        const ticked = (await readPoints(page)).filter((p) => p[3]).map((p) => p[0]).sort();
        assert.deepEqual(ticked, inside);
        await plot.focus();
        await page.keyboard.press('Escape');
        await compareCount(page, 0).waitFor();
      }));

    await t.test('a brush on a parallel axis narrows the table to the runs inside it; removing it restores them', () =>
      session.withPage(t, async (page) => {
        await page.goto(gen('plot=parallel&ax=train.cpt.lr&ax=eval.mmlu&ax=peak_vram_gb'));
        const lines = GEN.runs.filter((r) => ['train.cpt.lr', 'eval.mmlu', 'peak_vram_gb'].every((f) => typeof r.fields[f] === 'number'));
        await page.locator(`#parallel[data-count="${lines.length}"]`).waitFor({ timeout: LOAD_TIMEOUT });
        const axis = page.locator('.pc-axis[data-field="eval.mmlu"]');
        const s = scaleOf(await axis.getAttribute('data-scale'));
        const ax = Number(await axis.getAttribute('data-x'));
        const bb = await page.locator('#parallel').boundingBox();
        const [v0, v1] = [0.63, 0.7];
        await page.mouse.move(bb.x + ax, bb.y + s(v1));
        await page.mouse.down();
        await page.mouse.move(bb.x + ax, bb.y + (s(v0) + s(v1)) / 2, { steps: 3 });
        await page.mouse.move(bb.x + ax, bb.y + s(v0), { steps: 3 });
        await page.mouse.up();
        await page.waitForFunction(() => new URL(location.href).searchParams.has('brush'));
        const [field, lo, hi] = new URL(page.url()).searchParams.get('brush').split(':');
        assert.equal(field, 'eval.mmlu');
        // The brush covers the drag (its ends rounded outwards to 3 digits).
        assert.ok(Number(lo) <= v0 + 0.002 && Number(hi) >= v1 - 0.002 && Number(lo) > v0 - 0.01 && Number(hi) < v1 + 0.01, `${lo}..${hi}`);
        const inside = GEN.runs.filter((r) => typeof r.fields['eval.mmlu'] === 'number' && r.fields['eval.mmlu'] >= Number(lo) && r.fields['eval.mmlu'] <= Number(hi));
        await count(page, inside.length, N).waitFor();
        const chip = page.locator('#brush-chips .brush-chip[data-field="eval.mmlu"]');
        assert.equal(await chip.getAttribute('data-lo'), lo);
        const shown = await page.$$eval('.ix-body .ix-row', (rows) => rows.map((r) => r.dataset.runKey));
        const ids = new Set(inside.map((r) => r.run_id));
        assert.ok(shown.length > 0 && shown.every((id) => ids.has(id)), 'every row shown is inside the brush');
        assert.equal(await page.locator('#parallel').getAttribute('data-inside'), String(lines.filter((r) => ids.has(r.run_id)).length));
        // Esc on the focused axis clears its brush; so does the chip's ×.
        await axis.focus();
        await page.keyboard.press('Escape');
        await count(page, N, N).waitFor();
        await page.goto(gen(`plot=parallel&ax=eval.mmlu&brush=eval.mmlu:${lo}:${hi}`));
        await count(page, inside.length, N).waitFor({ timeout: LOAD_TIMEOUT });
        await chip.locator('button').click();
        await count(page, N, N).waitFor();
        assert.equal(new URL(page.url()).searchParams.get('brush'), null);
      }));

    await t.test('the link reopens the same scatter: axes, log, colour and its legend', () =>
      session.withPage(t, async (page, { context }) => {
        await page.goto(gen('plot=scatter'));
        await page.locator('#scatter-x').waitFor({ timeout: LOAD_TIMEOUT });
        await page.locator('#scatter-x').selectOption('peak_vram_gb');
        await page.locator('#scatter-y').selectOption('train.cpt.final_loss');
        await page.locator('#scatter-logy').check();
        await page.locator('#scatter-color').selectOption('host');
        const want = both(GEN.runs, 'peak_vram_gb', 'train.cpt.final_loss');
        await page.locator(`#scatter[data-count="${want.length}"]`).waitFor();
        await page.locator('#scatter-legend').waitFor();
        const read = (p) =>
          Promise.all([
            p.locator('#scatter-x').inputValue(),
            p.locator('#scatter-y').inputValue(),
            p.locator('#scatter-color').inputValue(),
            p.locator('#scatter-logy').isChecked(),
            p.locator('#scatter').getAttribute('data-count'),
            p.$$eval('#scatter-legend .legend-item', (els) => els.map((e) => [e.dataset.label, Number(e.dataset.count)])),
          ]);
        const before = await read(page);
        const hosts = {};
        for (const r of GEN.runs.filter((r) => want.some((w) => w[0] === r.run_id))) hosts[r.fields.host] = (hosts[r.fields.host] ?? 0) + 1;
        assert.deepEqual(Object.fromEntries(before[5]), hosts, 'legend: each host with its count of points');
        const link = page.url();
        assert.match(link, /plot=scatter/);
        const again = await context.newPage();
        await again.goto(link);
        await again.locator(`#scatter[data-count="${want.length}"]`).waitFor({ timeout: LOAD_TIMEOUT });
        await again.locator('#scatter-legend').waitFor();
        assert.deepEqual(await read(again), before);
        await again.close();
      }));

    await t.test('a link naming the parallel plot but no axes opens it with axes, not empty', () =>
      session.withPage(t, async (page) => {
        await page.goto(`${server.url}?view=index&plot=parallel`);
        await page.locator('#parallel').waitFor({ timeout: LOAD_TIMEOUT });
        await page.waitForFunction(() => document.querySelectorAll('.pc-chip').length >= 2);
        // The link is not rewritten by the defaults, and the runs holding every axis are drawn.
        assert.equal(new URL(page.url()).searchParams.getAll('ax').length, 0);
        const drawn = Number(await page.locator('#parallel').getAttribute('data-count'));
        assert.ok(drawn > 0 && drawn <= SAMPLES.length, `${drawn} lines drawn`);
      }));
    await t.test('on the bundled runs: hover names a run, a click opens it, the arrow keys step through points', () =>
      session.withPage(t, async (page) => {
        const [x, y] = ['peak_vram_gb', 'train.cpt.final_loss'];
        const want = both(SAMPLES, x, y);
        assert.ok(want.length >= 2, 'fixture: the samples hold both fields');
        await page.goto(`${server.url}?view=index&plot=scatter&x=${x}&y=${y}`);
        const plot = page.locator(`#scatter[data-count="${want.length}"]`);
        await plot.waitFor({ timeout: LOAD_TIMEOUT });
        await waitIdle(page);
        const sx = scaleOf(await plot.getAttribute('data-x-scale'));
        const sy = scaleOf(await plot.getAttribute('data-y-scale'));
        await plot.focus();
        await page.keyboard.press('ArrowRight');
        const leftmost = [...want].sort((a, b) => a[1] - b[1])[0];
        await page.locator(`#scatter-tip[data-run="${leftmost[0]}"]`).waitFor();
        const [id, a, b] = want[want.length - 1];
        const bb = await plot.boundingBox();
        await page.mouse.move(bb.x + sx(a), bb.y + sy(b));
        const tip = page.locator(`#scatter-tip[data-run="${id}"]`);
        await tip.waitFor();
        assert.match(await tip.textContent(), new RegExp(`${x}\\s*${a}`));
        await page.mouse.down();
        await page.mouse.up();
        await waitRun(page, id, 'a click on its point');
        assert.equal(new URL(page.url()).searchParams.get('view'), null);
      }));
  } finally {
    await session.close();
    await server.close();
  }
});
