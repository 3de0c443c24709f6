#!/usr/bin/env bash
# Installs what QR Jump Admin needs to build, run and test on Debian 12 / Ubuntu.
# Idempotent and quiet: when everything is present it prints nothing.
#
#   scripts/setup.sh run    packages to build and run the desktop app
#   scripts/setup.sh test   the above, plus Xvfb, WebKitWebDriver, tauri-driver, and
#                           mingw, Wine and the Windows target for the Windows CLI
#   scripts/setup.sh screenshots   the above, plus ImageMagick
#   scripts/setup.sh bench  the run packages, plus ZBar's zbarimg and the sqlite3 shell to compare with
#   scripts/setup.sh package   the run packages, plus mingw, NSIS, the Windows target and
#                              Tauri's CLI (from npm, into target/tauri-cli), for scripts/package.sh
set -euo pipefail

purpose="${1:-run}"

run_packages=(
  build-essential pkg-config
  libwebkit2gtk-4.1-dev libsoup-3.0-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev
  # The UI speaks Chinese: without a CJK font the characters show as boxes.
  fonts-noto-cjk
)
screenshot_packages=(
  # scripts/screenshots.sh grabs the window from the X display;
  # scripts/installer-screenshots.sh finds the installer's window with xdotool.
  imagemagick xdotool
)
test_packages=(
  webkit2gtk-driver xvfb xauth
  # xwininfo: the tests look for the app's windows on the X display;
  # xdotool: the start-up failure test clicks its dialog's OK.
  x11-utils xdotool
  # The tests read the audit CSV back with Python's csv module and compare
  # the export with the sqlite3 shell in the benchmark.
  python3 sqlite3
  # A real forward proxy and relay for the route tests (calls by a fixed IP).
  tinyproxy
  # The verification-file doctor's tests serve HTTPS with a self-signed
  # certificate made and served by openssl (req, s_server -WWW).
  openssl
  # The .deb's test: dpkg-shlibdeps (what the binaries link) and the desktop entry's checker.
  dpkg-dev desktop-file-utils
  # A Linux desktop's credential store for window/secret_service.rs: a session
  # bus with GNOME Keyring's Secret Service, and secret-tool to look inside.
  dbus-daemon dbus-bin gnome-keyring libsecret-tools
  # The team history's tests run a real PostgreSQL server (initdb into a
  # temporary folder, as the postgres user when run as root).
  postgresql postgresql-client
  # Tests that need an address other than loopback make their own network
  # namespace (unshare -n) and add it there with ip.
  iproute2
  # The Windows build: cross-linked with mingw, run under Wine by the tests.
  gcc-mingw-w64-x86-64 wine wine64
  # The MSI: built by wixl, inspected with msiinfo; the test builds a newer one.
  wixl msitools
  # The signing test signs with a throwaway CA's certificate and verifies.
  osslsigncode openssl
)

bench_packages=(
  # The codes benchmark times ZBar's zbarimg on the same photos; the history
  # benchmark times the sqlite3 shell; the team benchmark runs PostgreSQL.
  zbar-tools sqlite3 postgresql postgresql-client
)

package_packages=(
  build-essential pkg-config python3
  # Windows executables cross-built with mingw; the installer made by makensis,
  # the MSI by wixl (msitools).
  gcc-mingw-w64-x86-64 nsis wixl msitools
  # Authenticode signatures of the programs, the installer and the MSI.
  osslsigncode
  # The MSI's summary information set from the commit (scripts/msi-summary.py).
  python3-olefile
)

packages=("${run_packages[@]}")
if [[ "$purpose" == package ]]; then
  packages+=("${package_packages[@]}")
fi
if [[ "$purpose" == bench ]]; then
  packages+=("${bench_packages[@]}")
fi
if [[ "$purpose" == test || "$purpose" == screenshots ]]; then
  packages+=("${test_packages[@]}")
