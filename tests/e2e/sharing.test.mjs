// Browser end-to-end tests for sharing and hosting: a folder of archives indexed by the CLI and
// served under a sub-path, deep links and back/forward, share links that carry the archive in
// the URL fragment (and the report when that is too long), damaged share links, remembered
// drops, and the virtualised runs table over a 10,000-run manifest.
//
// Run from the project root after `trunk build --release` and `cargo build` (the CLI's
// `runlens index` writes the hosting's manifest):
//   node --test tests/e2e/sharing.test.mjs
//   RUNLENS_E2E_DIST=/tmp/e2e-dist node --test tests/e2e/sharing.test.mjs   # another build
//   RUNLENS_E2E_CLI=/path/to/runlens ...                                     # another CLI
//
// Same conventions as app.test.mjs, charts.test.mjs and compare.test.mjs: headless
// /usr/bin/chromium through playwright-core, files served by ./server.mjs, a fresh browser
// context per test (a second fresh context where a test needs "another browser"), a test fails
// on any uncaught page error, no fixed sleeps (every wait is on something the page shows).
// Expected values come from the fixtures: the sample archives (static/samples/), the curve
// oracles (tests/fixtures/oracle/), the manifest `runlens index` writes, and the generated data
// of each test (a seeded generator, so a failure can be reproduced).
//
// Performance numbers are printed as `e2e-metric <name> <value> <unit>`, never asserted.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { startServer } from './server.mjs';
import {
  DIST,
  ROOT,
  browserSession,
  distIsBuilt,
  download,
  dropFiles,
  grouped,
  listedKeys,
  metric,
  newRunId,
  nextFrame,
  openDefault,
  readOracle,
  sampleRun,
  sharePayload,
  textFile,
  waitIdle,
  waitListed,
  waitLoadError,
  waitRun,
  withRunId,
  CLI,
  esc,
  norm,
  sectionText,
  field,
  seededRandom,
} from './helpers.mjs';

const LOAD_TIMEOUT = 30_000; // app start, one archive or manifest load
const SETTLED_TIMEOUT = 10_000; // content expected right after an action
const TEST_TIMEOUT = 60_000;


const SHARE_PREFIX = 'share=v1.';
const MAX_LINK_CHARS = 100_000; // the documented limit of a share link

// ---------------------------------------------------------------------------------------------
// Fixtures

/** HTML-escaped text, as a report must carry it. */
const escHtml = (s) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');


const A1F3 = sampleRun('20251103-0853-a1f3'); // success; CPT curve is a TensorBoard file (step 2)
const B7C2 = sampleRun('20251110-1420-b7c2'); // success
const C9D4 = sampleRun('20251112-2201-c9d4'); // failed
const BUNDLED = [A1F3, B7C2, C9D4];

const rng = seededRandom;
const randomBytes = (rand, n) => Buffer.from(Array.from({ length: n }, () => Math.floor(rand() * 256)));

// ---------------------------------------------------------------------------------------------
// The 10,000-run manifest (generated, seeded): archive paths that do not exist, except one.

const BIG_N = 10_000;
const EXPERIMENTS = [
  'qwen25-7b-med-cpt-sft',
  'llama3-8b-code-sft',
  'mistral-7b-chat-dpo',
  'qwen25-14b-math-cpt',
  'deepseek-moe-16b-base',
  'gemma2-9b-legal-sft',
];
const SEARCH_EXPERIMENT = 'mistral-7b-chat-dpo';
const GPUS = ['NVIDIA H800 80GB x 32', 'NVIDIA A100 80GB x 8', 'NVIDIA H100 80GB x 16'];
// Status words as archives write them; the status filter "failed" means every failure word.
const STATUSES = [
  ['success', 0.55],
  ['failed', 0.17],
  ['error', 0.03],
  ['crashed', 0.02],
  ['running', 0.13],
  ['skipped', 0.1],
];
const FAILURE_WORDS = new Set(['failed', 'error', 'crashed']);
const FROM_DAY = '2025-04-01';
const TO_DAY = '2025-05-15';
const SPARK_BYTES = 96; // 48 buckets, min and max
// The one run of the big manifest whose archive exists (opened from the table).
const BIG_OPEN_ID = newRunId(C9D4, 'b1g0');
const BIG_OPEN_PATH = `/big/${BIG_OPEN_ID}/archive.md`;

const pad = (n, w = 2) => String(n).padStart(w, '0');

