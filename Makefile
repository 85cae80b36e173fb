# Two commands do everything: `make run` (the twin on a map) and `make test`.
# Both install what they need on Debian 12 (as root, or a user with sudo) and
# are idempotent: a second run only checks that everything is in place.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := postgresql-15-postgis-3 postgresql-15-pgrouting gdal-bin chromium \
	mosquitto nginx-light python3-venv python3-dev build-essential python3-qgis qgis-providers
SCALE ?= city
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup apt venv npm lint bench clean

run: setup
	$(BIN)/twin run --scale $(SCALE) --host $(HOST) --port $(PORT)

test: setup
	$(BIN)/python -m pytest -n 2 --dist loadgroup -p no:cacheprovider \
	  --basetemp="$$(mktemp -d "$${TMPDIR:-/tmp}/twin-test.XXXXXX")"

setup: apt venv npm

apt:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

venv: $(VENV)/.installed

$(VENV)/.installed: setup.cfg pyproject.toml
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,bench]'
	@touch $@

npm: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

lint: venv
	$(BIN)/ruff check .

bench: setup
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) node_modules
