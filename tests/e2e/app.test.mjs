// Browser end-to-end tests for the runlens web app.
//
// Run from the project root after `trunk build --release`:
//   (cd tests/e2e && npm ci)      # once: installs playwright-core (no browser download)
//   node --test tests/e2e/
//
// Drives Debian's /usr/bin/chromium (override with RUNLENS_E2E_CHROMIUM) headless through
// playwright-core against dist/ served by ./server.mjs on 127.0.0.1. Screenshots go to
// tests/e2e/out/ (also one per failed test). Performance numbers are printed as lines
// `e2e-metric <name> <value> <unit>` (the TAP reporter prefixes them with `# `).
//
// No fixed sleeps: every wait is on something the page shows (auto-waiting locators,
// waitForFunction on the DOM, `<html data-busy>`); timeouts below only bound a failure.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { startServer, CORS_BLOCKED_PATH } from './server.mjs';
// RUNLENS_E2E_DIST points the tests at another build of the app (default: the project's dist/);
// RUNLENS_E2E_CLI at another `runlens` binary for the performance probe's `synth`.
import {
  BUNDLED_IDS,
  CLI,
  DIST,
  OUT,
  ROOT,
  SAMPLES,
  browserSession,
  distIsBuilt,
  drag,
  dropFiles,
  esc,
  expandAll,
  field,
  goodAndFailed,
  listedKeys,
  metric,
  newRunId,
  sampleRun,
  sectionText,
  stepBlocks,
  textFile,
  waitIdle,
  waitRun,
  watchDialogs,
  watchFrames,
  withRunId,
} from './helpers.mjs';

// Bounds on how long a failing wait may take before it is reported (not delays).
const LOAD_TIMEOUT = 30_000; // app start (wasm download + compile) or one archive load
const SETTLED_TIMEOUT = 10_000; // content expected right after a load has finished
const TEST_TIMEOUT = 120_000;

// ---------------------------------------------------------------------------------------------
// The sample archives, and the values a user should find in the page for each.

/** The value of `| name | version |` in the Dependencies table. */
function dependency(text, name) {
  const m = sectionText(text, 'Dependencies').match(new RegExp(`^\\| ${esc(name)} \\| ([^|]*?) \\|`, 'm'));
  return m ? m[1].trim() : undefined;
}

/** A sample run (helpers.mjs `sampleRun`) with its git commit and its step blocks by step id. */
function loadSample(dirName) {
  const run = sampleRun(dirName);
  const gitCommit = field(sectionText(run.text, 'Summary'), 'git_commit');
  assert.ok(gitCommit, `cannot read the summary of ${run.archive}`);
  const steps = Object.fromEntries(stepBlocks(run.text).map((s) => [s.id, s.block]));
  return { ...run, file: run.archive, gitCommit, steps };
}

const RUNS = BUNDLED_IDS.map(loadSample);
const { good: GOOD, failed: FAILED } = goodAndFailed(RUNS);

/** Selector token for the run's own status badge (not a step's, not the runs list's). */
const RUN_BADGE = '::run-badge';

/**
 * The values a user should see for `run` once it is open, as checks for `expectChecks`:
 * each names a place (selector) and a text (or regex) read from the archive file.
 */
function keyValueChecks(run) {
  const { text, steps } = run;
  const checks = [
    { desc: 'run id in the title', sel: '#run-title', text: run.runId },
    { desc: 'experiment in the title', sel: '#run-title', text: run.experiment },
    { desc: `run status badge "${run.status}"`, sel: RUN_BADGE, text: run.status, ci: true },
    { desc: 'git commit (short hash) in Summary', sel: '#sec-summary', text: run.gitCommit.slice(0, 7) },
  ];
  for (const dep of ['transformers', 'vllm']) {
    const v = dependency(text, dep);
    if (v) checks.push({ desc: `${dep} version in Dependencies`, sel: '#sec-dependencies', text: v });
  }
  const param = (stepId, key) => {
    const v = field(steps[stepId], key);
    if (v === undefined) return;
    checks.push({
      desc: `step ${stepId} param ${key} = ${v}`,
      sel: `#step-${stepId}`,
      re: `${esc(key)}\\s*[:=]?\\s*${esc(v)}`,
    });
  };
  const value = (stepId, key, label = key) => {
    const v = field(steps[stepId], key);
    if (v !== undefined) checks.push({ desc: `step ${stepId} ${label} = ${v}`, sel: `#step-${stepId}`, text: v });
  };
  for (const [id, block] of Object.entries(steps)) {
    const status = field(block, 'status');
    if (status === 'failed') {
      checks.push({ desc: `step ${id} shows status failed`, sel: `#step-${id}`, text: 'failed', ci: true });
    }
  }
  param('2', 'seq_length');
  param('5', 'lr');
  value('2', 'final_loss');
  value('5', 'final_loss');
  value('7', 'mmlu', 'eval score mmlu');
  value('7', 'gsm8k', 'eval score gsm8k');
  value('2', 'error');
  const peak = field(sectionText(text, 'Resources'), 'peak_vram_gb');
  if (peak) checks.push({ desc: `peak_vram_gb ${peak} in Resources`, sel: '#sec-resources', text: peak });
  const prev = field(sectionText(text, 'Changes'), 'previous_run_id');
  if (prev && prev !== 'n/a') checks.push({ desc: `previous run ${prev} in Changes`, sel: '#sec-changes', text: prev });
  return checks;
}

