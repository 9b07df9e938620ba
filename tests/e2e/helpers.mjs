// Shared helpers for the browser end-to-end tests (every *.test.mjs imports from here: a helper
// two test files need lives here, once).
//
//   paths        ROOT, DIST (honours RUNLENS_E2E_DIST), SAMPLES, ORACLE, OUT, CLI, CHROMIUM
//   browser      launchBrowser(tmpDir), pageRunner(browser, opts) -> withPage(t, fn, contextOptions),
//                browserSession(name, opts) -> { tmp, browser, withPage, close }, distIsBuilt()
//   page waits   waitIdle(page), nextFrame(page), waitListed(page, ids), listedKeys(page),
//                waitRun(page, runId), openRun(page, url, runId), openDefault(page, url), alerts(page),
//                waitLoadError(page, parts, what), waitInView(page, stepSel, op, n), readInView(sel)
//   page input   drag(page, phases, files, sel), dropFiles(page, files, sel), textFile(name, text),
//                bytesFile(name, bytes, type), download(page, click, what), watchDialogs(page),
//                expandAll(page), watchFrames(page, name)
//   samples      sampleRun(runId), sampleRuns(), BUNDLED_IDS, stepBlocks(text), curveOf(run, stepId),
//                withRunId(run, newId), newRunId(run, suffix), sharePayload(text), grouped(n)
//   reference    readOracle(runId, part), csvDataRows(text), tfrecordTail(bytes)
//   event files  crc32c(bytes), maskedCrc32c(bytes), tfrecord(data), encodeEvent({...}),
//                writeScalarEventFile(file, {...})
//   read back    eventRecords(bytes) -> every record with its offsets, CRC state, step and tags;
//                decodeEventTags(data)
//   output       metric(name, value, unit) -> prints `e2e-metric <name> <value> <unit>`
//   archives     esc(s), norm(s), sectionText(text, title), field(text, key),
//                stepField(text, stepId, key), findFile(dir, name)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '../..');
// RUNLENS_E2E_DIST points the tests at another build of the app (default: the project's dist/).
export const DIST = process.env.RUNLENS_E2E_DIST
  ? path.resolve(process.env.RUNLENS_E2E_DIST)
  : path.resolve(ROOT, 'dist');
export const SAMPLES = path.join(ROOT, 'static', 'samples');
export const ORACLE = path.join(ROOT, 'tests', 'fixtures', 'oracle');
export const OUT = path.join(HERE, 'out');

export const CHROMIUM = process.env.RUNLENS_E2E_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Print a performance number as `e2e-metric <name> <value> <unit>` (ms to 0.1). */
export function metric(name, value, unit) {
  console.log(`e2e-metric ${name} ${Number(value).toFixed(unit === 'ms' ? 1 : 0)} ${unit}`);
}

// ---------------------------------------------------------------------------------------------
// Browser

/**
 * Launch headless Chromium with its profile and temp files under `tmpDir` (which the caller
 * removes afterwards).
 */
