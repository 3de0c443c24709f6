#!/usr/bin/env bash
# What IT hands out, built on Debian into target/dist/ (emptied first):
#
#   QRJumpAdmin-<version>-x64-setup.exe      the Windows installer (NSIS):
#                                            /S installs silently
#   QRJumpAdmin-<version>-x64-portable.zip   the two Windows executables (and
#                                            the WebView2 loader they load)
#   SHA256SUMS
#
# The Windows executables are cross-built with Debian's mingw and carry the
# app's icon and version (tauri-build writes their resource); the desktop
# one has no console window in the release profile. The installer is built
# with Debian's makensis from packaging/windows/installer.nsi, not with
# Tauri's bundler, which downloads NSIS and its plugins from GitHub at
# bundle time (these machines reach only the package registries).
#
#   scripts/package.sh            release profile
#   QRJUMP_PACKAGE_PROFILE=debug scripts/package.sh   faster, for the tests
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh package

profile="${QRJUMP_PACKAGE_PROFILE:-release}"
target=x86_64-pc-windows-gnu
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)"
dist=target/dist
name="QRJumpAdmin-$version-x64"

build=(cargo build --quiet --target "$target" -p qrjump-admin --bin qrjump-admin --bin qrjump)
if [[ "$profile" == release ]]; then
  build+=(--release)
fi
echo "package: building the Windows executables ($profile)" >&2
"${build[@]}"
exe_dir="target/$target/$profile"

rm -rf "$dist"
mkdir -p "$dist"
staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
# The mingw build links Microsoft's WebView2 loader as a DLL (an MSVC build
# could link it statically): it goes beside the executables.
cp "$exe_dir/qrjump-admin.exe" "$exe_dir/qrjump.exe" "$exe_dir/WebView2Loader.dll" "$staging/"
# The release profile strips already; a debug build's DWARF would make the
# installer ten times larger and slow to compress.
x86_64-w64-mingw32-strip "$staging/qrjump-admin.exe" "$staging/qrjump.exe"

echo "package: the installer" >&2
compress=()
if [[ "$profile" != release ]]; then
  # A test build: quick compression rather than small (lzma takes a minute).
  compress=(-X"SetCompressor /FINAL zlib")
fi
makensis -V2 -INPUTCHARSET UTF8 "${compress[@]}" \
  "-DVERSION=$version" \
  "-DSRCDIR=$staging" \
  "-DICON=$PWD/src-tauri/icons/icon.ico" \
  "-DOUTFILE=$PWD/$dist/$name-setup.exe" \
  packaging/windows/installer.nsi >&2

echo "package: the portable zip" >&2
(cd "$staging" && python3 -m zipfile -c "$OLDPWD/$dist/$name-portable.zip" qrjump-admin.exe qrjump.exe WebView2Loader.dll)

(cd "$dist" && sha256sum -- *.exe *.zip > SHA256SUMS)
ls -l "$dist" >&2
