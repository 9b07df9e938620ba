//! Puts a [`Raster`] on a canvas in one call (`putImageData`), sized to the canvas' device
//! pixels: how 100,000 points reach the screen without 100,000 calls into the browser.

use wasm_bindgen::prelude::*;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::relate::Raster;

#[wasm_bindgen]
extern "C" {
    /// The browser's `ImageData`.
    #[wasm_bindgen(js_name = ImageData)]
    type Pixels;

    #[wasm_bindgen(constructor, js_class = "ImageData", catch)]
    fn new(data: Clamped<&[u8]>, w: u32, h: u32) -> Result<Pixels, JsValue>;

    /// A canvas' 2D context, for the one method web-sys is not built with here.
    type Context2d;

    #[wasm_bindgen(method, js_name = putImageData)]
    fn put_pixels(this: &Context2d, data: &Pixels, x: f64, y: f64);
}

/// Sizes `canvas` to the raster (its CSS size is the stylesheet's) and puts the raster on
/// it; false when the canvas has no 2D context.
pub fn paint(canvas: &HtmlCanvasElement, r: &Raster) -> bool {
    canvas.set_width(r.w as u32);
    canvas.set_height(r.h as u32);
    let Some(ctx) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
    else {
        return false;
    };
    match Pixels::new(Clamped(&r.data), r.w as u32, r.h as u32) {
        Ok(px) => {
            ctx.unchecked_ref::<Context2d>().put_pixels(&px, 0.0, 0.0);
            true
        }
        Err(_) => false,
    }
}

/// Device pixels per CSS pixel (1 when unknown), capped at 3.
pub fn dpr() -> f32 {
    web_sys::window()
        .map_or(1.0, |w| w.device_pixel_ratio())
        .clamp(1.0, 3.0) as f32
}