export async function launchBrowser(tmpDir) {
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} not found (apt-get install chromium)`);
  const chromeTmp = path.join(tmpDir, 'chromium');
  fs.mkdirSync(chromeTmp, { recursive: true });
  const savedTmp = process.env.TMPDIR;
  process.env.TMPDIR = chromeTmp;
  try {
    return await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  } finally {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
  }
}

/**
 * `withPage(t, fn, contextOptions)`: run `fn(page, {context, pageErrors, consoleErrors})` in a
 * fresh context (with `contextOptions` added); fail on uncaught page errors; on failure save a
 * screenshot to OUT/<prefix><test name>.png and append page/console errors to the message.
 */
export function pageRunner(browser, { prefix = 'failed-', defaultTimeout = 30_000 } = {}) {
  return async function withPage(t, fn, contextOptions = {}) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, ...contextOptions });
    const page = await context.newPage();
    page.setDefaultTimeout(defaultTimeout);
    const pageErrors = [];
    const consoleErrors = [];
    page.on('pageerror', (e) => pageErrors.push(String(e?.stack || e)));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/\/favicon\.ico$/.test(m.location()?.url ?? '')) {
        consoleErrors.push(`${m.text()} (${m.location()?.url ?? '?'})`);
      }
    });
    try {
      await fn(page, { context, pageErrors, consoleErrors });
      assert.deepEqual(pageErrors, [], 'uncaught errors in the page');
    } catch (err) {
      fs.mkdirSync(OUT, { recursive: true });
      const shot = path.join(OUT, `${prefix}${t.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80)}.png`);
      await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
      const extra = [];
      if (pageErrors.length) extra.push(`page errors:\n  ${pageErrors.slice(0, 5).join('\n  ')}`);
      if (consoleErrors.length) extra.push(`console errors:\n  ${consoleErrors.slice(0, 10).join('\n  ')}`);
      extra.push(`screenshot: ${shot}`);
      if (err && typeof err.message === 'string') err.message += `\n${extra.join('\n')}`;
      throw err;
    } finally {
      await context.close();
    }
  };
}

/**
 * A browser for one test file: a temporary folder (Chromium's profile and temp files, free for
 * the test's own files too), headless Chromium, and `withPage` from `pageRunner` (failure
 * screenshots named `failed-<name>-<test>.png`). `close()` closes the browser and removes the
 * folder.
 */
export async function browserSession(name, { defaultTimeout } = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `runlens-e2e-${name}-`));
  const removeTmp = () => fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 5 });
  let browser;
  try {
    browser = await launchBrowser(tmp);
  } catch (err) {
    removeTmp();
    throw err;
  }
  const withPage = pageRunner(browser, { prefix: `failed-${name}-`, defaultTimeout });
  return {
    tmp,
    browser,
    withPage,
    async close() {
      try {
        await browser.close();
      } finally {
        removeTmp();
      }
    },
  };
}

/**
 * Whether dist/ holds a build of the app. When it does not, registers one failing test that
 * says how to build it (so a missing build is a failure, not a silently empty run).
 */
export function distIsBuilt() {
  const index = path.join(DIST, 'index.html');
  if (fs.existsSync(index)) return true;
  test('runlens web app is built (dist/index.html)', () => {
    assert.fail(
      `${index} is missing: build the app first with \`trunk build --release\` ` +
        `(from ${ROOT}), then run \`node --test tests/e2e/\` again.`,
    );
  });
  return false;
}

/** Wait for `<html data-busy="0">` (the app is idle). */
export async function waitIdle(page, timeout = 30_000) {
  try {
    await page.waitForFunction(() => document.documentElement.dataset.busy === '0', null, { timeout });
  } catch {
    const busy = await page.evaluate(() => document.documentElement.dataset.busy).catch(() => '?');
    assert.fail(`the app did not become idle: <html data-busy> is ${JSON.stringify(busy)}, expected "0"`);
  }
}

/** Resolve after the next animation frame of the page. */
export const nextFrame = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));

/** The keys (`data-run-key`) of the runs list, in order. */
export const listedKeys = (page) => page.$$eval('nav#runs [data-run-key]', (els) => els.map((e) => e.dataset.runKey));

/** Wait until the runs list holds every id of `ids` (fails naming what it holds). */
export async function waitListed(page, ids, what = 'runs list', timeout = 30_000) {
  try {
    await page.waitForFunction(
      (ids) => ids.every((id) => document.querySelector(`nav#runs [data-run-key="${CSS.escape(id)}"]`)),
      ids,
      { timeout },
    );
  } catch {
    const keys = await listedKeys(page).catch(() => '?');
    assert.fail(`${what}: expected the runs list to hold ${JSON.stringify(ids)}; it holds ${JSON.stringify(keys)}`);
  }
}

/** Waits until every curve file of the open workspace is read (or could not be: `failed` of
 * them), then until the app is idle. */
export async function waitFilesRead(page, failed = 0) {
  await page.waitForFunction((failed) => {
    const t = document.querySelector('#workspace .ws-files')?.textContent ?? '';
    const m = t.match(/(\d+) of (\d+) curve files read/);
    const bad = Number(t.match(/(\d+) could not be read/)?.[1] ?? 0);
    return m && bad === failed && Number(m[1]) + bad === Number(m[2]) && Number(m[2]) > 0;
  }, failed);
  await waitIdle(page);
}

/** Opens `url`, drops the run folders under `root` on the folder picker, ticks the runs
 * `ids` in the runs list, opens them in the workspace and waits until every file is read. */
export async function openDroppedInWorkspace(page, url, root, ids) {
  await page.goto(url);
  await waitIdle(page);
  await page.locator('input#folder-input').setInputFiles(root);
  await waitListed(page, ids, 'dropped run folders');
  for (const id of ids) await page.locator(`nav#runs li.run-row:has([data-run-key="${id}"]) input.pick`).check();
  await page.locator('#workspace-selected').click();
  await page.locator('#workspace').waitFor();
  await waitFilesRead(page);
}

/** The alerts of #load-errors (their text, white space folded, without the dismiss button). */
export const alerts = (page) =>
  page
    .$$eval('#load-errors [role="alert"]', (els) =>
      els.map((el) => [...el.childNodes].filter((c) => c.nodeName !== 'BUTTON').map((c) => c.textContent).join('').replace(/\s+/g, ' ').trim()),
    )
    .catch((e) => [`(alerts unreadable: ${e.message})`]);

