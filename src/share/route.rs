//! `Route`: every URL parameter the app reads or writes, in one type. The shell parses the
//! address into a `Route` at start-up and on back/forward, derives the next `Route` from the
//! state, and is the one place that writes history.
//!
//! Pure: parsing is forgiving (an unknown or damaged value falls back to the default and
//! unknown parameters are kept as they were), and `Route::parse(&r.query(), &r.fragment())`
//! gives back `r` for any route.

use crate::share::url::ChartState;
use crate::share::workspace::{decode_runs, encode_runs, WorkspaceView, PARAMS};

/// What the page shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Target {
    /// Nothing named: the first listed run opens.
    #[default]
    Home,
    /// A hosted run by its archive URL (`?run=`).
    Run(String),
    /// A run by its key or run id (`?open=`): dropped, pasted or remembered runs.
    Open(String),
    /// Two or more runs compared (`?compare=a,b`).
    Compare(Vec<String>),
    /// The runs table (`?view=index`).
    Index,
    /// Many runs in the workspace (`?workspace=a,b,...`, long lists in a compact form).
    Workspace(Vec<String>),
}

/// The runs table's filters and sort (`?status=&exp=&from=&to=&sort=`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TableQuery {
    /// Status filter (`success`, `failed`, ...); empty for all.
    pub status: String,
    /// Experiment filter; empty for all.
    pub experiment: String,
    /// Earliest start date (`YYYY-MM-DD`); empty for none.
    pub from: String,
    /// Latest start date; empty for none.
    pub to: String,
    /// Sort column and direction as written (`run_id:asc`); empty for the default.
    pub sort: String,
    /// A query over the runs' fields (`train.cpt.lr >= 2e-5 and status = success`); empty
    /// for none.
    pub query: String,
    /// The scatter and parallel coordinates beside the table, and the brushes that narrow it.
    pub relate: RelateQuery,
}

/// Which plot the runs table's *Relate* panel shows (`?plot=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Plot {
    /// The panel is closed.
    #[default]
    Closed,
    /// A scatter of two fields (`plot=scatter`).
    Scatter,
    /// Parallel coordinates (`plot=parallel`).
    Parallel,
}

impl Plot {
    /// The value in a link (`""` when closed).
    pub fn name(self) -> &'static str {
        match self {
            Plot::Closed => "",
            Plot::Scatter => "scatter",
            Plot::Parallel => "parallel",
        }
    }
}

/// A brush on a parallel axis: the runs whose `field` lies in `lo..=hi` pass
/// (`?brush=FIELD:LO:HI`, numbers written so they read back exactly). Both ends are finite.
#[derive(Debug, Clone, PartialEq)]
pub struct Brush {
    /// The axis' field.
    pub field: String,
    /// Low end (inclusive).
    pub lo: f64,
    /// High end (inclusive).
    pub hi: f64,
}

// Both ends are finite (parsing and the brush gesture keep them so), so equality is total.
impl Eq for Brush {}

impl Brush {
    /// As written in a link: `FIELD:LO:HI`.
    pub fn encode(&self) -> String {
        format!("{}:{}:{}", self.field, self.lo, self.hi)
    }

    /// Reads `FIELD:LO:HI` (the field may hold `:`; the numbers are the last two parts);
    /// `None` unless both are finite numbers, ordered low to high.
    pub fn decode(s: &str) -> Option<Brush> {
        let mut it = s.rsplitn(3, ':');
        let hi: f64 = it.next()?.parse().ok()?;
        let lo: f64 = it.next()?.parse().ok()?;
        let field = it.next()?.to_string();
        (lo.is_finite() && hi.is_finite() && lo <= hi && !field.is_empty()).then_some(Brush {
            field,
            lo,
            hi,
        })
    }

    /// Whether `v` is inside.
    pub fn holds(&self, v: f64) -> bool {
        v >= self.lo && v <= self.hi
    }
}

