// Browser benchmarks: loads dist/ in headless Chromium and runs the wasm benchmarks the app
// exports (event-file read throughput, decimate + draw per frame at 10M points, lineage
// layout, a scatter of 100,000 runs).
// Prints table rows; DATA_SERVER_MBS (from the native run) gives the peer ratio.
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, DIST } from './helpers.mjs';
import { startServer } from './server.mjs';

const server = await startServer({ root: DIST });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
const row = (name, value, goal = '', peer = '') =>
  console.log(`${name.padEnd(44)} ${String(value).padStart(22)}  ${goal.padEnd(26)} ${peer}`);
try {
  const page = await browser.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => window.wasmBindings && window.wasmBindings.bench_read_events);
  const ev = JSON.parse(await page.evaluate(() => window.wasmBindings.bench_read_events(1000000)));
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
  row('wasm memory for 10M points', `${((ch.wasm_memory_bytes - before) / 1e6).toFixed(0)} MB`, '<= 160 MB',
    `page total ${(ch.wasm_memory_bytes / 1e6).toFixed(0)} MB (bundled runs loaded)`);
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
  row('wasm: pan frame, 100 runs x 100k, one panel', `${ws.pan_frame_ms.toFixed(1)} ms`, '<= 16 ms', 'worst of 10 frames');
  row('wasm: robust y-range over 10M points', `${ws.robust_ms.toFixed(1)} ms`, '', 'exact 1st/99th pct');
  row('wasm: memory per point (series + index)', `${ws.bytes_per_point.toFixed(2)} bytes`, '<= 20 bytes');
  await page3.close();
  const page4 = await browser.newPage();
  await page4.goto(server.url);
  await page4.waitForFunction(() => window.wasmBindings && window.wasmBindings.bench_workspace_zoom);
  const wz = JSON.parse(await page4.evaluate(() => window.wasmBindings.bench_workspace_zoom()));
  row('wasm: synced zoom, 12 panels x 20 x 50k', `${wz.zoom_ms.toFixed(1)} ms`, '<= 33 ms', 'worst of 6 zoom steps');
  await page4.close();
  // Scatter of 100,000 generated runs: points out of the field table, layout and hit grid,
  // pixels, one putImageData (best of 5).
  const page5 = await browser.newPage();
  await page5.goto(server.url);
  await page5.waitForFunction(() => window.wasmBindings && window.wasmBindings.bench_scatter);
  const sc = JSON.parse(await page5.evaluate(() => window.wasmBindings.bench_scatter(100000)));
  row(`wasm: scatter of ${sc.points} points, drawn`, `${sc.total_ms.toFixed(1)} ms`, '<= 50 ms',
    `columns ${sc.columns_ms.toFixed(1)}, layout+grid ${sc.layout_ms.toFixed(1)}, pixels ${sc.raster_ms.toFixed(1)}, put ${sc.paint_ms.toFixed(1)} ms`);
} finally {
  await browser.close();
  await server.close();
}
