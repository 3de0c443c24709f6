#!/usr/bin/env bash
# The update feed the app reads (Tauri's updater `latest.json`, static form):
#
#   scripts/feed.sh OUT_DIR VERSION PACKAGE...
#
# signs each PACKAGE with Tauri's CLI (`tauri signer sign`: minisign,
# PACKAGE.sig beside it) and writes OUT_DIR/latest.json naming them, one
# entry per kind of install the name shows:
#
#   *.deb        linux-x86_64-deb
#   *.msi        windows-x86_64-msi
#   *-setup.exe  windows-x86_64-nsis (and windows-x86_64)
#
# The key is Tauri's: TAURI_SIGNING_PRIVATE_KEY (the key file's text, as
# `tauri signer generate` writes it) and TAURI_SIGNING_PRIVATE_KEY_PASSWORD,
# from the environment only: never a command line, never printed. The app
# trusts the matching public key (tauri.conf.json's plugins.updater.pubkey,
# or QRJUMP_UPDATER_PUBKEY at build time).
#
# Package addresses are the file names, which the app resolves against the
# feed's own address (publish them side by side), or
# $QRJUMP_UPDATE_BASE_URL/<name> when that is set. The notes are
# packaging/release-notes.md (or the file in QRJUMP_RELEASE_NOTES); the date
# is SOURCE_DATE_EPOCH's (else the commit's), so a rebuild writes the same.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $# -lt 3 ]]; then
  echo "usage: scripts/feed.sh OUT_DIR VERSION PACKAGE..." >&2
  exit 2
fi
out="$1" version="$2"
shift 2
if [[ -z "${TAURI_SIGNING_PRIVATE_KEY:-}" ]]; then
  echo "feed: TAURI_SIGNING_PRIVATE_KEY is not set: no feed written" >&2
  exit 2
fi
tauri="$PWD/target/tauri-cli/node_modules/.bin/tauri"
if [[ ! -x "$tauri" ]]; then
  scripts/setup.sh package
fi
notes_file="${QRJUMP_RELEASE_NOTES:-packaging/release-notes.md}"
epoch="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}"

entries=()
for package in "$@"; do
  # The CLI reads the key and its password from the environment.
  "$tauri" signer sign "$package" >/dev/null
  name="$(basename "$package")"
  case "$name" in
    *.deb) targets=(linux-x86_64-deb) ;;
    *.msi) targets=(windows-x86_64-msi) ;;
    *-setup.exe) targets=(windows-x86_64-nsis windows-x86_64) ;;
    *) echo "feed: $name is no package the app installs (.deb, .msi, -setup.exe)" >&2; exit 2 ;;
  esac
  for target in "${targets[@]}"; do
    entries+=("$target" "$name" "$package.sig")
  done
done

python3 - "$out/latest.json" "$version" "$notes_file" "$epoch" "${QRJUMP_UPDATE_BASE_URL:-}" "${entries[@]}" <<'PY'
import datetime, json, os, sys
out, version, notes_file, epoch, base = sys.argv[1:6]
rest = sys.argv[6:]
notes = open(notes_file, encoding="utf-8").read().strip() if os.path.exists(notes_file) else ""
platforms = {}
for target, name, sig in zip(rest[0::3], rest[1::3], rest[2::3]):
    url = f"{base.rstrip('/')}/{name}" if base else name
    platforms[target] = {"url": url, "signature": open(sig).read().strip()}
date = datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
feed = {"version": version, "notes": notes, "pub_date": date, "platforms": dict(sorted(platforms.items()))}
with open(out, "w", encoding="utf-8") as f:
    json.dump(feed, f, ensure_ascii=False, indent=2)
    f.write("\n")
PY
echo "feed: $out/latest.json ($version, $(( ${#entries[@]} / 3 )) entries) written, packages signed" >&2
