# The commands of the README: `make demo PATTERN=...`, `make test`, `make slides`, `make bench`,
# `make screenshots`, `make exercise PATTERN=... [N=...]`.
PATTERN ?= functional_split
# sqlite, or postgres for the servers of `make postgres-up` (see the README).
DB ?= sqlite
PYTHON ?= python3
VENV ?= .venv
# The port of `make demo`'s server, on 127.0.0.1.
PORT ?= 8000
PY := $(abspath $(VENV))/bin/python
# Every folder with a manage.py is a pattern project.
PATTERNS := $(patsubst %/manage.py,%,$(wildcard */manage.py))
# The suites of `make test`, the slowest first so that the last two end together, and
# how many run at once (one a core: see `test`).
SLOWEST := shadowing sharding replication served
SUITES := $(SLOWEST) $(filter-out $(SLOWEST),$(PATTERNS)) slides bench-smoke exercises common
JOBS ?= 2
# Mixed engines: pattern:aliases, these aliases on PostgreSQL and the rest on SQLite
# (DEMO_POSTGRES_ALIASES, see the README's "Running on PostgreSQL").
MIXED := functional_split:reviews sharding:shard2
# What `make demo` runs beside a pattern's server, and stops with it: replication's
# follower copies the primary into the replicas every ten seconds.
COMPANION_replication := manage.py replicate --follow

.PHONY: demo exercise test $(addprefix suite-,$(SUITES)) check-pattern check-db slides slides-pdf \
	screenshots postgres-up postgres-down postgres-failover postgres-restore postgres-ready \
	test-postgres test-mixed bench

demo: check-pattern check-db $(VENV)/.installed $(if $(filter postgres,$(DB)),$(VENV)/.installed-postgres postgres-ready)
	cd $(PATTERN) && DEMO_DATABASE=$(DB) $(PY) manage.py setup_demo
	@echo "make demo: http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)"
	@# Ctrl-C is how the demo stops: the shell waits for the server to end, then exits 0,
	@# so make prints no "Interrupt" or "Error 130" (it still ends by the signal, as
	@# GNU make always does on SIGINT, so $$? is 130).
ifdef COMPANION_$(PATTERN)
	@# In the background SIGINT is ignored, so Ctrl-C ends the server, and the shell's
	@# exit sends the companion SIGTERM, then waits for its last line.
	cd $(PATTERN) && export DEMO_DATABASE=$(DB); \
		$(PY) $(COMPANION_$(PATTERN)) & companion=$$!; \
		echo "make demo: $(COMPANION_$(PATTERN)) is process $$companion (kill $$companion stops it alone)"; \
		trap 'kill $$companion 2>/dev/null; wait $$companion' EXIT; \
		trap 'exit 0' INT; trap 'exit 143' TERM; \
		$(PY) manage.py runserver 127.0.0.1:$(PORT)
else
	cd $(PATTERN) && export DEMO_DATABASE=$(DB); trap 'exit 0' INT; \
		$(PY) manage.py runserver 127.0.0.1:$(PORT)
endif

# A pattern's exercises (its exercises/ folder) with their state, or with N the one
# checked against the working tree: what still fails, and a hint. On the test databases,
# never the demo's own.
exercise: check-pattern $(VENV)/.installed
	@$(PY) -m common.exercises $(PATTERN) $(N)

check-pattern:
	@test -f "$(PATTERN)/manage.py" || { \
		echo "Unknown pattern '$(PATTERN)'. Choose one of: $(PATTERNS)"; exit 2; }

check-db:
	@case "$(DB)" in sqlite|postgres) ;; *) \
		echo "Unknown DB '$(DB)'. Choose sqlite or postgres."; exit 2;; esac

# Each suite runs in Python's development mode (-X dev: ResourceWarning shown, asyncio
# debug); its pytest.ini turns a leaked connection or a deprecated API into an error.
# makemigrations --check runs inside each suite, on the test databases.
# The suites are independent (each project keeps its test databases in its own folder), so
# JOBS of them run side by side, one a core; each one's output is printed whole when it ends.
test: $(VENV)/.installed $(VENV)/.installed-slides
	@$(PY) -c 'import sys, django; print(f"Python {sys.version.split()[0]}, Django {django.get_version()}")'
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	@$(MAKE) --no-print-directory -j$(JOBS) --output-sync=target $(addprefix suite-,$(SUITES))

suite-common:
	@echo "== common: the shared code (the database panel), tested once"
	cd common && $(PY) -X dev -m pytest -p no:cacheprovider

suite-slides:
	@echo "== slides: the -W build, then the deck in headless chromium"
	cd slides && $(PY) -m pytest -p no:cacheprovider

suite-served:
	@echo "== served: each pattern's demo in headless chromium, replication under gunicorn -w 3"
	cd served && $(PY) -X dev -m pytest -p no:cacheprovider

