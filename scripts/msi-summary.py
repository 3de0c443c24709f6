#!/usr/bin/python3
"""Sets an MSI's summary information to what the commit decides, so that two
builds of one commit are the same bytes: wixl writes a random package code
(the revision number) and the current time (created, last saved), and takes
neither from the .wxs nor from SOURCE_DATE_EPOCH.

    scripts/msi-summary.py MSI PACKAGE_CODE EPOCH

The package code is a GUID ({...}); EPOCH is seconds since 1970 (the
commit's date). The values keep their sizes, so the stream is rewritten in
place. Debian's python3-olefile reads and writes the compound file.
"""
import struct
import sys

import olefile

STREAM = "\x05SummaryInformation"
PID_REVNUMBER, PID_CREATE_DTM, PID_LASTSAVE_DTM = 9, 12, 13
VT_LPSTR, VT_FILETIME = 30, 64


def main(path, code, epoch):
    filetime = (int(epoch) + 11644473600) * 10_000_000
    ole = olefile.OleFileIO(path, write_mode=True)
    data = bytearray(ole.openstream(STREAM).read())
    # The property set's first section: its offset follows the FMTID.
    section = struct.unpack_from("<I", data, 44)[0]
    _, count = struct.unpack_from("<II", data, section)
    done = set()
    for i in range(count):
        pid, offset = struct.unpack_from("<II", data, section + 8 + 8 * i)
        at = section + offset
        kind = struct.unpack_from("<I", data, at)[0]
        if pid in (PID_CREATE_DTM, PID_LASTSAVE_DTM) and kind == VT_FILETIME:
            struct.pack_into("<Q", data, at + 4, filetime)
            done.add(pid)
        elif pid == PID_REVNUMBER and kind == VT_LPSTR:
            size = struct.unpack_from("<I", data, at + 4)[0]
            value = code.encode("ascii") + b"\0"
            if len(value) != size:
                sys.exit(f"msi-summary: the revision number is {size} bytes, {code} is {len(value)}")
            data[at + 8 : at + 8 + size] = value
            done.add(pid)
    missing = {PID_REVNUMBER, PID_CREATE_DTM, PID_LASTSAVE_DTM} - done
    if missing:
        sys.exit(f"msi-summary: {path} has no summary property {sorted(missing)}")
    ole.write_stream(STREAM, bytes(data))
    ole.close()


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
