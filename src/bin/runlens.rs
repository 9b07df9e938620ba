//! `runlens`: the native command-line tool over the pure core.
//!
//! `inspect` prints an archive (or its JSON model), `check` gates a pipeline on completeness.
//! Errors are one line naming the file and the problem; exit codes: 0 fine, 1 an archive has
//! errors or unfilled checklist fields, 2 a file could not be read.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    native::main()
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::io::Write;
    use std::path::{Path, PathBuf};
    use std::process::ExitCode;

    use clap::{Parser, Subcommand};
    use runlens::archive::completeness::FieldState;
    use runlens::archive::input::decode;
    use runlens::archive::json::to_json;
    use runlens::archive::{completeness, parse, Completeness, Parsed, Severity};
    use runlens::format;

    #[derive(Parser)]
    #[command(
        name = "runlens",
        version,
        about = "Read and check LLM experiment archives"
    )]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[derive(Subcommand)]
    enum Command {
        /// Print an archive: a readable summary, or the whole model as JSON.
        Inspect {
            /// The archive (Markdown).
            file: PathBuf,
            /// Print the model as JSON.
            #[arg(long)]
            json: bool,
        },
        /// Every series of an event file, CSV or Megatron log, the loss marked; or, given an
        /// archive, each train step's curve file in its run folder and its loss series.
        Curves {
            /// The curve file, or an archive (`.md`) with its run folder around it.
            file: PathBuf,
            /// Print every point as JSON (for an archive: each step's choice, no points).
            #[arg(long)]
            json: bool,
        },
        /// What changed between two runs, section by section.
        Diff {
            /// The first (older) archive.
            a: PathBuf,
            /// The second (newer) archive.
            b: PathBuf,
            /// Print the structured diff as JSON.
            #[arg(long, conflicts_with_all = ["markdown", "html"])]
            json: bool,
            /// Print it as Markdown (for a PR or a chat).
            #[arg(long, conflicts_with = "html")]
            markdown: bool,
            /// Print it as a standalone HTML file.
            #[arg(long)]
            html: bool,
        },
        /// The checkpoint and data lineage of one or more archives.
        Lineage {
            /// Archives (a CPT run and the SFT run that loads its checkpoint, ...).
            #[arg(required = true)]
            files: Vec<PathBuf>,
            /// Print as JSON (the default when neither --dot nor --svg is given).
            #[arg(long, conflicts_with_all = ["dot", "svg"])]
            json: bool,
            /// With JSON: add the computed layout (boxes, edge polylines, run bands).
            #[arg(long, conflicts_with_all = ["dot", "svg"])]
            layout: bool,
            /// Print as Graphviz DOT.
            #[arg(long, conflicts_with = "svg")]
            dot: bool,
            /// Print the picture the viewer draws, as a standalone SVG file.
            #[arg(long)]
            svg: bool,
        },
        /// Scan a folder of run folders and write the manifest the app lists (runs.json).
        /// Incremental: only archives whose size or mtime changed (or whose folder gained or
        /// lost files) are read again; the rest come from `.runlens-index-cache.json`
        /// beside the manifest.
        Index {
            /// The folder (run folders below it, at any depth).
            dir: PathBuf,
            /// Where to write the manifest (default DIR/runs.json; `-` for stdout).
            #[arg(short, long)]
            output: Option<PathBuf>,
            /// Write one manifest per experiment or per month (`runs-KEY.json` beside the
            /// output) and make the output a top manifest listing them with their counts.
            #[arg(long, value_enum)]
            shard: Option<ShardBy>,
            /// Read every archive again and write no cache.
            #[arg(long)]
            no_cache: bool,
        },
        /// The runs of a folder or manifest that match a query, with chosen fields.
        /// Exit 0 when some run matches, 1 when none does, 2 on a bad query or input.
        Runs {
            /// A folder of run folders (indexed in memory), or a manifest (`runs.json`, or a
            /// top manifest of shards).
            source: PathBuf,
            /// The query, e.g. `train.cpt.lr >= 2e-5 and status = failed` (default: all runs).
            #[arg(short, long, default_value = "")]
            query: String,
            /// Fields to print, comma-separated (default: those the query names).
            #[arg(long, value_delimiter = ',')]
            fields: Vec<String>,
            /// Print `{"count": N, "runs": [{"run_id", "archive", "fields"}]}`.
            #[arg(long, conflicts_with = "csv")]
            json: bool,
            /// Print CSV: run_id, archive, then the fields.
            #[arg(long)]
            csv: bool,
        },
        /// Print a generated archive (for benchmarks and browser checks).
        #[command(hide = true)]
        Synth {
            /// Number of train steps.
            #[arg(long, default_value_t = 160)]
            steps: usize,
            /// Params per step.
            #[arg(long, default_value_t = 600)]
            params: usize,
        },
        /// Write N generated runs (`DIR/EXPERIMENT/RUN_ID/archive.md`, the query benchmark's
        /// runs) for benchmarks and browser checks.
        #[command(hide = true)]
        SynthRuns {
            /// Where to write them.
            dir: PathBuf,
            /// How many.
            #[arg(long, default_value_t = 100)]
            runs: usize,
        },
        /// One line per archive; exit 1 if any has errors or unfilled/missing checklist fields.
        Check {
            /// Archives to check.
            #[arg(required = true)]
            files: Vec<PathBuf>,
        },
    }

    /// A file that could not be read as an archive: the message says which and why.
    struct BadInput(String);

    fn read(path: &Path) -> Result<String, BadInput> {
        let name = path.display();
        if path.is_dir() {
            return Err(BadInput(format!(
                "{name}: is a directory, not an archive file (give the archive.md inside it)"
            )));
        }
        let bytes = std::fs::read(path).map_err(|e| {
            BadInput(match e.kind() {
                std::io::ErrorKind::NotFound => format!("{name}: no such file"),
                std::io::ErrorKind::PermissionDenied => format!("{name}: permission denied"),
                _ => format!("{name}: cannot be read: {e}"),
            })
        })?;
        decode(&bytes)
            .map(str::to_string)
            .map_err(|e| BadInput(format!("{name}: {e}")))
    }

    pub fn main() -> ExitCode {
        let cli = Cli::parse();
        let result = match cli.command {
            Command::Inspect { file, json } => inspect(&file, json),
            Command::Check { files } => check(&files),
            Command::Curves { file, json } => curves(&file, json),
            Command::Index {
                dir,
                output,
                shard,
                no_cache,
            } => index(&dir, output.as_deref(), shard, no_cache),
            Command::Runs {
                source,
                query,
                fields,
                json,
                csv,
            } => runs(&source, &query, &fields, json, csv),
            Command::Lineage {
                files,
                json,
                layout,
                dot,
                svg,
            } => lineage(&files, LineageFormat::pick(json, layout, dot, svg)),
            Command::Diff {
                a,
                b,
                json,
                markdown,
                html,
            } => diff(&a, &b, json, markdown, html),
            Command::Synth { steps, params } => {
                let text = runlens::archive::synth::big_archive(steps, params);
                let _ = std::io::stdout().write_all(text.as_bytes());
                Ok(ExitCode::SUCCESS)
            }
            Command::SynthRuns { dir, runs } => synth_runs(&dir, runs),
        };
        match result {
            Ok(code) => code,
            Err(BadInput(msg)) => {
                eprintln!("runlens: {msg}");
                ExitCode::from(2)
            }
        }
    }

    fn inspect(path: &Path, json: bool) -> Result<ExitCode, BadInput> {
        let text = read(path)?;
        let parsed = parse(&text);
        let comp = completeness(&parsed.archive);
        let out = if json {
            serde_json::to_string_pretty(&to_json(&parsed, &comp)).unwrap_or_default() + "\n"
        } else {
            summary(&parsed, &comp)
        };
        // A closed pipe (`| head`) is not an error worth a panic.
        let _ = std::io::stdout().write_all(out.as_bytes());
        Ok(ExitCode::SUCCESS)
    }

    fn summary(p: &Parsed, c: &Completeness) -> String {
        let a = &p.archive;
        let s = &a.summary;
        let mut o = String::new();
        let or = |v: Option<&str>| v.unwrap_or("?").to_string();
        o += &format!(
            "{} / {}  [{}]\n",
            or(a.experiment()),
            or(a.run_id()),
            a.status().label()
        );
        let dur = s
            .get("duration_sec")
            .and_then(|n| n.as_f64())
            .map(format::duration)
            .unwrap_or_else(|| "?".into());
        o += &format!(
            "  {} -> {} ({dur})\n",
            or(s.text("started_at")),
            or(s.text("finished_at"))
        );
        let dirty = match s.get("git_dirty").map(|n| &n.value) {
            Some(runlens::archive::value::Value::Bool(true)) => " (dirty)",
            _ => "",
        };
        o += &format!(
            "  git {}{dirty}  host {}  user {}\n",
            s.text("git_commit").map_or("?", format::short_commit),
            or(s.text("host")),
            or(s.text("user"))
        );
        o += &format!(
            "  {}  CUDA {} / {}  torch {}  python {}\n",
            or(s.text("gpus")),
            or(s.text("cuda")),
            or(s.text("cuda_driver")),
            or(s.text("torch")),
            or(s.text("python"))
        );
        o += &format!("dependencies: {}\n", a.dependencies.rows.len());
        o += &format!("steps: {}\n", a.steps.steps.len());
        for st in &a.steps.steps {
            let mut line = format!(
                "  {:>3} {:<18} {:<8}",
                st.id().map_or("?".into(), |i| i.to_string()),
                st.label(),
                st.status().label()
            );
            if let Some(d) = st.duration_sec() {
                line += &format!(" {}", format::duration(d));
            }
            if let Some(t) = st.training() {
                if let Some(l) = t.final_loss {
                    line += &format!("  final loss {l}");
                }
            }
            if let Some(r) = st.retries().filter(|r| *r > 0) {
                line += &format!("  retries {r}");
            }
            o += &line;
            o.push('\n');
            if let Some(e) = st.text("error") {
                o += &format!("      error: {e}\n");
            }
        }
        let ckpts = a.checkpoints();
        o += &format!("checkpoints: {}\n", ckpts.len());
        if !a.extra_sections.is_empty() {
            let titles: Vec<&str> = a.extra_sections.iter().map(|x| x.title.as_str()).collect();
            o += &format!("other sections: {}\n", titles.join(", "));
        }
        o += &format!(
            "completeness: {:.0}% ({} filled, {} unfilled, {} missing of {})\n",
            c.percent(),
            c.count(FieldState::Filled),
            c.count(FieldState::Unfilled),
            c.count(FieldState::Missing),
            c.fields.len()
        );
        for f in c.fields.iter().filter(|f| f.state != FieldState::Filled) {
            o += &format!("  {} {}\n", f.state.as_str(), f.path);
        }
        o += &format!(
            "diagnostics: {} errors, {} warnings, {} notes\n",
            p.count(Severity::Error),
            p.count(Severity::Warning),
            p.count(Severity::Info)
        );
        for d in &p.diagnostics {
            o += &format!(
                "  line {}: {}: {}\n",
                d.line,
                d.severity.as_str(),
                d.message
            );
        }
        o
    }

    fn diff(
        a: &Path,
        b: &Path,
        json: bool,
        markdown: bool,
        html: bool,
    ) -> Result<ExitCode, BadInput> {
        use runlens::diff::export::{diff_html, diff_json, diff_markdown};
        let (ta, tb) = (read(a)?, read(b)?);
        let (pa, pb) = (parse(&ta), parse(&tb));
        let d = runlens::diff::diff_runs(&pa.archive, &pb.archive);
        let out = if json {
            serde_json::to_string_pretty(&diff_json(&d)).unwrap_or_default() + "\n"
        } else if html {
            diff_html(&d)
        } else {
            // Markdown is also the readable form for a terminal.
            let _ = markdown;
            diff_markdown(&d)
        };
        let _ = std::io::stdout().write_all(out.as_bytes());
        Ok(ExitCode::SUCCESS)
    }

    /// What `runlens lineage` prints.
    #[derive(Debug, Clone, Copy, PartialEq)]
    enum LineageFormat {
        /// The graph as JSON, with the layout when asked.
        Json { layout: bool },
        /// Graphviz DOT.
        Dot,
        /// The viewer's picture as SVG.
        Svg,
    }

    impl LineageFormat {
        /// From the flags (clap keeps them from conflicting): JSON when `--json` or `--layout`
        /// is given, or when no other format is.
        fn pick(json: bool, layout: bool, dot: bool, svg: bool) -> Self {
            if json || layout || !(dot || svg) {
                LineageFormat::Json { layout }
            } else if dot {
                LineageFormat::Dot
            } else {
                LineageFormat::Svg
            }
        }
    }

    fn lineage(files: &[PathBuf], format: LineageFormat) -> Result<ExitCode, BadInput> {
        use runlens::lineage;
        let texts = files
            .iter()
            .map(|f| read(f))
            .collect::<Result<Vec<_>, _>>()?;
        let parsed: Vec<_> = texts.iter().map(|t| parse(t)).collect();
        let archives: Vec<&runlens::archive::Archive> = parsed.iter().map(|p| &p.archive).collect();
        let g = lineage::build(&archives);
        let out = match format {
            LineageFormat::Dot => lineage::to_dot(&g),
            LineageFormat::Svg => {
                let l = lineage::layout::layout(&g);
                lineage::scene::to_svg(&lineage::scene::scene(&g, &l, &Default::default()))
            }
            LineageFormat::Json { layout } => {
                let mut j = lineage::to_json(&g);
                if layout {
                    let l = lineage::layout::layout(&g);
                    if let Some(o) = j.as_object_mut() {
                        o.insert("layout".into(), lineage::layout_json(&g, &l));
                    }
                }
                serde_json::to_string_pretty(&j).unwrap_or_default() + "\n"
            }
        };
        let _ = std::io::stdout().write_all(out.as_bytes());
        Ok(ExitCode::SUCCESS)
    }

    /// Every file below `dir`, as paths relative to `root` with `/` separators.
    fn files_below(dir: &Path, root: &Path, out: &mut Vec<String>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        // The entry's own type (no extra stat); a link is followed as before.
        let mut entries: Vec<_> = rd
            .filter_map(Result::ok)
            .map(|e| {
                let dir = e
                    .file_type()
                    .is_ok_and(|t| t.is_dir() || (t.is_symlink() && e.path().is_dir()));
                (e.path(), dir)
            })
            .collect();
        entries.sort();
        for (p, is_dir) in entries {
            if is_dir {
                files_below(&p, root, out);
            } else if let Ok(rel) = p.strip_prefix(root) {
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }

    /// The files of the run folder `folder` (relative paths from `all`, the archive `archive`
    /// and other archives left out; files of run folders nested below it included).
    fn folder_files(all: &[String], archive: &str, folder: &str) -> Vec<String> {
        all.iter()
            .filter(|f| {
                *f != archive && f.starts_with(folder) && !runlens::runs::is_archive_name(f)
            })
            .cloned()
            .collect()
    }

    /// `files` as a run's companions, by their paths relative to the run folder `folder`.
    fn companions(files: &[String], folder: &str) -> Vec<runlens::runs::Companion> {
        files
            .iter()
            .map(|f| runlens::runs::Companion {
                path: f.get(folder.len()..).unwrap_or(f).to_string(),
                size: None,
                url: None,
                bytes: None,
                handle: None,
            })
            .collect()
    }

    /// A step's curve file read from the run folder: its path there and its curves.
    struct StepCurve {
        /// The file, relative to the run folder.
        file: String,
        /// What it holds.
        curves: runlens::ingest::Curves,
    }

    /// Reads the curve file the cluster path `path` names, found among the run's files as
    /// the viewer finds it ([`runlens::runs::Run::resolve_file`]); the error says why not.
    fn read_step_curve(
        run: &runlens::runs::Run,
        folder: &Path,
        path: &str,
    ) -> Result<StepCurve, String> {
        use runlens::runs::CurveFile;
        let name = path.rsplit('/').next().unwrap_or(path);
        let companion = match run.resolve_file(path) {
            CurveFile::Companion(i) => run.companions.get(i),
            CurveFile::Urls(_) | CurveFile::Missing(_) => None,
        };
        let Some(c) = companion else {
            return Err(format!("{name}: not found in the run folder"));
        };
        let bytes = std::fs::read(folder.join(&c.path))
            .map_err(|e| format!("{}: cannot be read: {e}", c.path))?;
        let curves = runlens::ingest::parse(&c.path, &bytes).map_err(|e| e.to_string())?;
        Ok(StepCurve {
            file: c.path.clone(),
            curves,
        })
    }

    /// How `index --shard` splits the runs.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
    enum ShardBy {
        /// One manifest per `summary.experiment`.
        Experiment,
        /// One manifest per month of `summary.started_at` (`2025-11`).
        Month,
    }

    /// The cache file `index` keeps beside the manifest it writes.
    const INDEX_CACHE: &str = ".runlens-index-cache.json";

    /// The cache's first line: a cache made by another runlens (which may name fields
    /// differently) or in another format is not used.
    const INDEX_CACHE_FORMAT: &str = concat!("runlens-index-cache 2 ", env!("CARGO_PKG_VERSION"));

    /// What decides whether an archive is read again, and what the manifest is sorted and
    /// split by: one cache line's first half.
    #[derive(serde::Serialize, serde::Deserialize, Clone, PartialEq)]
    struct CacheKey {
        #[serde(rename = "a")]
        archive: String,
        #[serde(rename = "s")]
        size: u64,
        #[serde(rename = "m")]
        mtime_ns: u64,
        #[serde(rename = "f", default)]
        files: Vec<String>,
        #[serde(rename = "t", default)]
        started_at: Option<String>,
        #[serde(rename = "e", default)]
        experiment: Option<String>,
        /// One more than the highest field id its manifest line uses.
        #[serde(rename = "n", default)]
        names_used: u32,
    }

    /// One archive as indexed: what it was read from and its manifest line.
    struct Indexed {
        key: CacheKey,
        run: runlens::manifest::EncodedRun,
        /// Read in this run (not taken from the cache).
        fresh: bool,
    }

    /// The cache: the field-name table its runs' lines use, each archive by path, and how
    /// many archive lines the file holds (a later line for a path replaces an earlier one).
    struct IndexCache {
        names: Vec<String>,
        entries: std::collections::HashMap<String, Indexed>,
        lines: usize,
    }

    /// Reads the cache text: its format line, the names line (a JSON list), then one line
    /// per archive: its [`CacheKey`] as JSON, a tab, and its version 3 manifest line. `None`
    /// for a cache of another format or runlens version; an error says which line is damaged.
    fn read_cache(text: &str) -> Result<Option<IndexCache>, String> {
        let mut lines = text.split('\n');
        if lines.next() != Some(INDEX_CACHE_FORMAT) {
            return Ok(None);
        }
        let names: Vec<String> = serde_json::from_str(lines.next().unwrap_or(""))
            .map_err(|e| format!("line 2 (field names): {e}"))?;
        let mut entries = std::collections::HashMap::new();
        let mut lines_read = 0;
        for (i, line) in lines.enumerate() {
            if line.is_empty() {
                continue;
            }
            let bad = |why: String| format!("line {}: {why}", i + 3);
            let (key, json) = line
                .split_once('\t')
                .ok_or_else(|| bad("no tab between the key and the run".into()))?;
            let key: CacheKey = serde_json::from_str(key).map_err(|e| bad(e.to_string()))?;
            let names_used = key.names_used;
            if names_used as usize > names.len() || !json.starts_with('{') || !json.ends_with('}') {
                return Err(bad(
                    "the run's line is cut short or names unknown fields".into()
                ));
            }
            let run = runlens::manifest::EncodedRun {
                json: json.to_string(),
                names_used,
            };
            lines_read += 1;
            entries.insert(
                key.archive.clone(),
                Indexed {
                    key,
                    run,
                    fresh: false,
                },
            );
        }
        Ok(Some(IndexCache {
            names,
            entries,
            lines: lines_read,
        }))
    }

    /// The cache text for `names` and `entries` (the format [`read_cache`] reads).
    fn cache_text(names: &[String], entries: &[Indexed]) -> String {
        let size: usize = entries.iter().map(|e| e.run.json.len() + 200).sum();
        let mut out = String::with_capacity(size);
        out.push_str(INDEX_CACHE_FORMAT);
        out.push('\n');
        out.push_str(&serde_json::to_string(names).unwrap_or_default());
        out.push('\n');
        out.push_str(&cache_lines(entries.iter()));
        out
    }

    /// The cache's archive lines for `entries`.
    fn cache_lines<'a>(entries: impl Iterator<Item = &'a Indexed>) -> String {
        let mut out = String::new();
        for e in entries {
            out.push_str(&serde_json::to_string(&e.key).unwrap_or_default());
            out.push('\t');
            out.push_str(&e.run.json);
            out.push('\n');
        }
        out
    }

    /// Brings the cache up to date: when the field names did not grow and the file would not
    /// hold many replaced lines, only the archives read again are appended (a later line
    /// replaces an earlier one: 10 changed archives of 100,000 append 10 lines instead of
    /// writing 120 MB); else it is written whole and renamed into place. A cache that
    /// cannot be written only makes the next run slower.
    fn save_cache(path: &Path, old: Option<(usize, usize)>, names: &[String], done: &[Indexed]) {
        let fresh = done.iter().filter(|e| e.fresh).count();
        let append = old.is_some_and(|(old_names, lines)| {
            old_names == names.len() && lines + fresh <= done.len() + done.len() / 10 + 16
        });
        if append {
            use std::io::Write as _;
            let lines = cache_lines(done.iter().filter(|e| e.fresh));
            let ok = std::fs::OpenOptions::new()
                .append(true)
                .open(path)
                .and_then(|mut f| f.write_all(lines.as_bytes()));
            if ok.is_ok() {
                return;
            }
        }
        let tmp = path.with_extension("json.tmp");
        if std::fs::write(&tmp, cache_text(names, done)).is_ok() {
            let _ = std::fs::rename(&tmp, path);
        }
    }

    /// The files of run folder `folder` from `sorted` (all files, sorted as strings): the
    /// same list as [`folder_files`], found by a range search instead of a scan.
    fn folder_files_sorted(sorted: &[String], archive: &str, folder: &str) -> Vec<String> {
        let start = sorted.partition_point(|f| f.as_str() < folder);
        sorted[start..]
            .iter()
            .take_while(|f| f.starts_with(folder))
            .filter(|f| *f != archive && !runlens::runs::is_archive_name(f))
            .cloned()
            .collect()
    }
    /// Reads one archive into its manifest entry: summary and query fields, the sparkline
    /// of the first train step's curve, and each train step's loss at the fixed token counts.
    fn index_one(
        dir: &Path,
        archive: &str,
        files: &[String],
    ) -> Result<runlens::runs::ManifestRun, String> {
        use runlens::query::fields::step_prefixes;
        use runlens::query::{loss_at_tokens, tokens_per_step, FieldValue};
        use runlens::runs::{summarize, Run, Source};
        let folder = archive
            .rfind('/')
            .map_or(String::new(), |i| archive[..=i].to_string());
        let bytes = std::fs::read(dir.join(archive)).map_err(|e| format!("{archive}: {e}"))?;
        let run = Run::from_bytes(
            &bytes,
            Source::Dropped(archive.to_string()),
            companions(files, &folder),
        )
        .map_err(|e| e.to_string())?;
        let mut entry = summarize(&run);
        let steps = &run.parsed.archive.steps.steps;
        let first = run.first_curve().map(|(i, _)| i);
        let prefixes = step_prefixes(steps);
        for (i, curve) in run.train_step_curves() {
            let Some(path) = curve else { continue };
            let tps = steps.get(i).and_then(tokens_per_step);
            if Some(i) != first && tps.is_none() {
                continue;
            }
            let Ok(c) = read_step_curve(&run, &dir.join(&folder), &path) else {
                continue;
            };
            let Some(s) = c.curves.loss_series() else {
                continue;
            };
            if Some(i) == first {
                entry.sparkline = runlens::runs::sparkline(s, 48);
            }
            if let (Some(tps), Some(prefix)) = (tps, prefixes.get(i)) {
                for (name, loss) in loss_at_tokens(s, tps) {
                    entry
                        .fields
                        .entry(format!("{prefix}.{name}"))
                        .or_insert(FieldValue::Num(loss));
                }
            }
        }
        entry.archive = archive.to_string();
        entry.files = files.to_vec();
        Ok(entry)
    }

    fn mtime_ns(m: &std::fs::Metadata) -> u64 {
        m.modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as u64)
    }

    /// Writes `text` to `path`, or says which file could not be written.
    fn write_file(path: &Path, text: &str) -> Result<(), BadInput> {
        std::fs::write(path, text)
            .map_err(|e| BadInput(format!("{}: cannot be written: {e}", path.display())))
    }

    /// Writes `text` to `path` unless the file already holds exactly it (so an unchanged
    /// shard keeps its bytes and its mtime); says whether it wrote.
    fn write_if_changed(path: &Path, text: &str) -> Result<bool, BadInput> {
        let same = std::fs::metadata(path).is_ok_and(|m| m.len() == text.len() as u64)
            && std::fs::read(path).is_ok_and(|b| b == text.as_bytes());
        if same {
            return Ok(false);
        }
        write_file(path, text)?;
        Ok(true)
    }

    /// A shard key as a file name part: letters, digits, `.`, `_`, `-` kept, the rest `_`.
    fn shard_file(key: &str) -> String {
        let k: String = key
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        format!("runs-{k}.json")
    }

    /// Every archive below `dir` with its manifest line: taken from `cached` when its size,
    /// mtime and folder files are unchanged, else read (on every core) and encoded with
    /// `writer`'s field names. Returns the entries, how many were read, and how many could
    /// not be (each reported on stderr).
    fn scan(
        dir: &Path,
        mut cached: std::collections::HashMap<String, Indexed>,
        writer: &std::sync::Mutex<runlens::manifest::ManifestWriter>,
    ) -> (Vec<Indexed>, usize, usize) {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let mut all = Vec::new();
        files_below(dir, dir, &mut all);
        all.retain(|f| !f.ends_with(INDEX_CACHE));
        let mut sorted = all.clone();
        sorted.sort();
        let archives: Vec<&String> = all
            .iter()
            .filter(|p| runlens::runs::is_archive_name(p) && !p.ends_with("README.md"))
            .collect();
        // Each archive with its stat and files; the cached entry when nothing changed.
        let mut jobs: Vec<CacheKey> = Vec::new();
        let mut entries: Vec<Option<Indexed>> = Vec::new();
        for a in archives {
            let folder = a.rfind('/').map_or(String::new(), |i| a[..=i].to_string());
            let files = folder_files_sorted(&sorted, a, &folder);
            let meta = std::fs::metadata(dir.join(a)).ok();
            let size = meta.as_ref().map_or(0, |m| m.len());
            let mtime = meta.as_ref().map_or(0, mtime_ns);
            match cached.remove(a.as_str()) {
                Some(e)
                    if e.key.size == size && e.key.mtime_ns == mtime && e.key.files == files =>
                {
                    entries.push(Some(e))
                }
                _ => {
                    entries.push(None);
                    jobs.push(CacheKey {
                        archive: a.clone(),
                        size,
                        mtime_ns: mtime,
                        files,
                        started_at: None,
                        experiment: None,
                        names_used: 0,
                    });
                }
            }
        }
        let reread = jobs.len();
        // Read the changed archives on every core.
        let next = AtomicUsize::new(0);
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(16);
        let results: Vec<(usize, Result<Indexed, String>)> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    s.spawn(|| {
                        let mut out = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(job) = jobs.get(i) else {
                                break;
                            };
                            let r = index_one(dir, &job.archive, &job.files).map(|run| {
                                // Only the name lookups hold the lock; encoding does not.
                                let ids = match writer.lock() {
                                    Ok(mut w) => w.ids(&run.fields),
                                    Err(poisoned) => poisoned.into_inner().ids(&run.fields),
                                };
                                let encoded = runlens::manifest::encode_with_ids(&run, &ids);
                                Indexed {
                                    key: CacheKey {
                                        started_at: run.started_at.clone(),
                                        experiment: run.experiment.clone(),
                                        names_used: encoded.names_used,
                                        ..job.clone()
                                    },
                                    run: encoded,
                                    fresh: true,
                                }
                            });
                            out.push((i, r));
                        }
                        out
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        });
        let mut fresh: Vec<Option<Result<Indexed, String>>> =
            (0..jobs.len()).map(|_| None).collect();
        for (i, r) in results {
            if let Some(slot) = fresh.get_mut(i) {
                *slot = Some(r);
            }
        }
        let mut fresh = fresh.into_iter();
        let mut skipped = 0;
        let mut done: Vec<Indexed> = Vec::new();
        // A `None` entry was read again: the next fresh result, in the same order.
        for e in entries {
            let e = match e {
                Some(e) => Some(e),
                None => match fresh.next().flatten() {
                    Some(Ok(e)) => Some(e),
                    Some(Err(msg)) => {
                        eprintln!("runlens: skipped {msg}");
                        skipped += 1;
                        None
                    }
                    None => None,
                },
            };
            done.extend(e);
        }
        (done, reread, skipped)
    }

    /// The cache beside the output, when there is a usable one (a damaged one is named and
    /// left out: every archive is read again).
    fn load_cache(cache_path: &Path) -> Option<IndexCache> {
        let text = std::fs::read_to_string(cache_path).ok()?;
        match read_cache(&text) {
            Ok(c) => c,
            Err(e) => {
                eprintln!(
                    "runlens: the index cache {} is damaged ({e}); reading every archive again",
                    cache_path.display()
                );
                None
            }
        }
    }

    /// The shard an indexed run goes to.
    fn shard_key(by: ShardBy, key: &CacheKey) -> String {
        match by {
            ShardBy::Experiment => key
                .experiment
                .clone()
                .unwrap_or_else(|| runlens::runs::NO_EXPERIMENT.into()),
            ShardBy::Month => key
                .started_at
                .as_deref()
                .and_then(|s| s.get(..7))
                .unwrap_or("unknown")
                .to_string(),
        }
    }

    /// Writes one manifest per shard beside the top one (only those whose text changed);
    /// returns the shards for the top manifest and how many files were written.
    fn write_shards(
        out_dir: &Path,
        by: ShardBy,
        done: &[Indexed],
        writer: &runlens::manifest::ManifestWriter,
    ) -> Result<(Vec<runlens::runs::ShardRef>, usize), BadInput> {
        let mut groups: std::collections::BTreeMap<String, Vec<&runlens::manifest::EncodedRun>> =
            Default::default();
        for e in done {
            groups
                .entry(shard_key(by, &e.key))
                .or_default()
                .push(&e.run);
        }
        let mut shards = Vec::new();
        let mut written = 0;
        for (key, runs) in groups {
            let file = shard_file(&key);
            let text = writer.text(runs.iter().copied(), &[]);
            if write_if_changed(&out_dir.join(&file), &text)? {
                written += 1;
            }
            shards.push(runlens::runs::ShardRef {
                manifest: file,
                key,
                count: runs.len(),
            });
        }
        Ok((shards, written))
    }

    /// Writes `n` generated runs below `dir` (`EXPERIMENT/RUN_ID/archive.md`).
    fn synth_runs(dir: &Path, n: usize) -> Result<ExitCode, BadInput> {
        use runlens::query::synth::{knobs, synth_run};
        for i in 0..n {
            let k = knobs(i);
            let run = dir.join(&k.experiment).join(&k.run_id);
            std::fs::create_dir_all(&run)
                .map_err(|e| BadInput(format!("{}: cannot be made: {e}", run.display())))?;
            write_file(&run.join("archive.md"), &synth_run(i))?;
        }
        Ok(ExitCode::SUCCESS)
    }

    fn index(
        dir: &Path,
        output: Option<&Path>,
        shard: Option<ShardBy>,
        no_cache: bool,
    ) -> Result<ExitCode, BadInput> {
        use runlens::manifest::ManifestWriter;
        if !dir.is_dir() {
            return Err(BadInput(format!("{}: is not a folder", dir.display())));
        }
        let target = output
            .map(Path::to_path_buf)
            .unwrap_or_else(|| dir.join("runs.json"));
        let to_stdout = target.as_os_str() == "-";
        if to_stdout && shard.is_some() {
            return Err(BadInput("--shard writes files: give -o FILE, not -".into()));
        }
        let out_dir = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        let cache_path = out_dir.join(INDEX_CACHE);
        let use_cache = !no_cache && !to_stdout;
        let cache = if use_cache {
            load_cache(&cache_path)
        } else {
            None
        };
        let old = cache.as_ref().map(|c| (c.names.len(), c.lines));
        let (names, cached) = cache.map_or_else(Default::default, |c| (c.names, c.entries));
        let writer = std::sync::Mutex::new(ManifestWriter::with_names(names));
        let (mut done, reread, skipped) = scan(dir, cached, &writer);
        let writer = writer
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Newest first (a stable sort: runs started at the same time stay in path order).
        done.sort_by(|x, y| y.key.started_at.cmp(&x.key.started_at));
        let count = done.len();
        let (text, shards, written) = match shard {
            None => (writer.text(done.iter().map(|e| &e.run), &[]), 0, 0),
            Some(by) => {
                let (shards, written) = write_shards(&out_dir, by, &done, &writer)?;
                (writer.text([], &shards), shards.len(), written)
            }
        };
        if to_stdout {
            let _ = std::io::stdout().write_all(text.as_bytes());
            return Ok(ExitCode::SUCCESS);
        }
        write_if_changed(&target, &text)?;
        if use_cache {
            save_cache(&cache_path, old, writer.names(), &done);
        }
        eprintln!(
            "runlens: {count} runs indexed into {}{} ({reread} read, {} from the cache){}",
            target.display(),
            if shard.is_some() {
                format!(" and {shards} shards ({written} written, the rest unchanged)")
            } else {
                String::new()
            },
            count.saturating_sub(reread),
            if skipped > 0 {
                format!(" ({skipped} skipped)")
            } else {
                String::new()
            }
        );
        Ok(ExitCode::SUCCESS)
    }

    /// The runs of a folder (indexed in memory, nothing written) or of a manifest and the
    /// shards it lists, each with its archive path as the manifest gives it.
    fn load_runs(source: &Path) -> Result<Vec<runlens::runs::ManifestRun>, BadInput> {
        use runlens::runs::parse_manifest;
        if source.is_dir() {
            let writer = std::sync::Mutex::new(runlens::manifest::ManifestWriter::new());
            let (mut entries, _, _) = scan(source, std::collections::HashMap::new(), &writer);
            entries.sort_by(|x, y| y.key.started_at.cmp(&x.key.started_at));
            let writer = writer
                .into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let text = writer.text(entries.iter().map(|e| &e.run), &[]);
            return parse_manifest(&text)
                .map(|m| m.runs)
                .map_err(|e| BadInput(format!("{}: {e}", source.display())));
        }
        let read = |p: &Path| -> Result<runlens::runs::Manifest, BadInput> {
            let text = std::fs::read_to_string(p).map_err(|e| {
                BadInput(match e.kind() {
                    std::io::ErrorKind::NotFound => format!("{}: no such file", p.display()),
                    _ => format!("{}: cannot be read: {e}", p.display()),
                })
            })?;
            parse_manifest(&text).map_err(|e| BadInput(format!("{}: {e}", p.display())))
        };
        let top = read(source)?;
        let base = source.parent().unwrap_or(Path::new(""));
        let mut runs = top.runs;
        for s in &top.shards {
            let shard = read(&base.join(&s.manifest))?;
            // A shard's archive paths are relative to the shard: make them relative to the top.
            let dir = s.manifest.rfind('/').map_or("", |i| &s.manifest[..=i]);
            runs.extend(shard.runs.into_iter().map(|mut r| {
                r.archive = format!("{dir}{}", r.archive);
                r
            }));
        }
        Ok(runs)
    }

    fn runs(
        source: &Path,
        query: &str,
        fields: &[String],
        json: bool,
        csv: bool,
    ) -> Result<ExitCode, BadInput> {
        use runlens::query::{FieldTable, FieldValue, Query};
        let runs = load_runs(source)?;
        let mut table = FieldTable::new();
        for r in &runs {
            table.push(&r.query_fields());
        }
        let q = Query::new(query, &table).map_err(|e| {
            let caret = e.caret(query);
            let picture: Vec<&str> = caret.lines().take(2).collect();
            BadInput(format!("bad query: {e}\n  {}", picture.join("\n  ")))
        })?;
        let chosen: Vec<String> = if fields.is_empty() {
            q.field_names()
        } else {
            fields
                .iter()
                .map(|f| f.trim().to_string())
                .filter(|f| !f.is_empty())
                .collect()
        };
        for f in &chosen {
            if table.id(f).is_none() && !runlens::query::fields::is_template_field(f) {
                let hint = runlens::query::nearest(f, table.names().iter().map(String::as_str))
                    .map_or(String::new(), |n| format!("; did you mean `{n}`?"));
                return Err(BadInput(format!("--fields: unknown field `{f}`{hint}")));
            }
        }
        let rows = q.select(&table);
        let label =
            |r: &runlens::runs::ManifestRun| r.run_id.clone().unwrap_or_else(|| r.archive.clone());
        let cell = |row: usize, f: &str| table.value(row, f);
        let out = if json {
            use serde_json::{json, Map, Value};
            let list: Vec<Value> = rows
                .iter()
                .filter_map(|&row| {
                    let r = runs.get(row)?;
                    let mut m = Map::new();
                    for f in &chosen {
                        let v = cell(row, f).map_or(Value::Null, |v| {
                            serde_json::to_value(v).unwrap_or(Value::Null)
                        });
                        m.insert(f.clone(), v);
                    }
                    Some(json!({"run_id": label(r), "archive": r.archive, "fields": m}))
                })
                .collect();
            serde_json::to_string_pretty(&json!({"count": rows.len(), "runs": list}))
                .unwrap_or_default()
                + "\n"
        } else if csv {
            let mut w = ::csv::Writer::from_writer(Vec::new());
            let mut head = vec!["run_id".to_string(), "archive".to_string()];
            head.extend(chosen.iter().cloned());
            let _ = w.write_record(&head);
            for &row in &rows {
                let Some(r) = runs.get(row) else { continue };
                let mut rec = vec![label(r), r.archive.clone()];
                rec.extend(
                    chosen
                        .iter()
                        .map(|f| cell(row, f).map_or(String::new(), |v| v.display())),
                );
                let _ = w.write_record(&rec);
            }
            String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
        } else {
            let mut o = String::new();
            for &row in &rows {
                let Some(r) = runs.get(row) else { continue };
                let mut line = format!("{}  {}", label(r), r.archive);
                for f in &chosen {
                    let v = cell(row, f).map_or("-".to_string(), |v: FieldValue| v.display());
                    line += &format!("  {f}={v}");
                }
                o += &line;
                o.push('\n');
            }
            o += &format!("{} of {} runs match\n", rows.len(), runs.len());
            o
        };
        let _ = std::io::stdout().write_all(out.as_bytes());
        Ok(if rows.is_empty() {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        })
    }

    fn curves(path: &Path, json: bool) -> Result<ExitCode, BadInput> {
        let name = path.display().to_string();
        if path.is_dir() {
            return Err(BadInput(format!(
                "{name}: is a directory, not a curve file"
            )));
        }
        if runlens::runs::is_archive_name(&name) {
            return step_curves(path, json);
        }
        let bytes = std::fs::read(path).map_err(|e| {
            BadInput(match e.kind() {
                std::io::ErrorKind::NotFound => format!("{name}: no such file"),
                _ => format!("{name}: cannot be read: {e}"),
            })
        })?;
        let c = runlens::ingest::parse(&name, &bytes).map_err(|e| BadInput(e.to_string()))?;
        let loss = c.loss_series().map(|s| s.tag.clone());
        let out = if json {
            serde_json::to_string(&runlens::ingest::curves_json(&c)).unwrap_or_default() + "\n"
        } else {
            let mut o = format!("{name}: {} series, {} points\n", c.series.len(), c.points());
            for s in &c.series {
                let last = s
                    .last()
                    .map_or(String::new(), |(st, v)| format!(", last step {st} = {v}"));
                let restarts = if s.restarts.is_empty() {
                    String::new()
                } else {
                    format!(", {} restart(s)", s.restarts.len())
                };
                let is_loss = if loss.as_deref() == Some(s.tag.as_str()) {
                    "  (the loss)"
                } else {
                    ""
                };
                o += &format!(
                    "  {:<32} {:>8} points{last}{restarts}{is_loss}\n",
                    s.tag,
                    s.len()
                );
            }
            for p in &c.problems {
                o += &format!("  {}: {}\n", p.at, p.message);
            }
            o
        };
        let _ = std::io::stdout().write_all(out.as_bytes());
        Ok(ExitCode::SUCCESS)
    }

    /// `curves ARCHIVE.md`: for each train step, the curve file the viewer charts (found in
    /// the archive's folder as a dropped run folder's would be) and the series it shows as
    /// the loss.
    fn step_curves(path: &Path, json: bool) -> Result<ExitCode, BadInput> {
        use runlens::runs::{Run, Source};
        use serde_json::{json, Value};
        let text = read(path)?;
        let folder = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut all = Vec::new();
        files_below(folder, folder, &mut all);
        let archive = path
            .file_name()
            .map_or(String::new(), |f| f.to_string_lossy().into_owned());
        let files = folder_files(&all, &archive, "");
        let run = Run::from_bytes(
            text.as_bytes(),
            Source::Dropped(path.display().to_string()),
            companions(&files, ""),
        )
        .map_err(|e| BadInput(e.to_string()))?;
        let steps = &run.parsed.archive.steps.steps;
        let mut rows = Vec::new();
        for (i, curve) in run.train_step_curves() {
            let label = steps.get(i).map_or(String::new(), |s| s.label());
            let id = steps.get(i).and_then(|s| s.id());
            let read = match &curve {
                Some(p) => read_step_curve(&run, folder, p),
                None => Err("the step names no loss_curve and no .log".to_string()),
            };
            let loss = read.as_ref().ok().and_then(|r| {
                r.curves
                    .loss_series()
                    .map(|s| (s.tag.clone(), s.len(), s.last()))
            });
            rows.push(json!({
                "index": i,
                "step_id": id,
                "step": label,
                "curve": curve,
                "file": read.as_ref().ok().map(|r| r.file.clone()),
                "loss_tag": loss.as_ref().map(|l| l.0.clone()),
                "points": loss.as_ref().map(|l| l.1),
                "last": loss.as_ref().and_then(|l| l.2).map(|(st, v)| json!([st, v])),
                "error": read.as_ref().err(),
            }));
        }
        let out = if json {
            let j = json!({ "run_id": run.run_id(), "steps": rows });
            serde_json::to_string_pretty(&j).unwrap_or_default() + "\n"
        } else {
            let mut o = format!("{}: {} train step(s)\n", run.run_id(), rows.len());
            for r in &rows {
                let text = |k: &str| r[k].as_str().unwrap_or("").to_string();
                let id = r["step_id"]
                    .as_i64()
                    .map_or_else(|| format!("#{}", r["index"]), |i| i.to_string());
                o += &format!("  step {id} {}: ", text("step"));
                o += &match (&r["loss_tag"], &r["error"]) {
                    (Value::String(tag), _) => {
                        let last = match r["last"].as_array().map(Vec::as_slice) {
                            Some([st, v]) => format!(", last step {st} = {v}"),
                            _ => String::new(),
                        };
                        format!(
                            "{}, loss `{tag}`, {} points{last}",
                            text("file"),
                            r["points"]
                        )
                    }
                    (_, Value::String(e)) => e.clone(),
                    _ => format!("{}: no series", text("file")),
                };
                o.push('\n');
            }
            o
        };
        let _ = std::io::stdout().write_all(out.as_bytes());
        Ok(ExitCode::SUCCESS)
    }

    fn check(files: &[PathBuf]) -> Result<ExitCode, BadInput> {
        let mut worst = 0u8;
        let mut out = String::new();
        for path in files {
            let name = path.display();
            let text = match read(path) {
                Ok(t) => t,
                Err(BadInput(msg)) => {
                    eprintln!("runlens: {msg}");
                    worst = 2;
                    continue;
                }
            };
            let p = parse(&text);
            let c = completeness(&p.archive);
            let errors = p.count(Severity::Error);
            let failing = c.failing_checklist();
            let ok = errors == 0 && failing.is_empty();
            if !ok && worst == 0 {
                worst = 1;
            }
            let mut line = format!(
                "{} {name}: completeness {:.0}% ({}/{} fields), {} errors, {} warnings",
                if ok { "ok  " } else { "FAIL" },
                c.percent(),
                c.count(FieldState::Filled),
                c.fields.len(),
                errors,
                p.count(Severity::Warning)
            );
            if !failing.is_empty() {
                let names: Vec<String> = failing
                    .iter()
                    .flat_map(|i| {
                        i.checks
                            .iter()
                            .filter(|f| f.state != FieldState::Filled)
                            .map(|f| format!("{} {}", f.path, f.state.as_str()))
                    })
                    .collect();
                line += &format!("; checklist: {}", names.join(", "));
            }
            out += &line;
            out.push('\n');
        }
        let _ = std::io::stdout().write_all(out.as_bytes());
        Ok(ExitCode::from(worst))
    }
}
