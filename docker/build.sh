#!/usr/bin/env bash
# Builds the ecs-emu Docker image from docker/Dockerfile.
#
#   docker/build.sh                  FROM eclipse-temurin:17-jre, pulled from Docker Hub (BASE_IMAGE overrides it)
#   docker/build.sh --local-base     FROM a base made here without any registry: a JRE jlinked from this machine's
#                                    JDK plus the C libraries it links, imported with docker import (what CI does)
#
# Options: --tag NAME (default ecs-emu:latest), --jar PATH (default emulator-cli/target/ecs-emu.jar, built when
# missing), --no-cds (no class data sharing archive: 30 MB smaller, a second or so slower to start). The local
# base is reused while the JDK is the same (tag ecs-emu-jre-base:<java version>).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tag=ecs-emu:latest
jar="$root/emulator-cli/target/ecs-emu.jar"
base="${BASE_IMAGE:-eclipse-temurin:17-jre}"
local_base=false
cds=true
while [ $# -gt 0 ]; do
  case "$1" in
    --local-base) local_base=true ;;
    --no-cds) cds=false ;;
    --tag) tag="$2"; shift ;;
    --jar) jar="$2"; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

if [ ! -f "$jar" ]; then
  echo "build.sh: building the runnable jar" >&2
  (cd "$root" && ./mvnw -q -B -DskipTests -pl emulator-cli -am package) >&2
fi

# The modules jdeps finds in the shaded jar (jdeps --print-module-deps --ignore-missing-deps --multi-release 17),
# fixed here so that the base does not change with every build.
modules=java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.security.jgss,java.sql,java.xml,jdk.unsupported

make_local_base() {
  local java_home version work rootfs
  java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  version="$("$java_home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p' | tr '+' '_')"
  base="ecs-emu-jre-base:$version"
  if docker image inspect "$base" >/dev/null 2>&1; then
    echo "build.sh: reusing $base" >&2
    return
  fi
  echo "build.sh: making $base from $java_home" >&2
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  rootfs="$work/rootfs"
  "$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
      --generate-cds-archive --output "$rootfs/opt/java/openjdk"
  # The C libraries the runtime links against, at the paths the dynamic loader looks in.
  find "$rootfs/opt/java/openjdk" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 \
    | xargs -0 ldd 2>/dev/null \
    | awk '/=> \// {print $3} /^\t\/[^ ]+ \(/ {print $1}' | sort -u \
    | while read -r lib; do cp -L --parents "$lib" "$rootfs"; done
  mkdir -p "$rootfs/etc" "$rootfs/tmp" "$rootfs/home/ecs-emu"
  chmod 1777 "$rootfs/tmp"
  printf 'root:x:0:0:root:/root:/sbin/nologin\necs-emu:x:10001:10001:ecs-emu:/home/ecs-emu:/sbin/nologin\n' > "$rootfs/etc/passwd"
  printf 'root:x:0:\necs-emu:x:10001:\n' > "$rootfs/etc/group"
  printf 'hosts: files dns\n' > "$rootfs/etc/nsswitch.conf"
  chown 10001:10001 "$rootfs/home/ecs-emu"
  tar --numeric-owner -C "$rootfs" -c . | docker import \
      --change 'ENV JAVA_HOME=/opt/java/openjdk' \
      --change 'ENV PATH=/opt/java/openjdk/bin:/usr/bin:/bin' \
      - "$base" >/dev/null
  rm -rf "$work"
  trap - EXIT
}

if $local_base; then
  make_local_base
fi

ctx="$(mktemp -d)"
trap 'rm -rf "$ctx"' EXIT
cp "$root/docker/Dockerfile" "$ctx/Dockerfile"
cp "$jar" "$ctx/ecs-emu.jar"
plain="$(docker build -q --build-arg "BASE_IMAGE=$base" "$ctx")"

# Class data sharing: the classes a start-up loads, archived by one training run of the image (started, asked
# for its health, stopped with SIGTERM so that the JVM writes the archive at exit). It takes a second or so off
# every start for 30 MB. Skipped when the image made last time has the same content.
with_cds() {
  local cid sock=/var/run/docker.sock run_opts=()
  if [ "$(docker image inspect -f '{{index .Config.Labels "dev.ecsemu.cds-of"}}' "$tag" 2>/dev/null)" = "$plain" ]; then
    echo "build.sh: $tag is up to date" >&2
    return 0
  fi
  if [ -S "$sock" ]; then
    run_opts=(-v "$sock:$sock" --group-add "$(stat -c %g "$sock")")
  else
    run_opts=(-e ECS_EMU_ENGINE=none)
  fi
  cid="$(docker run -d "${run_opts[@]}" -e JAVA_TOOL_OPTIONS="-XX:ArchiveClassesAtExit=/tmp/app.jsa -Xlog:cds=off -Xlog:cds+dynamic=off" \
      "$plain" start --instances 1)"
  for _ in $(seq 1 60); do
    docker exec "$cid" java -cp /opt/ecs-emu/ecs-emu.jar dev.ecsemu.cli.HealthCheck >/dev/null 2>&1 && break
    sleep 0.5
  done
  docker stop -t 30 "$cid" >/dev/null
  if ! docker cp "$cid:/tmp/app.jsa" "$ctx/app.jsa" 2>/dev/null; then
    echo "build.sh: the training run wrote no class archive; the image starts without one. Its log:" >&2
    docker logs "$cid" 2>&1 | tail -20 >&2
    docker rm "$cid" >/dev/null
    return 1
  fi
  docker rm "$cid" >/dev/null
  cat > "$ctx/Dockerfile.cds" <<DOCKERFILE
FROM $plain
COPY --chown=0:0 app.jsa /opt/ecs-emu/app.jsa
LABEL dev.ecsemu.cds-of="$plain"
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/opt/ecs-emu/app.jsa", "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-jar", "/opt/ecs-emu/ecs-emu.jar"]
CMD ["start"]
DOCKERFILE
  docker build -q -f "$ctx/Dockerfile.cds" -t "$tag" "$ctx" >/dev/null
}

if ! $cds || ! with_cds; then
  docker tag "$plain" "$tag"
fi
echo "built $tag from $base ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1000000}'))"
