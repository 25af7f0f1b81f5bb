# The two commands of the README:
#   make run    set up and start web + worker + beat with demo data (http://127.0.0.1:8000):
#               migrates as the database owner, runs `db_roles`, then runs everything as the
#               app role ces_app, which cannot alter or erase audit rows (docs/operations.md)
#   make test   run the whole test suite against real PostgreSQL and Redis (as the owner;
#               tests/ces/test_db_roles.py creates ces_app in the test database and acts as it)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install bench check-deploy clean messages mutate

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python -m devtools.devenv run

test: $(STAMP)
	$(BIN)/python -m devtools.devenv test $(ARGS)

# Benchmarks on a separate ces_bench database; writes docs/benchmarks.md.
bench: $(STAMP)
	$(BIN)/python -m devtools.devenv bench $(ARGS)

# Mutation testing of the policy modules (cosmic-ray; minutes per module, not in CI): a score per
# module and the survivors; figures in docs/test-strength.md. One module: make mutate ARGS=intake/scoring.py
mutate: $(STAMP)
	nice -n 15 $(BIN)/python devtools/mutate.py $(ARGS)

# Recompile every app's Spanish catalogue after editing <app>/locale/es/LC_MESSAGES/django.po.
messages:
	for po in */locale/es/LC_MESSAGES/django.po; do msgfmt --check-format -o "$${po%.po}.mo" "$$po" || exit 1; done

clean:
	rm -rf var/staticfiles var/celery var/celerybeat-schedule*
