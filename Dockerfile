# usher's image: the release binary and the web client on a minimal runtime (glibc, no shell),
# running as an unprivileged user. The build steps are docker/build.sh's, which the chart's
# tests also run and check against the chart (user, entrypoint, port, web root).
#
#   docker build -t usher .
#   docker run -p 8000:8000 usher          # embedded store and backends, web client at /

FROM node:20-bookworm-slim AS web
WORKDIR /src
COPY docker/build.sh docker/
COPY web-client/ web-client/
RUN docker/build.sh web

FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN docker/build.sh binary
COPY --from=web /src/web-client/dist/ web-client/dist/
RUN docker/build.sh rootfs /rootfs

FROM gcr.io/distroless/cc-debian12
COPY --from=build /rootfs/ /
ENV USHER_WEB_ROOT=/usr/share/usher/web \
    USHER_BIND=0.0.0.0 \
    SERVER_PORT=8000
USER 10001:10001
EXPOSE 8000
ENTRYPOINT ["/usr/local/bin/usher"]
CMD ["serve"]
