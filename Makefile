# Set-up is part of every target: a fresh clone needs only Python 3.11+, git and make.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: serve build test test-browser bench clean

export NO_MKDOCS_2_WARNING := 1

serve: $(STAMP)
	$(VENV)/bin/mkdocs serve

build: $(STAMP)
	$(VENV)/bin/mkdocs build --strict

test: $(STAMP) $(NODE_STAMP)
	$(VENV)/bin/pytest

test-browser: $(STAMP) $(NODE_STAMP)
	$(VENV)/bin/pytest -m browser

bench: $(STAMP)
	$(VENV)/bin/python -m bench.run

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

# axe-core for the accessibility tests. Without npm they skip, except in CI where they fail.
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $(NODE_STAMP); \
	else \
		echo "npm not found: the accessibility tests will be skipped"; \
	fi

clean:
	rm -rf $(VENV) node_modules site
