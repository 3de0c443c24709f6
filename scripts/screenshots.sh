#!/usr/bin/env bash
# Screenshots of every screen in both languages from the release build
# (the file dialogs from the debug build),
# into docs/screenshots/ (shown in the README).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh screenshots
. scripts/build-env.sh
cargo build --release --bin qrjump-admin
# The dialogs that open a file come from the debug build (see window/screenshots.rs).
cargo build --bin qrjump-admin
QRJUMP_APP_BINARY="$PWD/target/release/qrjump-admin" QRJUMP_SCREENSHOT_DIR="$PWD/docs/screenshots" \
  cargo test --workspace --test window screenshots:: -- --ignored
