#!/usr/bin/env bash
# Builds the agent and the benchmarks, then measures the agent's overhead: throughput of every client without the
# agent, with its default options and with stacks=all (1 and 8 threads), a calibration (a known busy loop per
# request, no agent), memory per open body and per leak site, and start-up time. Writes benchmarks/results/latest.md.
# Takes about 95 minutes on 2 cores (3 rounds at 1 thread, 5 at 8; 30 s of warm-up per fork); pass --quick for a smoke run of a few minutes.
# Other options: java -jar benchmarks/target/benchmarks.jar --help
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q package -DskipTests -pl agent,benchmarks -am
# A copy, so that a rebuild of the agent during the run cannot change the jar under running JVMs.
cp agent/target/httpleak-agent.jar benchmarks/target/httpleak-agent.jar
exec java -Dhttpleak.bench.command="benchmarks/run.sh $*" -jar benchmarks/target/benchmarks.jar \
  --agent benchmarks/target/httpleak-agent.jar --out benchmarks/results "$@"
