#!/usr/bin/env bash
# Screenshots of the app installed from the .deb, in Chinese and English,
# into docs/screenshots/linux-installed-*.png. Run scripts/package.sh first.
# Installs the package for real (apt, as root or with sudo) and removes it
# again afterwards unless it was installed before.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh screenshots
. scripts/build-env.sh
deb="$(ls target/dist/*_amd64.deb)"
sudo=()
if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
package="$(dpkg-deb --field "$deb" Package)"
if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
  echo "deb-screenshots: $package is installed already; it will be replaced by $deb and kept" >&2
else
  trap 'DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get remove -y -qq "$package" >/dev/null' EXIT
fi
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --reinstall "$PWD/$deb" >/dev/null
dpkg -L "$package" | grep -E '^/usr/(bin|share/applications)/' >&2
QRJUMP_APP_BINARY=/usr/bin/qrjump-admin QRJUMP_SCREENSHOT_DIR="$PWD/docs/screenshots" \
  cargo test --workspace --test platform linux_package:: -- --ignored
