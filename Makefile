# qa-review: `make run` serves the demo on the embedded defaults; `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
QA := $(BIN)/qa
# Debian packages the app uses: Tesseract reads the text shown in ad videos (Russian, English).
APP_APT_PACKAGES := tesseract-ocr tesseract-ocr-rus tesseract-ocr-eng fonts-dejavu-core
# Debian packages the tests use: test speech (festival voices, sox), real telephone speech with
# transcripts (asterisk core sounds) and the browser for the browser tests.
TEST_APT_PACKAGES := festival festvox-ru festvox-us-slt-hts sox libsox-fmt-all \
	asterisk-core-sounds-ru-wav asterisk-core-sounds-en-wav asterisk-core-sounds-ru \
	asterisk-core-sounds-en chromium $(APP_APT_PACKAGES)

.PHONY: run serve test setup setup-test os-packages app-os-packages translations lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip wheel

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[postgres,redis]'
	touch $@

# openai-whisper without triton (1 GB, CUDA only): torch first, then whisper with --no-deps.
$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[postgres,redis,test,browser,bench,dev]'
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet --no-deps openai-whisper==20250625
	$(BIN)/pip install --quiet numba tiktoken more-itertools tqdm
	touch $@

setup: $(VENV)/.installed translations app-os-packages

setup-test: $(VENV)/.installed-test translations os-packages

translations: | $(BIN)/python
	$(BIN)/pybabel compile --use-fuzzy -d qa/translations --statistics 2>/dev/null || \
		$(BIN)/pybabel compile -d qa/translations

os-packages:
	@scripts/os-packages.sh $(TEST_APT_PACKAGES)

app-os-packages:
	@scripts/os-packages.sh $(APP_APT_PACKAGES)

run: setup serve

# The second half of `make run`, on an installed .venv.
serve:
	$(QA) init-instance
	$(QA) db upgrade
	$(QA) demo load
	scripts/run-local.sh

test: setup-test
	scripts/test.sh

lint:
	$(BIN)/ruff check qa transcription scoring tests benchmarks
	$(BIN)/mypy transcription scoring

clean:
	rm -rf $(VENV) instance .pytest_cache
