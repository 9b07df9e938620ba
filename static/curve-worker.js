// The curve reader's Web Worker (a module worker started by the page's loader,
// src/loader/curves.rs). It runs runlens-worker's wasm (src/worker.rs: the readers only) so
// that reading a 200 MB event file never blocks the page.
//
// Messages from the page, each with the load's `id`:
//   {op: 'file', id, name, file}       read a dropped File/Blob here, slice by slice
//   {op: 'start', id, name}            then {op: 'chunk', id, bytes, read, total} ... {op: 'end', id}
//                                      (bytes the page fetched or holds, fed in order)
//   {op: 'drop', id}                   forget a load (its fetch failed on the page)
// Messages to the page:
//   {op: 'part', id, read, total, series}     points read since the last part, as columns
//                                             (typed arrays whose buffers are transferred)
//   {op: 'done', id, read, total, series, problems, ms}
//   {op: 'error', id, error: {file, message, at, n}}   the file gave no curves at all
//   {op: 'fail', id, message}                 the reader itself broke (a wasm trap, I/O)

import init, { CurveReader } from './runlens-worker.js';

// Bytes per slice of a dropped file: the same 4 MiB the page used to read (loading::slices);
// the first slice is smaller, so that the first points reach the page sooner.
const SLICE = 4 << 20;
const FIRST_SLICE = 1 << 20;
// Points go to the page at most this often (the first slice's at once, so the chart appears).
const PART_MS = 50;

const ready = init({ module_or_path: new URL('./runlens-worker_bg.wasm', import.meta.url) });
const jobs = new Map();

function transfers(series) {
  const list = [];
  for (const s of series) list.push(s.steps.buffer, s.values.buffer, s.walls.buffer);
  return list;
}

function newJob(id, name) {
  const job = { reader: new CurveReader(name), read: 0, total: 0, lastPart: 0, started: performance.now(), busyMs: 0 };
  jobs.set(id, job);
  return job;
}

function feed(id, job, bytes) {
  const t = performance.now();
  job.reader.feed(bytes);
  job.busyMs += performance.now() - t;
  const now = performance.now();
  if (job.lastPart === 0 || now - job.lastPart >= PART_MS) {
    job.lastPart = now;
    const series = job.reader.part();
    self.postMessage({ op: 'part', id, read: job.read, total: job.total, series }, transfers(series));
  }
}

function finish(id, job) {
  jobs.delete(id);
  const t = performance.now();
  const out = job.reader.finish();
  job.busyMs += performance.now() - t;
  job.reader.free();
  if (out.error) {
    self.postMessage({ op: 'error', id, error: out.error });
    return;
  }
  const ms = performance.now() - job.started;
  self.postMessage(
    { op: 'done', id, read: job.read, total: job.total, series: out.series, problems: out.problems, ms, busyMs: job.busyMs },
    transfers(out.series),
  );
}

async function readFile(id, name, file) {
  const job = newJob(id, name);
  job.total = file.size;
  // The slices' byte ranges: the first one small, so that the chart appears sooner.
  const ranges = [];
  for (let off = 0; off < file.size; ) {
    const end = Math.min(off + (off === 0 ? FIRST_SLICE : SLICE), file.size);
    ranges.push([off, end]);
    off = end;
  }
  const read = ([off, end]) => file.slice(off, end).arrayBuffer()
    .then((buf) => ({ buf }), (e) => ({ e, off }));
  // The next slice is read (by the browser) while this one is parsed here.
  let next = ranges.length > 0 ? read(ranges[0]) : null;
  for (let k = 0; k < ranges.length; k++) {
    const got = await next;
    next = k + 1 < ranges.length ? read(ranges[k + 1]) : null;
    if (got.e !== undefined) {
      jobs.delete(id);
      const e = got.e;
      self.postMessage({ op: 'fail', id, message: `${name}: could not be read at byte ${got.off}: ${e && e.message ? e.message : e}` });
      return;
    }
    if (!jobs.has(id)) return;
    job.read = ranges[k][1];
    feed(id, job, new Uint8Array(got.buf));
  }
  finish(id, job);
}

async function handle(m) {
  try {
    await ready;
  } catch (e) {
    self.postMessage({ op: 'fail', id: m.id, message: `the curve reader could not start: ${e && e.message ? e.message : e}` });
    return;
  }
  try {
    switch (m.op) {
      case 'file':
        await readFile(m.id, m.name, m.file);
        break;
      case 'start':
        newJob(m.id, m.name);
        break;
      case 'chunk': {
        const job = jobs.get(m.id);
        if (!job) break;
        job.read = m.read;
        job.total = m.total;
        feed(m.id, job, new Uint8Array(m.bytes));
        break;
      }
      case 'end': {
        const job = jobs.get(m.id);
        if (job) finish(m.id, job);
        break;
      }
      case 'drop': {
        const job = jobs.get(m.id);
        jobs.delete(m.id);
        if (job) job.reader.free();
        break;
      }
      default:
        break;
    }
  } catch (e) {
    jobs.delete(m.id);
    self.postMessage({ op: 'fail', id: m.id, message: `reading stopped: ${e && e.message ? e.message : e}` });
  }
}

// Messages are handled one after another, in the order they came.
let queue = Promise.resolve();
self.onmessage = (ev) => {
  queue = queue.then(() => handle(ev.data));
};
