//! An RGBA pixel buffer the plots draw their points and lines into, handed to the canvas in
//! one call: 100,000 points are 100,000 small stamps in memory, not 100,000 calls into the
//! browser. Colours blend "source over" on a transparent background (straight alpha, as a
//! canvas' image data expects).

/// A `w` x `h` RGBA image, rows top to bottom.
#[derive(Debug, Clone, PartialEq)]
pub struct Raster {
    /// Width in pixels.
    pub w: usize,
    /// Height in pixels.
    pub h: usize,
    /// `w * h * 4` bytes, RGBA.
    pub data: Vec<u8>,
}

impl Raster {
    /// A transparent image.
    pub fn new(w: usize, h: usize) -> Raster {
        Raster {
            w,
            h,
            data: vec![0; w * h * 4],
        }
    }

    #[inline]
    fn blend(&mut self, x: i64, y: i64, c: [u8; 3], a: f32) {
        if x < 0 || y < 0 || x as usize >= self.w || y as usize >= self.h {
            return;
        }
        let i = (y as usize * self.w + x as usize) * 4;
        let Some(px) = self.data.get_mut(i..i + 4) else {
            return;
        };
        let da = px[3] as f32 / 255.0;
        let oa = a + da * (1.0 - a);
        if oa <= 0.0 {
            return;
        }
        for k in 0..3 {
            let v = (c[k] as f32 * a + px[k] as f32 * da * (1.0 - a)) / oa;
            px[k] = v.round().clamp(0.0, 255.0) as u8;
        }
        px[3] = (oa * 255.0).round().clamp(0.0, 255.0) as u8;
    }

    /// The pixel offsets of a disc of radius `r` (pixel centres within `r` of the centre).
    pub fn disc(r: f32) -> Vec<(i64, i64)> {
        let k = r.ceil() as i64;
        let mut v = Vec::new();
        for dy in -k..=k {
            for dx in -k..=k {
                if ((dx * dx + dy * dy) as f32) <= r * r + 0.25 {
                    v.push((dx, dy));
                }
            }
        }
        v
    }

    /// Stamps `disc` (from [`Raster::disc`]) centred on `(x, y)`.
    #[inline]
    pub fn stamp(&mut self, disc: &[(i64, i64)], x: f32, y: f32, c: [u8; 3], a: f32) {
        let (cx, cy) = (x.round() as i64, y.round() as i64);
        for &(dx, dy) in disc {
            self.blend(cx + dx, cy + dy, c, a);
        }
    }

    /// A one-pixel line from `(x0, y0)` to `(x1, y1)` (a step per pixel along the longer
    /// side).
    pub fn line(&mut self, x0: f32, y0: f32, x1: f32, y1: f32, c: [u8; 3], a: f32) {
        let (dx, dy) = (x1 - x0, y1 - y0);
        let n = dx.abs().max(dy.abs()).ceil().clamp(1.0, 8192.0) as usize;
        let (sx, sy) = (dx / n as f32, dy / n as f32);
        for i in 0..=n {
            let (x, y) = (x0 + sx * i as f32, y0 + sy * i as f32);
            self.blend(x.round() as i64, y.round() as i64, c, a);
        }
    }

    /// The RGBA of pixel `(x, y)`.
    pub fn at(&self, x: usize, y: usize) -> Option<[u8; 4]> {
        let i = (y * self.w + x) * 4;
        let p = self.data.get(i..i + 4)?;
        Some([p[0], p[1], p[2], p[3]])
    }
}

/// Points or lines accumulated before they become pixels: per pixel, how many marks cover
/// it and the sum of their colours, packed in one `u64` (count and three sums, 16 bits
/// each; counting stops at 255 marks, where coverage no longer changes a byte). Order-free
/// and one add per covered pixel: blending each mark as it lands cost a division per pixel
/// (100,000 points took 230 ms that way in the browser). [`Density::over`] and
/// [`Density::into_raster`] turn counts into coverage, `1 - (1 - alpha)^count`, in one pass.
#[derive(Debug, Clone)]
pub struct Density {
    w: usize,
    h: usize,
    acc: Vec<u64>,
}

const ONE: u64 = 1 << 48;
const CAP: u64 = 255;

impl Density {
    /// Nothing marked, for a `w` x `h` image.
    pub fn new(w: usize, h: usize) -> Density {
        Density {
            w,
            h,
            acc: vec![0; w * h],
        }
    }

    #[inline]
    fn mark(&mut self, i: usize, add: u64) {
        if let Some(a) = self.acc.get_mut(i) {
            if *a >> 48 < CAP {
                *a += add;
            }
        }
    }

    fn packed(c: [u8; 3]) -> u64 {
        ONE | (c[0] as u64) << 32 | (c[1] as u64) << 16 | c[2] as u64
    }

    /// Marks `disc` (from [`Raster::disc`]) centred on `(x, y)`.
    #[inline]
    pub fn stamp(&mut self, disc: &[(i64, i64)], x: f32, y: f32, c: [u8; 3]) {
        let (cx, cy) = (x.round() as i64, y.round() as i64);
        let (w, h) = (self.w as i64, self.h as i64);
        let add = Density::packed(c);
        for &(dx, dy) in disc {
            let (px, py) = (cx + dx, cy + dy);
            if px >= 0 && py >= 0 && px < w && py < h {
                self.mark((py * w + px) as usize, add);
            }
        }
    }

