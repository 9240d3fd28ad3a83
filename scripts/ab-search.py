#!/usr/bin/env python3
"""Compares two builds of `tandem` on the search bench's queries, request by request.

    cargo bench --bench search -- --print-queries > queries.txt
    cp -r DATASET DATASET-b          # two copies of a kept bench dataset (each server locks its index)
    scripts/ab-search.py A/tandem DATASET B/tandem DATASET-b ROUNDS queries.txt

Both servers run at once on their own copy of the dataset; each query goes to one then the other (the order
alternating), one request at a time, so both builds see the same machine from one moment to the next. Replays of a
whole bench run minutes apart move by 10-20 % on a shared machine; this comparison does not. The first round warms
both servers and is not counted. Prints the client's wall time per request and the server's own search and
evaluation times (from its debug log), mean, median and p99. Only the Python standard library is needed.
"""
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time


def start(binary, dataset):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TANDEM")}
    env.update({
        "TANDEM__DATABASE__URL": f"sqlite://{dataset}/tandem.db",
        "TANDEM__INDEX__DIR": f"{dataset}/index",
        "TANDEM__DATA__DIR": f"{dataset}/data",
        "TANDEM__SERVER__PORT": "0",
        "TANDEM__LOG__FORMAT": "json",
        "TANDEM__LOG__LEVEL": "info,tandem::search=debug,sqlx=warn",
    })
    process = subprocess.Popen([binary, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    server = {"port": None, "searches": [], "process": process}

    def read_logs():
        for line in process.stderr:
            try:
                fields = json.loads(line)["fields"]
            except (ValueError, KeyError):
                continue
            if server["port"] is None and "port" in fields:
                server["port"] = fields["port"]
            if fields.get("message") == "search timed":
                server["searches"].append(fields)

    threading.Thread(target=read_logs, daemon=True).start()
    deadline = time.time() + 120
    while server["port"] is None:
        if process.poll() is not None or time.time() > deadline:
            sys.exit(f"{binary} did not start")
        time.sleep(0.05)
    return server


def percentile(values, share):
    return sorted(values)[min(len(values) - 1, int(len(values) * share))]


def main():
    if len(sys.argv) != 7:
        sys.exit(__doc__)
    binary_a, dataset_a, binary_b, dataset_b, rounds, queries = sys.argv[1:]
    paths = [line.strip() for line in open(queries) if line.strip()]
    servers = {"A": start(binary_a, dataset_a), "B": start(binary_b, dataset_b)}
    time.sleep(1.5)  # start-up work in the background
    clients = {name: http.client.HTTPConnection("127.0.0.1", s["port"]) for name, s in servers.items()}
    walls = {"A": [], "B": []}
    for round_ in range(int(rounds) + 1):
        for i, path in enumerate(paths):
            for name in ("A", "B") if (i + round_) % 2 == 0 else ("B", "A"):
                started = time.perf_counter()
                clients[name].request("GET", path)
                reply = clients[name].getresponse()
                reply.read()
                if reply.status != 200:
                    sys.exit(f"{name}: {path} answered {reply.status}")
                if round_ > 0:
                    walls[name].append((time.perf_counter() - started) * 1e3)
    time.sleep(0.5)
    counted = len(paths)  # the warm-up round's searches are left out
    search = {n: [f["plan_us"] + f["evaluate_us"] + f["hits_us"] for f in s["searches"][counted:]] for n, s in servers.items()}
    evaluate = {n: [f["evaluate_us"] for f in s["searches"][counted:]] for n, s in servers.items()}
    for label, values in (("client wall, ms", walls), ("server search, µs", search), ("server evaluation, µs", evaluate)):
        a, b = values["A"], values["B"]
        change = (statistics.mean(b) / statistics.mean(a) - 1) * 100
        print(f"{label:22} mean A {statistics.mean(a):9.3f} B {statistics.mean(b):9.3f} ({change:+.1f} %)"
              f" | p50 A {percentile(a, .5):.3f} B {percentile(b, .5):.3f}"
              f" | p99 A {percentile(a, .99):.3f} B {percentile(b, .99):.3f}")
    for server in servers.values():
        server["process"].terminate()
        server["process"].wait()


if __name__ == "__main__":
    main()
