"""Focused (issue 8, docs/performance.md "Second pass"), one run: Oxigraph's server and stm-kg configurations side by side on the same data.
Per server: median ms of 5 lookup-class queries (201 keep-alive POSTs, taking turns; --mix: the 22 queries, 7 each),
wrk 5 s c=1 and c=4 on the lookup GET, PSS of the server with its workers.
usage: .venv/bin/python tests/benchmarks/focus.py DATA.nt "w2:--workers 2;w1:--workers 1" [--mix]"""
import sys, tempfile, subprocess, shutil, requests
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as R
from query_mix import QUERIES, SAMPLES, THROUGHPUT_QUERY, fill, PREFIXES

data = Path(sys.argv[1])
configs = [(c.split(":", 1)[0], c.split(":", 1)[1].split()) for c in sys.argv[2].split(";")]
mixmode = "--mix" in sys.argv
work = Path(tempfile.gettempdir()) / "stm-kg-focus"; work.mkdir(exist_ok=True); logs = work / "logs"; logs.mkdir(exist_ok=True)
loc = work / f"ox-{data.stem}"
if not loc.exists():
    subprocess.run([shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph"), "load", "--location", str(loc), "--file", str(data)], check=True, capture_output=True)
servers = {"oxigraph": R.oxigraph_server(loc, R.free_port(), logs / "ox.log")}
for label, extra in configs:
    servers[label] = R.stm_kg_server(data, R.free_port(), logs / f"{label}.log", extra)
try:
    for s in servers.values():
        s.start(); print(f"{s.name} {' '.join(s.argv[-6:])} started in {s.started_in:.2f}s", flush=True)
    names = list(servers)
    urls = {n: servers[n].sparql_url for n in names}
    sess = {n: requests.Session() for n in names}
    samples = {}
    for name, sparql in SAMPLES.items():
        rows = R.ask(sess["oxigraph"], urls["oxigraph"], PREFIXES + sparql).json()["results"]["bindings"]
        samples[name] = rows[0]["x"]["value"] if rows else "urn:none"
    mix = {name: fill(text, samples) for name, (_, text) in QUERIES.items()}
    chosen = list(mix) if mixmode else ["lookup", "lookup-label", "ask-type", "describe-action", "values-lookup"]
    for q in chosen:
        for n in names: R.ask(sess[n], urls[n], mix[q])
        times = R.time_query(sess, urls, mix[q], 7 if mixmode else 201, 30)
        print(f"{q:28s} " + "  ".join(f"{n}={times[n]:.2f}ms({times[n]/times['oxigraph']:.2f}x)" for n in names), flush=True)
    for n in names:
        rss, pss = R.tree_memory_mb(servers[n].process.pid)
        print(f"memory {n}: RSS {rss:.0f} MB, PSS tree {pss:.0f} MB", flush=True)
    for c in (1, 4):
        for n in names:
            rate, note = R.wrk(urls[n], mix[THROUGHPUT_QUERY], c, 5)
            print(f"wrk c={c} {n}: {rate:.0f} req/s {note}", flush=True)
    for n in names:
        rss, pss = R.tree_memory_mb(servers[n].process.pid)
        print(f"memory after wrk {n}: RSS {rss:.0f} MB, PSS tree {pss:.0f} MB", flush=True)
finally:
    for s in servers.values(): s.stop()
