"""Build the word informativeness table the aligner ships (resdiff/data/word_df.tsv).

Run: .venv/bin/python benchmarks/build_idf.py [--corpus ../shared/corpus] [--check]

Every text of the corpus (bulk/, series/ and seed/: the General Assembly's sessions 72-80)
is parsed as ``resdiff ingest`` would; each distinct paragraph (by matching key, so that a
paragraph repeated in every version of a series counts once) contributes its distinct
words. The table lists, for every word found in at least two distinct paragraphs, the
number of paragraphs that contain it; a word missing from the table is rare. The output
is sorted and has no timestamp, so the same corpus always gives the same bytes;
``--check`` exits non-zero when the shipped table differs from a fresh build.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from resdiff.errors import IngestError  # noqa: E402
from resdiff.ingest import parse_bytes  # noqa: E402
from resdiff.model import Document  # noqa: E402
from resdiff.normalize import key, key_words  # noqa: E402

OUT = REPO / "resdiff" / "data" / "word_df.tsv"


def _parse(path: Path) -> Document | None:
    try:
        return parse_bytes(path.read_bytes(), path.name)
    except IngestError:
        return None  # amendment instructions and the like: no paragraphs to count


def build(corpus: Path, parse: Callable[[Path], Document | None] = _parse) -> str:
    """The table's text; ``parse`` reads one file (None: nothing to count), so a caller
    holding the corpus parsed already need not parse it again."""
    files = sorted(p for sub in ("bulk", "series", "seed") for p in (corpus / sub).glob("*.txt"))
    seen: set[str] = set()
    df: Counter[str] = Counter()
    documents = 0
    for path in files:
        doc = parse(path)
        if doc is None:
            continue
        documents += 1
        for unit in doc.units:
            k = key(unit.text)
            if k in seen:
                continue
            seen.add(k)
            df.update(set(key_words(k)))
    lines = [
        "# resdiff word document frequencies: distinct paragraphs containing each word",
        f"# documents\t{documents}",
        f"# paragraphs\t{len(seen)}",
    ]
    lines += [f"{w}\t{n}" for w, n in sorted(df.items()) if n >= 2]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    ap.add_argument("--check", action="store_true", help="compare with the shipped table")
    args = ap.parse_args()
    text = build(args.corpus)
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print("shipped table is current" if same else "shipped table differs from a fresh build")
        sys.exit(0 if same else 1)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(REPO)}: {text.count(chr(10)) - 3} words")


if __name__ == "__main__":
    main()
