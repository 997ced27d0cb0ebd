"""The committed JSON Schemas: valid, shipped in the package, and matched by what resdiff writes."""

from __future__ import annotations

import copy
import json
from datetime import date
from importlib import resources
from typing import Any

import jsonschema
import pytest
from comparison_fixtures import comparisons, dprk_comparison, hostile_comparison
from hypothesis import HealthCheck, given, settings

from resdiff.model import Comparison, DocKind, Document, Footnote, Metadata, Source, Unit, UnitKind
from resdiff.render import (
    comparison_to_json,
    document_to_json,
    load_schema,
    render,
    render_document,
)


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = load_schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def _errors(name: str, data: Any) -> list[str]:
    return [e.message for e in _validator(name).iter_errors(data)]


def test_schemas_ship_inside_the_package() -> None:
    files = {p.name for p in resources.files("resdiff.schemas").iterdir()}
    assert {"comparison.schema.json", "document.schema.json"} <= files
    for name in ("comparison", "document"):
        assert load_schema(name)["$schema"].endswith("2020-12/schema")
    with pytest.raises(ValueError, match="unknown schema"):
        load_schema("nope")


@pytest.mark.parametrize("only", [None, "changed", "moved,split"])
@pytest.mark.parametrize("hide_routine", [False, True])
def test_comparison_json_matches_schema(only: str | None, hide_routine: bool) -> None:
    for c in (dprk_comparison(), hostile_comparison()):
        data = json.loads(render(c, "json", only=only, hide_routine=hide_routine))
        assert _errors("comparison", data) == []


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(comparisons())
def test_comparison_json_schema_property(c: Comparison) -> None:
    data = comparison_to_json(c)
    assert _errors("comparison", data) == []
    # Stats agree with the pairs they describe.
    assert data["stats"]["kinds"] == c.counts()
    assert data["stats"]["pairs"] == len(data["pairs"])


def test_comparison_schema_rejects_wrong_data() -> None:
    good = comparison_to_json(dprk_comparison())
    bad = copy.deepcopy(good)
    bad["pairs"][0]["spans"][0]["op"] = "replace"
    assert _errors("comparison", bad)
    bad = copy.deepcopy(good)
    added = next(p for p in bad["pairs"] if p["kind"] == "added")
    added["old"] = ["OP1"]
    assert _errors("comparison", bad)
    bad = copy.deepcopy(good)
    del bad["stats"]["kinds"]["moved"]
    assert _errors("comparison", bad)
    bad = copy.deepcopy(good)
    bad["pairs"][0]["similarity"] = 1.5
    assert _errors("comparison", bad)


def _document() -> Document:
    meta = Metadata(
        symbol="A/C.3/77/L.20",
        kind=DocKind.DRAFT,
        session=77,
        body="Third Committee",
        agenda_item="68 (c)",
        distribution_date=date(2022, 11, 1),
        title="Situation of human rights in the Democratic People’s Republic of Korea",
        sponsors=(
            "Albania",
            "United Kingdom of Great Britain and Northern Ireland",
            "Micronesia (Federated States of)",
        ),
    )
    units = (
        Unit("PP1", UnitKind.PREAMBULAR, "Reaffirming that all States ...,", "Reaffirming"),
        Unit(
            "OP1",
            UnitKind.OPERATIVE,
            "Condemns in the strongest terms ...;",
            "Condemns",
            (1,),
            (8,),
        ),
        Unit("OP2(a)(iv)", UnitKind.SUBITEM, "The forcible transfer of populations;"),
    )
    return Document(
        meta,
        units,
        (Footnote(1, "A/HRC/25/63."),),
        Source("draft.txt", "text", "0" * 64),
    )


def test_document_json_matches_schema() -> None:
    doc = _document()
    data = json.loads(render_document(doc, "json"))
    assert _errors("document", data) == []
    assert data["metadata"]["sponsors"][1] == "United Kingdom of Great Britain and Northern Ireland"
    assert [u["label"] for u in data["units"]] == ["PP1", "OP1", "OP2(a)(iv)"]
    assert data["units"][1] == {
        "label": "OP1",
        "kind": "operative",
        "lead": "Condemns",
        "text": "Condemns in the strongest terms ...;",
        "footnotes": [1],
        "footnote_at": [8],
    }
    assert data["units"][0]["footnote_at"] == []  # no footnote, no position
    assert data["footnotes"] == [{"number": 1, "text": "A/HRC/25/63."}]
    assert data == document_to_json(doc)
    # Fixture documents (no source) validate too.
    for c in (dprk_comparison(), hostile_comparison()):
        for d in (c.old, c.new):
            assert _errors("document", document_to_json(d)) == []


def test_document_schema_rejects_wrong_data() -> None:
    good = document_to_json(_document())
    bad = copy.deepcopy(good)
    bad["metadata"]["sponsors"] = "Albania, Chad"
    assert _errors("document", bad)
    bad = copy.deepcopy(good)
    bad["units"][0]["kind"] = "annex"
    assert _errors("document", bad)
    bad = copy.deepcopy(good)
    bad["metadata"]["distribution_date"] = "1 November 2022"
    assert _errors("document", bad)
    bad = copy.deepcopy(good)
    del bad["units"][0]["footnotes"]
    assert _errors("document", bad)
