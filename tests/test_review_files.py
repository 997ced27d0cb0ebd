"""Review of two files: no store needed or created, the --against text is precedent, and
the review says which precedent it searched, in every format."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from conftest import SEED, SERIES
from test_review_audit import holds, oracle_norm

from resdiff.errors import UsageError
from resdiff.ingest import parse_file
from resdiff.model import DocKind, Document, Metadata, Unit, UnitKind
from resdiff.render.review import render_review
from resdiff.render.review_view import quote
from resdiff.review import review

OLD = SERIES / "A_RES_76_177.txt"
NEW = SERIES / "A_RES_78_218.txt"
NO_STORE = "the --against text only: no store"


def _doc(symbol: str, day: date, texts: list[str]) -> Document:
    units = tuple(
        Unit(f"OP{i}", UnitKind.OPERATIVE, t, t.split(" ")[0]) for i, t in enumerate(texts, 1)
    )
    kind = DocKind.DRAFT if "/L." in symbol else DocKind.RESOLUTION
    meta = Metadata(symbol=symbol, kind=kind, distribution_date=day, adoption_date=None)
    return Document(meta, units)


def _claims(pack: object) -> dict[str, str]:
    return {x.query: x.status for n in pack.notes for x in n.provenance}  # type: ignore[attr-defined]


def test_wording_the_against_text_holds_is_never_new_language() -> None:
    old = _doc(
        "A/RES/90/1",
        date(2035, 12, 1),
        [
            "Calls upon Member States to cooperate fully with the Special Rapporteur;",
            "Takes note with appreciation of the report of the Secretary-General;",
            "Encourages States to strengthen health-care systems and labour protections;",
        ],
    )
    new = _doc(
        "A/C.3/91/L.1",
        date(2036, 11, 1),
        [
            "Takes note with appreciation of the report of the Secretary-General;",
            "Also calls upon Member States to cooperate fully with the Special Rapporteur;",
            "Encourages States to strengthen healthcare systems and labor protections;",
            "Decides to establish a wholly unprecedented verification panel on seabed mining;",
        ],
    )
    pack = review(None, new, against=old)
    claims = _claims(pack)
    # The moved paragraph and the lead adverb are not new; the respellings raise nothing.
    assert [q for q, s in claims.items() if s == "new language"] == [
        "Decides to establish a wholly unprecedented verification panel on seabed mining"
    ] or all("seabed" in q for q, s in claims.items() if s == "new language")
    assert not any("labor" in q or "healthcare" in q for q in claims)
    assert not any(q.lower().startswith(("also", "further")) for q in claims)
    assert pack.precedent == NO_STORE


def test_a_lead_adverb_alone_is_never_new_language() -> None:
    old = _doc("A/RES/90/2", date(2035, 12, 1), ["Encourages States to act now;"])
    for lead in ("Also encourages", "Further encourages"):
        new = _doc("A/C.3/91/L.2", date(2036, 11, 1), [f"{lead} States to act now;"])
        # At most the wording without its adverb, agreed in the text it is read against.
        assert set(_claims(review(None, new, against=old)).values()) <= {"agreed"}
    new = _doc("A/C.3/91/L.2", date(2036, 11, 1), ["Encourages further States to act now;"])
    assert "new language" not in _claims(review(None, new, against=old)).values()


def test_two_files_on_the_real_dprk_pair_claim_nothing_the_baseline_holds() -> None:
    pack = review(None, str(NEW), against=str(OLD))
    base = oracle_norm("\n".join(u.text for u in pack.comparison.old.units))
    new_claims = [q for q, s in _claims(pack).items() if s == "new language"]
    assert len(new_claims) > 10
    assert [q for q in new_claims if holds(oracle_norm(q), base)] == []
    assert pack.precedent == NO_STORE


def test_without_a_store_the_against_text_is_required() -> None:
    with pytest.raises(UsageError, match="--against"):
        review(None, str(NEW))


def _cli(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "RESDIFF_DB"}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"))
    return subprocess.run(
        [sys.executable, "-m", "resdiff", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=home,
    )


@pytest.mark.parametrize("fmt", ["text", "md", "html", "json", "docx"])
def test_review_command_on_two_files_needs_and_creates_no_store(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"review.{fmt}"
    r = _cli(
        ["review", str(SEED), "--against", str(OLD), "--format", fmt, "-o", str(out)], tmp_path
    )
    assert r.returncode == 0, r.stderr
    assert not (tmp_path / "data" / "resdiff" / "resdiff.db").exists()
    assert not list(tmp_path.rglob("*.db"))
    if fmt == "json":
        assert json.loads(out.read_text(encoding="utf-8"))["precedent"] == NO_STORE
    elif fmt == "docx":
        with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as z:
            assert NO_STORE in z.read("word/document.xml").decode("utf-8")
    else:
        assert f"Precedent searched: {NO_STORE}" in " ".join(out.read_text("utf-8").split())


def test_a_store_named_with_db_must_exist(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    r = _cli(["--db", f"sqlite:///{missing}", "review", str(SEED), "--against", str(OLD)], tmp_path)
    assert r.returncode != 0 and "no database" in r.stderr
    assert not missing.exists()


def test_with_a_store_the_header_counts_what_was_searched(tmp_path: Path) -> None:
    from resdiff.store import open_store

    with open_store(f"sqlite:///{tmp_path / 's.db'}") as store:
        store.add(parse_file(SERIES / "A_RES_75_190.txt"))
        store.add(parse_file(OLD))
        pack = review(store, str(NEW), against=str(OLD))
    assert pack.precedent.startswith("the --against text and 2 stored documents (2 adopted")
    assert "Precedent searched: the --against text and 2 stored" in render_review(pack, "md")


def test_excerpts_are_cut_between_words() -> None:
    text = " ".join(f"word{i:03d}" for i in range(100))
    shown = quote(text, 60)
    head, tail = shown.strip("“”").split(" … ")
    assert all(w in text.split() for w in head.split() + tail.split())
    assert len(shown) <= 62


@pytest.mark.parametrize(
    ("sponsors", "reads"), [(("Cuba",), "1 sponsor"), (("Cuba", "Chad"), "2 sponsors")]
)
def test_the_sponsor_count_reads_in_the_singular_and_the_plural(
    sponsors: tuple[str, ...], reads: str
) -> None:
    old = _doc(
        "A/RES/90/1", date(2035, 12, 1), ["Takes note of the report of the Secretary-General;"]
    )
    new = _doc(
        "A/C.3/91/L.1", date(2036, 11, 1), ["Takes note of the report of the Secretary-General;"]
    )
    new = Document(dataclasses.replace(new.metadata, sponsors=sponsors), new.units)
    pack = review(None, new, against=old)
    html = render_review(pack, "html")
    text = render_review(pack, "text", color=False)
    assert f"{reads}:" in text and f"{reads}:" in html and f"<summary>{reads}</summary>" in html
    assert "1 sponsors" not in text + html
