#!/usr/bin/env bash
# Builds the agent and the benchmarks, then measures the agent's overhead: throughput of every client without the
# agent, with its default options and with stacks=all (1 and 8 threads), memory per open body and per leak site,
# and start-up time. Writes benchmarks/results/latest.md. Takes about 20 minutes on 2 cores; pass --quick for a
# smoke run of a minute or two. Other options: java -jar benchmarks/target/benchmarks.jar --help
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q package -DskipTests -pl agent,benchmarks -am
exec java -Dhttpleak.bench.command="benchmarks/run.sh $*" -jar benchmarks/target/benchmarks.jar \
  --agent agent/target/httpleak-agent.jar --out benchmarks/results "$@"
