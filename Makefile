# Two entry points for a newcomer: `make demo` and `make test`. Both install what is missing and
# are safe to run again.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
APT_PACKAGES := tesseract-ocr tesseract-ocr-eng tesseract-ocr-spa tesseract-ocr-osd poppler-utils \
                libtiff-tools chromium wamerican wspanish fonts-dejavu-core \
                fonts-liberation   # fonts-liberation: the sealed front-page set (bench/frontpage_sealed.py)
BENCH_APT_PACKAGES := unpaper ghostscript   # OCRmyPDF, compared against in bench/
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test system-deps venv bench clean

demo: system-deps venv
	$(PY) -m digitize.demo build/demo-inputs >/dev/null
	$(VENV)/bin/digitize run --job jobs/demo.toml

test: system-deps venv
	$(PY) -m pytest $(PYTEST_ARGS)

bench: system-deps venv
	@missing=$$(for p in $(BENCH_APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	$(PY) -m pip install -q -e '.[test,bench]'
	$(PY) bench/run_all.py $(BENCH_ARGS)

# Debian packages: installed only when one is missing.
system-deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:" $$missing; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) build demo-output
