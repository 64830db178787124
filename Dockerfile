# mfa-service image: a jlink-trimmed Java 17 runtime on Debian slim, the service's jar, a non-root
# user. Build the jar first, then the image (the same two commands in CI and for users):
#   ./mvnw -q -DskipTests package
#   docker build --build-arg VERSION=0.1.0-SNAPSHOT --build-arg REVISION=$(git rev-parse HEAD) -t mfa-service .
# The jar is built on the host, not in a build stage: the image then holds exactly the jar the
# tests ran against, and a build needs no registry access beyond the two base images.

# Stage 1: a Java runtime with only the modules the service uses (jdeps over its classes, plus
# the providers it loads at run time: EC keys, zip file systems). No class-data archive: it would
# add 12 MB for a fraction of a second at start, which the database's start dwarfs.
FROM eclipse-temurin:17-jdk AS runtime
RUN jlink --add-modules java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.security.jgss,java.sql,java.transaction.xa,java.xml,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.unsupported,jdk.zipfs \
      --strip-debug --no-man-pages --no-header-files --compress=2 \
      --output /jre

# Stage 2: what runs.
FROM debian:bookworm-slim
ARG VERSION=unknown
ARG REVISION=unknown
ARG SOURCE=unknown
LABEL org.opencontainers.image.title="mfa-service" \
      org.opencontainers.image.description="Second factors (TOTP, email and SMS codes, security keys, recovery codes) behind ZITADEL's API" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.base.name="docker.io/library/debian:bookworm-slim"
# A fixed numeric uid, so that `runAsNonRoot` and volume ownership can be checked without a passwd lookup.
RUN groupadd --system --gid 10001 mfa \
 && useradd --system --uid 10001 --gid mfa --home-dir /var/lib/mfa-service --no-create-home --shell /usr/sbin/nologin mfa \
 && install -d -o mfa -g mfa -m 0700 /var/lib/mfa-service
COPY --from=runtime /jre /opt/java
COPY target/mfa-service.jar /opt/mfa-service/mfa-service.jar
ENV PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    MFA_DATA_DIR=/var/lib/mfa-service \
    MFA_HTTP_PORT=8080
USER 10001:10001
WORKDIR /var/lib/mfa-service
VOLUME /var/lib/mfa-service
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${MFA_HTTP_PORT:-8080} && printf 'GET /readyz HTTP/1.0\\r\\n\\r\\n' >&3 && read -r _ status _ <&3 && [ \"$status\" = 200 ]"]
# Heap: half the container's memory (the embedded PostgreSQL, when used, lives in the same
# limit); out of memory ends the process so that the orchestrator restarts it. The collector is the
# JVM's own choice for the limit, not the benchmark's Shenandoah (README, "Run in a container", says
# why: under 384 MB its default heuristics do not fit, its compact ones cost 1.56 x the CPU).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/mfa-service/mfa-service.jar"]
