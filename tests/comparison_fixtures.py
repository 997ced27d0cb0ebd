"""Hand-built Comparisons from real UN text (A/RES/75/190 → A/RES/76/177), for the renderer tests.

The engine (resdiff.compare) is written elsewhere; these fixtures let the renderers be
tested on their own. Spans are computed here with difflib over word tokens, which
is enough to give realistic, exactly rebuildable spans; every kind of pair appears:
unchanged, changed with a routine symbol update, renumbered, moved, split, merged,
added, removed, a sub-item change and a footnote change.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from datetime import date

from hypothesis import strategies as st

from resdiff.model import (
    Comparison,
    DocKind,
    Document,
    Footnote,
    Metadata,
    Pair,
    PairKind,
    Span,
    SpanOp,
    Unit,
    UnitKind,
)

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def _tokens(parts: Sequence[str]) -> list[tuple[str, int]]:
    return [(t, k) for k, text in enumerate(parts) for t in _TOKEN.findall(text)]


def diff_spans(old: Sequence[str], new: Sequence[str]) -> tuple[Span, ...]:
    """Word-level spans between the old parts and the new parts (test helper, not the engine).

    Equal tokens carry both part indices; a deleted token carries the new part of the
    position where it stood, an inserted one the old part of its position.
    """
    a, b = _tokens(old), _tokens(new)
    sm = difflib.SequenceMatcher(None, [t for t, _ in a], [t for t, _ in b], autojunk=False)
    raw: list[tuple[SpanOp, str, int, int]] = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        near_new = b[min(j1, len(b) - 1)][1] if b else 0
        near_old = a[min(i1, len(a) - 1)][1] if a else 0
        if tag == "equal":
            for (t, op_), (_, np_) in zip(a[i1:i2], b[j1:j2], strict=True):
                raw.append((SpanOp.EQUAL, t, op_, np_))
            continue
        for t, op_ in a[i1:i2]:
            raw.append((SpanOp.DELETE, t, op_, near_new))
        for t, np_ in b[j1:j2]:
            raw.append((SpanOp.INSERT, t, near_old, np_))
    spans: list[Span] = []
    for op, t, o, n in raw:
        if spans and spans[-1].op is op and spans[-1].old_part == o and spans[-1].new_part == n:
            spans[-1] = Span(op, spans[-1].text + t, o, n)
        else:
            spans.append(Span(op, t, o, n))
    return tuple(spans)


def similarity(old: Sequence[str], new: Sequence[str]) -> float:
    a = " ".join(old).split()
    b = " ".join(new).split()
    return round(difflib.SequenceMatcher(None, a, b, autojunk=False).ratio(), 4)


def make_pair(
    kind: PairKind,
    old: Sequence[tuple[str, str]],
    new: Sequence[tuple[str, str]],
    *,
    renumbered: bool = False,
    routine: bool = False,
) -> Pair:
    """A pair from (label, text) lists on each side."""
    old_texts = [t for _, t in old]
    new_texts = [t for _, t in new]
    sim = 1.0 if kind is PairKind.UNCHANGED else similarity(old_texts, new_texts)
    if kind in (PairKind.ADDED, PairKind.REMOVED):
        sim = 0.0
    return Pair(
        kind=kind,
        old=tuple(lb for lb, _ in old),
        new=tuple(lb for lb, _ in new),
        spans=diff_spans(old_texts, new_texts),
        similarity=sim,
        renumbered=renumbered,
        routine=routine,
    )


def _kind(label: str) -> UnitKind:
    if "(" in label:
        return UnitKind.SUBITEM
    return UnitKind.PREAMBULAR if label.startswith("PP") else UnitKind.OPERATIVE


def _lead(text: str) -> str:
    # Lead words: the words before the first lower-case word that follows them
    # ("Recalling", "Strongly urges"); good enough for fixtures.
    m = re.match(
        r"^((?:[A-Z]\w*)(?: (?:also|further|its|with|deep|deeply|grave|strongly|urges|"
        r"calls|upon|encourages|concern|continue|to)\b)*)",
        text,
    )
    return m.group(1) if m else ""


def build_comparison(
    pairs: Sequence[Pair],
    old_order: Sequence[str],
    new_order: Sequence[str],
    *,
    old_meta: Metadata,
    new_meta: Metadata,
    footnote_pairs: Sequence[Pair] = (),
    cites: dict[str, tuple[int, ...]] | None = None,
) -> Comparison:
    """Documents rebuilt from the pairs' spans, so the comparison is consistent by construction."""
    old_text: dict[str, str] = {}
    new_text: dict[str, str] = {}
    for p in pairs:
        old_text.update(zip(p.old, p.old_texts(), strict=True))
        new_text.update(zip(p.new, p.new_texts(), strict=True))
    cites = cites or {}

    def units(order: Sequence[str], text: dict[str, str]) -> tuple[Unit, ...]:
        return tuple(
            Unit(lb, _kind(lb), text[lb], _lead(text[lb]), cites.get(lb, ())) for lb in order
        )

    def notes(side: str) -> tuple[Footnote, ...]:
        out = []
        for p in footnote_pairs:
            labels, texts = (p.old, p.old_texts()) if side == "old" else (p.new, p.new_texts())
            out += [Footnote(int(lb[2:]), t) for lb, t in zip(labels, texts, strict=True)]
        return tuple(sorted(out, key=lambda f: f.number))

    return Comparison(
        old=Document(old_meta, units(old_order, old_text), notes("old")),
        new=Document(new_meta, units(new_order, new_text), notes("new")),
        pairs=tuple(pairs),
        footnotes=tuple(footnote_pairs),
        settings={"match_threshold": 0.5, "dmp_timeout": 0.0, "granularity": "word"},
        settings_hash="3f1c0d9a5be47e21c6a0f0e0d87b3c55aa0f4e8e1d2c3b4a5968778695a4b3c2",
    )


