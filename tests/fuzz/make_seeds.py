#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Writes the seed corpora in tests/fuzz/corpus/<target>/: a few valid files of each format and a
# few interesting invalid ones, each well under 4 KiB, in the input layout each target expects
# (fuzz_util.h: csv/arff take an options byte first; npy/idx a 2-byte length and flag, then
# two files).
# Crash reproducers found by scripts/fuzz.sh are added beside them by hand (regression-*).
import gzip
import os
import shutil
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")


def put(target, name, data):
    os.makedirs(os.path.join(CORPUS, target), exist_ok=True)
    assert len(data) < 4096, name
    with open(os.path.join(CORPUS, target, name), "wb") as f:
        f.write(data)


def pair(a, b, flag=False):
    return struct.pack("<H", len(a) | (0x8000 if flag else 0)) + a + b


def npy(descr, shape, data=b"", major=1):
    h = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape)
    lb = 2 if major == 1 else 4
    while (8 + lb + len(h) + 1) % 64:
        h += " "
    h += "\n"
    return b"\x93NUMPY" + bytes([major, 0]) + len(h).to_bytes(lb, "little") + h.encode() + data


def be(*v):
    return b"".join(struct.pack(">I", x) for x in v)


def csv_seeds():
    put("csv", "valid-int", b"\x00a,b,label\n1,2,0\n3,4,1\n5.5,-6e-3,2\n")
    put("csv", "valid-strings", b"\x00f1, f2 ,kind\n1,2,cat\r\n3,4,dog\n5,\"6\",cat\n\n")
    put("csv", "valid-noheader", b"\x011,2,0\n3,4,1\n")
    put("csv", "valid-order", b"\x10a,y\n1,a\n2,b\n3,c\n")
    put("csv", "valid-gz", b"\x00" + gzip.compress(b"a,y\n1,0\n2,1\n", mtime=0))
    put("csv", "bad-range", b"\x08a,y\n1,0\n2,12\n")
    put("csv", "bad-float32", b"\x00a,y\n1e308,0\n")
    put("csv", "bad-intmax", b"\x00a,y\n1,0\n2,2147483647\n")
    put("csv", "bad-ragged", b"\x00a,b,y\n1,2,0\n3,4\n")
    put("csv", "bad-nan", b"\x00a,b,y\n1,nan,0\n")


def arff_seeds():
    jets = (b"% a comment\n@RELATION jets\n@attribute 'zlogz' numeric\n"
            b"@attribute \"c1 b0\" REAL\n@attribute class {g,q,t,w,z}\n@data\n"
            b"1.5,2,g\n% mid comment\n-1,0.25,t\n3,4,w\n")
    put("arff", "valid-jets", b"\x00" + jets)
    put("arff", "valid-jets-order", b"\x04" + jets)
    put("arff", "valid-numeric-class",
        b"\x00@relation r\n@attribute a numeric\n@attribute class integer\n@data\n1,2\n3,0\n")
    put("arff", "bad-sparse", b"\x00@relation x\n@attribute a numeric\n"
        b"@attribute class {0,1}\n@data\n{0 1}\n")
    put("arff", "bad-missing", b"\x00@relation x\n@attribute a numeric\n"
        b"@attribute class {x,y}\n@data\n1,x\n2,?\n")
    put("arff", "bad-string", b"\x00@relation r\n@attribute s string\n@attribute class {x,y}\n"
        b"@data\nab,x\n")


def npy_seeds():
    y2 = npy("<i8", "(2,)", struct.pack("<2q", 1, 0))
    put("npy", "valid-f4", pair(npy("<f4", "(2, 2)", struct.pack("<4f", 1.5, -2, 0.25, 8)), y2))
    put("npy", "valid-u1", pair(npy("|u1", "(2, 2)", b"\x01\x02\x03\xff"),
                                npy("|u1", "(2,)", b"\x01\x00")))
    put("npy", "valid-f8-3d-v2", pair(npy("<f8", "(2, 1, 2)", struct.pack("<4d", 1, 2, 3, -4), 2),
                                      npy("<i4", "(2,)", struct.pack("<2i", 0, 3), 3)))
    put("npy", "valid-noorder", pair(npy("f4", "(2, 1)", struct.pack("<2f", 1, 2)), y2))
    put("npy", "valid-gz", pair(gzip.compress(npy("<f4", "(2, 1)", struct.pack("<2f", 1, 2)),
                                              mtime=0), y2))
    put("npy", "bad-zero-features", pair(npy("<f4", "(2, 0)"), y2))
    put("npy", "bad-huge-shape", pair(npy("<f4", "(2305843009213693952, 1)"), y2))
    put("npy", "bad-dtype", pair(npy("<f99999999999", "(2, 1)"), y2))
    put("npy", "valid-10-classes", pair(npy("<f4", "(2, 1)", struct.pack("<2f", 1, 2)), y2, True))
    put("npy", "bad-label", pair(npy("<f4", "(2, 1)", struct.pack("<2f", 1, 2)),
                                 npy("<i8", "(2,)", struct.pack("<2q", 0, 1 << 40))))


def idx_seeds():
    img = be(0x803, 2, 2, 3) + bytes([0, 1, 2, 3, 4, 5, 255, 16, 32, 48, 64, 80])
    lab = be(0x801, 2) + b"\x07\x02"
    put("idx", "valid-3d", pair(img, lab))
    put("idx", "valid-10-classes", pair(img, lab, flag=True))
    put("idx", "valid-flat", pair(be(0x802, 2, 3) + bytes(range(1, 7)), be(0x801, 2) + b"\x00\x02"))
    put("idx", "valid-gz", pair(gzip.compress(img, mtime=0), gzip.compress(lab, mtime=0)))
    put("idx", "bad-overflow", pair(be(0x803, 65536, 1 << 24, 1 << 24), lab))
    put("idx", "bad-zero", pair(be(0x803, 2, 0, 0), lab))
    put("idx", "bad-truncated", pair(be(0x803, 2, 2, 3) + b"\x01" * 5, lab))


def config_seeds():
    examples = os.path.join(HERE, "..", "..", "resources", "examples")
    for name in sorted(os.listdir(examples)):
        shutil.copy(os.path.join(examples, name), os.path.join(CORPUS, "config", "valid-" + name))
    put("config", "valid-csv", b'{"data": {"source": "csv", "path": "x.csv", "label_column": "y",'
        b' "label_order": ["a", "b"], "limit": 10}, "model": [{"layer": "input_quantizer"},'
        b' {"layer": "conv1d", "filters": 4, "kernel_size": 3, "padding": "same"},'
        b' {"layer": "maxpool1d"}, {"layer": "flatten"}, {"layer": "dense", "units": 3}]}')
    put("config", "bad-syntax", b'{"data": {"source": "digits"},\n "model": [}')
    put("config", "bad-field", b'{"data": {"source": "digits"}, "model": [{"layer": "dense",'
        b' "unit": 3}]}')
    put("config", "bad-range", b'{"data": {"source": "digits"}, "split": {"validation": 2},'
        b' "model": [{"layer": "dense", "units": 99999999999}]}')


if __name__ == "__main__":
    os.makedirs(os.path.join(CORPUS, "config"), exist_ok=True)
    csv_seeds()
    arff_seeds()
    npy_seeds()
    idx_seeds()
    config_seeds()
