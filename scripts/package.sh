#!/usr/bin/env bash
# What IT hands out, built on Debian into target/dist/ (emptied first):
#
#   qr-jump-admin_<version>_amd64.deb        the Linux package (the app, the
#                                            qrjump CLI and the simulator)
#   QRJumpAdmin-<version>-x64-setup.exe      the Windows installer (NSIS):
#                                            /S installs silently
#   QRJumpAdmin-<version>-x64.msi            the same for IT's deployment tools:
#                                            msiexec /i … /qn, upgrades in place
#   QRJumpAdmin-<version>-x64-portable.zip   the two Windows executables (and
#                                            the WebView2 loader they load)
#   SHA256SUMS
#   latest.json, *.sig                       the update feed, when the release's
#                                            minisign key is in the environment
#                                            (see scripts/feed.sh)
#
# The Windows programs, the installer and the MSI are signed when a key is
# in the environment (QRJUMP_SIGN_PFX and QRJUMP_SIGN_PASSWORD, or a PKCS#11
# token; see scripts/sign.sh), else the script says they are unsigned.
#
# The .deb is made by Tauri's bundler (its CLI, from npm: scripts/setup.sh
# package) from the root tauri.conf.json; it downloads nothing for a .deb.
#
# The Windows executables are cross-built with Debian's mingw and carry the
# app's icon and version (tauri-build writes their resource); the desktop
# one has no console window in the release profile. The installer is built
# with Debian's makensis from packaging/windows/installer.nsi, not with
# Tauri's bundler, which downloads NSIS and its plugins from GitHub at
# bundle time (these machines reach only the package registries).
#
# Reproducible: two runs from one commit write the same bytes (unsigned;
# a signature holds its signing time). Every file's time is the commit's
# (SOURCE_DATE_EPOCH, unless given), the .deb is re-made by dpkg-deb, which
# takes its times from SOURCE_DATE_EPOCH and sorts its entries, and the
# MSI's summary information is set from the commit (scripts/msi-summary.py).
#
#   scripts/package.sh            release profile
#   QRJUMP_PACKAGE_PROFILE=debug scripts/package.sh   faster, for the tests
#   QRJUMP_DIST_DIR=DIR scripts/package.sh            elsewhere than target/dist
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh package
. scripts/build-env.sh

profile="${QRJUMP_PACKAGE_PROFILE:-release}"
target=x86_64-pc-windows-gnu
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)"
dist="$(realpath -m "${QRJUMP_DIST_DIR:-target/dist}")"
# The time every file in the packages carries: the commit's (build-env.sh).
if [[ -z "${SOURCE_DATE_EPOCH:-}" ]]; then
  echo "package: not a git checkout and no SOURCE_DATE_EPOCH: the packages carry today's time" >&2
  SOURCE_DATE_EPOCH="$(date +%s)"
  export SOURCE_DATE_EPOCH
fi
settle() { touch -h -d "@$SOURCE_DATE_EPOCH" "$@"; }
name="QRJumpAdmin-$version-x64"
release=()
if [[ "$profile" == release ]]; then
  release=(--release)
fi

# Tauri's CLI reads tauri.conf.json beside the crate's Cargo.toml; ours is at
# the root (build.rs points at it), so it is linked there for the bundle only.
conf_link=src-tauri/tauri.conf.json
staging="$(mktemp -d)"
cleanup() {
  rm -rf "$staging"
  if [[ -L "$conf_link" ]]; then rm -f "$conf_link"; fi
}
trap cleanup EXIT

echo "package: building the Linux binaries ($profile)" >&2
# The whole workspace, as the tests build it: cargo resolves features for the
# packages named, so this is the one host build the tests then run.
cargo build --quiet --workspace --bins "${release[@]}"

echo "package: building the Windows executables ($profile)" >&2
cargo build --quiet --target "$target" -p qrjump-admin --bin qrjump-admin --bin qrjump "${release[@]}"
exe_dir="target/$target/$profile"

rm -rf "$dist"
mkdir -p "$dist"