/** An alert in #load-errors containing every string of `parts`; returns its text. */
export async function waitLoadError(page, parts, what, timeout = 30_000) {
  try {
    const h = await page.waitForFunction(
      (parts) =>
        [...document.querySelectorAll('#load-errors [role="alert"]')]
          .map((e) => [...e.childNodes].filter((c) => c.nodeName !== 'BUTTON').map((c) => c.textContent).join('').replace(/\s+/g, ' ').trim())
          .find((t) => parts.every((p) => t.includes(p))) ?? false,
      parts,
      { timeout },
    );
    return await h.jsonValue();
  } catch {
    assert.fail(`${what}: expected an alert in #load-errors naming ${JSON.stringify(parts)}; alerts: ${JSON.stringify(await alerts(page))}`);
  }
}

/** Wait until the run `runId` is open (the title shows it), the app idle, a frame drawn. */
export async function waitRun(page, runId, what = '', timeout = 30_000) {
  try {
    await page.waitForFunction((id) => (document.querySelector('#run-title')?.textContent ?? '').includes(id), runId, { timeout });
  } catch {
    const state = await page
      .evaluate(() => ({
        url: location.href,
        title: document.querySelector('#run-title')?.textContent?.replace(/\s+/g, ' ').trim() ?? null,
        compare: !!document.querySelector('#compare-view'),
      }))
      .catch(() => '?');
    const shown = { ...(typeof state === 'object' ? state : { page: state }), alerts: await alerts(page) };
    assert.fail(`${what ? `${what}: ` : ''}expected run ${runId} to be open; the page shows ${JSON.stringify(shown)}`);
  }
  await waitIdle(page);
  await waitDrawn(page);
  await nextFrame(page);
}

/**
 * Waits until each run view shown has drawn all its step cards and sections (they follow
 * the first screen a batch or a group a frame: `<article class="run" data-drawn>`).
 */
export async function waitDrawn(page, timeout = 30_000) {
  try {
    await page.waitForFunction(() => !document.querySelector('article.run[data-drawn="partial"]'), null, { timeout });
  } catch {
    assert.fail('a run view did not finish drawing its step cards and sections (<article class="run" data-drawn="partial">)');
  }
}

/** In-view count of the chart note `sel` (null when there is none); runs in the page. */
export function readInView(sel) {
  const t = document.querySelector(sel)?.textContent ?? '';
  const m = t.match(/^\s*([\d,]+) points in view/);
  return m ? Number(m[1].replace(/,/g, '')) : null;
}

/**
 * Wait until the in-view count of the loss chart of the step `stepSel` satisfies `op`
 * (eq|lt|gt) `n`; returns the count then. Fails with what the note and the curve area read.
 */
export async function waitInView(page, stepSel, op, n, { timeout = 10_000, what = '' } = {}) {
  const sel = `${stepSel} .loss-chart .chart-note`;
  try {
    await page.waitForFunction(
      ({ sel, op, n }) => {
        const m = (document.querySelector(sel)?.textContent ?? '').match(/^\s*([\d,]+) points in view/);
        if (!m) return false;
        const c = Number(m[1].replace(/,/g, ''));
        return op === 'eq' ? c === n : op === 'lt' ? c < n : c > n;
      },
      { sel, op, n },
      { timeout },
    );
  } catch {
    const shown = await page
      .evaluate(
        ({ sel, stepSel }) => ({
          note: document.querySelector(sel)?.textContent ?? null,
          curve: document.querySelector(`${stepSel} .curve`)?.textContent.replace(/\s+/g, ' ').trim().slice(0, 500) ?? null,
        }),
        { sel, stepSel },
      )
      .catch(() => ({ note: '?', curve: '?' }));
    const word = { eq: 'equal to', lt: 'less than', gt: 'more than' }[op];
    assert.fail(
      `${what ? `${what}: ` : ''}expected the in-view count of ${sel} to be ${word} ${grouped(n)}; ` +
        `the note reads ${JSON.stringify(shown.note)}, the curve area ${JSON.stringify(shown.curve)}`,
    );
  }
  return page.evaluate(readInView, sel);
}

/** Open the bundled sample `runId` (`<url>?run=samples/<runId>/archive.md`) and wait until it is shown. */
export async function openRun(page, url, runId) {
  await page.goto(`${url}?run=samples/${runId}/archive.md`);
  await waitRun(page, runId, `?run=samples/${runId}/archive.md`);
}

