"""How ``stm-kg serve`` runs: one process owns the store, serving processes answer HTTP.

- The **owner** (:mod:`.supervisor`) opens and loads the store, binds the listening socket, applies every
  write (through the SHACL gate) and keeps serving processes running.
- A **serving process** (:mod:`.process`) is forked from the owner. It holds a read-only snapshot of the data
  (the in-memory store shared copy-on-write, or a checkpoint of the on-disk store), runs the web app on
  granian's HTTP engine (:mod:`.http_worker`) on the shared socket and evaluates queries itself, so a
  request costs no hand-off to another process. It sends writes to the owner (:mod:`.control`).
- After a write, and after a query that overran the time limit (Oxigraph cannot be interrupted), the owner
  forks a fresh serving process and the old one **retires**: it takes no new connection, closes its idle
  ones, answers the requests it has and exits. A write is acknowledged only once the old process has stopped
  taking requests, so every later request sees it.
"""
