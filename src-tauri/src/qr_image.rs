//! The links printed as QR codes in an image: a scan, a screenshot, a phone
//! photo. The image is decoded once; the search runs first on a grey copy
//! reduced to at most [`FIRST_LOOK`] pixels across (fast, and steadier on a
//! noisy 12-megapixel photo), then, if that finds nothing, on the full image.
//!
//! The decoder is `rqrr`. On the codes benchmark's 12-megapixel photos
//! (`cargo bench -p qrjump-tests --bench codes --features rxing`) this
//! reads every code in about 90 ms, file to text; rxing, on the same decoded
//! pixels, reads them too in 140 to 320 ms, and is a far larger dependency.

use std::path::Path;

use image::{DynamicImage, GrayImage};

/// The longer side of the reduced copy searched first.
pub const FIRST_LOOK: u32 = 1200;

/// The most pixels an image may have: a 108-megapixel phone's photo is
/// more than any scan of a code needs, and a 76 KB PNG can claim 400
/// megapixels (1.2 GB decoded). Checked from the header, before decoding.
pub const MAX_PIXELS: u64 = 40_000_000;

/// The most the decoder may allocate: 40 megapixels of RGBA, and a margin.
const MAX_ALLOC: u64 = MAX_PIXELS * 4 + (64 << 20);

#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("{path}: cannot read it: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("{path}: not a PNG or JPEG image this app can read ({reason})")]
    Format { path: String, reason: String },
    #[error("{path}: {width}×{height} pixels is more than the {} megapixels this app reads", MAX_PIXELS / 1_000_000)]
    TooLarge { path: String, width: u32, height: u32 },
}

/// Every QR code's text found in the image file at `path` (empty: none).
pub fn read_codes(path: &Path) -> Result<Vec<String>, ImageError> {
    let shown = path.display().to_string();
    let bytes = crate::files::read_capped(path, crate::files::MAX_INPUT_FILE)
        .map_err(|source| ImageError::Read { path: shown.clone(), source })?;
    read_codes_from(&shown, &bytes)
}

/// Every QR code's text found in an image file's bytes (a dropped or
/// pasted image); `name` names it in an error.
pub fn read_codes_from(name: &str, bytes: &[u8]) -> Result<Vec<String>, ImageError> {
    let format = |e: image::ImageError| ImageError::Format { path: name.to_owned(), reason: e.to_string() };
    if bytes.len() as u64 > crate::files::MAX_INPUT_FILE {
        let source = std::io::Error::new(std::io::ErrorKind::InvalidData, "larger than 64 MB");
        return Err(ImageError::Read { path: name.to_owned(), source });
    }
    let reader = || image::ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format();
    // The header's size first: a decompression bomb is refused unread.
    let (width, height) = reader().map_err(|e| format(e.into()))?.into_dimensions().map_err(format)?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(ImageError::TooLarge { path: name.to_owned(), width, height });
    }
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_ALLOC);
    limits.max_image_width = Some(width);
    limits.max_image_height = Some(height);
    let mut reader = reader().map_err(|e| format(e.into()))?;
    reader.limits(limits);
    let image = reader.decode().map_err(format)?;
    Ok(codes_in(&image))
}

/// Every QR code's text found in a decoded image.
pub fn codes_in(image: &DynamicImage) -> Vec<String> {
    let longer = image.width().max(image.height());
    if longer > FIRST_LOOK {
        let found = scan(&grey(image, longer.div_ceil(FIRST_LOOK)));
        if !found.is_empty() {
            return found;
        }
    }
    scan(&grey(image, 1))
}

