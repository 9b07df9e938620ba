// Issue 13, item 4: comparisons say what they can.
// - One run of a pair without its curve files: the other run's curve is still drawn, the
//   missing file is named with a drop target, and dropping it completes the overlay.
// - A step only one run has shows its content in the page and in the Markdown export, as
//   `runlens diff --json` reports it.
// - The table of three or more runs: the two-run view's filters, rows grouped by step, a
//   section column that does not break words, the star on every tied best and never on a
//   failed run, and the runs' loss curves overlaid.
// Expected values come from the sample archives, the curve oracles and the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI, DIST, SAMPLES, launchBrowser, norm, pageRunner, readOracle, stepField, waitIdle } from './helpers.mjs';
import { startServer } from './server.mjs';

const A1F3 = '20251103-0853-a1f3';
const B7C2 = '20251110-1420-b7c2';
const C9D4 = '20251112-2201-c9d4';
const LOAD_TIMEOUT = 60_000;
const archiveOf = (id) => fs.readFileSync(path.join(SAMPLES, id, 'archive.md'), 'utf8');
const withRunId = (text, from, to) => text.split(from).join(to);

/** The archive's step `id` block, for reading its fields. */
const lossCurveOf = (text, stepId) => {
  const block = text.split(/^- step_id: /m).find((b) => b.startsWith(`${stepId}\n`)) ?? '';
  return block.match(/^\s+loss_curve: (\S+)/m)?.[1];
};

/** `runlens diff --json` of two archive files: the reference of what the page shows. */
function cliDiff(a, b) {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: build it with \`cargo build --bin runlens\``);
  return JSON.parse(execFileSync(CLI, ['diff', a, b, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 }));
}

/** Drops `files` ({name, bytes}) on the element `sel` (the page body when null). */
async function dropOn(page, sel, files) {
  const payload = files.map((f) => ({ name: f.name, base64: Buffer.from(f.bytes).toString('base64') }));
  await page.evaluate(
    ({ sel, payload }) => {
      const target = sel ? document.querySelector(sel) : document.body;
      if (!target) throw new Error(`no ${sel}`);
      const dt = new DataTransfer();
      for (const f of payload) dt.items.add(new File([Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))], f.name));
      const r = target.getBoundingClientRect();
      for (const type of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(
          new DragEvent(type, { bubbles: true, cancelable: true, composed: true, dataTransfer: dt, clientX: r.left + 4, clientY: r.top + 4 }),
        );
      }
    },
    { sel, payload },
  );
}

/** The number a chart's note says is in view. */
const pointsInView = (text) => Number((text.match(/([\d,]+) points in view/)?.[1] ?? 'NaN').replace(/,/g, ''));

