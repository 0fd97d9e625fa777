# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: venv demo test test-fast test-explore bench lint typecheck clean docs

$(STAMP): pyproject.toml tests/plugins/tef_example_plugin/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -e ".[dev]"
	$(BIN)/python -m pip install -q -e tests/plugins/tef_example_plugin --no-deps
	touch $(STAMP)

venv: $(STAMP)

## Build the credit-scoring demo, run a full `tef check` on it, print where the report is.
demo: venv
	$(BIN)/python examples/credit/build_demo.py
	cd examples/credit && ../../$(BIN)/tef check --config tef.toml --no-third-party; rc=$$?; \
	  if [ $$rc -gt 1 ]; then exit $$rc; fi; \
	  echo "demo report: examples/credit/out/report.html (and report.md, junit.xml, report.json, manifest.json;" \
	       "report.pdf when the pdf extra and its libraries are installed) (tef check exited $$rc: 0 conformant, 1 not conformant)"; \
	  echo "MLflow run: $(BIN)/mlflow ui --backend-store-uri sqlite:///examples/credit/mlflow.db"

## The whole test suite, slow tests included; property tests derandomized (the same examples
## every run), so a red result is reproducible.
test: venv
	$(BIN)/python -m pytest -q --hypothesis-profile=ci

## Fast tests only, for the edit-test loop (hypothesis searches at random).
test-fast: venv
	$(BIN)/python -m pytest -q -m "not slow" --hypothesis-profile=dev

## The property tests' random search with fresh seeds (1,000 examples where a test sets no
## count of its own): run it before a release; a failure prints how to reproduce it.
test-explore: venv
	$(BIN)/python -m pytest -q --hypothesis-profile=explore -p no:cacheprovider

bench: venv
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

lint: venv
	$(BIN)/ruff check .

typecheck: venv
	$(BIN)/mypy

clean:
	rm -rf $(VENV) examples/credit/generated examples/credit/out examples/credit/mlflow.db examples/credit/mlartifacts \
	  .pytest_cache .mypy_cache .ruff_cache

## Regenerate the README's configuration reference and check list from the code.
docs: venv
	$(BIN)/python -m tef_harness.config.reference --write README.md