function bigManifest() {
  const rand = rng(20251201);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const pickStatus = () => {
    let x = rand();
    for (const [s, p] of STATUSES) if ((x -= p) < 0) return s;
    return STATUSES[0][0];
  };
  // Distinct start minutes and distinct sort-key losses: every order the table shows is unique.
  const perm = (n) => {
    const a = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  };
  const minutes = perm(BIG_N);
  const losses = perm(BIG_N);
  const t0 = Date.UTC(2025, 0, 1, 0, 0, 0);
  const runs = [];
  for (let i = 0; i < BIG_N; i++) {
    const d = new Date(t0 + minutes[i] * 37 * 60_000 + Math.floor(rand() * 30) * 1000);
    const started = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    const runId = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}-${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}-${i.toString(16).padStart(4, '0')}`;
    const experiment = pick(EXPERIMENTS);
    // The last stage's loss is the run's final loss: unique per run; an SFT loss is below any CPT loss.
    const key = Number((0.5 + (losses[i] / BIG_N) * 0.7).toFixed(5));
    const withSft = rand() < 0.6;
    const final_losses = withSft
      ? { cpt: Number((1.3 + rand() * 1.2).toFixed(5)), sft: key }
      : { cpt: Number((1.3 + key).toFixed(5)) };
    const run = {
      archive: `runs/${experiment}/${runId}/archive.md`,
      files: rand() < 0.5 ? [`runs/${experiment}/${runId}/logs/train.log`] : [],
      experiment,
      run_id: runId,
      status: pickStatus(),
      started_at: started,
      duration_sec: Math.floor(600 + rand() * 90_000),
      gpus: pick(GPUS),
      final_losses,
      completeness: Math.floor(60 + rand() * 41),
      sparkline: randomBytes(rand, SPARK_BYTES).toString('base64url'),
    };
    if (rand() < 0.7) run.eval = { gsm8k: Number(rand().toFixed(4)), mmlu: Number(rand().toFixed(4)) };
    runs.push(run);
  }
  // One entry points at an archive that is served: it is C9D4 under a new id, with its fields.
  const open = runs[4321];
  Object.assign(open, {
    archive: BIG_OPEN_PATH.slice(1),
    files: [],
    experiment: C9D4.experiment,
    run_id: BIG_OPEN_ID,
    status: C9D4.status,
    started_at: field(sectionText(C9D4.text, 'Summary'), 'started_at'),
  });
  return { version: 1, runs };
}

/** The final loss the table sorts by: the last stage's (sft after cpt). */
const finalLoss = (r) => r.final_losses.sft ?? r.final_losses.cpt;

// ---------------------------------------------------------------------------------------------

if (distIsBuilt()) {
  describe('sharing and hosting', { timeout: 10 * 60_000 }, () => {
    let session;
    let server; // dist at /, plus /big.json and one archive it names
    let tmp;
    let withPage;
    let big;

    before(async () => {
      big = bigManifest();
      server = await startServer({
        root: DIST,
        routes: {
          '/big.json': { body: JSON.stringify(big) },
          [BIG_OPEN_PATH]: { body: withRunId(C9D4, BIG_OPEN_ID) },
        },
      });
      session = await browserSession('sharing', { defaultTimeout: LOAD_TIMEOUT });
      ({ tmp, withPage } = session);
    });

    after(async () => {
      await session?.close();
      await server?.close();
    });

    /**
     * Click `sel` as a user would, failing at once (naming what is in the way) when another
     * element covers its centre.
     */
    async function clickUncovered(page, sel, what) {
      await assertUncovered(page, sel, what);
      await page.locator(sel).click({ timeout: SETTLED_TIMEOUT });
    }

    /** Fail (naming what is in the way) when another element covers the centre of `sel`. */
    async function assertUncovered(page, sel, what) {
      const loc = page.locator(sel);
      await loc.waitFor({ timeout: SETTLED_TIMEOUT });
      await loc.scrollIntoViewIfNeeded();
      const cover = await loc.evaluate((el) => {
        const r = el.getBoundingClientRect();
        const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        if (at && (at === el || el.contains(at))) return null;
        const box = (e) => {
          const b = e.getBoundingClientRect();
          return `(${Math.round(b.left)},${Math.round(b.top)} ${Math.round(b.width)}x${Math.round(b.height)})`;
        };
        return `${at ? `${at.outerHTML.slice(0, 120)} ${box(at)}` : 'nothing'}; ${el.id ? `#${el.id}` : el.localName} is at ${box(el)}`;
      });
      if (cover) assert.fail(`${what}: ${sel} cannot be clicked, another element covers it: ${cover}`);
    }

    /** Clipboard text of the page (the context must have clipboard permissions). */
    const readClipboard = (page) => page.evaluate(() => navigator.clipboard.readText());

    /** Wait until the clipboard no longer holds `old`; returns what it holds then. */
    async function waitClipboardChange(page, old, what) {
      try {
        await page.waitForFunction(async (old) => (await navigator.clipboard.readText()) !== old, old, { timeout: SETTLED_TIMEOUT });
      } catch {
        assert.fail(`${what}: nothing was copied (the clipboard still holds ${JSON.stringify(old)})`);
      }
      return readClipboard(page);
    }

    // 1. -----------------------------------------------------------------------------------------
    it('hosts a folder of archives indexed by `runlens index`, served under /ml/runs/', { timeout: TEST_TIMEOUT }, async (t) => {
      assert.ok(fs.existsSync(CLI), `${CLI} is missing: build it with \`cargo build\` (its \`index\` writes the manifest)`);
      // The app's files only (no bundled manifest or samples), and the data next to it.
      const site = path.join(tmp, 'site');
      fs.cpSync(DIST, site, {
        recursive: true,
        filter: (src) => !['runs.json', 'big-runs.json', 'samples'].includes(path.relative(DIST, src)),
      });
      const data = path.join(site, 'data');
      const derivedId = newRunId(A1F3, 'h0st');
      const layout = [
        [A1F3, path.join(data, '2025-11', A1F3.runId)],
        [C9D4, path.join(data, '2025-11', C9D4.runId)],
        [A1F3, path.join(data, '2025-12', derivedId)],
      ];
      for (const [run, dir] of layout) fs.cpSync(run.dir, dir, { recursive: true });
      fs.writeFileSync(path.join(data, '2025-12', derivedId, 'archive.md'), withRunId(A1F3, derivedId));
      try {
        execFileSync(CLI, ['index', data], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (err) {
        assert.fail(`\`${path.relative(ROOT, CLI)} index ${data}\` failed: ${String(err.stderr || err.message).trim()}`);
      }
      const manifest = JSON.parse(fs.readFileSync(path.join(data, 'runs.json'), 'utf8'));
      const ids = [A1F3.runId, C9D4.runId, derivedId];
      assert.deepEqual(manifest.runs.map((r) => r.run_id).sort(), [...ids].sort(), 'run ids in the manifest `runlens index` wrote');
      const derived = manifest.runs.find((r) => r.run_id === derivedId);
      assert.equal(derived.archive, `2025-12/${derivedId}/archive.md`, 'archive path of the derived run (relative to the manifest)');
      const cptEvents = derived.files.find((f) => /\/tensorboard\/cpt\/events\.out\.tfevents\./.test(f));
      assert.ok(cptEvents, `the manifest lists no CPT event file for ${derivedId}: ${JSON.stringify(derived.files)}`);
      const points = readOracle(A1F3.runId, 'cpt').byTag.get('lm_loss').length;

      const sub = await startServer({ root: site, basePath: '/ml/runs/' });
      try {
        await withPage(t, async (page) => {
          await page.goto(`${sub.url}?index=data/runs.json`);
          await waitListed(page, ids, 'runs list of the hosting');
          await page.locator('#run-title').waitFor({ timeout: LOAD_TIMEOUT });
          await waitIdle(page);
          assert.deepEqual((await listedKeys(page)).sort(), [...ids].sort(), 'the runs list holds exactly the hosting\'s runs');

          await page.locator(`nav#runs [data-run-key="${derivedId}"]`).click();
          await waitRun(page, derivedId, 'opening the derived run');
          assert.ok(norm(await page.locator('#run-title').textContent()).includes(A1F3.experiment), 'experiment in the title');
          // Its CPT train step charts the curve from the hosting (the event file the manifest lists).
          const note = '#step-2 .step-chart .loss-chart .chart-note';
          await page
            .waitForFunction(
              ({ note, n }) => {
                const m = (document.querySelector(note)?.textContent ?? '').match(/^\s*([\d,]+) points in view/);
                return m && Number(m[1].replace(/,/g, '')) === n;
              },
              { note, n: points },
              { timeout: LOAD_TIMEOUT },
            )
            .catch(async () => {
              const text = await page.evaluate(() => document.querySelector('#step-2 .curve')?.textContent?.replace(/\s+/g, ' ').trim().slice(0, 400) ?? null);
              assert.fail(`#step-2 should chart ${points} points (lm_loss of the CPT oracle); its curve area reads ${JSON.stringify(text)}`);
            });
          const curvePath = `/ml/runs/data/${cptEvents}`;
          assert.ok(
            sub.requests.some((r) => r.path.split('?')[0] === curvePath && r.status === 200),
            `the curve was not fetched from ${curvePath}`,
          );

          // The address of the open run reopens it (run= under the sub-path, index= kept).
          const url = new URL(page.url());
          assert.equal(url.pathname, '/ml/runs/', 'path of the app');
          assert.ok((url.searchParams.get('run') ?? '').endsWith(`${derivedId}/archive.md`), `URL names the run: ${page.url()}`);
          await page.reload();
          await waitRun(page, derivedId, `reloading ${url}`);

          const bad = sub.requests.filter((r) => r.path !== '/favicon.ico' && (r.status >= 400 || !r.path.startsWith('/ml/runs/')));
          assert.deepEqual(bad, [], 'requests outside /ml/runs/ or failing');
        });
      } finally {
        await sub.close();
      }
    });

    // 2. -----------------------------------------------------------------------------------------
    it('deep links and history: back/forward between runs, #step-2 anchor, back from a comparison', { timeout: TEST_TIMEOUT }, async (t) => {
      const urlOf = (run) => `samples/${run.runId}/archive.md`;
      const runParam = (page) => new URL(page.url()).searchParams.get('run');
      await withPage(t, async (page, { context, pageErrors }) => {
        // #step-2 in the address: scrolled into view after load (and not in view without it).
        const inView = (sel) => {
          const el = document.querySelector(sel);
          if (!el) return false;
          const r = el.getBoundingClientRect();
          return r.top < innerHeight && r.bottom > 0 && r.top >= -1;
        };
        await page.goto(`${server.url}?run=${urlOf(B7C2)}`);
        await waitRun(page, B7C2.runId, 'control: no anchor');
        assert.equal(await page.evaluate(inView, '#step-2'), false, 'fixture: #step-2 should be below the fold without an anchor');
        const deep = await context.newPage();
        deep.on('pageerror', (e) => pageErrors.push(String(e?.stack || e)));
        try {
          await deep.goto(`${server.url}?run=${urlOf(B7C2)}#step-2`);
          await waitRun(deep, B7C2.runId, `?run=${urlOf(B7C2)}#step-2`);
          await deep.waitForFunction(inView, '#step-2', { timeout: SETTLED_TIMEOUT }).catch(async () => {
            const r = await deep.evaluate(() => {
              const b = document.querySelector('#step-2')?.getBoundingClientRect();
              return b ? { top: b.top, bottom: b.bottom, innerHeight } : null;
            });
            assert.fail(`#step-2 is not in the viewport after loading with #step-2: ${JSON.stringify(r)}`);
          });
        } finally {
          await deep.close();
        }

        // Run A, then B from the runs list: back shows A, forward B (the URL follows).
        await page.goto(`${server.url}?run=${urlOf(A1F3)}`);
        await waitListed(page, BUNDLED.map((r) => r.runId));
        await waitRun(page, A1F3.runId, `?run=${urlOf(A1F3)}`);
        await page.locator(`nav#runs [data-run-key="${B7C2.runId}"]`).click();
        await waitRun(page, B7C2.runId, 'after clicking B in the runs list');
        assert.equal(runParam(page), urlOf(B7C2), 'URL after opening B');
        await page.goBack();
        await waitRun(page, A1F3.runId, 'back after opening B', SETTLED_TIMEOUT);
        assert.equal(runParam(page), urlOf(A1F3), 'URL after back');
        await page.goForward();
        await waitRun(page, B7C2.runId, 'forward again', SETTLED_TIMEOUT);
        assert.equal(runParam(page), urlOf(B7C2), 'URL after forward');

        // ?compare=A,B opened by address, then a run from the list: back is the comparison, and
        // back again the run view before it.
        await page.goto(`${server.url}?compare=${A1F3.runId},${B7C2.runId}`);
        await page.locator('#compare-view #compare-title').waitFor({ timeout: LOAD_TIMEOUT });
        await waitIdle(page);
        await page.locator(`nav#runs [data-run-key="${C9D4.runId}"]`).click();
        await waitRun(page, C9D4.runId, 'a run opened from a comparison');
        await page.goBack();
        await page.locator('#compare-view #compare-title').waitFor({ timeout: SETTLED_TIMEOUT }).catch(() => {
          assert.fail(`back to ?compare= does not show the comparison (URL ${page.url()})`);
        });
        await page.goBack();
        await waitRun(page, B7C2.runId, 'back from the comparison opened by address', SETTLED_TIMEOUT);
        assert.equal(await page.locator('#compare-view').count(), 0, 'the comparison is still on screen');

        // Compare A and B from the runs list while B is open, then back: run view B again.
        await page.goto(`${server.url}?run=${urlOf(A1F3)}`);
        await waitListed(page, BUNDLED.map((r) => r.runId));
        await waitRun(page, A1F3.runId, `?run=${urlOf(A1F3)} again`);
        await page.locator(`nav#runs [data-run-key="${B7C2.runId}"]`).click();
        await waitRun(page, B7C2.runId, 'B opened from the runs list');
        for (const r of [A1F3, B7C2]) await page.locator(`nav#runs input.pick[aria-label="Select ${r.runId} for comparison"]`).check();
        await page.locator('#compare-selected').click();
        await page.locator('#compare-view #compare-title').waitFor({ timeout: LOAD_TIMEOUT });
        await page.waitForURL(/[?&]compare=/, { timeout: SETTLED_TIMEOUT });
        await page.goBack();
        await page.locator('#compare-view').waitFor({ state: 'detached', timeout: SETTLED_TIMEOUT }).catch(async () => {
          assert.fail(`back from the comparison left the comparison on screen (URL ${page.url()})`);
        });
        await waitRun(page, B7C2.runId, 'back from a comparison started in run B (Compare selected)', SETTLED_TIMEOUT);
        assert.equal(runParam(page), urlOf(B7C2), 'URL after back from the comparison');
      });
    });

    // 3. -----------------------------------------------------------------------------------------
    it('share link of a dropped run carries the archive in the fragment and opens in a fresh browser', { timeout: TEST_TIMEOUT }, async (t) => {
      const id = newRunId(A1F3, 'sh4r');
      const text = withRunId(A1F3, id);
      const seen = server.requests.length;
      const sentinel = `nothing copied yet ${process.pid}`;
      let link;
      await withPage(t, async (page, { context }) => {
        await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
        await openDefault(page, server.url);
        await dropFiles(page, [textFile('archive.md', text)]);
        await waitRun(page, id, 'dropped archive');
        await page.evaluate((s) => navigator.clipboard.writeText(s), sentinel);

        await clickUncovered(page, '#share-link', 'Copy link of a dropped run');
        link = await waitClipboardChange(page, sentinel, 'Copy link of a dropped run');
        const note = page.locator('.share-note');
        await note.waitFor({ timeout: SETTLED_TIMEOUT });
        assert.match(norm(await note.textContent()), /^Link copied \(/, 'share note');
        assert.equal(await note.evaluate((e) => e.classList.contains('warn')), false, 'share note is a warning');

        const m = link.match(new RegExp(`^${esc(server.url)}\\?open=${esc(id)}#${esc(SHARE_PREFIX)}([A-Za-z0-9_-]+)$`));
        assert.ok(m, `copied link ${JSON.stringify(link.slice(0, 200))} is not <page>?open=${id}#${SHARE_PREFIX}<base64url>`);
        let inflated;
        try {
          inflated = zlib.inflateRawSync(Buffer.from(m[1], 'base64url')).toString('utf8');
        } catch (err) {
          assert.fail(`the link's payload is not base64url(deflate(archive)): ${err.message}`);
        }
        assert.ok(inflated === text, 'the link carries the archive text exactly');
        assert.ok(link.length <= MAX_LINK_CHARS, `link of ${link.length} chars`);
        assert.equal(await page.evaluate(() => location.hash), `#${SHARE_PREFIX}${m[1]}`, 'location.hash after Copy link');
      });

      // Another browser (fresh context: nothing stored) opens the link.
      await withPage(t, async (page, { context }) => {
        await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
        await page.goto(link);
        await waitRun(page, id, 'the share link in a fresh browser');
        const title = norm(await page.locator('#run-title').textContent());
        assert.ok(title.includes(A1F3.experiment) && title.toLowerCase().includes(A1F3.status), `title ${JSON.stringify(title)}`);

        // A hosted run's link is its address.
        await page.locator(`nav#runs [data-run-key="${B7C2.runId}"]`).click();
        await waitRun(page, B7C2.runId, 'hosted run');
        await page.evaluate((s) => navigator.clipboard.writeText(s), sentinel);
        await clickUncovered(page, '#share-link', 'Copy link of a hosted run');
        const hosted = await waitClipboardChange(page, sentinel, 'Copy link of a hosted run');
        assert.equal(hosted, page.url(), 'the copied link of a hosted run is location.href');

        const leaked = server.requests.slice(seen).filter((r) => r.path.includes('share=') || r.path.includes(SHARE_PREFIX));
        assert.deepEqual(leaked, [], 'the share fragment reached the server');
        assert.ok(
          server.requests.slice(seen).some((r) => r.path.startsWith(`/?open=${id}`)),
          'the fresh browser\'s page request was not seen (the request log is not working)',
        );

        // With the "Link copied" note shown, the header's buttons can still be clicked.
        for (const sel of ['#share-link', '#download-report']) {
          await assertUncovered(page, sel, `${sel} with the note ${JSON.stringify(norm(await page.locator('.share-note').textContent()))} shown`);
        }
        const report = await download(
          page,
          () => clickUncovered(page, '#download-report', 'Report (.html) with the "Link copied" note shown'),
          'the download',
          SETTLED_TIMEOUT,
        );
        assert.equal(report.name, `${B7C2.runId}.html`, 'report file name');
      });
    });

    // 4. -----------------------------------------------------------------------------------------
    it('an archive too big for a link: a warning instead of a copy, and the HTML report downloads', { timeout: TEST_TIMEOUT }, async (t) => {
      const id = newRunId(B7C2, 'b1gg');
      const rand = rng(4242);
      const noise = randomBytes(rand, 760 * 1024).toString('base64').match(/.{1,76}/g);
      const marker = '<b>not bold</b> & "quoted" \'single\'';
      const text = `${withRunId(B7C2, id).trimEnd()}\n\n## Notes\n${marker}\n${noise.join('\n')}\n`;
      const linkChars = SHARE_PREFIX.length + sharePayload(text).length;
      assert.ok(linkChars > MAX_LINK_CHARS, `fixture: the archive's fragment is only ${linkChars} chars`);
      await withPage(t, async (page, { context }) => {
        await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
        await openDefault(page, server.url);
        await page.locator('#paste-open').click();
        // As a paste does: the whole text at once (typing 1 MB through fill() takes minutes).
        await page.locator('textarea#paste-text').evaluate((el, t) => {
          el.value = t;
          el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
        }, text);
        await page.locator('#paste-submit').click();
        await waitRun(page, id, 'pasted big archive');

        const downloadReport = async (what) => {
          const d = await download(page, () => clickUncovered(page, '#download-report', what), 'the download', SETTLED_TIMEOUT);
          assert.equal(d.name, `${id}.html`, 'report file name');
          return fs.readFileSync(d.file, 'utf8');
        };
        const html = await downloadReport('Report (.html)');
        assert.ok(html.includes(id), 'the report lacks the run id');
        assert.ok(!/<script/i.test(html), 'the report holds a <script>');
        assert.ok(html.includes(escHtml(marker)) && !html.includes(marker), 'the Notes marker is not HTML-escaped in the report');
        assert.ok(html.includes(escHtml(text.trim())), 'the report does not hold the whole archive text (escaped)');

        const sentinel = `nothing copied ${process.pid}`;
        await page.evaluate((s) => navigator.clipboard.writeText(s), sentinel);
        const hashBefore = await page.evaluate(() => location.hash);
        await clickUncovered(page, '#share-link', 'Copy link of a big archive');
        const warn = page.locator('.share-note.warn');
        await warn.waitFor({ timeout: SETTLED_TIMEOUT }).catch(async () => {
          assert.fail(`no .share-note.warn after Copy link; notes: ${JSON.stringify(await page.locator('.share-note').allTextContents())}`);
        });
        assert.match(norm(await warn.textContent()), /report/i, 'the warning should point to the report');
        await nextFrame(page);
        assert.equal(await readClipboard(page), sentinel, 'something was copied although the link is too long');
        assert.equal(await page.evaluate(() => location.hash), hashBefore, 'location.hash changed although nothing was shared');

        // The warning says to download the report: its button works with the warning shown.
        const again = await downloadReport('Report (.html) with the too-long warning shown');
        assert.equal(again, html, 'the second report differs from the first');
      });
    });

    // 5. -----------------------------------------------------------------------------------------
    it('damaged share links show an error naming the shared link, and the app keeps working', { timeout: TEST_TIMEOUT }, async (t) => {
      const id = newRunId(C9D4, 'fr4g');
      const good = sharePayload(withRunId(C9D4, id));
      const cut = good.slice(0, Math.floor(good.length * 0.6));
      assert.throws(() => zlib.inflateRawSync(Buffer.from(cut, 'base64url')), 'fixture: the cut payload should not inflate');
      let seed = 7;
      let noise;
      for (;; seed++) {
        noise = randomBytes(rng(seed), 300);
        try {
          zlib.inflateRawSync(noise);
        } catch {
          break; // random bytes that are not a deflate stream
        }
      }
      const cases = [
        ['not base64url', `${SHARE_PREFIX}@@@`],
        ['cut off', `${SHARE_PREFIX}${cut}`],
        [`random bytes (seed ${seed})`, `${SHARE_PREFIX}${noise.toString('base64url')}`],
      ];
      await withPage(t, async (page) => {
        // Control: the whole payload opens the run (so the errors below are about the damage).
        await page.goto(`${server.url}#${SHARE_PREFIX}${good}`);
        await waitRun(page, id, 'an intact link made outside the app');
        for (const [what, frag] of cases) {
          await page.goto('about:blank');
          await page.goto(`${server.url}#${frag}`);
          await waitLoadError(page, ['shared link'], `${what} (#${frag.slice(0, 40)}…)`);
          await waitListed(page, BUNDLED.map((r) => r.runId), `runs list after a ${what} link`);
          await waitIdle(page);
          assert.ok(!(await listedKeys(page)).includes(id), `${what}: the run ${id} was opened from a damaged link`);
          const title = norm(await page.locator('#run-title').textContent().catch(() => ''));
          const target = BUNDLED.find((r) => !title.includes(r.runId));
          await page.locator(`nav#runs [data-run-key="${target.runId}"]`).click();
          await waitRun(page, target.runId, `opening a bundled run after a ${what} link`);
        }
      });
    });

    // 6. -----------------------------------------------------------------------------------------
    it('dropped archives are remembered across a reload, and forgotten on request', { timeout: TEST_TIMEOUT }, async (t) => {
      const id = newRunId(B7C2, 'r3m1');
      const text = withRunId(B7C2, id);
      const recent = (page) => page.evaluate(() => localStorage.getItem('runlens.recent'));
      await withPage(t, async (page) => {
        await openDefault(page, server.url);
        assert.equal(await page.locator('p.remembered').count(), 0, 'p.remembered shown before anything was dropped');
        await dropFiles(page, [textFile('archive.md', text)]);
        await waitRun(page, id, 'dropped archive');
        const stored = JSON.parse((await recent(page)) ?? 'null');
        assert.ok(Array.isArray(stored), `localStorage runlens.recent is not a JSON list: ${JSON.stringify(stored)?.slice(0, 200)}`);
        assert.ok(stored.some((e) => JSON.stringify(e).includes(id)), 'runlens.recent does not hold the dropped archive');

        await page.reload();
        await waitListed(page, [...BUNDLED.map((r) => r.runId), id], 'runs list after a reload');
        await waitRun(page, id, 'the remembered run after a reload (URL ?open=)');
        const note = page.locator('nav#runs p.remembered');
        await note.waitFor({ timeout: SETTLED_TIMEOUT });
        assert.match(norm(await note.textContent()), /^1 dropped or pasted archive/, 'p.remembered');

        await page.locator('#forget-recent').click();
        await page.waitForFunction(() => localStorage.getItem('runlens.recent') === null, null, { timeout: SETTLED_TIMEOUT }).catch(async () => {
          assert.fail(`runlens.recent still stored after "Forget them": ${String(await recent(page)).slice(0, 120)}`);
        });
        // The note should go at once (checked after the reload, so the reload is checked too).
        const noteGone = await note
          .waitFor({ state: 'detached', timeout: 3_000 })
          .then(() => null)
          .catch(async () => norm(await note.textContent().catch(() => '')));
        await page.reload();
        await waitListed(page, BUNDLED.map((r) => r.runId), 'runs list after forgetting and reloading');
        await waitIdle(page);
        assert.ok(!(await listedKeys(page)).includes(id), `${id} is still listed after "Forget them" and a reload`);
        assert.equal(await page.locator('p.remembered').count(), 0, 'p.remembered still shown after forgetting and reloading');
        assert.equal(noteGone, null, 'after "Forget them" (storage cleared) the note still says what is remembered, until a reload');
      });
    });

    // 7. -----------------------------------------------------------------------------------------
    it('runs table over a 10,000-run manifest: virtualised, filtered, searched, sorted, scrolled', { timeout: TEST_TIMEOUT }, async (t) => {
      const runs = big.runs;
      const total = `${grouped(runs.length)} of ${grouped(runs.length)} runs`;
      const failed = runs.filter((r) => FAILURE_WORDS.has(r.status)).length;
      const needle = SEARCH_EXPERIMENT.toLowerCase();
      const searched = runs.filter((r) => [r.run_id, r.experiment, r.gpus].some((v) => v.toLowerCase().includes(needle))).length;
      const dated = runs.filter((r) => r.started_at.slice(0, 10) >= FROM_DAY && r.started_at.slice(0, 10) <= TO_DAY).length;
      const byLoss = [...runs].sort((a, b) => finalLoss(a) - finalLoss(b));
      const newest = [...runs].sort((a, b) => (a.started_at < b.started_at ? 1 : -1))[0];
      assert.ok(failed > 0 && searched > 0 && dated > 0 && searched < runs.length, 'fixture: every filter should keep some runs');
      assert.ok(finalLoss(byLoss[0]) < finalLoss(byLoss[1]) && finalLoss(byLoss.at(-2)) < finalLoss(byLoss.at(-1)), 'fixture: losses unique');
      const seen = server.requests.length;

      await withPage(t, async (page) => {
        // Navigation -> the full count shown (+ a frame), timed in the page from its time origin.
        await page.addInitScript((want) => {
          const obs = new MutationObserver(() => {
            const el = document.getElementById('index-count');
            if (el && el.textContent.startsWith(want) && !window.__e2eIndex) {
              window.__e2eIndex = { seen: performance.now() };
              obs.disconnect();
              requestAnimationFrame(() => { window.__e2eIndex.painted = performance.now(); });
            }
          });
          obs.observe(document, { childList: true, subtree: true, characterData: true });
        }, total);
        await page.goto(`${server.url}?index=big.json&view=index`);
        const count = page.locator('#index-count');
        const countIs = async (text, what) => {
          await page
            .waitForFunction((t) => (document.getElementById('index-count')?.textContent ?? '').trim().startsWith(t), text, { timeout: SETTLED_TIMEOUT })
            .catch(async () => assert.fail(`${what}: #index-count should read "${text}"; it reads ${JSON.stringify(norm(await count.textContent().catch(() => null)))}`));
        };
        await page.waitForFunction(() => window.__e2eIndex?.painted !== undefined, null, { timeout: LOAD_TIMEOUT }).catch(async () => {
          assert.fail(`#index-count never read "${total}"; it reads ${JSON.stringify(norm(await count.textContent().catch(() => null)))}`);
        });
        await waitIdle(page);
        const loadMs = await page.evaluate(() => window.__e2eIndex.painted);
        const sinceManifest = await page.locator('#runs-index').getAttribute('data-ms-since-manifest');
        assert.ok(sinceManifest !== null && Number.isFinite(Number(sinceManifest)), `data-ms-since-manifest is ${JSON.stringify(sinceManifest)}`);
        metric('index_10k_ms_since_manifest', Number(sinceManifest), 'ms');
        metric('index_10k_page_load_ms', loadMs, 'ms');
        assert.match(norm(await page.locator('#open-index').textContent()), new RegExp(`^All runs \\((${runs.length}|${esc(grouped(runs.length))})\\)$`), '#open-index');

        // Virtualised: only the rows in view exist; the newest run first (default: started, descending).
        const rows = page.locator('.ix-body .ix-row[data-run-key]');
        const rowCount = async () => page.locator('.ix-body .ix-row').count();
        let n = await rowCount();
        assert.ok(n >= 10 && n <= 60, `${n} .ix-row elements in .ix-body (expected 10..60 of ${runs.length})`);
        assert.equal(await rows.first().getAttribute('data-run-key'), newest.run_id, 'first row (newest start)');
        const sparkPoints = await rows.first().locator('svg.spark polyline').getAttribute('points');
        assert.equal(sparkPoints?.trim().split(/\s+/).length, SPARK_BYTES, 'sparkline points of the first row');

        // Status filter, timed in the page: set the filter -> #index-count changes.
        const filterMs = await page.evaluate(async (value) => {
          const sel = document.querySelector('select[aria-label="Status filter"]');
          const el = document.getElementById('index-count');
          const before = el.textContent;
          return new Promise((resolve, reject) => {
            const bound = setTimeout(() => reject(new Error(`#index-count did not change after the status filter (${before})`)), 10_000);
            const obs = new MutationObserver(() => {
              if (el.textContent !== before) {
                obs.disconnect();
                clearTimeout(bound);
                resolve(performance.now() - t0);
              }
            });
            obs.observe(el, { childList: true, subtree: true, characterData: true });
            const t0 = performance.now();
            sel.value = value;
            sel.dispatchEvent(new Event('change', { bubbles: true }));
          });
        }, 'failed');
        metric('index_10k_filter_ms', filterMs, 'ms');
        await countIs(`${grouped(failed)} of ${grouped(runs.length)} runs`, 'status "failed"');
        const badges = await page.$$eval('.ix-body .ix-row .status-badge', (els) => els.map((e) => e.className));
        assert.ok(badges.length > 0 && badges.every((c) => c.includes('status-failed')), `rows under "failed": ${JSON.stringify([...new Set(badges)])}`);
        await page.locator('select[aria-label="Status filter"]').selectOption('');
        await countIs(total, 'status "any" again');

        // The search box filters the table (run id, experiment, GPUs).
        await page.locator('#run-search').fill(SEARCH_EXPERIMENT);
        await countIs(`${grouped(searched)} of ${grouped(runs.length)} runs`, `search "${SEARCH_EXPERIMENT}"`);
        const exps = await page.$$eval('.ix-body .ix-row[data-run-key] > .ix-cell:nth-child(2)', (els) => els.map((e) => e.textContent.trim()));
        assert.ok(exps.length > 0 && exps.every((e) => e === SEARCH_EXPERIMENT), `experiments under the search: ${JSON.stringify([...new Set(exps)])}`);
        await page.locator('#run-search').fill('');
        await countIs(total, 'search cleared');

        // Dates: started on or after / on or before (whole days).
        await page.locator('input[type="date"][aria-label="Started on or after"]').fill(FROM_DAY);
        await page.locator('input[type="date"][aria-label="Started on or before"]').fill(TO_DAY);
        await countIs(`${grouped(dated)} of ${grouped(runs.length)} runs`, `started ${FROM_DAY} .. ${TO_DAY}`);
        await page.locator('input[type="date"][aria-label="Started on or after"]').fill('');
        await page.locator('input[type="date"][aria-label="Started on or before"]').fill('');
        await countIs(total, 'dates cleared');

        // Sort by SFT loss (one loss column per stage), ascending: the smallest first; runs
        // without an SFT step last, in the manifest's order.
        const lossHead = page.locator('.ix-head [role="columnheader"]', { has: page.locator('button', { hasText: 'SFT loss' }) });
        await lossHead.locator('button').click();
        await page
          .waitForFunction(() => {
            const h = [...document.querySelectorAll('.ix-head [role="columnheader"]')].find((e) => e.textContent.includes('SFT loss'));
            return h?.getAttribute('aria-sort') === 'ascending';
          }, null, { timeout: SETTLED_TIMEOUT })
          .catch(async () => assert.fail(`"SFT loss" header aria-sort is ${await lossHead.getAttribute('aria-sort')}, expected ascending`));
        await page.waitForFunction((id) => document.querySelector('.ix-body .ix-row[data-run-key]')?.dataset.runKey === id, byLoss[0].run_id, { timeout: SETTLED_TIMEOUT }).catch(async () => {
          assert.fail(`first row after sorting by final loss is ${await rows.first().getAttribute('data-run-key')}, expected ${byLoss[0].run_id} (final loss ${finalLoss(byLoss[0])})`);
        });
        const lossCell = norm(await rows.first().locator('> .ix-cell[data-col="loss_sft"]').getAttribute('title'));
        assert.ok(lossCell.includes(String(finalLoss(byLoss[0]))), `first row's loss cell "${lossCell}" lacks ${finalLoss(byLoss[0])}`);

        // Scroll to the bottom: the last row (the manifest's last run without SFT) is there,
        // still few rows exist.
        const last = runs.filter((r) => r.final_losses.sft === undefined).at(-1);
        await page.evaluate(() => {
          const b = document.querySelector('.ix-body');
          b.scrollTop = b.scrollHeight;
        });
        await page
          .waitForFunction((id) => {
            const body = document.querySelector('.ix-body');
            const row = body?.querySelector(`.ix-row[data-run-key="${CSS.escape(id)}"]`);
            if (!row) return false;
            const r = row.getBoundingClientRect();
            const b = body.getBoundingClientRect();
            return r.top >= b.top - 1 && r.bottom <= b.bottom + 1;
          }, last.run_id, { timeout: SETTLED_TIMEOUT })
          .catch(async () => {
            const keys = await rows.evaluateAll((els) => els.map((e) => `${e.getAttribute('aria-rowindex')}:${e.dataset.runKey}`));
            assert.fail(`after scrolling to the bottom the last row ${last.run_id} is not in view; rows: ${JSON.stringify(keys.slice(0, 5))}…${JSON.stringify(keys.slice(-3))}`);
          });
        assert.equal(await page.locator(`.ix-body .ix-row[data-run-key="${last.run_id}"]`).getAttribute('aria-rowindex'), String(runs.length + 1), 'aria-rowindex of the last row');
        n = await rowCount();
        assert.ok(n <= 60, `${n} .ix-row elements after scrolling`);

        // No archive was fetched for the table; a row's run id opens it (fetched then).
        assert.deepEqual(server.requests.slice(seen).filter((r) => /\/archive\.md/.test(r.path)), [], 'archives fetched before any was opened');
        await page.locator('#run-search').fill(BIG_OPEN_ID);
        await countIs(`1 of ${grouped(runs.length)} runs`, `search ${BIG_OPEN_ID}`);
        await page.locator(`.ix-body .ix-row[data-run-key="${BIG_OPEN_ID}"] button`, { hasText: BIG_OPEN_ID }).click();
        await waitRun(page, BIG_OPEN_ID, 'a run opened from the table');
        assert.ok(
          server.requests.slice(seen).some((r) => r.path.split('?')[0] === BIG_OPEN_PATH && r.status === 200),
          `${BIG_OPEN_PATH} was not fetched`,
        );
      });
    });
  });
}
