#!/usr/bin/env python3
"""Draw the app icon (an RGBA PNG) with the standard library only.

A stylised QR finder pattern with a jump arrow; regenerated rarely, committed as
src-tauri/icons/icon.png. Kept as a script so the icon can be redrawn at any size.
"""
import struct, sys, zlib

def png(width, height, pixels):
    raw = b"".join(b"\x00" + bytes(row) for row in pixels)
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))

def draw(size):
    green, white, clear = (7, 193, 96, 255), (255, 255, 255, 255), (0, 0, 0, 0)
    radius = size * 0.2
    rows = []
    for y in range(size):
        row = []
        for x in range(size):
            # rounded square background
            cx = min(max(x, radius), size - 1 - radius); cy = min(max(y, radius), size - 1 - radius)
            inside = (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2
            colour = green if inside else clear
            u, v = x / size, y / size
            # three QR finder squares
            for ox, oy in ((0.16, 0.16), (0.58, 0.16), (0.16, 0.58)):
                if ox <= u < ox + 0.26 and oy <= v < oy + 0.26:
                    du, dv = u - ox, v - oy
                    ring = du < 0.05 or dv < 0.05 or du >= 0.21 or dv >= 0.21
                    core = 0.09 <= du < 0.17 and 0.09 <= dv < 0.17
                    colour = white if ring or core else green
            # arrow in the fourth quadrant: jump
            if 0.6 <= u < 0.84 and 0.68 <= v < 0.74:
                colour = white
            if 0.72 <= u < 0.86 and abs(v - 0.71) <= (0.86 - u) * 0.9 and u >= 0.72:
                colour = white
            row.extend(colour)
        rows.append(row)
    return png(size, size, rows)

if __name__ == "__main__":
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 256
    with open(sys.argv[1], "wb") as f:
        f.write(draw(size))