/** Open `url` (the app) and wait for the bundled runs in the runs list, a run view, and idle. */
export async function openDefault(page, url) {
  await page.goto(url);
  await waitListed(page, BUNDLED_IDS, 'bundled runs list');
  await page.locator('#run-title').waitFor({ timeout: 30_000 });
  await waitIdle(page);
  await waitDrawn(page);
}

// ---------------------------------------------------------------------------------------------
// Page input

/**
 * Drag files onto `sel` (default: the page body) as a user would from a file manager: a
 * DataTransfer with Files, the events of `phases` (of dragenter/dragover/dragleave/drop)
 * dispatched on the target at its centre (on the body: at (400, 300); a dragleave leaving the
 * window at (0, 0) with no related target, as Chromium reports it). `files`:
 * [{name, text} | {name, base64}], each optionally with `tail` repeated `times` times after its
 * data (a huge file in little memory: the parts of a Blob are shared, not copied). Without
 * `files` the DataTransfer of the previous call is reused (one drag gesture over several calls).
 */
export async function drag(page, phases, files = null, sel = null) {
  await page.evaluate(
    ({ phases, files, sel }) => {
      const target = sel ? document.querySelector(sel) : document.body;
      if (!target) throw new Error(`drag: no element ${sel}`);
      if (files) {
        const dt = new DataTransfer();
        for (const f of files) {
          const data = f.base64 != null ? Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0)) : f.text;
          const tail = f.tail != null ? Array(f.times).fill(new Blob([f.tail])) : [];
          dt.items.add(new File([data, ...tail], f.name, { type: f.type ?? '' }));
        }
        window.__e2eDataTransfer = dt;
      }
      const dt = window.__e2eDataTransfer;
      const r = target.getBoundingClientRect();
      const over = sel ? { clientX: r.left + r.width / 2, clientY: r.top + r.height / 2 } : { clientX: 400, clientY: 300 };
      for (const type of phases) {
        const at = type === 'dragleave' ? { clientX: 0, clientY: 0, relatedTarget: null } : over;
        target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, composed: true, dataTransfer: dt, ...at }));
      }
    },
    { phases, files, sel },
  );
}

/** Drop `files` on `sel` (default: the page body): see `drag`. */
export const dropFiles = (page, files, sel = null) => drag(page, ['dragenter', 'dragover', 'drop'], files, sel);

/** A Markdown file of `text`, for `drag`/`dropFiles`. */
export const textFile = (name, text) => ({ name, text, type: 'text/markdown' });

/** A file of `bytes`, for `drag`/`dropFiles`. */
export const bytesFile = (name, bytes, type = '') => ({ name, base64: Buffer.from(bytes).toString('base64'), type });

/**
 * Run `click` (a function that clicks something that downloads) and wait for the download;
 * fails with `<what> failed: <reason>` when it does not complete. Returns `{ name, file }`:
 * the suggested file name and the path of the downloaded file.
 */
export async function download(page, click, what, timeout = 10_000) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout }), click()]);
  const file = await dl.path();
  assert.ok(file, `${what} failed: ${await dl.failure()}`);
  return { name: dl.suggestedFilename(), file };
}

/** Collect the dialogs the page opens (a payload calling alert/confirm/prompt), dismissing each. */
export function watchDialogs(page) {
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  return dialogs;
}

/**
 * Count the page's animation frames in `window[name]` = `{ frames, maxGap }` (the longest gap
 * between two frames, ms) until the test sets `window[name].painted`. The test adds its own
 * fields to the same object.
 */
