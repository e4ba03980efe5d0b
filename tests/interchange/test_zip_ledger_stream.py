"""The zip bundle's ledger.json, checked as a stream (one pass, entries in order): every
tamper the whole-document check refused is still refused, word for word, and a reordered
chain (which the builder never writes) is refused too."""

from __future__ import annotations

import hashlib
import json
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stalklog.errors import BundleError
from stalklog.interchange import zip_bundle, zip_ledger
from stalklog.store import ledger


@pytest.fixture
def sent_zip(run, case, tmp_path):
    run("add", "He waited outside my work", "--case", case, "--when", "03/03/2025 17:10", "-b", "loitering")
    run("add", "Twelve texts overnight", "--case", case, "--when", "05/03/2025 23:00", "-b", "contacting")
    run(
        "add",
        "Flowers left on the doorstep",
        "--case",
        case,
        "--when",
        "07/03/2025 08:00",
        "-b",
        "leaving-items",
        "--private-notes",
        "PRIVATE",
    )
    out = tmp_path / "c1.zip"
    run("export", "--case", case, "--format", "zip", "-o", out)
    return out


def _forge(src, dst, change_ledger=None, change_bundle=None):
    """A copy of the zip with ledger.json / bundle.json changed and the manifest's hashes
    recomputed (what a forger without the sender's head can do)."""
    with zipfile.ZipFile(src) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    if change_ledger:
        doc = json.loads(members["ledger.json"])
        change_ledger(doc)
        members["ledger.json"] = (json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
    if change_bundle:
        doc = json.loads(members["bundle.json"])
        change_bundle(doc)
        members["bundle.json"] = (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode()
    manifest = json.loads(members["manifest.json"])
    for f in manifest["files"]:
        f["sha256"] = hashlib.sha256(members[f["path"]]).hexdigest()
        f["size"] = len(members[f["path"]])
    members["manifest.json"] = (json.dumps(manifest, indent=2) + "\n").encode()
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return dst


def _refused(path) -> str:
    with pytest.raises(BundleError) as err:
        zip_bundle.read_zip(path)
    return str(err.value)


def _incident_record(doc, summary):
    return next(r for r in doc["records"] if r[0] == "incidents" and r[2].get("summary") == summary)


def test_a_changed_record_in_the_streamed_ledger_is_refused(sent_zip, tmp_path):
    """Tamper evidence (PHA 1997 s.2A evidence kept whole): a carried record changed without
    its entry no longer hashes to the entry's content hash."""

    def change(doc):
        _incident_record(doc, "Twelve texts overnight")[2]["summary"] = "Two texts overnight"

    text = _refused(_forge(sent_zip, tmp_path / "f.zip", change))
    assert "does not match its ledger entry: the bundle was changed." in text


def test_a_missing_entry_in_the_streamed_ledger_is_refused(sent_zip, tmp_path):
    def drop(doc):
        del doc["entries"][2]

    text = _refused(_forge(sent_zip, tmp_path / "f.zip", drop))
    assert "the entries do not run unbroken from 1 to the manifest's head" in text


def test_reordered_entries_are_refused_as_not_unbroken(sent_zip, tmp_path):
    """The builder writes entries in ascending order; the streamed check follows the chain as
    it comes, so entries in any other order are refused (the whole-document check sorted
    them and accepted this)."""

    def swap(doc):
        doc["entries"][1], doc["entries"][2] = doc["entries"][2], doc["entries"][1]

    text = _refused(_forge(sent_zip, tmp_path / "f.zip", swap))
    assert "the entries do not run unbroken from 1 to the manifest's head" in text


def test_an_entry_given_twice_is_still_named_as_such(sent_zip, tmp_path):
    def twice(doc):
        doc["entries"].insert(3, list(doc["entries"][1]))

    text = _refused(_forge(sent_zip, tmp_path / "f.zip", twice))
    assert "an entry is not in the form the ledger writes, or appears twice." in text


def test_a_changed_chain_entry_is_named(sent_zip, tmp_path):
    def change(doc):
        doc["entries"][2][1] = "2020-01-01T00:00:00Z"

    text = _refused(_forge(sent_zip, tmp_path / "f.zip", change))
    assert "ledger entry 3 does not follow from the one before it" in text


def test_a_record_left_out_is_named(sent_zip, tmp_path):
    def drop(doc):
        doc["records"].remove(_incident_record(doc, "Twelve texts overnight"))

    text = _refused(_forge(sent_zip, tmp_path / "f.zip", drop))
    assert "is in the ledger but not carried: the bundle was changed." in text


def test_ledger_parts_out_of_order_are_refused(sent_zip, tmp_path):
    def move(doc):
        doc["entries"] = doc.pop("entries")  # after the records

    text = _refused(_forge(sent_zip, tmp_path / "f.zip", move))
    assert "not in the order stalklog writes them" in text


def test_a_ledger_that_is_json_but_not_an_object_is_not_a_stalklog_ledger():
    manifest = {"ledger_head": {"seq": 0, "hash": ledger.GENESIS}}
    with pytest.raises(BundleError, match="not a stalklog ledger"):
        zip_ledger.check(b"[1, 2]", manifest, {})
    with pytest.raises(BundleError, match="not valid JSON"):
        zip_ledger.check(b'{"format": ', manifest, {})


def test_a_bound_field_changed_in_bundle_json_is_named_after_the_digest_differs(sent_zip, tmp_path):
    """The digest only finds that an item differs; the careful comparison names the field."""

    def change(doc):
        next(i for i in doc["incidents"] if i["summary"] == "Twelve texts overnight")["channel"] = "letter"

    text = _refused(_forge(sent_zip, tmp_path / "f.zip", change_bundle=change))
    assert "(channel) is not what the sender's ledger records" in text


def test_an_item_in_another_form_that_says_the_same_is_accepted(sent_zip, tmp_path):
    """below_threshold as 0 rather than false: not the form the digest expects, the same value
    to the careful comparison (``_same``), so accepted as before."""

    def change(doc):
        for inc in doc["incidents"]:
            inc["below_threshold"] = 0

    checked = zip_bundle.read_zip(_forge(sent_zip, tmp_path / "f.zip", change_bundle=change))
    assert checked.ledger["records_checked"] > 0


_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.floats(allow_nan=True)
    | st.sampled_from(["", "a", "[]", '["a"]', '{"a": 1}', "[1.0]", "[true]"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["a", "b"]), inner, max_size=2),
    max_leaves=5,
)


@given(field=st.sampled_from(["interim", "protects", "court", "conditions"]), bundle_value=_VALUES, row_value=_VALUES)
@settings(max_examples=400, deadline=None)
def test_equal_digests_mean_the_careful_comparison_agrees(field, bundle_value, row_value):
    """The quick path may only accept what ``_same`` accepts: an item whose digest is its
    record's says the same in every bound field (a false "differs" only costs the careful way)."""
    row, item = {field: row_value}, {field: bundle_value}
    digest = zip_ledger._row_digest("orders", row)
    if digest is not None and zip_ledger._item_digest("orders", item) == digest:
        assert zip_ledger._same(bundle_value, row_value)


@pytest.mark.parametrize(
    "withheld", [5, "x", [[[1], 2]], [["incidents", [1]]], [["incidents"]], [[1, 2]], [["incidents", True]]]
)
def test_a_forged_withheld_list_is_refused_in_words_not_a_crash(sent_zip, tmp_path, withheld):
    """A ledger.json whose ``withheld`` is not a list of [entity, id] pairs stopped the
    import with an unexpected TypeError; it is refused as a changed bundle, and nothing is read."""

    def change(doc):
        doc["withheld"] = withheld

    message = _refused(_forge(sent_zip, tmp_path / "w.zip", change_ledger=change))
    assert "withheld is not a list of [entity, id] pairs" in message


@pytest.mark.parametrize("key", [[["incidents"], 1], ["incidents", [1]], [{"a": 1}, 1]])
def test_a_record_whose_entity_or_id_is_not_a_name_or_number_is_refused(sent_zip, tmp_path, key):
    def change(doc):
        doc["records"][0][0], doc["records"][0][1] = key

    message = _refused(_forge(sent_zip, tmp_path / "r.zip", change_ledger=change))
    assert "a record is not [entity, id, row]" in message