# --- the realistic fixture: A/RES/75/190 → A/RES/76/177 (abridged, with edits) ------------

TITLE = "Situation of human rights in the Democratic People’s Republic of Korea"

OLD_META = Metadata(
    symbol="A/RES/75/190",
    kind=DocKind.RESOLUTION,
    session=75,
    body="Third Committee",
    agenda_item="72 (c)",
    distribution_date=date(2020, 12, 28),
    adoption_date=date(2020, 12, 16),
    meeting="on the report of the Third Committee (A/75/478/Add.3, para. 32)",
    title=TITLE,
)
NEW_META = Metadata(
    symbol="A/RES/76/177",
    kind=DocKind.RESOLUTION,
    session=76,
    body="Third Committee",
    agenda_item="74 (c)",
    distribution_date=date(2022, 1, 10),
    adoption_date=date(2021, 12, 16),
    meeting="on the report of the Third Committee (A/76/462/Add.3, para. 34)",
    title=TITLE,
)

DPRK = "Democratic People’s Republic of Korea"
PP1 = (
    "Reaffirming that all States have an obligation to promote and protect human rights and "
    "fundamental freedoms and to fulfil the obligations that they have undertaken under the "
    "various international instruments,"
)
RECALL = (
    "Recalling all previous resolutions adopted by the General Assembly, the Commission on "
    "Human Rights and the Human Rights Council on the situation of human rights in the "
    f"{DPRK}, including Assembly resolution {{res}} and Council resolution {{hrc}}, and "
    "mindful of the need for the international community to strengthen its coordinated "
    "efforts aimed at achieving the implementation of those resolutions,"
)
PP3 = (
    "Deeply concerned at the grave human rights situation, the pervasive culture of impunity "
    "and the lack of accountability for human rights violations and abuses in the "
    f"{DPRK},"
)
PP4_OLD = (
    "Reiterating the importance of following up on the recommendations contained in the report "
    f"of the commission of inquiry on human rights in the {DPRK}, and reiterating also its "
    "grave concern at the detailed findings contained therein,"
)
PP_NOTE_A = (
    "Noting with deep concern the humanitarian situation in the country, which has been "
    "aggravated by the closure of the borders,"
)
PP_NOTE_B = "Noting that the closure has limited the presence of the international community,"
PP_NOTE_MERGED = (
    "Noting with deep concern the humanitarian situation in the country, which has been "
    "aggravated by the closure of the borders and has limited the presence of the "
    "international community,"
)
OP2IV_OLD = (
    "The forcible transfer of populations and the limitations imposed on the freedom of "
    "movement, including on the freedom to leave the country;"
)
OP2IV_NEW = (
    "The forcible transfer of populations and the limitations imposed on the freedom of "
    "movement, both within the country and abroad, including on the freedom to leave the "
    "country and the right to return;"
)
OP12 = (
    "Encourages the Security Council to continue its consideration of the relevant conclusions "
    "and recommendations of the commission of inquiry and take appropriate action to ensure "
    "accountability, including through consideration of referral of the situation in the "
    f"{DPRK} to the International Criminal Court and consideration of further sanctions in order "
    "to target effectively those who appear to be most responsible for human rights violations "
    "that the commission has said may constitute crimes against humanity;"
)
OP12_A = (
    "Encourages the Security Council to continue its consideration of the relevant conclusions "
    "and recommendations of the commission of inquiry and take appropriate action to ensure "
    "accountability;"
)
OP12_B = (
    "Also encourages the Security Council to consider referral of the situation in the "
    f"{DPRK} to the International Criminal Court and further sanctions in order to target "
    "effectively those who appear to be most responsible for human rights violations that the "
    "commission has said may constitute crimes against humanity;"
)
OP14 = (
    "Encourages the continuing endeavours of the Office of the United Nations High "
    "Commissioner for Human Rights, including through its field-based structure in Seoul, in "
    "developing a central repository for information and evidence relating to suspected "
    "violations of international law;"
)
OP19 = (
    "Reiterates the importance of maintaining high on the international agenda the grave human "
    f"rights situation in the {DPRK}, including through sustained communications, advocacy and "
    "outreach initiatives;"
)
OP_ADDED = (
    "Urges the Government of the Democratic People’s Republic of Korea to implement the "
    "recommendations of the commission of inquiry, the group of independent experts and the "
    "Office of the United Nations High Commissioner for Human Rights without delay;"
)
OP_REMOVED = (
    "Expresses its concern at the reported repatriation of refugees and asylum-seekers, and "
    "urges all States to respect the fundamental principle of non-refoulement;"
)
DECIDES = (
    "Decides to continue its examination of the situation of human rights in the "
    f"{DPRK} at its {{session}} session, and to this end requests the Secretary-General to "
    "submit a comprehensive report."
)
FN1 = (
    "See Official Records of the General Assembly, {ordinal} Session, Supplement No. 53 "
    "({symbol}), chap. {chap}, sect. A."
)


