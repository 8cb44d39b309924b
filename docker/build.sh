#!/usr/bin/env bash
# The image's build steps, in one place: the Dockerfile runs them, and the chart's tests run
# `rootfs` (with a binary already built) and check the files it lays out against the chart.
#
#   docker/build.sh web            build the web client into web-client/dist
#   docker/build.sh binary         build the release binary (target/release/usher)
#   docker/build.sh rootfs DIR     lay out the runtime image's files under DIR:
#                                  /usr/local/bin/usher and the web client in /usr/share/usher/web
#                                  (USHER_BINARY names another binary to lay out)
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  web)
    npm --prefix web-client ci --no-audit --no-fund
    npm --prefix web-client run build
    ;;
  binary)
    cargo build --release --locked --bin usher
    ;;
  rootfs)
    out=${2:?"usage: docker/build.sh rootfs DIR"}
    binary=${USHER_BINARY:-target/release/usher}
    [ -x "$binary" ] || { echo "docker/build.sh: no binary at $binary" >&2; exit 1; }
    [ -f web-client/dist/index.html ] || { echo "docker/build.sh: build the web client first (web)" >&2; exit 1; }
    install -D -m 0755 "$binary" "$out/usr/local/bin/usher"
    mkdir -p "$out/usr/share/usher/web"
    cp -R web-client/dist/. "$out/usr/share/usher/web/"
    ;;
  *)
    echo "usage: docker/build.sh web | binary | rootfs DIR" >&2
    exit 2
    ;;
esac
