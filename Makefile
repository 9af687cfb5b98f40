# Set-up is part of every target: a fresh clone needs only Python 3.11+, git and make.
PYTHON ?= python3
VENV := .venv
# A catalog's folder (its mkdocs.yml, catalog.yaml and docs/): the OJS catalog at the top
# level when not given. make build CATALOG=examples/jobs-service builds the Jobs Service's.
CATALOG ?=
CONFIG := $(if $(CATALOG),$(CATALOG)/mkdocs.yml,mkdocs.yml)
SITE_DIR ?= $(if $(CATALOG),$(CATALOG)/site,site)
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: setup serve build test test-browser review bench bench-search bench-lighthouse bench-404 clean

# Only the set-up: .venv with the pinned dependencies (for mkdocs gh-deploy, README: Publishing).
setup: $(STAMP)

export NO_MKDOCS_2_WARNING := 1

# mkdocs serve mounts the site at its address's path, read before any plugin runs: give it
# a local address with the layout's path (/errors/ for the default part layout).
SERVE_ADDR ?= 127.0.0.1:8000
SERVE_URL = http://$(SERVE_ADDR)/$(if $(filter site,$(CATALOG_LAYOUT)),,errors/)

serve: $(STAMP)
	CATALOG_SITE_URL=$${CATALOG_SITE_URL:-$(SERVE_URL)} $(VENV)/bin/mkdocs serve --config-file "$(CONFIG)" --dev-addr "$(SERVE_ADDR)"

# Build beside the site, then swap it in with one atomic step (macros/build.py): a failed
# or interrupted build never touches the site, and there is no moment without one.
build: $(STAMP)
	@$(VENV)/bin/python -m macros.build --site-dir "$(SITE_DIR)" --config-file "$(CONFIG)"

# The suite in PYTEST_WORKERS processes, a test file to each at a time (pytest-xdist): each
# process builds the sites it needs once. PYTEST_WORKERS=0 runs it in this one.
PYTEST_WORKERS ?= 2
test: $(STAMP) $(NODE_STAMP)
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile

test-browser: $(STAMP) $(NODE_STAMP)
	$(VENV)/bin/pytest -m browser

# Each sentence of a code page next to the sections it cites: make review CODE=OJS-3001
# REPOS="spec=../spec" (a local copy of each cited repository, by its key in the catalog;
# without one, GitHub is asked, and no other host). CATALOG=DIR reviews that catalog's site.
review: $(STAMP)
	@$(VENV)/bin/python -m macros.review $(CODE) --config-file "$(CONFIG)" \
		$(foreach repo,$(REPOS),--repo $(repo))

bench: $(STAMP)
	$(VENV)/bin/python -m bench.run

# Search latency in Debian's Chromium (apt-get install chromium): see bench/README.md.
bench-search: $(STAMP)
	$(VENV)/bin/python -m bench.search_latency

# Lighthouse (npx, from the npm registry) in Debian's Chromium, behind Debian's nginx.
bench-lighthouse: $(STAMP)
	$(VENV)/bin/python -m bench.lighthouse

# How soon the 404 page sends an address on, in Debian's Chromium: see bench/README.md.
bench-404: $(STAMP)
	$(VENV)/bin/python -m bench.alias_route

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
	rm -rf $(VENV) node_modules $(SITE_DIR) $(SITE_DIR).build.* $(SITE_DIR).lock
