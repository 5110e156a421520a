# The two commands a fresh machine needs (see README): `make demo` and `make test`.
export PYTHONPATH := $(CURDIR):$(CURDIR)/services
export UV_PYTHON_DOWNLOADS := never

.PHONY: setup demo test test-fast fuzz contracts infra-up infra-down

setup:
	@bash tools/setup.sh

demo: setup  ## the platform on local real infrastructure, driving a multi-country programme
	uv run python -m tools.demo

test: setup  ## lint, then every tier: unit, component, contract, integration, e2e, faults and fuzz (real Kafka + FerretDB + Keycloak)
	@bash deploy/local/chromium.sh  # the impact report's browser test
	@bash deploy/local/infra.sh fetch prometheus jaeger  # operations tests: Go builds, cached outside the repo
	@bash deploy/local/helm.sh fetch  # the Helm chart's offline validation
	uv run ruff check .
	@cd deploy/local/ferretdb && go test -mod=readonly -trimpath -count=1 .  # our FerretDB main's own code (wal.go)
	@bash tools/test_tiers.sh  # the fault tier beside the others, the shared servers started once

test-fast:  ## unit, component and contract tiers only: no servers needed
	uv run pytest -m "unit or component or contract"

fuzz: setup  ## the property tests with new random examples, 20 times as many (`make test` replays fixed ones)
	uv run pytest -m property --hypothesis-profile=fuzz --hypothesis-show-statistics

contracts:  ## rewrite docs/contracts after a deliberate contract change
	uv run python -m tools.contracts

infra-up:
	bash deploy/local/infra.sh start

infra-down:
	bash deploy/local/infra.sh stop
