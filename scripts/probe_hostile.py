#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Hostile-input probe of an `hgq` binary, as a careless or hostile user would try it.

    python3 scripts/probe_hostile.py [--hgq build/app/hgq] [--mutants 600] [--seed 1]

Runs hand-made cases (bad studies, exports, options, data sets, signals) and mutated CSV and NPY
files, and sorts every outcome into: clean (exit 1/2 with an `hgq: error:` message naming the
problem, or a correct success), crash (a signal or "internal error"), hang (no exit in 30 s),
wrong (a success where the input was bad: a silently wrong result) and lost (a study or a user's
file damaged or overwritten). Prints one table. It is a measurement tool, not a test: the tests
(test_cli_hostile, test_store_damage, the fuzzers) hold the fixes.
"""
import argparse
import os
import random
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIGITS = os.path.join(ROOT, "resources", "examples", "digits_mlp.json")
TIMEOUT = 30


class Probe:
    def __init__(self, hgq, work):
        self.hgq, self.work = hgq, work
        self.rows = []  # (group, case, outcome, detail)
        self.env = dict(os.environ, HGQ_RESOURCES=os.path.join(ROOT, "resources"))

    def path(self, name):
        return os.path.join(self.work, name)

    def run(self, args, timeout=TIMEOUT):
        try:
            p = subprocess.run([self.hgq] + args, capture_output=True, text=True, errors="replace",
                               timeout=timeout, env=self.env, cwd=self.work,
                               stdin=subprocess.DEVNULL)
            return p.returncode, p.stdout, p.stderr
        except subprocess.TimeoutExpired:
            return None, "", ""

    def judge(self, group, case, args, bad=True, after=None, timeout=TIMEOUT):
        """bad: the input is wrong, so a success is a silently wrong result (None: unknown,
        as for a mutated file that may still be valid)."""
        code, out, err = self.run(args, timeout)
        if code is None:
            outcome = "hang"
        elif code < 0 or "internal error" in err:
            outcome = "crash"
        elif code == 0:
            outcome = "wrong" if bad else ("accepted" if bad is None else "clean")
        elif code in (1, 2) and (err.startswith("hgq: error:") or "Run with --help" in err):
            outcome = "clean"
        else:
            outcome = "crash"  # another exit code, or no message
        lost = after() if after else ""
        if lost:
            outcome = "lost"
        last = (lost or err or out).strip().splitlines()
        self.rows.append((group, case, outcome, last[-1][:150] if last else ""))
        return code, out, err

    # ---- fixtures -------------------------------------------------------------------------
    def study(self, name="s.sqlite", epochs="12"):
        path = self.path(name)
        if not os.path.exists(path):
            code, _, err = self.run(["train", DIGITS, "--epochs", epochs, "--db", path])
            if code != 0:
                sys.exit("cannot make the probe's study: " + err)
        return path


def sound(path, runs=None):
    """'' if the study is an intact SQLite study with at least `runs` runs, else what is wrong."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        if con.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            return "integrity_check failed"
        n = con.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
        return "" if runs is None or n >= runs else f"runs lost ({n})"
    except sqlite3.Error as e:
        return f"study unreadable: {e}"


def csv_text(rows, classes, features=8, rnd=None):
    rnd = rnd or random.Random(0)
    head = ",".join(f"f{i}" for i in range(features)) + ",class\n"
    body = "".join(",".join(f"{rnd.random():.4f}" for _ in range(features)) + f",{r % classes}\n"
                   for r in range(rows))
    return head + body


def npy_bytes(shape, dtype="<f4", values=None):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (
        dtype, "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")")
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    n = 1
    for s in shape:
        n *= s
    fmt = {"<f4": "f", "<f8": "d", "<i8": "q", "<i4": "i", "|u1": "B"}.get(dtype, "f")
    if n >= 10 ** 7:  # a header that promises more than the file holds
        return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode()
    values = values if values is not None else [(i % 7) * 0.5 for i in range(n)]
    data = struct.pack("<" + fmt * n, *values)
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + data


def tiny_config(probe, data_block, classes=3):
    import json
    cfg = {"name": "probe", "data": data_block,
           "model": [{"layer": "input_quantizer"}, {"layer": "dense", "units": classes}],
           "training": {"epochs": 1, "batch_size": 16, "threads": 1}}
    path = probe.path(f"cfg-{abs(hash(str(data_block))) % 10 ** 8}.json")
    with open(path, "w") as f:
        json.dump(cfg, f)
    return path