export async function watchFrames(page, name) {
  await page.evaluate((name) => {
    const s = (window[name] = { maxGap: 0, frames: 0 });
    let last = performance.now();
    const loop = () => {
      const now = performance.now();
      s.maxGap = Math.max(s.maxGap, now - last);
      s.frames += 1;
      last = now;
      if (s.painted === undefined) requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  }, name);
}

/** Open every <details>, wait until every image has loaded or failed, then two frames. */
export async function expandAll(page) {
  await page.evaluate(async () => {
    for (const d of document.querySelectorAll('details')) d.open = true;
    await Promise.all(
      [...document.images].map((img) =>
        img.complete ? null : new Promise((r) => { img.addEventListener('load', r); img.addEventListener('error', r); }),
      ),
    );
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  });
}

// ---------------------------------------------------------------------------------------------
// Reference values

/**
 * The oracle of a bundled event file: tests/fixtures/oracle/<runId>.<part>.jsonl, one
 * `{tag, step, wall_time, value}` per line. Returns `{ file, points, tags, byTag }` with tags
 * in order of first appearance and `byTag` a Map tag -> points.
 */
export function readOracle(runId, part) {
  const file = path.join(ORACLE, `${runId}.${part}.jsonl`);
  const points = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
  const byTag = new Map();
  for (const p of points) {
    if (!byTag.has(p.tag)) byTag.set(p.tag, []);
    byTag.get(p.tag).push(p);
  }
  assert.ok(points.length > 0, `${file} is empty`);
  return { file, points, tags: [...byTag.keys()], byTag };
}

/** The data rows of a CSV text (header and blank lines left out; CRLF or LF). */
export function csvDataRows(text) {
  return text.split(/\r?\n/).slice(1).filter((l) => l.trim() !== '');
}

/**
 * Walk the TFRecord framing of `bytes`: `{ records, wholeEnd }` where `wholeEnd` is the byte
 * offset where the whole records end (== bytes.length unless the file is cut off).
 */
export function tfrecordTail(bytes) {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  let records = 0;
  while (pos + 12 <= buf.length) {
    const len = Number(buf.readBigUInt64LE(pos));
    if (buf.readUInt32LE(pos + 8) !== maskedCrc32c(buf.subarray(pos, pos + 8))) {
      throw new Error(`record header at byte ${pos} fails its CRC`);
    }
    if (pos + 12 + len + 4 > buf.length) break;
    pos += 12 + len + 4;
    records += 1;
  }
  return { records, wholeEnd: pos };
}

// ---------------------------------------------------------------------------------------------
// TensorBoard event files (TFRecord framing + Event protobuf)

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    table[i] = c >>> 0;
  }
  return table;
})();

