# Two commands do everything on a fresh machine:
#   make run   - create .venv, install requirements.txt, start the app on the bundled seeds
#   make test  - create .venv, install requirements-dev.txt, run every test (browser tests included);
#                it changes no tracked file (screenshots go to the ignored tests/out/screenshots/)
#   make screenshots - refresh the README's pictures in docs/screenshots/ with the browser test
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test screenshots bench lang-tables clean

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Bound to this machine only: a local run, where its user adds and corrects articles with no
# sign-in (README, "Deploy" says how a shared server decides).
run: $(VENV)/.runtime
	$(PY) -m streamlit run app.py --server.address localhost

test: $(VENV)/.dev
	$(PY) -m pytest

screenshots: $(VENV)/.dev
	ATLAS_SCREENSHOTS=docs/screenshots ATLAS_REQUIRE_BROWSER=1 $(PY) -m pytest -q tests/test_browser.py tests/test_browser_pair.py

bench: $(VENV)/.dev
	$(PY) bench/extract_speed.py
	$(PY) bench/app_speed.py

# Regenerate data_prep/data/lang/*/cldr.json from Unicode CLDR (Babel, a dev-time dependency).
lang-tables: $(VENV)/.dev
	$(PY) tools/make_lang_tables.py

clean:
	rm -rf $(VENV) data .pytest_cache