def study_cases(p):
    s = p.study()
    for name in ["victim.sqlite", "victim.sqlite-wal"]:
        victim = p.path("victim.sqlite")
        shutil.copy(s, victim)
        p.judge("study", f"export-csv onto {name}",
                ["study", "export-csv", p.path(name), "--db", victim],
                after=lambda: sound(victim, 1))
    with open(p.path("mine.json"), "w") as f:
        f.write('{"mine": 1}\n')
    p.judge("study", "export-csv onto an existing file",
            ["study", "export-csv", p.path("mine.json"), "--db", s],
            after=lambda: "" if open(p.path("mine.json")).read() == '{"mine": 1}\n'
            else "mine.json overwritten")
    for drop in ["DROP TABLE epochs", "DROP TABLE checkpoints", "ALTER TABLE runs DROP COLUMN seed"]:
        d = p.path("damaged.sqlite")
        shutil.copy(s, d)
        con = sqlite3.connect(d)
        con.execute(drop)
        con.commit()
        con.close()
        for cmd in (["runs"], ["pareto"], ["inspect", "--point", "1"]):
            p.judge("study", f"{cmd[0]} after {drop}", cmd + ["--db", d])
        os.remove(d)
    os.mkfifo(p.path("fifo.sqlite"))
    p.judge("study", "a FIFO as study", ["runs", "--db", p.path("fifo.sqlite")], timeout=10)
    open(p.path("empty.sqlite"), "w").close()
    p.judge("study", "an empty file as study", ["pareto", "--db", p.path("empty.sqlite")])
    with open(p.path("garbage.sqlite"), "wb") as f:
        f.write(os.urandom(5000))
    p.judge("study", "random bytes as study", ["runs", "--db", p.path("garbage.sqlite")])
    p.judge("study", "a folder as study", ["runs", "--db", p.work])
    keep = lambda: sound(s, 1)
    p.judge("study", "import-csv /dev/zero", ["study", "import-csv", "/dev/zero", "--db", s],
            timeout=20, after=keep)
    p.judge("study", "merge the study into itself", ["study", "merge", s, "--db", s], after=keep)


def export_cases(p):
    s = p.study()
    out = p.path("ex")
    for opts in (["--name", "int"], ["--name", "main"], ["--name", "dense1"],
                 ["--name", "x" * 5000], ["--part", "xc7[exec touch X]"],
                 ["--clock-ns", "nan"], ["--clock-ns", "inf"]):
        p.judge("export", " ".join(opts)[:40], ["export", "--point", "1", "--out", out,
                                                  "--db", s] + opts)
        shutil.rmtree(out, ignore_errors=True)
    p.run(["export", "--point", "1", "--out", out, "--db", s])
    with open(os.path.join(out, "stale.txt"), "w") as f:
        f.write("old")
    p.judge("export", "--force leaves no stale files",
            ["export", "--point", "1", "--out", out, "--force", "--db", s], bad=False,
            after=lambda: "stale.txt kept" if os.path.exists(os.path.join(out, "stale.txt"))
            else "")
    for name in ("tb_input_codes.dat", "tb_output_codes.dat"):
        f = os.path.join(out, "tb_data", name)
        lines = open(f).read().splitlines()
        open(f, "w").write("\n".join(lines[:9]) + "\n")
    p.judge("export", "verify with cut test vectors", ["verify", out], timeout=120)


def option_cases(p):
    s = p.study()
    p.judge("options", "--seed 99999999999999999999",
            ["train", DIGITS, "--epochs", "1", "--seed", "99999999999999999999", "--db", s])
    p.judge("options", "config /dev/zero", ["train", "/dev/zero", "--db", s], timeout=20)
    p.judge("options", "config is a folder", ["train", p.work, "--db", s])
    p.judge("options", "--data x.npy without labels",
            ["train", DIGITS, "--data", p.path("x.npy"), "--db", s])
    for key, value in [("epochs", 1e300), ("batch_size", -5), ("threads", 10 ** 12)]:
        import json
        cfg = json.load(open(DIGITS))
        cfg["training"][key] = value
        path = p.path(f"opt-{key}.json")
        json.dump(cfg, open(path, "w"))
        code, out, err = p.judge("options", f"training.{key} = {value}", ["train", path, "--db", s])
        if len(err) > 400:
            p.rows[-1] = ("options", f"training.{key} = {value}", "wrong", "message of "
                          f"{len(err)} characters")


