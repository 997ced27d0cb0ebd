"""Hand-verified phrase questions on the DPRK human-rights series (2017-2023).

Every expectation below was checked by reading the source texts in
../shared/corpus/series/ and seed/ (grep on the raw files, paragraph numbers and
sub-item letters counted by hand), not by running resdiff. The versions, in date order:
A/RES/72/188 (19 Dec 2017), 73/180 (17 Dec 2018), 74/166 (18 Dec 2019), 75/190
(16 Dec 2020), 76/177 (16 Dec 2021), the 2022 Third Committee draft (seed, no printed
symbol, distributed 1 Nov 2022) and A/RES/78/218 (19 Dec 2023).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import SEED, SERIES
from store_helpers import BACKENDS, fresh_url

from resdiff.ingest import parse_file
from resdiff.search import agreed, first_appearance, occurrences
from resdiff.store import Store, open_store

SYMBOLS = {
    "72": "A/RES/72/188",
    "73": "A/RES/73/180",
    "74": "A/RES/74/166",
    "75": "A/RES/75/190",
    "76": "A/RES/76/177",
    "78": "A/RES/78/218",
}
ORDER = ["72", "73", "74", "75", "76", "D22", "78"]


@dataclass(frozen=True)
class Question:
    phrase: str
    # version -> labels of the units containing the phrase (absent versions: not there)
    where: dict[str, list[str]]
    note: str = ""
    adopted_first: tuple[str, str] | None = field(default=None)


QUESTIONS = [
    # Sub-item renumbered: a new (v) was inserted before it in 2019.
    Question(
        "songbun",
        {
            "72": ["OP2(a)(xi)"],
            "73": ["OP2(a)(xi)"],
            "74": ["OP2(a)(xii)"],
            "75": ["OP2(a)(xii)"],
            "76": ["OP2(a)(xii)"],
            "D22": ["OP2(a)(xii)"],
            "78": ["OP2(a)(xii)"],
        },
    ),
    # 73/180 prints "Refugees15 ... thereto16": footnote markers the parser leaves glued.
    Question(
        "Status of Refugees and the 1967 Protocol thereto",
        {
            "72": ["OP2(a)(iv)"],
            "73": ["OP2(a)(iv)"],
            "74": ["OP2(a)(v)"],
            "75": ["OP2(a)(v)"],
            "76": ["OP2(a)(v)"],
            "D22": ["OP2(a)(v)"],
            "78": ["OP2(a)(v)"],
        },
    ),
    # Sub-item that moves with its paragraph (OP15 -> 16 -> 17 -> 18) and letter (g -> h).
    Question(
        "Vienna Convention on Consular Relations, to which the Democratic People’s "
        "Republic of Korea is a party",
        {
            "72": ["OP15(g)"],
            "73": ["OP16(g)"],
            "74": ["OP17(g)"],
            "75": ["OP17(g)"],
            "76": ["OP18(h)"],
            "D22": ["OP18(h)"],
            "78": ["OP18(h)"],
        },
    ),
    Question("prisoners of war", {"76": ["PP24"], "D22": ["PP24"], "78": ["PP24", "OP3"]}),
    Question(
        "unrepatriated  prisoners\nof war",
        {"76": ["PP24"], "D22": ["PP24"], "78": ["PP24", "OP3"]},
    ),
    # Changed form in PP1: "promote and protect" became "respect, protect and fulfil".
    Question(
        "obligation to promote and protect human rights",
        {"72": ["PP1"], "73": ["PP1"], "74": ["PP1"], "75": ["PP1"], "76": ["PP1"]},
    ),
    Question(
        "obligation to respect, protect and fulfil human rights",
        {"D22": ["PP1"], "78": ["PP1"]},
        adopted_first=("78", "PP1"),
    ),
    # Changed form in PP4: "Stressing" became "Reiterating".
    Question(
        "Stressing the importance of following up on the recommendations",
        {"72": ["PP4"], "73": ["PP4"], "74": ["PP4"], "75": ["PP4"]},
    ),
    Question(
        "REITERATING the importance of following up on the recommendations",
        {"76": ["PP4"], "D22": ["PP4"], "78": ["PP4"]},
    ),
    # 72/188 PP11 says "Noting also the visit ...": not the same phrase.
    Question("Noting the visit of the Special Rapporteur", {"73": ["PP10"], "74": ["PP10"]}),
    # Separated families: "welcoming the resumption" became "urging the resumption".
    Question("welcoming the resumption of the", {"73": ["PP21"], "74": ["PP25"]}),
    Question(
        "urging the resumption of the",
        {"75": ["PP24"], "76": ["PP25"], "D22": ["PP25"], "78": ["PP25"]},
    ),
    Question("resolution 71/202", {"72": ["PP2", "PP7"]}),
    Question("Council resolution 49/22 of 1 April 2022", {"D22": ["PP2"]}),
    # Dropped after 2017, reintroduced in 2023 (PP10 then PP11).
    Question("encouraging the Government of the", {"72": ["PP10"], "78": ["PP11"]}),
    # Dropped in 2017-2019 (OP7 of 2017 said it differently), back from 2020 as OP16.
    Question(
        "independent experts on accountability in its report",
        {"75": ["OP16"], "76": ["OP16"], "D22": ["OP16"], "78": ["OP16"]},
    ),
    # In every version but 75/190; renumbered OP9 -> OP10 -> OP11 -> OP10.
    Question(
        "finding that the body of",
        {
            "72": ["OP9"],
            "73": ["OP10"],
            "74": ["OP11"],
            "76": ["OP10"],
            "D22": ["OP10"],
            "78": ["OP10"],
        },
    ),
    Question(
        "human rights violations and abuses",
        {
            "72": ["OP4"],
            "73": ["OP4"],
            "74": ["OP4"],
            "75": ["PP3", "OP4", "OP11"],
            "76": ["PP3", "OP4"],
            "D22": ["PP3", "OP4"],
            "78": ["PP3", "OP4"],
        },
    ),
    # First in the 2022 draft, adopted first in 2023.
    Question(
        "Access to COVID‑19 Tools (ACT) Accelerator",
        {"D22": ["OP18(p)"], "78": ["OP18(p)"]},
        adopted_first=("78", "OP18(p)"),
    ),
    Question(
        "COVID-19 Vaccine Global Access (COVAX) Facility",
        {"76": ["OP18(p)"], "D22": ["OP18(p)"], "78": ["OP18(p)"]},
    ),
    # PP19 of 2017 only, and the OP5 list of every version.
    Question(
        "pregnant and lactating women",
        {
            "72": ["PP19", "OP5"],
            "73": ["OP5"],
            "74": ["OP5"],
            "75": ["OP5"],
            "76": ["OP5"],
            "D22": ["OP5"],
            "78": ["OP5"],
        },
    ),
    Question("guilt by association", {}),
]


@pytest.fixture(scope="module", params=BACKENDS)
def dprk(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Store, dict[str, str]]]:
    names = {v: k for k, v in SYMBOLS.items()}
    # Newest first: the answers must come from dates, not from the order of ingest.
    paths = [SERIES / f"{SYMBOLS[v].replace('/', '_')}.txt" for v in reversed(SYMBOLS)]
    paths.insert(1, SEED)
    with fresh_url(request.param, tmp_path_factory.mktemp("dprk")) as url, open_store(url) as s:
        keys: dict[str, str] = {}
        for path in paths:
            result = s.add(parse_file(Path(path)))
            keys[result.key] = names.get(result.key, "D22")
        yield s, keys


@pytest.mark.parametrize("q", QUESTIONS, ids=[q.phrase[:40] for q in QUESTIONS])
def test_phrase_history(dprk: tuple[Store, dict[str, str]], q: Question) -> None:
    store, short = dprk
    found = occurrences(store, q.phrase)
    got: dict[str, list[str]] = {}
    for o in found:
        got.setdefault(short[o.key], []).append(o.label)
    assert got == q.where
    assert list(got) == [v for v in ORDER if v in got]  # versions in date order
    first = first_appearance(store, q.phrase)
    if not q.where:
        assert first is None and found == []
        return
    version = next(v for v in ORDER if v in q.where)
    assert first is not None
    assert (short[first.key], first.label) == (version, q.where[version][0])
    adopted = first_appearance(store, q.phrase, adopted_only=True)
    expected = q.adopted_first
    if expected is None:
        resolutions = [v for v in ORDER if v in q.where and v != "D22"]
        expected = (resolutions[0], q.where[resolutions[0]][0]) if resolutions else None
    assert ((short[adopted.key], adopted.label) if adopted else None) == expected


def test_there_are_at_least_twenty_questions() -> None:
    assert len(QUESTIONS) >= 20


def test_agreed_language_lists_resolutions_not_the_draft(
    dprk: tuple[Store, dict[str, str]],
) -> None:
    store, short = dprk
    answer = agreed(store, "Discrimination based on the songbun system")
    assert [short[k] for k in answer.resolutions] == ["72", "73", "74", "75", "76", "78"]
    assert answer.earliest is not None and answer.earliest.label == "OP2(a)(xi)"
    assert answer.latest is not None and answer.latest.label == "OP2(a)(xii)"
    assert answer.earliest.sentence.startswith("Discrimination based on the songbun system")