// ---------------------------------------------------------------------------------------------
// In-page helpers (serialised into the page: no closures over test-side variables).

/** Evaluate checks in the page; with `bool`, true when all pass, else a result per check. */
function evalChecks({ checks, bool }) {
  const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const results = [];
  for (const c of checks) {
    let els;
    if (c.sel === '::run-badge') {
      els = [...document.querySelectorAll('.status-badge')]
        .filter((e) => !e.closest('nav#runs') && !e.closest('[id^="step-"]'))
        .slice(0, 1);
    } else {
      els = [...document.querySelectorAll(c.sel)];
    }
    if (c.visible) els = els.filter((e) => (e.checkVisibility ? e.checkVisibility() : true));
    const texts = els.map((e) => norm(e.textContent));
    const ok = texts.some((t) => {
      if (c.re) return new RegExp(c.re, c.flags || '').test(t);
      if (c.all) return c.all.every((w) => t.includes(norm(w)));
      const want = norm(c.text);
      return c.ci ? t.toLowerCase().includes(want.toLowerCase()) : t.includes(want);
    });
    if (bool && !ok) return false;
    results.push({ desc: c.desc, sel: c.sel, ok, found: texts.map((t) => (t.length > 240 ? `${t.slice(0, 240)}…` : t)) });
  }
  return bool ? true : results;
}

/** Wait until every check passes; on timeout fail listing each check that did not. */
async function expectChecks(page, checks, { timeout = SETTLED_TIMEOUT, what = 'page' } = {}) {
  try {
    await page.waitForFunction(evalChecks, { checks, bool: true }, { timeout });
  } catch (err) {
    let results;
    try {
      results = await page.evaluate(evalChecks, { checks, bool: false });
    } catch {
      throw err;
    }
    const bad = results.filter((r) => !r.ok);
    if (!bad.length) throw err;
    const lines = bad.map((r) => {
      const c = checks.find((x) => x.desc === r.desc);
      const want = c.re ? `/${c.re}/` : c.all ? c.all.map((w) => JSON.stringify(w)).join(' and ') : JSON.stringify(c.text);
      const found = r.found.length ? r.found.map((f) => JSON.stringify(f)).join(' | ') : `no element matches ${r.sel}`;
      return `  - ${r.desc}: expected ${r.sel === '::run-badge' ? 'the run status badge' : r.sel} to contain ${want}; found ${found}`;
    });
    assert.fail(`${what}: ${bad.length} of ${checks.length} expected values not shown:\n${lines.join('\n')}`);
  }
}

const currentTitle = (page) => page.evaluate(() => document.querySelector('#run-title')?.textContent ?? '');


/** Open a bundled run by clicking it in the runs list. */
async function openFromList(page, run) {
  await page.locator('nav#runs [data-run-key]', { hasText: run.runId }).first().click();
  await waitRun(page, run.runId);
}

/** Make sure the open run is not `run` (so that opening `run` visibly changes the page). */
async function showOtherThan(page, run) {
  if (!(await currentTitle(page)).includes(run.runId)) return;
  await openFromList(page, RUNS.find((r) => r.runId !== run.runId));
}

/** The three bundled runs are listed, each with its id and status. */
function runsListChecks() {
  return RUNS.map((r) => ({
    desc: `runs list has ${r.runId} (${r.status})`,
    sel: 'nav#runs [data-run-key]',
    re: `${esc(r.runId)}[\\s\\S]*${esc(r.status)}|${esc(r.status)}[\\s\\S]*${esc(r.runId)}`,
    flags: 'i',
  }));
}

/** After an error: the list is intact and a bundled run still opens by clicking it. */
async function expectStillWorks(page) {
  await expectChecks(page, runsListChecks(), { what: 'runs list after an error' });
  const title = await currentTitle(page);
  const target = RUNS.find((r) => !title.includes(r.runId));
  await openFromList(page, target);
  await expectChecks(page, [{ desc: 'status badge', sel: RUN_BADGE, text: target.status, ci: true }], {
    what: `run ${target.runId} after an error`,
  });
}

