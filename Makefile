# Two entry points for a newcomer: `make demo` and `make test`. Both install what is missing and
# are safe to run again.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
APT_PACKAGES := tesseract-ocr tesseract-ocr-eng tesseract-ocr-spa tesseract-ocr-osd poppler-utils \
                libtiff-tools chromium wamerican wspanish fonts-dejavu-core \
                fonts-liberation   # fonts-liberation: the sealed front-page set (bench/frontpage_sealed.py)
BENCH_APT_PACKAGES := unpaper ghostscript manpages-es fonts-dejavu-extra groff-base fonts-urw-base35 fonts-liberation imagemagick fonts-noto-core fonts-dejavu-core fonts-noto-mono openjdk-17-jdk-headless fonts-crosextra-caladea fonts-crosextra-carlito librsvg2-bin pango1.0-tools fonts-linuxlibertine fonts-sil-charis fonts-open-sans libreoffice-writer-nogui fonts-lato fonts-ebgaramond   # OCRmyPDF, compared against in bench/; Spanish text (bench/spanish.py); DejaVu Serif Condensed (bench/sealed_es2.py, bench/tables_sealed2_render.py); groff -Tps (bench/sealed_es4.py); URW base-35 Type 1 faces (bench/frontpage_sealed5.py, bench/tables_sealed2_render.py); Liberation Sans Narrow (bench/tables_sealed2_render.py); ImageMagick convert, Noto Serif/Sans, DejaVu Sans Condensed (bench/sealed_es5.py); Noto faces and a JDK (bench/frontpage_sealed6.py); Caladea, Carlito and a JDK (bench/sealed_es6.py); groff -Tps, tbl and URW Gothic (bench/frontpage_sealed7.py); rsvg-convert, Carlito and Caladea (bench/frontpage_sealed8.py); pango-view, Linux Libertine O / Biolinum O, Charis SIL, Open Sans (bench/sealed_es7.py); Charis SIL, Linux Libertine/Biolinum and a JDK (bench/tables_sealed4_render.py); Ghostscript, EB Garamond, Lato, URW Gothic (bench/sealed_es8.py); soffice (LibreOffice Writer), Lato, EB Garamond and Charis SIL (bench/frontpage_sealed9.py); Noto Serif, Caladea, Carlito, Open Sans (bench/tables_sealed5_render.py)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

LOCK_TOOL := build/lock-tool
UV_VERSION := 0.13.9

.PHONY: demo test check lock system-deps venv bench clean

demo: system-deps venv
	$(PY) -m digitize.demo build/demo-inputs >/dev/null
	$(VENV)/bin/digitize run --job jobs/demo.toml

test: system-deps venv
	$(PY) -m pytest $(PYTEST_ARGS)

# The quick tier: everything but the tests marked slow (real OCR of many pages, the browser, the
# cluster). Its time on this machine is in the README.
check: system-deps venv
	$(PY) -m pytest -m "not slow" $(PYTEST_ARGS)

# Refresh requirements.lock (every Python package, hashes included) after a change to
# pyproject.toml: pins already in the lock are kept; `make lock UPGRADE=1` moves everything to the
# newest release that fits. Then `make test`, and commit the lock with the change.
lock:
	test -x $(LOCK_TOOL)/bin/uv || { python3 -m venv $(LOCK_TOOL) && $(LOCK_TOOL)/bin/pip install -q uv==$(UV_VERSION); }
	$(LOCK_TOOL)/bin/uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.11 \
	  --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade) -o requirements.lock

bench: system-deps venv
	@missing=$$(for p in $(BENCH_APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	$(PY) bench/run_all.py $(BENCH_ARGS)

# Debian packages: installed only when one is missing.
system-deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:" $$missing; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

venv: $(VENV)/.installed

# Exactly the locked versions, each checked against its hash; then digitize itself, adding nothing.
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --require-hashes -r requirements.lock
	$(PY) -m pip install -q --no-deps -e .
	touch $@

clean:
	rm -rf $(VENV) build demo-output
