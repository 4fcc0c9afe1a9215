#!/usr/bin/env python3
"""Issue 17's measurements: how well the β controller tracks EBOPs targets, and what it buys.

  python3 scripts/measure_budget.py digits          # targets 1k/3k/10k vs the β-ramp demo
  python3 scripts/measure_budget.py sweeps          # target sweep vs β sweep, front hypervolume
  python3 scripts/measure_budget.py one CONFIG T [hgq train options...]   # one target

Tracking = median training EBOPs over the last 20 % of epochs ÷ target. "best ≤ T" = the best
integer-model test accuracy of a deployed point with exact EBOPs ≤ T. Hypervolume: the area the
front dominates in (log10 EBOPs, test accuracy) up to the reference (30,000 EBOPs, 10 %).
Studies go to a temporary folder; nothing in the repository is written.
"""
import json, math, os, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HGQ = os.environ.get("HGQ", os.path.join(ROOT, "build", "app", "hgq"))
EX = os.path.join(ROOT, "resources", "examples")
WORK = tempfile.mkdtemp(prefix="hgq-budget-")
ENV = dict(os.environ, HGQ_RESOURCES=os.path.join(ROOT, "resources"))


def hgq(args, db):
    t = time.time()
    out = subprocess.run([HGQ] + args + ["--db", os.path.join(WORK, db), "--json"],
                         capture_output=True, text=True, env=ENV)
    if out.returncode:
        sys.exit(out.stderr)
    return [json.loads(l) for l in out.stdout.splitlines() if l.startswith("{")], time.time() - t


def epochs(lines):
    return [l for l in lines if l.get("event") == "epoch"]


def points(lines):
    return [p for l in lines if l.get("event") == "done" for p in l["points"]]


def tracking(lines, target):
    e = epochs(lines)
    return statistics.median(x["ebops"] for x in e[int(len(e) * 0.8):]) / target


def best_under(pts, t):
    return max([p["test_accuracy"] for p in pts if p["ebops"] <= t] or [0])


def front(pts):
    out, best = [], -1
    for p in sorted(pts, key=lambda p: (p["ebops"], -p["test_accuracy"])):
        if p["test_accuracy"] > best:
            best = p["test_accuracy"]
            out.append(p)
    return out


def hypervolume(pts, ref_ebops=30000, ref_acc=0.1):
    f = [p for p in front(pts) if 0 < p["ebops"] < ref_ebops and p["test_accuracy"] > ref_acc]
    area = 0.0
    for k, p in enumerate(f):
        right = math.log10(ref_ebops / f[k + 1]["ebops"]) if k + 1 < len(f) else 0
        area += (math.log10(ref_ebops / p["ebops"]) - right) * (p["test_accuracy"] - ref_acc)
    return area


def digits():
    cfg = os.path.join(EX, "digits_mlp.json")
    ramp, sec = hgq(["train", cfg, "--threads", "1"], "ramp.sqlite")
    print("β-ramp demo: %.1f s, %d points" % (sec, len(points(ramp))))
    for t in (1000, 3000, 10000):
        lines, sec = hgq(["train", cfg, "--threads", "1", "--target-ebops", str(t)], "t%d.sqlite" % t)
        print("target %6d: tracking %.3f, best ≤ target %.2f %% (ramp %.2f %%), %.1f s" %
              (t, tracking(lines, t), 100 * best_under(points(lines), t),
               100 * best_under(points(ramp), t), sec))


def sweeps():
    cfg = os.path.join(EX, "digits_mlp.json")
    for name, args, db in [("targets 500:15000:5", ["--targets", "500:15000:5"], "ts.sqlite"),
                           ("β ramp 1e-5:3e-3:5", ["--betas", "1e-5:3e-3:5", "--beta-shape", "ramp"],
                            "bs.sqlite")]:
        _, sec = hgq(["sweep", cfg, "--parallel", "2"] + args, db)
        lines, _ = hgq(["pareto", "--all"], db)
        pts = [l for l in lines if l.get("event") == "point"]
        print("%s: %.1f s, %d points, %d on the front, hypervolume %.4f" %
              (name, sec, len(pts), len(front(pts)), hypervolume(pts)))


def one(cfg, target, extra):
    lines, sec = hgq(["train", cfg, "--target-ebops", str(int(target))] + extra, "one.sqlite")
    print("%s target %d: %d epochs, tracking %.3f, best ≤ target %.2f %%, %.0f s" %
          (os.path.basename(cfg), target, len(epochs(lines)), tracking(lines, target),
           100 * best_under(points(lines), target), sec))


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "digits"
    if what == "digits":
        digits()
    elif what == "sweeps":
        sweeps()
    elif what == "one" and len(sys.argv) >= 4:
        one(sys.argv[2], float(sys.argv[3]), sys.argv[4:])
    else:
        sys.exit(__doc__)
