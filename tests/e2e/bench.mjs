// Browser benchmarks: loads dist/ in headless Chromium and runs the wasm benchmarks the app
// exports (event-file read throughput, decimate + draw per frame at 10M points, lineage
// layout, the workspace's grouping and frames, a scatter of 100,000 runs), then
// (issue 16) the first screen (its bytes, and when the first run paints) and generated 50 MB
// and 200 MB / 10M-scalar event files opened with their run folder while long tasks on the
// page's thread and click delays are recorded (the curve is read in a Web Worker), then a
// sharded index of RUNLENS_BENCH_RUNS generated runs (100,000 by default; written and
// indexed with the CLI, RUNLENS_E2E_CLI or target/debug/runlens): the runs table listing
// them all, queries typed into it, and the query engine alone in wasm.
// Prints table rows; DATA_SERVER_MBS (from the native run) gives the peer ratio.
// RUNLENS_BENCH_BIG=0 skips the 200 MB file.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import {
  BUNDLED_IDS,
  CHROMIUM,
  CHROMIUM_ARGS,
  CLI,
  DIST,
  clickWhileLoading,
  grouped,
  manifestRunFields,
  openDefault,
  sampleRun,
  watchBigLoad,
  writeBigCurveRun,
} from './helpers.mjs';
import { startServer } from './server.mjs';

// What must arrive before the first run paints (scripts/dist-size.sh counts the same files).
// The app's glue imports wasm-bindgen's snippets (dist/snippets/), so they count too.
const snippets = (dir = path.join(DIST, 'snippets')) =>
  fs.existsSync(dir)
    ? fs.readdirSync(dir, { recursive: true }).map((f) => path.join('snippets', f))
        .filter((f) => fs.statSync(path.join(DIST, f)).isFile())
    : [];
const FIRST_SCREEN = ['index.html', 'init.js', 'runlens-web.js', 'runlens-web_bg.wasm', 'style.css', ...snippets()];
const LATER = ['runlens-web_later.wasm', 'curve-worker.js', 'runlens-worker.js', 'runlens-worker_bg.wasm'];
const gzipped = (f) => zlib.gzipSync(fs.readFileSync(path.join(DIST, f)), { level: 9 }).length;

const server = await startServer({ root: DIST });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
const row = (name, value, goal = '', peer = '') =>
  console.log(`${name.padEnd(44)} ${String(value).padStart(22)}  ${goal.padEnd(26)} ${peer}`);
