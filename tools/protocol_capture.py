#!/usr/bin/env python3
"""Records real protocol traffic as seer-protocols fixture events.

A relay listens on --listen (UDP or TCP), forwards to --upstream, and writes every datagram / every
recv() of each direction as one numbered event file into --out:
    NN-req   bytes the client sent   (fed to the request direction)
    NN-resp  bytes the server sent   (fed to the response direction)
Run the real client against the relay (e.g. `dig @127.0.0.1 -p 5399 example.test`,
`redis-cli -p 6399 SET k v`), then stop the relay with Ctrl-C / SIGTERM. The events are real bytes
in real order; review them and write expected.json with `SEER_BLESS=1 cargo test -p seer-protocols
--test protocol_fixtures`.
"""

import argparse
import os
import select
import signal
import socket
import sys


class Recorder:
    def __init__(self, out):
        self.out = out
        self.n = 0
        os.makedirs(out, exist_ok=True)

    def write(self, kind, data):
        self.n += 1
        with open(os.path.join(self.out, f"{self.n:02d}-{kind}"), "wb") as f:
            f.write(data)


def relay_udp(listen, upstream, rec):
    srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    srv.bind(listen)
    up = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client = None
    while True:
        ready, _, _ = select.select([srv, up], [], [])
        for s in ready:
            data, addr = s.recvfrom(65535)
            if s is srv:
                client = addr
                rec.write("req", data)
                up.sendto(data, upstream)
            elif client is not None:
                rec.write("resp", data)
                srv.sendto(data, client)


def relay_tcp(listen, upstream, rec):
    lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind(listen)
    lst.listen(8)
    pairs = {}
    while True:
        ready, _, _ = select.select([lst, *pairs.keys()], [], [])
        for s in ready:
            if s is lst:
                c, _ = lst.accept()
                u = socket.create_connection(upstream)
                pairs[c] = (u, "req")
                pairs[u] = (c, "resp")
                continue
            if s not in pairs:
                continue
            peer, kind = pairs[s]
            data = s.recv(65536)
            if not data:
                for x in (s, peer):
                    pairs.pop(x, None)
                    x.close()
                continue
            rec.write(kind, data)
            peer.sendall(data)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--proto", choices=["udp", "tcp"], required=True)
    p.add_argument("--listen", type=int, required=True, help="port on 127.0.0.1")
    p.add_argument("--upstream", type=int, required=True, help="port on 127.0.0.1")
    p.add_argument("--out", required=True)
    a = p.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    rec = Recorder(a.out)
    relay = relay_udp if a.proto == "udp" else relay_tcp
    try:
        relay(("127.0.0.1", a.listen), ("127.0.0.1", a.upstream), rec)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
