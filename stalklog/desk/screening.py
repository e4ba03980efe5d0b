"""The stalking screening questions (S-DASH), recorded with a case.

The 11 questions are kept as data, with their source. A screening is the answers given on
one date — ``yes``, ``no`` or ``not_known`` to each, with optional notes — and every
completed screening is kept. Nothing here adds the answers up or grades them: stalklog
records the screening; the professional using it judges.

Stored in ``screenings.answers`` as a JSON list, one item per question, in order:
``{"number": 1, "question": "Is the victim very frightened?", "answer": "yes", "notes": null}``
(the question's words are kept with the answer, as they were asked).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from stalklog import records
from stalklog.clock import local_now, utc_now_iso
from stalklog.errors import InvalidValue, NotFound
from stalklog.store.database import Database
from stalklog.store.ledger import append

SOURCE = (
    "S-DASH (2009) stalking and harassment screening questions, Laura Richards for ACPO "
    "(the Domestic Abuse, Stalking and Harassment and Honour Based Violence model)"
)

QUESTIONS: tuple[dict, ...] = tuple(
    {"number": n, "text": text}
    for n, text in enumerate(
        (
            "Is the victim very frightened?",
            "Has the suspect engaged in harassment on previous occasions (this victim and/or other victims)?",
            "Has the suspect ever destroyed or vandalised the victim's property?",
            "Does the suspect visit the victim at work, home etc. more than 3 times per week?",
            "Has the suspect loitered around the victim's home, workplace etc.?",
            "Has the suspect made any threats of physical or sexual violence in the current harassment incidents?",
            "Has the suspect harassed any third party since the harassment began (friends, family, children, colleagues)?",
            "Has the suspect acted out violently towards people within the current stalking incidents?",
            "Has the suspect persuaded other people to help (wittingly or unwittingly)?",
            "Is the suspect known to be abusing drugs and/or alcohol?",
            "Is the suspect known to have been violent in the past (physical or psychological; intelligence or reported)?",
        ),
        start=1,
    )
)

ANSWERS = ("yes", "no", "not_known")
ANSWER_LABELS = {"yes": "yes", "no": "no", "not_known": "not known"}
_SYNONYMS = {
    "y": "yes",
    "yes": "yes",
    "n": "no",
    "no": "no",
    "not_known": "not_known",
    "not known": "not_known",
    "notknown": "not_known",
    "unknown": "not_known",
    "nk": "not_known",
    "?": "not_known",
    "dk": "not_known",
    "don't know": "not_known",
    "dont know": "not_known",
}


def normalise_answer(text: str, where: str = "answer") -> str:
    """``Y``, ``yes`` → ``yes``; ``n`` → ``no``; ``unknown``, ``not known``, ``?`` → ``not_known``."""
    key = " ".join(str(text).strip().lower().replace("-", " ").split())
    found = _SYNONYMS.get(key) or _SYNONYMS.get(key.replace(" ", "_"))
    if found is None:
        raise InvalidValue(f'{where}: "{text}" is not an answer. Answer yes, no or not known.')
    return found


def record(
    db: Database, case_ref: str, answers: Sequence[str | dict], *, taken: str | None = None, by: str | None = None
) -> dict:
    """Keep one completed screening: an answer to each of the 11 questions.

    ``answers`` holds, in question order, either answer words or ``{"answer", "notes"}``.
    ``taken`` is the date it was asked (ISO; default today). Writes one ``screenings`` row
    and its ledger entry; the caller holds the transaction.
    """
    case = records.get_case(db, case_ref)
    if len(answers) != len(QUESTIONS):
        raise InvalidValue(
            f"A screening needs an answer to each of the {len(QUESTIONS)} questions; {len(answers)} given.",
            hint="Answer not known where the answer is not known.",
        )
    kept = []
    for question, given in zip(QUESTIONS, answers, strict=True):
        item = given if isinstance(given, dict) else {"answer": given}
        notes = (item.get("notes") or "").strip() or None
        kept.append(
            {
                "number": question["number"],
                "question": question["text"],
                "answer": normalise_answer(item.get("answer", ""), f"question {question['number']}"),
                "notes": notes,
            }
        )
    day = taken or local_now().date().isoformat()
    try:
        dt.date.fromisoformat(day)
    except ValueError:
        raise InvalidValue(f'taken: "{day}" is not a date (YYYY-MM-DD).') from None
    sid = (
        db["screenings"]
        .insert(
            {
                "case_id": case["id"],
                "taken": day,
                "by": (by or "").strip() or None,
                "answers": json.dumps(kept, ensure_ascii=False),
                "created_utc": utc_now_iso(),
            }
        )
        .last_pk
    )
    append(db, "create", "screenings", sid, case["id"])
    return get(db, sid)


def _screening(row: tuple, case_ref: str) -> dict:
    sid, taken, by, answers, created = row
    return {
        "id": sid,
        "case": case_ref,
        "taken": taken,
        "by": by,
        "recorded": created,
        "answers": json.loads(answers),
        "source": SOURCE,
    }


_COLUMNS = "screenings.id, taken, by, answers, screenings.created_utc"


def get(db: Database, screening_id: int) -> dict:
    row = db.execute(
        f"SELECT {_COLUMNS}, cases.ref FROM screenings JOIN cases ON cases.id = screenings.case_id "
        "WHERE screenings.id = ?",
        [screening_id],
    ).fetchone()
    if row is None:
        raise NotFound(f"No screening {screening_id} in this case file.")
    return _screening(row[:5], row[5])


def list_screenings(db: Database, case_ref: str) -> list[dict]:
    """Every screening of a case, oldest first (by the date taken, then the order kept)."""
    case = records.get_case(db, case_ref)
    cur = db.execute(f"SELECT {_COLUMNS} FROM screenings WHERE case_id = ? ORDER BY taken, id", [case["id"]])
    return [_screening(r, case["ref"]) for r in cur.fetchall()]


def latest(db: Database, case_ref: str) -> dict | None:
    found = list_screenings(db, case_ref)
    return found[-1] if found else None
