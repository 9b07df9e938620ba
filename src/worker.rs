//! The curve reader's own module, run in a Web Worker (`static/curve-worker.js` drives it):
//! the readers of the core's `ingest` and nothing else, so the page's module does not carry
//! them (prost, crc32c, csv, gzip) and reading never blocks the page.
//!
//! It does not link the `runlens` library (whose exported functions would bring the whole
//! app along), only the core crate's `ingest` (the core exports nothing to JS, so nothing
//! else of it is linked), optimised for speed as the core is. The page feeds a file's
//! bytes (or the worker reads a dropped file itself, slice by slice), takes the points read
//! so far as plain columns while it reads, and gets the rest, the problems, or a typed error
//! at the end.

#[cfg(target_arch = "wasm32")]
mod reader {
    use js_sys::{Array, BigInt64Array, Float32Array, Float64Array, Int32Array, Object, Reflect};
    use wasm_bindgen::prelude::*;

    use runlens_core::ingest::{Columns, Incremental, Location, StepColumn, ValueColumn};

    /// One curve file being read.
    #[wasm_bindgen]
    pub struct CurveReader {
        name: String,
        inc: Option<Incremental>,
        /// Points of each series already handed to the page.
        sent: Vec<usize>,
    }

    fn set(o: &Object, k: &str, v: &JsValue) {
        let _ = Reflect::set(o, &JsValue::from_str(k), v);
    }

    /// `(kind, n)` of a location: `"byte"`/`"line"` with its number, or `"file"`.
    fn place(at: Location) -> (&'static str, f64) {
        match at {
            Location::Byte(b) => ("byte", b as f64),
            Location::Line(l) => ("line", l as f64),
            Location::File => ("file", 0.0),
        }
    }

    /// Columns as a JS object of typed arrays (each copied once out of wasm memory into a
    /// buffer of its own, which the worker then transfers to the page).
    fn columns_js(index: usize, c: &Columns) -> Object {
        let o = Object::new();
        set(&o, "index", &JsValue::from(index as u32));
        set(&o, "tag", &JsValue::from_str(&c.tag));
        let steps: JsValue = match &c.steps {
            StepColumn::Narrow(v) => Int32Array::from(v.as_slice()).into(),
            StepColumn::Wide(v) => BigInt64Array::from(v.as_slice()).into(),
        };
        set(&o, "steps", &steps);
        let values: JsValue = match &c.values {
            ValueColumn::Single(v) => Float32Array::from(v.as_slice()).into(),
            ValueColumn::Double(v) => Float64Array::from(v.as_slice()).into(),
        };
        set(&o, "values", &values);
        set(&o, "walls", &Float64Array::from(c.walls.as_slice()).into());
        o
    }

    #[wasm_bindgen]
    impl CurveReader {
        /// A reader for the file `name`.
        #[wasm_bindgen(constructor)]
        pub fn new(name: &str) -> CurveReader {
            CurveReader {
                name: name.to_string(),
                inc: Some(Incremental::new(name)),
                sent: Vec::new(),
            }
        }

        /// Reads the next chunk of the file.
        pub fn feed(&mut self, chunk: &[u8]) {
            if let Some(inc) = &mut self.inc {
                inc.feed(chunk);
            }
        }

        /// The points read since the last call, one entry per series that grew:
        /// `{index, tag, steps, values, walls}`.
        pub fn part(&mut self) -> Array {
            let out = Array::new();
            let Some(inc) = &self.inc else { return out };
            for (i, s) in inc.series().iter().enumerate() {
                if self.sent.len() <= i {
                    self.sent.push(0);
                }
                let from = self.sent[i];
                if s.len() > from {
                    out.push(&columns_js(i, &s.columns(from)));
                    self.sent[i] = s.len();
                }
            }
            out
        }

        /// Ends the file: `{series: [columns not sent yet], problems: [{at, n, message}]}`,
        /// or `{error: {file, message, at, n}}` when the file gave no curves at all.
        pub fn finish(&mut self) -> Object {
            let out = Object::new();
            let Some(inc) = self.inc.take() else {
                return out;
            };
            match inc.finish() {
                Ok(curves) => {
                    let series = Array::new();
                    for (i, s) in curves.series.iter().enumerate() {
                        let from = self.sent.get(i).copied().unwrap_or(0);
                        if s.len() > from || from == 0 {
                            series.push(&columns_js(i, &s.columns(from)));
                        }
                    }
                    let problems = Array::new();
                    for p in &curves.problems {
                        let o = Object::new();
                        let (at, n) = place(p.at);
                        set(&o, "at", &JsValue::from_str(at));
                        set(&o, "n", &JsValue::from(n));
                        set(&o, "message", &JsValue::from_str(&p.message));
                        problems.push(&o);
                    }
                    set(&out, "series", &series);
                    set(&out, "problems", &problems);
                }
                Err(e) => {
                    let o = Object::new();
                    let (at, n) = place(e.at);
                    set(&o, "file", &JsValue::from_str(&e.file));
                    set(&o, "message", &JsValue::from_str(&e.message()));
                    set(&o, "at", &JsValue::from_str(at));
                    set(&o, "n", &JsValue::from(n));
                    set(&out, "error", &o);
                }
            }
            out
        }

        /// The file's name.
        #[wasm_bindgen(getter)]
        pub fn name(&self) -> String {
            self.name.clone()
        }
    }

    /// Reads an in-memory event file of `n` scalars (4 tags); JSON with MB, ms, MB/s.
    #[wasm_bindgen]
    pub fn bench_read_events(n: u32) -> String {
        let tags = ["lm loss", "learning-rate", "grad-norm", "throughput"];
        let mut bytes = Vec::with_capacity(n as usize * 52);
        for i in 0..n as i64 {
            let tag = tags[(i % 4) as usize];
            let v = 3.0 / (1.0 + i as f32 * 1e-4);
            runlens_core::ingest::tfevents::write_record(
                &mut bytes,
                &runlens_core::ingest::tfevents::scalar_event(tag, i / 4 + 1, 1.7e9 + i as f64, v),
            );
        }
        let mut best = f64::INFINITY;
        let mut points = 0;
        for _ in 0..3 {
            let t = js_sys::Date::now();
            let c = runlens_core::ingest::parse("events.out.tfevents.bench", &bytes)
                .unwrap_or_default();
            best = best.min(js_sys::Date::now() - t);
            points = c.points();
        }
        let mb = bytes.len() as f64 / 1e6;
        format!(
            "{{\"mb\":{mb:.2},\"ms\":{best:.1},\"mb_per_s\":{:.1},\"scalars\":{points},\"scalars_per_s\":{:.0}}}",
            mb / (best / 1e3),
            points as f64 / (best / 1e3)
        )
    }
}

fn main() {}
