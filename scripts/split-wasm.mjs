// Splits the app's wasm module in two: what the first run's page runs before it paints (the
// first screen, loaded at start), and everything else (runlens-web_later.wasm, preloaded at low
// priority beside it; static/init.js links the two).
//
//   node scripts/split-wasm.mjs DIR     DIR: a release build (dist/, or trunk's staging folder)
//
// Which functions the first screen needs is measured, not guessed: Binaryen's wasm-split
// instruments the module, headless Chromium opens the page with the bundled runs, and the
// functions called until the frame that paints the first run's title (the page as opened, and each
// bundled run by its `?run=` link) are kept in the first part. A
// function called later that is not in it still works: its placeholder loads the later part
// at once (see static/init.js). The split build is then opened once more and must paint the
// run and its chart, with the later part in, without a page error; if anything fails the
// folder is left as it was (one module) and the script exits with 1.
//
// wasm-split comes from Debian's `binaryen` package (108 on bookworm; scripts/setup.sh unpacks
// it, without installing it over npm's newer wasm-opt). Two things that release cannot do are
// worked around here, on the bytes: it cannot read `table.fill` (wasm-bindgen emits
// `table.fill $externrefs i 1 null`, which is `table.set $externrefs i null`), and it writes
// every table export with index 0 (so the externref table's export is put back by name).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const E2E = path.join(ROOT, 'tests', 'e2e');
const APP = 'runlens-web_bg.wasm';
const LATER = 'runlens-web_later.wasm';
const CHROMIUM = process.env.RUNLENS_E2E_CHROMIUM || '/usr/bin/chromium';
const WASM_SPLIT = process.env.RUNLENS_WASM_SPLIT || 'wasm-split';

const say = (msg) => console.log(`split-wasm: ${msg}`);
const kb = (n) => `${(n / 1000).toFixed(0)} KB`;

// --- reading and patching the module's sections -------------------------------------------

function uleb(buf, at) {
  let value = 0;
  let shift = 0;
  let pos = at;
  for (;;) {
    const byte = buf[pos++];
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return { value, next: pos };
    shift += 7;
  }
}

function sections(buf) {
  const out = [];
  let pos = 8;
  while (pos < buf.length) {
    const id = buf[pos];
    const { value: size, next } = uleb(buf, pos + 1);
    out.push({ id, start: next, end: next + size });
    pos = next + size;
  }
  return out;
}

// Table types in order (0x70 funcref, 0x6f externref); imported tables are not expected.
function tableTypes(buf) {
  const sec = sections(buf).find((s) => s.id === 4);
  if (!sec) return [];
  const { value: count, next } = uleb(buf, sec.start);
  const types = [];
  let pos = next;
  for (let i = 0; i < count; i++) {
    types.push(buf[pos]);
    const flags = buf[pos + 1];
    pos = uleb(buf, pos + 2).next;
    if (flags & 1) pos = uleb(buf, pos).next;
  }
  return types;
}

// Every table export: its name, its index and where that index byte sits.
function tableExports(buf) {
  const sec = sections(buf).find((s) => s.id === 7);
  if (!sec) return [];
  let { value: count, next: pos } = uleb(buf, sec.start);
  const out = [];
  for (let i = 0; i < count; i++) {
    const len = uleb(buf, pos);
    const name = buf.subarray(len.next, len.next + len.value).toString('utf8');
    const kind = buf[len.next + len.value];
    const index = uleb(buf, len.next + len.value + 1);
    if (kind === 1) out.push({ name, index: index.value, at: len.next + len.value + 1, width: index.next - len.next - len.value - 1 });
    pos = index.next;
  }
  return out;
}

// `ref.null extern; i32.const 1; table.fill T` -> `ref.null extern; table.set T; nop; nop`:
// the same bytes' length, the same effect.
function lowerTableFill(buf) {
  const code = sections(buf).find((s) => s.id === 10);
  const out = Buffer.from(buf);
  let n = 0;
  for (let i = code.start; i + 7 <= code.end; i++) {
    if (out[i] === 0xd0 && out[i + 1] === 0x6f && out[i + 2] === 0x41 && out[i + 3] === 0x01 && out[i + 4] === 0xfc && out[i + 5] === 0x11 && out[i + 6] < 0x80) {
      const table = out[i + 6];
      out.set([0xd0, 0x6f, 0x26, table, 0x01, 0x01, 0x01], i);
      n++;
      i += 6;
    }
  }
  return { bytes: out, lowered: n };
}

// Puts each table export back on the table the original module exported under that name, and
// a new one ("table", the function table wasm-split shares) on the function table.
function fixTableExports(buf, original) {
  const before = tableTypes(original);
  const after = tableTypes(buf);
  if (before.join() !== after.join()) throw new Error(`tables changed: ${before} -> ${after}`);
  const byName = new Map(tableExports(original).map((e) => [e.name, e.index]));
  const out = Buffer.from(buf);
  for (const e of tableExports(buf)) {
    const want = byName.has(e.name) ? byName.get(e.name) : after.indexOf(0x70);
    if (e.width !== 1 || want > 0x7f) throw new Error(`table export ${e.name} is not one byte`);
    out[e.at] = want;
  }
  return out;
}