if (!fs.existsSync(path.join(DIST, 'index.html'))) {
  test('runlens web app is built (dist/index.html)', () => assert.fail('build the app first with `trunk build --release`'));
} else {
  test('comparisons say what they can (issue 13, item 4)', { timeout: 10 * 60_000 }, async (t) => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-compare13-'));

    // A step only the second run has: an eval on two more datasets.
    const EXTRA = [
      '- step_id: 8',
      '  name: eval',
      '  stage: sft',
      '  status: success',
      '  config: configs/steps/08_eval_extra.py',
      '  params:',
      '    backend: vllm',
      '    num_fewshot: 3',
      '  eval:',
      '    datasets:',
      '      - pubmedqa',
      '      - medmcqa',
      '    results:',
      '      pubmedqa: 0.7731',
      '      medmcqa: 0.5619',
      '',
      '',
    ].join('\n');
    const EXTRA_ID = '20251103-0853-e8x1';
    const extraText = withRunId(archiveOf(A1F3), A1F3, EXTRA_ID).replace('## Repro\n', `${EXTRA}## Repro\n`);
    const extraFile = path.join(tmp, 'extra.md');
    fs.writeFileSync(extraFile, extraText);

    // Three runs for the table: two tie on the SFT loss (spelled differently), the failed one
    // stopped early with a lower loss and a shorter time.
    const sftLoss = (text) => stepField(text, 5, 'final_loss');
    const base = archiveOf(A1F3);
    const loss = sftLoss(base);
    assert.ok(loss, 'the sample has an SFT final_loss');
    const T = ['20251201-0001-tie1', '20251201-0002-tie2', '20251201-0003-fail'];
    const tie1 = withRunId(base, A1F3, T[0]);
    const tie2 = withRunId(base, A1F3, T[1]).replace(`final_loss: ${loss}\n`, `final_loss: ${loss}0\n`);
    const failed = withRunId(base, A1F3, T[2])
      .replace(/^- status: success$/m, '- status: failed')
      .replace(`final_loss: ${loss}\n`, `final_loss: ${(Number(loss) / 2).toString()}\n`);
    const routes = {
      '/extra/archive.md': { body: extraText },
      '/t/tie1/archive.md': { body: tie1 },
      '/t/tie2/archive.md': { body: tie2 },
      '/t/fail/archive.md': { body: failed },
    };
    const server = await startServer({ root: DIST, routes });
    const browser = await launchBrowser(tmp);
    const withPage = pageRunner(browser, { prefix: 'failed-compare13-', defaultTimeout: LOAD_TIMEOUT });
    try {
      await t.test('one run without curve files: the other curve is drawn, the missing file asked for', () =>
        withPage(t, async (page) => {
          const id = '20251110-1420-nocv';
          const text = withRunId(archiveOf(B7C2), B7C2, id);
          const cptPath = lossCurveOf(text, 2);
          const cptName = cptPath.split('/').pop();
          await page.goto(server.url);
          await page.locator('nav#runs [data-run-key]').first().waitFor();
          await dropOn(page, null, [{ name: 'archive.md', bytes: Buffer.from(text) }]);
          await page.locator('#run-title', { hasText: id }).waitFor();
          await waitIdle(page);
          await page.getByLabel(`Select ${A1F3} for comparison`).check();
          await page.getByLabel(`Select ${id} for comparison`).check();
          await page.locator('#compare-selected:not([disabled])').click();
          await page.locator('#compare-view').waitFor();
          const title = norm(await page.locator('#compare-title').textContent());
          const bundledSide = title.startsWith(`A ${A1F3}`) ? 'A' : 'B';
          const step = page.locator('#cmp-steps .cmp-step', { has: page.locator('h3', { hasText: /^train \(cpt\)/ }) });
          const drop = step.locator(`.curve-drop[aria-label="Drop ${cptName} here"]`);
          await drop.waitFor();
          assert.ok(norm(await drop.textContent()).includes(cptName), 'the drop target names the file');
          await step.locator('.loss-chart .legend-item').first().waitFor();
          const legend = (await step.locator('.loss-chart .legend-item').allTextContents()).map(norm);
          assert.equal(legend.length, 1, `one curve drawn: ${JSON.stringify(legend)}`);
          assert.ok(legend[0].startsWith(`${bundledSide} ${A1F3}`), `the bundled run's curve is drawn: ${legend[0]}`);
          const own = readOracle(A1F3, 'cpt').byTag.get('lm_loss').length;
          await step.locator('.chart-note', { hasText: `${own.toLocaleString('en-US')} points in view` }).or(step.locator('.chart-note', { hasText: `${own} points in view` })).first().waitFor();
          assert.match(norm(await step.locator('.overlay-partial').textContent()), new RegExp(`${cptName.replace(/\./g, '\\.')} not loaded`));

          // Dropping the file on its target completes the overlay.
          const file = path.join(SAMPLES, B7C2, 'tensorboard', 'cpt', cptName);
          await dropOn(page, `#cmp-steps .cmp-step .curve-drop[aria-label="Drop ${cptName} here"]`, [{ name: cptName, bytes: fs.readFileSync(file) }]);
          await step.locator('.loss-chart .legend-item').nth(1).waitFor();
          const both = own + readOracle(B7C2, 'cpt').byTag.get('lm_loss').length;
          await page.waitForFunction(
            (n) => [...document.querySelectorAll('#cmp-steps .cmp-step')].some((s) => {
              const m = (s.querySelector('.chart-note')?.textContent ?? '').match(/([\d,]+) points in view/);
              return /^train \(cpt\)/.test(s.querySelector('h3')?.textContent ?? '') && m && Number(m[1].replace(/,/g, '')) === n;
            }),
            both,
          );
          assert.equal(await step.locator('.curve-drop').count(), 0, 'the drop target is gone once the file is read');
          assert.equal(pointsInView(await step.locator('.chart-note').textContent()), both);
        }));

      await t.test('a step only in B shows its content, as diff --json reports it', () =>
        withPage(t, async (page) => {
          const j = cliDiff(path.join(SAMPLES, A1F3, 'archive.md'), extraFile);
          const only = j.steps.find((s) => s.presence === 'only_b');
          assert.ok(only?.step, 'the CLI reports the step with its content');
          await page.goto(`${server.url}?compare=samples/${A1F3}/archive.md,/extra/archive.md`);
          await page.locator('#compare-view').waitFor();
          await waitIdle(page);
          const card = page.locator('#cmp-steps .cmp-only.only-b');
          assert.equal(await card.count(), 1);
          assert.match(norm(await card.locator('.step-only').textContent()), /^only in B eval \(sft\)/);
          const text = norm(await card.textContent());
          const want = [only.step.config, only.step.status];
          for (const [k, v] of Object.entries(only.step.params)) want.push(k, String(v));
          for (const d of only.step.eval.datasets) want.push(d);
          for (const [k, v] of Object.entries(only.step.eval.results)) want.push(k, String(v));
          const missing = want.filter((w) => !text.includes(w));
          assert.deepEqual(missing, [], `the only-in-B step lacks these: ${text.slice(0, 400)}`);
          const results = await card.locator('.eval table.results tbody tr').evaluateAll((rows) =>
            rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent.trim())),
          );
          assert.deepEqual(results, Object.entries(only.step.eval.results).map(([k, v]) => [k, String(v)]));
          // The Markdown export carries it too.
          const [download] = await Promise.all([
            page.waitForEvent('download'),
            page.locator('#compare-view .compare-head button', { hasText: /^Markdown$/ }).click(),
          ]);
          const md = fs.readFileSync(await download.path(), 'utf8');
          for (const [k, v] of Object.entries(only.step.eval.results)) {
            assert.ok(md.includes(`\`eval.results.${k}\` | ${v} |`), `Markdown lacks ${k}: ${v}`);
          }
        }));

      await t.test('three runs: filters, groups, unbroken sections, tied stars, no star for a failed run', () =>
        withPage(t, async (page) => {
          await page.goto(`${server.url}?compare=/t/tie1/archive.md,/t/tie2/archive.md,/t/fail/archive.md`);
          const table = page.locator('#nway-view table.nway');
          await table.waitFor();
          await waitIdle(page);
          const read = () =>
            page.evaluate(() =>
              [...document.querySelectorAll('#nway-view table.nway tbody tr')].map((tr) => ({
                group: tr.classList.contains('group-row'),
                same: tr.classList.contains('same'),
                cells: [...tr.querySelectorAll('td')].map((td) => ({ text: td.textContent.replace(/\s+/g, ' ').trim(), best: td.classList.contains('best') })),
              })),
            );
          let rows = await read();
          const loss = rows.find((r) => r.cells[0].text === 'train/sft training' && r.cells[1].text === 'final_loss');
          assert.ok(loss, 'a train/sft final_loss row');
          assert.deepEqual(loss.cells.slice(2).map((c) => c.best), [true, true, false], `tied best starred, failed run not: ${JSON.stringify(loss.cells)}`);
          assert.ok(loss.cells[2].text.endsWith('★') && loss.cells[3].text.endsWith('★'));
          assert.ok(!rows.some((r) => r.cells.at(-1)?.best), 'no star for the failed run anywhere');
          // Groups: each step heads its rows once.
          const groups = rows.filter((r) => r.group).map((r) => r.cells[0].text);
          assert.deepEqual(groups, [...new Set(groups)], `groups repeat: ${groups}`);
          assert.ok(groups.includes('summary') && groups.includes('train/sft'), `groups: ${groups}`);
          // Run-id-only rows hidden by default; every shown row differs.
          const ownId = (r) => r.cells.slice(2).every((c, i) => c.text.includes(['20251201-0001-tie1', '20251201-0002-tie2', '20251201-0003-fail'][i]) && c.text !== ['20251201-0001-tie1', '20251201-0002-tie2', '20251201-0003-fail'][i]);
          assert.ok(!rows.some((r) => !r.group && ownId(r)), 'a run-id-only row is shown by default');
          assert.ok(!rows.some((r) => r.same), 'a row that does not differ is shown with "differences only"');
          const box = (label) => page.locator('#nway-view .compare-head label', { hasText: label }).locator('input[type=checkbox]');
          await box('hide run-id-only changes').uncheck();
          await page.waitForFunction(() => document.querySelectorAll('#nway-view table.nway tbody tr').length > 0);
          rows = await read();
          assert.ok(rows.some((r) => !r.group && ownId(r)), 'unticking shows the run-id-only rows');
          await box('differences only').uncheck();
          rows = await read();
          const lr = rows.find((r) => r.cells[0].text === 'train/sft params' && r.cells[1].text === 'lr');
          assert.ok(lr?.same, 'an equal param shows once "differences only" is off');
          // The section column never breaks inside a word.
          const broken = await page.evaluate(() =>
            [...document.querySelectorAll('#nway-view td.nway-section, #nway-view td.group-name')].filter((td) => {
              const lh = parseFloat(getComputedStyle(td).lineHeight) || 18;
              return td.textContent.trim() && td.getBoundingClientRect().height > lh * 1.9 && getComputedStyle(td).whiteSpace !== 'nowrap';
            }).length,
          );
          assert.equal(broken, 0, 'section cells wrap');
          assert.equal(await page.locator('#nway-view td.nway-section').first().evaluate((td) => getComputedStyle(td).whiteSpace), 'nowrap');
        }));

      await t.test('three bundled runs: their loss curves overlaid', () =>
        withPage(t, async (page) => {
          const runs = [A1F3, B7C2, C9D4];
          await page.goto(`${server.url}?compare=${runs.join(',')}`);
          await page.locator('#nway-view table.nway').waitFor();
          await page.locator('#nway-view .compare-head label', { hasText: 'loss curves' }).locator('input').check();
          const overlay = page.locator('#nway-view .nway-overlay');
          await overlay.locator('.loss-chart .legend-item').nth(runs.length - 1).waitFor();
          const legend = (await overlay.locator('.legend-item').allTextContents()).map(norm);
          assert.deepEqual(legend.map((l) => l.split(' ')[0]), runs, `legend: ${JSON.stringify(legend)}`);
          const points = runs.reduce((n, r) => n + readOracle(r, 'cpt').byTag.get('lm_loss').length, 0);
          await page.waitForFunction(
            (n) => Number(((document.querySelector('#nway-view .nway-overlay .chart-note')?.textContent ?? '').match(/([\d,]+) points in view/)?.[1] ?? '').replace(/,/g, '')) === n,
            points,
          );
        }));
    } finally {
      await browser.close();
      await server.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
}
