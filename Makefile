# resdiff: `make demo` shows a real redline from a fresh clone; `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT := out
DEMO_DB := sqlite:///$(CURDIR)/$(OUT)/demo.db
SEED := corpus/000_4a554fcc2369da89.txt

.PHONY: demo test lint typecheck pytest install install-dev clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: $(VENV)/.installed
	@mkdir -p $(OUT)
	$(BIN)/resdiff --db $(DEMO_DB) ingest corpus/
	$(BIN)/resdiff --db $(DEMO_DB) list
	@$(BIN)/resdiff --db $(DEMO_DB) diff A/RES/76/177 $(SEED) --format html -o $(OUT)/redline.html; \
	  rc=$$?; if [ $$rc -gt 1 ]; then exit $$rc; fi
	@$(BIN)/resdiff --db $(DEMO_DB) diff A/RES/76/177 $(SEED) --only changed --hide-routine --no-color | head -n 40; true
	@echo
	@$(BIN)/resdiff --db $(DEMO_DB) review $(SEED) --format html -o $(OUT)/review.html
	@$(BIN)/resdiff --db $(DEMO_DB) review $(SEED) --format docx -o $(OUT)/draft-tracked.docx
	@echo "Redline of A/RES/76/177 against the 2022 draft: $(CURDIR)/$(OUT)/redline.html"
	@echo "Review pack of the 2022 draft (provenance, strength, sponsors): $(CURDIR)/$(OUT)/review.html"
	@echo "The draft with Word tracked changes against A/RES/76/177: $(CURDIR)/$(OUT)/draft-tracked.docx"

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check resdiff tests benchmarks migrations
	$(BIN)/ruff format --check resdiff tests benchmarks migrations

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

# The suite starts hundreds of Python processes (CLI runs, ingest workers): compiling the
# package once here spares each of them compiling it from source again when the
# environment forbids writing bytecode (PYTHONDONTWRITEBYTECODE), as CI machines may.
pytest: $(VENV)/.installed-dev
	$(BIN)/python -m compileall -q resdiff
	$(BIN)/pytest -n 2 --dist loadgroup

test: lint typecheck pytest

bench: $(VENV)/.installed-dev
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(OUT) dist build .pytest_cache .mypy_cache .ruff_cache