/// The runs table's *Relate* panel: `plot=scatter|parallel`, the scatter's `x=`, `y=`,
/// `color=`, `logx=1`, `logy=1`; parallel axes as repeated `ax=FIELD`, with `axlog=FIELD`
/// and `axflip=FIELD` for the axes drawn on a log scale or upside down; and repeated
/// `brush=FIELD:LO:HI`, which narrow the table too.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RelateQuery {
    /// Which plot is open.
    pub plot: Plot,
    /// The scatter's x field.
    pub x: String,
    /// The scatter's y field (the result the correlation table ranks against).
    pub y: String,
    /// The field the points are coloured by.
    pub color: String,
    /// Log x.
    pub log_x: bool,
    /// Log y.
    pub log_y: bool,
    /// Parallel axes, left to right.
    pub axes: Vec<String>,
    /// Axes on a log scale.
    pub axis_log: Vec<String>,
    /// Axes drawn upside down.
    pub axis_flip: Vec<String>,
    /// Brushes, in the order drawn.
    pub brushes: Vec<Brush>,
}

impl RelateQuery {
    fn parse(p: &[(String, String)]) -> RelateQuery {
        let all = |k: &str| -> Vec<String> {
            p.iter()
                .filter(|(n, v)| n == k && !v.trim().is_empty())
                .map(|(_, v)| v.trim().to_string())
                .collect()
        };
        let one = |k: &str| all(k).into_iter().next().unwrap_or_default();
        RelateQuery {
            plot: match one("plot").as_str() {
                "scatter" => Plot::Scatter,
                "parallel" => Plot::Parallel,
                _ => Plot::Closed,
            },
            x: one("x"),
            y: one("y"),
            color: one("color"),
            log_x: one("logx") == "1",
            log_y: one("logy") == "1",
            axes: all("ax"),
            axis_log: all("axlog"),
            axis_flip: all("axflip"),
            brushes: all("brush")
                .iter()
                .filter_map(|b| Brush::decode(b))
                .collect(),
        }
    }

    fn write(&self, q: &mut form_urlencoded::Serializer<'_, String>) {
        let mut pair = |k: &str, v: &str| {
            if !v.is_empty() {
                q.append_pair(k, v);
            }
        };
        pair("plot", self.plot.name());
        pair("x", &self.x);
        pair("y", &self.y);
        pair("color", &self.color);
        pair("logx", if self.log_x { "1" } else { "" });
        pair("logy", if self.log_y { "1" } else { "" });
        for (k, list) in [
            ("ax", &self.axes),
            ("axlog", &self.axis_log),
            ("axflip", &self.axis_flip),
        ] {
            for v in list {
                pair(k, v);
            }
        }
        for b in &self.brushes {
            pair("brush", &b.encode());
        }
    }
}

impl TableQuery {
    /// No filter and the default sort.
    pub fn is_default(&self) -> bool {
        *self == TableQuery::default()
    }
}

/// What follows `#`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Fragment {
    /// No fragment.
    #[default]
    None,
    /// An anchor on the page (`#step-2`, `#sec-config`).
    Anchor(String),
    /// A shared archive (`#share=...`), as written after the `#`.
    Share(String),
}

/// Every URL parameter of the app.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Route {
    /// What is shown.
    pub target: Target,
    /// The manifest to list (`?index=`); `runs.json` next to the page when absent.
    pub manifest: Option<String>,
    /// One chart's settings (`?chart=`).
    pub chart: Option<ChartState>,
    /// The runs table's filters and sort.
    pub table: TableQuery,
    /// The workspace's settings (`wtag=`, `wstep=`, ...).
    pub workspace: WorkspaceView,
    /// Anchor or shared archive.
    pub fragment: Fragment,
    /// Parameters the app does not know, kept in order so a link passes them on.
    pub extra: Vec<(String, String)>,
}

/// Parameters owned by [`Route`]; anything else is kept in [`Route::extra`].
const OWNED: [&str; 23] = [
    "run",
    "open",
    "compare",
    "view",
    "index",
    "chart",
    "status",
    "exp",
    "from",
    "to",
    "sort",
    "q",
    "workspace",
    // The runs table's Relate panel (RelateQuery).
    "plot",
    "x",
    "y",
    "color",
    "logx",
    "logy",
    "ax",
    "axlog",
    "axflip",
    "brush",
];

