"""Load test of `kgraph serve` on loopback: requests per second and latency with 16 clients.

Starts `kgraph serve` on a free 127.0.0.1 port (data/, plus --graph files if given), waits
until it answers, then for each target sends a bounded number of requests from 16 concurrent
async clients (httpx2) and prints requests/s, p50 and p99 latency and the status codes seen.
Targets: an entity page (HTML, made per request from the store), the same thing as Turtle, and
a named query (project-partners with its default project) through /sparql, which runs in the
server's query worker processes. The server is stopped at the end; nothing leaves loopback.

    .venv/bin/python bench/serve.py [--requests 2000] [--clients 16] [--graph FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx2 as httpx

from kgraph.paths import default_paths
from kgraph.query import bind, load_catalogue

ENTITY = "/doc/organisation/podlaskie-marshal-office"


Timed = tuple[float, list[float], Counter[int]]


async def _load(base: str, path: str, headers: dict[str, str], requests: int, clients: int,
                params: dict[str, str] | None = None) -> Timed:  # fmt: skip
    """Send ``requests`` requests from ``clients`` concurrent clients; time each."""
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    todo = iter(range(requests))
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:

        async def one_client() -> None:
            for _ in todo:
                start = time.perf_counter()
                answer = await client.get(path, headers=headers, params=params)
                latencies.append(time.perf_counter() - start)
                statuses[answer.status_code] += 1

        start = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(clients)))
        return time.perf_counter() - start, latencies, statuses


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    """Start the server, run each target, print one row per target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--graph", type=Path, action="append", default=[])
    args = parser.parse_args()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "kgraph", "serve", "--port", str(port)]
    for g in args.graph:
        command += ["--graph", str(g)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              start_new_session=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                if httpx.get(base + "/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start: {server.stderr.read()!r}")  # type: ignore[union-attr]
            time.sleep(0.2)
        query = bind(load_catalogue(default_paths().queries)["project-partners"], {})
        targets = [
            ("entity page (HTML)", ENTITY, {"Accept": "text/html"}, None),
            ("entity (Turtle)", ENTITY, {"Accept": "text/turtle"}, None),
            ("named query /sparql", "/sparql", {"Accept": "application/sparql-results+json"},
             {"query": query}),
        ]  # fmt: skip
        asyncio.run(_load(base, "/sparql", {}, 20, 2, {"query": query}))  # start the workers
        print(f"{args.requests:,} requests per target, {args.clients} concurrent clients, "
              f"loopback, 2 query workers")  # fmt: skip
        print(f"{'target':<22} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}  statuses")
        for name, path, headers, params in targets:
            seconds, lat, statuses = asyncio.run(
                _load(base, path, headers, args.requests, args.clients, params)
            )
            cuts = statistics.quantiles(lat, n=100)
            print(f"{name:<22} {len(lat) / seconds:8.0f} {cuts[49] * 1000:8.1f} "
                  f"{cuts[98] * 1000:8.1f}  {dict(statuses)}", flush=True)  # fmt: skip
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)


if __name__ == "__main__":
    main()