const hasPlaceholders = (buf) =>
  WebAssembly.Module.imports(new WebAssembly.Module(buf)).some((i) => i.module === 'placeholder');

// --- the browser runs ----------------------------------------------------------------------

async function withPage(dir, routes, fn) {
  const require = createRequire(path.join(E2E, 'package.json'));
  const { chromium } = require('playwright-core');
  const { startServer } = await import(path.join(E2E, 'server.mjs'));
  const server = await startServer({ root: dir, routes });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless=new'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const result = await fn(page, server.url);
    if (errors.length) throw new Error(`page error: ${errors.join('; ')}`);
    return result;
  } finally {
    await browser.close();
    await server.close();
  }
}

// The instrumented module writes, per function, whether (and in which order) it was called.
// It is read in the first frame after the run's title is in the page and the app's first
// effects have run: the frame that paints it. Work the page puts off until after that paint
// (the step cards, the chart) is left out, whenever it comes; waiting instead for the page to
// stop changing took it in or not depending on how fast the machine building the app was (a
// first part of 734 or 930 KB).
async function recordProfile(dir, instrumented, query, holdCurves, slowArchive = false) {
  return withPage(dir, { '/runlens-web_bg.wasm': { body: instrumented, type: 'application/wasm' } }, async (page, url) => {
    await page.addInitScript((slow) => {
      // The instrumented module is slower: the app is still mounted with the first run read
      // (src/app.rs), and what waits until the run is on screen (static/init.js) does not
      // start for want of it, as at full speed. With a slow archive it is mounted without it.
      if (!slow) window.runlensMountWaitMs = 60000;
      window.runlensFirstScreenWaitMs = 60000;
      // What the page puts off until the run's title is painted (the browser's Element
      // Timing report of it) is not in the first screen, whenever the paint comes: the
      // page hears of that paint only once the profile is written.
      const Observer = window.PerformanceObserver;
      window.PerformanceObserver = class extends Observer {
        constructor(callback) {
          super((list, observer) => {
            const entries = list.getEntries();
            const tell = () => callback({ getEntries: () => entries }, observer);
            if (window.__profile) tell();
            else (window.__heldEntries ||= []).push(tell);
          });
        }
      };
      const instantiate = WebAssembly.instantiate;
      WebAssembly.instantiate = async (...args) => {
        const result = await instantiate(...args);
        const instance = result instanceof WebAssembly.Instance ? result : result.instance;
        if (instance.exports.__write_profile) window.__profiled = instance.exports;
        return result;
      };
      const write = () => {
        const w = window.__profiled;
        const at = w.memory.grow(4) * 65536;
        const n = w.__write_profile(at, 4 * 65536);
        window.__profile = Array.from(new Uint8Array(w.memory.buffer, at, n));
        for (const tell of window.__heldEntries ?? []) tell();
      };
      // Polled each frame: the run's title in the page and the app's first effects run (the
      // app marks `runlens:booted` in its own, which Yew runs after its children's). A slow,
      // instrumented first render makes Yew run the effects in a later task; read before
      // them, the profile left out code the first frame's task runs at full speed.
      const ready = () => window.__profiled
        && document.querySelector('[elementtiming="run-title"]')
        && performance.getEntriesByName('runlens:booted').length > 0;
      const poll = () => {
        if (!ready()) {
          requestAnimationFrame(poll);
          return;
        }
        requestAnimationFrame(() => {
          // Events the page gets around its first paint go through Yew's delegated
          // listeners on the body: an open <details> put in the page fires `toggle` in a task
          // of its own, before or after the paint, and the pointer may be over the page.
          // They are sent here too, so that the code that hands them out is in the first part.
          for (const d of document.querySelectorAll('details[open]')) d.dispatchEvent(new Event('toggle'));
          for (const type of ['mouseover', 'mousemove', 'pointerover', 'pointermove']) {
            document.body.dispatchEvent(new MouseEvent(type, { bubbles: true }));
          }
          write();
        });
      };
      requestAnimationFrame(poll);
    }, slowArchive);
    // Once with no curve read (its worker's script held), once with the curves read as usual:
    // a first paint may come before or after the curve reader's first message.
    if (holdCurves) await page.route('**/curve-worker.js', () => {});
    // The manifest and the run's archive late (a slow network, a loaded machine): the app is
    // mounted without them, fetches them itself and draws its page once the wait for the run
    // is over (src/app.rs, SETTLE_MS); that code too runs before the run's first paint. (Late
    // by 0.6 s each, not more: past 3 s the app stops waiting for the paint, and what it put
    // off would be recorded as the first screen's.)
    if (slowArchive) {
      for (const pattern of ['**/runs.json', '**/archive.md']) {
        await page.route(pattern, async (route) => {
          await new Promise((r) => setTimeout(r, 600));
          await route.continue();
        });
      }
    }
    await page.goto(url + query);
    await page.waitForFunction(() => window.__profile, null, { timeout: 60000 });
    return Buffer.from(await page.evaluate(() => window.__profile));
  });
}

