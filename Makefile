# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: venv demo test test-fast test-explore bench lint typecheck clean docs mutate

# The example plugin in tests/plugins is made visible by tests/conftest.py only; a venv from
# before that had it installed, so it is removed here (a no-op on a fresh venv).
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -e ".[dev]"
	$(BIN)/python -m pip uninstall -q -y tef-example-plugin 2>/dev/null || true
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

## Mutation testing of the modules listed in pyproject's [tool.mutmut] (too slow for CI, about
## an hour on 2 cores); prints the score per module. MUTATE_JOBS workers; results persist in
## mutants/, so a second run only re-tests what changed (`rm -rf mutants` to start over).
MUTATE_JOBS ?= 2
## MUTATE_ONLY: a mutant-name glob to run one module (or function) only, e.g.
## `make mutate MUTATE_ONLY='tef_harness.intake.models.skops_model.*'`; named mutants are re-run.
MUTATE_ONLY ?=
## Each mutant runs in a process forked from mutmut's; OpenMP (scikit-learn's histogram trees)
## is not fork-safe once its threads exist, so it runs single-threaded here.
mutate: venv
	OMP_NUM_THREADS=1 $(BIN)/mutmut run --max-children $(MUTATE_JOBS) $(if $(MUTATE_ONLY),'$(MUTATE_ONLY)')
	$(BIN)/python tools/mutation_scores.py --functions --survivors

bench: venv
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

lint: venv
	$(BIN)/ruff check .

typecheck: venv
	$(BIN)/mypy

clean:
	rm -rf $(VENV) mutants examples/credit/generated examples/credit/out examples/credit/mlflow.db examples/credit/mlartifacts \
	  .pytest_cache .mypy_cache .ruff_cache

## Regenerate the README's configuration reference and check list from the code.
docs: venv
	$(BIN)/python -m tef_harness.config.reference --write README.md
