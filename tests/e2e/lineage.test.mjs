// The lineage view and resource cards in the browser: every edge the CLI computes is drawn,
// clicking a checkpoint lands on the step that saved it, clicking a step on its card, and
// missing resource values say "not recorded".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { DIST, SAMPLES, browserSession, waitIdle, CLI } from './helpers.mjs';
import { startServer } from './server.mjs';

const GOOD = '20251103-0853-a1f3';

test('lineage and resources', async (t) => {
  assert.ok(fs.existsSync(path.join(DIST, 'index.html')), 'build the app first: trunk build --release');
  assert.ok(fs.existsSync(CLI), 'build the CLI first: cargo build --bin runlens');
  const server = await startServer({ root: DIST });
  const session = await browserSession('lineage');
  const { withPage } = session;
  try {
    const archive = path.join(SAMPLES, GOOD, 'archive.md');
    const cli = JSON.parse(execFileSync(CLI, ['lineage', archive]).toString());

    await t.test('every edge the CLI computes is drawn, and nothing else', () =>
      withPage(t, async (page) => {
        await page.goto(`${server.url}?run=samples/${GOOD}/archive.md#sec-lineage`);
        await page.locator('#sec-lineage svg.lineage g.node').first().waitFor();
        await waitIdle(page);
        const ids = await page.$$eval('#sec-lineage g.node', (gs) => gs.map((g) => g.getAttribute('data-node-id')).sort());
        assert.deepEqual(ids, cli.nodes.map((n) => n.id).sort());
        const titles = await page.$$eval('#sec-lineage path.edge title', (ts) => ts.map((x) => x.textContent).sort());
        assert.deepEqual(titles, cli.edges.map((e) => `${e.from} → ${e.to} (${e.kind})`).sort());
        // Hovering shows the full path: each path node's <title> is its path.
        const best = cli.nodes.find((n) => n.tag === 'best');
        const title = await page.locator(`#sec-lineage g.node[data-node-id="${best.id}"] > title`).textContent();
        assert.equal(title, best.path);
        assert.ok(await page.locator(`#sec-lineage g.node.tag-best[data-node-id="${best.id}"]`).count() === 1, 'best checkpoint marked');
      }));

    await t.test('clicking a checkpoint lands on the step that saved it', () =>
      withPage(t, async (page) => {
        await page.goto(`${server.url}?run=samples/${GOOD}/archive.md`);
        await page.locator('#sec-lineage g.node').first().waitFor();
        const ckpt = cli.nodes.find((n) => n.kind === 'checkpoint' && n.path.endsWith('ckpt/sft/iter_0000400'));
        const saver = cli.edges.find((e) => e.to === ckpt.id && e.kind === 'saves').from; // step:<run>:<id>
        const stepId = saver.split(':').pop();
        await page.locator(`#sec-lineage g.node[data-node-id="${ckpt.id}"]`).click();
        await page.waitForFunction((id) => location.hash === `#step-${id}`, stepId);
        await page.waitForFunction((id) => {
          const r = document.getElementById(`step-${id}`)?.getBoundingClientRect();
          return r && r.top < innerHeight && r.bottom > 0;
        }, stepId);
        // A step node opens its own card; Enter works as well as a click.
        await page.locator(`#sec-lineage g.node[data-node-id="step:${GOOD}:7"]`).focus();
        await page.keyboard.press('Enter');
        await page.waitForFunction(() => location.hash === '#step-7');
      }));

    await t.test('failed and skipped steps are shown as such', () =>
      withPage(t, async (page) => {
        await page.goto(`${server.url}?run=samples/20251112-2201-c9d4/archive.md`);
        await page.locator('#sec-lineage g.node').first().waitFor();
        assert.equal(await page.locator('#sec-lineage g.node.s-failed').count(), 1);
        assert.equal(await page.locator('#sec-lineage g.node.s-skipped').count(), 5);
      }));

    const layoutOf = (files) => JSON.parse(execFileSync(CLI, ['lineage', ...files, '--json', '--layout']).toString());
    /** Each drawn node's id and translate(x, y). */
    const drawnBoxes = (page) => page.$$eval('#sec-lineage g.node', (gs) => gs.map((g) => {
      const m = /translate\(([-\d.]+),([-\d.]+)\)/.exec(g.getAttribute('transform'));
      return { id: g.getAttribute('data-node-id'), x: Number(m[1]), y: Number(m[2]) };
    }));

    await t.test('the viewer draws the layout the CLI computes: one band, the steps on one row', () =>
      withPage(t, async (page) => {
        const j = layoutOf([archive]);
        await page.goto(`${server.url}?run=samples/${GOOD}/archive.md#sec-lineage`);
        await page.locator('#sec-lineage svg.lineage g.node').first().waitFor();
        await waitIdle(page);
        const drawn = new Map((await drawnBoxes(page)).map((b) => [b.id, b]));
        for (const n of j.layout.nodes) {
          const d = drawn.get(n.id);
          assert.ok(d, `node ${n.id} not drawn`);
          assert.deepEqual([d.x, d.y], [n.x, n.y], `node ${n.id} drawn where the CLI's layout puts it`);
        }
        assert.deepEqual(await page.$$eval('#sec-lineage g.band-g', (gs) => gs.map((g) => g.getAttribute('data-band-run'))), [GOOD]);
        const steps = j.layout.nodes.filter((n) => n.id.startsWith('step:'));
        assert.equal(new Set(steps.map((n) => n.y)).size, 1, 'every step on one row');
        assert.match(await page.locator('#sec-lineage .band-label').textContent(), new RegExp(`run ${GOOD} · success`));
        assert.equal(await page.locator('#sec-lineage .lineage-legend li').count(), 8, 'seven node kinds and the previous-run line');
      }));

    await t.test('three chained runs: a band each in previous_run_id order, every step names its run', () =>
      withPage(t, async (page) => {
        const chain = [GOOD, '20251110-1420-b7c2', '20251112-2201-c9d4'];
        const j = layoutOf(chain.map((r) => path.join(SAMPLES, r, 'archive.md')));
        await page.goto(`${server.url}?compare=${chain.join(',')}`);
        await page.locator('#nway-view table.nway').waitFor();
        await waitIdle(page);
        await page.locator('.run-item', { hasText: GOOD }).first().click();
        await page.locator('#sec-lineage svg.lineage g.node').first().waitFor();
        await page.locator('#sec-lineage label', { hasText: 'every loaded run' }).locator('input').check();
        await page.waitForFunction(() => document.querySelectorAll('#sec-lineage g.band-g').length === 3);
        await waitIdle(page);
        assert.deepEqual(await page.$$eval('#sec-lineage g.band-g', (gs) => gs.map((g) => g.getAttribute('data-band-run'))), chain);
        assert.deepEqual(j.layout.bands.map((b) => b.run_id), chain);
        const ids = await page.$$eval('#sec-lineage g.node', (gs) => gs.map((g) => g.getAttribute('data-node-id')).sort());
        assert.deepEqual(ids, j.nodes.map((n) => n.id).sort());
        const subs = await page.$$eval('#sec-lineage g.node.k-step', (gs) => gs.map((g) => [g.getAttribute('data-node-id'), g.querySelector('.n-sub').textContent]));
        assert.equal(subs.length, 21);
        for (const [id, sub] of subs) assert.ok(sub.includes(id.split(':')[1]), `${id} says "${sub}", not its run`);
        // Folding a run's band leaves one box for it, and unfolding brings its nodes back.
        const before = ids.length;
        await page.locator(`#sec-lineage g.band-g[data-band-run="${chain[1]}"] .band-head`).click();
        await page.locator(`#sec-lineage g.node.folded[data-node-id="run:${chain[1]}"]`).waitFor();
        const own = j.nodes.filter((n) => n.run_id === chain[1]).length;
        assert.equal(await page.locator('#sec-lineage g.node').count(), before - own + 1);
        await page.locator(`#sec-lineage g.band-g[data-band-run="${chain[1]}"] .band-head`).press('Enter');
        await page.waitForFunction((n) => document.querySelectorAll('#sec-lineage g.node').length === n, before);
      }));

    await t.test('focus lights up upstream and downstream and dims the rest; search finds a path to copy; fit', () =>
      withPage(t, async (page) => {
        await page.goto(`${server.url}?run=samples/${GOOD}/archive.md#sec-lineage`);
        await page.locator('#sec-lineage g.node').first().waitFor();
        await waitIdle(page);
        const best = cli.nodes.find((n) => n.tag === 'best');
        const other = cli.nodes.find((n) => n.kind === 'checkpoint' && n.path.endsWith('iter_0001000'));
        await page.locator(`#sec-lineage g.node[data-node-id="${best.id}"]`).hover();
        await page.locator('#sec-lineage svg.lineage.focusing').waitFor();
        const lit = await page.$$eval('#sec-lineage g.node.hl', (gs) => gs.map((g) => g.getAttribute('data-node-id')));
        for (const up of [`step:${GOOD}:5`, `step:${GOOD}:2`, 'data:/mnt/datapool/raw/cpt']) assert.ok(lit.includes(up), `${up} is upstream of the best checkpoint`);
        assert.ok(!lit.includes(other.id), 'a sibling checkpoint is not in its lineage');
        // The dimming fades in (a short CSS transition): wait for it to be under half.
        await page
          .waitForFunction(
            (id) => [...document.querySelectorAll('#sec-lineage g.node')].some((g) => g.getAttribute('data-node-id') === id && Number(getComputedStyle(g).opacity) < 0.5),
            other.id,
            { timeout: 5_000 },
          )
          .catch(() => assert.fail('the rest is dimmed'));
        await page.mouse.move(1, 1);
        await page.waitForFunction(() => !document.querySelector('#sec-lineage svg.lineage.focusing'));
        // The details keep the last node pointed at: its full path and a copy button.
        assert.equal(await page.locator('#sec-lineage .lineage-details .full-path').textContent(), best.path);
        await page.locator('#lineage-search').fill('iter_0000600');
        await page.locator('#sec-lineage [role="status"]').getByText('1 found').waitFor();
        await page.locator('#lineage-search').press('Enter');
        const last = cli.nodes.find((n) => n.path && n.path.endsWith('iter_0000600'));
        await page.locator(`#sec-lineage .lineage-details[data-node-id="${last.id}"]`).waitFor();
        assert.equal(await page.locator('#sec-lineage .lineage-details .full-path').textContent(), last.path);
        assert.equal(await page.locator('#sec-lineage .lineage-details button.copy').count(), 1);
        assert.ok(await page.locator(`#sec-lineage g.node.hl[data-node-id="${last.id}"]`).count() === 1, 'the match is lit');
        await page.locator('#lineage-search').fill('');
        await page.locator('#lineage-fit').click();
        await page.waitForFunction(() => {
          const svg = document.querySelector('#sec-lineage svg.lineage');
          return svg && svg.getBoundingClientRect().width <= document.querySelector('#sec-lineage .lineage-wrap').clientWidth;
        });
      }));

    await t.test('resource cards: GPU-hours, gauges against the GPU memory, not recorded when missing', () =>
      withPage(t, async (page) => {
        const text = fs.readFileSync(archive, 'utf8').replace(/- avg_vram_gb: .*\n/, '');
        await page.goto(server.url);
        await page.locator('#run-title').waitFor();
        await page.evaluate((text) => {
          const dt = new DataTransfer();
          dt.items.add(new File([text], 'no-avg-vram.md'));
          document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true }));
        }, text);
        await page.locator('#sec-resources .figure').first().waitFor();
        const res = page.locator('#sec-resources');
        const dur = Number(/- duration_sec: (\d+)/.exec(text)[1]);
        const gpus = Number(/x (\d+)\n/.exec(/- gpus: .*\n/.exec(text)[0])[1]);
        const wall = (dur * gpus / 3600);
        await res.getByText(String(Math.round(wall * 100) / 100), { exact: false }).first().waitFor();
        const peak = Number(/- peak_vram_gb: ([\d.]+)/.exec(text)[1]);
        assert.equal(Number(await res.locator('meter').first().getAttribute('value')), peak);
        assert.equal(Number(await res.locator('meter').first().getAttribute('max')), 80, 'memory read from "80GB" in the GPU name');
        const avg = res.locator('.figure', { hasText: 'average VRAM' });
        assert.match(await avg.textContent(), /not recorded/);
        assert.equal(await res.locator('.tl-row').count(), 7, 'one timeline bar per step');
      }));
  } finally {
    await session.close();
    await server.close();
  }
});
