// Lighthouse (npm, version pinned in package.json) audits the built app in /usr/bin/chromium:
// the run view, the failed run, a comparison and the runs table. Goal: accessibility and
// best-practices scores >= 0.95 on each. Every category's score is printed as
// `e2e-metric lighthouse_<page>_<category> <score x 100> score`, and every audit that did not
// pass is listed when a goal is missed.
//
// The test server sends files uncompressed, so performance (not a goal here) understates
// what a static host with gzip gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { CHROMIUM, DIST, metric } from './helpers.mjs';
import { startServer } from './server.mjs';

const GOALS = { accessibility: 0.95, 'best-practices': 0.95 };
const PAGES = [
  { name: 'run', query: '?run=samples/20251103-0853-a1f3/archive.md', minElements: 1000 },
  { name: 'failed_run', query: '?run=samples/20251112-2201-c9d4/archive.md', minElements: 1000 },
  { name: 'compare', query: '?compare=20251103-0853-a1f3,20251110-1420-b7c2', minElements: 400 },
  { name: 'runs_table', query: '?view=index', minElements: 100 },
];

test('Lighthouse accessibility and best-practices scores are >= 0.95', { timeout: 5 * 60_000 }, async (t) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-lighthouse-'));
  const profile = path.join(tmp, 'profile');
  fs.mkdirSync(profile);
  const server = await startServer({ root: DIST });
  let chrome;
  try {
    chrome = await chromeLauncher.launch({
      chromePath: CHROMIUM,
      userDataDir: profile,
      chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
    });
    for (const p of PAGES) {
      await t.test(p.name, async () => {
        const { lhr } = await lighthouse(`${server.url}${p.query}`, {
          port: chrome.port,
          output: 'json',
          logLevel: process.env.LH_LOG || 'error',
          onlyCategories: ['accessibility', 'best-practices', 'performance'],
          formFactor: 'desktop',
          screenEmulation: { mobile: false, width: 1350, height: 940, deviceScaleFactor: 1, disabled: false },
          throttlingMethod: 'provided',
        });
        assert.equal(lhr.runtimeError, undefined, `Lighthouse could not audit ${p.query}: ${JSON.stringify(lhr.runtimeError)}`);
        // The audit ran on the rendered app, not on the empty page the wasm fills in.
        const elements = lhr.audits['dom-size']?.numericValue ?? 0;
        assert.ok(elements >= p.minElements, `${p.query}: only ${elements} elements were audited (the app had not rendered)`);
        for (const [id, cat] of Object.entries(lhr.categories)) metric(`lighthouse_${p.name}_${id}`, Math.round(cat.score * 100), 'score');
        metric(`lighthouse_${p.name}_elements`, elements, 'elements');
        const missed = Object.entries(GOALS).filter(([id, goal]) => !(lhr.categories[id]?.score >= goal));
        if (missed.length) {
          const failing = Object.values(lhr.audits)
            .filter((a) => a.score !== null && a.score < 1 && !['informative', 'manual', 'notApplicable'].includes(a.scoreDisplayMode))
            .map((a) => `  ${a.id} (${a.score}): ${a.title}${a.id === 'deprecations' ? ` ${JSON.stringify(a.details?.items ?? []).slice(0, 600)}` : ''}`);
          assert.fail(`${p.query}: ${missed.map(([id, goal]) => `${id} ${lhr.categories[id]?.score} < ${goal}`).join(', ')}\n${failing.join('\n')}`);
        }
      });
    }
  } finally {
    chrome?.kill();
    await server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
