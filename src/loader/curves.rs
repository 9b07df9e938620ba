//! Reading a curve file off the page's thread: a Web Worker (`static/curve-worker.js` over
//! the `runlens-worker` module, which holds the readers) reads it in slices and hands the
//! page the points as plain columns (typed arrays whose buffers are transferred); the page
//! appends them to its series without reading the file again, draws what has arrived
//! (`Action::CurvePart`) and the whole file at the end (`Action::CurveReady`), with
//! progress in the store. Up to [`MAX_WORKERS`] files are read at once, the others wait.
//! Esc (or [`cancel_curve_loads`]) stops loads: their worker is ended.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

use js_sys::{
    Array, BigInt64Array, Float32Array, Float64Array, Function, Int32Array, Object, Promise,
    Reflect, Uint8Array,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

use super::dispatch::Dispatch;
use super::fetch::fetch_streaming;
use super::handles::file_for;
use crate::chart::series_math::{MinMaxIndex, Raw};
use crate::ingest::{Columns, Curves, Location, Problem, Series, StepColumn, ValueColumn};
use crate::loading::fetch::UrlFallback;
use crate::loading::slices::{slices, SLICE};
use crate::runs::{CurveFile, LoadError, Run};
use crate::shell::frames::{after_next_paint, first_screen, AfterPaint};
use crate::state::{Action, LoadedCurves};

/// Files read at once (each in a worker of its own); more wait their turn.
pub const MAX_WORKERS: usize = 2;

/// Shortest time between two drawings of a file still being read (ms); the first part is
/// drawn at once.
const PART_EVERY_MS: f64 = 250.0;

/// Files shorter than this are drawn once, when read whole (a few slices go by too fast
/// for a drawing of part of them to help).
const PART_MIN_BYTES: u64 = 2 * SLICE;

/// Where a curve file's bytes come from.
#[derive(Debug, Clone)]
pub enum CurveSource {
    /// A dropped file, read in slices.
    Handle(u32),
    /// Bytes already in memory.
    Bytes(Rc<[u8]>),
    /// URLs to try in order.
    Urls(Vec<String>),
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

fn get(o: &JsValue, k: &str) -> JsValue {
    Reflect::get(o, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
}

fn num(o: &JsValue, k: &str) -> f64 {
    get(o, k).as_f64().unwrap_or(0.0)
}

fn text(o: &JsValue, k: &str) -> String {
    get(o, k).as_string().unwrap_or_default()
}

/// A worker and the handlers that route its messages to the load it runs.
struct Slot {
    worker: Worker,
    /// The load it runs now (0: none).
    current: Rc<Cell<u32>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl Slot {
    fn start() -> Option<Slot> {
        let opts = WorkerOptions::new();
        opts.set_type(WorkerType::Module);
        let worker = Worker::new_with_options("./curve-worker.js", &opts).ok()?;
        let current = Rc::new(Cell::new(0u32));
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let data = e.data();
            let id = num(&data, "id") as u32;
            if let Some(load) = POOL.with(|p| p.borrow().loads.get(&id).cloned()) {
                load.on_message(&data);
            }
        });
        let cur = current.clone();
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
            e.prevent_default();
            let id = cur.get();
            if let Some(load) = POOL.with(|p| p.borrow().loads.get(&id).cloned()) {
                load.fail(
                    "the curve reader (curve-worker.js) could not start in this browser".into(),
                );
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Some(Slot {
            worker,
            current,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    fn post(&self, msg: &Object, transfer: Option<&JsValue>) {
        let _ = match transfer {
            Some(t) => self
                .worker
                .post_message_with_transfer(msg, &Array::of1(t).into()),
            None => self.worker.post_message(msg),
        };
    }
}

/// The workers and the loads.
#[derive(Default)]
struct Pool {
    idle: Vec<Slot>,
    /// Loads holding a worker.
    running: usize,
    /// Loads waiting for a worker: each one's promise resolver.
    waiting: VecDeque<Function>,
    loads: HashMap<u32, Rc<Load>>,
    next_id: u32,
}

thread_local! {
    static POOL: RefCell<Pool> = RefCell::new(Pool::default());
}

/// Waits for a worker (a free one, a new one under the limit, or the next one freed).
async fn acquire() -> Option<Slot> {
    loop {
        enum Got {
            Idle(Slot),
            Start,
            Wait,
        }
        let got = POOL.with(|p| {
            let mut p = p.borrow_mut();
            if let Some(s) = p.idle.pop() {
                p.running += 1;
                Got::Idle(s)
            } else if p.running < MAX_WORKERS {
                p.running += 1;
                Got::Start
            } else {
                Got::Wait
            }
        });
        match got {
            Got::Idle(s) => return Some(s),
            Got::Start => {
                let s = Slot::start();
                if s.is_none() {
                    release(None);
                }
                return s;
            }
            Got::Wait => {
                let turn = Promise::new(&mut |resolve, _| {
                    POOL.with(|p| p.borrow_mut().waiting.push_back(resolve));
                });
                let _ = JsFuture::from(turn).await;
            }
        }
    }
}

/// Gives a worker back (`None`: it was ended) and lets the next waiting load go.
fn release(slot: Option<Slot>) {
    let next = POOL.with(|p| {
        let mut p = p.borrow_mut();
        p.running = p.running.saturating_sub(1);
        if let Some(s) = slot {
            s.current.set(0);
            p.idle.push(s);
        }
        p.waiting.pop_front()
    });
    if let Some(resolve) = next {
        let _ = resolve.call0(&JsValue::NULL);
    }
}

/// What the page has of a file being read.
#[derive(Default)]
struct Acc {
    curves: Curves,
    /// Each series' index, extended as its points arrive (a message's share at a time).
    indexes: Vec<MinMaxIndex>,
    /// The last drawing dispatched, whose read the next one continues.
    shown: Option<Rc<LoadedCurves>>,
    shown_at: f64,
}

/// One curve file being read.
struct Load {
    id: u32,
    key: String,
    name: String,
    dispatch: Dispatch,
    acc: RefCell<Acc>,
    slot: RefCell<Option<Slot>>,
    ended: Cell<bool>,
    /// A drawing of the points so far is on its way (in a task of its own).
    drawing: Cell<bool>,
    /// Bytes read and the total, as last reported.
    at: Cell<(u64, u64)>,
    /// The store told the read has started, after the next paint ([`load_curve`]).
    first_report: RefCell<Option<AfterPaint>>,
}

impl Load {
    fn progress(&self, read: u64, total: u64) {
        self.dispatch.dispatch(Action::CurveProgress {
            key: self.key.clone(),
            read,
            total,
        });
    }

    fn on_message(self: &Rc<Self>, m: &JsValue) {
        if self.ended.get() {
            return;
        }
        let (read, total) = (num(m, "read") as u64, num(m, "total") as u64);
        self.at.set((read, total));
        match text(m, "op").as_str() {
            "part" => {
                self.append(&get(m, "series"));
                let (first, due) = {
                    let acc = self.acc.borrow();
                    let first = acc.shown.is_none();
                    (first, first || now() - acc.shown_at >= PART_EVERY_MS)
                };
                let big = total >= PART_MIN_BYTES;
                if due && big && !self.acc.borrow().curves.series.is_empty() {
                    if first {
                        // The first part is small (the worker's first slice is 1 MiB):
                        // drawn at once, not after the tasks queued meanwhile (the run's
                        // step cards and lower sections, 30-40 ms of them here).
                        self.draw();
                    } else {
                        self.draw_soon();
                    }
                } else if !self.drawing.get() {
                    self.progress(read, total);
                }
            }
            "done" => {
                self.append(&get(m, "series"));
                let problems = Array::from(&get(m, "problems"))
                    .iter()
                    .map(|p| Problem {
                        at: location(&p),
                        message: text(&p, "message"),
                    })
                    .collect();
                record_stats(&self.name, read, num(m, "ms"), num(m, "busyMs"));
                // The finished file (indexed as it arrived) is drawn in a task of its own, as
                // a part is (see `draw_soon`).
                let Acc {
                    mut curves,
                    indexes,
                    shown,
                    ..
                } = std::mem::take(&mut *self.acc.borrow_mut());
                curves.problems = problems;
                self.end(true);
                let (name, key, dispatch) =
                    (self.name.clone(), self.key.clone(), self.dispatch.clone());
                gloo::timers::callback::Timeout::new(0, move || {
                    let ready = Rc::new(LoadedCurves::indexed(
                        shown.as_deref(),
                        name,
                        curves,
                        indexes,
                    ));
                    dispatch.dispatch(Action::CurveReady { key, curves: ready });
                })
                .forget();
            }
            "error" => {
                let e = get(m, "error");
                let file = text(&e, "file");
                let what = match location(&e) {
                    Location::File => file,
                    at => format!("{file} ({at})"),
                };
                self.end(true);
                self.dispatch.dispatch(Action::CurveFailed {
                    key: self.key.clone(),
                    error: LoadError {
                        what,
                        message: text(&e, "message"),
                    },
                });
            }
            "fail" => self.fail(text(m, "message")),
            _ => {}
        }
    }

    /// Draws the points so far in a task of its own, after this message's: indexing them
    /// and drawing them (with the page's other updates) then never adds to the task that
    /// took the columns in, so neither is long. Parts arriving meanwhile join this drawing.
    fn draw_soon(self: &Rc<Self>) {
        if self.drawing.replace(true) {
            return;
        }
        let load = self.clone();
        gloo::timers::callback::Timeout::new(0, move || {
            load.drawing.set(false);
            load.draw();
        })
        .forget();
    }

    /// Draws the points so far.
    fn draw(&self) {
        if self.ended.get() {
            return;
        }
        let (read, total) = self.at.get();
        let part = self.snapshot();
        self.dispatch.dispatch(Action::CurvePart {
            key: self.key.clone(),
            read,
            total,
            curves: part,
        });
    }

    /// Appends the columns of a message to the series.
    fn append(&self, series: &JsValue) {
        let mut acc = self.acc.borrow_mut();
        for c in Array::from(series).iter() {
            let i = num(&c, "index") as usize;
            let cols = columns(&c);
            if i >= acc.curves.series.len() {
                acc.curves.series.push(Series::new(cols.tag.clone()));
            }
            if let Some(s) = acc.curves.series.get_mut(i) {
                s.append(&cols);
            }
        }
        // Index the new points now, in this message's task: a drawing then only copies
        // the indexes instead of scanning everything read since the last one.
        let Acc {
            curves, indexes, ..
        } = &mut *acc;
        indexes.resize_with(curves.series.len(), MinMaxIndex::default);
        for (s, ix) in curves.series.iter().zip(indexes.iter_mut()) {
            *ix = ix.extended(&Raw(s));
        }
    }

    /// The curves so far, with the indexes built as their points arrived.
    fn snapshot(&self) -> Rc<LoadedCurves> {
        let mut acc = self.acc.borrow_mut();
        // Chunks are shared with the snapshot, not copied.
        let curves = acc.curves.clone();
        let loaded = Rc::new(LoadedCurves::indexed(
            acc.shown.as_deref(),
            self.name.clone(),
            curves,
            acc.indexes.clone(),
        ));
        acc.shown = Some(loaded.clone());
        acc.shown_at = now();
        loaded
    }

    /// Ends the load: its worker goes back to the pool (`keep`) or is ended.
    fn end(&self, keep: bool) {
        if self.ended.replace(true) {
            return;
        }
        POOL.with(|p| p.borrow_mut().loads.remove(&self.id));
        let slot = self.slot.borrow_mut().take();
        let had = slot.is_some();
        let slot = match slot {
            Some(s) if keep => Some(s),
            Some(s) => {
                s.worker.terminate();
                None
            }
            None => None,
        };
        if had {
            release(slot);
        }
        *self.acc.borrow_mut() = Acc::default();
    }

    /// Ends the load with `message` about the file; its worker is ended.
    fn fail(&self, message: String) {
        if self.ended.get() {
            return;
        }
        self.end(false);
        self.dispatch.dispatch(Action::CurveFailed {
            key: self.key.clone(),
            error: curve_error(&self.name, message),
        });
    }

    fn post(&self, msg: &Object, transfer: Option<&JsValue>) {
        if let Some(s) = self.slot.borrow().as_ref() {
            s.post(msg, transfer);
        }
    }
}

/// Keeps what the worker measured (`window.runlensCurveStats`) for the benchmarks.
fn record_stats(name: &str, bytes: u64, ms: f64, busy_ms: f64) {
    let Some(w) = web_sys::window() else { return };
    let key = JsValue::from_str("runlensCurveStats");
    let list = Reflect::get(&w, &key)
        .ok()
        .filter(|l| l.is_object())
        .unwrap_or_else(|| Array::new().into());
    let _ = Reflect::set(&w, &key, &list);
    let o = Object::new();
    let _ = Reflect::set(&o, &"name".into(), &JsValue::from_str(name));
    let _ = Reflect::set(&o, &"bytes".into(), &JsValue::from(bytes as f64));
    let _ = Reflect::set(&o, &"ms".into(), &JsValue::from(ms));
    let _ = Reflect::set(&o, &"busyMs".into(), &JsValue::from(busy_ms));
    list.unchecked_into::<Array>().push(&o);
}

fn location(o: &JsValue) -> Location {
    let n = num(o, "n");
    match text(o, "at").as_str() {
        "byte" => Location::Byte(n as u64),
        "line" => Location::Line(n as u32),
        _ => Location::File,
    }
}

/// One series' columns from the worker's typed arrays (one copy each into wasm memory).
fn columns(c: &JsValue) -> Columns {
    let steps = get(c, "steps");
    let values = get(c, "values");
    Columns {
        tag: text(c, "tag"),
        steps: if steps.is_instance_of::<BigInt64Array>() {
            StepColumn::Wide(BigInt64Array::from(steps).to_vec())
        } else {
            StepColumn::Narrow(Int32Array::from(steps).to_vec())
        },
        values: if values.is_instance_of::<Float64Array>() {
            ValueColumn::Double(Float64Array::from(values).to_vec())
        } else {
            ValueColumn::Single(Float32Array::from(values).to_vec())
        },
        walls: Float64Array::from(get(c, "walls")).to_vec(),
    }
}

fn message(op: &str, id: u32) -> Object {
    let o = Object::new();
    let _ = Reflect::set(&o, &"op".into(), &JsValue::from_str(op));
    let _ = Reflect::set(&o, &"id".into(), &JsValue::from(id));
    o
}

/// Reads, parses and indexes the curve file `name` in a worker, with progress (and what is
/// read so far) in the store under `key`; the page's thread only appends columns.
pub fn load_curve(key: String, name: String, src: CurveSource, dispatch: Dispatch) {
    // Two views may ask for one file before the store says it is being read (a run list
    // and a manifest arriving one after the other): it is read once.
    if POOL.with(|p| p.borrow().loads.values().any(|l| l.key == key)) {
        return;
    }
    let load = POOL.with(|p| {
        let mut p = p.borrow_mut();
        p.next_id += 1;
        let load = Rc::new(Load {
            id: p.next_id,
            key,
            name,
            dispatch,
            acc: RefCell::default(),
            slot: RefCell::default(),
            ended: Cell::new(false),
            drawing: Cell::new(false),
            at: Cell::new((0, 0)),
            first_report: RefCell::default(),
        });
        p.loads.insert(load.id, load.clone());
        load
    });
    // The store hears of the read once the page has painted, unless the worker spoke first:
    // it shows the same "Reading" as no news at all, and telling it now would build the
    // whole page again before its first paint (the run's title waits for it).
    let weak = Rc::downgrade(&load);
    *load.first_report.borrow_mut() = Some(after_next_paint(move || {
        if let Some(load) = weak.upgrade() {
            if !load.ended.get() && load.at.get() == (0, 0) {
                load.progress(0, 0);
            }
        }
    }));
    spawn_local(async move {
        // A read the page starts with waits until the run's first screen is painted.
        first_screen().await;
        let Some(slot) = acquire().await else {
            load.fail("this browser could not start a worker to read it".into());
            return;
        };
        if load.ended.get() {
            release(Some(slot));
            return;
        }
        slot.current.set(load.id);
        *load.slot.borrow_mut() = Some(slot);
        let fed = match src {
            CurveSource::Handle(h) => match file_for(h) {
                Some(file) => {
                    let m = message("file", load.id);
                    let _ = Reflect::set(&m, &"name".into(), &JsValue::from_str(&load.name));
                    let _ = Reflect::set(&m, &"file".into(), &file);
                    load.post(&m, None);
                    return;
                }
                None => Err(format!(
                    "{}: the dropped file is no longer available; drop it again",
                    load.name
                )),
            },
            CurveSource::Bytes(b) => {
                start(&load);
                feed_memory(&load, &b).await;
                Ok(())
            }
            CurveSource::Urls(urls) => {
                start(&load);
                feed_urls(&load, &urls).await
            }
        };
        match fed {
            Ok(()) => load.post(&message("end", load.id), None),
            Err(m) => {
                load.post(&message("drop", load.id), None);
                if !load.ended.get() {
                    load.end(true);
                    load.dispatch.dispatch(Action::CurveFailed {
                        key: load.key.clone(),
                        error: curve_error(&load.name, m),
                    });
                }
            }
        }
    });
}

fn start(load: &Load) {
    let m = message("start", load.id);
    let _ = Reflect::set(&m, &"name".into(), &JsValue::from_str(&load.name));
    load.post(&m, None);
}

/// Sends bytes to the worker (copied out of wasm memory into a buffer it takes over).
fn send_chunk(load: &Load, bytes: &[u8], read: u64, total: u64) {
    let m = message("chunk", load.id);
    let buf = Uint8Array::from(bytes).buffer();
    let _ = Reflect::set(&m, &"bytes".into(), &buf);
    let _ = Reflect::set(&m, &"read".into(), &JsValue::from(read as f64));
    let _ = Reflect::set(&m, &"total".into(), &JsValue::from(total as f64));
    load.post(&m, Some(&buf));
}

/// Bytes in memory, a slice at a time.
async fn feed_memory(load: &Load, bytes: &[u8]) {
    let total = bytes.len() as u64;
    for r in slices(total, SLICE) {
        if load.ended.get() {
            return;
        }
        let part = bytes
            .get(r.start as usize..r.end as usize)
            .unwrap_or_default();
        send_chunk(load, part, r.end, total);
        gloo::timers::future::TimeoutFuture::new(0).await;
    }
}

/// Each URL in turn; the body goes to the worker as it arrives, never held whole.
async fn feed_urls(load: &Load, urls: &[String]) -> Result<(), String> {
    let mut fallback = UrlFallback::new();
    for u in urls {
        let mut fed = false;
        let got = fetch_streaming(u, |chunk, read, declared| {
            fed = true;
            send_chunk(load, chunk, read, declared.unwrap_or(0).max(read));
            !load.ended.get()
        })
        .await;
        match got {
            Ok(_) => return Ok(()),
            Err(e) => fallback.failed(u, &e, fed)?,
        }
    }
    Err(fallback.exhausted())
}

/// Stops every curve load whose key starts with `prefix` ("" for all): their workers are
/// ended and each says it was stopped (dropping the file again reads it).
pub fn cancel_curve_loads(prefix: &str) {
    let loads: Vec<Rc<Load>> = POOL.with(|p| {
        p.borrow()
            .loads
            .values()
            .filter(|l| l.key.starts_with(prefix))
            .cloned()
            .collect()
    });
    for l in loads {
        l.fail(
            "reading was stopped before its end; reload the page or drop the file to read it again"
                .into(),
        );
    }
}

/// Whether a curve file is being read.
pub fn curve_loads_running() -> bool {
    POOL.with(|p| !p.borrow().loads.is_empty())
}

/// A curve file's failure as a typed error: the file, and what went wrong (a message that
/// already starts with the file's name does not name it twice).
fn curve_error(name: &str, message: String) -> LoadError {
    let message = message
        .strip_prefix(name)
        .and_then(|m| m.strip_prefix(": "))
        .map(str::to_string)
        .unwrap_or(message);
    LoadError {
        what: name.to_string(),
        message,
    }
}

/// The store key, file name and byte source of a step's curve, when the file is known.
pub fn curve_source(run: &Run, index: usize) -> Option<(String, String, CurveSource)> {
    let path = run.curve_path(index)?;
    // The key names the bytes, not just the path: a file dropped later, a re-dropped folder
    // or a file list that arrives with the manifest is a new read, never a stale one.
    let key = |origin: &str| format!("{}::{}::{origin}", run.key, path);
    match run.resolve_file(&path) {
        CurveFile::Companion(i) => run.companions.get(i).and_then(|c| {
            let (origin, src) = match (&c.bytes, c.handle, &c.url) {
                (Some(b), _, _) => (
                    format!("mem:{}:{}", c.path, b.len()),
                    CurveSource::Bytes(b.clone()),
                ),
                (None, Some(h), _) => (format!("file:{h}"), CurveSource::Handle(h)),
                (None, None, Some(u)) => (format!("url:{u}"), CurveSource::Urls(vec![u.clone()])),
                _ => return None,
            };
            Some((key(&origin), c.file_name().to_string(), src))
        }),
        CurveFile::Urls(u) => Some((
            key("guess"),
            path.rsplit('/').next().unwrap_or(&path).to_string(),
            CurveSource::Urls(u),
        )),
        CurveFile::Missing(_) => None,
    }
}

/// Starts reading the curves of a run just dropped or picked, as soon as its archive is
/// parsed: the worker reads the first slices while the page draws the run (on two cores,
/// the chart appeared 35-40 ms sooner than when the run's view started them once drawn).
/// Only files held as dropped handles: their keys are new with every drop, so no curve the
/// store already has is read again. The run's view asks for them too; a file is read once.
pub fn start_dropped_curves(run: &Run, dispatch: &Dispatch) {
    for (index, _) in run.train_step_curves() {
        if let Some((key, name, src @ CurveSource::Handle(_))) = curve_source(run, index) {
            load_curve(key, name, src, dispatch.clone());
        }
    }
}
