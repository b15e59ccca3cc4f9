# Shared by the scripts beside it: find the repository and make sure Java 17 and Maven are there.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

# The JVM flags the server, the bench and the tests run with: a fixed heap; JavaCPP's maxbytes at
# 512 MB (it counts JavaCPP's own pointers only: ND4J M2.1's arrays are not in its count, so what
# bounds an image network's native memory is SINAPSIS_MAX_BATCH_MB); no physical-memory check on
# every native allocation, which makes small ND4J operations 1.3-2x faster; and the serial
# collector: on two cores with a 1 GB heap it kept a Fashion-MNIST run's RSS lower than G1 did
# (1.8 against 2.2 GB with the earlier SameDiff trainer), and trained faster.
JAVA_FLAGS=(-Xmx${SINAPSIS_HEAP:-1g} -Dorg.bytedeco.javacpp.maxbytes=${SINAPSIS_OFFHEAP:-512m}
            -Dorg.bytedeco.javacpp.maxphysicalbytes=0 -XX:+UseSerialGC)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

need_java_and_maven() {
  if ! command -v mvn >/dev/null || ! command -v java >/dev/null; then
    echo "Installing Java 17 and Maven from Debian's packages…"
    apt_install openjdk-17-jdk-headless maven
  fi
}

build_jar() {
  need_java_and_maven
  if [ ! -f target/sinapsis.jar ] || [ -n "$(find pom.xml src/main web datasets -newer target/sinapsis.jar -print -quit)" ]; then
    echo "Building target/sinapsis.jar…"
    mvn -B -q -DskipTests package
  fi
}
