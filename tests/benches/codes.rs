//! Reading printed codes and matching them, timed.
//!
//!     scripts/setup.sh bench    # ZBar's zbarimg, to compare with
//!     cargo bench -p qrjump-tests --bench codes
//!     cargo bench -p qrjump-tests --bench codes --features rxing   # and rxing
//!
//! 1. Phone-photo-like 12-megapixel JPEGs (4000x3000: a sticker with a code,
//!    turned, in perspective, under uneven light, with sensor noise; JPEG
//!    quality 85) are read by the app's reader (`qr_image::read_codes`: the
//!    file decoded once, scanned at 1200 px first, then in full if need be)
//!    and by `zbarimg` on the same files in the same run. Each time is the
//!    median of QRJUMP_BENCH_RUNS runs (default 5) and includes reading and
//!    decoding the file. Goal: under 0.3 s and faster than ZBar.
//! 2. 10,000 links matched against 1,000 rules (goal: under 50 ms), and the
//!    impact of one delete on 10,000 printed codes.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use image::{DynamicImage, Rgb, RgbImage};
use qrjump::matching::{self, Matcher, Reason};
use qrjump::wechat::Rule;

fn runs() -> usize {
    std::env::var("QRJUMP_BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(5)
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

/// A small deterministic noise source (no dependency for a benchmark).
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as u32
    }
    /// Roughly normal, mean 0, deviation about `sigma`.
    fn gauss(&mut self, sigma: f64) -> f64 {
        let sum: f64 = (0..4).map(|_| (self.next() % 1000) as f64 / 1000.0).sum();
        (sum - 2.0) * sigma * 1.7
    }
}

/// One photo to make.
struct Shot {
    text: String,
    /// Turned by this many degrees.
    angle: f64,
    /// The sticker's side as a share of the photo's height.
    size: f64,
    /// How much the far edge shrinks (perspective), 0 for none.
    keystone: f64,
    /// The brightest light, 0..1.
    light: f64,
    /// Sensor noise left after the phone's processing (deviation, in levels).
    noise: f64,
}

/// The homography taking the unit square's corners to `quad`'s.
fn square_to_quad(q: [(f64, f64); 4]) -> [f64; 9] {
    let [(x0, y0), (x1, y1), (x2, y2), (x3, y3)] = q;
    let (dx1, dx2, dx3) = (x1 - x2, x3 - x2, x0 - x1 + x2 - x3);
    let (dy1, dy2, dy3) = (y1 - y2, y3 - y2, y0 - y1 + y2 - y3);
    let den = dx1 * dy2 - dx2 * dy1;
    let g = (dx3 * dy2 - dx2 * dy3) / den;
    let h = (dx1 * dy3 - dx3 * dy1) / den;
    [x1 - x0 + g * x1, x3 - x0 + h * x3, x0, y1 - y0 + g * y1, y3 - y0 + h * y3, y0, g, h, 1.0]
}

fn invert(m: [f64; 9]) -> [f64; 9] {
    let [a, b, c, d, e, f, g, h, i] = m;
    let det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
    [
        (e * i - f * h) / det,
        (c * h - b * i) / det,
        (b * f - c * e) / det,
        (f * g - d * i) / det,
        (a * i - c * g) / det,
        (c * d - a * f) / det,
        (d * h - e * g) / det,
        (b * g - a * h) / det,
        (a * e - b * d) / det,
    ]
}

