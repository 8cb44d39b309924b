"""A scripted WebSocket client for the README walkthrough test, in place of the interactive
`wscat -c URL`: connects to URL (ws://host:port/path?query), answers pings, and prints each text
message on its own line, prefixed `< ` as wscat does, until the server closes the socket or
`--seconds` pass. Python's standard library only."""

import argparse
import base64
import os
import socket
import struct
import sys
import time
from urllib.parse import urlsplit


def send_frame(sock, opcode, payload):
    # Client frames are masked (RFC 6455 5.3).
    mask = os.urandom(4)
    header = bytes([0x80 | opcode])
    n = len(payload)
    if n < 126:
        header += bytes([0x80 | n])
    elif n < 65536:
        header += bytes([0x80 | 126]) + struct.pack("!H", n)
    else:
        header += bytes([0x80 | 127]) + struct.pack("!Q", n)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    sock.sendall(header + mask + masked)


def read_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--seconds", type=float, default=120)
    args = parser.parse_args()
    url = urlsplit(args.url)
    sock = socket.create_connection((url.hostname, url.port or 80), timeout=5)
    key = base64.b64encode(os.urandom(16)).decode()
    target = url.path + ("?" + url.query if url.query else "")
    sock.sendall(
        (
            f"GET {target} HTTP/1.1\r\nHost: {url.netloc}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    head = b""
    while b"\r\n\r\n" not in head:
        head += read_exact(sock, 1)
    status = head.split(b"\r\n", 1)[0].decode()
    if " 101 " not in status + " ":
        print(f"handshake refused: {status}", file=sys.stderr)
        return 1
    print("Connected (press CTRL+C to quit)", flush=True)
    deadline = time.monotonic() + args.seconds
    sock.settimeout(1)
    while time.monotonic() < deadline:
        try:
            first, second = read_exact(sock, 2)
        except socket.timeout:
            continue
        except EOFError:
            break
        opcode, n = first & 0x0F, second & 0x7F
        sock.settimeout(5)
        if n == 126:
            (n,) = struct.unpack("!H", read_exact(sock, 2))
        elif n == 127:
            (n,) = struct.unpack("!Q", read_exact(sock, 8))
        payload = read_exact(sock, n)
        sock.settimeout(1)
        if opcode == 0x1:
            print("< " + payload.decode(), flush=True)
        elif opcode == 0x9:
            send_frame(sock, 0xA, payload)
        elif opcode == 0x8:
            code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
            print(f"Disconnected (code: {code}, reason: \"{payload[2:].decode()}\")", flush=True)
            break
    sock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
