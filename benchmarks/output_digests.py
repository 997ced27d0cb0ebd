"""Digests of comparison output over the corpus: proof that a change for speed alters nothing.

Run: .venv/bin/python benchmarks/output_digests.py --save before.json   (the code before)
     .venv/bin/python benchmarks/output_digests.py --check before.json  (the code after)

Compares every consecutive pair of every series of ``../shared/corpus/series`` and
``bulk/`` (grouped as ``resdiff ingest`` groups them, in a scratch store; ``--db URL`` reads
a store already holding them) and every gold pair both ways, and takes the SHA-256 of each
comparison's pairs, footnote pairs and figures (alignment, spans, routine marks,
confidence, alternatives, stats); also of the plain word diff (``word_diff``) of every
1:1 pair of the gold pairs. ``--check`` prints how many digests differ and the first of
them, and exits 1 if any does. Outputs depend on the code and the pinned settings only,
never on what the process computed before, so the digests repeat from run to run.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from goldlib import SHARED_CORPUS, load_document, load_gold  # noqa: E402

from resdiff.batch import ingest_paths  # noqa: E402
from resdiff.compare import compare  # noqa: E402
from resdiff.lineage import list_series  # noqa: E402
from resdiff.model import Comparison, Document  # noqa: E402
from resdiff.store import Store, open_store  # noqa: E402
from resdiff.worddiff import word_diff  # noqa: E402


def digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()


def of(c: Comparison) -> str:
    return digest((c.pairs, c.footnotes, c.stats))


def series_digests(store: Store) -> dict[str, str]:
    out: dict[str, str] = {}
    docs: dict[str, Document] = {}

    def get(key: str) -> Document:
        if key not in docs:
            docs[key] = store.get(key)
        return docs[key]

    for s in list_series(store):
        keys = [m.key for m in s.members]
        for old, new in itertools.pairwise(keys):
            out[f"{old} -> {new}"] = of(compare(get(old), get(new)))
    return out


def gold_digests() -> dict[str, str]:
    out: dict[str, str] = {}
    for g in load_gold():
        a, b = load_document(g.old.source), load_document(g.new.source)
        c = compare(a, b)
        name = f"gold {g.old.source} -> {g.new.source}"
        out[name] = of(c)
        out[f"{name}, reversed"] = of(compare(b, a))
        ua = {u.label: u.text for u in a.units}
        ub = {u.label: u.text for u in b.units}
        out[f"{name}, word diffs"] = digest(
            [
                word_diff(ua[p.old[0]], ub[p.new[0]])
                for p in c.pairs
                if len(p.old) == len(p.new) == 1
            ]
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    what = ap.add_mutually_exclusive_group(required=True)
    what.add_argument("--save", type=Path, metavar="FILE", help="write the digests to FILE")
    what.add_argument("--check", type=Path, metavar="FILE", help="compare with FILE's digests")
    ap.add_argument("--db", help="a store holding series/ and bulk/ (default: a scratch one)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{tmp}/corpus.db"
        store = open_store(url)
        if args.db is None:
            print("ingesting series/ and bulk/ into a scratch store ...", file=sys.stderr)
            ingest_paths(store, [SHARED_CORPUS / "series", SHARED_CORPUS / "bulk"])
        found = series_digests(store)
    found.update(gold_digests())
    print(f"{len(found)} comparisons digested")
    if args.save:
        args.save.write_text(json.dumps(found, indent=0, sort_keys=True) + "\n", encoding="utf-8")
        print(f"written to {args.save}")
        return
    want = json.loads(args.check.read_text(encoding="utf-8"))
    differ = sorted(k for k in want.keys() | found.keys() if want.get(k) != found.get(k))
    print(f"{len(differ)} differ from {args.check}" + (f", first: {differ[0]}" if differ else ""))
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