    /// Marks a one-pixel line from `(x0, y0)` to `(x1, y1)`.
    pub fn line(&mut self, x0: f32, y0: f32, x1: f32, y1: f32, c: [u8; 3]) {
        let (dx, dy) = (x1 - x0, y1 - y0);
        let n = dx.abs().max(dy.abs()).ceil().clamp(1.0, 8192.0) as usize;
        let (sx, sy) = (dx / n as f32, dy / n as f32);
        let (w, h) = (self.w as i64, self.h as i64);
        let add = Density::packed(c);
        for i in 0..=n {
            let (px, py) = (
                (x0 + sx * i as f32).round() as i64,
                (y0 + sy * i as f32).round() as i64,
            );
            if px >= 0 && py >= 0 && px < w && py < h {
                self.mark((py * w + px) as usize, add);
            }
        }
    }

    /// Each marked pixel: its index, mean colour and coverage (0..=255).
    fn pixels(&self, alpha: f32) -> impl Iterator<Item = (usize, [u8; 3], u8)> + '_ {
        let a = alpha.clamp(0.0, 1.0);
        let cover: Vec<u8> = (0..=CAP as i32)
            .map(|n| ((1.0 - (1.0 - a).powi(n)) * 255.0).round() as u8)
            .collect();
        // (sum * recip[n]) >> 16 is sum / n for sums up to 255 * 255.
        let recip: Vec<u64> = (0..=CAP).map(|n| (1u64 << 16).div_ceil(n.max(1))).collect();
        self.acc
            .iter()
            .enumerate()
            .filter(|(_, a)| **a != 0)
            .map(move |(i, &a)| {
                let n = (a >> 48) as usize;
                let k = recip.get(n).copied().unwrap_or(0);
                let mean = |shift: u32| ((((a >> shift) & 0xFFFF) * k) >> 16).min(255) as u8;
                (
                    i,
                    [mean(32), mean(16), mean(0)],
                    cover.get(n).copied().unwrap_or(255),
                )
            })
    }

    /// The marks as an image on a transparent background.
    pub fn into_raster(&self, alpha: f32) -> Raster {
        let mut r = Raster::new(self.w, self.h);
        for (i, c, cov) in self.pixels(alpha) {
            if let Some(px) = r.data.get_mut(i * 4..i * 4 + 4) {
                px.copy_from_slice(&[c[0], c[1], c[2], cov]);
            }
        }
        r
    }

    /// Composites the marks over `r` (same size).
    pub fn over(&self, r: &mut Raster, alpha: f32) {
        for (i, c, cov) in self.pixels(alpha) {
            r.blend(
                (i % self.w) as i64,
                (i / self.w) as i64,
                c,
                cov as f32 / 255.0,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn density_is_coverage_by_count_in_the_mean_colour() {
        let mut d = Density::new(4, 4);
        let one = [(0, 0)];
        d.stamp(&one, 1.0, 1.0, [200, 0, 0]);
        d.stamp(&one, 1.0, 1.0, [0, 0, 100]);
        d.stamp(&one, 3.0, 3.0, [0, 90, 0]);
        d.stamp(&one, -1.0, 9.0, [1, 1, 1]);
        d.line(0.0, 0.0, 3.0, 0.0, [10, 10, 10]);
        let mut r = Raster::new(4, 4);
        d.over(&mut r, 0.5);
        assert_eq!(
            r.at(1, 1),
            Some([100, 0, 50, 191]),
            "two marks: 75% covered"
        );
        assert_eq!(r.at(3, 3), Some([0, 90, 0, 128]));
        assert_eq!(r.at(2, 0), Some([10, 10, 10, 128]));
        assert_eq!(r.at(2, 2), Some([0, 0, 0, 0]));
    }

    #[test]
    fn stamps_blend_over_and_stay_inside() {
        let mut r = Raster::new(10, 10);
        let d = Raster::disc(2.0);
        assert_eq!(d.len(), 13);
        r.stamp(&d, 0.0, 0.0, [255, 0, 0], 1.0);
        assert_eq!(r.at(0, 0), Some([255, 0, 0, 255]));
        assert_eq!(r.at(3, 3), Some([0, 0, 0, 0]));
        r.stamp(&d, 0.0, 0.0, [0, 0, 255], 0.5);
        assert_eq!(r.at(0, 0), Some([128, 0, 128, 255]));
        r.stamp(&d, 9.4, 9.6, [0, 255, 0], 0.5);
        assert_eq!(r.at(9, 9), Some([0, 255, 0, 128]));
        r.line(0.0, 9.0, 9.0, 9.0, [0, 0, 0], 1.0);
        assert_eq!(r.at(5, 9), Some([0, 0, 0, 255]));
        r.stamp(&d, -50.0, 500.0, [1, 1, 1], 1.0);
    }
}
