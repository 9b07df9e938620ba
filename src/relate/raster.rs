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

#[cfg(test)]
mod tests {
    use super::*;

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
