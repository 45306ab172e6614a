#!/usr/bin/env bash
# Runs the benchmarks, prints one table and writes benchmarks/results/ (one JSON per benchmark, and
# latest.json with all of them and the targets).
#   benchmarks/run.sh                       everything (about 11 minutes on 2 cores)
#   benchmarks/run.sh api cold-start        some of them
# What a benchmark needs and this machine lacks is reported as "not available":
#   Docker engine and busybox-static (task start, rollout, registry), moto_server (pip install 'moto[server]'),
#   wrk (apt-get install wrk), docker-registry (apt-get install docker-registry).
set -uo pipefail
cd "$(dirname "$0")/.."
all=(cold-start footprint api task-start service-rollout placement registry)
selected=("$@")
[ ${#selected[@]} -eq 0 ] && selected=("${all[@]}")
for name in "${selected[@]}"; do
  [[ " ${all[*]} " == *" $name "* ]] || { echo "unknown benchmark '$name'; one of: ${all[*]}" >&2; exit 2; }
done

./mvnw -q -B -DskipTests -pl emulator-cli,benchmarks -am package || exit 1
cp="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
results=benchmarks/results
start_ms=$(date +%s%3N)

# moto_server behind a pyenv shim: run the real script, so that cold start does not time pyenv.
if [ -z "${MOTO_SERVER:-}" ] && command -v moto_server >/dev/null 2>&1; then
  MOTO_SERVER="$(pyenv which moto_server 2>/dev/null || command -v moto_server)"
fi
export MOTO_SERVER="${MOTO_SERVER:-}"

image=ecs-emu-test/busybox:1
if docker info >/dev/null 2>&1 && ! docker image inspect "$image" >/dev/null 2>&1 && command -v busybox >/dev/null 2>&1; then
  ctx="$(mktemp -d)"
  cp "$(command -v busybox)" "$ctx/busybox"
  printf 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\n' > "$ctx/Dockerfile"
  docker build -q -t "$image" "$ctx" >/dev/null
  rm -rf "$ctx"
fi

run() {
  echo
  java -cp "$cp" "$@" || echo "$2 failed: see above" >&2
}
for name in "${selected[@]}"; do
  case "$name" in
    cold-start) run dev.ecsemu.benchmarks.ColdStartBenchmark "${COLD_START_RUNS:-10}" "$results" ;;
    footprint) run dev.ecsemu.benchmarks.FootprintBenchmark "${FOOTPRINT_RUNS:-3}" "$results" ;;
    api) run dev.ecsemu.benchmarks.ApiBenchmark "${API_WINDOWS:-3}" "${API_WINDOW_SECONDS:-2}" "$results" ;;
    task-start) run dev.ecsemu.benchmarks.TaskStartBenchmark "$image" "${TASK_START_RUNS:-15}" "$results" ;;
    service-rollout) run dev.ecsemu.benchmarks.ServiceRolloutBenchmark "$image" "${SERVICE_ROLLOUT_RUNS:-3}" "$results" ;;
    placement) run dev.ecsemu.benchmarks.PlacementBenchmark "${PLACEMENT_RUNS:-3}" "$results" ;;
    registry) run dev.ecsemu.benchmarks.RegistryBenchmark "$image" "${REGISTRY_RUNS:-3}" "${REGISTRY_MEGABYTES:-200}" "$results" ;;
  esac
done
java -cp "$cp" dev.ecsemu.benchmarks.Summary "$results" "$start_ms" "${selected[@]}"
