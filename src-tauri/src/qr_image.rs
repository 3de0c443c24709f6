//! The links printed as QR codes in an image: a scan, a screenshot, a phone
//! photo. The image is decoded once; the search runs first on a copy
//! reduced to [`FIRST_LOOK`] pixels across (fast, and steadier on a noisy
//! 12-megapixel photo), then, if that finds nothing, on the full image.

use std::path::Path;

use image::imageops::FilterType;
use image::{DynamicImage, GrayImage};

/// The longer side of the reduced copy searched first.
pub const FIRST_LOOK: u32 = 1200;

#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("{path}: cannot read it: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("{path}: not a PNG or JPEG image this app can read ({reason})")]
    Format { path: String, reason: String },
}

/// Every QR code's text found in the image file at `path` (empty: none).
pub fn read_codes(path: &Path) -> Result<Vec<String>, ImageError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| ImageError::Read { path: shown.clone(), source })?;
    read_codes_from(&shown, &bytes)
}

/// Every QR code's text found in an image file's bytes (a dropped or
/// pasted image); `name` names it in an error.
pub fn read_codes_from(name: &str, bytes: &[u8]) -> Result<Vec<String>, ImageError> {
    let image = image::load_from_memory(bytes)
        .map_err(|e| ImageError::Format { path: name.to_owned(), reason: e.to_string() })?;
    Ok(codes_in(&image))
}

/// Every QR code's text found in a decoded image.
pub fn codes_in(image: &DynamicImage) -> Vec<String> {
    let grey = image.to_luma8();
    let longer = grey.width().max(grey.height());
    if longer > FIRST_LOOK {
        let scale = FIRST_LOOK as f64 / longer as f64;
        let (width, height) = ((grey.width() as f64 * scale) as u32, (grey.height() as f64 * scale) as u32);
        let small = image::imageops::resize(&grey, width.max(1), height.max(1), FilterType::Triangle);
        let found = scan(&small);
        if !found.is_empty() {
            return found;
        }
    }
    scan(&grey)
}

fn scan(grey: &GrayImage) -> Vec<String> {
    let (width, height) = (grey.width() as usize, grey.height() as usize);
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| grey.get_pixel(x as u32, y as u32).0[0]);
    let mut found: Vec<String> = Vec::new();
    for grid in prepared.detect_grids() {
        if let Ok((_, text)) = grid.decode()
            && !found.contains(&text)
        {
            found.push(text);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Luma, Rgb, RgbImage};

    /// A QR code of `text`, `module` pixels a module, with a quiet zone.
    fn code(text: &str, module: u32) -> GrayImage {
        let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
        let width = code.width() as u32;
        let side = (width + 8) * module;
        let colors = code.to_colors();
        GrayImage::from_fn(side, side, |x, y| {
            let (mx, my) = ((x / module) as i64 - 4, (y / module) as i64 - 4);
            let dark = mx >= 0
                && my >= 0
                && (mx as u32) < width
                && (my as u32) < width
                && colors[(my as u32 * width + mx as u32) as usize] == qrcode::Color::Dark;
            Luma([if dark { 0 } else { 255 }])
        })
    }

    #[test]
    fn a_code_is_read_back() {
        let link = "https://shop.example.com/qr/event/2025/store-07/";
        assert_eq!(codes_in(&DynamicImage::ImageLuma8(code(link, 6))), [link]);
    }

    /// A photo-like page: the code small on a large, unevenly lit, noisy,
    /// rotated 4000x3000 colour image, through JPEG.
    #[test]
    fn a_photo_like_image_is_read() {
        let link = "https://m.example.com/pay?shop=42";
        let small = code(link, 9);
        let rotated = image::imageops::rotate90(&small);
        let mut photo = RgbImage::from_fn(4000, 3000, |x, y| {
            // Light falling off to one side, and a little noise.
            let light = 200 - (x / 40) as i32 + ((x * 7 + y * 13) % 17) as i32 - 8;
            let v = light.clamp(0, 255) as u8;
            Rgb([v, v, v.saturating_sub(10)])
        });
        for (x, y, pixel) in rotated.enumerate_pixels() {
            let (px, py) = (1700 + x, 1200 + y);
            let base = photo.get_pixel(px, py).0[0] as i32;
            let v = if pixel.0[0] == 0 { 30 } else { base.max(150) as u8 as i32 } as u8;
            photo.put_pixel(px, py, Rgb([v, v, v]));
        }
        let mut jpeg = Vec::new();
        DynamicImage::ImageRgb8(photo)
            .write_to(&mut std::io::Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("photo.jpg");
        std::fs::write(&path, jpeg).unwrap();
        assert_eq!(read_codes(&path).unwrap(), [link]);
    }

    #[test]
    fn no_code_and_not_an_image() {
        let blank = DynamicImage::ImageLuma8(GrayImage::from_pixel(300, 200, Luma([255])));
        assert!(codes_in(&blank).is_empty());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.png");
        std::fs::write(&path, "not an image").unwrap();
        assert!(matches!(read_codes(&path), Err(ImageError::Format { .. })));
        assert!(matches!(read_codes(&dir.path().join("missing.png")), Err(ImageError::Read { .. })));
    }
}
