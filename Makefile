# Every target bootstraps what it needs: a fresh clone needs only python3 and make.
SHELL := /bin/bash
UV_VERSION := 0.13.9
VENV := .venv
UV := $(VENV)/bin/uv
RUN := $(UV) run --frozen --no-sync
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION := 1

.PHONY: install run test reliability redrive load unit integration stack infra-tests lint format synth deploy events bench-imports bench-ledger bench-invitations bench-checkins bench-reports fire bounce clean

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
	$(RUN) pytest -n 2 --dist loadgroup -m "not stack and not reliability"
	$(RUN) pytest -m "stack and not reliability"

reliability: install  ## the reliability harnesses: faults on the event path, redelivery and reordering, poison and redrive, load, the seat race again
	$(RUN) pytest -n 2 -m "reliability and not stack"
	$(RUN) pytest -m "stack and reliability"

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
	$(RUN) python -m infra.catalogue

bench-imports: install  ## cold import time of every Lambda entry module, as ratios to a bare interpreter
	$(RUN) python -m tests.bench.cold_imports

bench-ledger: install  ## every write route: DynamoDB round trips and time per request, ratio to the same bare calls
	$(RUN) python -m tests.bench.write_routes

bench-invitations: install  ## inviting 10,000 people: choosing, telling, sending end to end; msgs/s, round trips per message, resuming
	$(RUN) python -m tests.bench.invitations

bench-checkins: install  ## cycles for every supervisor and the daily job at 150, 1555 and 15550 people: time and round trips per person
	$(RUN) python -m tests.bench.checkins

bench-reports: install  ## the half-year report after 1k, 10k and 100k events: time and reads as ratios to the smallest
	$(RUN) python -m tests.bench.reports

synth: install  ## write cdk.out offline
	$(RUN) python -m infra.app

deploy: install  ## needs AWS credentials; see README
	npx --yes aws-cdk@^2.1148 deploy --all --require-approval broadening

load: install  ## 50 clients against the local stack for a minute: requests per second, latencies, the ledger checked
	$(RUN) python -m tests.reliability.load --clients 50 --seconds 60

redrive: install  ## send a service's dead-lettered events back to its queue on the local stack: make redrive SERVICE=notifications
	$(RUN) python -m local.redrive $(SERVICE)

# The running stack's address: PORT=... if given, else what `make run` wrote to .local/url.
STACK_URL = $(if $(PORT),http://127.0.0.1:$(PORT),$(shell cat .local/url 2>/dev/null || echo http://127.0.0.1:3000))

fire:  ## fire a schedule now on the running local stack: make fire SCHEDULE=notifications.daily-digest [PORT=3000]
	curl -fsS -X POST $(STACK_URL)/local/schedules/$(SCHEDULE)

bounce: install  ## SES's report of a bounce (or KIND=complaint) of the last email the local stack sent to EMAIL
	$(RUN) python -m local.bounce "$(EMAIL)" --kind $(or $(KIND),bounce) --tenant $(or $(TENANT),humana)

clean:
	rm -rf $(VENV) cdk.out .pytest_cache .mypy_cache .ruff_cache
