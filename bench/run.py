"""The stalklog benchmarks: one command, one table.

    python bench/run.py            # the full run (100,000-incident files; ~10-15 minutes)
    python bench/run.py --quick    # a tenth of the sizes (a few minutes)
    python bench/run.py --helpline [--quick]   # a helpline's year: 23,000 cases (2,300)

Prints a Markdown table (wall time median of several runs, and peak memory of the process)
and writes bench/out/results.json. Every command runs as its own process, the way a
person runs it: stalklog from a clean virtual environment (bench/out/stalklog-venv, this
working tree installed as a wheel, so with compiled bytecode like a user's install), jrnl
4.6 from its own (bench/out/jrnl-venv), and Python with sqlite3 from the same interpreter
as stalklog. Start-up results are given as ratios to jrnl adding one entry, measured in
the same run, so they hold on any machine. All data is fictional (bench/generate.py).

Not a test: nothing here is run by pytest (docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
WORK = OUT / "work"
TIME = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None
PASSPHRASE = "fictional benchmark passphrase"  # fictional: these files hold made-up data only
JRNL_VERSION = "4.6"

sys.path.insert(0, str(HERE))

FULL = {"big": 100_000, "case": 10_000, "report": 1_000, "cases": 10, "runs": 5, "slow_runs": 3}
QUICK = {"big": 10_000, "case": 1_000, "report": 200, "cases": 10, "runs": 3, "slow_runs": 3}
# A national helpline's year: 23,000 cases of about 20 incidents (bench/generate.py helpline)
HELPLINE = {"helpline_cases": 23_000, "mean": 20, "runs": 5, "slow_runs": 3}
HELPLINE_QUICK = {"helpline_cases": 2_300, "mean": 20, "runs": 3, "slow_runs": 1}


# ---------------------------------------------------------------- environments


def _venv_bin(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / name


def _pip(venv: Path, *args: str) -> None:
    subprocess.run(
        [str(_venv_bin(venv, "python")), "-m", "pip", "install", "-q", "--disable-pip-version-check", *args], check=True
    )


def stalklog_venv(reinstall: bool = True) -> Path:
    """A clean venv with this working tree installed (not editable); deps the first time only."""
    venv = OUT / "stalklog-venv"
    if not _venv_bin(venv, "stalklog").exists():
        print(f"# creating {venv} (first run only)", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        _pip(venv, str(ROOT))
    elif reinstall:
        _pip(venv, "--no-deps", "--force-reinstall", str(ROOT))
    return venv


def jrnl_venv() -> Path:
    venv = OUT / "jrnl-venv"
    if not _venv_bin(venv, "jrnl").exists():
        print(f"# creating {venv} with jrnl {JRNL_VERSION} (first run only)", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        _pip(venv, f"jrnl=={JRNL_VERSION}")
    return venv


JRNL_CONFIG = """colors: {{body: none, date: none, tags: none, title: none}}
default_hour: 9
default_minute: 0
editor: ''
encrypt: false
highlight: true
indent_character: '|'
journals:
  default:
    journal: {journal}
linewrap: 79
tagsymbols: '#@'
template: false
timeformat: '%F %r'
version: v{version}
"""


def base_env() -> dict[str, str]:
    """The environment of every timed process: a private HOME, and bytecode caching on (as
    for a user; PYTHONDONTWRITEBYTECODE would make every run compile the sources)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "STALKLOG_", "VIRTUAL_ENV"))}
    home = OUT / "home"
    home.mkdir(parents=True, exist_ok=True)
    env.update(
        {
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local/share"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "COLUMNS": "100",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        }
    )
    return env


# ---------------------------------------------------------------- timing


def run_once(argv: list[str], env: dict, stdin: str | None = None) -> tuple[float, int, int, float]:
    """Wall seconds, peak resident memory (KiB), exit status and CPU seconds (user +
    system) of one process. CPU time is what a busy machine inflates least."""
    # Peak memory comes from /usr/bin/time: a process forked from this (large) Python
    # would report this Python's size as its own high-water mark (Linux keeps it across exec).
    report = WORK / ".time"
    timed = [TIME, "-f", "%M %U %S", "-o", str(report), *argv] if TIME else argv
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        timed,
        env=env,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=str(WORK),
    )
    if stdin is not None:
        proc.stdin.write(stdin.encode())
        proc.stdin.close()
    err_chunks = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    peak, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    if TIME:
        try:
            fields = report.read_text().split()[-3:]
            peak, cpu = int(fields[0]), float(fields[1]) + float(fields[2])
        except (OSError, ValueError, IndexError):
            pass
    if code != 0:
        tail = err_chunks.decode(errors="replace")[-400:]
        print(f"# exit {code}: {' '.join(argv[:4])}…\n{tail}", file=sys.stderr)
    return elapsed, peak, code, cpu


