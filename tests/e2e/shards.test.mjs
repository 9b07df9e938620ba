// A sharded index (`runlens index --shard experiment` over generated runs) opened in the
// page: every shard's runs are listed in the runs table, a query answers across shards with
// the count the shard files give, and a shard that cannot be loaded is named (URL and why)
// while the other shards' runs stay.
//
//   RUNLENS_E2E_CLI=/path/to/runlens node --test tests/e2e/shards.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI, DIST, browserSession, distIsBuilt, manifestRunFields } from './helpers.mjs';
import { startServer } from './server.mjs';

const LOAD_TIMEOUT = 60_000;
const RUNS = 60; // 20 experiments of 3 runs: 20 shards

/** Every file below `dir`, as routes under `/sh/`. */
function routesOf(dir) {
  const routes = {};
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else routes[`/sh/${path.relative(dir, p).split(path.sep).join('/')}`] = { body: fs.readFileSync(p) };
    }
  };
  walk(dir);
  return routes;
}

/** The runs of a shard file (manifest version 3 or 2), each with its fields by name. */
const shardRuns = (text) => manifestRunFields(JSON.parse(text));

if (distIsBuilt()) {
  test('sharded index', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-e2e-shards-'));
    execFileSync(CLI, ['synth-runs', dir, '--runs', String(RUNS)]);
    execFileSync(CLI, ['index', dir, '--shard', 'experiment'], { stdio: 'pipe' });
    const top = JSON.parse(fs.readFileSync(path.join(dir, 'runs.json'), 'utf8'));
    const shards = top.shards.map((s) => ({ ...s, runs: shardRuns(fs.readFileSync(path.join(dir, s.manifest), 'utf8')) }));
    assert.equal(shards.length, 20, 'fixture: one shard per experiment');
    assert.ok(shards.every((s) => s.runs.length === s.count), 'fixture: each shard holds the count the top lists');
    const all = shards.flatMap((s) => s.runs);
    const routes = routesOf(dir);
    const server = await startServer({ root: DIST, routes });
    const session = await browserSession('shards');
    const count = (page, n, total) =>
      page.locator('#index-count').filter({ hasText: `${n.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} runs` });
    try {
      await t.test('every run of every shard is listed, with the shards counted', () =>
        session.withPage(t, async (page) => {
          await page.goto(`${server.url}?index=sh/runs.json&view=index`);
          await page.locator('.shard-status[data-shards-done="true"]').waitFor({ timeout: LOAD_TIMEOUT });
          await count(page, all.length, all.length).waitFor({ timeout: LOAD_TIMEOUT });
          assert.equal(
            (await page.locator('.shard-progress').textContent()).trim(),
            `${shards.length} of ${shards.length} shards, ${all.length} runs`,
          );
          assert.equal(await page.locator('[data-shard-failed]').count(), 0);
        }));

      await t.test('a query answers across every shard with the count the files give', () =>
        session.withPage(t, async (page) => {
          await page.goto(`${server.url}?index=sh/runs.json&view=index`);
          await page.locator('.shard-status[data-shards-done="true"]').waitFor({ timeout: LOAD_TIMEOUT });
          const want = all.filter((r) => r.fields['train.cpt.lr'] >= 2e-5 && r.fields.status === 'success');
          const experiments = new Set(want.map((r) => r.experiment));
          assert.ok(want.length > 0 && want.length < all.length && experiments.size > 1, 'fixture: the answer spans shards');
          await page.locator('#runs-query').fill('train.cpt.lr >= 2e-5 and status = success');
          await count(page, want.length, all.length).waitFor();
          // The rows in view are runs of the answer (the table shows the first rows only).
          const keys = await page.$$eval('.ix-body .ix-row', (rows) => rows.map((r) => r.dataset.runKey));
          const ids = new Set(want.map((r) => r.run_id));
          assert.ok(keys.length > 0 && keys.every((k) => ids.has(k)), `rows not in the answer: ${keys}`);
        }));

      await t.test('a shard that cannot be loaded is named with its URL and why; the rest stay', async () => {
        const [bad, cut] = [shards[3], shards[5]];
        const broken = await startServer({
          root: DIST,
          routes: {
            ...routes,
            [`/sh/${bad.manifest}`]: { status: 500, body: 'boom' },
            [`/sh/${cut.manifest}`]: { body: fs.readFileSync(path.join(dir, cut.manifest), 'utf8').slice(0, 200) },
          },
        });
        try {
          await session.withPage(t, async (page) => {
            await page.goto(`${broken.url}?index=sh/runs.json&view=index`);
            await page.locator('.shard-status[data-shards-done="true"]').waitFor({ timeout: LOAD_TIMEOUT });
            const left = all.length - bad.runs.length - cut.runs.length;
            await count(page, left, left).waitFor({ timeout: LOAD_TIMEOUT });
            const failedBad = page.locator(`.shard-failed[data-shard-failed$="/${bad.manifest}"]`);
            assert.match(await failedBad.textContent(), new RegExp(`${bad.manifest}.*500`));
            const failedCut = page.locator(`.shard-failed[data-shard-failed$="/${cut.manifest}"]`);
            assert.match(await failedCut.textContent(), /not a runs manifest/);
            assert.equal(
              (await page.locator('.shard-progress').textContent()).trim(),
              `${shards.length - 2} of ${shards.length} shards, ${left} runs`,
            );
          });
        } finally {
          await broken.close();
        }
      });
    } finally {
      await session.close();
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
