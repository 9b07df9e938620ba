// Browser end-to-end tests for the comparison of runs (two runs section by section, the
// N-way table, exports, and the ways into a comparison).
//
// Run from the project root after `trunk build --release` and `cargo build` (the CLI's
// `runlens diff --json` is the reference for what changed):
//   node --test tests/e2e/compare.test.mjs
//   RUNLENS_E2E_DIST=/tmp/e2e-dist node --test tests/e2e/compare.test.mjs   # another build
//   RUNLENS_E2E_CLI=/path/to/runlens ...                                     # another CLI
//
// Same conventions as app.test.mjs and charts.test.mjs: headless /usr/bin/chromium through
// playwright-core, dist/ served by ./server.mjs, a fresh browser context per test, a test fails
// on any uncaught page error, no fixed sleeps (every wait is on something the page shows).
// Expected values come from the fixtures: `runlens diff A B --json` over the sample archives,
// the archives themselves (static/samples/), the curve oracles (tests/fixtures/oracle/) and the
// CSV curve of the sample that has one.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from './server.mjs';
import {
  DIST,
  ORACLE,
  ROOT,
  browserSession,
  csvDataRows,
  distIsBuilt,
  download,
  openDefault,
  readOracle,
  sampleRun as readSampleRun,
  stepBlocks,
  waitIdle,
  CLI,
  norm,
  sectionText,
  field,
} from './helpers.mjs';

const LOAD_TIMEOUT = 30_000; // app start or one archive/curve load
const SETTLED_TIMEOUT = 10_000; // content expected right after an action
const TEST_TIMEOUT = 60_000;


// ---------------------------------------------------------------------------------------------
// Fixtures



/** The lines of the nested map `key:` (two-space indent) of a step block. */
function stepMapLines(block, key) {
  const lines = block.split('\n');
  const start = lines.findIndex((l) => l === `  ${key}:`);
  if (start < 0) return null;
  const out = [];
  for (const l of lines.slice(start + 1)) {
    if (l.trim() !== '' && !/^ {3,}/.test(l)) break;
    out.push(l);
  }
  return out;
}

