#!/usr/bin/python3
"""bench/bench_logs.py -- what bench/bench_report.py reads from the solvers:
glpsol's and CBC's logs (status, seconds, objective, bound, nodes), and the
MPS files for CBC's stages 2 and 3 built from capmatch's --export-model
(each proven optimum the next stage's limit row, with capmatch's
tolerance). Python 3 standard library only."""
import os
import shutil


def read_text(path, limit=None):
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read() if limit is None else fh.read(limit)
    except OSError:
        return ""


def num(s):
    try:
        v = float(s)
    except (TypeError, ValueError):
        return None
    return v if v == v and abs(v) != float("inf") else None


def rel_gap(obj, bound):
    """|bound - obj| / |obj|, as GLPK and capmatch's summary.json define it."""
    if obj is None or bound is None:
        return None
    if abs(obj) < 1e-9:
        return 0.0 if abs(bound) < 1e-9 else None
    return abs(bound - obj) / abs(obj)


# ------------------------------------------------------------- glpsol log
def parse_glpsol(log):
    """Status, solver seconds, objective, bound, nodes and size from a glpsol
    log (stage 1 of models/capmatch.mod)."""
    out = {"status": "error"}
    for text, st in (("INTEGER OPTIMAL SOLUTION FOUND", "optimal"),
                     ("TIME LIMIT EXCEEDED", "time_limit"),
                     ("PROBLEM HAS NO INTEGER FEASIBLE SOLUTION", "infeasible"),
                     ("PROBLEM HAS NO PRIMAL FEASIBLE SOLUTION", "infeasible"),
                     ("MathProg model processing error", "model_error"),
                     ("OPTIMAL SOLUTION FOUND BY LP PREPROCESSOR", "optimal"),
                     ("OPTIMAL LP SOLUTION FOUND", "optimal")):
        if text in log:
            out["status"] = st
            break
    last = None
    for line in log.splitlines():
        s = line.strip()
        if s.startswith("+") and ":" in s and "<=" in s and s.endswith(")"):
            last = s
        elif s.startswith("Time used:"):
            out["seconds"] = num(s.split()[2])
        elif "rows" not in out and s.endswith("non-zeros") and " rows, " in s:
            p = s.replace(",", "").split()
            if len(p) >= 4 and p[1] == "rows" and p[3] == "columns":
                out["rows"], out["cols"] = int(p[0]), int(p[2])
        elif "ints" not in out and s.endswith("binary") and "integer variables" in s:
            out["ints"] = int(s.split()[0])
    if last:
        # "+ 18800: mip =   6.51e+02 <=   6.52e+02   0.2% (5040; 1190)"
        # "+   297: mip =     not found yet <=   +inf   (1; 0)"
        # "+  1234: >>>>>   6.51e+02 <=   tree is empty   0.0% (0; 77)"
        body = last.split(":", 1)[1]
        left, right = body.split("<=", 1)
        left = left.replace("mip =", "").replace(">>>>>", "").strip()
        paren = right[right.rindex("(") + 1:-1].split(";")
        right = right[:right.rindex("(")].split()
        out["objective"] = num(left)
        out["bound"] = num(right[0]) if right else None
        try:
            out["nodes"] = int(paren[0]) + int(paren[1])   # active + done
        except (ValueError, IndexError):
            pass
    if out["status"] == "optimal" and out.get("objective") is not None:
        out["bound"] = out["objective"]
    return out


# ------------------------------------------------------------- cbc
def cbc_sense(path):
    """'max' unless the MPS file says OBJSENSE MIN, or has no OBJSENSE and
    an objective whose coefficients are all <= 0 (a maximisation written
    negated). GLPK's MPS writer drops the sense; cbc ignores OBJSENSE."""
    objrow = None
    pos = neg = 0
    section = None
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if not line.strip() or line.startswith("*"):
                    continue
                if not line[0].isspace():
                    section = line.split()[0].upper()
                    continue
                p = line.split()
                if section == "OBJSENSE":
                    return "min" if p[0].upper().startswith("MIN") else "max"
                if section == "ROWS" and p[0].upper() == "N" and objrow is None:
                    objrow = p[1]
                elif section == "COLUMNS" and objrow is not None and "'MARKER'" not in p:
                    for i in range(1, len(p) - 1, 2):
                        if p[i] == objrow:
                            v = num(p[i + 1]) or 0.0
                            pos += v > 0
                            neg += v < 0
                elif section not in (None, "NAME", "ROWS", "COLUMNS"):
                    break
    except OSError:
        return "max"
    return "min" if neg and not pos else "max"


def free_mps_copy(src, dst):
    """Copies src to dst with the NAME card marked FREE: cbc reads free MPS
    (long names) only then. Returns False when src is missing or cut short."""
    try:
        with open(src, "rb") as fi:
            fi.seek(0, os.SEEK_END)
            if fi.tell() < 6:
                return False
            fi.seek(-min(fi.tell(), 64), os.SEEK_END)
            if b"ENDATA" not in fi.read():
                return False
            fi.seek(0)
            with open(dst, "wb") as fo:
                for line in fi:
                    if line.startswith(b"NAME"):
                        p = line.split()
                        if b"FREE" not in p[2:]:
                            line = b" ".join(p[:2] or [b"NAME"]) + b" FREE\n"
                        fo.write(line)
                        break
                    fo.write(line)
                shutil.copyfileobj(fi, fo, 1 << 20)
    except OSError:
        return False
    return True


def stage_limit(stage, v):
    """The limit row's bound that stage (2 or 3) takes from the previous
    stage's optimum v, with capmatch's tolerance (docs/solver.md, The stages; engine/solve.c):
    score >= v - 1e-7 max(1, |v|), cost <= v + 1e-7 max(1, |v|)."""
    tol = 1e-7 * max(1.0, abs(v))
    return v - tol if stage == 2 else v + tol


