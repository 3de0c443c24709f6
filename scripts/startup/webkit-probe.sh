#!/usr/bin/env bash
# Asks the system's WebKitGTK two questions the app's memory depends on
# (webkit-probe.c says how), under the app's environment (GDK_GL=disable,
# WEBKIT_DISABLE_DMABUF_RENDERER=1), with a dark theme and a doubled text
# scale, with and without WEBKIT_WEB_RENDER_DEVICE_FILE:
#   - does the web process load Mesa's GL driver although the view never
#     composites? (WebKitGTK 2.50: yes, whatever the settings)
#   - does the page still follow the desktop's settings when the app is
#     spared WebKit's EGL query? (2.50: no, neither the theme nor the scale)
#
#   scripts/startup/webkit-probe.sh      (needs gcc, libwebkit2gtk-4.1-dev, Xvfb)
set -euo pipefail
cd "$(dirname "$0")"
out=$(mktemp -d)
trap 'kill $xvfb 2>/dev/null || true; rm -rf "$out"' EXIT
# shellcheck disable=SC2046 # pkg-config prints several words on purpose
gcc -O1 -o "$out/probe" webkit-probe.c $(pkg-config --cflags --libs webkit2gtk-4.1)
Xvfb -displayfd 1 -screen 0 1280x800x24 -nolisten tcp >"$out/display" 2>/dev/null &
xvfb=$!
for _ in $(seq 50); do [[ -s $out/display ]] && break; sleep 0.1; done
echo "WebKitGTK $(pkg-config --modversion webkit2gtk-4.1)"
for device in "" /dev/dri/renderD128; do
  for scale in 1 2; do
    printf '%-50s GDK_DPI_SCALE=%s: ' "WEBKIT_WEB_RENDER_DEVICE_FILE=${device:-(unset)}" "$scale"
    env DISPLAY=":$(head -n1 "$out/display")" NO_AT_BRIDGE=1 GTK_THEME=Adwaita:dark GDK_DPI_SCALE=$scale \
      GDK_GL=disable WEBKIT_DISABLE_DMABUF_RENDERER=1 ${device:+WEBKIT_WEB_RENDER_DEVICE_FILE=$device} \
      "$out/probe" 2>/dev/null
  done
done
