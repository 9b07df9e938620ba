// What a user sees when the app itself fails: an error banner with a Reload button instead
// of a dead page, after a panic, after a trap that bypasses the panic hook (as an
// out-of-memory abort does), and when the wasm cannot be loaded at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DIST, browserSession, openRun } from './helpers.mjs';
import { startServer } from './server.mjs';

const GOOD = '20251103-0853-a1f3';

test('error banner', async (t) => {
  const server = await startServer({ root: DIST });
  const session = await browserSession('fatal');
  const { withPage } = session;
  const banner = (page) => page.locator('#panic-banner[role="alert"]');
  try {
    await t.test('a panic shows the banner, and Reload (by keyboard) brings the same view back', () =>
      withPage(t, async (page, { pageErrors }) => {
        await openRun(page, server.url, GOOD);
        assert.equal(await banner(page).count(), 0, 'no banner while all is well');
        const thrown = await page.evaluate(() => {
          try {
            window.wasmBindings.fault_probe('panic');
            return 'returned';
          } catch (e) {
            return String(e);
          }
        });
        assert.match(thrown, /RuntimeError/, 'the panic aborts the wasm instance');
        await banner(page).waitFor();
        assert.match(await banner(page).innerText(), /internal error[\s\S]*reload/i);
        assert.match(await banner(page).locator('pre').textContent(), /fault probe/, 'the panic message is in the details');
        const focused = await page.evaluate(() => document.activeElement?.textContent);
        assert.equal(focused, 'Reload', 'the Reload button has the focus');
        pageErrors.length = 0; // callbacks into the dead instance may throw until the reload
        await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
        await page.locator('#run-title').filter({ hasText: GOOD }).waitFor();
        assert.equal(await banner(page).count(), 0, 'the reloaded page has no banner');
        assert.match(page.url(), new RegExp(`run=samples/${GOOD}/archive\\.md`), 'the same view is reopened');
        pageErrors.length = 0;
      }));

    await t.test('a trap that bypasses the panic hook (an abort, as out-of-memory) shows the banner', () =>
      withPage(t, async (page, { pageErrors }) => {
        await openRun(page, server.url, GOOD);
        await page.evaluate(() => setTimeout(() => window.wasmBindings.fault_probe('abort')));
        await banner(page).waitFor();
        assert.match(await banner(page).locator('pre').textContent(), /unreachable/);
        assert.ok(pageErrors.some((e) => /RuntimeError/.test(e)), `the trap itself: ${pageErrors}`);
        pageErrors.length = 0;
        await Promise.all([page.waitForEvent('load'), banner(page).getByRole('button', { name: 'Reload' }).click()]);
        await page.locator('#run-title').filter({ hasText: GOOD }).waitFor();
        assert.equal(await banner(page).count(), 0);
      }));

    await t.test('a wasm file that cannot be loaded gives a message, not a blank page', () =>
      withPage(t, async (page) => {
        await page.route('**/runlens-web_bg.wasm', (r) => r.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' }));
        await page.goto(server.url);
        await banner(page).waitFor();
        assert.match(await banner(page).locator('pre').textContent(), /could not start in this browser/);
      }));
  } finally {
    await session.close();
    await server.close();
  }
});
