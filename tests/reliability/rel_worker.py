"""A worker process for the reliability suite: runs stalklog commands in a loop, in one
process, through the real CLI entry point (so each command opens, writes and closes the
case file exactly as ``stalklog …`` does, without paying Python's start-up each time).

    python rel_worker.py add LABEL COUNT [CASE]     add COUNT incidents, summaries "LABEL n"
    python rel_worker.py amend INCIDENT_ID COUNT [LABEL]  amend one incident's location COUNT times

STALKLOG_DB (and STALKLOG_NOW) come from the environment. Prints one line per command that
did not exit 0 (its status and stderr) and exits 1 if there was any.
"""

from __future__ import annotations

import contextlib
import io
import sys

_COMMAND = None


def run(args: list[str]) -> tuple[int, str]:
    global _COMMAND
    if _COMMAND is None:
        import typer.main

        from stalklog.cli.app import app

        _COMMAND = typer.main.get_command(app)  # built once, as `stalklog` builds it once per run
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = _COMMAND.main(args=args, prog_name="stalklog", standalone_mode=False)
        except SystemExit as e:  # pragma: no cover - defensive
            code = e.code
    return int(code or 0), err.getvalue()


def main(argv: list[str]) -> int:
    verb = argv[0]
    failures = 0
    if verb == "add":
        label, count = argv[1], int(argv[2])
        case = argv[3] if len(argv) > 3 else "C-1"
        for n in range(count):
            code, err = run(
                [
                    "add",
                    f"{label} {n}",
                    "--case",
                    case,
                    "--when",
                    "yesterday 9pm",
                    "-b",
                    "contacting",
                    "--location",
                    f"fictional street {n}",
                ]
            )
            if code != 0:
                failures += 1
                print(f"add {label} {n}: exit {code}: {err.strip()}", flush=True)
    elif verb == "amend":
        incident, count = argv[1], int(argv[2])
        label = argv[3] if len(argv) > 3 else "w"
        for n in range(count):
            code, err = run(
                ["amend", incident, "--set", f"location=fictional place {label} {n}", "--reason", f"fix {n}"]
            )
            if code != 0:
                failures += 1
                print(f"amend {n}: exit {code}: {err.strip()}", flush=True)
    else:
        print(f"unknown verb {verb}", flush=True)
        return 2
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
