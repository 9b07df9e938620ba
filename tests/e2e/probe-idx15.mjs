// scratch probe (not committed): profile listing + query on an existing sharded index dir
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, DIST } from './helpers.mjs';
import { startServer } from './server.mjs';
const dir = process.argv[2];
const top = JSON.parse(fs.readFileSync(path.join(dir, 'runs.json'), 'utf8'));
const routes = { '/ix/runs.json': { body: fs.readFileSync(path.join(dir, 'runs.json')) } };
for (const s of top.shards) routes[`/ix/${s.manifest}`] = { body: fs.readFileSync(path.join(dir, s.manifest)) };
const n = top.shards.reduce((a, s) => a + s.count, 0);
const server = await startServer({ root: DIST, routes });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
const page = await browser.newPage();
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
const prof = async (name, fn) => {
  await cdp.send('Profiler.start');
  const t = performance.now();
  await fn();
  const ms = performance.now() - t;
  const { profile } = await cdp.send('Profiler.stop');
  const self = new Map();
  const byId = new Map(profile.nodes.map((x) => [x.id, x]));
  const dt = profile.timeDeltas; const counts = new Map();
  profile.samples.forEach((id, i) => counts.set(id, (counts.get(id) || 0) + (dt[i] || 0)));
  for (const [id, us] of counts) { const f = byId.get(id).callFrame; const k = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}`; self.set(k, (self.get(k) || 0) + us); }
  console.log(`${name}: ${ms.toFixed(0)} ms`);
  for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 14)) console.log(`   ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`);
};
const fmt = (k) => k.toLocaleString('en-US');
await prof('list', async () => {
  await page.goto(`${server.url}?index=ix/runs.json&view=index`);
  await page.locator('.shard-status[data-shards-done="true"]').waitFor({ timeout: 600000 });
  await page.locator('#index-count').filter({ hasText: `${fmt(n)} of ${fmt(n)} runs` }).waitFor({ timeout: 600000 });
});
await prof('scroll', async () => {
  await page.locator('.ix-body').evaluate((el) => { el.scrollTop = el.scrollHeight / 2; });
  await page.locator(`.ix-body .ix-row[aria-rowindex="${Math.floor(n / 2) + 2}"]`).waitFor();
});
await prof('query', async () => {
  await page.locator('#runs-query').fill('status = failed and host = "gpu-node-07"');
  await page.locator('#index-count').filter({ hasNotText: `${fmt(n)} of` }).waitFor({ timeout: 60000 });
});
await browser.close(); await server.close();