fi
if [[ "$purpose" == screenshots ]]; then
  packages+=("${screenshot_packages[@]}")
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]})); then
  if ! command -v apt-get >/dev/null; then
    echo "setup: missing packages (${missing[*]}) and no apt-get here: install their equivalents by hand." >&2
    exit 1
  fi
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    sudo=(sudo)
  fi
  echo "setup: installing ${missing[*]}" >&2
  "${sudo[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

need_npm() {
  if ! command -v npm >/dev/null; then
    echo "setup: installing npm ($1)" >&2
    local sudo=()
    if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
    "${sudo[@]}" apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq npm >/dev/null
  fi
}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if ! command -v cargo >/dev/null; then
  echo "setup: cargo is not on PATH: install the Rust toolchain (https://rustup.rs) first." >&2
  exit 1
fi

# Every build runs through clippy's driver (scripts/build-env.sh), and
# ./dev test checks formatting; rustup's minimal profile lacks both.
if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
  echo "setup: installing rustfmt and clippy" >&2
  rustup component add rustfmt clippy >&2
fi

if [[ "$purpose" == test || "$purpose" == package ]]; then
  # The Windows executables are cross-built (and the CLI tested under Wine).
  if ! rustup target list --installed | grep -qx x86_64-pc-windows-gnu; then
    echo "setup: adding the x86_64-pc-windows-gnu target" >&2
    rustup target add x86_64-pc-windows-gnu >&2
  fi
fi

if [[ "$purpose" == test || "$purpose" == screenshots ]]; then
  cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
  if [[ ! -x "$cargo_bin/tauri-driver" ]]; then
    echo "setup: installing tauri-driver" >&2
    cargo install tauri-driver --locked --quiet
  fi
fi

if [[ "$purpose" == test ]]; then
  # scripts/deny.sh: advisories, licenses, sources and bans (about 3 minutes
  # to build, once).
  deny_version=0.20.2
  if ! cargo deny --version 2>/dev/null | grep -qx "cargo-deny $deny_version"; then
    echo "setup: installing cargo-deny $deny_version" >&2
    cargo install cargo-deny --version "$deny_version" --locked --quiet
  fi
fi

if [[ "$purpose" == test || "$purpose" == screenshots ]]; then
  # axe-core, the accessibility rule engine the end-to-end tests run in the
  # real window: from the npm registry, pinned to a version and its digest.
  axe_version=4.14.1
  axe_sha256=e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745
  axe_file="$root/target/axe/axe-core-$axe_version.min.js"
  if [[ ! -s "$axe_file" ]]; then
    need_npm "for axe-core"
    echo "setup: fetching axe-core $axe_version" >&2
    scratch=$(mktemp -d)
    (cd "$scratch" && npm pack --silent "axe-core@$axe_version" >/dev/null)
    if ! echo "$axe_sha256  $scratch/axe-core-$axe_version.tgz" | sha256sum --check --status; then
      echo "setup: axe-core-$axe_version.tgz does not have the pinned digest" >&2
      rm -rf "$scratch"
      exit 1
    fi
    tar -xzf "$scratch/axe-core-$axe_version.tgz" -C "$scratch" package/axe.min.js
    mkdir -p "$root/target/axe"
    mv "$scratch/package/axe.min.js" "$axe_file"
    rm -rf "$scratch"
  fi
fi

if [[ "$purpose" == package ]]; then
  # Tauri's CLI, whose bundler makes the .deb: the npm package ships it
  # prebuilt (building it with cargo install takes longer than the app).
  # Its version and digests are pinned in packaging/tauri-cli/package-lock.json.
  tools="$root/target/tauri-cli"
  if ! cmp -s "$root/packaging/tauri-cli/package-lock.json" "$tools/package-lock.json" ||
    [[ ! -x "$tools/node_modules/.bin/tauri" ]]; then
    need_npm "for Tauri's CLI"
    echo "setup: installing Tauri's CLI into target/tauri-cli" >&2
    rm -rf "$tools"
    mkdir -p "$tools"
    cp "$root/packaging/tauri-cli/package.json" "$root/packaging/tauri-cli/package-lock.json" "$tools/"
    (cd "$tools" && npm ci --ignore-scripts --no-audit --no-fund --silent) >&2
  fi
fi