/** Top-level keys of the step's `params:` map (comments left out). */
function paramKeys(block) {
  return (stepMapLines(block, 'params') ?? [])
    .map((l) => l.match(/^ {4}([^\s#][^:]*):/))
    .filter(Boolean)
    .map((m) => m[1]);
}

/** A sample run (helpers.mjs `sampleRun`) with its lineage fields and its steps. */
function sampleRun(runId) {
  const run = readSampleRun(runId);
  const changes = sectionText(run.text, 'Changes');
  return {
    ...run,
    previous: field(changes, 'previous_run_id'),
    configDiff: field(changes, 'config_diff'),
    steps: stepBlocks(run.text),
  };
}

const A1F3 = sampleRun('20251103-0853-a1f3'); // success
const B7C2 = sampleRun('20251110-1420-b7c2'); // success; follow-up of A1F3 (SFT lr doubled)
const C9D4 = sampleRun('20251112-2201-c9d4'); // failed in CPT

/** The step `name`/`stage` of `run` (undefined when it has none). */
const stepOf = (run, name, stage) => run.steps.find((s) => s.name === name && s.stage === stage);

/** `training:` figure `key` of the train step of `stage` (undefined when absent). */
function trainingFigure(run, stage, key) {
  const s = stepOf(run, 'train', stage);
  const lines = s && stepMapLines(s.block, 'training');
  return lines ? field(lines.join('\n'), key) : undefined;
}

/** `runlens diff A B --json` over the sample archives (memoised). */
const diffs = new Map();
function cliDiff(a, b) {
  const k = `${a.runId} ${b.runId}`;
  if (!diffs.has(k)) {
    assert.ok(
      fs.existsSync(CLI),
      `${CLI} is missing: build it with \`cargo build\` (its \`diff --json\` is the reference of these tests)`,
    );
    let out;
    try {
      out = execFileSync(CLI, ['diff', a.archive, b.archive, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    } catch (err) {
      assert.fail(`\`${path.relative(ROOT, CLI)} diff ${a.runId} ${b.runId} --json\` failed: ${String(err.stderr || err.message).trim()}`);
    }
    const d = JSON.parse(out);
    assert.equal(d.a, a.runId, 'CLI diff: a');
    assert.equal(d.b, b.runId, 'CLI diff: b');
    diffs.set(k, d);
  }
  return diffs.get(k);
}

/** The heading the page gives a matched step: `train (sft) (step 5 ↔ 5)`, `eval (step 7 ↔ 7)`. */
function stepHeading(s) {
  const name = !s.stage || s.stage === 'none' ? s.name : `${s.name} (${s.stage})`;
  const id = (v) => (v === null || v === undefined ? '—' : String(v));
  return `${name} (step ${id(s.a_step_id)} ↔ ${id(s.b_step_id)})`;
}

/**
 * The change tables the page should show for `diff`: [{ where, changes }] with `where` either
 * `section <key>` or `step <heading>`.
 */
function expectedTables(diff) {
  const tables = [];
  for (const [key, changes] of Object.entries(diff.sections)) {
    if (changes.length) tables.push({ where: `section ${key}`, changes });
  }
  for (const s of diff.steps) {
    if (s.presence === 'both') tables.push({ where: `step ${stepHeading(s)}`, changes: s.changes });
  }
  return tables;
}

/** How the page writes a value of the CLI's JSON. */
function shownValue(v) {
  if (v === null || v === undefined) return '—';
  if (Array.isArray(v)) return `[${v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ')}]`;
  if (typeof v === 'object') return `{${Object.keys(v).length} keys}`;
  if (typeof v === 'string') return v.replace(/\n/g, ' ⏎ ');
  return String(v);
}

/** Whether a table cell shows the CLI value `v` (numbers compared as numbers: 2e-06 == 0.000002). */
function cellShows(cell, v) {
  const t = norm(cell);
  if (typeof v === 'number') return t !== '' && Number(t) === v;
  if (v === null) return t === '—' || t === '(empty)';
  return t === norm(shownValue(v));
}

/** Problems with one page row against the CLI change `c` (empty when it matches). */
function rowProblems(row, c) {
  const bad = [];
  if (row.kind !== c.kind || !row.badgeClass.includes(`k-${c.kind}`)) {
    bad.push(`kind badge "${row.kind}" (class "${row.badgeClass}"), expected ${c.kind}`);
  }
  if (!cellShows(row.a, c.a)) bad.push(`A shows ${JSON.stringify(row.a)}, CLI has ${JSON.stringify(c.a)}`);
  if (!cellShows(row.b, c.b)) bad.push(`B shows ${JSON.stringify(row.b)}, CLI has ${JSON.stringify(c.b)}`);
  const better = c.delta?.better ?? null;
  const cls = row.deltaClass;
  if (better === true && (!cls.includes('better') || cls.includes('worse') || !row.delta.includes('▲ better'))) {
    bad.push(`delta cell "${row.delta}" (class "${cls.join(' ')}") should be class "better" with "▲ better"`);
  }
  if (better === false && (!cls.includes('worse') || cls.includes('better') || !row.delta.includes('▼ worse'))) {
    bad.push(`delta cell "${row.delta}" (class "${cls.join(' ')}") should be class "worse" with "▼ worse"`);
  }
  if (better === null && (cls.includes('better') || cls.includes('worse') || /better|worse/.test(row.delta))) {
    bad.push(`delta cell "${row.delta}" (class "${cls.join(' ')}") judges a change the CLI does not judge`);
  }
  if (c.delta) {
    const abs = Number(row.delta.split(' ')[0]);
    if (!(Math.abs(abs - c.delta.abs) <= 1e-9 * Math.max(1, Math.abs(c.delta.abs)))) {
      bad.push(`delta cell "${row.delta}" does not start with the CLI's abs ${c.delta.abs}`);
    }
  } else if (row.delta !== '') {
    bad.push(`delta cell "${row.delta}" is not empty (the CLI has no delta)`);
  }
  return bad;
}

/**
 * Check every change table of the page against the CLI: the same paths (multiset) per table,
 * each row's kind, values and delta, and the count of run-id-only changes hidden behind the
 * note. `hideRunId`: whether run-id-only changes should be hidden.
 */
function checkTables(page, diff, hideRunId) {
  const problems = [];
  const want = expectedTables(diff);
  const shownSections = Object.keys(page.sections).sort();
  const wantSections = Object.entries(diff.sections).filter(([, c]) => c.length).map(([k]) => k).sort();
  if (JSON.stringify(shownSections) !== JSON.stringify(wantSections)) {
    problems.push(`sections with changes: page has ${JSON.stringify(shownSections)}, CLI has ${JSON.stringify(wantSections)}`);
  }
  const wantSteps = diff.steps.filter((s) => s.presence === 'both').map(stepHeading);
  const shownSteps = page.steps.map((s) => s.heading);
  if (JSON.stringify(shownSteps) !== JSON.stringify(wantSteps)) {
    problems.push(`matched steps: page has ${JSON.stringify(shownSteps)}, CLI has ${JSON.stringify(wantSteps)}`);
  }
  for (const { where, changes } of want) {
    const table = where.startsWith('section ')
      ? page.sections[where.slice(8)]
      : page.steps.find((s) => `step ${s.heading}` === where);
    if (!table) continue; // reported above
    const visible = changes.filter((c) => !(hideRunId && c.run_id_only));
    const hidden = changes.length - visible.length;
    const wantPaths = visible.map((c) => c.path).sort();
    const shownPaths = table.rows.map((r) => r.path).sort();
    const extra = shownPaths.filter((p) => !wantPaths.includes(p));
    const missing = wantPaths.filter((p) => !shownPaths.includes(p));
    if (extra.length) problems.push(`${where}: rows not in the CLI's ${hideRunId ? 'shown ' : ''}changes: ${JSON.stringify(extra)}`);
    if (missing.length) problems.push(`${where}: CLI changes missing from the page: ${JSON.stringify(missing)}`);
    if (!extra.length && !missing.length && shownPaths.length !== wantPaths.length) {
      problems.push(`${where}: ${shownPaths.length} rows, CLI has ${wantPaths.length} (${JSON.stringify(shownPaths)})`);
    }
    if ((table.hiddenNote ?? 0) !== hidden) {
      problems.push(
        `${where}: the run-id-only note says ${table.hiddenNote ?? 'nothing'}` +
          `${table.hiddenNote === null ? '' : ' change(s)'}, expected ${hidden ? `${hidden} change(s)` : 'no note'}`,
      );
    }
    for (const c of visible) {
      const row = table.rows.find((r) => r.path === c.path);
      if (row) for (const p of rowProblems(row, c)) problems.push(`${where} ${c.path}: ${p}`);
    }
  }
  return problems;
}

/** The loss curve points of `run`'s train step of `stage`: from its oracle, else its CSV. */
function curvePoints(run, stage) {
  if (fs.existsSync(path.join(ORACLE, `${run.runId}.${stage}.jsonl`))) {
    return readOracle(run.runId, stage).byTag.get('lm_loss').map((p) => ({ step: p.step, value: p.value }));
  }
  const curve = trainingFigure(run, stage, 'loss_curve');
  assert.ok(curve, `${run.archive}: train ${stage} has no loss_curve and no oracle`);
  const name = curve.split('/').pop();
  assert.match(name, /\.csv$/, `${run.runId} ${stage}: no oracle and ${name} is not a CSV`);
  const file = path.join(run.dir, 'curves', name);
  return csvDataRows(fs.readFileSync(file, 'utf8')).map((l) => {
    const [, step, value] = l.split(',');
    return { step: Number(step), value: Number(value) };
  });
}

// ---------------------------------------------------------------------------------------------
// In-page readers (serialised into the page: no closures over test-side variables).

/** Every change table of #compare-view: sections by key and matched steps by heading. */
function readCompare() {
  const n = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
  const tableOf = (root) => {
    const rows = [...root.querySelectorAll(':scope > table.diff-table > tbody > tr')].map((tr) => {
      const td = tr.querySelectorAll(':scope > td');
      return {
        path: n(td[0]?.textContent),
        kind: n(td[1]?.textContent),
        badgeClass: td[1]?.querySelector('.badge')?.className ?? '',
        a: n(td[2]?.textContent),
        b: n(td[3]?.textContent),
        delta: n(td[4]?.textContent),
        deltaClass: td[4] ? [...td[4].classList] : [],
      };
    });
    const note = [...root.querySelectorAll(':scope > p')].map((p) => n(p.textContent)).find((t) => /only replace the run id/.test(t));
    const m = note?.match(/^(\d+) change\(s\) only replace the run id inside a path/);
    return { rows, hiddenNote: note ? (m ? Number(m[1]) : -1) : null, noteText: note ?? null };
  };
  const sections = {};
  for (const s of document.querySelectorAll('#compare-view > section[id^="cmp-"]:not(#cmp-steps)')) {
    sections[s.id.slice(4)] = tableOf(s);
  }
  const steps = [...document.querySelectorAll('#cmp-steps .cmp-step')].map((el) => {
    const h = el.querySelector('h3').cloneNode(true);
    h.querySelector('.note')?.remove();
    return {
      heading: n(h.textContent),
      ...tableOf(el),
      params: el.querySelector(':scope > details.params > summary')?.textContent ?? null,
    };
  });
  return { sections, steps };
}

/** The N-way table: run headers, rows (section, field, cells with their best flag). */
function readNway() {
  const n = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
  const ths = [...document.querySelectorAll('#nway-view table.nway thead th')].slice(2);
  return {
    heads: ths.map((th) => ({ text: n(th.textContent), sort: th.getAttribute('aria-sort') })),
    rows: [...document.querySelectorAll('#nway-view table.nway tbody tr')].map((tr) => {
      const td = [...tr.querySelectorAll(':scope > td')];
      return {
        atStep: tr.classList.contains('at-step'),
        section: n(td[0]?.textContent),
        field: n(td[1]?.textContent),
        cells: td.slice(2).map((c) => ({ text: n(c.textContent), best: c.classList.contains('best'), title: c.title })),
      };
    }),
  };
}

// ---------------------------------------------------------------------------------------------

if (distIsBuilt()) {
  // An archive with a summary and no steps (comparing with one used to panic).
  const BARE_ID = '20251201-0000-bare';
  const BARE_PATH = '/bare/archive.md';
  const BARE = `# Experiment Archive\n\n## Summary\n- experiment: bare\n- run_id: ${BARE_ID}\n- status: failed\n`;

  describe('comparing runs', { timeout: 10 * 60_000 }, () => {
    let session;
    let server;
    let withPage;

    before(async () => {
      server = await startServer({ root: DIST, routes: { [BARE_PATH]: { body: BARE } } });
      session = await browserSession('compare', { defaultTimeout: LOAD_TIMEOUT });
      ({ withPage } = session);
    });

    after(async () => {
      await session?.close();
      await server?.close();
    });

    /** Text of the comparison title, whitespace folded. */
    const titleText = async (page) => norm(await page.locator('#compare-title').textContent());

    /** The entries of the URL's `compare=` parameter. */
    const urlCompare = (page) => (new URL(page.url()).searchParams.get('compare') ?? '').split(',').filter(Boolean);

    /** Wait until the two-run comparison of `a` vs `b` (in that order) is shown and idle. */
    async function waitPair(page, a, b, { timeout = LOAD_TIMEOUT, what = '' } = {}) {
      const want = `A ${a.runId} vs B ${b.runId}`;
      try {
        await page.waitForFunction(
          (want) => (document.querySelector('#compare-view #compare-title')?.textContent ?? '').replace(/\s+/g, ' ').trim() === want,
          want,
          { timeout },
        );
      } catch {
        const state = await page
          .evaluate(() => ({
            title: document.querySelector('#compare-title')?.textContent ?? null,
            pane: (document.querySelector('main#run-view')?.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 400),
          }))
          .catch(() => null);
        assert.fail(`${what ? `${what}: ` : ''}expected the comparison "${want}"; the page shows ${JSON.stringify(state)}`);
      }
      await waitIdle(page);
    }

    /** Open `?compare=<entries>` and wait for the two-run comparison a vs b. */
    async function openPair(page, a, b, entries = [a.runId, b.runId]) {
      await page.goto(`${server.url}?compare=${entries.join(',')}`);
      await waitPair(page, a, b, { what: `?compare=${entries.join(',')}` });
    }

    /**
     * Wait (bounded) until the change tables hold `n` rows in all; returns the row count then.
     * The caller's table check reports what differs when the count never gets there.
     */
    async function waitRowCount(page, n) {
      const count = () => page.evaluate(() => document.querySelectorAll('#compare-view table.diff-table > tbody > tr').length);
      await page
        .waitForFunction(
          (n) => document.querySelectorAll('#compare-view table.diff-table > tbody > tr').length === n,
          n,
          { timeout: SETTLED_TIMEOUT },
        )
        .catch(() => {});
      return count();
    }

    const checkbox = (page, label) =>
      page.locator('#compare-view .compare-head label', { hasText: label }).locator('input[type="checkbox"]');
    const headButton = (page, name) => page.locator('#compare-view .compare-head button', { hasText: name });

    // 1. -----------------------------------------------------------------------------------------
    it('two runs: every change the CLI reports is shown, and nothing else', { timeout: TEST_TIMEOUT }, async (t) => {
      const diff = cliDiff(A1F3, B7C2);
      const all = expectedTables(diff).flatMap((x) => x.changes);
      assert.equal(all.length, diff.count, 'CLI: count differs from its own list of changes');
      const shown = all.filter((c) => !c.run_id_only);
      assert.ok(shown.length > 0 && shown.length < all.length, 'the fixture should have both kinds of changes');
      await withPage(t, async (page) => {
        await openPair(page, A1F3, B7C2);
        assert.equal(norm(await page.locator('#compare-view .compare-count').textContent()), `${diff.count} changes`);
        assert.deepEqual(urlCompare(page), [A1F3.runId, B7C2.runId], 'URL compare= while comparing');

        // Defaults: differences only, run-id-only changes hidden, side-by-side text.
        for (const label of ['differences only', 'hide run-id-only changes', 'side by side text']) {
          assert.equal(await checkbox(page, label).isChecked(), true, `"${label}" should be ticked by default`);
        }
        const hiddenRows = await waitRowCount(page, shown.length);
        const hiddenView = await page.evaluate(readCompare);
        assert.deepEqual(checkTables(hiddenView, diff, true), [], 'page vs `runlens diff --json` (run-id-only changes hidden)');
        assert.equal(hiddenRows, shown.length, 'rows in the change tables (run-id-only changes hidden)');

        // The SFT learning-rate change, with the values as the archives write them.
        const lrA = field(stepOf(A1F3, 'train', 'sft').block, 'lr');
        const lrB = field(stepOf(B7C2, 'train', 'sft').block, 'lr');
        assert.ok(lrA && lrB && lrA !== lrB, 'the fixture SFT lr should differ');
        const sft = hiddenView.steps.find((s) => s.heading.startsWith('train (sft)'));
        assert.ok(sft, 'no train (sft) step in the comparison');
        const lr = sft.rows.find((r) => r.path === 'params.lr');
        assert.ok(lr, 'no params.lr row in train (sft)');
        assert.deepEqual([lr.a, lr.b], [lrA, lrB], 'params.lr as the archives write it');

        // Resources: the better/worse verdict follows the CLI (checked for every row above).
        const judged = diff.sections.resources.filter((c) => typeof c.delta?.better === 'boolean');
        assert.ok(judged.some((c) => c.delta.better) && judged.some((c) => !c.delta.better), 'fixture: resources should have both verdicts');
        const resCells = await page.locator('#cmp-resources table.diff-table td.better, #cmp-resources table.diff-table td.worse').count();
        assert.equal(resCells, judged.length, 'resources deltas with a better/worse class');

        // B's own change summary, said to be against A.
        const says = norm(await page.locator('#compare-view .archive-says').textContent());
        assert.equal(B7C2.previous, A1F3.runId, 'fixture: B\'s previous run should be A');
        assert.ok(says.includes(B7C2.configDiff), `.archive-says lacks B's config_diff: ${says}`);
        assert.ok(says.includes('(against A)'), `.archive-says does not say "(against A)": ${says}`);

        // Unticking "hide run-id-only changes" shows every change.
        await checkbox(page, 'hide run-id-only changes').uncheck();
        const allRows = await waitRowCount(page, diff.count);
        assert.deepEqual(checkTables(await page.evaluate(readCompare), diff, false), [], 'page vs `runlens diff --json` (every change)');
        assert.equal(allRows, diff.count, 'rows in the change tables (every change)');
        await checkbox(page, 'hide run-id-only changes').check();
        assert.equal(await waitRowCount(page, shown.length), shown.length, 'rows after ticking "hide run-id-only changes" again');
      });
    });

    // 2. -----------------------------------------------------------------------------------------
    it('"differences only" unticked shows all params of every matched step', { timeout: TEST_TIMEOUT }, async (t) => {
      const diff = cliDiff(A1F3, B7C2);
      await withPage(t, async (page) => {
        await openPair(page, A1F3, B7C2);
        assert.equal(await page.locator('#cmp-steps details.params').count(), 0, 'All params shown with "differences only" ticked');
        await checkbox(page, 'differences only').uncheck();
        const matched = diff.steps.filter((s) => s.presence === 'both');
        await page
          .locator('#cmp-steps .cmp-step > details.params')
          .nth(matched.length - 1)
          .waitFor({ state: 'attached', timeout: SETTLED_TIMEOUT });
        const steps = (await page.evaluate(readCompare)).steps;
        const problems = [];
        for (const s of matched) {
          const keys = new Set([
            ...paramKeys(A1F3.steps.find((x) => x.id === String(s.a_step_id)).block),
            ...paramKeys(B7C2.steps.find((x) => x.id === String(s.b_step_id)).block),
          ]);
          const shown = steps.find((x) => x.heading === stepHeading(s));
          if (norm(shown?.params) !== `All params (${keys.size})`) {
            problems.push(`${stepHeading(s)}: ${JSON.stringify(shown?.params ?? null)}, expected "All params (${keys.size})"`);
          }
        }
        assert.deepEqual(problems, [], 'All params summaries vs the archives');
        // The lr row of train (sft) is marked changed in its All params table.
        const lrRow = page.locator('#cmp-steps .cmp-step', { hasText: 'train (sft)' }).locator('details.params tr', {
          has: page.locator('td:first-child', { hasText: /^lr$/ }),
        });
        assert.equal(await lrRow.count(), 1, 'one lr row in All params of train (sft)');
        assert.match((await lrRow.getAttribute('class')) ?? '', /\bkind-changed\b/, 'All params: lr row not marked changed');
      });
    });

    // 3. -----------------------------------------------------------------------------------------
    it('Swap A/B flips the title and the URL; Table view flips to the N-way table and back', { timeout: TEST_TIMEOUT }, async (t) => {
      const lrA = field(stepOf(A1F3, 'train', 'sft').block, 'lr');
      const lrB = field(stepOf(B7C2, 'train', 'sft').block, 'lr');
      await withPage(t, async (page) => {
        await openPair(page, A1F3, B7C2);
        const before = urlCompare(page);
        assert.equal(before.length, 2);
        await headButton(page, 'Swap A/B').click();
        await waitPair(page, B7C2, A1F3, { timeout: SETTLED_TIMEOUT, what: 'after Swap A/B' });
        await page
          .waitForFunction(([a, b]) => {
            const e = (new URL(location.href).searchParams.get('compare') ?? '').split(',');
            return e.length === 2 && e[0].includes(b) && e[1].includes(a);
          }, [A1F3.runId, B7C2.runId], { timeout: SETTLED_TIMEOUT })
          .catch(() => assert.fail(`after Swap A/B the URL's compare= is ${JSON.stringify(urlCompare(page))}, expected ${B7C2.runId} first`));
        const lr = page.locator('.cmp-step', { hasText: 'train (sft)' }).locator('table.diff-table tr', {
          has: page.locator('td:first-child', { hasText: /^params\.lr$/ }),
        });
        assert.deepEqual(
          (await lr.locator('td').allTextContents()).slice(2, 4).map(norm),
          [lrB, lrA],
          'params.lr after Swap A/B (A column = the new A)',
        );
        // A's archive says nothing about a previous run: no "B's own" text once it is B.
        assert.equal(await page.locator('#compare-view .archive-says').count(), A1F3.configDiff === 'n/a' ? 0 : 1);

        // Table view: the two runs as N-way columns, in the swapped order; then back.
        await page.locator('.view-switch button', { hasText: 'Table view' }).click();
        await page.locator('#nway-view table.nway').waitFor({ timeout: SETTLED_TIMEOUT });
        assert.equal(await page.locator('#compare-view').count(), 0, '#compare-view still shown in Table view');
        const nway = await page.evaluate(readNway);
        assert.deepEqual(nway.heads.map((h) => h.text), [B7C2.runId, A1F3.runId], 'Table view columns');
        const lrRow = nway.rows.find((r) => r.section === 'train/sft params' && r.field === 'lr');
        assert.ok(lrRow, `Table view has no "train/sft params" lr row; rows: ${nway.rows.map((r) => `${r.section} ${r.field}`).slice(0, 40).join('; ')}`);
        assert.deepEqual(lrRow.cells.map((c) => c.text), [lrB, lrA], 'Table view lr row');
        await page.locator('.view-switch button', { hasText: 'Side by side' }).click();
        await waitPair(page, B7C2, A1F3, { timeout: SETTLED_TIMEOUT, what: 'back from Table view' });
      });
    });

    // 4. -----------------------------------------------------------------------------------------
    it('ticking two runs in the runs list enables "Compare selected" and opens the comparison', { timeout: TEST_TIMEOUT }, async (t) => {
      await withPage(t, async (page) => {
        await openDefault(page, server.url);
        const button = page.locator('#compare-selected');
        assert.equal(norm(await button.textContent()), 'Compare selected (0)');
        assert.equal(await button.isDisabled(), true, '#compare-selected enabled with nothing ticked');
        await page.getByLabel(`Select ${A1F3.runId} for comparison`).check();
        await page.locator('#compare-selected', { hasText: 'Compare selected (1)' }).waitFor({ timeout: SETTLED_TIMEOUT });
        assert.equal(await button.isDisabled(), true, '#compare-selected enabled with one run ticked');
        await page.getByLabel(`Select ${B7C2.runId} for comparison`).check();
        await page.locator('#compare-selected:not([disabled])', { hasText: 'Compare selected (2)' }).waitFor({ timeout: SETTLED_TIMEOUT });
        await button.click();
        await waitPair(page, A1F3, B7C2, { what: 'after "Compare selected"' });
        const entries = urlCompare(page);
        assert.ok(
          entries.length === 2 && entries[0].includes(A1F3.runId) && entries[1].includes(B7C2.runId),
          `URL compare= is ${JSON.stringify(entries)}`,
        );
      });
    });

    // 5. -----------------------------------------------------------------------------------------
    it('the c key compares the ticked runs, also right after ticking them (focus on the checkbox)', { timeout: TEST_TIMEOUT }, async (t) => {
      await withPage(t, async (page) => {
        await openDefault(page, server.url);
        const tick = (run) => page.getByLabel(`Select ${run.runId} for comparison`);
        await tick(A1F3).check();
        await tick(C9D4).check();
        await page.locator('#compare-selected:not([disabled])', { hasText: 'Compare selected (2)' }).waitFor({ timeout: SETTLED_TIMEOUT });
        // Focus away from the checkboxes (on the runs list heading), then c.
        await page.locator('nav#runs .side-title').click();
        await page.keyboard.press('c');
        await waitPair(page, A1F3, C9D4, { timeout: SETTLED_TIMEOUT, what: 'after pressing c (focus on the page) with two runs ticked' });

        // Back in the runs list: a user who has just ticked a run presses c with the focus still
        // on that checkbox (a checkbox takes no text, so this is not typing).
        await headButton(page, 'Close').click();
        await page.locator('#compare-view').waitFor({ state: 'detached', timeout: SETTLED_TIMEOUT });
        await tick(A1F3).check();
        await tick(C9D4).check();
        await tick(C9D4).focus();
        assert.ok(await tick(C9D4).evaluate((e) => e === document.activeElement), 'the checkbox did not take the focus');
        await page.keyboard.press('c');
        await waitPair(page, A1F3, C9D4, { timeout: SETTLED_TIMEOUT, what: 'after pressing c with the focus on a ticked checkbox' });
      });
    });

    // 6. -----------------------------------------------------------------------------------------
    it('Markdown, Copy Markdown and HTML exports hold the lr change and both run ids', { timeout: TEST_TIMEOUT }, async (t) => {
      const diff = cliDiff(A1F3, B7C2);
      const lrA = field(stepOf(A1F3, 'train', 'sft').block, 'lr');
      const lrB = field(stepOf(B7C2, 'train', 'sft').block, 'lr');
      await withPage(t, async (page, { context }) => {
        await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
        await openPair(page, A1F3, B7C2);
        const base = `${A1F3.runId}-vs-${B7C2.runId}`;

        const mdDl = await download(page, () => headButton(page, 'Markdown').first().click(), 'Markdown download', SETTLED_TIMEOUT);
        assert.equal(mdDl.name, `${base}.md`);
        const mdPath = mdDl.file;
        const md = fs.readFileSync(mdPath, 'utf8');
        assert.ok(md.includes(A1F3.runId) && md.includes(B7C2.runId), 'the Markdown lacks a run id');
        assert.ok(md.includes(`${diff.count} changes`), `the Markdown does not say "${diff.count} changes"`);
        const lrLines = md.split('\n').filter((l) => l.startsWith('| `params.lr` |'));
        assert.equal(lrLines.length, 1, `Markdown lines for params.lr: ${JSON.stringify(lrLines)}`);
        const cells = lrLines[0].split(' | ').map((c) => c.replace(/^\| |\s*\|$/g, '').trim());
        assert.deepEqual(cells.slice(0, 4), ['`params.lr`', 'changed', lrA, lrB], `Markdown lr line: ${lrLines[0]}`);

        // Copy Markdown puts the same text on the clipboard.
        await headButton(page, 'Copy Markdown').click();
        await page
          .waitForFunction((md) => navigator.clipboard.readText().then((t) => t === md, () => false), md, { timeout: SETTLED_TIMEOUT, polling: 100 })
          .catch(async () => {
            const clip = await page.evaluate(() => navigator.clipboard.readText().catch((e) => `(unreadable: ${e})`));
            assert.fail(`the clipboard after "Copy Markdown" differs from the Markdown download: ${JSON.stringify(clip.slice(0, 200))}`);
          });

        const htmlDl = await download(page, () => headButton(page, 'HTML').click(), 'HTML download', SETTLED_TIMEOUT);
        assert.equal(htmlDl.name, `${base}.html`);
        const htmlPath = htmlDl.file;
        const html = fs.readFileSync(htmlPath, 'utf8');
        assert.doesNotMatch(html, /<script/i, 'the HTML export has a <script');
        assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'the HTML export has an on* handler attribute');
        const doc = await page.evaluate((html) => {
          const d = new DOMParser().parseFromString(html, 'text/html');
          const rows = [...d.querySelectorAll('tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim()));
          return { text: d.body.textContent, lr: rows.filter((r) => r[0] === 'params.lr') };
        }, html);
        assert.ok(doc.text.includes(A1F3.runId) && doc.text.includes(B7C2.runId), 'the HTML text lacks a run id');
        assert.ok(doc.text.includes(`${diff.count} changes`), `the HTML text does not say "${diff.count} changes"`);
        assert.equal(doc.lr.length, 1, `HTML rows for params.lr: ${JSON.stringify(doc.lr)}`);
        assert.deepEqual(doc.lr[0].slice(0, 4), ['params.lr', 'changed', lrA, lrB], 'HTML lr row');
      });
    });

    // 7. -----------------------------------------------------------------------------------------
    it('the CPT train step overlays both runs\' loss curves', { timeout: TEST_TIMEOUT }, async (t) => {
      const points = readOracle(A1F3.runId, 'cpt').byTag.get('lm_loss').length + readOracle(B7C2.runId, 'cpt').byTag.get('lm_loss').length;
      await withPage(t, async (page) => {
        await openPair(page, A1F3, B7C2);
        const step = page.locator('#cmp-steps .cmp-step', { has: page.locator('h3', { hasText: /^train \(cpt\)/ }) });
        assert.equal(await step.count(), 1, 'one train (cpt) step in the comparison');
        await step.locator('.loss-chart .legend-item').nth(1).waitFor({ timeout: LOAD_TIMEOUT }).catch(async () => {
          assert.fail(`no overlay chart with two legend items in train (cpt): ${norm(await step.textContent()).slice(-400)}`);
        });
        const legend = (await step.locator('.loss-chart .legend-item').allTextContents()).map(norm);
        assert.equal(legend.length, 2, `legend: ${JSON.stringify(legend)}`);
        assert.ok(legend[0].startsWith(`A ${A1F3.runId}`), `first legend item: ${legend[0]}`);
        assert.ok(legend[1].startsWith(`B ${B7C2.runId}`), `second legend item: ${legend[1]}`);
        await page
          .waitForFunction(
            ({ sel, n }) => {
              const step = [...document.querySelectorAll(sel)].find((s) => /^train \(cpt\)/.test(s.querySelector('h3')?.textContent ?? ''));
              const m = (step?.querySelector('.chart-note')?.textContent ?? '').match(/^\s*([\d,]+) points in view/);
              return m && Number(m[1].replace(/,/g, '')) === n;
            },
            { sel: '#cmp-steps .cmp-step', n: points },
            { timeout: SETTLED_TIMEOUT },
          )
          .catch(async () =>
            assert.fail(`overlay note should count ${points} points (both oracles); it reads ${JSON.stringify(await step.locator('.chart-note').textContent().catch(() => null))}`),
          );
      });
    });

    // 8. -----------------------------------------------------------------------------------------
    it('the SFT train step overlays a TensorBoard curve with a CSV curve', { timeout: TEST_TIMEOUT }, async (t) => {
      // A1F3's SFT loss is a TensorBoard file (tag lm_loss), B7C2's a CSV export (one series,
      // named after the file): both are the step's loss, and both are read.
      await withPage(t, async (page) => {
        await openPair(page, A1F3, B7C2);
        const step = page.locator('#cmp-steps .cmp-step', { has: page.locator('h3', { hasText: /^train \(sft\)/ }) });
        // Settled: the chart, or a message that is not a reading state.
        const settled = step
          .locator('.loss-chart .legend-item >> nth=1')
          .or(step.locator(':scope > p.muted', { hasText: /share no tag|^\s*Overlay: (?!.*reading…)/ }));
        await settled.first().waitFor({ timeout: LOAD_TIMEOUT });
        if ((await step.locator('.loss-chart .legend-item').count()) < 2) {
          assert.fail(
            `no overlay chart with two legend items in train (sft) once both curves are read; the step says: ` +
              `${JSON.stringify((await step.locator(':scope > p.muted').allTextContents()).map(norm))}`,
          );
        }
        const legend = (await step.locator('.loss-chart .legend-item').allTextContents()).map(norm);
        assert.ok(legend[0].startsWith(`A ${A1F3.runId}`) && legend[1].startsWith(`B ${B7C2.runId}`), `legend: ${JSON.stringify(legend)}`);
      });
    });

    // 9. -----------------------------------------------------------------------------------------
    it('three runs: N-way table with status, best final_loss, sorting and loss at a step', { timeout: TEST_TIMEOUT }, async (t) => {
      const runs = [A1F3, B7C2, C9D4];
      const STEP = 1000;
      await withPage(t, async (page) => {
        await page.goto(`${server.url}?compare=${runs.map((r) => r.runId).join(',')}`);
        await page.locator('#nway-view table.nway').waitFor({ timeout: LOAD_TIMEOUT });
        await waitIdle(page);
        assert.equal(await page.locator('#compare-view').count(), 0, 'three runs show the two-run view');
        assert.equal(await page.locator('.view-switch button').count(), 0, 'three runs offer a view switch');
        assert.deepEqual(urlCompare(page), runs.map((r) => r.runId), 'URL compare= while comparing');
        let nway = await page.evaluate(readNway);
        assert.deepEqual(nway.heads.map((h) => h.text), runs.map((r) => r.runId), 'column headers');
        assert.deepEqual(nway.heads.map((h) => h.sort), ['none', 'none', 'none'], 'aria-sort before any click');

        const status = nway.rows.find((r) => r.section === 'summary' && r.field === 'status');
        assert.ok(status, 'no summary status row');
        assert.deepEqual(status.cells.map((c) => c.text), runs.map((r) => r.status), 'summary status row');

        // Best final_loss (lower is better) per training stage, from the archives.
        const stages = [...new Set(runs.flatMap((r) => r.steps.filter((s) => s.name === 'train').map((s) => s.stage)))];
        let checked = 0;
        for (const stage of stages) {
          const values = runs.map((r) => trainingFigure(r, stage, 'final_loss'));
          const nums = values.map((v) => (v === undefined ? NaN : Number(v)));
          if (new Set(values).size < 2) continue;
          const best = nums.indexOf(Math.min(...nums.filter((x) => !Number.isNaN(x))));
          const row = nway.rows.find((r) => r.section === `train/${stage} training` && r.field === 'final_loss');
          assert.ok(row, `no "train/${stage} training" final_loss row`);
          assert.deepEqual(
            row.cells.map((c) => c.text.replace(/ ★$/, '')),
            values.map((v) => v ?? '—'),
            `train/${stage} final_loss values`,
          );
          assert.deepEqual(row.cells.map((c) => c.best), runs.map((_, i) => i === best), `train/${stage} final_loss: best cell should be ${runs[best].runId}`);
          assert.ok(row.cells[best].text.endsWith(' ★'), `train/${stage} final_loss best cell lacks ★: ${row.cells[best].text}`);
          checked += 1;
        }
        assert.ok(checked >= 1, 'no final_loss row could be checked');

        // Sorting by a run's values: aria-sort, and that column's numbers in order.
        const numbersIn = (rows, i) =>
          rows.filter((r) => !r.atStep).map((r) => r.cells[i].text.replace(/ ★$/, '')).filter((s) => /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(s)).map(Number);
        const headBtn = (i) => page.locator('#nway-view table.nway thead th').nth(2 + i).locator('button');
        const waitSort = async (i, want) => {
          await page
            .waitForFunction(({ i, want }) => document.querySelectorAll('#nway-view table.nway thead th')[2 + i]?.getAttribute('aria-sort') === want, { i, want }, { timeout: SETTLED_TIMEOUT })
            .catch(async () => assert.fail(`header ${i} aria-sort is ${await page.locator('#nway-view table.nway thead th').nth(2 + i).getAttribute('aria-sort')}, expected ${want}`));
          return page.evaluate(readNway);
        };
        await headBtn(1).click();
        nway = await waitSort(1, 'ascending');
        assert.deepEqual(nway.heads.map((h) => h.sort), ['none', 'ascending', 'none']);
        const asc = numbersIn(nway.rows, 1);
        assert.ok(asc.length > 5, 'too few numeric values to check the sort');
        assert.deepEqual(asc, [...asc].sort((x, y) => x - y), `sorted ascending by ${B7C2.runId}`);
        await headBtn(1).click();
        nway = await waitSort(1, 'descending');
        const desc = numbersIn(nway.rows, 1);
        assert.deepEqual(desc, [...desc].sort((x, y) => y - x), `sorted descending by ${B7C2.runId}`);

        // Loss at a chosen step: one row per training stage, each run's value from its curve.
        await page.locator('[aria-label="Step for the loss row"]').fill(String(STEP));
        await page
          .waitForFunction(
            ({ n, step }) => {
              const rows = [...document.querySelectorAll('#nway-view table.nway tbody tr.at-step')];
              return rows.length === n && rows.every((r) => r.textContent.includes(`loss @ step ${step}`) && !r.textContent.includes('reading…'));
            },
            { n: stages.length, step: STEP },
            { timeout: LOAD_TIMEOUT },
          )
          .catch(async () => {
            const rows = (await page.evaluate(readNway)).rows.filter((r) => r.atStep);
            assert.fail(`expected ${stages.length} read "loss @ step ${STEP}" rows; found ${JSON.stringify(rows)}`);
          });
        nway = await page.evaluate(readNway);
        const problems = [];
        let exact = 0;
        for (const stage of stages) {
          const row = nway.rows.find((r) => r.atStep && r.section === `${stage} curve`);
          if (!row) {
            problems.push(`no "${stage} curve" row`);
            continue;
          }
          if (row.field !== `loss @ step ${STEP}`) problems.push(`${stage}: field "${row.field}"`);
          runs.forEach((run, i) => {
            const cell = row.cells[i]?.text;
            const hasCurve = trainingFigure(run, stage, 'loss_curve') !== undefined;
            if (!hasCurve) {
              if (cell !== '—') problems.push(`${stage} ${run.runId}: "${cell}", expected "—" (no train ${stage} curve)`);
              return;
            }
            const pts = curvePoints(run, stage);
            const at = pts.find((p) => p.step === STEP);
            if (at) {
              exact += 1;
              if (!/^-?[\d.]+(e[+-]?\d+)?$/i.test(cell) || Math.fround(parseFloat(cell)) !== Math.fround(at.value)) {
                problems.push(`${stage} ${run.runId}: "${cell}", expected lm_loss ${at.value} at step ${STEP} (f32 ${Math.fround(at.value)})`);
              }
              return;
            }
            const near = pts.reduce((b, p) => (Math.abs(p.step - STEP) < Math.abs(b.step - STEP) ? p : b));
            const m = cell?.match(/^(\S+) \(step (\d+)\)$/);
            if (!m || Number(m[2]) !== near.step || Math.fround(parseFloat(m[1])) !== Math.fround(near.value)) {
              problems.push(`${stage} ${run.runId}: "${cell}", expected the nearest logged step: "${near.value} (step ${near.step})"`);
            }
          });
        }
        assert.deepEqual(problems, [], `"loss @ step ${STEP}" rows vs the curves`);
        assert.ok(exact >= 2, `only ${exact} runs have step ${STEP} in their curves: the check is too weak`);
      });
    });

    // 10. ----------------------------------------------------------------------------------------
    it('archive URLs in ?compare= open the same comparison as run ids', { timeout: TEST_TIMEOUT }, async (t) => {
      const diff = cliDiff(A1F3, B7C2);
      await withPage(t, async (page) => {
        await openPair(page, A1F3, B7C2, [A1F3, B7C2].map((r) => `samples/${r.runId}/archive.md`));
        assert.equal(norm(await page.locator('#compare-view .compare-count').textContent()), `${diff.count} changes`);
      });
    });

    it('a run compared with an archive that has no steps lists every step as only in A', { timeout: TEST_TIMEOUT }, async (t) => {
      const steps = (fs.readFileSync(path.join(A1F3.dir, 'archive.md'), 'utf8').match(/^- step_id: /gm) ?? []).length;
      await withPage(t, async (page) => {
        await openPair(page, A1F3, { runId: BARE_ID }, [`samples/${A1F3.runId}/archive.md`, BARE_PATH]);
        const only = await page.locator('#compare-view .step-only').allTextContents();
        assert.equal(only.length, steps, `steps listed as only in one run: ${JSON.stringify(only)}`);
        assert.ok(only.every((s) => s.startsWith('only in A')), JSON.stringify(only));
      });
    });

    // 11. ----------------------------------------------------------------------------------------
    it('"Compare with the previous run" in a run view opens the comparison with the previous run as A', { timeout: TEST_TIMEOUT }, async (t) => {
      const prev = [A1F3, C9D4].find((r) => r.runId === B7C2.previous);
      assert.ok(prev, `fixture: ${B7C2.runId}'s previous run ${B7C2.previous} is not a bundled sample`);
      await withPage(t, async (page) => {
        await page.goto(`${server.url}?run=samples/${B7C2.runId}/archive.md`);
        await page.locator('#run-title', { hasText: B7C2.runId }).waitFor({ timeout: LOAD_TIMEOUT });
        await waitIdle(page);
        const button = page.locator('#sec-changes #compare-previous');
        await button.waitFor({ timeout: SETTLED_TIMEOUT });
        assert.equal(norm(await button.textContent()), `Compare with the previous run ${prev.runId}`);
        await button.click();
        await waitPair(page, prev, B7C2, { what: 'after "Compare with the previous run"' });
        const entries = urlCompare(page);
        assert.ok(
          entries.length === 2 && entries[0].includes(prev.runId) && entries[1].includes(B7C2.runId),
          `URL compare= is ${JSON.stringify(entries)}`,
        );
        assert.ok(norm(await page.locator('#compare-view .archive-says').textContent()).includes('(against A)'), '.archive-says lacks "(against A)"');

        // Close goes back to a run view and drops compare= from the URL.
        await headButton(page, 'Close').click();
        await page.locator('#compare-view').waitFor({ state: 'detached', timeout: SETTLED_TIMEOUT });
        await page.locator('#run-title').waitFor({ timeout: SETTLED_TIMEOUT });
        await page
          .waitForFunction(() => !new URL(location.href).searchParams.has('compare'), null, { timeout: SETTLED_TIMEOUT })
          .catch(() => assert.fail(`the URL keeps compare= after Close: ${page.url()}`));
      });
    });
  });
}
