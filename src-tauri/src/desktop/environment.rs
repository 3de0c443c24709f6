//! What the desktop app asks of GTK, WebKitGTK and JavaScriptCore through
//! their environment variables, set before any of them starts (and
//! inherited by WebKit's processes). Each is left alone when the user has
//! set it. `scripts/measure-startup.sh` measures what they save; the
//! window's smoke test checks they took effect.

/// Sets the variables. Call first thing in `main`, before any thread exists
/// (setting the environment is only sound then).
#[cfg(target_os = "linux")]
pub fn prepare() {
    let set_default = |name: &str, value: &std::ffi::OsStr| {
        if std::env::var_os(name).is_none() {
            // SAFETY: called before any other thread exists (see above).
            unsafe { std::env::set_var(name, value) };
        }
    };
    // WebKitGTK's DMA-BUF renderer shows a blank window on NVIDIA and some
    // Wayland set-ups; the fallback renders everywhere.
    set_default("WEBKIT_DISABLE_DMABUF_RENDERER", "1".as_ref());
    let dmabuf_off = std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_some_and(|value| value != "0");
    if dmabuf_off {
        // Without that renderer, and with the web view drawing in software
        // (webview.rs), nothing in this process draws with OpenGL, yet two
        // things load the GL driver here (Mesa: LLVM and all, ~20 MB and
        // ~20 ms under a software driver) only to ask it a question. Only
        // while the renderer is off: a user who turns it back on may need GL.
        // GTK asks GLX for its visuals when it opens an X display.
        set_default("GDK_GL", "disable".as_ref());
        // WebKit asks EGL which GPU to name to its web process, which uses
        // it only for DMA-BUF buffers: name it the way WebKit does when EGL
        // cannot say.
        set_default("WEBKIT_WEB_RENDER_DEVICE_FILE", render_node(std::path::Path::new("/dev/dri")).as_ref());
    }
    // The page is the app's own forms and tables (the work is in Rust),
    // never a web site: JavaScriptCore's JIT compilers buy it nothing but
    // ~10 MB in the web process and the attack surface of writable code.
    // Its interpreter shows the first screen as soon.
    set_default("JSC_useJIT", "0".as_ref());
}

#[cfg(not(target_os = "linux"))]
pub fn prepare() {}

/// The first GPU render node in `dri` (`/dev/dri/renderD128`), as WebKit
/// picks one when EGL names none; `/dev/null`, which names no GPU, on a
/// computer without one (a virtual machine, a remote session): WebKit
/// treats an empty value as unset and would ask EGL after all.
#[cfg(target_os = "linux")]
fn render_node(dri: &std::path::Path) -> std::path::PathBuf {
    let mut nodes: Vec<_> = std::fs::read_dir(dri)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.file_name().and_then(|name| name.to_str()).is_some_and(|name| name.starts_with("renderD")))
        .collect();
    nodes.sort();
    nodes.into_iter().next().unwrap_or_else(|| "/dev/null".into())
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn the_first_render_node_or_none() {
        let dri = tempfile::tempdir().unwrap();
        assert_eq!(render_node(&dri.path().join("absent")), std::path::Path::new("/dev/null"));
        assert_eq!(render_node(dri.path()), std::path::Path::new("/dev/null"));
        for name in ["card0", "card1", "renderD129", "renderD128", "by-path"] {
            std::fs::write(dri.path().join(name), "").unwrap();
        }
        assert_eq!(render_node(dri.path()), dri.path().join("renderD128"));
    }
}
