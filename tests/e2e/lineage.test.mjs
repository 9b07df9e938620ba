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
