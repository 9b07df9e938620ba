// The runs table shows what the manifest carries: a loss sparkline for every run that has
// one, every eval metric (a count, the full list on hover and in the copied row), and one
// sortable final-loss column per stage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DIST, browserSession, waitIdle } from './helpers.mjs';
import { startServer } from './server.mjs';

const LOAD_TIMEOUT = 30_000;
const MANIFEST = JSON.parse(fs.readFileSync(path.join(DIST, 'runs.json'), 'utf8')).runs;

test('runs table', async (t) => {
  const server = await startServer({ root: DIST });
  const session = await browserSession('runs-table');
  try {
    await t.test('every run with a sparkline in the manifest draws it, loaded or not', () =>
      session.withPage(t, async (page) => {
        await page.goto(`${server.url}?view=index`);
        const total = MANIFEST.length;
        await page.locator('#index-count').filter({ hasText: `${total} of ${total} runs` }).waitFor({ timeout: LOAD_TIMEOUT });
        await waitIdle(page);
        for (const r of MANIFEST.filter((x) => x.sparkline)) {
          const row = page.locator(`.ix-body .ix-row[data-run-key="${r.run_id}"]`);
          const points = await row.locator('svg.spark polyline').getAttribute('points');
          // 48 buckets of a low and a high point.
          assert.equal(points.trim().split(/\s+/).length, 96, `${r.run_id}'s sparkline`);
        }
      }));

    await t.test('every eval metric is in the cell, its tooltip and the copied row', () =>
      session.withPage(t, async (page, { context }) => {
        await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
        await page.goto(`${server.url}?view=index`);
        for (const r of MANIFEST.filter((x) => x.eval && Object.keys(x.eval).length > 3)) {
          const cell = page.locator(`.ix-body .ix-row[data-run-key="${r.run_id}"] [data-col="eval"]`);
          await cell.waitFor({ timeout: LOAD_TIMEOUT });
          const names = Object.keys(r.eval);
          assert.equal(await cell.getAttribute('data-count'), String(names.length));
          const title = await cell.getAttribute('title');
          const text = await cell.textContent();
          for (const k of names) {
            assert.ok(title.includes(`${k}: ${r.eval[k]}`), `tooltip lacks ${k}`);
            assert.ok(text.includes(k), `cell lacks ${k}`);
          }
          await page.locator(`.ix-body .ix-row[data-run-key="${r.run_id}"] button.copy`).click();
          const copied = await page.evaluate(() => navigator.clipboard.readText());
          for (const k of names) assert.ok(copied.includes(k), `copied row lacks ${k}: ${copied}`);
        }
      }));

    await t.test('one final-loss column per stage, each sortable, runs without the stage last', () =>
      session.withPage(t, async (page) => {
        await page.goto(`${server.url}?view=index`);
        const stages = [...new Set(MANIFEST.flatMap((r) => Object.keys(r.final_losses ?? {})))].sort();
        assert.deepEqual(stages, ['cpt', 'sft'], 'fixture: the samples have CPT and SFT stages');
        for (const stage of stages) {
          const header = page.locator(`.ix-head [data-col="loss_${stage}"] button`);
          await header.waitFor({ timeout: LOAD_TIMEOUT });
          assert.equal((await header.textContent()).trim(), `${stage.toUpperCase()} loss`);
          for (const dir of ['asc', 'desc']) {
            if (dir === 'asc') await header.click();
            else await page.locator(`.ix-head [data-col="loss_${stage}"] button`).click();
            await page.waitForFunction((d) => new URL(location.href).searchParams.get('sort')?.endsWith(d), dir);
            const shown = await page.$$eval(`.ix-body .ix-row [data-col="loss_${stage}"]`, (els) =>
              els.map((e) => (e.getAttribute('title') === '' ? null : Number(e.getAttribute('title')))),
            );
            const want = MANIFEST.map((r) => r.final_losses?.[stage] ?? null);
            const nums = want.filter((x) => x !== null).sort((a, b) => (dir === 'asc' ? a - b : b - a));
            assert.deepEqual(shown, [...nums, ...want.filter((x) => x === null)], `${stage} ${dir}`);
          }
        }
      }));
    await t.test('a query narrows the table, a bad one says where and keeps the rows, the link keeps it', () =>
      session.withPage(t, async (page) => {
        await page.goto(`${server.url}?view=index`);
        const total = MANIFEST.length;
        const count = (n) => page.locator('#index-count').filter({ hasText: `${n} of ${total} runs` });
        await count(total).waitFor({ timeout: LOAD_TIMEOUT });
        const failed = MANIFEST.filter((r) => r.status === 'failed').map((r) => r.run_id);
        assert.ok(failed.length > 0 && failed.length < total, 'fixture: some runs failed, some did not');
        const box = page.locator('#runs-query');
        await box.fill('status = failed');
        await count(failed.length).waitFor();
        const shown = () => page.$$eval('.ix-body .ix-row', (rows) => rows.map((r) => r.dataset.runKey));
        assert.deepEqual((await shown()).sort(), [...failed].sort());
        // A typo: the error names the position and the nearest field; the rows stay.
        await box.fill('stauts = failed');
        const err = page.locator('#query-error');
        await err.waitFor();
        assert.equal(await err.getAttribute('data-position'), '0');
        assert.match(await err.textContent(), /status/);
        assert.deepEqual((await shown()).sort(), [...failed].sort(), 'the last good result is kept');
        // Numbers compare by value; the query is in the link.
        const sft = MANIFEST.filter((r) => r.final_losses?.sft !== undefined && r.final_losses.sft < 0.9).map((r) => r.run_id);
        await box.fill('train.sft.final_loss < 9e-1');
        await count(sft.length).waitFor();
        await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'train.sft.final_loss < 9e-1');
        await page.reload();
        await count(sft.length).waitFor({ timeout: LOAD_TIMEOUT });
        assert.deepEqual((await shown()).sort(), [...sft].sort());
        assert.equal(await page.locator('#runs-query').inputValue(), 'train.sft.final_loss < 9e-1');
      }));
  } finally {
    await session.close();
    await server.close();
  }
});