echo "package: the .deb" >&2
# The bundler takes the binaries from the target folder cargo names, and
# marks the main one: it gets stripped copies in a folder of its own, so the
# build's binaries stay as cargo left them (and a debug .deb stays small).
bundle_target="$staging/linux-target"
mkdir -p "$bundle_target/$profile"
for bin in qrjump-admin qrjump qrjump-sim; do
  strip -o "$bundle_target/$profile/$bin" "target/$profile/$bin"
done
if [[ -e "$conf_link" && ! -L "$conf_link" ]]; then
  echo "package: $conf_link exists and is not the link this script makes; the config lives at the root" >&2
  exit 1
fi
ln -sfn ../tauri.conf.json "$conf_link"
# Paths in the root config are relative to the root; the CLI would read them
# from src-tauri/, so the ones the bundle needs are given absolute.
icons="$PWD/src-tauri/icons"
overrides="$(
  cat <<JSON
{"bundle": {"icon": ["$icons/icon.png", "$icons/128x128.png", "$icons/32x32.png"],
            "linux": {"deb": {"desktopTemplate": "$PWD/packaging/linux/qrjump-admin.desktop"}}}}
JSON
)"
bundle=("$PWD/target/tauri-cli/node_modules/.bin/tauri" bundle --ci --bundles deb --config "$overrides")
if [[ "$profile" != release ]]; then
  bundle+=(--debug)
