# The two commands of the README: `make demo PATTERN=...` and `make test`.
PATTERN ?= functional_split
PYTHON ?= python3
VENV ?= .venv
PY := $(abspath $(VENV))/bin/python
# Every folder with a manage.py is a pattern project.
PATTERNS := $(patsubst %/manage.py,%,$(wildcard */manage.py))

.PHONY: demo test check-pattern

demo: check-pattern $(VENV)/.installed
	cd $(PATTERN) && $(PY) manage.py setup_demo
	cd $(PATTERN) && $(PY) manage.py runserver 127.0.0.1:8000

check-pattern:
	@test -f "$(PATTERN)/manage.py" || { \
		echo "Unknown pattern '$(PATTERN)'. Choose one of: $(PATTERNS)"; exit 2; }

test: $(VENV)/.installed
	@$(PY) -c 'import sys, django; print(f"Python {sys.version.split()[0]}, Django {django.get_version()}")'
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	@set -e; for pattern in $(PATTERNS); do \
		echo "== $$pattern"; \
		(cd $$pattern && $(PY) manage.py check --fail-level WARNING \
			&& $(PY) manage.py makemigrations --check --dry-run \
			&& $(PY) -m pytest -p no:cacheprovider); \
	done

$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(PY):
	$(PYTHON) -m venv $(VENV)
