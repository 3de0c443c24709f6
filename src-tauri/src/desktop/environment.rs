//! What the desktop app asks of GTK, WebKitGTK and JavaScriptCore through
//! their environment variables, set before any of them starts (and
//! inherited by WebKit's processes). Each is left alone when the user has
//! set it. `scripts/measure-startup.sh` measures what they save; the
//! window's smoke test checks that GTK's GL probe and the JIT are off.

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
        // (webview.rs), nothing in this process draws with OpenGL, yet GTK
        // asks GLX for its visuals when it opens an X display, which loads
        // the GL driver: ~20 ms of every start. Only while the renderer is
        // off: a user who turns it back on may need GL.
        //
        // Not done: WebKit also loads the driver here (EGL, for the GPU
        // render node it names to its web process: 20 MB and ~15 ms).
        // WEBKIT_WEB_RENDER_DEVICE_FILE would skip that query, but in
        // WebKitGTK 2.50 the query is also what first creates WebKit's
        // display object, which starts its watch on GtkSettings
        // (UIProcess/gtk/Display.cpp); without it the web process starts
        // with no desktop settings: no dark theme, no text scale
        // (scripts/startup/webkit-probe.sh shows both).
        set_default("GDK_GL", "disable".as_ref());
    }
    // The page is the app's own forms and tables (the work is in Rust),
    // never a web site: JavaScriptCore's JIT compilers buy it nothing but
    // ~10 MB in the web process and the attack surface of writable code.
    // Its interpreter shows the first screen as soon.
    set_default("JSC_useJIT", "0".as_ref());
}

#[cfg(not(target_os = "linux"))]
pub fn prepare() {}
