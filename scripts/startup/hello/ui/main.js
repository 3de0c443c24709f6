// Ready as QR Jump Admin is ready: the page is parsed and has asked Rust once.
window.__TAURI__.core.invoke('ready');
