# Set-up, run and test commands. Each target installs what it needs first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := run

.PHONY: run test test-postgres setup install browser-deps lint format clean translations compile-translations

$(BIN)/activate: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(BIN)/activate

install: $(BIN)/activate

# Migrate the database (SQLite under instance/ unless DATABASE_URL is set), then
# create roles, permissions and schools, and load the demo program once.
setup: install compile-translations
	$(BIN)/flask db upgrade
	$(BIN)/flask ils setup
	$(BIN)/flask ils demo-data --if-empty

run: setup
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

test: install compile-translations
	$(BIN)/python -m pytest

# Runs the suite against PostgreSQL (database ils_test on 127.0.0.1:5432 unless
# TEST_DATABASE_URL names another; the database is created if missing).
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/ils_test
test-postgres: install compile-translations
	$(BIN)/python tests/create_database.py "$(TEST_DATABASE_URL)"
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/python -m pytest

# What the browser tests (tests/browser) need: Debian's Chromium, Noto fonts for the Arabic and
# Chinese pages, and axe-core from package-lock.json. apt-get needs root (SUDO=sudo otherwise).
# The package lists are refreshed only when an install from the current lists fails.
BROWSER_PACKAGES := chromium fonts-noto-core fonts-noto-cjk
SUDO ?=
browser-deps: node_modules/axe-core/axe.min.js
	dpkg -s $(BROWSER_PACKAGES) >/dev/null 2>&1 \
		|| $(SUDO) apt-get install -y --no-install-recommends $(BROWSER_PACKAGES) \
		|| ($(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends $(BROWSER_PACKAGES))

node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Compile the catalogs under translations/ (the .mo files are not committed).
compile-translations: install
	$(BIN)/pybabel compile -d translations --statistics

# Extract messages from the code and templates, merge them into every catalog, compile.
# Babel 2.18's update has no --no-location option, and the template holds no locations.
# Merging marks near matches fuzzy: translate them and remove the flag before committing.
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k _l -k lazy_gettext --no-location \
		--sort-output --project "ILS Mentoring" -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --width 100 \
		--ignore-obsolete
	$(MAKE) compile-translations

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) instance/ils.sqlite3 .pytest_cache test-artifacts
