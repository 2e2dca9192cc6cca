# Every target bootstraps what it needs: a fresh clone needs only python3 and make.
SHELL := /bin/bash
UV_VERSION := 0.13.9
VENV := .venv
UV := $(VENV)/bin/uv
RUN := $(UV) run --frozen --no-sync
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION := 1

.PHONY: install run test unit integration stack infra-tests lint format synth deploy events bench-imports bench-ledger bench-invitations fire bounce clean

$(UV):
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --quiet
	touch $@

install: $(VENV)/.synced

run: install  ## the whole system on an embedded AWS (moto) with demo data
	$(RUN) python -m local

# The stack tests run in a process of their own: moto keeps its state per process, and an
# in-process `mock_aws()` beside the running stack would wipe the stack's.
test: install  ## everything: unit, integration, walking skeleton on the local stack, infrastructure
	$(RUN) pytest -n 2 --dist loadgroup -m "not stack"
	$(RUN) pytest -m stack

unit: install
	$(RUN) pytest tests/unit

integration: install
	$(RUN) pytest tests/integration

stack: install
	$(RUN) pytest tests/stack

infra-tests: install
	$(RUN) pytest tests/infra

lint: install
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy

format: install
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

events: install  ## export every event's JSON Schema into docs/events/
	$(RUN) python -m services.shared.catalogue

bench-imports: install  ## cold import time of every Lambda entry module, as ratios to a bare interpreter
	$(RUN) python -m tests.bench.cold_imports

bench-ledger: install  ## DynamoDB round trips and time per register / cancel-with-promotion, ratio to bare calls
	$(RUN) python -m tests.bench.seat_ledger

bench-invitations: install  ## inviting 10,000 people: choosing, telling, sending end to end; msgs/s, round trips per message, resuming
	$(RUN) python -m tests.bench.invitations

synth: install  ## write cdk.out offline
	$(RUN) python -m infra.app

deploy: install  ## needs AWS credentials; see README
	npx --yes aws-cdk@^2.1148 deploy --all --require-approval broadening

fire: install  ## fire a schedule now on the running local stack: make fire SCHEDULE=notifications.daily-digest
	curl -fsS -X POST http://127.0.0.1:3000/local/schedules/$(SCHEDULE)

bounce: install  ## SES's report of a bounce (or KIND=complaint) of the last email the local stack sent to EMAIL
	$(RUN) python -m local.bounce "$(EMAIL)" --kind $(or $(KIND),bounce) --tenant $(or $(TENANT),humana)

clean:
	rm -rf $(VENV) cdk.out .pytest_cache .mypy_cache .ruff_cache
