# Build stage: the Maven wrapper and the pinned dependencies, then the runnable jar.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -q -B dependency:go-offline
COPY openapi openapi
COPY conf conf
COPY src src
RUN ./mvnw -q -B -DskipTests package

# Run stage: a JRE, a non-root user, the jar and its default configuration.
FROM eclipse-temurin:17-jre
RUN groupadd --system mfa && useradd --system --gid mfa --home-dir /var/lib/mfa-service --create-home mfa
WORKDIR /opt/mfa-service
COPY --from=build /src/target/mfa-service.jar mfa-service.jar
COPY conf conf
USER mfa
ENV MFA_DATA_DIR=/var/lib/mfa-service \
    MFA_HTTP_PORT=8080 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
VOLUME /var/lib/mfa-service
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /readyz HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q ' 200 ' <&3"]
ENTRYPOINT ["java", "-jar", "/opt/mfa-service/mfa-service.jar"]