def measure(argv: list[str], env: dict, runs: int, before=None, warmup: bool = True) -> dict:
    """Median wall time and max peak memory over ``runs`` runs (after one warm-up run)."""
    times, peaks, codes, cpus = [], [], [], []
    for i in range(runs + (1 if warmup else 0)):
        if before:
            before()
        t, peak, code, cpu = run_once(argv, env)
        if warmup and i == 0:
            continue
        times.append(t)
        peaks.append(peak)
        codes.append(code)
        cpus.append(cpu)
    return {
        "median_s": statistics.median(times),
        "min_s": min(times),
        "runs": times,
        "cpu_median_s": statistics.median(cpus),
        "peak_mib": max(peaks) / 1024,
        "ok": all(c == 0 for c in codes),
    }


# ---------------------------------------------------------------- data


def build_data(scale: dict, python: Path) -> dict:
    """The case files and bundles the benchmarks read (made by bench/generate.py, untimed)."""
    import generate

    WORK.mkdir(parents=True, exist_ok=True)
    per_case = scale["big"] // scale["cases"]
    files: dict = {"per_case": per_case}
    t0 = time.perf_counter()
    for enc in (False, True):
        tag = "enc" if enc else "plain"
        pw = PASSPHRASE if enc else None
        files[f"small-{tag}"] = WORK / f"small-{tag}.db"
        generate.make_casefile(files[f"small-{tag}"], cases=1, incidents_per_case=20, passphrase=pw)
        files[f"big-{tag}"] = WORK / f"big-{tag}.db"
        generate.make_casefile(files[f"big-{tag}"], cases=scale["cases"], incidents_per_case=per_case, passphrase=pw)
        files[f"report-{tag}"] = WORK / f"report-{tag}.db"
        generate.make_casefile(
            files[f"report-{tag}"],
            cases=1,
            incidents_per_case=scale["report"],
            passphrase=pw,
            exhibits=0.1,
            exhibit_size=50_000,
            ref_prefix="REP",
        )
        files[f"empty-{tag}"] = WORK / f"empty-{tag}.db"
        generate.make_casefile(files[f"empty-{tag}"], cases=0, incidents_per_case=0, passphrase=pw)
    bundle, _ = generate.make_bundle(scale["big"], ref="IMP-0001")
    files["bundle"] = WORK / "import.json"
    generate.write_bundle(files["bundle"], bundle)
    del bundle
    print(f"# data generated in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    # Python + sqlite3 baseline: a one-table file
    import sqlite3

    files["baseline"] = WORK / "baseline.db"
    files["baseline"].unlink(missing_ok=True)
    con = sqlite3.connect(files["baseline"])
    con.execute("CREATE TABLE entries (id INTEGER PRIMARY KEY, at TEXT, text TEXT)")
    con.commit()
    con.close()
    return files


def build_helpline(scale: dict) -> dict:
    """The helpline's case files, plain and encrypted, and the small files and baseline the
    start-up rows use. The helpline files take minutes to make: they are kept in
    bench/out/work and made again only when their size changes."""
    import sqlite3

    import generate

    WORK.mkdir(parents=True, exist_ok=True)
    files: dict = {}
    t0 = time.perf_counter()
    for enc in (False, True):
        tag = "enc" if enc else "plain"
        pw = PASSPHRASE if enc else None
        files[f"small-{tag}"] = WORK / f"small-{tag}.db"
        generate.make_casefile(files[f"small-{tag}"], cases=1, incidents_per_case=20, passphrase=pw)
        path = WORK / f"helpline-{scale['helpline_cases']}-{tag}.db"
        stamp = Path(f"{path}.made")
        if not (path.exists() and stamp.exists()):
            print(f"# making {path.name} (once)", file=sys.stderr)
            n = generate.make_helpline(path, cases=scale["helpline_cases"], mean=scale["mean"], passphrase=pw)
            stamp.write_text(str(n), encoding="utf-8")
        files[f"helpline-{tag}"] = path
        files["helpline_incidents"] = int(stamp.read_text(encoding="utf-8"))
    print(f"# data ready in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    files["baseline"] = WORK / "baseline.db"
    files["baseline"].unlink(missing_ok=True)
    con = sqlite3.connect(files["baseline"])
    con.execute("CREATE TABLE entries (id INTEGER PRIMARY KEY, at TEXT, text TEXT)")
    con.commit()
    con.close()
    return files


def helpline_benchmarks(scale: dict, files: dict, stalklog: list[str], env: dict) -> list[dict]:
    """Every case of the helpline's file (check --all, cases, search --all, verify) and one
    case of it (export, add), plain and encrypted, as a person runs them."""
    cases, incidents = scale["helpline_cases"], files["helpline_incidents"]
    slow = scale["slow_runs"]
    rows: list[dict] = []
    size = f"{cases:,} cases, {incidents:,} incidents"

    def row(name: str, argv: list[str], n_runs: int = slow) -> None:
        result: dict = {"name": name, "note": "helpline"}
        for tag in ("plain", "enc"):
            e = {**env, "STALKLOG_DB": str(files[f"helpline-{tag}"])}
            if tag == "enc":
                e["STALKLOG_PASSPHRASE"] = PASSPHRASE
            print(f"# {name} ({tag})", file=sys.stderr)
            result[tag] = measure(argv, e, n_runs, warmup=False)
        rows.append(result)

    day = ["--as-of", "2025-03-12"]
    row(f"check --all ({size})", [*stalklog, "check", "--all", *day])
    row(f"check --all --json ({size})", [*stalklog, "check", "--all", "--json", *day])
    row(f"cases ({size})", [*stalklog, "cases", *day])
    row(f"cases --json ({size})", [*stalklog, "cases", "--json", *day])
    row(f"search --all ({size})", [*stalklog, "search", "flowers", "--all"])
    row(f"verify ({size})", [*stalklog, "verify"])
    row(
        "export one case of the helpline's file",
        [*stalklog, "export", "--case", "HL-00001", "-o", str(WORK / "hl.json"), "--force"],
    )
    row("add to one case of the helpline's file", add_command(stalklog, "HL-00001"), n_runs=scale["runs"])
    return rows


# ---------------------------------------------------------------- the benchmarks


def benchmarks(
    scale: dict, files: dict, stalklog: list[str], env: dict, report_available: bool, only: str | None = None
) -> list[dict]:
    big, per_case = scale["big"], files["per_case"]
    runs, slow = scale["runs"], scale["slow_runs"]
    rows: list[dict] = []

    def row(
        name: str,
        argv: list[str],
        *,
        db_key: str | None = None,
        n_runs: int = slow,
        before=None,
        per_mode=True,
        note: str = "",
    ) -> None:
        if only and only not in name:
            return  # --only: the other rows are not run at all
        result = {"name": name, "note": note}
        for tag in ("plain", "enc") if per_mode else ("plain",):
            e = dict(env)
            if tag == "enc":
                e["STALKLOG_PASSPHRASE"] = PASSPHRASE
            full = list(argv)
            if db_key:
                e["STALKLOG_DB"] = str(files[f"{db_key}-{tag}"])
            b = (lambda tag=tag: before(tag)) if before else None
            print(f"# {name} ({tag})", file=sys.stderr)
            result[tag] = measure(full, e, n_runs, before=b, warmup=n_runs > slow)
        rows.append(result)

    add = add_command(stalklog)
    row(f"add (file of {big:,} incidents)", add, db_key="big", n_runs=runs)
    row(f"list (case of {per_case:,})", [*stalklog, "list", "--case", "FIC-0001"], db_key="big")
    row(f"list --json (case of {per_case:,})", [*stalklog, "list", "--case", "FIC-0001", "--json"], db_key="big")
    row(f"search (case of {per_case:,})", [*stalklog, "search", "flowers", "--case", "FIC-0001"], db_key="big")
    row(
        f"check --json (case of {per_case:,})",
        [*stalklog, "check", "--case", "FIC-0001", "--as-of", "2025-03-12", "--json"],
        db_key="big",
    )
    row(
        f"check, shown as a table (case of {per_case:,})",
        [*stalklog, "check", "--case", "FIC-0001", "--as-of", "2025-03-12"],
        db_key="big",
    )
    row(
        f"check --all ({big:,} incidents)",
        [*stalklog, "check", "--all", "--as-of", "2025-03-12"],
        db_key="big",
        n_runs=slow,
    )

    def fresh_import_target(tag: str) -> None:
        target = WORK / f"import-target-{tag}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(files[f"empty-{tag}"], target)
        target.chmod(0o600)

    files["import-target-plain"] = WORK / "import-target-plain.db"
    files["import-target-enc"] = WORK / "import-target-enc.db"
    row(
        f"import bundle ({big:,} incidents)",
        [*stalklog, "import", str(files["bundle"])],
        db_key="import-target",
        n_runs=slow,
        before=fresh_import_target,
    )
    out_file = WORK / "export.json"
    row(
        f"export ({big:,}-incident case)",
        [*stalklog, "export", "--case", "IMP-0001", "-o", str(out_file), "--force"],
        db_key="import-target",
        n_runs=slow,
    )
    row(f"verify ({big:,} incidents)", [*stalklog, "verify"], db_key="big", n_runs=slow)
    if report_available:
        for fmt in ("html", "pdf"):
            row(
                f"report {fmt} (case of {scale['report']:,})",
                [
                    *stalklog,
                    "report",
                    "--kind",
                    "evidence",
                    "--case",
                    "REP-0001",
                    "--format",
                    fmt,
                    "-o",
                    str(WORK / f"report.{fmt}"),
                    "--force",  # each run replaces the last one's file
                ],
                db_key="report",
                n_runs=slow,
            )
    return rows


def add_command(stalklog: list[str], case: str = "FIC-0001") -> list[str]:
    return [
        *stalklog,
        "add",
        "Fictional: a car was parked outside the flat again",
        "--when",
        "01/03/2025 10:15",
        "--case",
        case,
        "-b",
        "loitering",
        "-e",
        "alarm",
    ]


def start_up(files: dict, env: dict, stalklog: list[str], stalklog_python: Path, runs: int) -> list[dict]:
    """jrnl, Python and stalklog's quick commands, measured in turn within each round, so
    that all of them see the same machine (a busy machine slows them alike)."""
    jv = jrnl_venv()
    jhome = WORK / "jrnl"
    shutil.rmtree(jhome, ignore_errors=True)
    jhome.mkdir(parents=True)
    config = jhome / "jrnl.yaml"
    config.write_text(JRNL_CONFIG.format(journal=jhome / "journal.txt", version=JRNL_VERSION), encoding="utf-8")
    jrnl = [str(_venv_bin(jv, "jrnl")), "--config-file", str(config)]
    run_once([*jrnl, "First fictional entry."], env)  # jrnl rewrites its config on first use
    insert = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        "c.execute('INSERT INTO entries (at, text) VALUES (?, ?)', ('2025-03-01T10:15', 'fictional')); "
        "c.commit()"
    )
    small = {
        "plain": {**env, "STALKLOG_DB": str(files["small-plain"])},
        "enc": {**env, "STALKLOG_DB": str(files["small-enc"]), "STALKLOG_PASSPHRASE": PASSPHRASE},
    }
    plan = [
        (f"jrnl {JRNL_VERSION}: add one entry", "plain", [*jrnl, "Fictional entry: nothing real happened."], env),
        ("python: start, nothing else", "plain", [str(stalklog_python), "-c", "pass"], env),
        (
            "python + sqlite3: insert one row",
            "plain",
            [str(stalklog_python), "-c", insert, str(files["baseline"])],
            env,
        ),
        ("stalklog --version", "plain", [*stalklog, "--version"], env),
        ("stalklog --help", "plain", [*stalklog, "--help"], env),
        ("add (file of 20 incidents)", "plain", add_command(stalklog), small["plain"]),
        ("add (file of 20 incidents)", "enc", add_command(stalklog), small["enc"]),
    ]
    print("# start-up: jrnl, python, stalklog --version/--help/add, in turn", file=sys.stderr)
    samples: dict[tuple[str, str], list] = {(n, t): [] for n, t, _, _ in plan}
    for i in range(runs + 1):
        for name, tag, argv, e in plan:
            result = run_once(argv, e)
            if i:  # the first round warms the caches
                samples[(name, tag)].append(result)
    rows: dict[str, dict] = {}
    for (name, tag), runs_ in samples.items():
        times = [r[0] for r in runs_]
        rows.setdefault(name, {"name": name, "note": "interleaved"})[tag] = {
            "median_s": statistics.median(times),
            "min_s": min(times),
            "runs": times,
            "cpu_median_s": statistics.median(r[3] for r in runs_),
            "peak_mib": max(r[1] for r in runs_) / 1024,
            "ok": all(r[2] == 0 for r in runs_),
        }
    return list(rows.values())


def kdf_cost(python: Path, files: dict, env: dict) -> dict:
    """What SQLCipher's key derivation costs on one open (in one process, so start-up is not counted)."""
    code = r"""
import sys, time, json
from sqlcipher3 import dbapi2 as sqlcipher
path, pw = sys.argv[1], sys.argv[2]
out = {}
for label, key in (("passphrase (PBKDF2-HMAC-SHA512, SQLCipher 4 default 256,000 iterations)", "'" + pw.replace("'", "''") + "'"),):
    ts = []
    for _ in range(5):
        t = time.perf_counter()
        c = sqlcipher.connect(path)
        c.execute("PRAGMA key = " + key)
        c.execute("SELECT count(*) FROM sqlite_master").fetchone()
        ts.append(time.perf_counter() - t)
        c.close()
    ts.sort()
    out[label] = ts[len(ts) // 2]
c = sqlcipher.connect(path); c.execute("PRAGMA key = '" + pw.replace("'", "''") + "'")
out["kdf_iter"] = c.execute("PRAGMA kdf_iter").fetchone()[0]
out["cipher_version"] = c.execute("PRAGMA cipher_version").fetchone()[0]
print(json.dumps(out))
"""
    res = subprocess.run(
        [str(python), "-c", code, str(files["small-enc"]), PASSPHRASE], env=env, capture_output=True, text=True
    )
    try:
        return json.loads(res.stdout)
    except ValueError:
        return {"error": res.stderr[-300:]}


# ---------------------------------------------------------------- machine and table


def machine() -> dict:
    info = {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    info["load_average_at_start"] = os.getloadavg()
    return info


def _secs(v: float) -> str:
    return f"{v:.3f}" if v < 10 else f"{v:.1f}"


def _cell(m: dict | None) -> tuple[str, str, str]:
    if not m:
        return "–", "–", "–"
    return (_secs(m["median_s"]) + ("" if m["ok"] else " (failed)"), _secs(m["cpu_median_s"]), f"{m['peak_mib']:.0f}")


def table(rows: list[dict]) -> str:
    lines = [
        "| benchmark | plain: wall s | plain: CPU s | plain: peak MiB "
        "| encrypted: wall s | encrypted: CPU s | encrypted: peak MiB |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        p, e = _cell(r.get("plain")), _cell(r.get("enc"))
        lines.append(f"| {r['name']} | {' | '.join(p)} | {' | '.join(e)} |")
    return "\n".join(lines)


def targets(rows: list[dict], scale: dict) -> list[tuple[str, str, bool]]:
    by = {r["name"]: r for r in rows}

    def t(name_start: str, mode: str = "plain", key: str = "median_s") -> float | None:
        for name, r in by.items():
            if name.startswith(name_start) and r.get(mode):
                return r[mode][key]
        return None

    jrnl = t("jrnl")
    out = []
    add = t("add (file of 20")
    if jrnl and add:
        out.append(("add (plain) ≤ 0.6 × jrnl add, wall time", f"{add / jrnl:.2f} × jrnl", add <= 0.6 * jrnl))
        cj, ca = t("jrnl", key="cpu_median_s"), t("add (file of 20", key="cpu_median_s")
        out.append(("add (plain) ≤ 0.6 × jrnl add, CPU time", f"{ca / cj:.2f} × jrnl", ca <= 0.6 * cj))
    hl = t("check --all (") if "helpline_cases" in scale else None
    if hl:
        peak = t("check --all (", key="peak_mib")
        n = scale["helpline_cases"]
        out.append((f"check --all over {n:,} cases < 10 s (plain)", f"{hl:.1f} s", hl < 10))
        out.append((f"check --all over {n:,} cases < 300 MB (plain)", f"{peak:.0f} MiB", peak * 1.048576 < 300))
        enc = t("check --all (", "enc")
        if enc:
            out.append((f"check --all over {n:,} cases < 10 s (encrypted)", f"{enc:.1f} s", enc < 10))
    for cmd in ("stalklog --help", "stalklog --version"):
        v = t(cmd)
        if jrnl and v and add:
            out.append((f"{cmd.split()[1]} faster than add", f"{v / jrnl:.2f} × jrnl", v < add))
    imp = t("import bundle")
    if imp and "big" in scale:
        rate = scale["big"] / imp
        out.append(("import ≥ 20,000 incidents/s (plain, whole process)", f"{rate:,.0f}/s", rate >= 20_000))
    chk = t("check --json (case")
    if chk and "case" in scale:
        out.append((f"check --json of a {scale['case']:,}-incident case < 1 s", f"{chk:.2f} s", chk < 1.0))
    for name in ("check --all", "verify"):
        v = t(name) if "big" in scale else None
        if v:
            out.append((f"{name} over {scale['big']:,} incidents: a few seconds (≤ 5 s)", f"{v:.2f} s", v <= 5.0))
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Run the stalklog benchmarks and print the table.")
    p.add_argument("--quick", action="store_true", help="a tenth of the sizes, for a quick look")
    p.add_argument("--no-reinstall", action="store_true", help="benchmark the venv as it is")
    p.add_argument("--only", help="run only benchmarks whose name contains this")
    p.add_argument(
        "--helpline",
        action="store_true",
        help="a helpline's year instead: 23,000 cases of about 20 incidents (2,300 with --quick)",
    )
    args = p.parse_args(argv)
    if args.helpline:
        scale = HELPLINE_QUICK if args.quick else HELPLINE
    else:
        scale = QUICK if args.quick else FULL
    started = time.perf_counter()
    info = machine()
    OUT.mkdir(parents=True, exist_ok=True)
    venv = stalklog_venv(reinstall=not args.no_reinstall)
    python = _venv_bin(venv, "python")
    stalklog = [str(_venv_bin(venv, "stalklog"))]
    env = base_env()
    if args.helpline:
        files = build_helpline(scale)
        report_available = False
        rows = helpline_benchmarks(scale, files, stalklog, env)
    else:
        files = build_data(scale, python)
        report_available = run_once([*stalklog, "report", "--help"], env)[2] == 0
        rows = benchmarks(scale, files, stalklog, env, report_available, args.only)
    if args.only:
        rows = [r for r in rows if args.only in r["name"]]
    base = start_up(files, env, stalklog, python, max(scale["runs"], 7))
    kdf = kdf_cost(python, files, env)
    all_rows = base + rows
    info["load_average_at_end"] = os.getloadavg()
    info["seconds"] = round(time.perf_counter() - started)
    checks = targets(all_rows, scale)
    result = {
        "scale": scale,
        "machine": info,
        "rows": all_rows,
        "kdf": kdf,
        "targets": [{"target": a, "measured": b, "met": c} for a, b, c in checks],
        "report_command": report_available,
    }
    name = "results-helpline.json" if args.helpline else "results.json"
    (OUT / name).write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    print(
        f"Machine: {info.get('cpu', '?')}, {info['cpus']} CPUs, {info.get('memory_gib', '?')} GiB; "
        f"Python {info['python']}; {info['platform']}; load average {info['load_average_at_start'][0]:.1f} "
        f"at start, {info['load_average_at_end'][0]:.1f} at end; "
        f"{'helpline ' if args.helpline else ''}{'quick' if args.quick else 'full'} run, {info['seconds']} s.\n"
    )
    print(table(all_rows))
    print()
    print("| target | measured | met |\n|---|---:|:---:|")
    for a, b, c in checks:
        print(f"| {a} | {b} | {'yes' if c else 'NO'} |")
    if "error" not in kdf:
        print(
            f"\nSQLCipher {kdf.get('cipher_version')}: kdf_iter {kdf.get('kdf_iter')}; one keyed open "
            f"(key derivation + first read) takes "
            + "; ".join(f"{v * 1000:.0f} ms" for k, v in kdf.items() if isinstance(v, float))
            + "."
        )
    if not report_available and not args.helpline:
        print("\n(`stalklog report` is not available in this build: the report rows were skipped.)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
