// Issue 14: the workspace over files real writers made (../shared/real/: Megatron-LM 2021,
// PyTorch Lightning, a TF1 estimator, TF2 Keras event files, and a Megatron-DeepSpeed text
// log), each dropped as the CPT curve of a run folder the app has never seen. Read back:
// one panel per tag of the union of what the files hold, and under the crosshair each run's
// value equal to the file's own at the step it names (TensorBoard's reading of the event
// files; the log's `iteration N/ M | name: value | ...` lines, read here).
//
// The files are third-party and not copied into the project: without ../shared/real/ (a
// fresh clone) the test is skipped, saying so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  browserSession, distIsBuilt, DIST, ROOT, sampleRun, newRunId, withRunId, curveOf,
  openDroppedInWorkspace,
} from './helpers.mjs';
import { startServer } from './server.mjs';

const REAL = path.resolve(ROOT, '..', 'shared', 'real');
const EVENT_FILES = [
  'megatron-lm-2021-gpt3-357m',
  'lightning-char-lstm',
  'tf1-estimator-guesslang-eval',
  'keras-early-tf2-styx',
];
const LOG = path.join(REAL, 'logs', 'megatron-deepspeed-qwen7b-single-node', 'qwen7b_baseline_500.log');
const A1F3 = '20251103-0853-a1f3';

/** Adds `value` at `step` of `tag` to `byTag` (tag -> step -> the values at that step:
 * Lightning writes a tag's last step twice). */
function put(byTag, tag, step, value) {
  if (!byTag.has(tag)) byTag.set(tag, new Map());
  const steps = byTag.get(tag);
  steps.set(step, [...(steps.get(step) ?? []), value]);
}

/** TensorBoard's reading of an event file (its `.oracle.jsonl`). */
function oracle(file) {
  const byTag = new Map();
  for (const line of fs.readFileSync(`${file}.oracle.jsonl`, 'utf8').split('\n').filter(Boolean)) {
    const o = JSON.parse(line);
    put(byTag, o.tag, o.step, o.value);
  }
  return byTag;
}

/** A Megatron text log's iteration lines (the step is the iteration). */
function logSeries(file) {
  const byTag = new Map();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = line.match(/^\s*iteration\s+(\d+)\s*\/\s*\d+\s*\|(.*)$/);
    if (!m) continue;
    for (const field of m[2].split('|')) {
      const kv = field.match(/^\s*([^:|]+?)\s*:\s*(\S+)\s*$/);
      if (!kv || !Number.isFinite(Number(kv[2]))) continue;
      put(byTag, kv[1], Number(m[1]), Number(kv[2]));
    }
  }
  return byTag;
}

if (!fs.existsSync(REAL)) {
  test('workspace over real writers\' files (issue 14)', (t) => {
    t.skip(`${REAL} is absent (a fresh clone): the third-party files it reads are not in the project`);
  });
} else if (distIsBuilt()) {
  test('workspace over real writers\' files (issue 14)', { timeout: 5 * 60_000 }, async (t) => {
    const s = await browserSession('realws', { defaultTimeout: 60_000 });
    const root = path.join(s.tmp, 'runs');
    const sample = sampleRun(A1F3);
    const cpt = curveOf(sample, 2);
    const truth = new Map();
    const newRun = (suffix) => {
      const id = newRunId(sample, suffix);
      const dir = path.join(root, id);
      fs.cpSync(sample.dir, dir, { recursive: true });
      return { id, dir };
    };
    // Four runs, each with one real event file in place of its CPT event file.
    EVENT_FILES.forEach((name, i) => {
      const { id, dir } = newRun(`real${i}`);
      fs.writeFileSync(path.join(dir, 'archive.md'), withRunId(sample, id));
      const src = fs.readdirSync(path.join(REAL, 'tfevents', name)).find((f) => !f.endsWith('.jsonl'));
      fs.copyFileSync(path.join(REAL, 'tfevents', name, src), path.join(dir, cpt.rel));
      truth.set(id, oracle(path.join(REAL, 'tfevents', name, src)));
    });
    // A fifth whose CPT curve file is the text log (its archive names it).
    {
      const { id, dir } = newRun('reallog');
      fs.rmSync(path.join(dir, cpt.rel));
      const text = withRunId(sample, id).replace(
        /(loss_curve: \S*?)\/tensorboard\/cpt\/\S+/,
        (_, head) => `${head}/logs/${path.basename(LOG)}`,
      );
      assert.notEqual(text, withRunId(sample, id), 'the archive names the log as the CPT curve');
      fs.writeFileSync(path.join(dir, 'archive.md'), text);
      fs.copyFileSync(LOG, path.join(dir, 'logs', path.basename(LOG)));
      truth.set(id, logSeries(LOG));
    }
    const ids = [...truth.keys()];
    const union = [...new Set([...truth.values()].flatMap((m) => [...m.keys()]))].sort();
    const server = await startServer({ root: DIST });
    try {
      await t.test('every tag of the files is a panel; the crosshair reads each file\'s own values', () =>
        s.withPage(t, async (page) => {
          await openDroppedInWorkspace(page, server.url, root, ids);

          const tags = (await page.$$eval('#workspace .ws-panel', (els) => els.map((e) => e.dataset.tag))).sort();
          assert.deepEqual(tags, union, 'one panel per tag of the union of the five files');
          // `lm loss` is in the Megatron event file and in the log: one panel, both runs.
          const both = await page.locator('.ws-panel[data-tag="lm loss"] figcaption').textContent();
          assert.match(both, /\b2 of 2 runs/, 'the event file and the log share the `lm loss` panel');

          let read = 0;
          for (const tag of union) {
            const canvas = page.locator(`#workspace .ws-panel[data-tag="${tag}"] canvas`);
            await canvas.scrollIntoViewIfNeeded();
            const box = await canvas.boundingBox();
            await canvas.hover({ position: { x: Math.round(box.width * 0.6), y: Math.round(box.height / 2) } });
            await page.waitForFunction((tag) => (document.querySelector('.ws-values h2')?.textContent ?? '').startsWith(tag), tag);
            const rows = await page.$$eval('.ws-value', (els) => els.map((e) => ({ run: e.dataset.run, value: e.dataset.value, step: Number(e.dataset.step) })));
            const having = ids.filter((id) => truth.get(id).has(tag)).sort();
            assert.deepEqual(rows.map((r) => r.run).sort(), having, `${tag}: a row per run whose file has the tag`);
            for (const row of rows) {
              const want = truth.get(row.run).get(tag).get(row.step);
              assert.ok(want, `${tag} ${row.run}: step ${row.step} is not in the file`);
              assert.ok(want.some((v) => Math.fround(v) === Math.fround(Number(row.value))), `${tag} ${row.run} step ${row.step}: ${row.value} vs the file's ${want.join(' or ')}`);
              read++;
            }
          }
          assert.ok(read >= union.length, `${read} values read under the crosshair`);
        }, { viewport: { width: 1400, height: 900 } }),
      );
    } finally {
      await server.close();
      await s.close();
    }
  });
}
