"""Realistic fictional case files and case bundles for the benchmarks.

Everything here is made up: names come from a short list of obviously fictional ones,
places are invented, and the text is assembled from stock phrases. The vocabularies are
the case bundle's own (``stalklog.vocab``), so the check and the reports see the mix of
behaviours, effects, channels and precisions a real diary has.

    python bench/generate.py bundle --incidents 100000 -o big.json
    python bench/generate.py casefile --cases 10 --incidents 10000 -o big.db [--passphrase X]
    python bench/generate.py casefile --cases 1 --incidents 1000 --exhibits 0.2 --exhibit-size 50000 -o ex.db
    python bench/generate.py helpline -o helpline.db [--cases 23000 --mean 20] [--passphrase X]

A bundle is the JSON of docs/bundle.md; a case file is made by importing such bundles
with stalklog's own ``bundle.import_bundle`` (so its ledger is complete and ``verify``
passes), optionally encrypted with SQLCipher.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from stalklog import vocab as model  # noqa: E402

FIRST = ("Alex", "Sam", "Jo", "Robin", "Charlie", "Jamie", "Morgan", "Casey", "Riley", "Taylor")
LAST = ("Example", "Sample", "Fictional", "Madeup", "Placeholder", "Testcase", "Notreal", "Specimen")
PLACES = (
    "outside the Elm Street flat",
    "at the Fictional Road bus stop",
    "by the office on Sample Lane",
    "in the Madeup Retail Park car park",
    "at the gym on Placeholder Way",
    "near the school gates",
    "on the Testcase Estate",
    "at the station café",
)
OPENERS = (
    "He was",
    "She was",
    "They were",
    "Saw them",
    "A message arrived",
    "Someone was",
    "Found a note",
    "Got a call",
    "Noticed a car",
    "Was told by a neighbour that they had been",
)
MIDDLES = (
    "waiting",
    "standing",
    "parked",
    "watching the door",
    "walking behind me",
    "sending messages",
    "calling again and again",
    "posting about me",
    "leaving flowers",
    "asking my friends where I was",
)
WORDS = (
    "I know where you are",
    "You can't hide from me",
    "We need to talk",
    "Answer your phone",
    "I saw you yesterday",
    "You'll regret this",
    "",
)
RELATIONSHIPS = ("ex-partner", "acquaintance", "neighbour", "colleague", "stranger", "ex-spouse")


def _people(rng: random.Random, victims: int, subjects: int, witnesses: int) -> list[dict]:
    people = []

    def name() -> str:
        return f"{rng.choice(FIRST)} {rng.choice(LAST)}"

    for i in range(victims):
        people.append(
            {
                "key": "V" if i == 0 else f"V{i + 1}",
                "role": "victim",
                "name": name(),
                "relationship": None,
                "lived_together_until": None,
                "identifiers": [],
            }
        )
    for i in range(subjects):
        people.append(
            {
                "key": "P" if i == 0 else f"P{i + 1}",
                "role": "subject",
                "name": name(),
                "relationship": rng.choice(RELATIONSHIPS),
                "lived_together_until": None,
                "identifiers": [f"07700 900{rng.randrange(1000):03d}"],
            }
        )  # Ofcom drama range
    for i in range(witnesses):
        people.append(
            {
                "key": f"W{i + 1}",
                "role": "witness",
                "name": name(),
                "relationship": None,
                "lived_together_until": None,
                "identifiers": [],
            }
        )
    return people


def _pick(rng: random.Random, words: tuple, most: int, weight_first: int = 0) -> list[str]:
    k = rng.randint(1, most)
    pool = list(words[:-1]) if words[-1] == "other" else list(words)
    if weight_first:
        pool = list(words[:weight_first]) * 3 + pool
    return sorted(set(rng.choices(pool, k=k)), key=words.index)


def incidents(
    rng: random.Random,
    n: int,
    people: list[dict],
    *,
    start: dt.datetime,
    end: dt.datetime,
    exhibits: float = 0.0,
    exhibit_prefix: str = "AE",
) -> list[dict]:
    """``n`` incidents spread over [start, end], oldest first, keys I1…In."""
    victims = [p["key"] for p in people if p["role"] == "victim"]
    subjects = [p["key"] for p in people if p["role"] == "subject"]
    witnesses = [p["key"] for p in people if p["role"] == "witness"]
    span = int((end - start).total_seconds())
    moments = sorted(rng.randrange(span) for _ in range(n))
    out = []
    exhibit_no = 0
    for i, offset in enumerate(moments, 1):
        when = start + dt.timedelta(seconds=offset)
        r = rng.random()
        if r < 0.6:
            occurred, precision = when.strftime("%Y-%m-%dT%H:%M"), "exact"
        elif r < 0.9:
            occurred, precision = when.strftime("%Y-%m-%d"), "day"
        elif r < 0.97:
            occurred, precision = when.strftime("%Y-%m-%d"), "approximate"
        else:
            occurred, precision = when.strftime("%Y-%m-01"), "month"
        by = [rng.choice(subjects)] if subjects else []
        inc = {
            "key": f"I{i}",
            "occurred": occurred,
            "occurred_end": None,
            "precision": precision,
            "recorded": (when + dt.timedelta(hours=rng.randint(0, 48))).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "by": by,
            "attribution": rng.choice(model.ATTRIBUTIONS[:4]),
            "procured_by": None,
            "towards": [rng.choice(victims)],
            "affected": [rng.choice(victims)] if len(victims) > 1 and rng.random() < 0.1 else [],
            "behaviours": _pick(rng, model.BEHAVIOURS, 3, weight_first=5),
            "channel": rng.choice(model.CHANNELS),
            "location": rng.choice(PLACES),
            "summary": f"{rng.choice(OPENERS)} {rng.choice(MIDDLES)} {rng.choice(PLACES)}.",
            "words": rng.choice(WORDS),
            "effects": _pick(rng, model.EFFECTS, 2) if rng.random() < 0.8 else [],
            "impacts": _pick(rng, model.IMPACTS, 2) if rng.random() < 0.3 else [],
            "below_threshold": rng.random() < 0.05,
            "same_occasion_as": None,
            "links": [f"I{i - 1}"] if i > 1 and rng.random() < 0.05 else [],
            "stated_purpose": None,
            "witnesses": [rng.choice(witnesses)] if witnesses and rng.random() < 0.1 else [],
            "police_ref": f"FIC/{rng.randrange(10**6):06d}/25" if rng.random() < 0.05 else None,
            "exhibits": [],
            "private_notes": "Felt shaky afterwards." if rng.random() < 0.1 else None,
        }
        if exhibits and rng.random() < exhibits:
            exhibit_no += 1
            inc["exhibits"].append(
                {
                    "ref": f"{exhibit_prefix}/{exhibit_no}",
                    "description": "Screenshot of the message",
                    "file": f"exhibit-{exhibit_no}.png",
                    "sha256": None,
                    "obtained": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "producer": "V",
                    "how_obtained": "screenshot on my phone",
                }
            )
        out.append(inc)
    return out


def make_bundle(
    n: int,
    *,
    ref: str = "FIC-0001",
    seed: int = 1,
    victims: int = 2,
    subjects: int = 2,
    witnesses: int = 2,
    exhibits: float = 0.0,
    exhibit_size: int = 0,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
) -> tuple[dict, dict[str, bytes]]:
    """A case bundle with ``n`` incidents, and the bytes of its exhibit files (``file`` → bytes)."""
    rng = random.Random(f"{seed}:{ref}")
    people = _people(rng, victims, subjects, witnesses)
    end = end or dt.datetime(2025, 3, 1, 12, 0)
    start = start or end - dt.timedelta(days=730)
    incs = incidents(rng, n, people, start=start, end=end, exhibits=exhibits)
    files: dict[str, bytes] = {}
    for inc in incs:
        for e in inc["exhibits"]:
            data = rng.randbytes(exhibit_size) if exhibit_size else b""
            if exhibit_size:
                files[e["file"]] = data
                e["sha256"] = hashlib.sha256(data).hexdigest()
            else:
                e["file"] = None
    bundle = {
        "format": "stalklog.case",
        "version": 1,
        "case": {
            "ref": ref,
            "title": f"Fictional benchmark case {ref}",
            "jurisdiction": "england-wales",
            "opened": start.date().isoformat(),
            "context": [],
            "notes": "Fictional data for benchmarks.",
        },
        "people": people,
        "incidents": incs,
        "impacts": [{"kind": "changed_routine", "date": start.strftime("%Y-%m"), "detail": "Varied the route"}],
    }
    return bundle, files


def write_bundle(path: Path, bundle: dict) -> None:
    """Written one incident a line, so a 100,000-incident file is written without one huge string."""
    with open(path, "w", encoding="utf-8") as f:
        head = {k: v for k, v in bundle.items() if k != "incidents"}
        text = json.dumps(head, ensure_ascii=False)
        f.write(text[:-1] + ', "incidents": [\n')
        for i, inc in enumerate(bundle["incidents"]):
            f.write(("" if i == 0 else ",\n") + json.dumps(inc, ensure_ascii=False))
        f.write("\n]}\n")


def make_casefile(
    path: Path,
    *,
    cases: int,
    incidents_per_case: int,
    passphrase: str | None = None,
    seed: int = 1,
    exhibits: float = 0.0,
    exhibit_size: int = 0,
    ref_prefix: str = "FIC",
) -> list[str]:
    """A case file with ``cases`` cases of ``incidents_per_case`` incidents each; returns the refs."""
    from stalklog.interchange import json_bundle as bundles
    from stalklog.store.database import open_db, transaction

    path = Path(path)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = open_db(path, passphrase, create=True)
    refs = []
    try:
        for c in range(cases):
            ref = f"{ref_prefix}-{c + 1:04d}"
            data, files = make_bundle(
                incidents_per_case, ref=ref, seed=seed, exhibits=exhibits, exhibit_size=exhibit_size
            )
            with transaction(db):
                bundles.import_bundle(db, data, exhibit_files=files)
            refs.append(ref)
    finally:
        db.close()
    return refs


HELPLINE_CASES = 23_000
JURISDICTION_MIX = (("england-wales", 0.85), ("scotland", 0.10), ("northern-ireland", 0.05))


def helpline_bundles(cases: int = HELPLINE_CASES, *, mean: int = 20, seed: int = 1, exhibits: float = 0.05):
    """A helpline's year as bundles, one a case: ``cases`` cases of about ``mean`` incidents
    (evenly from half to one and a half times it), mostly one victim and one subject
    (sometimes a second of either, and witnesses), in the UK's three jurisdictions, each
    case's diary a few weeks to a year long within the year to 1 March 2025, a few exhibit
    references. Yields (bundle, exhibit files) one case at a time."""
    year_end = dt.datetime(2025, 3, 1, 12, 0)
    for c in range(cases):
        ref = f"HL-{c + 1:05d}"
        rng = random.Random(f"{seed}:helpline:{c}")
        n = rng.randint(mean // 2, mean + mean // 2)
        days = rng.randint(21, 365)
        end = year_end - dt.timedelta(days=rng.randint(0, 365 - days), minutes=rng.randrange(1440))
        data, files = make_bundle(
            n,
            ref=ref,
            seed=seed,
            victims=1 + (rng.random() < 0.1),
            subjects=1 + (rng.random() < 0.15),
            witnesses=rng.choice((0, 0, 1, 2)),
            exhibits=exhibits,
            start=end - dt.timedelta(days=days),
            end=end,
        )
        roll, total = rng.random(), 0.0
        for juris, share in JURISDICTION_MIX:
            total += share
            if roll < total:
                data["case"]["jurisdiction"] = juris
                break
        data["case"]["title"] = f"Fictional helpline case {ref}"
        yield data, files


def make_helpline(
    path: Path, *, cases: int = HELPLINE_CASES, mean: int = 20, passphrase: str | None = None, seed: int = 1
) -> int:
    """A case file holding a helpline's year (``helpline_bundles``), imported with
    stalklog's own import, 500 cases a transaction. Returns the number of incidents."""
    from stalklog.interchange import json_bundle as bundles
    from stalklog.store.database import open_db, transaction

    path = Path(path)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = open_db(path, passphrase, create=True)
    total = 0
    try:
        made = helpline_bundles(cases, mean=mean, seed=seed)
        while True:
            with transaction(db):
                for _ in range(500):
                    data, files = next(made, (None, None))
                    if data is None:
                        return total
                    total += bundles.import_bundle(db, data, exhibit_files=files)["incidents"]
    finally:
        db.close()


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="what", required=True)
    b = sub.add_parser("bundle", help="a case bundle (JSON)")
    b.add_argument("--incidents", type=int, default=1000)
    b.add_argument("--ref", default="FIC-0001")
    b.add_argument("-o", "--output", type=Path, required=True)
    h = sub.add_parser("helpline", help="a helpline's year: 23,000 cases of about 20 incidents in one case file")
    h.add_argument("--cases", type=int, default=HELPLINE_CASES)
    h.add_argument("--mean", type=int, default=20, help="incidents per case, on average")
    h.add_argument("--passphrase")
    h.add_argument("--seed", type=int, default=1)
    h.add_argument("-o", "--output", type=Path, required=True)
    c = sub.add_parser("casefile", help="a case file (SQLite, or SQLCipher with --passphrase)")
    c.add_argument("--cases", type=int, default=1)
    c.add_argument("--incidents", type=int, default=1000, help="incidents per case")
    c.add_argument("--passphrase")
    c.add_argument("-o", "--output", type=Path, required=True)
    for a in (b, c):
        a.add_argument("--seed", type=int, default=1)
        a.add_argument("--exhibits", type=float, default=0.0, help="share of incidents with an exhibit (0–1)")
        a.add_argument("--exhibit-size", type=int, default=0, help="bytes per exhibit file (0: references only)")
    args = p.parse_args(argv)
    if args.what == "helpline":
        n = make_helpline(args.output, cases=args.cases, mean=args.mean, passphrase=args.passphrase, seed=args.seed)
        print(f"{args.output}: {args.cases} cases, {n} incidents")
    elif args.what == "bundle":
        data, _files = make_bundle(args.incidents, ref=args.ref, seed=args.seed, exhibits=args.exhibits)
        write_bundle(args.output, data)
        print(f"{args.output}: {args.incidents} incidents")
    else:
        refs = make_casefile(
            args.output,
            cases=args.cases,
            incidents_per_case=args.incidents,
            passphrase=args.passphrase,
            seed=args.seed,
            exhibits=args.exhibits,
            exhibit_size=args.exhibit_size,
        )
        print(f"{args.output}: {len(refs)} cases × {args.incidents} incidents")


if __name__ == "__main__":
    main()
