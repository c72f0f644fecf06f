#!/usr/bin/env python3
"""SHA-256 of the pixels Pillow decodes (mode L) for every JPEG of testdata/data/mimic-cxr-sample/files.
Run from this folder: python3 decode_hashes.py ../../../../../testdata/data/mimic-cxr-sample > decode_hashes.json
(The hashes were computed on the full 137-image sample with Pillow 9.4.0; the file keeps the entries of the 24 images
that testdata/ holds, unchanged.)"""
import hashlib
import json
import os
import sys

from PIL import Image

root = sys.argv[1]
out = {}
for d, _, files in sorted(os.walk(os.path.join(root, 'files'))):
    for f in sorted(files):
        if f.endswith('.jpg'):
            p = os.path.join(d, f)
            with Image.open(p) as im:
                assert im.mode == 'L', (p, im.mode)
                out[os.path.relpath(p, root)] = [im.size[0], im.size[1], hashlib.sha256(im.tobytes()).hexdigest()]
# The "truncated" entry was added by hand: the first int(0.6 * len) bytes of one file, decoded with
# ImageFile.LOAD_TRUNCATED_IMAGES = True.
json.dump(dict(generator='Pillow ' + Image.__version__, images=out), sys.stdout, indent=0, sort_keys=True)