def stage_mps(src, dst, stage, limits):
    """Writes stage 2 or 3 of the lexicographic solve as free MPS from the
    model capmatch exports, whose free rows "score", "cost" and "seats" hold
    the three objectives: the stage's objective becomes the first N row (the
    one readers take), the earlier ones limit rows, score >= limits[0] and,
    in stage 3, cost <= limits[1]. Returns False when src lacks those rows."""
    obj = "cost" if stage == 2 else "seats"
    kind = {"score": "G", "cost": "L" if stage == 3 else "N", "seats": "N"}
    rhs = ["score %.17g" % limits[0]] + (["cost %.17g" % limits[1]] if stage == 3 else [])
    seen, out, section = set(), [], None
    try:
        with open(src, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.strip() and not line[0].isspace() and not line.startswith("*"):
                    section = line.split()[0].upper()
                    if section == "NAME":
                        line = " ".join(line.split()[:2] or ["NAME"]) + " FREE\n"
                    out.append(line)
                    if section == "ROWS":
                        out.append(" N %s\n" % obj)
                    elif section == "RHS":
                        out.extend(" RHS1 %s\n" % r for r in rhs)
                    continue
                p = line.split()
                if section == "ROWS" and len(p) == 2 and p[1] in kind and p[0] == "N":
                    seen.add(p[1])
                    if p[1] == obj:
                        continue                     # written first
                    line = " %s %s\n" % (kind[p[1]], p[1])
                out.append(line)
    except OSError:
        return False
    if seen != set(kind) or not out or out[-1].strip() != "ENDATA" \
            or not any(x.strip() == "RHS" for x in out):
        return False
    with open(dst, "w", encoding="utf-8") as fh:
        fh.writelines(out)
    return True


def parse_cbc(log, sense="max"):
    out = {"status": "error"}
    sign = -1.0 if sense == "min" else 1.0      # a negated maximisation
    for line in log.splitlines():
        s = line.strip()
        if s.startswith("Result - "):
            res = s[9:].lower()
            out["status"] = ("optimal" if res.startswith("optimal") else
                             "time_limit" if "time limit" in res else
                             "infeasible" if "infeasible" in res else
                             "unbounded" if "unbounded" in res else
                             "stopped:" + res.replace(" ", "_"))
        elif s.startswith("Objective value:"):
            out["objective"] = num(s.split(":", 1)[1])
        elif s.startswith("Upper bound:") or s.startswith("Lower bound:"):
            out["bound"] = num(s.split(":", 1)[1])
        elif s.startswith("Enumerated nodes:"):
            out["nodes"] = int(num(s.split(":", 1)[1]) or 0)
        elif s.startswith("Time (Wallclock seconds):"):
            out["seconds"] = num(s.split(":", 1)[1])
        elif s.startswith("Problem ") and " rows, " in s and " columns" in s and "rows" not in out:
            p = s.replace(",", "").split()
            try:
                i = p.index("rows")
                out["rows"], out["cols"] = int(p[i - 1]), int(p[i + 1])
            except (ValueError, IndexError):
                pass
        elif s.startswith("No feasible solution"):
            out["objective"] = None
    if out.get("objective") is not None:
        out["objective"] *= sign
        if out["status"] == "optimal":
            out["bound"] = out["objective"]
        elif out.get("bound") is not None:
            out["bound"] *= sign
    return out


# ------------------------------------------------------------- one instance


# ------------------------------------------------------------- capmatch -v
# The buckets of capmatch's "stage N time:" lines (docs/solver.md, "Where a
# stage's time goes"), in the order it prints them, and their column names
# in results.csv (sN_<key>_s).
TIME_BUCKETS = (("lp", "LP"), ("sub", "RENS/LNS"), ("root", "root+cuts"),
                ("heur", "heuristics in search"), ("bb", "B&B"))
# ... and of its "stage N root:" lines, the split of root+cuts (recorded:
# the root's LP and its cut rounds, sN_rootlp_s and sN_cuts_s)
ROOT_PARTS = (("setup", "set-up"), ("rootlp", "LP"), ("cuts", "cut rounds"), ("other", "other"))


def parse_capmatch_times(log):
    """{stage: {"lp": s, "sub": s, "root": s, "heur": s, "bb": s, "total": s}}
    from the "stage N time: LP 1.900 s, …, total 11.400 s" lines of a
    capmatch -v log (the last line of a stage wins: a retried stage prints
    again); a line that does not parse is left out. With a "stage N root:"
    line, also its parts ("setup", "rootlp", "cuts", "other") and "rounds"."""
    out, roots = {}, {}
    for line in log.splitlines():
        for sep, names, want, dest in ((" time: ", TIME_BUCKETS + (("total", "total"),), 6, out),
                                       (" root: ", ROOT_PARTS, 4, roots)):
            head, got, body = line.partition(sep)
            p = head.split()
            if got and len(p) == 2 and p[0] == "stage" and p[1].isdigit():
                break
        else:
            continue
        vals = {}
        for part in body.split(", "):
            if dest is roots and part.endswith(" rounds") and num(part[:-7]) is not None:
                vals["rounds"] = int(num(part[:-7]))
                continue
            name, _, rest = part.rpartition(" ")   # "LP 1.900 s": ("LP 1.900", " ", "s")
            name, _, v = name.rpartition(" ")
            key = next((k for k, n in names if n == name), None)
            if rest != "s" or num(v) is None or key is None:
                break
            vals[key] = num(v)
        else:
            if len(vals) - ("rounds" in vals) == want:
                dest[int(p[1])] = vals
    for st, v in roots.items():
        if st in out:
            out[st].update(v)
    return out
