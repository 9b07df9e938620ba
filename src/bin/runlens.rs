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
        Index {
            /// The folder (run folders below it, at any depth).
            dir: PathBuf,
            /// Where to write the manifest (default DIR/runs.json; `-` for stdout).
            #[arg(short, long)]
            output: Option<PathBuf>,
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
            Command::Index { dir, output } => index(&dir, output.as_deref()),
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
        let mut entries: Vec<_> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
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

    fn index(dir: &Path, output: Option<&Path>) -> Result<ExitCode, BadInput> {
        use runlens::runs::{summarize, Manifest, Run, Source};
        if !dir.is_dir() {
            return Err(BadInput(format!("{}: is not a folder", dir.display())));
        }
        let mut all = Vec::new();
        files_below(dir, dir, &mut all);
        let archives: Vec<&String> = all
            .iter()
            .filter(|p| runlens::runs::is_archive_name(p) && !p.ends_with("README.md"))
            .collect();
        let mut manifest = Manifest {
            version: 1,
            runs: Vec::new(),
        };
        let mut skipped = 0;
        for a in archives {
            let folder = a.rfind('/').map_or(String::new(), |i| a[..=i].to_string());
            let bytes = std::fs::read(dir.join(a)).unwrap_or_default();
            let files = folder_files(&all, a, &folder);
            let run = match Run::from_bytes(
                &bytes,
                Source::Dropped(a.clone()),
                companions(&files, &folder),
            ) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("runlens: skipped {e}");
                    skipped += 1;
                    continue;
                }
            };
            let mut entry = summarize(&run);
            // A sparkline from the first train step's curve, read here once for every reader.
            if let Some((_, path)) = run.first_curve() {
                if let Ok(c) = read_step_curve(&run, &dir.join(&folder), &path) {
                    if let Some(s) = c.curves.loss_series() {
                        entry.sparkline = runlens::runs::sparkline(s, 48);
                    }
                }
            }
            entry.archive = a.clone();
            entry.files = files;
            manifest.runs.push(entry);
        }
        manifest
            .runs
            .sort_by(|x, y| y.started_at.cmp(&x.started_at));
        let text = serde_json::to_string(&manifest).unwrap_or_default() + "\n";
        let target = output
            .map(Path::to_path_buf)
            .unwrap_or_else(|| dir.join("runs.json"));
        if target.as_os_str() == "-" {
            let _ = std::io::stdout().write_all(text.as_bytes());
        } else {
            std::fs::write(&target, text)
                .map_err(|e| BadInput(format!("{}: cannot be written: {e}", target.display())))?;
            eprintln!(
                "runlens: {} runs indexed into {}{}",
                manifest.runs.len(),
                target.display(),
                if skipped > 0 {
                    format!(" ({skipped} skipped)")
                } else {
                    String::new()
                }
            );
        }
        Ok(ExitCode::SUCCESS)
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