/** An alert in #load-errors whose text contains every string of `parts`. */
async function expectLoadError(page, parts, what) {
  const sel = '#load-errors [role="alert"]';
  await expectChecks(
    page,
    [{ desc: what, sel, all: parts, visible: true }],
    { timeout: LOAD_TIMEOUT, what },
  );
}

// ---------------------------------------------------------------------------------------------

if (distIsBuilt()) {
  describe('runlens in the browser', { timeout: 30 * 60_000 }, () => {
    let session;
    let withPage;
    let server; // dist at /
    let corsHost; // another origin that allows CORS
    let noCorsHost; // another origin that sends no CORS headers
    let tmp;

    before(async () => {
      assert.equal(RUNS.length, 3, `expected 3 sample archives under ${SAMPLES}`);
      assert.ok(GOOD && FAILED, 'samples must include a successful run with curves/ and a failed run');
      fs.mkdirSync(OUT, { recursive: true });
      for (const f of fs.readdirSync(OUT)) if (/^failed-.*\.png$/.test(f)) fs.rmSync(path.join(OUT, f)); // stale
      server = await startServer({ root: DIST });
      corsHost = await startServer({
        root: SAMPLES,
        routes: { '/hosted/archive.md': { body: withRunId(RUNS[0], '20251103-0853-x0r1') } },
      });
      noCorsHost = await startServer({ root: SAMPLES, corsAllow: false });
      // Chromium's profile and temp files stay in this run's own temp folder, removed in after().
      // Every test then gets a fresh, isolated context.
      session = await browserSession('app', { defaultTimeout: LOAD_TIMEOUT });
      ({ tmp, withPage } = session);
    });

    after(async () => {
      await session?.close();
      await Promise.all([server?.close(), corsHost?.close(), noCorsHost?.close()]);
    });

    /** Open the app (optionally with `?query`) and wait for the runs list. */
    async function openApp(page, query = '', base = server.url) {
      await page.goto(base + query);
      await expectChecks(page, runsListChecks(), { timeout: LOAD_TIMEOUT, what: 'runs list' });
    }

    /** Open the app and wait for its default run view (one of the bundled runs). */
    async function openDefault(page, base = server.url) {
      await openApp(page, '', base);
      await expectChecks(
        page,
        [{ desc: 'a bundled run open', sel: '#run-title', re: RUNS.map((r) => esc(r.runId)).join('|') }],
        { timeout: LOAD_TIMEOUT, what: 'default run view' },
      );
      await waitIdle(page);
    }

    // a. -----------------------------------------------------------------------------------------
    it('opens with the three bundled runs listed and a run view shown', { timeout: TEST_TIMEOUT }, async (t) => {
      await withPage(t, async (page) => {
        await openDefault(page);
        const keys = await listedKeys(page);
        assert.equal(new Set(keys).size, 3, `runs list should hold the 3 bundled runs, has keys ${JSON.stringify(keys)}`);
        assert.ok(await page.locator('main#run-view').isVisible(), 'main#run-view is not visible');
        const title = await currentTitle(page);
        const shown = RUNS.find((r) => title.includes(r.runId));
        await expectChecks(
          page,
          [
            { desc: 'experiment in the title', sel: '#run-title', text: shown.experiment },
            { desc: 'status badge', sel: RUN_BADGE, text: shown.status, ci: true },
          ],
          { what: `default run ${shown.runId}` },
        );
        // Clicking another run opens it, and its address can be shared (run= in the URL).
        const other = RUNS.find((r) => r !== shown);
        await openFromList(page, other);
        await page.waitForURL(/[?&]run=/);
        const url = page.url();
        await page.reload();
        await waitRun(page, other.runId);
        assert.ok(page.url().includes('run='), `reloading ${url} lost the run parameter`);
      });
    });

    // b. + h. ------------------------------------------------------------------------------------
    for (const run of RUNS) {
      it(`dropping ${run.runId}/archive.md (${run.status}) shows its key values`, { timeout: TEST_TIMEOUT }, async (t) => {
        await withPage(t, async (page) => {
          await openDefault(page);
          await showOtherThan(page, run);
          await dropFiles(page, [textFile('archive.md', run.text)]);
          await waitRun(page, run.runId);
          const checks = keyValueChecks(run);
          assert.ok(checks.length >= 6, `only ${checks.length} checks could be read from ${run.file}`);
          await expectChecks(page, checks, { what: `dropped ${run.runId}` });
          if (run.status === 'failed') {
            // The failure cause is on screen without expanding anything.
            const err = field(Object.values(run.steps).find((b) => field(b, 'error')), 'error');
            const head = err.split(':')[0]; // e.g. torch.OutOfMemoryError
            await page.locator('#run-view').getByText(head).filter({ visible: true }).first().waitFor({ timeout: SETTLED_TIMEOUT });
          }
        });
      });

      it(`opening ${run.runId} shows every line of its archive`, { timeout: TEST_TIMEOUT }, async (t) => {
        await withPage(t, async (page) => {
          await openDefault(page);
          await openFromList(page, run);
          await page.locator('section#sec-raw').waitFor({ state: 'attached' });
          const { missing, total } = await page.evaluate((lines) => {
            const norm = (s) => s.replace(/\s+/g, ' ').trim();
            const body = norm(document.body.textContent);
            const want = lines.map(norm).filter(Boolean);
            return { total: want.length, missing: want.filter((l) => !body.includes(l)) };
          }, run.text.split('\n'));
          assert.deepEqual(
            missing.slice(0, 15),
            [],
            `${missing.length} of ${total} non-blank archive lines are not in the page (first 15 shown)`,
          );
        });
      });
    }

    // c. -----------------------------------------------------------------------------------------
    it('shows the drop overlay while dragging a file over the page', { timeout: TEST_TIMEOUT }, async (t) => {
      await withPage(t, async (page) => {
        await openDefault(page);
        const overlay = page.locator('#drop-overlay');
        assert.equal(await overlay.isVisible(), false, '#drop-overlay is visible before any drag');
        await showOtherThan(page, FAILED);
        await drag(page, ['dragenter', 'dragover'], [textFile('archive.md', FAILED.text)]);
        await overlay.waitFor({ state: 'visible', timeout: SETTLED_TIMEOUT });
        assert.ok(await overlay.evaluate((e) => e.classList.contains('active')), '#drop-overlay lacks class "active" while dragging');
        await drag(page, ['dragleave']);
        await overlay.waitFor({ state: 'hidden', timeout: SETTLED_TIMEOUT });
        await drag(page, ['dragenter', 'dragover']);
        await overlay.waitFor({ state: 'visible', timeout: SETTLED_TIMEOUT });
        await drag(page, ['drop']);
        await waitRun(page, FAILED.runId);
        await overlay.waitFor({ state: 'hidden', timeout: SETTLED_TIMEOUT });
      });
    });

    // d. -----------------------------------------------------------------------------------------
    it('opens a whole run folder with the folder picker and keeps its companion files', { timeout: TEST_TIMEOUT }, async (t) => {
      // A copy of the sample folder whose archive carries a new run id, so the run shown can
      // only have come from this folder (not from the bundled sample of the same run).
      const newId = newRunId(GOOD, 'f0ld');
      const folder = path.join(tmp, newId);
      fs.cpSync(GOOD.dir, folder, { recursive: true });
      fs.writeFileSync(path.join(folder, 'archive.md'), withRunId(GOOD, newId));
      const companions = [];
      const walk = (d) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
          if (e.isDirectory()) walk(path.join(d, e.name));
          else if (e.name !== 'archive.md') companions.push(e.name);
        }
      };
      walk(folder);
      const csv = companions.find((n) => n.endsWith('.csv'));
      const events = companions.find((n) => n.startsWith('events.out.tfevents.'));
      assert.ok(csv && events, `${GOOD.dir} should hold a curves/*.csv and a tensorboard events file`);

      await withPage(t, async (page) => {
        await openDefault(page);
        const input = page.locator('input#folder-input');
        assert.ok(await input.evaluate((e) => e.webkitdirectory), 'input#folder-input lacks webkitdirectory');
        await input.setInputFiles(folder);
        await waitRun(page, newId);
        await expectChecks(
          page,
          [
            { desc: `status ${GOOD.status}`, sel: RUN_BADGE, text: GOOD.status, ci: true },
            { desc: `${csv} listed in Files`, sel: '#sec-files', text: csv },
            { desc: `${events} listed in Files`, sel: '#sec-files', text: events },
          ],
          { what: `folder ${folder}` },
        );
      });
    });

    it('opens an archive chosen with the file picker', { timeout: TEST_TIMEOUT }, async (t) => {
      await withPage(t, async (page) => {
        const run = RUNS[0];
        await openDefault(page);
        await showOtherThan(page, run);
        await page.locator('input#file-input').setInputFiles(run.file);
        await waitRun(page, run.runId);
        await expectChecks(page, [{ desc: 'status badge', sel: RUN_BADGE, text: run.status, ci: true }]);
      });
    });

    // e. -----------------------------------------------------------------------------------------
    it('?run=<relative url> opens that hosted archive', { timeout: TEST_TIMEOUT }, async (t) => {
      await withPage(t, async (page) => {
        const rel = `samples/${FAILED.runId}/archive.md`;
        const seen = server.requests.length;
        await openApp(page, `?run=${rel}`);
        await waitRun(page, FAILED.runId);
        await expectChecks(page, [{ desc: 'status badge failed', sel: RUN_BADGE, text: 'failed', ci: true }]);
        assert.ok(page.url().includes('run='), `URL ${page.url()} lost run=`);
        assert.ok(
          server.requests.slice(seen).some((r) => r.path.split('?')[0] === `/${rel}` && r.status === 200),
          `the app never fetched /${rel}`,
        );
      });
    });

    it('?run=<absolute url> opens a hosted archive, same origin or CORS-enabled other origin', { timeout: TEST_TIMEOUT }, async (t) => {
      await withPage(t, async (page) => {
        const run = RUNS[0];
        const abs = `${server.url}samples/${run.runId}/archive.md`;
        await openApp(page, `?run=${encodeURIComponent(abs)}`);
        await waitRun(page, run.runId);
        await expectChecks(page, [{ desc: 'status badge', sel: RUN_BADGE, text: run.status, ci: true }]);
        assert.ok(page.url().includes('run='), `URL ${page.url()} lost run=`);

        const other = `${corsHost.origin}/hosted/archive.md`;
        await openApp(page, `?run=${encodeURIComponent(other)}`);
        await waitRun(page, '20251103-0853-x0r1');
      });
    });

    // f. -----------------------------------------------------------------------------------------
    it('dropping a binary file shows an error naming it, and the app keeps working', { timeout: TEST_TIMEOUT }, async (t) => {
      const eventsFile = fs
        .readdirSync(path.join(GOOD.dir, 'tensorboard', 'cpt'))
        .find((n) => n.startsWith('events.out.tfevents.'));
      const bytes = fs.readFileSync(path.join(GOOD.dir, 'tensorboard', 'cpt', eventsFile));
      await withPage(t, async (page) => {
        await openDefault(page);
        // The TensorBoard events file on its own, under its own name.
        await dropFiles(page, [{ name: eventsFile, base64: bytes.toString('base64') }]);
        await expectLoadError(page, [eventsFile], `error for dropped ${eventsFile}`);
        await expectStillWorks(page);
        // The same bytes under an archive-like name.
        await dropFiles(page, [{ name: 'binary-archive.md', base64: bytes.subarray(0, 65536).toString('base64'), type: 'text/markdown' }]);
        await expectLoadError(page, ['binary-archive.md'], 'error for dropped binary-archive.md');
        await expectStillWorks(page);
      });
    });

    it('dropping a text file that is not an archive shows an error naming it', { timeout: TEST_TIMEOUT }, async (t) => {
      await withPage(t, async (page) => {
        await openDefault(page);
        const name = 'shopping-list.md';
        await dropFiles(page, [textFile(name, '# Shopping\n\n- milk\n- eggs\n\nNothing to see here.\n')]);
        await expectLoadError(page, [name], `error for dropped ${name}`);
        await expectStillWorks(page);
      });
    });

    it('?run= with a missing archive (404) shows an error naming the URL', { timeout: TEST_TIMEOUT }, async (t) => {
      await withPage(t, async (page) => {
        const missing = `${server.url}samples/no-such-run-${process.pid}/archive.md`;
        await openApp(page, `?run=${encodeURIComponent(missing)}`);
        await expectLoadError(page, [missing, '404'], `error for ${missing}`);
        await waitIdle(page);
        await expectStillWorks(page);
      });
    });

    it('?run= on another origin without CORS shows an error naming the URL', { timeout: TEST_TIMEOUT }, async (t) => {
      await withPage(t, async (page) => {
        const blocked = `${noCorsHost.origin}${CORS_BLOCKED_PATH}`;
        // The server does answer it (a same-origin or server-side fetch works): only CORS blocks it.
        assert.equal((await fetch(blocked)).status, 200);
        await openApp(page, `?run=${encodeURIComponent(blocked)}`);
        await expectLoadError(page, [blocked], `error for ${blocked}`);
        await waitIdle(page);
        await expectStillWorks(page);
      });
    });

    // g. -----------------------------------------------------------------------------------------
    it('opens a pasted archive', { timeout: TEST_TIMEOUT }, async (t) => {
      await withPage(t, async (page) => {
        const newId = newRunId(FAILED, 'p4st');
        await openDefault(page);
        await page.locator('#paste-open').click();
        await page.locator('textarea#paste-text').fill(withRunId(FAILED, newId));
        await page.locator('#paste-submit').click();
        await waitRun(page, newId);
        await expectChecks(page, [{ desc: 'status badge failed', sel: RUN_BADGE, text: 'failed', ci: true }]);
      });
    });

    // i. -----------------------------------------------------------------------------------------
    it('renders a hostile archive as inert text', { timeout: TEST_TIMEOUT }, async (t) => {
      const hostileId = newRunId(GOOD, 'h0st');
      const p = {
        user: '<img src=x onerror="window.__pwned=1">',
        host: '<script>window.__pwned=2</script>gpu-node-07',
        dep: '<svg onload="window.__pwned=3"></svg>0.6.6',
        param: '[x](javascript:alert(1))',
        warning: '<img src=x onerror=alert(2)> NCCL warning',
        error: '<a href="javascript:window.__pwned=4">click</a><script>window.__pwned=5</script>',
        diff: '<iframe src="javascript:window.__pwned=6"></iframe> lr changed',
      };
      let text = withRunId(GOOD, hostileId)
        .replace(/^- user: .*$/m, `- user: ${p.user}`)
        .replace(/^- host: .*$/m, `- host: ${p.host}`)
        .replace(/^\| vllm \| [^|]*\|/m, `| vllm | ${p.dep} |`)
        .replaceAll('prompt_type: qwen', `prompt_type: ${p.param}`)
        .replace(/^(\s+- )NCCL_IB_TIMEOUT.*$/m, `$1${p.warning}`)
        .replace(/^( {2}retries: 0)$/m, `  error: ${p.error}\n$1`)
        .replace(/^- config_diff: .*$/m, `- config_diff: ${p.diff}`);
      text += [
        '',
        '## Notes',
        '<script>window.__pwned=7</script>',
        '<img src=x onerror="window.__pwned=8">',
        '[x](javascript:alert(1))',
        '[click me](javascript:window.__pwned=9)',
        '<a href="javascript:window.__pwned=10">plain link</a>',
        '<svg onload="window.__pwned=11"><circle r="5"/></svg>',
        '<details open ontoggle="window.__pwned=12">toggle</details>',
        '<div style="background:url(javascript:window.__pwned=13)">styled</div>',
        '<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=14">',
        '- note: <body onload="window.__pwned=15">',
        '',
      ].join('\n');
      for (const [k, v] of Object.entries(p)) assert.ok(text.includes(v), `hostile payload ${k} was not inserted`);

      await withPage(t, async (page) => {
        const dialogs = watchDialogs(page);
        await openDefault(page);
        await dropFiles(page, [textFile('hostile.md', text)]);
        await waitRun(page, hostileId);
        // Open everything a user could expand, then let any image errors / handlers fire.
        await expandAll(page);
        const report = await page.evaluate(() => {
          const urlAttrs = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc', 'style', 'poster', 'background'];
          const onAttrs = [];
          const jsUrls = [];
          for (const el of document.querySelectorAll('*')) {
            for (const a of el.attributes) {
              const name = a.name.toLowerCase();
              if (name.startsWith('on')) onAttrs.push(`<${el.localName} ${a.name}="${a.value}">`);
              // eslint-disable-next-line no-control-regex
              const v = a.value.replace(/[\s\u0000-\u001f]+/g, '').toLowerCase();
              if (urlAttrs.includes(name) && v.includes('javascript:')) jsUrls.push(`<${el.localName} ${a.name}="${a.value}">`);
            }
          }
          return {
            pwned: window.__pwned,
            onAttrs,
            jsUrls,
            jsLinks: document.querySelectorAll('a[href^="javascript:" i]').length,
            scripts: [...document.querySelectorAll('script')].filter((s) => s.textContent.includes('__pwned')).length,
            frames: document.querySelectorAll('iframe, object, embed').length,
          };
        });
        const problems = [
          ...dialogs.map((d) => `a payload opened a dialog (${d})`),
          ...(report.pwned === undefined ? [] : [`a payload ran: window.__pwned = ${report.pwned}`]),
          ...report.onAttrs.map((a) => `on* handler attribute: ${a}`),
          ...report.jsUrls.map((a) => `javascript: URL in attribute: ${a}`),
          ...(report.jsLinks ? [`${report.jsLinks} a[href^="javascript:"] element(s)`] : []),
          ...(report.scripts ? [`${report.scripts} payload <script> element(s) inserted`] : []),
          ...(report.frames ? [`${report.frames} iframe/object/embed element(s) inserted`] : []),
        ];
        assert.deepEqual(problems, [], 'the hostile archive was not rendered inert');
        await expectChecks(
          page,
          [
            { desc: 'user payload shown as text in Summary', sel: '#sec-summary', text: p.user },
            { desc: 'host payload shown as text in Summary', sel: '#sec-summary', text: p.host },
            { desc: 'vllm payload shown as text in Dependencies', sel: '#sec-dependencies', text: p.dep },
            { desc: 'param payload shown as text', sel: '#step-5', text: p.param },
            { desc: 'Notes payload shown as text', sel: 'body', text: '<svg onload="window.__pwned=11">' },
          ],
          { what: 'hostile archive' },
        );
      });
    });

    // j. -----------------------------------------------------------------------------------------
    it('the theme toggle flips between light and dark', { timeout: TEST_TIMEOUT }, async (t) => {
      await withPage(t, async (page) => {
        await openDefault(page);
        const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
        const colours = () =>
          page.evaluate(() =>
            ['html', 'body', 'main#run-view']
              .map((s) => document.querySelector(s))
              .filter(Boolean)
              .map((e) => `${getComputedStyle(e).backgroundColor}/${getComputedStyle(e).color}`)
              .join(' '),
          );
        const first = await theme();
        assert.ok(['light', 'dark'].includes(first), `<html data-theme> is ${JSON.stringify(first)}`);
        const flipped = first === 'light' ? 'dark' : 'light';
        const before = await colours();
        await page.locator('#theme-toggle').click();
        await page.waitForFunction((v) => document.documentElement.dataset.theme === v, flipped);
        // A user sees the change: some page colour differs (polled: CSS transitions may run).
        await page.waitForFunction(
          (b) =>
            ['html', 'body', 'main#run-view']
              .map((s) => document.querySelector(s))
              .filter(Boolean)
              .map((e) => `${getComputedStyle(e).backgroundColor}/${getComputedStyle(e).color}`)
              .join(' ') !== b,
          before,
          { timeout: SETTLED_TIMEOUT },
        ).catch(async () => assert.fail(`colours did not change with the theme: ${await colours()}`));
        await page.locator('#theme-toggle').click();
        await page.waitForFunction((v) => document.documentElement.dataset.theme === v, first);
      });
    });

    // k. -----------------------------------------------------------------------------------------
    it('screenshots of the successful and the failed run view', { timeout: TEST_TIMEOUT }, async (t) => {
      await withPage(t, async (page) => {
        await openDefault(page);
        const shots = [];
        for (const [run, label] of [[GOOD, 'success'], [FAILED, 'failed']]) {
          await openFromList(page, run);
          const file = path.join(OUT, `run-${label}-${run.runId}.png`);
          await page.screenshot({ path: file, fullPage: true });
          shots.push(file);
        }
        // The failed run in the other theme too.
        const first = await page.evaluate(() => document.documentElement.dataset.theme);
        await page.locator('#theme-toggle').click();
        await page.waitForFunction((v) => document.documentElement.dataset.theme !== v, first);
        const other = await page.evaluate(() => document.documentElement.dataset.theme);
        const file = path.join(OUT, `run-failed-${FAILED.runId}-${other}.png`);
        await page.screenshot({ path: file, fullPage: true });
        shots.push(file);
        for (const f of shots) {
          const png = fs.readFileSync(f);
          assert.ok(png.subarray(1, 4).toString() === 'PNG' && png.length > 1000, `${f} is not a real screenshot`);
          t.diagnostic(`screenshot ${path.relative(ROOT, f)} (${png.length} bytes)`);
        }
      });
    });

    // l. -----------------------------------------------------------------------------------------
    it('works when served under a sub-path (/ml/runs/)', { timeout: TEST_TIMEOUT }, async (t) => {
      const sub = await startServer({ root: DIST, basePath: '/ml/runs/' });
      try {
        await withPage(t, async (page) => {
          await openDefault(page, sub.url);
          for (const run of RUNS) {
            await openFromList(page, run);
            await expectChecks(page, [{ desc: 'status badge', sel: RUN_BADGE, text: run.status, ci: true }], {
              what: `${run.runId} under /ml/runs/`,
            });
          }
          await openApp(page, `?run=samples/${FAILED.runId}/archive.md`, sub.url);
          await waitRun(page, FAILED.runId);
          const bad = sub.requests.filter(
            (r) => r.path !== '/favicon.ico' && (r.status >= 400 || !r.path.startsWith('/ml/runs/')),
          );
          assert.deepEqual(bad, [], 'requests outside /ml/runs/ or failing');
        });
      } finally {
        await sub.close();
      }
    });

    // m. -----------------------------------------------------------------------------------------
    it('performance probe: big archive, first paint, memory', { timeout: 10 * 60_000 }, async (t) => {
      if (!fs.existsSync(CLI)) {
        t.skip(`${CLI} is missing: build it with \`cargo build\` to run the performance probe`);
        return;
      }
      const synth = await new Promise((resolve) => {
        execFile(CLI, ['synth', '--steps', '160', '--params', '600'], { maxBuffer: 512 * 1024 * 1024 }, (err, stdout, stderr) =>
          resolve({ err, stdout, stderr }),
        );
      });
      if (synth.err) {
        t.skip(
          `\`${path.relative(ROOT, CLI)} synth\` failed (${String(synth.stderr || synth.err.message).split('\n')[0].trim()}); ` +
            'rebuild it with `cargo build` to run the performance probe',
        );
        return;
      }
      const big = synth.stdout;
      const bigId = field(sectionText(big, 'Summary'), 'run_id');
      assert.equal(bigId, '20251201-0000-big0', 'synth archive has an unexpected run id');
      metric('big_archive_lines', big.split('\n').length, 'lines');
      metric('big_archive_bytes', Buffer.byteLength(big), 'bytes');

      await withPage(t, async (page) => {
        // Navigation -> default run view painted, timed in the page from its time origin.
        await page.addInitScript((ids) => {
          const obs = new MutationObserver(() => {
            const el = document.querySelector('#run-title');
            if (el && ids.some((id) => el.textContent.includes(id)) && !window.__e2eFirst) {
              window.__e2eFirst = { seen: performance.now() };
              obs.disconnect();
              requestAnimationFrame(() => { window.__e2eFirst.painted = performance.now(); });
            }
          });
          obs.observe(document, { childList: true, subtree: true, characterData: true });
        }, RUNS.map((r) => r.runId));
        await openDefault(page);
        await page.waitForFunction(() => window.__e2eFirst && window.__e2eFirst.painted !== undefined);
        metric('first_run_view_paint', await page.evaluate(() => window.__e2eFirst.painted), 'ms');

        // Switching runs from the list.
        await showOtherThan(page, FAILED);
        const switchMs = await page.evaluate(async (id) => {
          const item = [...document.querySelectorAll('nav#runs [data-run-key]')].find((e) => e.textContent.includes(id));
          const t0 = performance.now();
          item.click();
          await new Promise((resolve) => {
            const done = () => requestAnimationFrame(() => resolve());
            const check = () => document.querySelector('#run-title')?.textContent.includes(id);
            if (check()) return done();
            const obs = new MutationObserver(() => { if (check()) { obs.disconnect(); done(); } });
            obs.observe(document.body, { childList: true, subtree: true, characterData: true });
          });
          return performance.now() - t0;
        }, FAILED.runId);
        metric('run_switch', switchMs, 'ms');
        await waitIdle(page);

        // Drop the big archive; time drop -> its title shown + next frame; longest frame gap.
        await watchFrames(page, '__e2eBig');
        await page.evaluate(({ text, id }) => {
          const s = window.__e2eBig;
          const obs = new MutationObserver(() => {
            const el = document.querySelector('#run-title');
            if (el && el.textContent.includes(id) && s.seen === undefined) {
              s.seen = performance.now();
              obs.disconnect();
              requestAnimationFrame(() => { s.painted = performance.now(); });
            }
          });
          obs.observe(document.body, { childList: true, subtree: true, characterData: true });
          const dt = new DataTransfer();
          dt.items.add(new File([text], 'big-archive.md', { type: 'text/markdown' }));
          s.t0 = performance.now();
          for (const type of ['dragenter', 'dragover', 'drop']) {
            document.body.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
          }
        }, { text: big, id: bigId });
        await page.waitForFunction(() => window.__e2eBig.painted !== undefined, null, { timeout: 5 * 60_000 });
        const r = await page.evaluate(() => window.__e2eBig);
        await waitIdle(page, 5 * 60_000);
        await expectChecks(page, [{ desc: 'big run open', sel: '#run-title', text: bigId }], { what: 'big archive' });
        assert.ok(await page.locator('main#run-view').isVisible(), 'run view not visible after the big drop');
        metric('big_drop_to_paint', r.painted - r.t0, 'ms');
        metric('big_drop_to_title', r.seen - r.t0, 'ms');
        metric('big_load_max_frame_gap', r.maxGap, 'ms');
        metric('big_load_frames', r.frames, 'frames');

        const mem = await page.evaluate(() => {
          const w = window.wasmBindings;
          const wasm = w && w.wasm_memory_bytes ? Number(w.wasm_memory_bytes()) : null;
          const heap = performance.memory ? performance.memory.usedJSHeapSize : null;
          return { wasm, heap };
        });
        if (mem.wasm !== null && Number.isFinite(mem.wasm)) metric('wasm_memory_bytes', mem.wasm, 'bytes');
        else t.diagnostic('window.wasmBindings.wasm_memory_bytes() is not exposed: no wasm memory metric');
        if (mem.heap !== null) metric('js_heap_used_bytes', mem.heap, 'bytes');
      });
    });
  });
}
