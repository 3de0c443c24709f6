#!/usr/bin/env bash
# The rustc wrapper of this workspace's own crates (scripts/build-env.sh sets
# it as RUSTC_WORKSPACE_WRAPPER): clippy's driver, so that the lints run as
# the code compiles, with this checkout's folder remapped to /qrjump-admin in
# what it compiles (panic locations, debug information), so that two
# checkouts of one commit build the same programs. A wrapper rather than
# RUSTFLAGS: RUSTFLAGS would reach every dependency of the host build but
# not the build scripts and macros of the Windows build, which would then
# be compiled twice.
exec "$QRJUMP_CLIPPY_DRIVER" "$@" "--remap-path-prefix=$QRJUMP_ROOT=/qrjump-admin"
