//! Point colours by a third field: numbers on a sequential scale (viridis, the end that
//! vanishes into the background left out per theme), text and booleans as categories (the
//! charts' colour-blind-safe palette, the most frequent first, the rest as "other"), and
//! the legend that says which is which. Runs lacking the field are grey.

use std::collections::HashMap;

use super::columns::{Tint, CAT_FALSE, CAT_TRUE};
use super::scale::Scale;
use crate::chart::draw::PALETTE;
use crate::query::FieldTable;

/// Grey: runs that lack the colour field, and "other" categories.
pub const GREY: [u8; 3] = [140, 140, 140];

const VIRIDIS: [[u8; 3]; 9] = [
    [68, 1, 84],
    [71, 45, 123],
    [59, 82, 139],
    [44, 114, 142],
    [33, 145, 140],
    [40, 174, 128],
    [94, 201, 98],
    [173, 220, 48],
    [253, 231, 37],
];

/// How points are coloured.
#[derive(Debug, Clone, PartialEq)]
pub enum Coloring {
    /// One colour for every point.
    Plain([u8; 3]),
    /// Numbers from `scale.lo` (first colour) to `scale.hi` (last).
    Sequential {
        /// The values' range (linear, pixels 0..1).
        scale: Scale,
        /// Dark theme: the scale runs from blue to yellow, else from purple to green.
        dark: bool,
    },
    /// Categories by id, in legend order, each with its colour; others are grey.
    Categories(Vec<(u32, String, [u8; 3], usize)>),
}

/// One line of the legend.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendEntry {
    /// What it stands for (a category, or a number at one end of the scale).
    pub label: String,
    /// Its colour.
    pub rgb: [u8; 3],
    /// Points of it (0 for the ends of a sequential scale).
    pub count: usize,
}

/// A CSS colour: `rgb(r g b)`.
pub fn css(c: [u8; 3]) -> String {
    format!("rgb({} {} {})", c[0], c[1], c[2])
}

fn lerp(a: [u8; 3], b: [u8; 3], f: f64) -> [u8; 3] {
    let m = |x: u8, y: u8| {
        (x as f64 + (y as f64 - x as f64) * f)
            .round()
            .clamp(0.0, 255.0) as u8
    };
    [m(a[0], b[0]), m(a[1], b[1]), m(a[2], b[2])]
}

