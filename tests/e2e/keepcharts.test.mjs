// Links and reloads keep the charts: a shared link of a dropped run carries a reduced copy
// of its loss curves (drawn, with a note saying so), and a reload after a drop charts the
// run's curve files again from the browser's own storage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  SAMPLES, browserSession, bytesFile, dropFiles, newRunId, openDefault, sampleRun, textFile, waitIdle, waitRun, withRunId,
} from './helpers.mjs';
import { DIST } from './helpers.mjs';
import { startServer } from './server.mjs';

const LOAD_TIMEOUT = 30_000;
const A = sampleRun('20251103-0853-a1f3');
const CPT_DIR = path.join(SAMPLES, A.runId, 'tensorboard', 'cpt');
const CPT_FILE = fs.readdirSync(CPT_DIR).find((f) => f.startsWith('events.out.tfevents'));
const CPT_BYTES = fs.readFileSync(path.join(CPT_DIR, CPT_FILE));
// The cpt train step's card: its chart note reads "N points in view".
const CPT_STEP = '#step-2';

test('charts survive links and reloads', async (t) => {
  const server = await startServer({ root: DIST });
  const session = await browserSession('keep');
  const { withPage } = session;
  try {
    await t.test('a shared link of a dropped run draws its curve from the link, saying so', async () => {
      const id = newRunId(A, 'kc01');
      let link;
      await withPage(t, async (page, { context }) => {
        await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
        await openDefault(page, server.url);
        await dropFiles(page, [textFile('archive.md', withRunId(A, id)), bytesFile(CPT_FILE, CPT_BYTES)]);
        await waitRun(page, id, 'dropped run with its event file');
        await page.locator(`${CPT_STEP} p.chart-note`).filter({ hasText: 'points in view' }).waitFor({ timeout: LOAD_TIMEOUT });
        await waitIdle(page);
        await page.evaluate(() => navigator.clipboard.writeText('-'));
        await page.locator('#share-link').click();
        await page.waitForFunction(async () => (await navigator.clipboard.readText()) !== '-');
        link = await page.evaluate(() => navigator.clipboard.readText());
        assert.match(link, /#share=v1\.[A-Za-z0-9_-]+&curves=v1\.[A-Za-z0-9_-]+$/, 'the link carries the curves');
        assert.match(await page.locator('.share-note').textContent(), /reduced copy of its loss curves/);
      });
      // A fresh browser context: nothing stored, no files, only the link.
      await withPage(t, async (page) => {
        await page.goto(link);
        await waitRun(page, id, 'the shared link');
        const note = page.locator(`${CPT_STEP} .chart-reduced`);
        await note.waitFor({ timeout: LOAD_TIMEOUT });
        assert.match(await note.textContent(), new RegExp(`reduced copy.*drop ${CPT_FILE.replace(/\./g, '\\.')}`));
        await page.locator(`${CPT_STEP} p.chart-note`).filter({ hasText: 'points in view' }).waitFor({ timeout: LOAD_TIMEOUT });
        assert.equal(await page.locator(`${CPT_STEP} .curve-drop`).count(), 0, 'no bare drop target where the chart is');
      });
    });

    await t.test('a reload after a drop charts the dropped curve file again', () =>
      withPage(t, async (page) => {
        const id = newRunId(A, 'kc02');
        await openDefault(page, server.url);
        await dropFiles(page, [textFile('archive.md', withRunId(A, id)), bytesFile(CPT_FILE, CPT_BYTES)]);
        await waitRun(page, id, 'dropped run');
        const note = page.locator(`${CPT_STEP} p.chart-note`).filter({ hasText: 'points in view' });
        await note.waitFor({ timeout: LOAD_TIMEOUT });
        const before = await note.textContent();
        await waitIdle(page);
        await page.reload();
        await page.locator(`nav#runs [data-run-key="${id}"]`).waitFor({ timeout: LOAD_TIMEOUT });
        await waitIdle(page);
        await page.locator(`nav#runs [data-run-key="${id}"]`).click();
        await waitRun(page, id, 'the remembered run after a reload');
        await note.waitFor({ timeout: LOAD_TIMEOUT });
        assert.equal(await note.textContent(), before, 'the same points as before the reload');
      }));
  } finally {
    await session.close();
    await server.close();
  }
});
