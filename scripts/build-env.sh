# Sourced (not run) by ./dev and every script that compiles: one build
# environment, so that they all share one compilation and the packages are
# the same bytes whoever builds them.
#
# This workspace's crates compile through clippy's driver: the lints run as
# the code compiles, as `cargo clippy` does, but in the build itself, so
# every dependency is compiled once rather than once more for a check-only
# pass; any lint fails the build. Its arguments (CLIPPY_ARGS, which it adds
# to rustc's) also remap the checkout's folder to /qrjump-admin in what
# those crates compile (panic locations, debug information), so that two
# checkouts of one commit build the same programs. Not RUSTFLAGS: those
# would reach every dependency of the host build but not the build scripts
# and macros of the Windows build, which would then be compiled twice; and
# not a wrapper script of our own, whose path (the checkout's) cargo hashes
# into every symbol.
RUSTC_WORKSPACE_WRAPPER="$(rustc --print sysroot)/bin/clippy-driver"
CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__--remap-path-prefix=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)=/qrjump-admin"
export RUSTC_WORKSPACE_WRAPPER CLIPPY_ARGS

# The time the programs carry (the Windows linker stamps it in each .exe)
# and the packages' files: the commit's, unless given.
if [[ -z "${SOURCE_DATE_EPOCH:-}" ]]; then
  SOURCE_DATE_EPOCH="$(git -C "$(dirname "${BASH_SOURCE[0]}")" log -1 --format=%ct 2>/dev/null || true)"
  if [[ -n "$SOURCE_DATE_EPOCH" ]]; then export SOURCE_DATE_EPOCH; else unset SOURCE_DATE_EPOCH; fi
fi
