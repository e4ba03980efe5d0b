"""Citations the research marks below high confidence (check-v2 §13): never printed in the
check's output or in documents; ``stalklog law --sources`` lists them, marked "needs
checking". ``scrub`` takes them out of any citation list. Pure."""

from __future__ import annotations

UNCERTAIN = {
    "R v Henley [2000] Crim LR 582": "that fear for someone else is not fear of violence for s.4 (summary only)",
    "Caurti v DPP [2002] EWHC 867 (Admin)": "read with R v Henley on fear for others (summary only)",
    "R v Qosja [2016] EWCA Crim 1543": "that the fear need not be of immediate violence (as recalled)",
}
_PREFIXES = tuple(c.split(" [")[0] for c in UNCERTAIN)


def is_uncertain(cite: str) -> bool:
    return cite.startswith(_PREFIXES)


def scrub(cites) -> list[str]:
    """``cites`` without the uncertain citations."""
    return [c for c in cites if not is_uncertain(c)]
