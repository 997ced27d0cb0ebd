"""Hostile files through `resdiff ingest`: decompression bombs, truncations and bit flips.

Each case runs the real command line in a subprocess over a store that already
holds one document, and checks what a user would see and keep: one line per
refused file naming its path, no traceback, the largest process's peak memory
(``getrusage(RUSAGE_CHILDREN)`` in a wrapper process) under 600 MB, and a store
that changed only by the documents reported stored.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PDFS, SEED
from docx_builder import sample_docx
from hostile_files import BOMBS, GB, bit_flips, truncations

from resdiff.errors import IngestError
from resdiff.ingest import parse_bytes, parse_file

RESDIFF = str(Path(sys.executable).with_name("resdiff"))
PEAK_LIMIT = 600 * 2**20
# Runs the command given and reports its exit code, stderr and the peak resident
# memory of its largest process (itself or a worker it waited for).
WRAPPER = """
import json, resource, subprocess, sys
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
print(json.dumps({"rc": done.returncode, "stderr": done.stderr.decode("utf-8", "replace"),
                  "peak": peak}))
"""


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the seed resolution, to be copied by each test."""
    db = tmp_path_factory.mktemp("seeded") / "store.db"
    subprocess.run(
        [RESDIFF, "--db", f"sqlite:///{db}", "ingest", str(SEED)], check=True, capture_output=True
    )
    return db


def _dump(db: Path) -> str:
    """A digest of every row of every table (the file's bytes may differ after a read)."""
    with sqlite3.connect(db) as conn:
        h = hashlib.sha256()
        for line in conn.iterdump():
            h.update(line.encode())
    return h.hexdigest()


def _documents(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])


def _ingest(db: Path, folder: Path) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", WRAPPER, RESDIFF, "--db", f"sqlite:///{db}", "ingest", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    result: dict[str, object] = json.loads(out.stdout)
    return result


def _check(result: dict[str, object], files: list[Path]) -> tuple[int, int]:
    """One line per refused file naming its path, no traceback, bounded memory.

    Returns (stored, failed) as the summary line reports them.
    """
    stderr = str(result["stderr"])
    assert "Traceback" not in stderr, stderr
    assert result["rc"] in (0, 1), stderr
    peak = int(str(result["peak"]))
    assert peak < PEAK_LIMIT, f"peak {peak >> 20} MB"
    failed = [ln for ln in stderr.splitlines() if ln.startswith("failed: ")]
    for path in files:
        mine = [ln for ln in failed if ln.startswith(f"failed: {path}: ")]
        assert len(mine) <= 1, mine
    lines = [ln for ln in stderr.splitlines() if ln and not ln.startswith(("[", "failed: "))]
    # Besides progress and one line per refused file: the summary, and lineage steps.
    summary = [ln for ln in lines if "stored," in ln]
    assert len(summary) == 1, stderr
    stored, _, failed_n = (int(part.split()[0]) for part in summary[0].split(", "))
    assert failed_n == len(failed), stderr
    return stored, failed_n


@pytest.fixture(scope="module")
def bomb_run(tmp_path_factory: pytest.TempPathFactory, seeded_db: Path) -> tuple:
    """Every bomb variant, 1 GiB inflated each, ingested in one run."""
    tmp = tmp_path_factory.mktemp("bombs")
    folder = tmp / "in"
    folder.mkdir()
    files = {}
    for name, make in BOMBS.items():
        path = folder / (name.replace(" ", "_").replace("/", "") + ".pdf")
        path.write_bytes(make(GB))
        files[name] = path
    db = tmp / "store.db"
    shutil.copy(seeded_db, db)
    before = _dump(db)
    return files, _ingest(db, folder), db, before


@pytest.mark.parametrize("variant", list(BOMBS))
def test_bomb_is_refused_in_one_line(bomb_run: tuple, variant: str) -> None:
    files, result, _, _ = bomb_run
    path = files[variant]
    stderr = str(result["stderr"])
    mine = [ln for ln in stderr.splitlines() if ln.startswith(f"failed: {path}: ")]
    assert len(mine) == 1, stderr
    if variant == "raw deflate":
        # PDFium does not read Flate data without its zlib header: nothing inflates.
        assert "no text found" in mine[0]
    else:
        assert "PDF refused:" in mine[0] and "(decompression bomb?)" in mine[0], mine[0]


def test_bombs_leave_memory_bounded_and_the_store_unchanged(bomb_run: tuple) -> None:
    files, result, db, before = bomb_run
    stored, failed = _check(result, list(files.values()))
    assert (stored, failed) == (0, len(files))
    assert result["rc"] == 1  # some files refused (README's exit codes for ingest)
    assert _dump(db) == before


def _damaged(rng: random.Random) -> dict[str, bytes]:
    """Truncations and bit flips of real PDFs and of a DOCX draft."""
    out: dict[str, bytes] = {}
    sources = {p.stem: p.read_bytes() for p in sorted(PDFS.glob("*.pdf"))[:3]}
    sources["draft-docx"] = sample_docx()
    for stem, data in sources.items():
        ext = "docx" if stem.endswith("docx") else "pdf"
        for i, cut in enumerate(truncations(data, rng, 2)):
            out[f"{stem}-cut{i}.{ext}"] = cut
        for i, flipped in enumerate(bit_flips(data, rng, 3)):
            out[f"{stem}-flip{i}.{ext}"] = flipped
    return out


def test_damaged_files_fail_in_one_line_or_parse(tmp_path: Path, seeded_db: Path) -> None:
    rng = random.Random(20261203)
    folder = tmp_path / "in"
    folder.mkdir()
    files = []
    for name, data in _damaged(rng).items():
        (folder / name).write_bytes(data)
        files.append(folder / name)
    db = tmp_path / "store.db"
    shutil.copy(seeded_db, db)
    before, count = _dump(db), _documents(db)
    stored, failed = _check(_ingest(db, folder), files)
    assert stored + failed <= len(files)
    assert _documents(db) == count + stored
    if stored == 0:
        assert _dump(db) == before


def test_library_errors_are_one_line() -> None:
    """The same files through ``parse_bytes`` (the web upload's call): a document or one line."""
    rng = random.Random(7)
    cases = {name: make(GB) for name, make in BOMBS.items()} | _damaged(rng)
    for name, data in cases.items():
        try:
            parse_bytes(data, name)
        except IngestError as err:
            assert "\n" not in str(err) and str(err).startswith(f"{name}: "), str(err)


def test_errors_name_the_path_as_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seeded_db: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = Path("in") / "sub"
    folder.mkdir(parents=True)
    pdf = (PDFS / "A_80_L.6.pdf").read_bytes()
    bad = {
        "cut.pdf": pdf[: len(pdf) // 2],
        "bomb.pdf": BOMBS["flate x4"](GB),
        "empty.txt": b"   \n",
        "cut.docx": sample_docx()[:300],
    }
    for name, data in bad.items():
        (folder / name).write_bytes(data)
        given = f"{folder}/{name}"
        with pytest.raises(IngestError) as err:
            parse_file(given)
        assert str(err.value).startswith(f"{given}: "), str(err.value)
    db = tmp_path / "store.db"
    shutil.copy(seeded_db, db)
    done = subprocess.run(
        [RESDIFF, "--db", f"sqlite:///{db}", "ingest", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    failed = sorted(ln for ln in done.stderr.splitlines() if ln.startswith("failed: "))
    assert [ln.split(": ")[1] for ln in failed] == [f"{folder}/{n}" for n in sorted(bad)]
