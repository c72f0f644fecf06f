#!/usr/bin/env python3
"""Reference outputs for the Java image pipeline (org.lovt.data.image), made with Pillow and torchvision.

Generated with Debian bookworm's python3-pil 9.4.0 and python3-torchvision 0.14.1 (torch 1.13.1); the functional
ops used here (PIL resize/transform/ImageEnhance, torchvision's PIL affine and tensor gaussian_blur) have the same
semantics as in torchvision 0.11, which the original LoVT used. Run from this folder: python3 generate.py
The input is a synthetic image defined by integer arithmetic (SyntheticImage.java computes the same pixels).
"""
import gzip
import hashlib
import json
import sys

import torch
import torchvision
import torchvision.transforms.functional as F
from PIL import Image, ImageEnhance


def synthetic(w, h):
    px = bytearray(w * h)
    for y in range(h):
        for x in range(w):
            v = (x * 200) // w + (y * 50) // h
            if (x // 37 + y // 29) % 2 == 0:
                v = v // 2 + 100
            n = (((x * 1103515245 + y * 12345 + x * y * 2654435761) & 0xFFFFFFFF) >> 7) & 31
            px[y * w + x] = min(255, max(0, v + n - 16))
    return Image.frombytes('L', (w, h), bytes(px))


W, H = 613, 457
src = synthetic(W, H)
cases = []


def save(name, img, **params):
    data = img.tobytes()
    with gzip.GzipFile(name + '.u8.gz', 'wb', mtime=0) as f:
        f.write(data)
    cases.append(dict(name=name, width=img.size[0], height=img.size[1], sha256=hashlib.sha256(data).hexdigest(),
                      **params))


def pad_to_square(img):
    w, h = img.size
    m = max(w, h)
    return F.pad(img, [int((m - w) / 2), int((m - h) / 2)])


BIL = F.InterpolationMode.BILINEAR
NEAR = F.InterpolationMode.NEAREST

# Resizes (Pillow's anti-aliased bilinear), incl. upscaling and non-square targets.
save('resize_full', src.resize((224, 224), Image.BILINEAR), op='resize', out=[224, 224])
for name, (i, j, h, w), out in [('crop_resize_a', (11, 37, 401, 500), (128, 128)),
                                ('crop_resize_b', (50, 100, 120, 150), (128, 128)),
                                ('crop_resize_c', (0, 0, 457, 613), (96, 160)),
                                ('crop_resize_d', (3, 5, 224, 224), (224, 224))]:
    save(name, F.resized_crop(src, i, j, h, w, [out[0], out[1]], BIL), op='resized_crop', crop=[i, j, h, w],
         out=list(out))
save('pad_resize', F.resize(pad_to_square(src), [224, 224], BIL), op='pad_resize', out=[224, 224])
tall = synthetic(301, 522)
save('pad_resize_tall', F.resize(pad_to_square(tall), [224, 224], BIL), op='pad_resize', out=[224, 224],
     input=[301, 522])
save('center_crop', F.center_crop(F.resize(src, 246, BIL), [224, 224]), op='center_crop', out=[224, 224])

# Photometric and affine ops on a small non-square image (keeps the files small; the ops are size-generic).
base = src.resize((131, 97), Image.BILINEAR)
for k, (angle, tx, ty, scale) in enumerate([(13.7, 5, -9, 1.03), (-19.2, -22, 22, 0.951), (0.0, 7, 3, 1.0),
                                             (0.0, -4, 11, 1.04), (90.0, 0, 0, 1.0), (-3.3, 0, 0, 0.95)]):
    save('affine_%d' % k, F.affine(base, angle, [tx, ty], scale, [0.0, 0.0], NEAR, 0), op='affine',
         angle=angle, tx=tx, ty=ty, scale=scale)
for f in [0.6, 0.63, 0.999, 1.0, 1.37, 1.4]:
    save('brightness_%s' % f, F.adjust_brightness(base, f), op='brightness', factor=f)
    save('contrast_%s' % f, F.adjust_contrast(base, f), op='contrast', factor=f)
for s in [0.1, 0.77, 1.9, 3.0]:
    save('blur_%s' % s, F.gaussian_blur(base, [23, 23], [s, s]), op='blur', kernel=23, sigma=s)

# The whole training chain with fixed parameters, as ScanDataTransform composes it.
for k, p in enumerate([dict(crop=[20, 31, 400, 520], flip=True, angle=-11.4, tx=-7, ty=16, scale=1.012,
                            brightness=1.23, contrast=0.71, brightness_first=True, sigma=2.2),
                       dict(crop=[0, 100, 457, 401], flip=False, angle=17.9, tx=20, ty=-3, scale=0.96,
                            brightness=0.66, contrast=1.35, brightness_first=False, sigma=0.4)]):
    img = F.resized_crop(src, *p['crop'], [224, 224], BIL)
    if p['flip']:
        img = F.hflip(img)
    img = F.affine(img, p['angle'], [p['tx'], p['ty']], p['scale'], [0.0, 0.0], NEAR, 0)
    if p['brightness_first']:
        img = F.adjust_contrast(F.adjust_brightness(img, p['brightness']), p['contrast'])
    else:
        img = F.adjust_brightness(F.adjust_contrast(img, p['contrast']), p['brightness'])
    img = F.gaussian_blur(img, [23, 23], [p['sigma'], p['sigma']])
    save('chain_%d' % k, img, op='chain', **p)

with open('cases.json', 'w') as f:
    json.dump(dict(generator='Pillow %s, torchvision %s, torch %s' % (Image.__version__, torchvision.__version__,
                                                                     torch.__version__),
                   synthetic=[W, H], cases=cases), f, indent=1)
print(len(cases), 'cases', file=sys.stderr)
