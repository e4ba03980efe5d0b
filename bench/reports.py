"""The evidence summary's PDF against its HTML, at several case sizes (issue 18).

    python bench/reports.py                 # 300, 1,000 and 2,000 incidents
    python bench/reports.py --sizes 300 1000 --runs 3

Each size is a generated case file (bench/generate.py: one case, four courses of conduct,
a tenth of the incidents with a small exhibit). ``stalklog report --kind evidence`` runs as
its own process from this working tree, once for HTML and once for PDF, a few times each
(interleaved, so both see the same load); the table gives the median CPU time (user +
system: what a shared machine inflates least) and wall time, the peak memory (from
/usr/bin/time), the PDF's pages, the PDF/HTML ratio of CPU time (the target: at most 3) and
the PDF's CPU milliseconds per incident (flat when the PDF grows linearly). The PDF is typeset
by Typst. All data is fictional. Not a test: pytest does not run it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import generate  # noqa: E402
from run import OUT, WORK, run_once  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[300, 1000, 2000])
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "STALKLOG_NOW": "2025-03-12T12:00:00",
            "XDG_DATA_HOME": str(OUT / "home" / "data"),
            "XDG_CONFIG_HOME": str(OUT / "home" / "config"),
        }
    )
    env.pop("STALKLOG_PASSPHRASE", None)
    rows = []
    for size in args.sizes:
        db = WORK / f"report-scaling-{size}.db"
        generate.make_casefile(db, cases=1, incidents_per_case=size, exhibits=0.1, exhibit_size=2_000, ref_prefix="RS")
        env["STALKLOG_DB"] = str(db)
        result = {"size": size}
        runs: dict[str, list] = {"html": [], "pdf": []}
        for _ in range(args.runs):
            for fmt in ("html", "pdf"):
                out = WORK / f"report-scaling-{size}.{fmt}"
                argv = [sys.executable, "-m", "stalklog", "report", "--kind", "evidence", "--case", "RS-0001"]
                argv += ["--as-of", "2025-03-12", "-o", str(out), "--force"]  # each run replaces the last file
                runs[fmt].append(run_once(argv, env))
        for fmt in ("html", "pdf"):
            if any(code != 0 for _, _, code, _ in runs[fmt]):
                raise SystemExit(f"report {fmt} of {size} incidents failed")
            result[fmt] = statistics.median(t for t, _, _, _ in runs[fmt])
            result[f"{fmt}_cpu"] = statistics.median(c for _, _, _, c in runs[fmt])
            result[f"{fmt}_mib"] = max(peak for _, peak, _, _ in runs[fmt]) / 1024
        from pypdf import PdfReader

        result["pages"] = len(PdfReader(str(WORK / f"report-scaling-{size}.pdf")).pages)
        rows.append(result)
        print(f"# {size}: {result}", file=sys.stderr)
    print(
        "| incidents | HTML CPU s | HTML wall s | HTML MiB | PDF CPU s | PDF wall s | PDF MiB | pages "
        "| PDF / HTML (CPU) | PDF CPU ms per incident |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['size']:,} | {r['html_cpu']:.2f} | {r['html']:.2f} | {r['html_mib']:.0f} | {r['pdf_cpu']:.2f} "
            f"| {r['pdf']:.2f} | {r['pdf_mib']:.0f} | {r['pages']} | {r['pdf_cpu'] / r['html_cpu']:.1f} "
            f"| {1000 * r['pdf_cpu'] / r['size']:.1f} |"
        )


if __name__ == "__main__":
    main()