// The split build must paint the first run and its chart, and link its later part.
async function check(dir, primary, later) {
  const routes = {
    '/runlens-web_bg.wasm': { body: primary, type: 'application/wasm' },
    [`/${LATER}`]: { body: later, type: 'application/wasm' },
  };
  await withPage(dir, routes, async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('[elementtiming="run-title"]', { timeout: 60000 });
    await page.waitForSelector('.step-chart canvas', { timeout: 60000 });
  });
}

// --- main ---------------------------------------------------------------------------------

async function main() {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: node scripts/split-wasm.mjs DIR');
  const file = path.join(dir, APP);
  const original = fs.readFileSync(file);
  if (hasPlaceholders(original)) {
    say(`${file} is split already`);
    return;
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-split-'));
  try {
    const { bytes, lowered } = lowerTableFill(original);
    const input = path.join(tmp, 'in.wasm');
    fs.writeFileSync(input, bytes);
    const tool = (args) => execFileSync(WASM_SPLIT, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    // RUNLENS_SPLIT_NAMES=1 keeps a names-kept build's function names, to see what went where.
    const run = (...args) => tool(['--all-features', ...(process.env.RUNLENS_SPLIT_NAMES ? ['-g'] : []), ...args]);
    run('--instrument', input, '-o', path.join(tmp, 'instrumented.wasm'));
    const instrumented = fixTableExports(fs.readFileSync(path.join(tmp, 'instrumented.wasm')), original);
    // The first screens: the page as opened (the first listed run) and each bundled run by
    // its link (a successful run's page runs code a failed one's does not, and back), and the
    // last one as a shared chart link (`&chart=`: a chart's settings) opens it.
    const queries = [''];
    const samples = path.join(dir, 'samples');
    if (fs.existsSync(samples)) {
      for (const run of fs.readdirSync(samples).sort()) {
        if (fs.existsSync(path.join(samples, run, 'archive.md'))) queries.push(`?run=samples/${run}/archive.md`);
      }
    }
    if (queries.length > 1) queries.push(`${queries.at(-1)}&chart=step-2~loss~0.6~step~100~500~1`);
    const profiles = [];
    for (const query of queries) {
      for (const holdCurves of [true, false]) {
        const file = path.join(tmp, `profile-${profiles.length}`);
        fs.writeFileSync(file, await recordProfile(dir, instrumented, query, holdCurves));
        profiles.push(file);
      }
    }
    // The default page and a run's link once more with the manifest and the archives late.
    for (const query of [queries[0], queries[1]].filter((q) => q !== undefined)) {
      const file = path.join(tmp, `profile-${profiles.length}`);
      fs.writeFileSync(file, await recordProfile(dir, instrumented, query, false, true));
      profiles.push(file);
    }
    tool(['--merge-profiles', ...profiles, '-o', path.join(tmp, 'profile')]);
    const names = process.env.RUNLENS_SPLIT_NAMES ? ['--placeholdermap'] : [];
    run('--profile', path.join(tmp, 'profile'), ...names, input, '-o1', path.join(tmp, 'primary.wasm'), '-o2', path.join(tmp, 'later.wasm'));
    if (names.length) fs.copyFileSync(path.join(tmp, 'primary.wasm.placeholders'), path.join(dir, 'placeholders.txt'));
    const primary = fixTableExports(fs.readFileSync(path.join(tmp, 'primary.wasm')), original);
    const later = fs.readFileSync(path.join(tmp, 'later.wasm'));
    if (!WebAssembly.validate(primary) || !WebAssembly.validate(later)) throw new Error('a part does not validate');
    await check(dir, primary, later);
    // The page asks for the later part at once, at low priority, beside the first part.
    const index = path.join(dir, 'index.html');
    const html = fs.readFileSync(index, 'utf8');
    const first = /^( *)<link rel="preload" href="\.\/runlens-web_bg\.wasm"[^>]*>\n/m;
    const m = html.match(first);
    if (!m) throw new Error(`index.html has no preload of ${APP}`);
    const preload = `${m[1]}<link rel="preload" href="./${LATER}" as="fetch" type="application/wasm" crossorigin fetchpriority="low" />\n`;
    fs.writeFileSync(file, primary);
    fs.writeFileSync(path.join(dir, LATER), later);
    if (!html.includes(`href="./${LATER}"`)) fs.writeFileSync(index, html.replace(first, (line) => line + preload));
    const gz = (b) => (execFileSync('gzip', ['-9c'], { input: b }).length);
    say(`lowered ${lowered} table.fill; ${kb(original.length)} -> first part ${kb(primary.length)} (${kb(gz(primary))} gzip) + later part ${kb(later.length)} (${kb(gz(later))} gzip)`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`split-wasm: not split, the app stays one module: ${e.message}`);
  process.exit(1);
});