/** CRC32C (Castagnoli) of `bytes`. */
export function crc32c(bytes) {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC32C_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** TFRecord's masked CRC32C. */
export function maskedCrc32c(bytes) {
  const crc = crc32c(bytes);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** One TFRecord: u64 LE length, masked CRC of the length, data, masked CRC of the data. */
export function tfrecord(data) {
  const out = Buffer.alloc(12 + data.length + 4);
  out.writeBigUInt64LE(BigInt(data.length), 0);
  out.writeUInt32LE(maskedCrc32c(out.subarray(0, 8)), 8);
  out.set(data, 12);
  out.writeUInt32LE(maskedCrc32c(data), 12 + data.length);
  return out;
}

function varint(n) {
  assert.ok(Number.isSafeInteger(n) && n >= 0, `varint: ${n} is not a non-negative safe integer`);
  const bytes = [];
  let v = n;
  while (v >= 0x80) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

const lenDelimited = (tagByte, body) => Buffer.concat([Buffer.from([tagByte]), varint(body.length), body]);

/**
 * An Event protobuf: wall_time (1, double), step (2, int64), summary (5) holding one
 * Summary.Value (tag: 1 string, simple_value: 2 float) per `[tag, value]` of `values`.
 */
export function encodeEvent({ wallTime, step, values }) {
  const wt = Buffer.alloc(9);
  wt[0] = 0x09;
  wt.writeDoubleLE(wallTime, 1);
  const parts = [wt, Buffer.from([0x10]), varint(step)];
  if (values?.length) {
    const vals = values.map(([tag, v]) => {
      const f = Buffer.alloc(5);
      f[0] = 0x15;
      f.writeFloatLE(v, 1);
      return lenDelimited(0x0a, Buffer.concat([lenDelimited(0x0a, Buffer.from(tag, 'utf8')), f]));
    });
    parts.push(lenDelimited(0x2a, Buffer.concat(vals)));
  }
  return Buffer.concat(parts);
}

/**
 * Write an event file of `steps` events (steps 1..steps), each carrying one scalar per tag of
 * `tags` with the value `valueOf(tagIndex, step)`. Returns `{ bytes, scalars }`.
 */
export function writeScalarEventFile(file, { steps, tags, wallStart, wallStep = 1, valueOf }) {
  const chunks = [];
  let bytes = 0;
  for (let step = 1; step <= steps; step++) {
    const rec = tfrecord(
      encodeEvent({
        wallTime: wallStart + (step - 1) * wallStep,
        step,
        values: tags.map((tag, i) => [tag, valueOf(i, step)]),
      }),
    );
    chunks.push(rec);
    bytes += rec.length;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, Buffer.concat(chunks, bytes));
  return { bytes, scalars: steps * tags.length };
}

// ---------------------------------------------------------------------------------------------
// Reading event files back (for tests that damage them)

function readVarint(buf, pos) {
  let v = 0;
  let mul = 1;
  for (;;) {
    if (pos >= buf.length) throw new Error('varint runs past the end');
    const b = buf[pos++];
    v += (b & 0x7f) * mul;
    if (b < 0x80) return [v, pos];
    mul *= 0x80;
  }
}

/** Walk the protobuf fields of `buf`: yields [fieldNumber, wireType, value, start]. */
function* protoFields(buf) {
  let pos = 0;
  while (pos < buf.length) {
    const start = pos;
    let key;
    [key, pos] = readVarint(buf, pos);
    const field = Math.floor(key / 8);
    const wire = key % 8;
    let value;
    if (wire === 0) [value, pos] = readVarint(buf, pos);
    else if (wire === 1) { value = buf.subarray(pos, pos + 8); pos += 8; }
    else if (wire === 5) { value = buf.subarray(pos, pos + 4); pos += 4; }
    else if (wire === 2) {
      let len;
      [len, pos] = readVarint(buf, pos);
      value = buf.subarray(pos, pos + len);
      pos += len;
    } else throw new Error(`wire type ${wire} at ${start}`);
    yield [field, wire, value, start];
  }
}

/** `{ step, tags }` of an Event protobuf (tags of its summary values, in order). */
export function decodeEventTags(data) {
  let step = 0;
  const tags = [];
  for (const [f, w, v] of protoFields(Buffer.from(data))) {
    if (f === 2 && w === 0) step = v;
    if (f === 5 && w === 2) {
      for (const [sf, sw, sv] of protoFields(v)) {
        if (sf === 1 && sw === 2) {
          for (const [vf, vw, vv] of protoFields(sv)) if (vf === 1 && vw === 2) tags.push(vv.toString('utf8'));
        }
      }
    }
  }
  return { step, tags };
}

/**
 * Every record of the TFRecord framing of `bytes`, whole or not: `{ records, wholeEnd }` with
 * each record `{ start, end, dataOk, step, tags }` (`dataOk`: its data CRC holds; step/tags
 * only when it does). Stops at a header whose CRC fails or a record cut off by the end.
 */
export function eventRecords(bytes) {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records = [];
  let pos = 0;
  while (pos + 12 <= buf.length) {
    const len = Number(buf.readBigUInt64LE(pos));
    if (buf.readUInt32LE(pos + 8) !== maskedCrc32c(buf.subarray(pos, pos + 8))) break;
    const end = pos + 12 + len + 4;
    if (end > buf.length) break;
    const data = buf.subarray(pos + 12, pos + 12 + len);
    const dataOk = buf.readUInt32LE(pos + 12 + len) === maskedCrc32c(data);
    records.push({ start: pos, end, dataOk, ...(dataOk ? decodeEventTags(data) : { step: null, tags: [] }) });
    pos = end;
  }
  return { records, wholeEnd: pos };
}

// ---------------------------------------------------------------------------------------------
// Archive text and fixture files

/** The `runlens` CLI the tests use as a reference (RUNLENS_E2E_CLI overrides it). */
export const CLI = process.env.RUNLENS_E2E_CLI || path.join(ROOT, 'target', 'debug', 'runlens');

/** `s` escaped for use inside a RegExp. */
export const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** White space folded to single spaces, trimmed. */
export const norm = (s) => (s ?? '').replace(/\s+/g, ' ').trim();

/** The text of the `## <title>...` section of an archive ('' when absent). */
export function sectionText(text, title) {
  return text.split(/^## /m).find((s) => s.startsWith(title)) ?? '';
}

/** First `key: value` line (any indent, optional `- `) in `text`, or undefined. */
export function field(text, key) {
  const m = (text ?? '').match(new RegExp(`^\\s*(?:- )?${esc(key)}: (.*)$`, 'm'));
  return m ? m[1].trim() : undefined;
}

/** `key: value` of the step `stepId` in an archive's Steps section (first match). */
export function stepField(archiveText, stepId, key) {
  const steps = sectionText(archiveText, 'Steps');
  const block = steps.split(/^(?=- step_id: )/m).find((b) => b.startsWith(`- step_id: ${stepId}\n`));
  return field(block, key);
}

/** The first file named `name` below `dir`, or undefined. */
export function findFile(dir, name) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      const f = findFile(p, name);
      if (f) return f;
    } else if (e.name === name) return p;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The sample archives (static/samples/<run id>/archive.md)

/** The run ids of the bundled samples (their folder names), sorted. */
export const BUNDLED_IDS = fs
  .readdirSync(SAMPLES)
  .filter((d) => fs.existsSync(path.join(SAMPLES, d, 'archive.md')))
  .sort();

/**
 * The sample run `runId`: `{ runId, dir, archive, text, experiment, status }` (the last two from
 * its Summary). Fails when its run_id is not its folder name or it has no experiment/status.
 */
export function sampleRun(runId) {
  const dir = path.join(SAMPLES, runId);
  const archive = path.join(dir, 'archive.md');
  const text = fs.readFileSync(archive, 'utf8');
  const summary = sectionText(text, 'Summary');
  const run = { runId, dir, archive, text, experiment: field(summary, 'experiment'), status: field(summary, 'status') };
  assert.equal(field(summary, 'run_id'), runId, `${archive}: run_id differs from its folder name`);
  assert.ok(run.experiment && run.status, `${archive}: no experiment/status in Summary`);
  return run;
}

/** Every bundled sample run (`sampleRun`), by run id. */
export const sampleRuns = () => BUNDLED_IDS.map(sampleRun);

/** Of sample `runs`: `good`, the newest success with a curves/ folder, and `failed`, the failed one. */
export function goodAndFailed(runs) {
  return {
    good: [...runs].reverse().find((r) => r.status === 'success' && fs.existsSync(path.join(r.dir, 'curves'))),
    failed: runs.find((r) => r.status === 'failed'),
  };
}

/** The `- step_id: N` blocks of an archive's Steps section, in file order: `{ id, name, stage, block }`. */
export function stepBlocks(text) {
  return sectionText(text, 'Steps')
    .split(/^(?=- step_id: )/m)
    .slice(1)
    .map((block) => ({
      id: block.match(/^- step_id: (\S+)/)[1],
      name: field(block, 'name'),
      stage: field(block, 'stage') ?? '',
      block,
    }));
}

/** Name, local path and path inside the run folder of the curve file of step `stepId` of `run`. */
export function curveOf(run, stepId) {
  const curve = stepField(run.text, stepId, 'loss_curve');
  assert.ok(curve, `${run.archive}: step ${stepId} has no loss_curve`);
  const name = curve.split('/').pop();
  const file = findFile(run.dir, name);
  assert.ok(file, `${name} (loss_curve of step ${stepId}) is not under ${run.dir}`);
  return { name, file, rel: path.relative(run.dir, file) };
}

/** `run`'s archive text with its run id replaced everywhere by `newId` (a run no one has seen). */
export const withRunId = (run, newId) => run.text.replaceAll(run.runId, newId);

/** A new run id of the same shape as `run`'s (date-time-suffix). */
export const newRunId = (run, suffix) => run.runId.replace(/-[^-]+$/, `-${suffix}`);

/** The fragment payload a share link carries: base64url(raw deflate(text)). */
export const sharePayload = (text) => zlib.deflateRawSync(Buffer.from(text, 'utf8'), { level: 9 }).toString('base64url');

/** `n` with thousands separators, as the app shows counts (12,345). */
export const grouped = (n) => n.toLocaleString('en-US');

/** `\bbyte N\b` with N plain or grouped (12345 or 12,345), as the app names a byte offset. */
export const byteRe = (n) => new RegExp(`\\bbyte (${n}|${esc(grouped(n))})\\b`);

// ---------------------------------------------------------------------------------------------
// Big curve files read in the worker (worker16.test.mjs, bench.mjs)

/** Value of tag `i` at `step` in the generated big curve files (the test compares with it). */
export const bigValueOf = (i, s) => (i === 0 ? 1.5 + 2.3 * Math.exp(-s / 400_000) + Math.sin(s * 12.9898) * 0.01 : i + s * 1e-6);

/**
 * A run folder under `dir` holding `run`'s archive and, as step 2's curve, a generated event
 * file of about `scalars` scalars over `tags` (the loss first). Returns
 * `{ folder, name, file, bytes, scalars, steps, tags }`.
 */
export function writeBigCurveRun(dir, run, { scalars, tags }) {
  const cpt = curveOf(run, '2');
  const folder = path.join(dir, run.runId);
  fs.mkdirSync(folder, { recursive: true });
  fs.copyFileSync(run.archive, path.join(folder, 'archive.md'));
  const file = path.join(folder, cpt.rel);
  const steps = Math.ceil(scalars / tags.length);
  const w = writeScalarEventFile(file, { steps, tags, wallStart: 1762161200, wallStep: 10, valueOf: bigValueOf });
  return { folder, name: cpt.name, file, bytes: w.bytes, scalars: w.scalars, steps, tags };
}

/**
 * Records, from now on, in `window.__load`: long tasks on the page's thread
 * (`longTasks: [ms]`), each click's delay until its handler ran (`clicks: [ms]`, for clicks on
 * anything), when step 2's first chart of the file, drawn while it is read, was painted
 * (`firstChart`) and when its note first read `want` (`done`, then `painted` a frame later),
 * for the curve file `name`; `t0` is set by the
 * folder input's change; `longAt` lists each long task as `start+duration` ms after `t0`.
 */
export async function watchBigLoad(page, want, name) {
  await page.evaluate(({ want, name }) => {
    const s = (window.__load = { longTasks: [], clicks: [] });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (s.t0 !== undefined && s.painted === undefined) {
          s.longTasks.push(e.duration);
          s.longAt = [...(s.longAt ?? []), `${(e.startTime - s.t0).toFixed(0)}+${e.duration.toFixed(0)}`];
        }
      }
    }).observe({ type: 'longtask' });
    document.addEventListener('change', (e) => { if (e.target?.id === 'folder-input' && s.t0 === undefined) s.t0 = performance.now(); }, true);
    document.addEventListener('click', (e) => { if (e.target?.id === 'e2e-click-probe') s.clicks.push(performance.now() - e.timeStamp); }, true);
    const obs = new MutationObserver(() => {
      if (s.t0 === undefined) return;
      // Step 2's chart of the big file drawn while it is read (`data-partial`): not the chart
      // of the run shown before, whose file may have the same name.
      const head = document.querySelector('#step-2 .step-chart[data-partial] .chart-head');
      const canvas = document.querySelector('#step-2 .step-chart[data-partial] .loss-chart canvas');
      if (s.firstChart === undefined && head?.textContent.includes(name) && canvas) {
        requestAnimationFrame(() => { s.firstChart = performance.now(); });
        s.firstChart = null;
      }
      const note = document.querySelector('#step-2 .step-chart:not([data-partial]) .chart-note');
      if (note && note.textContent.trim().startsWith(want) && s.done === undefined) {
        s.done = performance.now();
        obs.disconnect();
        requestAnimationFrame(() => { s.painted = performance.now(); });
      }
    });
    obs.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
    // A plain element to click on while the file loads.
    const probe = document.createElement('button');
    probe.id = 'e2e-click-probe';
    probe.textContent = 'probe';
    probe.style.cssText = 'position:fixed;right:0;bottom:0;z-index:99999';
    document.body.append(probe);
  }, { want, name });
}