try {
  const first = FIRST_SCREEN.filter((f) => fs.existsSync(path.join(DIST, f))).reduce((a, f) => a + gzipped(f), 0);
  row('first screen (wasm + js + css + html, gzip)', `${(first / 1000).toFixed(0)} KB`, '<= 400 KB');
  for (const f of LATER.filter((f) => fs.existsSync(path.join(DIST, f)))) {
    row(`  later: ${f} (gzip)`, `${(gzipped(f) / 1000).toFixed(0)} KB`, '', f === 'runlens-web_later.wasm' ? 'fetched once the first run is on screen' : 'loaded with the first curve');
  }
  // The first run paints: when the browser painted the run's id in its title (Element
  // Timing: the title's `elementtiming` span), from the page request.
  const paints = [];
  for (let i = 0; i < 3; i++) {
    const p = await browser.newPage();
    await p.addInitScript(() => {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          if (e.identifier === 'run-title' && window.__firstRun === undefined) window.__firstRun = e.renderTime || e.loadTime;
        }
      }).observe({ type: 'element', buffered: true });
    });
    await p.goto(server.url);
    await p.waitForFunction(() => typeof window.__firstRun === 'number');
    paints.push(await p.evaluate(() => window.__firstRun));
    await p.close();
  }
  row('first run painted after the page request', `${Math.min(...paints).toFixed(0)} ms`, '<= 300 ms', `best of 3 (${paints.map((x) => x.toFixed(0)).join(', ')})`);

  const page = await browser.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => window.wasmBindings);
  // Reading alone, in the curve worker's own module (run here on the page to time it).
  const ev = JSON.parse(await page.evaluate(async () => {
    const w = await import('./runlens-worker.js');
    await w.default({ module_or_path: new URL('./runlens-worker_bg.wasm', document.baseURI) });
    return w.bench_read_events(1000000);
  }));
  const ds = Number(process.env.DATA_SERVER_MBS || 0);
  row('read, runlens wasm in Chromium (CRC checked)', `${(ev.ms / 1000).toFixed(3)} s ${ev.mb_per_s.toFixed(0)} MB/s`,
    '>= 2x data server', ds ? `${(ev.mb_per_s / ds).toFixed(1)}x the data server (${ds} MB/s)` : 'data server not measured');
  // A fresh page: wasm memory never shrinks, so the chart figures start from a clean heap.
  const page2 = await browser.newPage();
  await page2.goto(server.url);
  await page2.waitForFunction(() => window.wasmBindings && window.wasmBindings.bench_chart);
  const before = await page2.evaluate(() => window.wasmBindings.wasm_memory_bytes());
  const ch = JSON.parse(await page2.evaluate(() => window.wasmBindings.bench_chart(10000000)));
  row('wasm: memory per loaded point (10M)', `${ch.bytes_per_point.toFixed(2)} bytes`, '<= 16 bytes');
  row('wasm: min/max index build (10M)', `${ch.index_ms.toFixed(1)} ms`, '', 'once per file');
  row('wasm: decimate + draw, 10M points, full', `${ch.frame_full_ms.toFixed(2)} ms`, '<= 16 ms', 'naive 1M: 200-360 ms');
  row('wasm: decimate + draw, 10M points, zoom', `${ch.frame_zoom_ms.toFixed(2)} ms`, '<= 16 ms');
  // The points and their index as loaded; a frame then adds its canvas's pixel buffers (RGBA
  // and the line mask: 3 MB at the 1200 x 320 drawn here), whatever the number of points.
  row('wasm memory for 10M points', `${((ch.loaded_memory_bytes - before) / 1e6).toFixed(1)} MB`, '<= 160 MB',
    `points + index; ${((ch.wasm_memory_bytes - ch.loaded_memory_bytes) / 1e6).toFixed(1)} MB more once drawn (the 1200 x 320 canvas's pixel buffers); page total ${(ch.wasm_memory_bytes / 1e6).toFixed(0)} MB`);
  // Lineage layout of 10 chained runs x 50 nodes, best of 5 in the first call (before the
  // browser has optimised the wasm: what a user waits for; 3-4 ms once warm).
  const lin = JSON.parse(await page.evaluate(() => window.wasmBindings.bench_lineage()));
  row(`wasm: lineage layout, ${lin.nodes} nodes`, `${lin.ms.toFixed(1)} ms`, '<= 50 ms');
  // Workspace (issue 14): each on a fresh page, so one figure's heap does not weigh on the next.
  const page3 = await browser.newPage();
  await page3.goto(server.url);
  await page3.waitForFunction(() => window.wasmBindings && window.wasmBindings.bench_workspace);
  const ws = JSON.parse(await page3.evaluate(() => window.wasmBindings.bench_workspace()));
  row('wasm: group 100 x 100k into bands', `${ws.group_ms.toFixed(1)} ms`, '<= 100 ms');
  // The pan as a drag draws it, on a page of its own (no figure before it has run the code):
  // the panel opened, the first drag a person's reaction later (250 ms), then one frame per
  // animation frame, each in a task of its own.
  const pagePan = await browser.newPage();
  await pagePan.goto(server.url);
  await pagePan.waitForFunction(() => window.wasmBindings && window.wasmBindings.BenchPan);
  const drag = await pagePan.evaluate(async () => {
    const pan = new window.wasmBindings.BenchPan();
    const opening = pan.frame(-1);
    await new Promise((r) => setTimeout(r, 250));
    const frames = [];
    for (let k = 0; k < 10; k++) {
      await new Promise((r) => requestAnimationFrame(r));
      frames.push(pan.frame(k));
    }
    pan.free();
    return { opening, frames };
  });
  await pagePan.close();
  const sorted = [...drag.frames].sort((a, b) => a - b);
  row('wasm: pan frame, 100 runs x 100k, one panel', `${sorted.at(-1).toFixed(1)} ms`, '<= 16 ms',
    `worst of 10 pans by a tenth of the view, a frame each as a drag draws them, from 250 ms after the panel opened (${drag.opening.toFixed(1)} ms); median ${sorted[5].toFixed(1)}; in order ${drag.frames.map((x) => x.toFixed(1)).join(', ')}`);
  row('  the same pans drawn back to back', `${ws.pan_frame_ms.toFixed(1)} ms`, '',
    `in one task right after the panel opened (${ws.opening_ms.toFixed(1)} ms), the first by code the browser has not optimised yet; median ${ws.pan_median_ms.toFixed(1)}; in order ${ws.pan_frames_ms.join(', ')}`);
  row('wasm: robust y-range over 10M points', `${ws.robust_ms.toFixed(1)} ms`, '', 'exact 1st/99th pct');
  row('wasm: memory per point (series + index)', `${ws.bytes_per_point.toFixed(2)} bytes`, '<= 20 bytes');
  await page3.close();
  // Synced zoom over 12 panels at the page's own panel size and grid: the bundled runs'
  // workspace opened at 1400 x 900 gives a panel's canvas size, the grid's columns and row
  // pitch, so how many of 12 panels would be in view (within 100 px of the window, the
  // margin of src/components/in_view.rs): the page draws those at once, the rest as they
  // are scrolled to. Then the same at one 1200 x 400 panel a row, all 12 drawn.
  const page4 = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page4.goto(`${server.url}?workspace=${BUNDLED_IDS.join(',')}`);
  await page4.waitForSelector('#workspace .ws-panel canvas');
  const grid = await page4.evaluate(() => {
    const wraps = [...document.querySelectorAll('#workspace .ws-panel .canvas-wrap')];
    const c = wraps[0].querySelector('canvas');
    const tops = wraps.map((w) => Math.round(w.getBoundingClientRect().top + window.scrollY));
    const columns = tops.filter((t) => t === tops[0]).length;
    const pitch = tops.length > columns ? tops[columns] - tops[0] : Infinity;
    let shown = 0;
    for (let k = 0; k < 12; k++) if (tops[0] + Math.floor(k / columns) * pitch <= window.innerHeight + 100) shown++;
    return { w: c.width, h: c.height, columns, shown };
  });
  await page4.waitForFunction(() => window.wasmBindings && window.wasmBindings.bench_workspace_zoom);
  const wz = JSON.parse(await page4.evaluate((g) => window.wasmBindings.bench_workspace_zoom(g.w, g.h, g.shown), grid));
  row('wasm: synced zoom, 12 panels x 20 x 50k', `${wz.zoom_ms.toFixed(1)} ms`, '<= 33 ms',
    `the ${wz.shown} panels in view at ${wz.w} x ${wz.h} (${grid.columns} a row at 1400 x 900), worst of 6 zoom steps; in order ${wz.steps_ms.join(', ')}`);
  row('  the other panels, drawn as scrolled to', `${Math.max(...wz.rest_ms).toFixed(1)} ms`, '', `all ${wz.panels - wz.shown} together, worst step`);
  row('  the 12 panels opened (first frames)', `${wz.opening_ms.toFixed(1)} ms`, '', 'by code the browser has not optimised yet');
  await page4.close();
  const page4b = await browser.newPage();
  await page4b.goto(server.url);
  await page4b.waitForFunction(() => window.wasmBindings && window.wasmBindings.bench_workspace_zoom);
  const wz1 = JSON.parse(await page4b.evaluate(() => window.wasmBindings.bench_workspace_zoom(1200, 400, 0)));
  row('wasm: synced zoom, one column, all 12 drawn', `${wz1.zoom_ms.toFixed(1)} ms`, '',
    `12 panels at 1200 x 400, worst of 6 steps; in order ${wz1.steps_ms.join(', ')}`);
  await page4b.close();
  // Scatter of 100,000 generated runs: points out of the field table, layout and hit grid,
  // pixels, one putImageData (best of 5).
  const page5 = await browser.newPage();
  await page5.goto(server.url);
  await page5.waitForFunction(() => window.wasmBindings && window.wasmBindings.bench_scatter);
  const sc = JSON.parse(await page5.evaluate(() => window.wasmBindings.bench_scatter(100000)));
  row(`wasm: scatter of ${sc.points} points, drawn`, `${sc.total_ms.toFixed(1)} ms`, '<= 50 ms',
    `columns ${sc.columns_ms.toFixed(1)}, layout+grid ${sc.layout_ms.toFixed(1)}, pixels ${sc.raster_ms.toFixed(1)}, put ${sc.paint_ms.toFixed(1)} ms`);

  // Big event files opened with their run folder: the page's thread while the worker reads.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-bench16-'));
  try {
    const run = sampleRun('20251103-0853-a1f3');
    const sizes = [
      ['50 MB', 2_000_000, ['lm_loss', 'learning-rate', 'grad-norm', 'throughput']],
      ['200 MB', 10_000_000, ['lm_loss', 'lrate_a', 'gnorm_b', 'tput_cc', 'tok_ddd', 'aux_eee', 'mem_fff', 'ppl_ggg']],
    ].filter(([label]) => label !== '200 MB' || process.env.RUNLENS_BENCH_BIG !== '0');
    for (const [label, scalars, tags] of sizes) {
      const big = writeBigCurveRun(path.join(tmp, label.replace(' ', '')), run, { scalars, tags });
      const p = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await openDefault(p, server.url);
      await watchBigLoad(p, `${grouped(big.steps)} points in view`, big.name);
      await p.locator('input#folder-input').setInputFiles(big.folder);
      await clickWhileLoading(p, big.name, 300_000);
      const r = await p.evaluate(() => window.__load);
      const stats = (await p.evaluate(() => window.runlensCurveStats ?? [])).find((x) => x.name === big.name) ?? {};
      const what = `${label} (${(big.bytes / 1e6).toFixed(0)} MB, ${(big.scalars / 1e6).toFixed(1)}M scalars)`;
      row(`${what}: longest page task`, `${Math.max(0, ...r.longTasks).toFixed(0)} ms`, '<= 50 ms', `${r.longTasks.length} long tasks`);
      row(`${what}: longest click delay`, `${Math.max(0, ...r.clicks).toFixed(0)} ms`, '<= 100 ms', `${r.clicks.length} clicks`);
      row(`${what}: worker read`, `${(big.bytes / 1e6 / (stats.busyMs / 1e3)).toFixed(0)} MB/s`, '>= 150 MB/s',
        `wall ${(big.bytes / 1e6 / (stats.ms / 1e3)).toFixed(0)} MB/s incl. file slices`);
      row(`${what}: first curve drawn`, `${(r.firstChart - r.t0).toFixed(0)} ms`, '<= 300 ms', 'after the folder is picked');
      row(`${what}: whole file drawn`, `${(r.painted - r.t0).toFixed(0)} ms`);
      await p.close();
      fs.rmSync(big.folder, { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  await benchIndex(browser, row);
} finally {
  await browser.close();
  await server.close();
}

/** The runs of a manifest file (version 3 or 2), each with its fields by name. */
function manifestRuns(file) {
  return manifestRunFields(JSON.parse(fs.readFileSync(file, 'utf8'))).map((r) => r.fields);
}

/** 100,000 generated runs, sharded by experiment, listed and queried in the page. */
async function benchIndex(browser, row) {
  const n = Number(process.env.RUNLENS_BENCH_RUNS || 100000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-bench-index-'));
  try {
    let t = performance.now();
    execFileSync(CLI, ['synth-runs', dir, '--runs', String(n)]);
    const made = performance.now() - t;
    t = performance.now();
    execFileSync(CLI, ['index', dir, '--shard', 'experiment'], { stdio: 'pipe' });
    const indexed = performance.now() - t;
    execFileSync(CLI, ['index', dir, '-o', path.join(dir, 'all.json')], { stdio: 'pipe' });
    row(`generated ${n} runs, indexed --shard experiment`, `${(indexed / 1000).toFixed(1)} s`, '', `written in ${(made / 1000).toFixed(1)} s`);
    const top = JSON.parse(fs.readFileSync(path.join(dir, 'runs.json'), 'utf8'));
    const runs = top.shards.flatMap((s) => manifestRuns(path.join(dir, s.manifest)));
    // Only the manifests are served: a large index lists runs without fetching archives.
    const routes = { '/ix/runs.json': { body: fs.readFileSync(path.join(dir, 'runs.json')) } };
    for (const s of top.shards) routes[`/ix/${s.manifest}`] = { body: fs.readFileSync(path.join(dir, s.manifest)) };
    routes['/ix/all.json'] = { body: fs.readFileSync(path.join(dir, 'all.json')) };
    const server = await startServer({ root: DIST, routes });
    try {
      const page = await browser.newPage();
      const fmt = (k) => k.toLocaleString('en-US');
      const count = (k) => page.locator('#index-count').filter({ hasText: `${fmt(k)} of ${fmt(n)} runs` });
      t = performance.now();
      await page.goto(`${server.url}?index=ix/runs.json&view=index`);
      await page.locator('.shard-status[data-shards-done="true"]').waitFor({ timeout: 600_000 });
      await count(n).waitFor({ timeout: 600_000 });
      row(`page: ${fmt(n)} runs listed from ${top.shards.length} shards`, `${((performance.now() - t) / 1000).toFixed(1)} s`, '', 'page load to every row counted');
      // Scrolling to the middle draws its rows (only the rows in view exist).
      t = performance.now();
      await page.locator('.ix-body').evaluate((el) => { el.scrollTop = el.scrollHeight / 2; });
      await page.locator(`.ix-body .ix-row[aria-rowindex="${Math.floor(n / 2) + 2}"]`).waitFor();
      row('page: scroll to the middle, rows drawn', `${(performance.now() - t).toFixed(0)} ms`, '<= 100 ms', `${await page.locator('.ix-body .ix-row').count()} rows in the page`);
      const queries = [
        ['train.cpt.lr >= 2e-5', (f) => f['train.cpt.lr'] >= 2e-5],
        ['status = failed and host = "gpu-node-07"', (f) => f.status === 'failed' && f.host === 'gpu-node-07'],
        ['host ~ "node-(1|2)[0-9]$" and eval.mmlu > 0.7', (f) => /node-(1|2)[0-9]$/.test(f.host) && f['eval.mmlu'] > 0.7],
      ];
      for (const [q, keep] of queries) {
        const want = runs.filter(keep).length;
        t = performance.now();
        await page.locator('#runs-query').fill(q);
        await count(want).waitFor({ timeout: 60_000 });
        row(`page: query typed to count shown (${fmt(want)})`, `${(performance.now() - t).toFixed(0)} ms`, '<= 100 ms', q);
      }
      await page.close();
      // The engine alone, in wasm, over the same runs in one manifest.
      const p2 = await browser.newPage();
      await p2.goto(server.url);
      await p2.waitForFunction(() => window.wasmBindings && window.wasmBindings.bench_query);
      const size = fs.statSync(path.join(dir, 'all.json')).size;
      const r = JSON.parse(await p2.evaluate(([u, q]) => window.wasmBindings.bench_query(u, q), ['ix/all.json', JSON.stringify(queries.map(([q]) => q))]));
      if (r.error) throw new Error(`bench_query: ${r.error}`);
      row(`wasm: manifest read (${fmt(r.runs)} runs, ${(size / 1e6).toFixed(0)} MB)`, `${r.read_ms.toFixed(0)} ms`);
      row('wasm: field table built', `${r.table_ms.toFixed(0)} ms`);
      for (const [i, x] of r.queries.entries()) {
        const want = runs.filter(queries[i][1]).length;
        row(`wasm: query (${fmt(x.count ?? 0)} match${x.count === want ? '' : `, WRONG: want ${want}`})`, x.error ?? `${x.ms.toFixed(1)} ms`, '<= 100 ms', x.query);
      }
      await p2.close();
    } finally {
      await server.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
