"""`kill -9` of the server while 4 gateways post batches of device events, twice, on SQLite and (as
root, with PostgreSQL's server programs) on PostgreSQL with fsync on. A gateway resends a batch
until it is acknowledged, as real ones do. Every event of an acknowledged batch must be stored,
and in the end each event exactly once: resent batches store nothing twice.
Bounded: about 20 s per database. Exit status 0 when both hold."""
import datetime, os, sqlite3, subprocess, sys, tempfile, threading, time
from common import ScratchPostgres, Server, binary, call, env_for, kill_under_load, login, pg_bin, report

BIN = binary(sys.argv)
BATCH = 50


def run(engine):
    work = tempfile.mkdtemp(prefix=f"gongzhi-kill9-ingest-{engine}.")
    pg = None
    if engine == "sqlite":
        path = os.path.join(work, "gongzhi.sqlite")
        url = "sqlite://" + path
        stored = lambda: [r[0] for r in sqlite3.connect(path).execute("SELECT event_key FROM device_events")]
    else:
        pg = ScratchPostgres()
        url = pg.url()
        stored = lambda: [n for n in pg.psql("SELECT event_key FROM device_events") if n]
    env = env_for(url)
    subprocess.run([BIN, "demo", "--scale", "small"], env=env, check=True, capture_output=True)
    log = os.path.join(work, "gongzhi.log")
    server = Server(BIN, env, log)
    problems = []
    try:
        token = login(server.base, "shequ01")
        compound = call(server.base, "GET", "/api/v1/compounds?limit=1", token=token)[1]["items"][0]["id"]
        status, device, _ = call(server.base, "POST", f"/api/v1/compounds/{compound}/devices",
                                 {"kind": "door_controller", "name": "断电测试门禁", "place": "东门"}, token)
        if status != 201: raise RuntimeError(f"device: {status} {device}")
        key = device["key"]
        acknowledged, sent, lock = set(), set(), threading.Lock()
        current = {"base": server.base}
        resent = [0]

        def gateway(i, stop):
            n = 0
            while not stop.is_set():
                n += 1
                at = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
                ids = [f"g{i}-{n}-{k}" for k in range(BATCH)]
                body = {"events": [{"id": e, "type": "access_granted", "at": at, "method": "face", "person": f"p-{k}"} for k, e in enumerate(ids)]}
                with lock: sent.update(ids)
                tries = 0
                while True:
                    tries += 1
                    status, answer, _ = call(current["base"], "POST", "/api/v1/device-events", body, key, timeout=10)
                    if status == 200 and not answer["rejected"] and answer["accepted"] + answer["duplicates"] == BATCH:
                        with lock:
                            acknowledged.update(ids)
                            if tries > 1: resent[0] += 1
                        break
                    if status not in (0, 503): problems.append(f"unexpected answer {status} {answer}"); return
                    time.sleep(0.05)

        kills = 2
        server = kill_under_load(BIN, env, log, server, [lambda stop, i=i: gateway(i, stop) for i in range(4)], current, acknowledged, problems, kills)
        keys = stored()
        missing = acknowledged - set(keys)
        duplicates = len(keys) - len(set(keys))
        print(f"{engine}: {kills} kills, {len(acknowledged)} events acknowledged in batches of {BATCH}, {resent[0]} batches resent, "
              f"{len(missing)} missing, {duplicates} stored twice, {len(set(keys) - sent)} unknown")
        if missing: problems.append(f"{len(missing)} acknowledged events are missing, e.g. {sorted(missing)[:3]}")
        if duplicates: problems.append(f"{duplicates} events are stored twice")
        if set(keys) != acknowledged: problems.append(f"stored {len(set(keys))} events, acknowledged {len(acknowledged)}")
        if len(acknowledged) < 50 * BATCH: problems.append(f"only {len(acknowledged)} events were acknowledged; the check did not load the server")
    finally:
        server.stop()
        if pg: pg.stop()
    return report(f"kill -9 during device ingestion on {engine}", problems)


if __name__ == "__main__":
    engines = ["sqlite"] + (["postgres"] if pg_bin() else [])
    sys.exit(max(run(e) for e in engines))
