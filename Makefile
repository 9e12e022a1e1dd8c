# The commands of the README: `make demo PATTERN=...`, `make test`, `make slides`.
PATTERN ?= functional_split
PYTHON ?= python3
VENV ?= .venv
PY := $(abspath $(VENV))/bin/python
# Every folder with a manage.py is a pattern project.
PATTERNS := $(patsubst %/manage.py,%,$(wildcard */manage.py))

.PHONY: demo test check-pattern slides slides-pdf

demo: check-pattern $(VENV)/.installed
	cd $(PATTERN) && $(PY) manage.py setup_demo
	cd $(PATTERN) && $(PY) manage.py runserver 127.0.0.1:8000

check-pattern:
	@test -f "$(PATTERN)/manage.py" || { \
		echo "Unknown pattern '$(PATTERN)'. Choose one of: $(PATTERNS)"; exit 2; }

test: $(VENV)/.installed $(VENV)/.installed-slides
	@$(PY) -c 'import sys, django; print(f"Python {sys.version.split()[0]}, Django {django.get_version()}")'
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	@set -e; for pattern in $(PATTERNS); do \
		echo "== $$pattern"; \
		(cd $$pattern && $(PY) manage.py check --fail-level WARNING \
			&& $(PY) manage.py makemigrations --check --dry-run \
			&& $(PY) -m pytest -p no:cacheprovider); \
	done
	@echo "== slides: the -W build, then the deck in headless chromium"
	cd slides && $(PY) -m pytest -p no:cacheprovider

# The talk's deck: warnings are errors, so a quote of a renamed function fails the build.
slides: $(VENV)/.installed-slides
	$(PY) -m sphinx -E -a -W --keep-going -q -b revealjs slides slides/_build
	@echo "The slides: file://$(abspath slides/_build/index.html)"

slides-pdf: slides
	$(PY) slides/print_pdf.py

$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-slides: requirements-slides.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-slides.txt
	touch $@

$(PY):
	$(PYTHON) -m venv $(VENV)
