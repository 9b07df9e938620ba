//! View state that lives in the URL beyond the open run: a chart's settings
//! (`?chart=step-2~lm_loss~0.6~step~100~200~1`), so a copied link reopens the same chart.
//!
//! Pure. Parsing is forgiving: a damaged value falls back to the default, never an error.

/// The x quantity a user picked for a chart, as the URL writes it (`step`, `relative`,
/// `wall`, `tokens`). The one place these names are read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AxisChoice {
    /// The training step.
    #[default]
    Step,
    /// Seconds since the series' first point.
    Relative,
    /// Wall-clock time.
    Wall,
    /// Tokens seen (needs the run's tokens per step).
    Tokens,
}

impl AxisChoice {
    /// Every choice, in menu order.
    pub const ALL: [AxisChoice; 4] = [
        AxisChoice::Step,
        AxisChoice::Relative,
        AxisChoice::Wall,
        AxisChoice::Tokens,
    ];

    /// The name in the URL and in the menu's option values.
    pub fn as_str(self) -> &'static str {
        match self {
            AxisChoice::Step => "step",
            AxisChoice::Relative => "relative",
            AxisChoice::Wall => "wall",
            AxisChoice::Tokens => "tokens",
        }
    }

    /// The choice named `name`; `None` for any other text.
    pub fn from_name(name: &str) -> Option<AxisChoice> {
        AxisChoice::ALL.into_iter().find(|a| a.as_str() == name)
    }
}

/// One chart's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartState {
    /// Which chart (the anchor of its step, `step-2`).
    pub key: String,
    /// The tag shown.
    pub tag: Option<String>,
    /// Smoothing weight, 0 to 0.999.
    pub smoothing: f64,
    /// X axis.
    pub axis: AxisChoice,
    /// Zoomed x range.
    pub x: Option<(f64, f64)>,
    /// Log-scale y.
    pub log_y: bool,
}

impl ChartState {
    /// Settings of a chart nobody touched.
    pub fn new(key: &str) -> ChartState {
        ChartState {
            key: key.to_string(),
            tag: None,
            smoothing: 0.6,
            axis: AxisChoice::Step,
            x: None,
            log_y: false,
        }
    }

    /// The `chart=` value.
    pub fn encode(&self) -> String {
        let (a, b) = self.x.map_or((String::new(), String::new()), |(a, b)| {
            (a.to_string(), b.to_string())
        });
        format!(
            "{}~{}~{}~{}~{a}~{b}~{}",
            self.key,
            self.tag.as_deref().unwrap_or(""),
            self.smoothing,
            self.axis.as_str(),
            u8::from(self.log_y)
        )
    }

    /// Reads a `chart=` value.
    pub fn decode(s: &str) -> Option<ChartState> {
        let mut p = s.split('~');
        let key = p.next().filter(|k| !k.is_empty())?.to_string();
        let mut st = ChartState::new(&key);
        st.tag = p.next().filter(|t| !t.is_empty()).map(str::to_string);
        if let Some(w) = p
            .next()
            .and_then(|w| w.parse::<f64>().ok())
            .filter(|w| (0.0..1.0).contains(w))
        {
            st.smoothing = w;
        }
        if let Some(a) = p.next().and_then(AxisChoice::from_name) {
            st.axis = a;
        }
        let lo = p.next().and_then(|v| v.parse::<f64>().ok());
        let hi = p.next().and_then(|v| v.parse::<f64>().ok());
        st.x = lo
            .zip(hi)
            .filter(|(a, b)| a.is_finite() && b.is_finite() && b > a);
        st.log_y = p.next() == Some("1");
        Some(st)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_damage() {
        let st = ChartState {
            key: "step-2".into(),
            tag: Some("lm loss".into()),
            smoothing: 0.9,
            axis: AxisChoice::Wall,
            x: Some((100.0, 250.5)),
            log_y: true,
        };
        assert_eq!(ChartState::decode(&st.encode()), Some(st));
        let d = ChartState::decode("step-5~~7~weird~x~1~0").expect("forgiving");
        assert_eq!((d.smoothing, d.axis.as_str(), d.x), (0.6, "step", None));
        assert_eq!(ChartState::decode(""), None);
        assert_eq!(
            ChartState::decode("step-1~a~0.5~step~5~2~0").and_then(|s| s.x),
            None,
            "empty range refused"
        );
    }

    #[test]
    fn axis_names_round_trip() {
        for a in AxisChoice::ALL {
            assert_eq!(AxisChoice::from_name(a.as_str()), Some(a));
        }
        assert_eq!(AxisChoice::from_name("Step"), None, "names are exact");
        assert_eq!(AxisChoice::from_name(""), None);
        assert_eq!(ChartState::new("k").axis, AxisChoice::Step);
        let st = ChartState::decode("step-2~~0.5~tokens~~~0").expect("decodes");
        assert_eq!(st.axis, AxisChoice::Tokens);
        assert_eq!(st.encode(), "step-2~~0.5~tokens~~~0");
    }
}
