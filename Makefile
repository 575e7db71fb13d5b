# Guichet — `make demo` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install locale demo test lint format bench messages cluster-test

$(STAMP): pyproject.toml requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e ".[test]"
	@touch $(STAMP)

install: $(STAMP)

# Translations are compiled from locale/*/LC_MESSAGES/django.po (GNU gettext's msgfmt).
locale: install
	@command -v msgfmt >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq gettext >/dev/null)
	@bash scripts/compile-locale.sh

# Each preset is its own operator with its own demo: `GUICHET_PRESET=ccq make demo` keeps
# its data apart in var/ccq/ (unless GUICHET_DATA_DIR says where); the demo preset uses var/.
ifneq ($(filter-out demo,$(GUICHET_PRESET)),)
demo: export GUICHET_DATA_DIR ?= $(CURDIR)/var/$(GUICHET_PRESET)
endif
demo: install locale
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py load_demo
	@# No Celery beat in the embedded mode: background loops sweep expired holds (every
	@# minute), memberships (reminders, lapses, documents past their delay; hourly) and
	@# relations past their end date (relation.removed webhooks; hourly).
	$(PY) manage.py sweep_registrations --every 60 > $(or $(GUICHET_DATA_DIR),var)/sweeper.log 2>&1 & \
	  holds=$$!; \
	  $(PY) manage.py sweep_memberships --every 3600 > $(or $(GUICHET_DATA_DIR),var)/memberships-sweeper.log 2>&1 & \
	  members=$$!; \
	  $(PY) manage.py sweep_relation_changes --every 3600 > $(or $(GUICHET_DATA_DIR),var)/relations-sweeper.log 2>&1 & \
	  trap "kill $$holds $$members $$!" EXIT INT TERM; \
	  GUICHET_PAYMENT_PROVIDER=$${GUICHET_PAYMENT_PROVIDER-demo} $(PY) manage.py runserver 127.0.0.1:8000

test: install locale
	bash scripts/run-tests.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Re-extract the strings to translate (French catalogue) after changing texts.
messages: install
	$(PY) manage.py makemessages -l fr --ignore=.venv --ignore=var --no-obsolete

bench: install locale
	bash scripts/run-bench.sh

# Two app servers behind HAProxy, PostgreSQL, Redis, a Celery worker and beat, through a
# registration rush and five faults (docs/deployment.md « The cluster test »). 10 to 20
# minutes; outside `make test`.
cluster-test: install locale
	bash scripts/cluster-test.sh
