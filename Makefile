# Berätta. The two commands: `make run` serves the app with demo data, `make test` runs
# every test, browser tests included. Both install whatever is missing first.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VAR ?= var
PORT ?= 8080
SERVER_FLAGS = --data $(VAR)/data --secret-file $(VAR)/server-secret.key --questionnaires questionnaires

.PHONY: help setup web run test bench soak instrument-report clean

help:
	@echo "make run    install what is missing, build, serve on http://127.0.0.1:$(PORT) with demo codes"
	@echo "make test   the fmt, clippy and shellcheck gates, then every test: domain, server, front end, browser"
	@echo "make bench  transfer size, engine speed, durable saves per second, 1,000 children logging in"
	@echo "make soak   the crash loop 100 times: SIGKILL while children save, every acknowledged save kept"
	@echo "make instrument-report  factor coverage, path lengths and LIX per age band"

setup:
	@bash scripts/setup.sh

# The front end, built by Trunk with the wasm toolchain chosen by setup: the child's app
# into dist/, then the staff app into dist/staff/ (served under /staff/), so children never
# download the staff pages. The child build goes first because it empties dist/.
web: setup
	bash scripts/wasm-env.sh trunk build --release
	bash scripts/wasm-env.sh trunk build staff.html --release --dist dist/staff --public-url /staff/

run: web
	cargo build --release --locked -p beratta-server
	@mkdir -p $(VAR)
	./target/release/beratta-server demo $(SERVER_FLAGS) --children 3 --with-staff --org-key-out $(VAR)/demo-org-secret.key
	./target/release/beratta-server demo $(SERVER_FLAGS) --children 2 --questionnaire beratta-6-9@1 --org-key-out $(VAR)/demo-org-secret.key
	./target/release/beratta-server demo $(SERVER_FLAGS) --children 2 --questionnaire beratta-13-18@1 --org-key-out $(VAR)/demo-org-secret.key
	./target/release/beratta-server demo-municipality $(SERVER_FLAGS)
	./target/release/beratta-server serve $(SERVER_FLAGS) --static dist --listen 127.0.0.1:$(PORT)

test: web
	bash scripts/test.sh

bench: web
	bash scripts/bench.sh

soak: setup
	cargo build --locked --release -p beratta-server --bin beratta-server --example crash_loop
	target/release/examples/crash_loop target/release/beratta-server questionnaires 100

instrument-report:
	@cargo run --quiet --locked --release -p beratta-core --example instrument_report

clean:
	rm -rf dist target/wasm-mode
