# gomall — every target GoMall's README lists, plus lint and migrate. `make help` lists them.
SHELL := /bin/bash
ENV ?= dev
GOMALL := node bin/run.js
LOG := run/gomall.log

.DEFAULT_GOAL := help
.PHONY: deps build run run-prod stop clean test chaos lint typecheck migrate services logs backup docker-build docker-run docker-stop swag help

# Only the lockfile decides: editing package.json scripts must not reinstall under running work.
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

deps: node_modules/.package-lock.json ## Install dependencies (npm ci)

dist/commands: deps $(shell find commands src -name '*.ts' 2>/dev/null) tsconfig.json tsconfig.build.json
	npm run build
	@touch dist/commands

build: dist/commands ## Compile TypeScript to dist/

services: ## Make sure MariaDB, Redis and RabbitMQ answer (installs what is missing, starts what is down)
	@scripts/ensure-services.sh

migrate: build services ## Create the database and apply migrations
	$(GOMALL) db migrate --env $(ENV)

# tee -i: Ctrl-C reaches serve and consume, not tee, so their shutdown lines are still logged.
run: build services ## The whole system: API server and order consumer (dev config); Ctrl-C stops both; logs also go to run/gomall.log
	@mkdir -p run
	NODE_OPTIONS="$${NODE_OPTIONS:---max-semi-space-size=8}" $(GOMALL) serve --env $(ENV) --migrate --with-consumer 2>&1 | tee -i -a $(LOG)

run-prod: ## Run with conf/config-prod.yaml (needs GOMALL_JWT__SECRET, GOMALL_PAYMENT__SECRET)
	$(MAKE) run ENV=prod

stop: ## Stop what run started (SIGTERM: requests in flight finish, the consumer commits its batch)
	@pid=$$(cat run/gomall.pid 2>/dev/null) && kill -TERM $$pid 2>/dev/null || { echo "no running server (run/gomall.pid)"; exit 0; }; \
	echo "sent SIGTERM to $$pid; waiting for the server and its consumer to finish"; \
	for _ in $$(seq 120); do kill -0 $$pid 2>/dev/null || { echo stopped; exit 0; }; sleep 0.5; done; \
	echo "still running after 60 s: $$pid" >&2; exit 1

logs: ## Follow the server log
	@mkdir -p run && touch $(LOG) && tail -f $(LOG)

clean: ## Remove build output, logs and pid files
	rm -rf dist run coverage

lint: deps ## ESLint + Prettier check
	npm run lint

typecheck: deps ## tsc --noEmit
	npm run typecheck

test: deps services ## Set up and run the whole test suite against the real services
	@scripts/ensure-chromium.sh
	npm test

chaos: build services ## Fault cases as real sales (docs/RELIABILITY.md): own redis-server / RabbitMQ node per case; CHAOS_ARGS="--buyers 1000" for a small run
	npm run --silent chaos -- $(CHAOS_ARGS)

backup: build services ## Dump the database to backups/ (gzip, pruned to backup.keep)
	$(GOMALL) backup --env $(ENV)

COMPOSE := docker compose -f deploy/docker-compose.yml

docker-build: ## Build the gomall image (needs a Docker engine)
	docker build -t gomall:latest .

docker-run: ## Start the whole stack: gomall, MySQL, Redis, RabbitMQ, Jaeger, Prometheus, Grafana
	$(COMPOSE) up -d

docker-stop: ## Stop the stack
	$(COMPOSE) down

swag: deps ## Write the OpenAPI document (the one /swagger serves) to docs/openapi.json
	npx tsx scripts/write-openapi.ts

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'
