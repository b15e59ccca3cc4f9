# Build: the same jar that `mvn package` makes. MAVEN_PROFILES=cuda builds the CUDA backend
# (run that image on a CUDA 11.6 base, see compose.yaml's worker-cuda).
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre
FROM maven:3.9-eclipse-temurin-17 AS build
ARG MAVEN_PROFILES=""
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q ${MAVEN_PROFILES:+-P$MAVEN_PROFILES} dependency:go-offline
COPY src src
COPY web web
COPY datasets datasets
RUN mvn -B -q ${MAVEN_PROFILES:+-P$MAVEN_PROFILES} -DskipTests package

# Run: a JRE and the jar. Data (DATA_DIR) lives in a volume.
FROM ${RUNTIME_IMAGE}
# a CUDA base image brings no Java: take Ubuntu's
RUN command -v java >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jre-headless && rm -rf /var/lib/apt/lists/*)
# JavaCPP unpacks ND4J's native libraries under the user's home (~/.javacpp), so /app is theirs.
RUN useradd --system --home /app sinapsis && mkdir -p /app /data && chown sinapsis /app /data
WORKDIR /app
COPY --from=build /src/target/sinapsis.jar /app/sinapsis.jar
USER sinapsis
ENV PORT=7070 DATA_DIR=/data SINAPSIS_HEAP=1g SINAPSIS_OFFHEAP=512m
VOLUME /data
EXPOSE 7070
# A fixed heap and JavaCPP's maxbytes, as src/scripts/common.sh sets them (see the comment there).
ENTRYPOINT ["sh", "-c", "exec java -Xmx${SINAPSIS_HEAP} -Dorg.bytedeco.javacpp.maxbytes=${SINAPSIS_OFFHEAP} -Dorg.bytedeco.javacpp.maxphysicalbytes=0 -XX:+UseSerialGC -jar /app/sinapsis.jar"]
