"""Cross-references at risk: internal references found, external ignored, stale ones reported."""

from __future__ import annotations

from pathlib import Path

from conftest import SERIES

from resdiff.compare import compare
from resdiff.ingest import parse_file
from resdiff.model import Document, Metadata, Unit, UnitKind
from resdiff.review.crossrefs import find_references, references_at_risk


def _doc(*texts: str, subs: dict[int, list[str]] | None = None) -> Document:
    units = []
    for i, t in enumerate(texts, 1):
        lead = " ".join(t.split()[:1])
        units.append(Unit(f"OP{i}", UnitKind.OPERATIVE, t, lead))
        for j, s in enumerate((subs or {}).get(i, [])):
            units.append(Unit(f"OP{i}({'abcdefgh'[j]})", UnitKind.SUBITEM, s))
    return Document(Metadata(), tuple(units))


FILLER = [
    "Urges States to ratify the Convention on the Rights of the Child without delay;",
    "Calls upon States to end child labour in all its forms by the year 2030;",
    "Encourages the cooperation of agencies on the nutrition of young children;",
    "Requests the Secretary-General to report on the implementation of the resolution;",
]


def test_find_internal_references() -> None:
    doc = _doc(
        "Recalls paragraphs 3 and 4 of the present resolution and paragraph 2 (a) above;",
        "Acts in accordance with paragraph 7 below and operative paragraph 5;",
        "Recalls paragraph 5 of resolution 75/190 and paragraph 12 of the Vienna Declaration;",
        "Notes subparagraph (b) above and paragraphs 1 to 3 above;",
        subs={4: ["first item;", "second item, as in subparagraph (a) above;"]},
    )
    found = [(r.unit, r.text, r.targets) for r in find_references(doc)]
    assert found == [
        ("OP1", "paragraphs 3 and 4 of the present resolution", ("OP3", "OP4")),
        ("OP1", "paragraph 2 (a) above", ("OP2(a)",)),
        ("OP2", "paragraph 7 below", ("OP7",)),
        ("OP2", "operative paragraph 5", ("OP5",)),
        ("OP4", "subparagraph (b) above", ("OP4(b)",)),
        ("OP4", "paragraphs 1 to 3 above", ("OP1", "OP2", "OP3")),
        ("OP4(b)", "subparagraph (a) above", ("OP4(a)",)),
    ]
    r = find_references(doc)[0]
    assert doc.unit(r.unit).text[r.start : r.start + len(r.text)] == r.text


def test_renumbered_target_is_at_risk() -> None:
    ref = "Decides to review the measures in paragraph 3 above at its next session;"
    old = _doc(*FILLER, ref)
    new = _doc("Welcomes the new global alliance against hunger and poverty;", *FILLER, ref)
    [risk] = references_at_risk(compare(old, new))
    assert (risk.unit, risk.printed, risk.old_target, risk.new_target, risk.reason) == (
        "OP6",
        "OP3",
        "OP3",
        "OP4",
        "renumbered",
    )
    assert risk.explanation == (
        "“paragraph 3 above” in OP6 meant old OP3, which is now OP4: it should read paragraph 4"
    )


def test_removed_target_is_at_risk() -> None:
    ref = "Decides to review the measures in paragraph 3 above at its next session;"
    old = _doc(*FILLER, ref)
    new = _doc(FILLER[0], FILLER[1], FILLER[3], "Something else entirely new here;", ref)
    risks = references_at_risk(compare(old, new))
    assert [(r.printed, r.reason, r.new_target) for r in risks] == [("OP3", "removed", None)]
    assert "meant old OP3, which was removed" in risks[0].explanation


def test_fine_when_numbers_still_hold_or_were_updated() -> None:
    ref = "Decides to review the measures in paragraph 3 above at its next session;"
    old = _doc(*FILLER, ref)
    assert references_at_risk(compare(old, old)) == ()
    # A paragraph added after the target: the reference still holds.
    assert references_at_risk(compare(old, _doc(*FILLER, ref, "Decides to remain seized;"))) == ()
    # The drafter updated the number along with the insertion: fine.
    updated = ref.replace("paragraph 3", "paragraph 4")
    new = _doc("Welcomes the new global alliance against hunger;", *FILLER, updated)
    assert references_at_risk(compare(old, new)) == ()


def test_missing_target_and_external_ignored() -> None:
    old = _doc(*FILLER)
    new = _doc(
        *FILLER,
        "Recalls paragraph 9 above and paragraph 5 of resolution 75/190 and paragraph 12 of "
        "the Vienna Declaration;",
    )
    [risk] = references_at_risk(compare(old, new))
    assert (risk.printed, risk.reason) == ("OP9", "missing")
    assert (
        risk.explanation == "“paragraph 9 above” in OP5 names OP9, which the new text does not have"
    )


def test_real_nazism_draft_references_went_stale(shared_corpus: Path) -> None:
    # A/RES/79/160 OP4 (the pretextual-use paragraph) is gone from A/C.3/80/L.2, but OP68 of
    # the draft still cites "paragraphs 5, 12, ... 50 above" and "paragraph 66 above" as
    # printed in 79/160 OP69: every one of those paragraphs moved up by one.
    old = parse_file(SERIES / "A_RES_79_160.txt")
    new = parse_file(SERIES / "A_C.3_80_L.2.txt")
    refs = find_references(new)
    assert [(r.unit, r.text) for r in refs] == [
        ("OP68", "paragraphs 5, 12, 14, 15, 16, 20, 28, 29, 30, 48 and 50 above"),
        ("OP68", "paragraph 66 above"),
    ]
    risks = references_at_risk(compare(old, new))
    assert [(r.printed, r.new_target, r.reason) for r in risks] == [
        (f"OP{n}", f"OP{n - 1}", "renumbered")
        for n in (5, 12, 14, 15, 16, 20, 28, 29, 30, 48, 50, 66)
    ]
    assert risks[-1].explanation == (
        "“paragraph 66 above” in OP68 meant old OP66, which is now OP65: it should read paragraph 65"
    )


def test_real_adopted_text_updated_its_numbers(shared_corpus: Path) -> None:
    # A/RES/80/192 (after amendment L.56 added a paragraph) prints "paragraphs 6, 13, ..."
    # and "paragraph 67 above": not carried over, all targets exist.
    old = parse_file(SERIES / "A_C.3_80_L.2.txt")
    new = parse_file(SERIES / "A_RES_80_192.txt")
    assert [r.targets[0] for r in find_references(new)] == ["OP6", "OP67"]
    assert references_at_risk(compare(old, new)) == ()
    # Resolutions 78/190 -> 79/160 kept both numbering and references.
    prev = parse_file(SERIES / "A_RES_78_190.txt")
    assert references_at_risk(compare(prev, parse_file(SERIES / "A_RES_79_160.txt"))) == ()


def test_no_false_references_in_corpus(shared_corpus: Path) -> None:
    # Every paragraph reference in the series corpus, read by hand: the Nazism series
    # (OP68/OP69) cites its own paragraphs; the amendments L.56, L.64, L.65 ("In operative
    # paragraph 13, delete ...") cite their target draft's, so they are not internal.
    docs = [parse_file(p) for p in sorted(SERIES.glob("*.txt"))]
    found = sorted({(d.metadata.symbol or "", r.text) for d in docs for r in find_references(d)})
    symbols = sorted({s for s, _ in found})
    assert symbols == ["A/C.3/80/L.2", "A/RES/78/190", "A/RES/79/160", "A/RES/80/192"]
    assert len(found) == 8  # two references in each of the four