/**
 * Clicks the probe each time the load moves on (its progress bar changes, or the chart is
 * drawn) until the load in `window.__load` is painted; returns how many clicks were made
 * before it was.
 */
export async function clickWhileLoading(page, name, timeout = 120_000) {
  let clicks = 0;
  let seen = '';
  const state = (name) => {
    const bar = [...document.querySelectorAll('.curve-loading')].find((b) => b.textContent.includes(name));
    const p = bar?.querySelector('progress');
    return { painted: window.__load.painted !== undefined, at: p ? `${p.value}/${p.max}` : '' };
  };
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    const s = await page.evaluate(state, name);
    if (s.painted) return clicks;
    if (s.at && s.at !== seen) {
      await page.locator('#e2e-click-probe').click({ timeout: 5_000 });
      clicks += 1;
      seen = s.at;
    }
    await page.waitForFunction(
      ({ name, seen }) => {
        const bar = [...document.querySelectorAll('.curve-loading')].find((b) => b.textContent.includes(name));
        const p = bar?.querySelector('progress');
        return window.__load.painted !== undefined || (p && `${p.value}/${p.max}` !== seen);
      },
      { name, seen },
      { timeout: Math.max(1, end - Date.now()) },
    );
  }
  throw new Error('the big curve never finished loading');
}

/**
 * A parsed manifest's runs, each with its query fields by name, whatever its version: version 3
 * writes field names once (`names`) and each run's fields as `f: [id, value, ...]`; version 2
 * writes `fields: {name: value}`.
 */
export function manifestRunFields(m) {
  return (m.runs ?? []).map((r) => {
    const fields = { ...(r.fields ?? {}) };
    const f = r.f ?? [];
    for (let i = 0; i + 1 < f.length; i += 2) fields[m.names[f[i]]] = f[i + 1];
    return { ...r, fields };
  });
}

/** A seeded generator of floats in [0, 1) (mulberry32): the same inputs on every machine. */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Drags across `canvas` (a locator) at half its height, from fraction `from` of its width to
 * fraction `to`, in a few moves (as a hand does), with `modifier` (e.g. 'Shift') held.
 */
export async function dragAcross(page, canvas, from, to, modifier) {
  const box = await canvas.boundingBox();
  const y = box.y + box.height / 2;
  if (modifier) await page.keyboard.down(modifier);
  await page.mouse.move(box.x + box.width * from, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * to, y, { steps: 4 });
  await page.mouse.up();
  if (modifier) await page.keyboard.up(modifier);
}
