# Sourced (not run) by ./dev and every script that compiles: one build
# environment, so that they all share one compilation and the packages are
# the same bytes whoever builds them.
#
# This workspace's crates compile through scripts/rustc-wrapper.sh: clippy's
# driver (the lints run as the code compiles, as `cargo clippy` does, but in
# the build itself, so every dependency is compiled once rather than once
# more for a check-only pass; any lint fails the build), with the checkout's
# folder remapped in what they compile.
QRJUMP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
QRJUMP_CLIPPY_DRIVER="$(rustc --print sysroot)/bin/clippy-driver"
RUSTC_WORKSPACE_WRAPPER="$QRJUMP_ROOT/scripts/rustc-wrapper.sh"
CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
export QRJUMP_ROOT QRJUMP_CLIPPY_DRIVER RUSTC_WORKSPACE_WRAPPER CLIPPY_ARGS