/// A 4000x3000 photo of a sticker holding `shot.text` as a QR code.
fn photo(shot: &Shot, seed: u64) -> RgbImage {
    let (width, height) = (4000u32, 3000u32);
    let code = qrcode::QrCode::new(shot.text.as_bytes()).expect("encode");
    let modules = code.width();
    let colors = code.to_colors();
    let side = modules + 8;
    // The sticker's corners: a square turned about the photo's middle, its
    // top edge shrunk for perspective.
    let half = shot.size * height as f64 / 2.0;
    let (cx, cy) = (width as f64 * 0.55, height as f64 * 0.48);
    let turn = shot.angle.to_radians();
    let corner = |u: f64, v: f64| {
        let squeeze = 1.0 - shot.keystone * (1.0 - v) / 2.0 * 2.0;
        let (x, y) = (u * half * squeeze, v * half);
        (cx + x * turn.cos() - y * turn.sin(), cy + x * turn.sin() + y * turn.cos())
    };
    let quad = [corner(-1.0, -1.0), corner(1.0, -1.0), corner(1.0, 1.0), corner(-1.0, 1.0)];
    let back = invert(square_to_quad(quad));
    // Ink at module (mx, my), 0 = paper, 1 = ink.
    let ink = |mx: i64, my: i64| -> f64 {
        let (mx, my) = (mx - 4, my - 4);
        let inside = mx >= 0 && my >= 0 && (mx as usize) < modules && (my as usize) < modules;
        if inside && colors[my as usize * modules + mx as usize] == qrcode::Color::Dark { 1.0 } else { 0.0 }
    };
    let mut noise = Noise(seed);
    let max = ((width * width + height * height) as f64).sqrt();
    RgbImage::from_fn(width, height, |x, y| {
        let (fx, fy) = (x as f64, y as f64);
        // Light from the top left, falling off across the frame.
        let falloff = 1.0 - 0.55 * ((fx * fx + fy * fy).sqrt() / max);
        let light = shot.light * falloff;
        let [a, b, c, d, e, f, g, h, i] = back;
        let w = g * fx + h * fy + i;
        let (u, v) = ((a * fx + b * fy + c) / w, (d * fx + e * fy + f) / w);
        let (base, tint) = if (0.0..1.0).contains(&u) && (0.0..1.0).contains(&v) {
            // On the sticker: the module grid.
            let (px, py) = (u * side as f64 - 0.5, v * side as f64 - 0.5);
            let (ix, iy) = (px.floor() as i64, py.floor() as i64);
            // A slightly soft edge, a quarter of a module wide, as a phone's lens gives.
            let edge = |t: f64| ((t - 0.5) * 4.0 + 0.5).clamp(0.0, 1.0);
            let (tx, ty) = (edge(px - ix as f64), edge(py - iy as f64));
            let dark = ink(ix, iy) * (1.0 - tx) * (1.0 - ty)
                + ink(ix + 1, iy) * tx * (1.0 - ty)
                + ink(ix, iy + 1) * (1.0 - tx) * ty
                + ink(ix + 1, iy + 1) * tx * ty;
            (245.0 - 215.0 * dark, 0.0)
        } else {
            // A wooden counter: stripes of brown.
            (150.0 + 25.0 * ((fy / 37.0 + fx / 400.0).sin()), 40.0)
        };
        let value = base * light + noise.gauss(shot.noise);
        let channel = |shift: f64| (value - shift).clamp(0.0, 255.0) as u8;
        Rgb([channel(-tint * 0.3), channel(tint * 0.2), channel(tint)])
    })
}

fn write_jpeg(image: RgbImage, path: &Path) {
    let file = std::fs::File::create(path).expect("create the photo");
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(std::io::BufWriter::new(file), 85);
    encoder.encode_image(&DynamicImage::ImageRgb8(image)).expect("write the JPEG");
}

fn zbarimg(path: &Path) -> Option<String> {
    let out =
        Command::new("zbarimg").args(["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable"]).arg(path).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    (!text.is_empty()).then_some(text)
}

#[cfg(feature = "rxing")]
fn rxing_read(path: &Path) -> Option<String> {
    // Decoded the same way (the image crate), then rxing on the grey pixels.
    let grey = image::open(path).ok()?.to_luma8();
    let (w, h) = grey.dimensions();
    rxing::helpers::detect_in_luma(grey.into_raw(), w, h, Some(rxing::BarcodeFormat::QR_CODE))
        .ok()
        .map(|r| r.getText().to_owned())
}

