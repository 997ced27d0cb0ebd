"""Stateful test: any sequence of ingest, re-ingest, failing ingest, get, list and reopen keeps
the database equal to a plain dict model of it, with SQLite's integrity check ok."""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from store_helpers import fresh_pg_url, make_doc

import resdiff.store.repo as repo
from resdiff.errors import NotFoundError, StoreError
from resdiff.model import Document, Source, Unit, UnitKind, content_hash
from resdiff.store import open_store, symbol_key

# Few symbols for many contents: re-using a symbol with other content must make versions.
SYMBOLS = ["A/RES/99/1", "a_res_99/1", "A/C.3/99/L.7", None]


def _doc(i: int, symbol_index: int) -> Document:
    return make_doc(i, units=4 + i % 5, symbol=SYMBOLS[symbol_index])


class StoreMachine(RuleBasedStateMachine):
    backend = "sqlite"

    def __init__(self) -> None:
        super().__init__()
        self.stack = ExitStack()
        if self.backend == "sqlite":
            tmp = tempfile.mkdtemp(prefix="resdiff-stateful-")
            self.stack.callback(shutil.rmtree, tmp, ignore_errors=True)
            self.url = f"sqlite:///{Path(tmp) / 'state.db'}"
        else:
            self.url = self.stack.enter_context(fresh_pg_url())
        self.store = open_store(self.url)
        self.model: dict[str, Document] = {}  # key -> stored document
        self.by_hash: dict[str, str] = {}  # content hash -> key
        self.versions: dict[str, int] = {}  # symbol key -> versions stored

    def teardown(self) -> None:
        self.store.close()
        self.stack.close()

    def _expected_key(self, doc: Document) -> tuple[str, int]:
        symbol = doc.metadata.symbol
        if symbol is None:
            return doc.key, 1
        version = self.versions.get(symbol_key(symbol), 0) + 1
        return (symbol if version == 1 else f"{symbol}@{version}"), version

    @rule(i=st.integers(0, 30), s=st.integers(0, len(SYMBOLS) - 1), override=st.booleans())
    def ingest(self, i: int, s: int, override: bool) -> None:
        doc = _doc(i, s)
        given = "A/C.3/99/L.99" if override else None
        stored_form = (
            dataclasses.replace(doc, metadata=dataclasses.replace(doc.metadata, symbol=given))
            if given
            else doc
        )
        digest = content_hash(stored_form)
        result = self.store.add(doc, symbol=given)
        assert result.content_hash == digest
        if digest in self.by_hash:
            assert result.status == "already stored"
            assert result.key == self.by_hash[digest]
            return
        key, version = self._expected_key(stored_form)
        assert (result.key, result.version) == (key, version)
        assert result.status == "stored" and result.new_version == (version > 1)
        self.model[key] = stored_form
        self.by_hash[digest] = key
        if stored_form.metadata.symbol is not None:
            self.versions[symbol_key(stored_form.metadata.symbol)] = version

    @precondition(lambda self: bool(self.model))
    @rule(data=st.data())
    def reingest_with_other_bytes(self, data: st.DataObject) -> None:
        key = data.draw(st.sampled_from(sorted(self.model)))
        doc = self.model[key]
        resaved = dataclasses.replace(doc, source=Source("resaved.docx", "docx", "e" * 64))
        result = self.store.add(resaved)
        assert (result.status, result.key) == ("already stored", key)

    @rule(i=st.integers(0, 30), how=st.sampled_from(["constraint", "crash"]))
    def failing_ingest(self, i: int, how: str) -> None:
        doc = _doc(i + 1000, 3)
        if how == "constraint":
            bad = dataclasses.replace(doc, units=(*doc.units, Unit("", UnitKind.SUBITEM, "x")))
            with pytest.raises(StoreError):
                self.store.add(bad)
            return
        original = repo._insert_many

        def crash(conn: Any, table: Any, rows: Any) -> None:
            original(conn, table, rows)
            if table is repo.FOOTNOTES:
                raise RuntimeError("simulated crash at the end of the transaction")

        repo._insert_many = crash  # type: ignore[assignment]
        try:
            with pytest.raises(RuntimeError):
                self.store.add(doc)
        finally:
            repo._insert_many = original  # type: ignore[assignment]

    @precondition(lambda self: bool(self.model))
    @rule(data=st.data())
    def get(self, data: st.DataObject) -> None:
        key = data.draw(st.sampled_from(sorted(self.model)))
        assert self.store.get(key) == self.model[key]

    @rule(i=st.integers(0, 30))
    def get_unknown(self, i: int) -> None:
        ref = f"A/RES/12/{i}"
        with pytest.raises(NotFoundError):
            self.store.get(ref)

    @rule()
    def listing(self) -> None:
        summaries = self.store.list()
        assert [s.key for s in summaries] == sorted(self.model)
        for s in summaries:
            doc = self.model[s.key]
            assert (s.unit_count, s.footnote_count) == (len(doc.units), len(doc.footnotes))
            assert s.content_hash == content_hash(doc)

    @rule()
    def reopen(self) -> None:
        self.store.close()
        self.store = open_store(self.url, create=False)

    @invariant()
    def matches_model(self) -> None:
        assert self.store.stored_hashes() == set(self.by_hash)
        assert self.store.integrity_check() == "ok"


class PostgresStoreMachine(StoreMachine):
    backend = "postgres"


StoreMachine.TestCase.settings = settings(max_examples=30, stateful_step_count=25, deadline=None)
TestStoreStateful = StoreMachine.TestCase

PostgresStoreMachine.TestCase.settings = settings(
    max_examples=8, stateful_step_count=20, deadline=None
)
TestPostgresStoreStateful = pytest.mark.postgres(PostgresStoreMachine.TestCase)
