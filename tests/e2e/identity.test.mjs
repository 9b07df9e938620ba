// Every archive is its own run: archives that share a run id (a copy, a re-run, an edited
// archive) are listed side by side, each marked "same run id as ...", a link opens the file
// it names, and a second drop with a known run id adds a run instead of replacing one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DIST, SAMPLES, launchBrowser, pageRunner, waitIdle } from './helpers.mjs';
import { startServer } from './server.mjs';

const LOAD_TIMEOUT = 30_000;
const SHARED_ID = '20251103-0853-a1f3';
const BASE = fs.readFileSync(path.join(SAMPLES, SHARED_ID, 'archive.md'), 'utf8');
/** The sample archive with another host: copies of one run that a reader can tell apart. */
const copyOn = (host) => BASE.replace(/^- host: .*$/m, `- host: ${host}`);

// A manifest of 7 archives: the 3 bundled samples and 4 copies of one of them (so 4 + 1
// archives share its run id), each in its own folder with its own host.
const COPIES = ['copy-a', 'copy-b', 'copy-c', 'copy-d'];
const samples = JSON.parse(fs.readFileSync(path.join(DIST, 'runs.json'), 'utf8')).runs;
const MANIFEST = {
  version: 1,
  runs: [
    // A version 1 manifest: the samples' entries without their version 3 field ids (`f`).
    ...samples.map(({ f, ...r }) => ({ ...r, archive: `../${r.archive}`, files: (r.files ?? []).map((x) => `../${x}`) })),
    ...COPIES.map((c) => ({
      archive: `${c}/archive.md`,
      experiment: 'qwen25-7b-med-cpt-sft',
      run_id: SHARED_ID,
      status: 'success',
      started_at: '2025-11-03 08:53:20',
    })),
  ],
};
const ROUTES = {
  '/ids/runs.json': { body: JSON.stringify(MANIFEST), type: 'application/json' },
  ...Object.fromEntries(COPIES.map((c) => [`/ids/${c}/archive.md`, { body: copyOn(`${c}-node`) }])),
};

test('run identity', async (t) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-ids-'));
  const server = await startServer({ root: DIST, routes: ROUTES });
  const browser = await launchBrowser(tmp);
  const withPage = pageRunner(browser, { prefix: 'failed-ids-' });
  const index = `${server.origin}/ids/runs.json`;
  try {
    await t.test('a manifest whose archives share a run id lists every archive, each marked', () =>
      withPage(t, async (page) => {
        await page.goto(`${server.url}?index=${encodeURIComponent(index)}&view=index`);
        const total = MANIFEST.runs.length;
        await page.locator('#index-count').filter({ hasText: `${total} of ${total} runs` }).waitFor({ timeout: LOAD_TIMEOUT });
        await page.goto(`${server.url}?index=${encodeURIComponent(index)}`);
        await page.locator(`nav#runs [data-run-key="${SHARED_ID}"]`).nth(COPIES.length).waitFor({ timeout: LOAD_TIMEOUT });
        const rows = await page.$$eval(`nav#runs [data-run-key="${SHARED_ID}"]`, (els) =>
          els.map((e) => ({ src: e.dataset.runSrc, same: e.querySelector('.same-id')?.textContent ?? '' })),
        );
        assert.equal(rows.length, COPIES.length + 1, 'one row per archive with the shared run id');
        assert.equal(new Set(rows.map((r) => r.src)).size, rows.length, 'each row is its own run');
        for (const r of rows) assert.match(r.same, /^same run id as /, `row ${r.src} is marked`);
      }));

    await t.test('a link opens the archive it names, also when others share its run id', () =>
      withPage(t, async (page) => {
        for (const c of ['copy-c', 'copy-a']) {
          const url = `${server.origin}/ids/${c}/archive.md`;
          await page.goto(`${server.url}?index=${encodeURIComponent(index)}&run=${encodeURIComponent(url)}`);
          await page.locator('#run-title', { hasText: SHARED_ID }).waitFor({ timeout: LOAD_TIMEOUT });
          await page.locator('.run-header', { hasText: `${c}-node` }).waitFor({ timeout: LOAD_TIMEOUT });
          await waitIdle(page);
          assert.equal(new URL(page.url()).searchParams.get('run'), url, 'the URL still names the file');
          const shown = await page.locator('.run-header').textContent();
          for (const other of COPIES.filter((x) => x !== c)) {
            assert.ok(!shown.includes(`${other}-node`), `${c}'s link shows ${other}'s archive`);
          }
          // Reloading shows the same archive again.
          await page.reload();
          await page.locator('.run-header', { hasText: `${c}-node` }).waitFor({ timeout: LOAD_TIMEOUT });
        }
      }));

    await t.test('dropping a second archive with a known run id adds a run, keeping the first', () =>
      withPage(t, async (page) => {
        await page.goto(server.url);
        await page.locator('nav#runs [data-run-key]').first().waitFor({ timeout: LOAD_TIMEOUT });
        await waitIdle(page);
        const drop = (name, text) =>
          page.evaluate(
            ({ name, text }) => {
              const dt = new DataTransfer();
              dt.items.add(new File([text], name, { type: 'text/markdown' }));
              for (const type of ['dragenter', 'dragover', 'drop']) {
                document.body.dispatchEvent(
                  new DragEvent(type, { bubbles: true, cancelable: true, composed: true, dataTransfer: dt, clientX: 400, clientY: 300 }),
                );
              }
            },
            { name, text },
          );
        const listed = () => page.locator(`nav#runs [data-run-key="${SHARED_ID}"]`);
        const before = await listed().count();
        await drop('archive.md', copyOn('dropped-first'));
        await page.locator('.run-header', { hasText: 'dropped-first' }).waitFor({ timeout: LOAD_TIMEOUT });
        await listed().nth(before).waitFor({ timeout: LOAD_TIMEOUT });
        await drop('archive.md', copyOn('dropped-second'));
        await page.locator('.run-header', { hasText: 'dropped-second' }).waitFor({ timeout: LOAD_TIMEOUT });
        await listed().nth(before + 1).waitFor({ timeout: LOAD_TIMEOUT });
        assert.equal(await listed().count(), before + 2, 'both drops listed beside the bundled run');
        // The first drop is still there, with its own content.
        const srcs = await listed().evaluateAll((els) => els.map((e) => e.dataset.runSrc));
        const first = srcs.find((s) => s.startsWith('archive.md@'));
        await page.locator(`nav#runs [data-run-src="${first}"]`).click();
        await page.locator('.run-header', { hasText: 'dropped-first' }).waitFor({ timeout: LOAD_TIMEOUT });
        // The same file dropped again is the same run: nothing is added.
        await drop('archive.md', copyOn('dropped-first'));
        await waitIdle(page);
        assert.equal(await listed().count(), before + 2);
      }));
  } finally {
    await browser.close();
    await server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