fn photos(dir: &Path) -> Vec<(PathBuf, String)> {
    let shots = [
        Shot {
            text: "https://shop.example.com/qr/store/0731".into(),
            angle: 0.0,
            size: 0.30,
            keystone: 0.0,
            light: 1.0,
            noise: 2.0,
        },
        Shot {
            text: "https://shop.example.com/qr/coupon/2025-autumn/42".into(),
            angle: 12.0,
            size: 0.26,
            keystone: 0.10,
            light: 0.95,
            noise: 2.5,
        },
        Shot {
            text: "https://shop.example.com/qr/event/2025/store-07/".into(),
            angle: 33.0,
            size: 0.22,
            keystone: 0.15,
            light: 0.85,
            noise: 2.5,
        },
        Shot {
            text: "http://weixin.qq.com/q/02abcDEFghiJKLmno1234".into(),
            angle: -25.0,
            size: 0.24,
            keystone: 0.08,
            light: 0.6,
            noise: 6.0,
        },
        Shot {
            text: "https://m.example.com/pay?shop=42&table=7&campaign=spring-festival-2026&ref=poster".into(),
            angle: 47.0,
            size: 0.28,
            keystone: 0.12,
            light: 0.9,
            noise: 3.0,
        },
    ];
    shots
        .iter()
        .enumerate()
        .map(|(i, shot)| {
            let path = dir.join(format!("photo-{}.jpg", i + 1));
            write_jpeg(photo(shot, 7 + i as u64), &path);
            (path, shot.text.clone())
        })
        .collect()
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        last = Some(f());
        times.push(start.elapsed());
    }
    (median(times), last.expect("at least one run"))
}

fn read_photos() {
    let dir = tempfile::tempdir().expect("temporary folder");
    // QRJUMP_BENCH_PHOTOS keeps the photos in a folder, to look at them.
    let keep = std::env::var_os("QRJUMP_BENCH_PHOTOS").map(PathBuf::from);
    let dir = keep.as_deref().unwrap_or(dir.path());
    let started = Instant::now();
    let photos = photos(dir);
    println!("{} photos of 4000x3000 made in {}", photos.len(), ms(started.elapsed()));
    let zbar = Command::new("zbarimg").arg("--version").output().is_ok();
    if !zbar {
        println!("zbarimg not found (scripts/setup.sh bench installs zbar-tools): ZBar not timed");
    }
    println!("{:<12} {:>9} {:>6} {:>9} {:>6}", "photo", "this app", "read", "zbarimg", "read");
    for (path, text) in &photos {
        let (ours, found) = time(runs(), || qrjump::qr_image::read_codes(path).expect("read the photo"));
        let ours_ok = found.first() == Some(text);
        let (theirs, theirs_ok) = if zbar {
            let (t, found) = time(runs(), || zbarimg(path));
            (ms(t), if found.as_ref() == Some(text) { "yes" } else { "no" })
        } else {
            ("-".into(), "-")
        };
        let name = path.file_name().unwrap().to_string_lossy();
        println!("{name:<12} {:>9} {:>6} {theirs:>9} {theirs_ok:>6}", ms(ours), if ours_ok { "yes" } else { "no" });
        #[cfg(feature = "rxing")]
        {
            let (t, found) = time(runs(), || rxing_read(path));
            println!(
                "{:<12} rxing: {} ({})",
                "",
                ms(t),
                if found.as_ref() == Some(text) { "read" } else { "not read" }
            );
        }
    }
}

