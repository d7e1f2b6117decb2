# kgraph: `make demo` builds everything and says where it went; `make test` runs every check.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
.DEFAULT_GOAL := help
MAKEFLAGS += --warn-undefined-variables --no-builtin-rules

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: help install demo build validate docs serve bench test lint format typecheck clean

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

install: $(STAMP) ## Create .venv and install kgraph with its dev tools

build: install ## Build and validate the graph from data/, write dist/kgraph.{ttl,nt,jsonld}
	$(BIN)/kgraph build

validate: install ## SHACL report of the curated data, by data file and line (dist/validation.txt)
	$(BIN)/kgraph validate
	@$(BIN)/kgraph validate --output dist/validation.txt

docs: install ## Ontology documentation from ontology/: docs/ontology.html and docs/classes.svg
	$(BIN)/kgraph docs

serve: build ## Serve the graph on http://127.0.0.1:8000/ (SPARQL endpoint, query page, pages)
	$(BIN)/kgraph serve

bench: install ## Benchmarks (bench/*.py); they print ratios and sizes, never fail on time
	$(BIN)/python bench/validate.py
	$(BIN)/python bench/queries.py
	$(BIN)/python bench/network.py
	$(BIN)/python bench/pipeline.py
	$(BIN)/python bench/serve.py

demo: build validate ## Build, validate and export the graph, draw the network, say where it all is
	$(BIN)/kgraph network draw
	$(BIN)/kgraph network draw --view countries
	$(BIN)/kgraph network export
	@echo
	@echo "Results:"
	@echo "  Turtle      $(CURDIR)/dist/kgraph.ttl"
	@echo "  N-Triples   $(CURDIR)/dist/kgraph.nt"
	@echo "  JSON-LD     $(CURDIR)/dist/kgraph.jsonld"
	@echo "  SHACL       $(CURDIR)/dist/validation.txt (the validation report)"
	@echo "  Network     $(CURDIR)/dist/network-organisations.html (open in a browser; works offline)"
	@echo "              $(CURDIR)/dist/network-countries.html"
	@echo "  Gephi       $(CURDIR)/dist/network-organisations.gexf (+ .graphml, -nodes.csv, -edges.csv)"
	@echo "  Ontology    $(CURDIR)/ontology/kgraph.ttl (+ vocabularies.ttl); docs/ontology.html"
	@echo "  Server      make serve, then http://127.0.0.1:8000/ (SPARQL, query page, pages)"

lint: install ## ruff lint and format check
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: install ## Reformat the code with ruff
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

typecheck: install ## mypy, strict
	$(BIN)/mypy

test: lint typecheck ## Lint, type-check and run the whole test suite
	$(BIN)/pytest $(PYTEST_ARGS)

clean: ## Remove dist/ and caches (keeps .venv)
	rm -rf dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