def dprk_comparison() -> Comparison:
    """A/RES/75/190 → A/RES/76/177, abridged: one pair of every kind."""
    U, C, M = PairKind.UNCHANGED, PairKind.CHANGED, PairKind.MOVED
    recall_old = RECALL.format(res="74/166 of 18 December 2019", hrc="43/25 of 22 June 2020")
    recall_new = RECALL.format(res="75/190 of 16 December 2020", hrc="46/17 of 23 March 2021")
    pairs = [
        make_pair(U, [("PP1", PP1)], [("PP1", PP1)]),
        make_pair(C, [("PP2", recall_old)], [("PP2", recall_new)], routine=True),
        make_pair(U, [("PP3", PP3)], [("PP3", PP3)]),
        make_pair(PairKind.REMOVED, [("PP4", PP4_OLD)], []),
        make_pair(
            PairKind.MERGED,
            [("PP5", PP_NOTE_A), ("PP6", PP_NOTE_B)],
            [("PP4", PP_NOTE_MERGED)],
            renumbered=True,
        ),
        make_pair(U, [("OP1", OP19)], [("OP1", OP19)]),
        make_pair(C, [("OP2(a)(iv)", OP2IV_OLD)], [("OP2(a)(iv)", OP2IV_NEW)]),
        make_pair(M, [("OP5", OP14)], [("OP3", OP14)], renumbered=True),
        make_pair(
            PairKind.SPLIT, [("OP3", OP12)], [("OP4", OP12_A), ("OP5", OP12_B)], renumbered=True
        ),
        make_pair(PairKind.ADDED, [], [("OP6", OP_ADDED)]),
        make_pair(PairKind.REMOVED, [("OP4", OP_REMOVED)], []),
        make_pair(
            C,
            [("OP6", DECIDES.format(session="seventy-sixth"))],
            [("OP7", DECIDES.format(session="seventy-seventh"))],
            renumbered=True,
            routine=True,
        ),
    ]
    footnotes = [
        make_pair(
            C,
            [("fn1", FN1.format(ordinal="Seventy-fifth", symbol="A/75/53", chap="IV"))],
            [("fn1", FN1.format(ordinal="Seventy-sixth", symbol="A/76/53", chap="V"))],
            routine=True,
        ),
        make_pair(U, [("fn2", "A/HRC/25/63.")], [("fn2", "A/HRC/25/63.")]),
    ]
    old_order = [
        "PP1",
        "PP2",
        "PP3",
        "PP4",
        "PP5",
        "PP6",
        "OP1",
        "OP2(a)(iv)",
        "OP3",
        "OP4",
        "OP5",
        "OP6",
    ]
    new_order = ["PP1", "PP2", "PP3", "PP4", "OP1", "OP2(a)(iv)", "OP3", "OP4", "OP5", "OP6", "OP7"]
    return build_comparison(
        pairs,
        old_order,
        new_order,
        old_meta=OLD_META,
        new_meta=NEW_META,
        footnote_pairs=footnotes,
        cites={"PP2": (1,)},
    )


