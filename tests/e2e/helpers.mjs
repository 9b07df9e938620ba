// Shared helpers for the browser end-to-end tests (used by charts.test.mjs).
//
//   paths        ROOT, DIST (honours RUNLENS_E2E_DIST), SAMPLES, ORACLE, OUT
//   browser      launchBrowser(tmpDir), pageRunner(browser, opts) -> withPage(t, fn)
//   page waits   waitIdle(page), nextFrame(page)
//   reference    readOracle(runId, part), csvDataRows(text), tfrecordTail(bytes)
//   event files  crc32c(bytes), maskedCrc32c(bytes), tfrecord(data), encodeEvent({...}),
//                writeScalarEventFile(file, {...})
//   read back    eventRecords(bytes) -> every record with its offsets, CRC state, step and tags;
//                decodeEventTags(data)
//   output       metric(name, value, unit) -> prints `e2e-metric <name> <value> <unit>`
//   archives     CLI, esc(s), norm(s), sectionText(text, title), field(text, key),
//                stepField(text, stepId, key), findFile(dir, name)

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
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
 * `withPage(t, fn)`: run `fn(page, {context, pageErrors, consoleErrors})` in a fresh context;
 * fail on uncaught page errors; on failure save a screenshot to OUT/<prefix><test name>.png
 * and append page/console errors to the message.
 */
export function pageRunner(browser, { prefix = 'failed-', defaultTimeout = 30_000 } = {}) {
  return async function withPage(t, fn) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
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