fi
(cd src-tauri && CARGO_TARGET_DIR="$bundle_target" "${bundle[@]}") >&2
rm -f "$conf_link"
debs=("$bundle_target/$profile/bundle/deb/"*.deb)
if [[ ${#debs[@]} -ne 1 ]]; then
  echo "package: expected one .deb from the bundler, found: ${debs[*]}" >&2
  exit 1
fi
# Debian's file name: the package's name (from the product name), version, architecture.
deb_package="$(dpkg-deb --field "${debs[0]}" Package)"
# The bundler stamps today's time on every entry: the same tree is packed
# again by dpkg-deb, with the commit's time and its entries sorted.
deb_tree="$staging/deb-tree"
dpkg-deb -R "${debs[0]}" "$deb_tree"
find "$deb_tree" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
# gzip -9 for a release; -6 for a test build (a third of the time, 1% larger).
deb_level=9
if [[ "$profile" != release ]]; then deb_level=6; fi
dpkg-deb --root-owner-group -Zgzip "-z$deb_level" --build "$deb_tree" "$dist/${deb_package}_${version}_amd64.deb" >/dev/null

echo "package: the installer" >&2
win="$staging/windows"
mkdir -p "$win"
# The mingw build links Microsoft's WebView2 loader as a DLL (an MSVC build
# could link it statically): it goes beside the executables.
cp "$exe_dir/qrjump-admin.exe" "$exe_dir/qrjump.exe" "$exe_dir/WebView2Loader.dll" "$win/"
# The release profile strips already; a debug build's DWARF would make the
# installer ten times larger and slow to compress.
x86_64-w64-mingw32-strip "$win/qrjump-admin.exe" "$win/qrjump.exe"
# The command line is a console program; the release desktop app must not
# open a console window behind itself (windows_subsystem in main.rs).
subsystem() { x86_64-w64-mingw32-objdump -p "$1" | sed -n 's/^Subsystem.*(\(.*\))$/\1/p'; }
if [[ "$(subsystem "$win/qrjump.exe")" != "Windows CUI" ]]; then
  echo "package: qrjump.exe is not a console program: $(subsystem "$win/qrjump.exe")" >&2
  exit 1
fi
if [[ "$profile" == release && "$(subsystem "$win/qrjump-admin.exe")" != "Windows GUI" ]]; then
  echo "package: the release qrjump-admin.exe would open a console: $(subsystem "$win/qrjump-admin.exe")" >&2
  exit 1
fi

# Signed (when a key is in the environment: scripts/sign.sh) before they go
# into the installer, the MSI and the zip, so the installed programs are too.
scripts/sign.sh "$win/qrjump-admin.exe" "$win/qrjump.exe"
# The installer, the MSI and the zip keep each file's time.
settle "$win"/*

compress=()
if [[ "$profile" != release ]]; then
  # A test build: quick compression rather than small (lzma takes a minute).
  compress=(-X"SetCompressor /FINAL zlib")
fi
makensis -V2 -INPUTCHARSET UTF8 "${compress[@]}" \
  "-DVERSION=$version" \
  "-DSRCDIR=$win" \
  "-DICON=$PWD/src-tauri/icons/icon.ico" \
  "-DOUTFILE=$dist/$name-setup.exe" \
  packaging/windows/installer.nsi >&2

scripts/sign.sh "$dist/$name-setup.exe"

echo "package: the MSI" >&2
# wixl (msitools) reads sources relative to the .wxs, so it runs beside the
# files. The product code is derived from the version (uuid5 under the fixed
# upgrade code): one version, one product, and the same bytes each build.
upgrade_code="$(sed -n 's/.*UpgradeCode="\([0-9A-F-]*\)".*/\1/p' packaging/windows/qrjump-admin.wxs)"
# A GUID named by NAME under the upgrade code (uuid5): the same each build.
guid() { python3 -c 'import sys, uuid; print(str(uuid.uuid5(uuid.UUID(sys.argv[1]), sys.argv[2])).upper())' "$upgrade_code" "$1"; }
product_code="$(guid "$version")"
cp packaging/windows/qrjump-admin.wxs src-tauri/icons/icon.ico "$win/"
printf msi > "$win/installed-by.txt"
settle "$win"/*
(cd "$win" && wixl -a x64 -D "Version=$version" -D "ProductCode=$product_code" -D SrcDir=. -D Icon=icon.ico \
  -o "$dist/$name.msi" qrjump-admin.wxs)
# What wixl cannot say (see the .wxs): each policy value is written only
# when its property is given, and the properties pass to the installing
# service (secure).
policy_names="$(sed -n 's/.*<Property Id="\([A-Z]*\)" \/>.*/\1/p' packaging/windows/qrjump-admin.wxs)"
queries=()
for property in $policy_names; do
  queries+=(-q "UPDATE \`Component\` SET \`Condition\` = '$property' WHERE \`Component\` = 'Policy$property'")
done
secure="$(msiinfo export "$dist/$name.msi" Property | sed -n 's/^SecureCustomProperties\t//p' | tr -d '\r')"
secure="$secure;$(echo $policy_names | tr ' ' ';')"
queries+=(-q "UPDATE \`Property\` SET \`Value\` = '$secure' WHERE \`Property\` = 'SecureCustomProperties'")
msibuild "$dist/$name.msi" "${queries[@]}"
# wixl's summary information holds a random package code and today's time:
# the code is derived like the product code, the time is the commit's.
package_code="{$(guid "$version:package")}"
scripts/msi-summary.py "$dist/$name.msi" "$package_code" "$SOURCE_DATE_EPOCH"
scripts/sign.sh "$dist/$name.msi"

echo "package: the portable zip" >&2
# DOS times in a zip are local: UTC, so that the time zone changes nothing.
(cd "$win" && TZ=UTC python3 -m zipfile -c "$dist/$name-portable.zip" qrjump-admin.exe qrjump.exe WebView2Loader.dll)

(cd "$dist" && sha256sum -- *.deb *.exe *.msi *.zip > SHA256SUMS)

# The update feed: latest.json and a minisign signature beside each package,
# made with the release's key (Tauri's names; never on a command line).
if [[ -n "${TAURI_SIGNING_PRIVATE_KEY:-}" ]]; then
  scripts/feed.sh "$dist" "$version" "$dist/${deb_package}_${version}_amd64.deb" "$dist/$name.msi" "$dist/$name-setup.exe"
else
  echo "package: no TAURI_SIGNING_PRIVATE_KEY: the update feed (latest.json and .sig files) is not written" >&2
fi
ls -l "$dist" >&2
