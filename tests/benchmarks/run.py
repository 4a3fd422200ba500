"""stm-kg's server against Oxigraph's own server, side by side on the same data, in one run.

For each scale: generates the data (or takes the bundled graph), starts ``stm-kg serve`` and Oxigraph's server
(``oxigraph serve-read-only``, from the ``oxigraph`` package on PyPI) on free ports of 127.0.0.1, and prints per
query the median latency of each and their ratio, the geometric mean of the ratios, load time and memory, and
lookup throughput at 1 and 4 concurrent connections (``wrk``, bounded duration, 127.0.0.1 only).

    .venv/bin/python tests/benchmarks/run.py --scale bundled --scale 10000 --scale 100000
    .venv/bin/python tests/benchmarks/run.py --scale 1000000 --repeat 7

Needs ``oxigraph`` (pip) and ``wrk`` (Debian); without wrk the throughput part is skipped. ``--json FILE``
also writes the figures as JSON. Nothing here is part of the default test run.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "endpoint"))

from endpoint_server import ServerProcess, free_port, tree_memory_mb  # noqa: E402
from generator import write as generate  # noqa: E402
from query_mix import QUERIES, SAMPLES, THROUGHPUT_QUERY, fill, is_graph_query, named_queries, PREFIXES  # noqa: E402

SOLUTIONS = "application/sparql-results+json"
GRAPH = "text/turtle"


@dataclass
class Server(ServerProcess):
    """A SPARQL server under test: started with ``argv``, ready when ``health`` answers 200."""

    name: str
    argv: list[str]
    sparql_url: str
    health: str
    log_path: Path
    port: int = 0
    process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        return self.argv

    def ready(self) -> bool:
        return requests.get(self.health, timeout=5).status_code == 200

    def start(self, timeout: float = 600) -> "Server":
        return super().start(timeout)


def stm_kg_server(data: Path | None, port: int, log: Path, extra: list[str]) -> Server:
    args = ["--no-bundled", "--data", str(data)] if data else []
    command = [sys.executable, "-m", "stm_kg.cli", "serve", "--port", str(port), "--timeout", "120", *args, *extra]
    base = f"http://127.0.0.1:{port}"
    return Server("stm-kg", command, f"{base}/sparql", f"{base}/health", log, port)


def oxigraph_server(location: Path, port: int, log: Path) -> Server:
    command = [shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph"), "serve-read-only",
               "--location", str(location), "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    base = f"http://127.0.0.1:{port}"
    return Server("oxigraph", command, f"{base}/query", f"{base}/query?query=ASK%7B%7D", log, port)


def ask(session: requests.Session, url: str, query: str) -> requests.Response:
    accept = GRAPH if is_graph_query(query) else SOLUTIONS
    response = session.post(url, data=query.encode("utf-8"),
                            headers={"Content-Type": "application/sparql-query", "Accept": accept}, timeout=300)
    response.raise_for_status()
    return response


def answer_size(response: requests.Response) -> str:
    """Rows of a SELECT, the boolean of an ASK, or the triple count (lines) of a graph: to check both agree."""
    if response.headers.get("Content-Type", "").startswith("application/sparql-results+json"):
        body = response.json()
        return f"{len(body['results']['bindings'])} rows" if "results" in body else str(body.get("boolean"))
    import pyoxigraph as ox

    return f"{sum(1 for _ in ox.parse(response.content, format=ox.RdfFormat.TURTLE))} triples"


def time_query(sessions: dict[str, requests.Session], urls: dict[str, str], query: str, repeat: int,
               budget: float) -> dict[str, float]:
    """Median ms per server; the servers take turns, so drift hits both alike. Stops early past ``budget`` s."""
    times: dict[str, list[float]] = {name: [] for name in urls}
    began = time.perf_counter()
    for i in range(repeat):
        for name in (urls if i % 2 == 0 else reversed(list(urls))):
            started = time.perf_counter()
            ask(sessions[name], urls[name], query)
            times[name].append((time.perf_counter() - started) * 1000)
        if i >= 2 and time.perf_counter() - began > budget:
            break
    return {name: statistics.median(values) for name, values in times.items()}


def wrk(url: str, query: str, connections: int, seconds: int) -> tuple[float, str]:
    from urllib.parse import quote

    target = f"{url}?query={quote(query)}"
    assert target.startswith("http://127.0.0.1:")  # load goes to this machine only
    out = subprocess.run(["wrk", "-t", str(min(connections, 2)), "-c", str(connections), "-d", f"{seconds}s",
                          "-H", f"Accept: {SOLUTIONS}", target], capture_output=True, text=True, timeout=seconds + 30)
    found = re.search(r"Requests/sec:\s+([\d.]+)", out.stdout)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out.stdout)
    socket_errors = re.search(r"Socket errors: ([^\n]+)", out.stdout)
    note = ", ".join(filter(None, [f"non-2xx {errors.group(1)}" if errors else "",
                                   f"socket errors {socket_errors.group(1)}" if socket_errors else ""]))
    return (float(found.group(1)) if found else 0.0), note


@dataclass
class Figures:
    scale: str
    triples: int = 0
    rows: list[dict] = field(default_factory=list)
    load: dict = field(default_factory=dict)
    memory: dict = field(default_factory=dict)
    throughput: dict = field(default_factory=dict)
    geomean: float = 0.0
    geomean_mix: float = 0.0


def prepare_data(scale: str, work: Path) -> tuple[Path | None, Path]:
    """(file stm-kg serves with --data, or None for the bundled graph; the file Oxigraph loads)."""
    if scale == "bundled":
        from stm_kg.pipeline.compile import ensure_built

        return None, Path(ensure_built())
    path = work / f"generated-{scale}.nt"
    if not path.exists():
        started = time.perf_counter()
        n = generate(path, int(scale))
        print(f"  generated {n:,} triples in {time.perf_counter() - started:.1f} s -> {path}", flush=True)
    return path, path


def run_scale(scale: str, work: Path, args) -> Figures:
    figures = Figures(scale)
    data, oxigraph_file = prepare_data(scale, work)
    logs = work / f"logs-{scale}"
    logs.mkdir(exist_ok=True)
    location = work / f"oxigraph-{scale}"
    shutil.rmtree(location, ignore_errors=True)
    oxigraph_bin = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    started = time.perf_counter()
    subprocess.run([oxigraph_bin, "load", "--location", str(location), "--file", str(oxigraph_file)], check=True,
                   capture_output=True)
    oxigraph_load = time.perf_counter() - started
    servers = {
        "stm-kg": stm_kg_server(data, free_port(), logs / "stm-kg.log", args.stm_kg_args),
        "oxigraph": oxigraph_server(location, free_port(), logs / "oxigraph.log"),
    }
    try:
        for server in servers.values():
            server.start()
        figures.load = {"stm-kg start to healthy (load included) s": round(servers["stm-kg"].started_in, 2),
                        "oxigraph load s": round(oxigraph_load, 2),
                        "oxigraph start to healthy s": round(servers["oxigraph"].started_in, 2)}
        urls = {name: server.sparql_url for name, server in servers.items()}
        sessions = {name: requests.Session() for name in servers}
        count = ask(sessions["oxigraph"], urls["oxigraph"], "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").json()
        figures.triples = int(count["results"]["bindings"][0]["n"]["value"])
        samples = {}
        for name, sparql in SAMPLES.items():
            rows = ask(sessions["oxigraph"], urls["oxigraph"], PREFIXES + sparql).json()["results"]["bindings"]
            samples[name] = rows[0]["x"]["value"] if rows else "urn:none"
        mix = {name: fill(text, samples) for name, (_, text) in QUERIES.items()}
        if not args.no_named:
            mix.update(named_queries())
        print(f"\n== {scale}: {figures.triples:,} triples (as queries see them), {len(mix)} queries ==", flush=True)
        for name, query in mix.items():
            try:
                sizes = {server: answer_size(ask(sessions[server], urls[server], query)) for server in servers}
            except requests.HTTPError as error:
                print(f"  {name}: skipped ({error.response.status_code} {error.response.text[:120]!r})", flush=True)
                continue
            medians = time_query(sessions, urls, query, args.repeat, args.budget)
            ratio = medians["stm-kg"] / medians["oxigraph"]
            row = {"query": name, "kind": QUERIES[name][0] if name in QUERIES else "named",
                   "stm-kg ms": round(medians["stm-kg"], 2), "oxigraph ms": round(medians["oxigraph"], 2),
                   "ratio": round(ratio, 2), "answer": sizes["oxigraph"],
                   "same answer": sizes["stm-kg"] == sizes["oxigraph"]}
            figures.rows.append(row)
            print(f"  {name:34s} {row['stm-kg ms']:9.2f} {row['oxigraph ms']:9.2f}  x{ratio:5.2f}  {row['answer']}"
                  + ("" if row["same answer"] else f"  DIFFERENT: stm-kg {sizes['stm-kg']}"), flush=True)
        ratios = [row["ratio"] for row in figures.rows]
        figures.geomean = round(math.exp(sum(math.log(r) for r in ratios) / len(ratios)), 3)
        mix_ratios = [row["ratio"] for row in figures.rows if row["kind"] != "named"]
        figures.geomean_mix = round(math.exp(sum(math.log(r) for r in mix_ratios) / len(mix_ratios)), 3)
        for name, server in servers.items():
            rss, pss = tree_memory_mb(server.process.pid)
            figures.memory[name] = {"rss MB": round(rss), "pss MB (with workers)": round(pss)}
        if shutil.which("wrk") and args.wrk_seconds:
            lookup = mix[THROUGHPUT_QUERY]
            for connections in (1, 4):
                for name, server in servers.items():
                    rate, note = wrk(server.sparql_url, lookup, connections, args.wrk_seconds)
                    figures.throughput[f"{name} c={connections}"] = {"req/s": round(rate), "note": note}
            for name, server in servers.items():
                rss, pss = tree_memory_mb(server.process.pid)
                figures.memory[name]["pss MB after wrk"] = round(pss)
    finally:
        for server in servers.values():
            server.stop()
    return figures


def startup_bundled(runs: int = 5) -> list[float]:
    """Seconds from ``stm-kg serve`` (bundled graph, already compiled) to a healthy /health."""
    from stm_kg.pipeline.compile import ensure_built

    ensure_built()
    times = []
    with tempfile.TemporaryDirectory() as folder:
        for i in range(runs):
            server = stm_kg_server(None, free_port(), Path(folder) / f"startup-{i}.log", [])
            server.start()
            times.append(server.started_in)
            server.stop()
    return times


def report(all_figures: list[Figures], startup: list[float] | None) -> None:
    print("\n# Results\n")
    for f in all_figures:
        print(f"## {f.scale} ({f.triples:,} triples)\n")
        print("| query | kind | stm-kg ms | Oxigraph server ms | ratio | answer |")
        print("|---|---|---:|---:|---:|---|")
        for row in f.rows:
            flag = "" if row["same answer"] else " (differs!)"
            print(f"| {row['query']} | {row['kind']} | {row['stm-kg ms']:.2f} | {row['oxigraph ms']:.2f} | "
                  f"{row['ratio']:.2f} | {row['answer']}{flag} |")
        worst = max(f.rows, key=lambda row: row["ratio"])
        print(f"\ngeometric mean of ratios: **{f.geomean:.3f}** (query mix only: {f.geomean_mix:.3f}); "
              f"worst: {worst['query']} x{worst['ratio']:.2f}")
        print(f"load: {f.load}")
        print(f"memory: {f.memory}")
        if f.throughput:
            print("throughput (lookup): " + "; ".join(f"{k}: {v['req/s']} req/s{' (' + v['note'] + ')' if v['note'] else ''}"
                                                     for k, v in f.throughput.items()))
        print()
    if startup:
        print(f"start-up, bundled graph, to healthy /health: median {statistics.median(startup):.2f} s "
              f"(runs: {', '.join(f'{t:.2f}' for t in startup)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", action="append", help="'bundled' or a number of triples (repeatable)")
    parser.add_argument("--repeat", type=int, default=15, help="timed runs per query and server (default 15)")
    parser.add_argument("--budget", type=float, default=20.0, help="seconds per query before fewer runs are taken")
    parser.add_argument("--wrk-seconds", type=int, default=5, help="duration of each wrk run (0: no throughput)")
    parser.add_argument("--no-named", action="store_true", help="leave out the named queries of queries/*.rq")
    parser.add_argument("--no-startup", action="store_true", help="do not measure start-up on the bundled graph")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "stm-kg-bench")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--stm-kg-arg", dest="stm_kg_args", action="append", default=[],
                        help="extra argument for stm-kg serve (repeatable), e.g. --stm-kg-arg=--workers=4")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    scales = args.scale or ["bundled", "10000", "100000"]
    all_figures = [run_scale(scale, args.work, args) for scale in scales]
    startup = None if args.no_startup else startup_bundled()
    report(all_figures, startup)
    if args.json:
        args.json.write_text(json.dumps({"scales": [f.__dict__ for f in all_figures], "startup s": startup}, indent=2))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
