//! The window comes back where the admin left it: size, position and
//! whether it was maximized, in `window.json` in the data folder. A place
//! no monitor shows any more (a laptop undocked from its second screen) is
//! not restored: the window is centred instead.

use std::path::Path;

use serde::{Deserialize, Serialize};
use tauri::{PhysicalPosition, PhysicalSize, Position, Size, WebviewWindow, Window};

const FILE: &str = "window.json";
/// The smallest window the layout is made for (tauri.conf.json says the same).
const MIN: (u32, u32) = (800, 600);
/// How much of the window's top edge a monitor must show for it to count
/// as on screen: enough to grab it by its title bar.
const GRAB: (i64, i64) = (120, 40);

/// Physical pixels, as the platform reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Placement {
    x: i32,
    y: i32,
    width: u32,
    height: u32,
    maximized: bool,
}

fn read(dir: &Path) -> Option<Placement> {
    serde_json::from_slice(&std::fs::read(dir.join(FILE)).ok()?).ok()
}

/// Saves the main window's placement (called as it moves and resizes).
pub(super) fn save(window: &Window, dir: &Path) {
    // A minimized window's coordinates say nothing about where it was; a
    // window not shown yet is still being created or restored, and its
    // first events would overwrite the saved place with the defaults.
    if window.label() != "main" || window.is_minimized().unwrap_or(true) || !window.is_visible().unwrap_or(false) {
        return;
    }
    let maximized = window.is_maximized().unwrap_or(false);
    let placement = match (maximized, read(dir), window.outer_position(), window.inner_size()) {
        // Maximized: keep the size it had before, to come back to it.
        (true, Some(before), _, _) => Placement { maximized: true, ..before },
        (_, _, Ok(position), Ok(size)) => {
            Placement { x: position.x, y: position.y, width: size.width, height: size.height, maximized }
        }
        _ => return,
    };
    let Ok(json) = serde_json::to_vec(&placement) else { return };
    let _ = crate::files::write_replacing(&dir.join(FILE), &json);
}

/// The saved placement, read once: applied before the window is shown and
/// again after (GTK may apply the configured default size when it first
/// maps the window).
pub(super) struct Saved(Option<Placement>);

pub(super) fn saved(dir: &Path) -> Saved {
    Saved(read(dir))
}

/// Puts the window back as saved, on a monitor that still exists.
pub(super) fn restore(window: &WebviewWindow, saved: &Saved) {
    let Some(saved) = saved.0 else { return };
    let monitors: Vec<(i64, i64, i64, i64)> = window
        .available_monitors()
        .unwrap_or_default()
        .iter()
        .map(|m| (m.position().x as i64, m.position().y as i64, m.size().width as i64, m.size().height as i64))
        .collect();
    // Never larger than the largest monitor, never smaller than the layout needs.
    let widest = monitors.iter().map(|m| m.2).max().unwrap_or(i64::MAX) as u32;
    let tallest = monitors.iter().map(|m| m.3).max().unwrap_or(i64::MAX) as u32;
    let width = saved.width.clamp(MIN.0, widest.max(MIN.0));
    let height = saved.height.clamp(MIN.1, tallest.max(MIN.1));
    let _ = window.set_size(Size::Physical(PhysicalSize { width, height }));
    let (x, y) = (saved.x as i64, saved.y as i64);
    let shown = monitors.iter().any(|&(mx, my, mw, mh)| {
        let across = (x + width as i64).min(mx + mw) - x.max(mx);
        let down = (y + GRAB.1).min(my + mh) - y.max(my);
        across >= GRAB.0 && down >= GRAB.1
    });
    // Off every monitor: centred on the first one. Computed here rather than
    // with center(), which on a window not shown yet measures it at its
    // default size (and then GTK kept that size too).
    let (x, y) = match (shown, monitors.first()) {
        (true, _) | (false, None) => (saved.x, saved.y),
        (false, Some(&(mx, my, mw, mh))) => {
            ((mx + (mw - width as i64).max(0) / 2) as i32, (my + (mh - height as i64).max(0) / 2) as i32)
        }
    };
    let _ = window.set_position(Position::Physical(PhysicalPosition { x, y }));
    if saved.maximized {
        let _ = window.maximize();
    }
}
