"""Start-up of a minimal Typer app on two Typer versions (docs/performance.md).

    python bench/typer_versions.py [0.28 0.29]

Each version gets its own virtual environment under bench/out/; the app inserts one row
with sqlite3, as a stand-in for ``stalklog add``. Prints wall and CPU medians of 9 runs,
the versions measured in turn within each round.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"

APP = """import sqlite3, sys
import typer

app = typer.Typer()


@app.command()
def add(text: str, db: str = sys.argv[0] + ".db"):
    c = sqlite3.connect(db)
    c.execute("CREATE TABLE IF NOT EXISTS entries (text TEXT)")
    c.execute("INSERT INTO entries VALUES (?)", (text,))
    c.commit()


@app.command()
def other() -> None:
    pass


app()
"""


def venv(version: str) -> Path:
    path = OUT / f"typer-{version}"
    py = path / "bin" / "python"
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(path)], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", f"typer=={version}.*"], check=True)
    return py


def main() -> None:
    versions = sys.argv[1:] or ["0.28", "0.29"]
    OUT.mkdir(parents=True, exist_ok=True)
    app = OUT / "typer_app.py"
    app.write_text(APP, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    pythons = {v: venv(v) for v in versions}
    samples: dict[str, list[tuple[float, float]]] = {v: [] for v in versions}
    for i in range(10):
        for v, py in pythons.items():
            t = time.perf_counter()
            proc = subprocess.Popen([str(py), str(app), "add", "fictional"], env=env)
            _, _, usage = os.wait4(proc.pid, 0)
            if i:
                samples[v].append((time.perf_counter() - t, usage.ru_utime + usage.ru_stime))
    for v, runs in samples.items():
        print(
            f"typer {v}: wall {statistics.median(r[0] for r in runs):.3f} s, "
            f"CPU {statistics.median(r[1] for r in runs):.3f} s"
        )


if __name__ == "__main__":
    main()
