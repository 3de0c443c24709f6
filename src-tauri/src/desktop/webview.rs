//! The web view as a form-based admin tool needs it, no more. WebKitGTK's
//! defaults suit a browser: a memory cache sized for browsing history, a
//! back-forward page cache, GL compositing, WebGL, media and Web Audio. The
//! app shows one page of forms and tables: the document-viewer cache model
//! and software rendering keep WebKit's processes smaller and start them
//! sooner (`scripts/measure-startup.sh` measures both beside a hello-world
//! Tauri app). WebView2 on Windows sizes itself; nothing is set there.

/// Applies the settings to `window`'s web view.
#[cfg(target_os = "linux")]
pub fn lighten(window: &tauri::WebviewWindow) {
    let _ = window.with_webview(|webview| {
        use webkit2gtk::{CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebViewExt};
        let view = webview.inner();
        if let Some(context) = view.context() {
            context.set_cache_model(CacheModel::DocumentViewer);
        }
        if let Some(settings) = WebViewExt::settings(&view) {
            // One page, never navigated away from: nothing to go back to.
            settings.set_enable_page_cache(false);
            // Forms and tables: the CPU draws them as fast, without a GL
            // context in the web process (none under a remote desktop anyway).
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            settings.set_enable_webgl(false);
            settings.set_enable_webaudio(false);
            settings.set_enable_media(false);
            settings.set_enable_media_stream(false);
            settings.set_enable_mediasource(false);
            settings.set_enable_encrypted_media(false);
            settings.set_enable_dns_prefetching(false);
            settings.set_enable_back_forward_navigation_gestures(false);
        }
    });
}

#[cfg(not(target_os = "linux"))]
pub fn lighten(_window: &tauri::WebviewWindow) {}