/// The image in grey, each `k`×`k` block of pixels averaged into one (the
/// steadiest way to shrink a noisy photo), in one pass over the pixels.
/// Integer luma (BT.601) on the 8-bit layouts a PNG or JPEG decodes to:
/// the image crate's float conversion costs more than decoding the JPEG.
fn grey(image: &DynamicImage, k: u32) -> GrayImage {
    let (width, height) = (image.width() / k, image.height() / k);
    let k = k as usize;
    let (bytes, channels): (std::borrow::Cow<[u8]>, usize) = match image {
        DynamicImage::ImageLuma8(grey) if k == 1 => return grey.clone(),
        DynamicImage::ImageLuma8(grey) => (grey.as_raw().into(), 1),
        DynamicImage::ImageRgb8(rgb) => (rgb.as_raw().into(), 3),
        DynamicImage::ImageRgba8(rgba) => (rgba.as_raw().into(), 4),
        other => (other.to_rgb8().into_raw().into(), 3),
    };
    let stride = image.width() as usize * channels;
    let luma = |at: usize| -> u32 {
        match channels {
            1 => bytes[at] as u32 * 256,
            _ => 77 * bytes[at] as u32 + 150 * bytes[at + 1] as u32 + 29 * bytes[at + 2] as u32,
        }
    };
    let mut out = GrayImage::new(width, height);
    let mut sums = vec![0u32; width as usize];
    let divisor = (k * k * 256) as u32;
    for oy in 0..height as usize {
        sums.iter_mut().for_each(|s| *s = 0);
        for y in oy * k..oy * k + k {
            let row = y * stride;
            for (ox, sum) in sums.iter_mut().enumerate() {
                let start = row + ox * k * channels;
                *sum += (0..k).map(|dx| luma(start + dx * channels)).sum::<u32>();
            }
        }
        for (ox, sum) in sums.iter().enumerate() {
            out.put_pixel(ox as u32, oy as u32, image::Luma([(sum / divisor) as u8]));
        }
    }
    out
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

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &byte in bytes {
            crc ^= byte as u32;
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }

    /// A small real PNG whose header then claims `width`×`height`: what a
    /// decompression bomb looks like before it is decoded.
    fn png_claiming(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = Vec::new();
        DynamicImage::ImageLuma8(code("x", 2))
            .write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png)
            .unwrap();
        // Signature (8), IHDR length (4), "IHDR" (4), then width and height.
        bytes[16..20].copy_from_slice(&width.to_be_bytes());
        bytes[20..24].copy_from_slice(&height.to_be_bytes());
        let crc = crc32(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&crc.to_be_bytes());
        bytes
    }

    #[test]
    fn an_image_too_large_is_refused_from_its_header() {
        let bomb = png_claiming(20_000, 20_000);
        match read_codes_from("bomb.png", &bomb) {
            Err(ImageError::TooLarge { width: 20_000, height: 20_000, .. }) => {}
            other => panic!("{other:?}"),
        }
        // Within the limit the header is believed and the decoder fails
        // on the missing pixels, in words.
        assert!(matches!(read_codes_from("cut.png", &png_claiming(6000, 6000)), Err(ImageError::Format { .. })));
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

    /// A code too small for the reduced copy is still found in the full image.
    #[test]
    fn a_small_code_in_a_large_image_is_found_in_full() {
        let link = "https://s.example.com/qr/tiny";
        let small = code(link, 3);
        let mut page = RgbImage::from_pixel(4000, 3000, Rgb([250, 250, 250]));
        for (x, y, pixel) in small.enumerate_pixels() {
            let v = pixel.0[0];
            page.put_pixel(200 + x, 300 + y, Rgb([v, v, v]));
        }
        let page = DynamicImage::ImageRgb8(page);
        assert!(scan(&grey(&page, 4)).is_empty(), "the reduced copy is too coarse for 3-pixel modules");
        assert_eq!(codes_in(&page), [link]);
    }

    #[test]
    fn the_grey_copy_averages_blocks() {
        let image =
            DynamicImage::ImageRgb8(RgbImage::from_fn(
                4,
                2,
                |x, _| if x < 2 { Rgb([0, 0, 0]) } else { Rgb([255, 255, 255]) },
            ));
        assert_eq!(grey(&image, 2).into_raw(), [0, 255]);
        assert_eq!((grey(&image, 1).dimensions(), grey(&image, 1).get_pixel(3, 1).0), ((4, 2), [255]));
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
