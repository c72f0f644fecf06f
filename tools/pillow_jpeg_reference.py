#!/usr/bin/env python3
"""Prints the sha256 of Pillow's quality-75 JPEG (Image.save(..., quality=75), Pillow's defaults otherwise) of the
integer test images that ImageCodecJpegTest builds, so the test can check that our JPEG bytes are Pillow's.

Run with any Python that has Pillow and numpy:  python3 tools/pillow_jpeg_reference.py
"""
import hashlib
import io

import numpy as np
from PIL import Image


def image(w, h, seed):
    # Same integer recipe as ImageCodecJpegTest.image: a smooth pattern plus a 32-bit LCG's noise.
    out = np.zeros((h, w), np.uint8)
    state = seed & 0xFFFFFFFF
    for y in range(h):
        for x in range(w):
            state = (state * 1664525 + 1013904223) & 0xFFFFFFFF
            v = (x * 3 + y * 5 + ((x * y) % 61)) % 200 + (state >> 27)
            out[y, x] = min(255, v)
    return out


for (w, h, seed) in [(257, 301, 1), (64, 64, 2), (1, 1, 3), (1000, 3, 4), (17, 9, 5)]:
    buf = io.BytesIO()
    Image.fromarray(image(w, h, seed)).save(buf, format="JPEG", quality=75)
    print(w, h, seed, hashlib.sha256(buf.getvalue()).hexdigest())
