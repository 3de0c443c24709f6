#!/usr/bin/env bash
# Screenshots of the Windows installer's pages, in Chinese and English,
# taken under Wine on Xvfb, into docs/screenshots/installer-*.png.
# Run scripts/package.sh first (QRJUMP_PACKAGE_PROFILE as it was built). Wine here has no internet and
# no PowerShell, so the page after the install shows the installer's
# message for a PC where WebView2 could not be installed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh screenshots
setup="$(ls target/dist/*-x64-setup.exe)"
out=docs/screenshots
work="$(mktemp -d)"
display=":$((90 + RANDOM % 9))"
Xvfb "$display" -screen 0 1024x768x24 >/dev/null 2>&1 &
xvfb=$!
cleanup() {
  WINEPREFIX="$work/prefix" wineserver -k 2>/dev/null || true
  kill "$xvfb" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
sleep 2
export DISPLAY="$display" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="

# The screen cut to the installer's window (a message box shows over it).
shot() {
  eval "$(xdotool getwindowgeometry --shell "$window")"
  import -window root -crop "${WIDTH}x${HEIGHT}+${X}+${Y}" +repage "$out/installer-$1.png"
}

for lang in zh-CN en; do
  case "$lang" in
    zh-CN) locale=zh_CN.UTF-8 ;;
    en) locale=en_US.UTF-8 ;;
  esac
  export WINEPREFIX="$work/prefix-$lang" LANG="$locale" LC_ALL="$locale"
  wine wineboot --init >/dev/null 2>&1
  # Wine 8.0 lacks bcryptprimitives.dll, which Rust programs load (see
  # tests/wine/bcryptprimitives.c): the app needs the stand-in to start.
  x86_64-w64-mingw32-gcc -O2 -shared -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
    tests/wine/bcryptprimitives.c tests/wine/bcryptprimitives.def -ladvapi32
  wine "$setup" >/dev/null 2>&1 &
  for _ in $(seq 60); do
    window="$(xdotool search --name "QR Jump Admin" 2>/dev/null | head -n 1 || true)"
    [[ -n "$window" ]] && break
    sleep 0.5
  done
  sleep 3
  shot "welcome-$lang"
  xdotool key --window "$window" Return 2>/dev/null; sleep 2
  shot "folder-$lang"
  xdotool key --window "$window" Return 2>/dev/null; sleep 10
  shot "webview2-$lang"
  wineserver -k 2>/dev/null || true
  # The app itself on a PC without WebView2: a message box says what to install.
  wine "$(dirname "$setup")/../x86_64-pc-windows-gnu/${QRJUMP_PACKAGE_PROFILE:-release}/qrjump-admin.exe" >/dev/null 2>&1 &
  window=""
  for _ in $(seq 60); do
    window="$(xdotool search --name "WebView2\$" 2>/dev/null | head -n 1 || true)"
    [[ -n "$window" ]] && break
    sleep 0.5
  done
  sleep 2
  shot "app-no-webview2-$lang"
  wineserver -k 2>/dev/null || true
done
