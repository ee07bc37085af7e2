# rencai — two commands for a newcomer: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export RENCAI_VAR_DIR ?= $(CURDIR)/var
PG_URL ?= postgres://postgres@127.0.0.1:5432/rencai

.PHONY: install demo serve worker scheduler test test-pg lint bench bench-quick bench-load clean

$(BIN)/rencai: pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "rencai needs Python 3.11 or newer"'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(BIN)/rencai

install: $(BIN)/rencai

demo: install
	mkdir -p $(RENCAI_VAR_DIR)
	$(BIN)/rencai migrate --no-input
	$(BIN)/rencai load_demo
	@echo "后台任务进程（导入等）与定时任务调度已启动（日志在 $(RENCAI_VAR_DIR)/worker.log、scheduler.log）；网站： http://127.0.0.1:8000  （Ctrl+C 停止）"
	$(BIN)/rencai db_worker > $(RENCAI_VAR_DIR)/worker.log 2>&1 & echo $$! > $(RENCAI_VAR_DIR)/worker.pid; \
	$(BIN)/rencai scheduler > $(RENCAI_VAR_DIR)/scheduler.log 2>&1 & echo $$! > $(RENCAI_VAR_DIR)/scheduler.pid; \
	trap 'kill $$(cat $(RENCAI_VAR_DIR)/worker.pid) $$(cat $(RENCAI_VAR_DIR)/scheduler.pid) 2>/dev/null' EXIT INT TERM; \
	$(BIN)/rencai runserver 127.0.0.1:8000

serve: install
	$(BIN)/rencai runserver 127.0.0.1:8000

worker: install
	$(BIN)/rencai db_worker

scheduler: install
	$(BIN)/rencai scheduler

test: install
	bash scripts/test-deps.sh
	$(BIN)/pytest

test-pg: install
	bash scripts/test-deps.sh
	DATABASE_URL=$(PG_URL) $(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy src

bench: install
	mkdir -p bench/results
	$(BIN)/python bench/import_bench.py
	$(BIN)/python bench/export_bench.py
	$(BIN)/python bench/matching/run.py
	$(BIN)/python bench/lists/run.py
	$(BIN)/python bench/load/run.py

bench-load: install
	mkdir -p bench/results
	$(BIN)/python bench/load/run.py

bench-quick: install
	mkdir -p bench/results
	$(BIN)/python bench/import_bench.py --rows 10000
	$(BIN)/python bench/export_bench.py --rows 10000
	$(BIN)/python bench/matching/run.py --talents 20000 --needs 500

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
