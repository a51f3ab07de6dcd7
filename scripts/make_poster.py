#!/usr/bin/env python3
"""Draws a small poster PNG for a title: a two-colour gradient chosen from the
title's hash and the title's initials in a 5x7 block font. Standard library only
(zlib + struct); used to make the demo's posters (examples/demo/posters/) and the
test fixture tests/fixtures/assets/poster.png.

    python3 scripts/make_poster.py "Toy Story" out.png [WIDTH HEIGHT]
"""
import hashlib
import struct
import sys
import zlib

FONT = {  # 5x7, one string of 7 rows of 5 bits per character
    'A': '01110100011000111111100011000110001', 'B': '11110100011000111110100011000111110',
    'C': '01110100011000010000100001000101110', 'D': '11110100011000110001100011000111110',
    'E': '11111100001000011110100001000011111', 'F': '11111100001000011110100001000010000',
    'G': '01110100011000010111100011000101111', 'H': '10001100011000111111100011000110001',
    'I': '01110001000010000100001000010001110', 'J': '00111000100001000010000101001001100',
    'K': '10001100101010011000101001001010001', 'L': '10000100001000010000100001000011111',
    'M': '10001110111010110101100011000110001', 'N': '10001100011100110101100111000110001',
    'O': '01110100011000110001100011000101110', 'P': '11110100011000111110100001000010000',
    'Q': '01110100011000110001101011001001101', 'R': '11110100011000111110101001001010001',
    'S': '01111100001000001110000010000111110', 'T': '11111001000010000100001000010000100',
    'U': '10001100011000110001100011000101110', 'V': '10001100011000110001100010101000100',
    'W': '10001100011000110101101011010101010', 'X': '10001100010101000100010101000110001',
    'Y': '10001100010101000100001000010000100', 'Z': '11111000010001000100010001000011111',
    '0': '01110100011001110101110011000101110', '1': '00100011000010000100001000010001110',
    '2': '01110100010000100010001000100011111', '3': '11111000100010000010000011000101110',
    '4': '00010001100101010010111110001000010', '5': '11111100001111000001000011000101110',
    '6': '00110010001000011110100011000101110', '7': '11111000010001000100010000100001000',
    '8': '01110100011000101110100011000101110', '9': '01110100011000101111000010001001100',
}


def png(width, height, pixel):
    rows = b''.join(b'\x00' + bytes(c for x in range(width) for c in pixel(x, y)) for y in range(height))
    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0)) +
            chunk(b'IDAT', zlib.compress(rows, 9)) + chunk(b'IEND', b''))


def poster(title, width=120, height=180):
    h = hashlib.sha256(title.encode()).digest()
    top, bottom = (h[0], h[1], h[2]), (h[3] // 3, h[4] // 3, h[5] // 3)
    words = [w for w in title.replace('-', ' ').split() if w[0].upper() in FONT]
    initials = ''.join(w[0].upper() for w in words if w.lower() not in ('the', 'a', 'an', 'of'))[:3] or '?'
    scale = max(2, min(width // (6 * len(initials) + 1), height // 12))
    text_w, text_h = (6 * len(initials) - 1) * scale, 7 * scale
    x0, y0 = (width - text_w) // 2, (height - text_h) // 2

    def pixel(x, y):
        t = y / max(1, height - 1)
        base = tuple(int(a * (1 - t) + b * t) for a, b in zip(top, bottom))
        cx, cy = (x - x0) // scale, (y - y0) // scale
        if 0 <= cy < 7 and 0 <= cx < 6 * len(initials) and x >= x0 and y >= y0 and cx % 6 < 5:
            if FONT.get(initials[cx // 6], '0' * 35)[cy * 5 + cx % 6] == '1':
                return (255, 255, 255)
        return base
    return png(width, height, pixel)


if __name__ == '__main__':
    if len(sys.argv) not in (3, 5):
        sys.exit(__doc__)
    w, h = (int(sys.argv[3]), int(sys.argv[4])) if len(sys.argv) == 5 else (120, 180)
    with open(sys.argv[2], 'wb') as f:
        f.write(poster(sys.argv[1], w, h))