/// The viridis colour at `f` in 0..=1.
pub fn viridis(f: f64) -> [u8; 3] {
    let f = if f.is_finite() {
        f.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = f * (VIRIDIS.len() - 1) as f64;
    let i = (x.floor() as usize).min(VIRIDIS.len() - 2);
    let (a, b) = (VIRIDIS.get(i), VIRIDIS.get(i + 1));
    match (a, b) {
        (Some(a), Some(b)) => lerp(*a, *b, x - i as f64),
        _ => GREY,
    }
}

/// The name of a category id.
pub fn category_name(table: &FieldTable, id: u32) -> String {
    match id {
        CAT_FALSE => "false".into(),
        CAT_TRUE => "true".into(),
        t => table.text(t).to_string(),
    }
}

impl Coloring {
    /// The colouring of these tints: categories when most coloured points hold text or a
    /// boolean, else a sequential scale over the numbers; `plain` when there is no tint.
    pub fn new(table: &FieldTable, tints: &[Tint], plain: [u8; 3], dark: bool) -> Coloring {
        let mut counts: HashMap<u32, usize> = HashMap::new();
        let mut nums = 0usize;
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for t in tints {
            match *t {
                Tint::Cat(c) => *counts.entry(c).or_default() += 1,
                Tint::Num(v) => {
                    nums += 1;
                    lo = lo.min(v);
                    hi = hi.max(v);
                }
                Tint::None => {}
            }
        }
        let cats: usize = counts.values().sum();
        if nums == 0 && cats == 0 {
            return Coloring::Plain(plain);
        }
        if nums >= cats {
            let scale = Scale {
                lo,
                hi: if hi > lo { hi } else { lo + 1.0 },
                log: false,
                p0: 0.0,
                p1: 1.0,
            };
            return Coloring::Sequential { scale, dark };
        }
        let mut v: Vec<(u32, String, usize)> = counts
            .into_iter()
            .map(|(c, n)| (c, category_name(table, c), n))
            .collect();
        v.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.1.cmp(&b.1)));
        let colours: Vec<[u8; 3]> = PALETTE
            .iter()
            .filter(|c| **c != (120, 120, 120))
            .map(|&(r, g, b)| [r, g, b])
            .collect();
        Coloring::Categories(
            v.into_iter()
                .zip(colours)
                .map(|((c, name, n), rgb)| (c, name, rgb, n))
                .collect(),
        )
    }

    /// The colour of a point.
    pub fn rgb(&self, t: Tint) -> [u8; 3] {
        match (self, t) {
            (Coloring::Plain(c), _) => *c,
            (Coloring::Sequential { scale, dark }, Tint::Num(v)) => {
                let f = scale.px(v).unwrap_or(0.0);
                // Leave out the end that fades into the page: yellow on light, purple on dark.
                viridis(if *dark { 0.18 + 0.82 * f } else { 0.85 * f })
            }
            (Coloring::Categories(v), Tint::Cat(c)) => {
                v.iter().find(|e| e.0 == c).map_or(GREY, |e| e.2)
            }
            _ => GREY,
        }
    }

    /// The legend: each category with its count (then "other"), or the two ends of the
    /// scale; "no value" when some points lack the field.
    pub fn legend(&self, tints: &[Tint]) -> Vec<LegendEntry> {
        let missing = tints.iter().filter(|t| matches!(t, Tint::None)).count();
        let mut out = match self {
            Coloring::Plain(_) => return Vec::new(),
            Coloring::Sequential { scale, .. } => [scale.lo, scale.hi]
                .iter()
                .map(|&v| LegendEntry {
                    label: crate::format::number(v),
                    rgb: self.rgb(Tint::Num(v)),
                    count: 0,
                })
                .collect(),
            Coloring::Categories(v) => {
                let mut out: Vec<LegendEntry> = v
                    .iter()
                    .map(|(_, name, rgb, n)| LegendEntry {
                        label: name.clone(),
                        rgb: *rgb,
                        count: *n,
                    })
                    .collect();
                let shown: usize = v.iter().map(|e| e.3).sum();
                let cats = tints.iter().filter(|t| matches!(t, Tint::Cat(_))).count();
                if cats > shown {
                    out.push(LegendEntry {
                        label: "other".into(),
                        rgb: GREY,
                        count: cats - shown,
                    });
                }
                out
            }
        };
        if missing > 0 {
            out.push(LegendEntry {
                label: "no value".into(),
                rgb: GREY,
                count: missing,
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{FieldValue, Fields};

    #[test]
    fn text_is_categories_most_frequent_first_numbers_a_scale() {
        let mut t = FieldTable::new();
        for h in ["b", "a", "b", "c"] {
            let mut f = Fields::new();
            f.insert("host".into(), FieldValue::Text(h.into()));
            t.push(&f);
        }
        let id = |s: &str| t.text_id(s).unwrap();
        let tints = [
            Tint::Cat(id("b")),
            Tint::Cat(id("a")),
            Tint::Cat(id("b")),
            Tint::Cat(id("c")),
            Tint::None,
        ];
        let c = Coloring::new(&t, &tints, [0, 0, 0], false);
        let legend = c.legend(&tints);
        let labels: Vec<(&str, usize)> =
            legend.iter().map(|e| (e.label.as_str(), e.count)).collect();
        assert_eq!(labels, vec![("b", 2), ("a", 1), ("c", 1), ("no value", 1)]);
        assert_ne!(c.rgb(tints[0]), c.rgb(tints[1]));
        assert_eq!(c.rgb(Tint::None), GREY);
        let nums = [Tint::Num(1.0), Tint::Num(3.0)];
        let s = Coloring::new(&t, &nums, [0, 0, 0], false);
        assert!(matches!(s, Coloring::Sequential { .. }));
        assert_eq!(s.rgb(nums[0]), viridis(0.0));
        assert_eq!(s.legend(&nums).len(), 2);
        assert_eq!(
            Coloring::new(&t, &[], [1, 2, 3], false),
            Coloring::Plain([1, 2, 3])
        );
    }
}