/// 1,000 rules over 20 shops' domains, some unpublished, and 10,000 links:
/// most under a rule, some near misses, some someone else's.
fn rules_and_links() -> (Vec<Rule>, Vec<String>) {
    let mut rules = Vec::new();
    for i in 0..1000 {
        let host = format!("shop{:02}.example.com", i % 20);
        let prefix = match i % 4 {
            0 => format!("https://{host}/qr/{i}/"),
            1 => format!("https://{host}/qr/{i}/event/"),
            2 => format!("https://{host}/p/{i}"),
            _ => format!("https://{host}/pay?store={i}"),
        };
        rules.push(Rule {
            prefix,
            path: "pages/index".into(),
            state: if i % 9 == 0 { 1 } else { 2 },
            ..Rule::default()
        });
    }
    let mut noise = Noise(99);
    let links = (0..10_000)
        .map(|n| {
            let i = noise.next() as usize % 1000;
            let host = format!("shop{:02}.example.com", i % 20);
            match n % 10 {
                0 => format!("http://{host}/qr/{i}/x"),
                1 => format!("https://elsewhere{}.example.org/qr/{i}/", n % 50),
                2 => format!("https://{host}/p/{i}/sub"),
                _ => match i % 4 {
                    0 => format!("https://{host}/qr/{i}/item-{n}"),
                    1 => format!("https://{host}/qr/{i}/event/{n}"),
                    2 => format!("https://{host}/p/{i}"),
                    _ => format!("https://{host}/pay?store={i}&table={n}"),
                },
            }
        })
        .collect();
    (rules, links)
}

fn match_links() {
    let (rules, links) = rules_and_links();
    let (t, opened) = time(runs().max(10), || {
        let matcher = Matcher::new(&rules);
        links.iter().filter(|link| matcher.verdict(link).reason == Reason::Match).count()
    });
    println!("10,000 links against 1,000 rules: {} ({opened} open a Mini Program)", ms(t));
    let deleted = rules.iter().find(|r| r.prefix.ends_with("/qr/4/")).expect("a rule to delete").prefix.clone();
    let (t, impact) = time(runs().max(10), || matching::impact(&[deleted.as_str()], &rules, &links));
    println!(
        "impact of deleting one rule on 10,000 printed codes: {} ({} break, {} move)",
        ms(t),
        impact.broken.len(),
        impact.moved.len()
    );
}

/// The peak resident memory of this process so far, in MB.
fn peak_mb() -> u64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage fills the struct it is given.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    usage.ru_maxrss as u64 / 1024
}

/// A PNG of 20000×20000 black pixels: about 80 KB on disk, 400 MB decoded.
fn write_bomb(path: &Path) {
    let file = std::io::BufWriter::new(std::fs::File::create(path).expect("create the bomb"));
    let mut encoder = png::Encoder::new(file, 20_000, 20_000);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("PNG header").into_stream_writer().expect("PNG stream");
    let row = vec![0u8; 20_000];
    for _ in 0..20_000 {
        std::io::Write::write_all(&mut writer, &row).expect("a row");
    }
    writer.finish().expect("PNG end");
}

/// What a hostile or careless input costs: an image bomb, and a print
/// shop's list of 100,000 links (each twice).
fn hostile_inputs() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let bomb = dir.path().join("bomb.png");
    write_bomb(&bomb);
    let size = std::fs::metadata(&bomb).map(|m| m.len()).unwrap_or(0);
    let before = peak_mb();
    let (t, read) = time(runs(), || qrjump::qr_image::read_codes(&bomb));
    println!(
        "a {} KB PNG of 20000x20000: {} in {}, peak memory {} MB -> {} MB",
        size / 1024,
        match read {
            Err(e) => format!("refused ({e})"),
            Ok(codes) => format!("decoded ({} codes)", codes.len()),
        },
        ms(t),
        before,
        peak_mb()
    );
    let text: String = (0..200_000).map(|i| format!("https://p.example.com/c/{}\n", i % 100_000)).collect();
    let (t, links) = time(runs(), || qrjump::printed::links_in(&text, false));
    println!("200,000 lines, 100,000 distinct links: {} kept in {}", links.len(), ms(t));
}

fn main() {
    hostile_inputs();
    read_photos();
    match_links();
}