def data_cases(p):
    s = p.study()
    cases = {
        "zero features (NPY (300, 0))": (npy_bytes((300, 0)), npy_bytes((300,), "<i8", [0] * 300)),
        "NPY shape (2^61, 1), no data": (npy_bytes((2 ** 61, 1)), npy_bytes((3,), "<i8", [0, 1, 2])),
        "NPY descr '<f99999999999'": (npy_bytes((3, 2)).replace(b"<f4", b"<f99999999999"),
                                      npy_bytes((3,), "<i8", [0, 1, 2])),
        "NPY label 2^40": (npy_bytes((3, 2)), npy_bytes((3,), "<i8", [0, 1, 2 ** 40])),
    }
    for name, (x, y) in cases.items():
        open(p.path("x.npy"), "wb").write(x)
        open(p.path("y.npy"), "wb").write(y)
        cfg = tiny_config(p, {"source": "npy", "path": p.path("x.npy"), "labels": p.path("y.npy")})
        p.judge("data", name, ["train", cfg, "--db", s])
    texts = {"1 row": csv_text(1, 1), "one class": csv_text(200, 1),
             "label 2147483647": csv_text(20, 3) + "0,0,0,0,0,0,0,0,2147483647\n",
             "label 100000000": csv_text(20, 3) + "0,0,0,0,0,0,0,0,100000000\n"}
    for name, text in texts.items():
        open(p.path("d.csv"), "w").write(text)
        p.judge("data", name, ["train", tiny_config(p, {"source": "csv", "path": p.path("d.csv")}),
                               "--db", s])
    idx = struct.pack(">HBB", 0, 0x08, 3) + struct.pack(">III", 65536, 1 << 24, 1 << 24)
    open(p.path("i.idx"), "wb").write(idx)
    open(p.path("l.idx"), "wb").write(struct.pack(">HBBI", 0, 0x08, 1, 1) + b"\x00")
    p.judge("data", "IDX dims overflow", ["train", tiny_config(
        p, {"source": "idx", "path": p.path("i.idx"), "labels": p.path("l.idx")}), "--db", s])
    os.mkfifo(p.path("data.fifo.csv"))
    p.judge("data", "a FIFO as data", ["train", DIGITS, "--data", p.path("data.fifo.csv"),
                                       "--db", s], timeout=15)


def mutate(data, rnd):
    b = bytearray(data)
    for _ in range(rnd.randint(1, 4)):
        op = rnd.randrange(5)
        i = rnd.randrange(max(1, len(b)))
        if op == 0 and b:
            b[i] = rnd.randrange(256)
        elif op == 1:
            b[i:i] = rnd.choice([b"nan", b"1e400", b",", b"\n", b"\"", b"-", b"9" * 30, b"\x00"])
        elif op == 2:
            del b[i:i + rnd.randint(1, 16)]
        elif op == 3:
            b = b[:i]
        else:
            j = rnd.randrange(max(1, len(b)))
            b[i:i] = b[j:j + rnd.randint(1, 40)]
    return bytes(b)


def mutant_cases(p, count, rnd):
    s = p.study()
    seeds = {"csv": csv_text(120, 3, rnd=rnd).encode(),
             "npy": npy_bytes((120, 8))}
    ylab = npy_bytes((120,), "<i8", [i % 3 for i in range(120)])
    open(p.path("y.npy"), "wb").write(ylab)
    for fmt, seed in seeds.items():
        block = ({"source": "csv", "path": p.path("m.csv")} if fmt == "csv" else
                 {"source": "npy", "path": p.path("m.npy"), "labels": p.path("y.npy")})
        cfg = tiny_config(p, block)
        for k in range(count):
            open(p.path(f"m.{fmt}"), "wb").write(mutate(seed, rnd))
            p.judge(f"mutated {fmt.upper()}", str(k), ["train", cfg, "--db", s], bad=None,
                    after=lambda: sound(s, 1), timeout=20)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hgq", default=os.path.join(ROOT, "build", "app", "hgq"))
    ap.add_argument("--mutants", type=int, default=600, help="mutated files per format")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    work = tempfile.mkdtemp(prefix="hgq-probe-")
    p = Probe(os.path.abspath(a.hgq), work)
    t0 = time.time()
    for group in (study_cases, export_cases, option_cases, data_cases):
        group(p)
    mutant_cases(p, a.mutants, rnd)
    outcomes = ["clean", "accepted", "crash", "hang", "wrong", "lost"]
    print(f"{'group':<16}{'tried':>7}" + "".join(f"{o:>10}" for o in outcomes))
    for group in dict.fromkeys(r[0] for r in p.rows):
        rows = [r for r in p.rows if r[0] == group]
        print(f"{group:<16}{len(rows):>7}" +
              "".join(f"{sum(r[2] == o for r in rows):>10}" for o in outcomes))
    print(f"{'all':<16}{len(p.rows):>7}" +
          "".join(f"{sum(r[2] == o for r in p.rows):>10}" for o in outcomes))
    print(f"\n{time.time() - t0:.0f} s; not clean:")
    for g, c, o, d in p.rows:
        if o not in ("clean", "accepted"):
            print(f"  [{o}] {g}: {c}: {d}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
