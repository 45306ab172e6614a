#!/usr/bin/env bash
# Runs the benchmarks and prints their tables; results go to benchmarks/results/.
#   benchmarks/run.sh            every benchmark
# Needs a Docker engine and the static busybox (Debian: busybox-static) for the test image; the registry
# benchmark also needs the reference registry (Debian: docker-registry).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -DskipTests -pl benchmarks -am package
cp="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"

image=ecs-emu-test/busybox:1
if ! docker image inspect "$image" >/dev/null 2>&1; then
  ctx="$(mktemp -d)"
  cp "$(command -v busybox)" "$ctx/busybox"
  printf 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\n' > "$ctx/Dockerfile"
  docker build -q -t "$image" "$ctx" >/dev/null
  rm -rf "$ctx"
fi

java -cp "$cp" dev.ecsemu.benchmarks.TaskStartBenchmark "$image" "${TASK_START_RUNS:-15}" benchmarks/results/task-start.json
java -cp "$cp" dev.ecsemu.benchmarks.ServiceRolloutBenchmark "$image" "${SERVICE_ROLLOUT_RUNS:-3}" benchmarks/results/service-rollout.json
java -cp "$cp" dev.ecsemu.benchmarks.PlacementBenchmark | tee benchmarks/results/placement.txt
if command -v docker-registry >/dev/null 2>&1; then
  java -cp "$cp" dev.ecsemu.benchmarks.RegistryBenchmark "$image" "${REGISTRY_RUNS:-3}" "${REGISTRY_MEGABYTES:-200}" \
    benchmarks/results/registry.json
else
  echo "registry benchmark skipped: it compares with the reference registry (apt-get install docker-registry)" >&2
fi
