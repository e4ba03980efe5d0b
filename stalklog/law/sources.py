"""Citations the research marks below high confidence (check-v2 §13): never printed in the
check's output or in documents; ``stalklog law --sources`` lists them, marked "needs
checking". Pure."""

from __future__ import annotations

UNCERTAIN = {
    "R v Henley [2000] Crim LR 582": "that fear for someone else is not fear of violence for s.4 (summary only)",
    "Caurti v DPP [2002] EWHC 867 (Admin)": "read with R v Henley on fear for others (summary only)",
    "R v Qosja [2016] EWCA Crim 1543": "that the fear need not be of immediate violence (as recalled)",
}
# Other points the research holds below high confidence (listed by ``law --sources`` only).
OTHER_POINTS = {
    "Online Safety Act 2023 s.181": "the date of force (31 Jan 2024) and the 5-year maximum are from memory",
    "Malicious Communications Act 1988 s.1": "the date it became triable either way (13 Apr 2015) is from memory",
    "Public Order Act 1986 s.4A": "the offence and its six-month limit are from secondary summaries",
    "Offences against the Person Act 1861 s.16": "the 10-year maximum is from memory",
}
