"""The PDF route and the text route agree on the 67 UN PDFs and their extracted texts.

For each PDF in ``corpus/pdf/`` and the text of the same stem in ``corpus/series/``,
both parses must be the same, unit for unit and exactly: the same labels in the same
order, and for each unit the same kind, lead, text (character for character, no
matching key), footnote numbers and marker positions; the same footnotes (number and
text) and the same metadata. The PDF's fonts settle what the text route must find (an
italic lead, a raised footnote marker), so any difference is a text-route error until
shown otherwise; the failure message lists every one.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import PDFS, SERIES

from resdiff.ingest.pdf import parse_pdf
from resdiff.ingest.text import parse_text
from resdiff.model import Document, Metadata, Source, Unit

METADATA_FIELDS = [f.name for f in dataclasses.fields(Metadata)]


@dataclass(frozen=True)
class Disagreement:
    stem: str
    label: str
    what: str

    def __str__(self) -> str:
        return f"{self.stem} {self.label}: {self.what}"


def _around(a: str, b: str) -> str:
    i = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return f"PDF {a[max(0, i - 30) : i + 30]!r} vs text {b[max(0, i - 30) : i + 30]!r}"


def _explain(pdf_unit: Unit | None, text_unit: Unit | None) -> str | None:
    if pdf_unit is None or text_unit is None:
        only = "PDF" if text_unit is None else "text"
        unit = pdf_unit or text_unit
        assert unit is not None
        return f"only in the {only} route: {unit.text[:70]!r}"
    if pdf_unit.kind != text_unit.kind:
        return f"kind {pdf_unit.kind} vs {text_unit.kind}"
    if pdf_unit.lead != text_unit.lead:
        return f"lead {pdf_unit.lead!r} (PDF) vs {text_unit.lead!r} (text)"
    if pdf_unit.footnotes != text_unit.footnotes:
        return f"footnotes {pdf_unit.footnotes} (PDF) vs {text_unit.footnotes} (text)"
    if pdf_unit.text != text_unit.text:
        return f"text {_around(pdf_unit.text, text_unit.text)}"
    if pdf_unit.footnote_at != text_unit.footnote_at:
        return f"marker positions {pdf_unit.footnote_at} (PDF) vs {text_unit.footnote_at} (text)"
    return None


def compare(stem: str, pdf_doc: Document, text_doc: Document) -> tuple[int, list[Disagreement]]:
    """Number of units compared, and every disagreement between the two parses."""
    by_pdf = {u.label: u for u in pdf_doc.units}
    by_text = {u.label: u for u in text_doc.units}
    labels = list(dict.fromkeys([*by_text, *by_pdf]))
    out = []
    for label in labels:
        why = _explain(by_pdf.get(label), by_text.get(label))
        if why:
            out.append(Disagreement(stem, label, why))
    if not out and [u.label for u in pdf_doc.units] != [u.label for u in text_doc.units]:
        out.append(Disagreement(stem, "*", "the same units in another order"))
    pdf_notes = [(f.number, f.text) for f in pdf_doc.footnotes]
    text_notes = [(f.number, f.text) for f in text_doc.footnotes]
    for (pn, pt), (tn, tt) in zip(pdf_notes, text_notes, strict=False):
        if (pn, pt) != (tn, tt):
            out.append(
                Disagreement(stem, f"fn{pn}", f"footnote {_around(f'{pn} {pt}', f'{tn} {tt}')}")
            )
            break
    if len(pdf_notes) != len(text_notes):
        out.append(
            Disagreement(
                stem, "fn", f"{len(pdf_notes)} footnotes (PDF) vs {len(text_notes)} (text)"
            )
        )
    for name in METADATA_FIELDS:
        a, b = getattr(pdf_doc.metadata, name), getattr(text_doc.metadata, name)
        if a != b:
            out.append(Disagreement(stem, "metadata", f"{name}: {a!r} (PDF) vs {b!r} (text)"))
    return len(labels), out


def _docs(stem: str) -> tuple[Document, Document]:
    data = (PDFS / f"{stem}.pdf").read_bytes()
    pdf_doc = parse_pdf(data, Source(f"{stem}.pdf", "pdf", ""))
    text = (SERIES / f"{stem}.txt").read_text(encoding="utf-8")
    return pdf_doc, parse_text(text, Source(f"{stem}.txt", "text", ""))


STEMS = sorted(p.stem for p in PDFS.glob("*.pdf"))


def test_every_pdf_has_its_text() -> None:
    assert len(STEMS) == 67
    missing = [s for s in STEMS if not (SERIES / f"{s}.txt").is_file()]
    assert not missing


@pytest.mark.slow
def test_pdf_and_text_routes_agree() -> None:
    total = 0
    problems: list[Disagreement] = []
    for stem in STEMS:
        n, bad = compare(stem, *_docs(stem))
        total += n
        problems += bad
    print(f"PDF/text agreement: {total - len(problems)}/{total} units identical")
    assert not problems, f"{len(problems)} disagreements:\n" + "\n".join(map(str, problems))


@pytest.mark.parametrize("stem", ["A_RES_79_4", "A_RES_78_192", "A_C.3_80_L.26"])
def test_agreement_on_clean_documents(stem: str) -> None:
    # Documents with footnotes, sponsors and italic leads that both routes read alike.
    pdf_doc, text_doc = _docs(stem)
    n, bad = compare(stem, pdf_doc, text_doc)
    assert n >= 8
    assert not bad, "\n".join(map(str, bad))
    assert pdf_doc.metadata == text_doc.metadata
    assert any(u.footnote_at for u in text_doc.units)


def test_compare_reports_differences() -> None:
    pdf_doc, text_doc = _docs("A_RES_79_4")
    changed = dataclasses.replace(
        text_doc,
        units=(dataclasses.replace(text_doc.units[0], lead="Something else"), *text_doc.units[1:]),
    )
    _, bad = compare("x", pdf_doc, changed)
    assert [d.label for d in bad] == [text_doc.units[0].label]
    assert "lead" in bad[0].what


def test_compare_is_exact() -> None:
    # Differences a matching key would fold (a curly quote, case, a space) and marker
    # positions are disagreements too.
    pdf_doc, text_doc = _docs("A_RES_79_4")
    cited = next(u for u in text_doc.units if u.footnotes)
    edits = [
        {"text": cited.text.replace("the", "The", 1)},
        {"text": cited.text + " "},
        {"footnote_at": tuple(max(0, o - 1) for o in cited.footnote_at)},
    ]
    for edit in edits:
        units = tuple(dataclasses.replace(u, **edit) if u is cited else u for u in text_doc.units)
        _, bad = compare("x", pdf_doc, dataclasses.replace(text_doc, units=units))
        assert [d.label for d in bad] == [cited.label], edit
    notes = (dataclasses.replace(text_doc.footnotes[0], text="Other."), *text_doc.footnotes[1:])
    _, bad = compare("x", pdf_doc, dataclasses.replace(text_doc, footnotes=notes))
    assert [d.label for d in bad] == [f"fn{text_doc.footnotes[0].number}"]


def test_paths_exist() -> None:
    assert isinstance(PDFS, Path) and PDFS.is_dir()