suite-exercises:
	@echo "== exercises: each fails as shipped, passes with solutions/, in a scratch copy"
	$(PY) -m common.exercise_proof

suite-bench-smoke:
	@echo "== bench: every benchmark still runs, on tiny data (no timing is checked)"
	$(PY) -m bench --reviews 1000 --primary-mb 1 --snapshot 200 --local 20 --scale 1000 --repeat 1 --browse 2 \
		--only $(PATTERNS) > /dev/null

# A pattern's suite: its system checks, then its tests.
$(addprefix suite-,$(PATTERNS)): suite-%:
	@echo "== $*"
	cd $* && $(PY) manage.py check --fail-level WARNING && $(PY) -X dev -m pytest -p no:cacheprovider

# The talk's deck: warnings are errors, so a quote of a renamed function fails the build.
slides: $(VENV)/.installed-slides
	$(PY) -m sphinx -E -a -W --keep-going -q -b revealjs slides slides/_build
	@echo "The slides: file://$(abspath slides/_build/index.html)"

slides-pdf: slides
	$(PY) -m slides.print_pdf

# The READMEs' pictures: each pattern's demo, on temporary databases, in headless
# chromium, written to docs/screenshots/.
screenshots: $(VENV)/.installed $(VENV)/.installed-slides
	$(PY) -m served.screenshots

# What each pattern costs, on temporary databases: prints the table and writes
# bench/results.rst, results.png and scale.png; figures 10, 11, 13 and 14 (and half of 12)
# only with make postgres-up.
# Sizes: make bench BENCH_ARGS="--reviews 20000 --scale 10000 100000".
bench: $(VENV)/.installed $(VENV)/.installed-bench
	$(PY) -m bench $(BENCH_ARGS)

# PostgreSQL on 127.0.0.1 (postgres/): a primary, two hot standbys streaming from it, a
# server per shard, and PgBouncer and Pgpool-II when installed; ports and folder
# from the checkout's path, or DEMO_POSTGRES_PORT and DEMO_POSTGRES_DATA.
postgres-up:
	postgres/up.sh

postgres-down:
	postgres/down.sh

# Lose the primary (replication/README.rst, "Losing the primary"): replica1 promoted in its
# place, the old primary fenced; then restored, the roles of postgres-up again.
postgres-failover:
	postgres/failover.sh

postgres-restore:
	postgres/failover.sh restore

postgres-ready:
	@postgres/ready.sh || { echo "Start the servers first: make postgres-up"; exit 2; }

# Every pattern's suite again, on the servers of postgres-up, which it starts and stops
# (PgBouncer's and Pgpool-II's tests are runs of their own: common/tests_pgbouncer/ and
# common/tests_pgpool/, each with its settings.py; the failover drills one after the
# pattern suites, replication/tests_failover); then the mixed runs.
test-postgres: $(VENV)/.installed $(VENV)/.installed-postgres
	postgres/up.sh
	@set -e; trap 'postgres/down.sh' EXIT; \
	(cd common && DEMO_DATABASE=postgres $(PY) -X dev -m pytest -p no:cacheprovider); \
	(cd common && $(PY) -X dev -m pytest -p no:cacheprovider --ds common.tests_pgbouncer.settings \
		tests_pgbouncer); \
	(cd common && $(PY) -X dev -m pytest -p no:cacheprovider --ds common.tests_pgpool.settings \
		tests_pgpool); \
	for pattern in $(PATTERNS); do \
		echo "== $$pattern on PostgreSQL"; \
		(cd $$pattern && DEMO_DATABASE=postgres $(PY) -X dev -m pytest -p no:cacheprovider); \
	done; \
	echo "== replication: losing the primary (each drill restored: the servers as postgres-up left them)"; \
	(cd replication && DEMO_DATABASE=postgres $(PY) -X dev -m pytest -p no:cacheprovider tests_failover); \
	$(MAKE) --no-print-directory test-mixed

# The MIXED runs' suites, on the servers of postgres-up (started already), but for the
# faults, which each engine's own run tests (the marker, in the patterns' pytest.ini).
test-mixed: $(VENV)/.installed $(VENV)/.installed-postgres postgres-ready
	@set -e; for run in $(MIXED); do \
		pattern=$${run%%:*}; aliases=$${run#*:}; \
		echo "== $$pattern: $$aliases on PostgreSQL, the rest on SQLite"; \
		(cd $$pattern && DEMO_POSTGRES_ALIASES=$$aliases $(PY) -X dev -m pytest -p no:cacheprovider \
			-m "not faults"); \
	done

$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-slides: requirements-slides.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-slides.txt
	touch $@

$(VENV)/.installed-bench: requirements-bench.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-bench.txt
	touch $@

$(VENV)/.installed-postgres: requirements-postgres.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-postgres.txt
	touch $@

$(PY):
	$(PYTHON) -m venv $(VENV)