HOSTILE = (
    "<script>alert(1)</script> & \"quoted\" 'single' </script> javascript:alert(2) "
    "{{ config }} {% raw %} <img src=x onerror=alert(3)> *bold* _em_ [link](javascript:x) "
    "| pipe ~~strike~~ `code` # heading \x1b[31m &amp; &lt;"
)


def hostile_comparison() -> Comparison:
    """Every string a document controls carries markup, template syntax and escapes."""
    meta_old = Metadata(symbol="A/RES/1/<b>1</b>", title=HOSTILE, sponsors=(HOSTILE, "Chad"))
    meta_new = Metadata(symbol='A/RES/2/"2"', title="T & <i>x</i>", sponsors=("Chad",))
    pairs = [
        make_pair(PairKind.UNCHANGED, [("PP1", HOSTILE)], [("PP1", HOSTILE)]),
        make_pair(
            PairKind.CHANGED,
            [("OP1", "Decides " + HOSTILE)],
            [("OP1", "Decides <b>now</b> " + HOSTILE + " </style>")],
        ),
        make_pair(PairKind.ADDED, [], [("OP2", "<script>x()</script> {{ 7*7 }}")]),
        make_pair(PairKind.REMOVED, [("OP2", 'javascript:void(0) " onmouseover="x')], []),
        make_pair(PairKind.MOVED, [("OP3", HOSTILE + " moved")], [("OP3", HOSTILE + " moved")]),
    ]
    footnotes = [make_pair(PairKind.CHANGED, [("fn1", "<a href=x>")], [("fn1", HOSTILE)])]
    return build_comparison(
        pairs,
        ["PP1", "OP1", "OP2", "OP3"],
        ["PP1", "OP1", "OP2", "OP3"],
        old_meta=meta_old,
        new_meta=meta_new,
        footnote_pairs=footnotes,
    )


# --- generated comparisons, for the Hypothesis properties --------------------------------


def comparisons() -> st.SearchStrategy[Comparison]:
    """Random but consistent comparisons: every kind, multi-part pairs, hostile text."""
    return st.builds(_generated, st.data())


_TEXT = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12),
    st.sampled_from(
        [
            " ",
            "<script>",
            "</script>",
            "&amp;",
            "&",
            '"',
            "'",
            "javascript:",
            "{{ x }}",
            "{% if %}",
            "*",
            "_",
            "[a](b)",
            "|",
            "¶",
            "§",
            " and ",
            "OP5",
            "\u00a0",
            "—",
        ]
    ),
)

_OPS = {
    PairKind.UNCHANGED: [SpanOp.EQUAL],
    PairKind.ADDED: [SpanOp.INSERT],
    PairKind.REMOVED: [SpanOp.DELETE],
}


def _generated(data: st.DataObject) -> Comparison:
    n = data.draw(st.integers(0, 7), label="pairs")
    old_n = new_n = 0
    pairs = []
    for _ in range(n):
        kind = data.draw(st.sampled_from(list(PairKind)))
        n_old = {PairKind.ADDED: 0, PairKind.MERGED: data.draw(st.integers(2, 3))}.get(kind, 1)
        n_new = {PairKind.REMOVED: 0, PairKind.SPLIT: data.draw(st.integers(2, 3))}.get(kind, 1)
        ops = _OPS.get(kind, list(SpanOp))
        spans = []
        for _ in range(data.draw(st.integers(0, 6))):
            op = data.draw(st.sampled_from(ops))
            o = data.draw(st.integers(0, max(n_old - 1, 0)))
            nw = data.draw(st.integers(0, max(n_new - 1, 0)))
            spans.append(Span(op, data.draw(_TEXT), o, nw))
        old = tuple(f"PP{old_n + k + 1}" for k in range(n_old))
        new = tuple(f"OP{new_n + k + 1}" for k in range(n_new))
        old_n += n_old
        new_n += n_new
        pairs.append(
            Pair(
                kind,
                old,
                new,
                tuple(spans),
                similarity=data.draw(st.floats(0, 1)),
                renumbered=data.draw(st.booleans()),
                routine=data.draw(st.booleans()),
            )
        )
    old_labels = [lb for p in pairs for lb in p.old]
    old_order = data.draw(st.permutations(old_labels))
    new_order = [lb for p in pairs for lb in p.new]
    fn_pairs = []
    if data.draw(st.booleans()):
        fn_pairs.append(
            Pair(
                PairKind.CHANGED,
                ("fn1",),
                ("fn1",),
                (Span(SpanOp.DELETE, data.draw(_TEXT)), Span(SpanOp.INSERT, data.draw(_TEXT))),
            )
        )
    return build_comparison(
        pairs,
        old_order,
        new_order,
        old_meta=OLD_META,
        new_meta=NEW_META,
        footnote_pairs=fn_pairs,
    )
