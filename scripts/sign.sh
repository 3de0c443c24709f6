#!/usr/bin/env bash
# Signs Windows programs, installers and MSIs in place with Authenticode
# (osslsigncode, SHA-256), so that SmartScreen and company allow-lists know
# who made them. scripts/package.sh calls it; it can be run alone:
#
#   scripts/sign.sh FILE...
#
# The key comes from the environment only, never from the command line
# (where other users of the machine could read it) and is never printed:
#
#   QRJUMP_SIGN_PFX, QRJUMP_SIGN_PASSWORD   a PKCS#12 file and its password
#   QRJUMP_SIGN_PKCS11_MODULE, QRJUMP_SIGN_PKCS11_KEY
#                                           or a key on a token (a PKCS#11
#                                           module and the key's URI), with
#                                           QRJUMP_SIGN_PKCS11_CERT (its
#                                           certificate: a PEM file or a
#                                           PKCS#11 URI) and the PIN, if any,
#                                           in QRJUMP_SIGN_PASSWORD
#   QRJUMP_SIGN_TIMESTAMP_URL               an RFC 3161 time-stamp server
#                                           (optional: the signature then
#                                           outlives the certificate)
#
# Without a key it signs nothing and says the files are unsigned.
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: scripts/sign.sh FILE..." >&2
  exit 2
fi

key=()
if [[ -n "${QRJUMP_SIGN_PFX:-}" ]]; then
  if [[ ! -r "$QRJUMP_SIGN_PFX" ]]; then
    echo "sign: QRJUMP_SIGN_PFX names no readable file: $QRJUMP_SIGN_PFX" >&2
    exit 2
  fi
  key=(-pkcs12 "$QRJUMP_SIGN_PFX")
  what="the certificate in $QRJUMP_SIGN_PFX"
elif [[ -n "${QRJUMP_SIGN_PKCS11_MODULE:-}" ]]; then
  if [[ -z "${QRJUMP_SIGN_PKCS11_KEY:-}" || -z "${QRJUMP_SIGN_PKCS11_CERT:-}" ]]; then
    echo "sign: QRJUMP_SIGN_PKCS11_MODULE needs QRJUMP_SIGN_PKCS11_KEY and QRJUMP_SIGN_PKCS11_CERT" >&2
    exit 2
  fi
  key=(-pkcs11module "$QRJUMP_SIGN_PKCS11_MODULE" -key "$QRJUMP_SIGN_PKCS11_KEY")
  if [[ "$QRJUMP_SIGN_PKCS11_CERT" == pkcs11:* ]]; then
    key+=(-pkcs11cert "$QRJUMP_SIGN_PKCS11_CERT")
  else
    key+=(-certs "$QRJUMP_SIGN_PKCS11_CERT")
  fi
  what="the key on the token of $QRJUMP_SIGN_PKCS11_MODULE"
else
  echo "sign: no signing key (QRJUMP_SIGN_PFX or QRJUMP_SIGN_PKCS11_MODULE): $# file(s) left unsigned" >&2
  exit 0
fi

timestamp=()
if [[ -n "${QRJUMP_SIGN_TIMESTAMP_URL:-}" ]]; then
  timestamp=(-ts "$QRJUMP_SIGN_TIMESTAMP_URL")
fi

for file in "$@"; do
  # osslsigncode writes a new file: beside the original, then moved over it.
  signed="$file.signing"
  rm -f "$signed"
  # The password goes through a pipe (printf is a shell builtin: no argv).
  if ! printf '%s' "${QRJUMP_SIGN_PASSWORD:-}" |
    osslsigncode sign "${key[@]}" -readpass - -h sha256 "${timestamp[@]}" \
      -n "QR Jump Admin" -in "$file" -out "$signed" >/dev/null; then
    rm -f "$signed"
    echo "sign: signing $file failed" >&2
    exit 1
  fi
  chmod --reference="$file" "$signed"
  mv -f "$signed" "$file"
done
echo "sign: signed $# file(s) with $what (SHA-256${timestamp:+, time-stamped})" >&2