/// How the shell records a route change in the browser's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryOp {
    /// A new entry: back returns to the previous view.
    Push,
    /// The same entry, rewritten (settings, filters, filling in the first view).
    Replace,
}

impl Route {
    /// Reads a query string (with or without its `?`) and a fragment (with or without `#`).
    pub fn parse(query: &str, fragment: &str) -> Route {
        let query = query.strip_prefix('?').unwrap_or(query);
        let mut p: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let get = |p: &[(String, String)], k: &str| {
            p.iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let compare: Vec<String> = get(&p, "compare")
            .map(|list| {
                list.split(',')
                    .map(|e| e.trim().to_string())
                    .filter(|e| !e.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let workspace: Vec<String> = get(&p, "workspace")
            .map(|w| decode_runs(&w))
            .unwrap_or_default();
        let target = if get(&p, "view").as_deref() == Some("index") {
            Target::Index
        } else if !workspace.is_empty() {
            Target::Workspace(workspace)
        } else if !compare.is_empty() {
            Target::Compare(compare)
        } else if let Some(run) = get(&p, "run") {
            Target::Run(run)
        } else if let Some(open) = get(&p, "open") {
            Target::Open(open)
        } else {
            Target::Home
        };
        let table = TableQuery {
            status: get(&p, "status").unwrap_or_default(),
            experiment: get(&p, "exp").unwrap_or_default(),
            from: get(&p, "from").unwrap_or_default(),
            to: get(&p, "to").unwrap_or_default(),
            sort: get(&p, "sort").unwrap_or_default(),
            query: get(&p, "q").unwrap_or_default(),
            relate: RelateQuery::parse(&p),
        };
        let route = Route {
            target,
            manifest: get(&p, "index"),
            chart: get(&p, "chart").and_then(|c| ChartState::decode(&c)),
            table,
            workspace: WorkspaceView::from_params(|k| {
                p.iter()
                    .filter(|(n, _)| n == k)
                    .map(|(_, v)| v.trim().to_string())
                    .filter(|v| !v.is_empty())
                    .collect()
            }),
            fragment: Fragment::parse(fragment),
            extra: Vec::new(),
        };
        p.retain(|(k, _)| !OWNED.contains(&k.as_str()) && !PARAMS.contains(&k.as_str()));
        Route { extra: p, ..route }
    }

    /// The query string, without `?` (empty when there is nothing to say).
    pub fn query(&self) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        if let Some(m) = &self.manifest {
            q.append_pair("index", m);
        }
        match &self.target {
            Target::Home => {}
            Target::Run(u) => {
                q.append_pair("run", u);
            }
            Target::Open(k) => {
                q.append_pair("open", k);
            }
            Target::Compare(list) => {
                q.append_pair("compare", &list.join(","));
            }
            Target::Index => {
                q.append_pair("view", "index");
            }
            Target::Workspace(list) => {
                q.append_pair("workspace", &encode_runs(list));
            }
        }
        for (k, v) in self.workspace.params() {
            q.append_pair(k, &v);
        }
        if let Some(c) = &self.chart {
            q.append_pair("chart", &c.encode());
        }
        let t = &self.table;
        for (k, v) in [
            ("status", &t.status),
            ("exp", &t.experiment),
            ("from", &t.from),
            ("to", &t.to),
            ("sort", &t.sort),
            ("q", &t.query),
        ] {
            if !v.is_empty() {
                q.append_pair(k, v);
            }
        }
        t.relate.write(&mut q);
        for (k, v) in &self.extra {
            q.append_pair(k, v);
        }
        q.finish()
    }

    /// The fragment with its `#`, or empty.
    pub fn fragment(&self) -> String {
        match &self.fragment {
            Fragment::None => String::new(),
            Fragment::Anchor(a) | Fragment::Share(a) => format!("#{a}"),
        }
    }

    /// The part of the address after the path: `?query#fragment`.
    pub fn href(&self) -> String {
        let q = self.query();
        let q = if q.is_empty() { q } else { format!("?{q}") };
        format!("{q}{}", self.fragment())
    }

    /// How going from `self` (the address now) to `next` is recorded: `None` when they are
    /// the same route. Opening another run or view is a new entry; filling in the first view
    /// of a fresh page, and settings, filters and anchors, rewrite the current one.
    pub fn history_op(&self, next: &Route) -> Option<HistoryOp> {
        if self == next {
            return None;
        }
        if self.target == next.target || self.target == Target::Home {
            return Some(HistoryOp::Replace);
        }
        Some(HistoryOp::Push)
    }
}

impl Fragment {
    /// Reads a fragment (with or without `#`).
    pub fn parse(s: &str) -> Fragment {
        let s = s.strip_prefix('#').unwrap_or(s);
        if s.is_empty() {
            Fragment::None
        } else if s.starts_with(crate::share::PREFIX) {
            Fragment::Share(s.to_string())
        } else {
            Fragment::Anchor(s.to_string())
        }
    }

    /// The anchor, when the fragment is one.
    pub fn anchor(&self) -> Option<&str> {
        match self {
            Fragment::Anchor(a) => Some(a),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::share::url::AxisChoice;
    use crate::share::workspace::{BandChoice, GroupStat, StepChoice};

    /// A small deterministic generator (xorshift), so the property runs the same cases on
    /// every machine and a failure names its seed.
    struct Gen(u64);

    impl Gen {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
        fn text(&mut self, allow_comma: bool) -> String {
            // Characters that need escaping in a query: space, &, =, +, %, #, ?, /, unicode.
            const CHARS: &[char] = &[
                'a', 'b', 'Z', '0', '9', '-', '_', '.', '/', ' ', '&', '=', '+', '%', '#', '?',
                '~', ':', 'é', '中', ',', '{', '}',
            ];
            let n = 1 + self.below(12) as usize;
            let s: String = (0..n)
                .map(|_| CHARS[self.below(CHARS.len() as u64) as usize])
                .filter(|c| allow_comma || *c != ',')
                .collect();
            let s = s.trim().to_string();
            if s.is_empty() {
                "x".into()
            } else {
                s
            }
        }
        fn maybe(&mut self, allow_comma: bool) -> String {
            if self.below(2) == 0 {
                String::new()
            } else {
                self.text(allow_comma)
            }
        }
    }

    fn route(g: &mut Gen) -> Route {
        let target = match g.below(6) {
            5 => Target::Workspace((0..1 + g.below(6)).map(|_| g.text(false)).collect()),
            0 => Target::Home,
            1 => Target::Run(g.text(true)),
            2 => Target::Open(g.text(true)),
            3 => Target::Compare((0..2 + g.below(4)).map(|_| g.text(false)).collect()),
            _ => Target::Index,
        };
        let chart = (g.below(2) == 0).then(|| {
            let mut c = ChartState::new(&format!("step-{}", g.below(200)));
            c.tag = (g.below(2) == 0).then(|| g.text(true).replace('~', "-"));
            c.smoothing = g.below(999) as f64 / 1000.0;
            c.axis = AxisChoice::ALL[g.below(4) as usize];
            c.x = (g.below(2) == 0).then(|| {
                let a = g.below(1_000_000) as f64 / 7.0;
                (a, a + 1.0 + g.below(1000) as f64 * 1e-3)
            });
            c.log_y = g.below(2) == 0;
            c
        });
        let fragment = match g.below(3) {
            0 => Fragment::None,
            1 => Fragment::Anchor(format!("step-{}", g.below(50))),
            _ => Fragment::Share(format!("{}AbC-_{}", crate::share::PREFIX, g.below(1000))),
        };
        let extra = (0..g.below(3))
            .map(|i| (format!("x{i}"), g.maybe(true)))
            .collect();
        let pair = |g: &mut Gen| {
            (g.below(2) == 0).then(|| {
                let a = g.below(1_000_000) as f64 / 7.0;
                (a, a + 1.0 + g.below(1000) as f64 * 1e-3)
            })
        };
        let workspace = if g.below(3) == 0 {
            WorkspaceView::default()
        } else {
            WorkspaceView {
                tags: g.maybe(true),
                step: StepChoice::ALL[g.below(3) as usize],
                axis: AxisChoice::ALL[g.below(4) as usize],
                zoom: pair(g),
                sync_x: g.below(2) == 0,
                one_column: g.below(2) == 0,
                group: (g.below(2) == 0).then(|| g.text(true)),
                stat: GroupStat::ALL[g.below(4) as usize],
                band: BandChoice::ALL[g.below(3) as usize],
                color: (g.below(2) == 0).then(|| g.text(true)),
                robust: g.below(2) == 0,
                range: pair(g),
                hidden: (0..g.below(6)).map(|_| g.below(300) as usize).collect(),
                solo: (g.below(2) == 0).then(|| g.below(300) as usize),
                panel_zooms: (0..g.below(3))
                    .filter_map(|_| Some((g.text(true), pair(g)?)))
                    .collect(),
            }
        };
        Route {
            target,
            workspace,
            manifest: (g.below(2) == 0).then(|| g.text(true)),
            chart,
            table: TableQuery {
                status: g.maybe(true),
                experiment: g.maybe(true),
                from: g.maybe(true),
                to: g.maybe(true),
                sort: g.maybe(true),
                query: g.maybe(true),
                relate: relate(g),
            },
            fragment,
            extra,
        }
    }

    fn number(g: &mut Gen) -> f64 {
        // Any finite f64 bit pattern, and round ones too.
        match g.below(3) {
            0 => g.below(1000) as f64 / 8.0 - 60.0,
            1 => (g.below(2_000_000) as f64 - 1e6) * 10f64.powi(g.below(40) as i32 - 20),
            _ => {
                let v = f64::from_bits(g.next());
                if v.is_finite() {
                    v
                } else {
                    1.5
                }
            }
        }
    }

    fn relate(g: &mut Gen) -> RelateQuery {
        let list = |g: &mut Gen| (0..g.below(4)).map(|_| g.text(true)).collect::<Vec<_>>();
        RelateQuery {
            plot: [Plot::Closed, Plot::Scatter, Plot::Parallel][g.below(3) as usize],
            x: g.maybe(true),
            y: g.maybe(true),
            color: g.maybe(true),
            log_x: g.below(2) == 0,
            log_y: g.below(2) == 0,
            axes: list(g),
            axis_log: list(g),
            axis_flip: list(g),
            brushes: (0..g.below(3))
                .map(|_| {
                    let (a, b) = (number(g), number(g));
                    Brush {
                        field: g.text(true),
                        lo: a.min(b),
                        hi: a.max(b),
                    }
                })
                .collect(),
        }
    }

    #[test]
    fn relate_parameters_read_as_documented() {
        let r = Route::parse(
            "view=index&plot=scatter&x=train.cpt.lr&y=eval.mmlu&color=host&logx=1&ax=a&ax=b:c&axflip=b:c&brush=b:c:-1e-5:2.5&brush=bad:1",
            "",
        );
        let q = &r.table.relate;
        assert_eq!(q.plot, Plot::Scatter);
        assert_eq!(
            (q.x.as_str(), q.y.as_str(), q.color.as_str()),
            ("train.cpt.lr", "eval.mmlu", "host")
        );
        assert!(q.log_x && !q.log_y);
        assert_eq!(q.axes, vec!["a", "b:c"]);
        assert_eq!(q.axis_flip, vec!["b:c"]);
        assert_eq!(
            q.brushes,
            vec![Brush {
                field: "b:c".into(),
                lo: -1e-5,
                hi: 2.5
            }],
            "a brush that cannot be read is dropped"
        );
        assert!(r.extra.is_empty());
        assert_eq!(Brush::decode("f:3:1"), None, "low above high");
        assert_eq!(Brush::decode("f:inf:1"), None);
    }

    #[test]
    fn parse_of_format_is_the_route_for_any_route() {
        for seed in 1..=5_000u64 {
            let mut g = Gen(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
            let r = route(&mut g);
            let back = Route::parse(&r.query(), &r.fragment());
            assert_eq!(back, r, "seed {seed}: {}", r.href());
        }
    }

    #[test]
    fn a_workspace_of_200_runs_round_trips_in_a_compact_link() {
        let runs: Vec<String> = (0..200)
            .map(|i| format!("https://host/ml/runs/2025-11/20251103-{i:04}-a1f3/archive.md"))
            .collect();
        let mut r = Route {
            target: Target::Workspace(runs.clone()),
            manifest: Some("runs.json".into()),
            ..Route::default()
        };
        r.workspace.tags = "loss".into();
        r.workspace.zoom = Some((100.0, 1500.0));
        // Half the runs hidden, one shown alone, two panels zoomed on their own.
        r.workspace.hidden = (0..200).step_by(2).chain(150..190).collect();
        r.workspace.solo = Some(199);
        r.workspace.sync_x = false;
        r.workspace.panel_zooms = [
            ("lm loss".to_string(), (10.0, 20.0)),
            ("grad~norm, x".to_string(), (0.5, 1e12)),
        ]
        .into_iter()
        .collect();
        let href = r.href();
        assert_eq!(Route::parse(&r.query(), &r.fragment()), r);
        let plain = runs.join(",").len();
        assert!(
            href.len() * 4 < plain,
            "{} chars of {plain}: {href}",
            href.len()
        );
        // The plain form a person types opens the same workspace.
        let typed = Route::parse(&format!("workspace={}", runs.join(",")), "");
        assert_eq!(typed.target, Target::Workspace(runs));
    }

    #[test]
    fn start_up_and_back_forward_read_the_same_route() {
        // One reader for both: blank and padded entries are dropped the same way.
        let r = Route::parse("?compare=a,%20,b%20,,&run=", "");
        assert_eq!(r.target, Target::Compare(vec!["a".into(), "b".into()]));
        let r = Route::parse("run=&open=k1", "");
        assert_eq!(r.target, Target::Open("k1".into()));
        assert_eq!(Route::parse("", "").target, Target::Home);
    }

    #[test]
    fn precedence_and_unknown_parameters() {
        let r = Route::parse("view=index&run=a.md&utm=x&chart=", "#step-3");
        assert_eq!(r.target, Target::Index);
        assert_eq!(r.extra, vec![("utm".to_string(), "x".to_string())]);
        assert_eq!(r.fragment.anchor(), Some("step-3"));
        let shared = Route::parse("", &format!("#{}xyz", crate::share::PREFIX));
        assert!(matches!(shared.fragment, Fragment::Share(_)));
        assert_eq!(shared.fragment.anchor(), None);
    }

    #[test]
    fn a_typed_address_and_its_encoded_form_are_one_route() {
        // The address bar may show `/` and `,` escaped or not: one route either way, so the
        // shell never rewrites a link it was opened with.
        let typed = Route::parse("?run=samples/a/archive.md", "");
        let encoded = Route::parse(&typed.query(), "");
        assert_eq!(typed, encoded);
        assert_eq!(typed.history_op(&encoded), None);
    }

    #[test]
    fn another_view_is_a_new_history_entry_settings_are_not() {
        let a = Route::parse("run=a.md", "");
        let b = Route::parse("run=b.md", "");
        assert_eq!(a.history_op(&b), Some(HistoryOp::Push));
        let mut zoomed = a.clone();
        zoomed.chart = ChartState::decode("step-2~loss~0.6~step~1~2~0");
        assert_eq!(a.history_op(&zoomed), Some(HistoryOp::Replace));
        assert_eq!(Route::default().history_op(&a), Some(HistoryOp::Replace));
        let cmp = Route::parse("compare=a,b", "");
        assert_eq!(a.history_op(&cmp), Some(HistoryOp::Push));
    }
}
