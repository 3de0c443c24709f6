# Sourced (not run) by ./dev and every script that compiles: one build
# environment, so that they all share one compilation and the packages are
# the same bytes whoever builds them, wherever the checkout is.
#
# - Lints as the code compiles: clippy's driver wraps rustc for this
#   workspace's own crates, as `cargo clippy` does, but in the build itself,
#   so every dependency is compiled once rather than once more for a
#   check-only pass. Any lint fails the build.
# - Paths in the binaries (panic locations, debug information, and with it
#   the GNU build id) name /qrjump-admin and /cargo instead of this
#   checkout's folder and cargo's home: two checkouts of one commit build
#   the same bytes.
_qrjump_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUSTC_WORKSPACE_WRAPPER="$(rustc --print sysroot)/bin/clippy-driver"
CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
RUSTFLAGS="--remap-path-prefix=$_qrjump_root=/qrjump-admin --remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo"
export RUSTC_WORKSPACE_WRAPPER CLIPPY_ARGS RUSTFLAGS
unset _qrjump_root
