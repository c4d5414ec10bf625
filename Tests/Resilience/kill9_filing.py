"""`kill -9` of the server while 8 clients file requests, twice, on SQLite and (as root, with
PostgreSQL's server programs) on PostgreSQL with fsync on. Every request the server acknowledged
(201 with its number) must be in the database afterwards, and no number may repeat.
Bounded: about 20 s per database. Exit status 0 when both hold."""
import os, sqlite3, subprocess, sys, tempfile, threading, time
from common import ScratchPostgres, Server, binary, call, env_for, kill_under_load, login, pg_bin, report

BIN = binary(sys.argv)


def run(engine):
    work = tempfile.mkdtemp(prefix=f"gongzhi-kill9-{engine}.")
    pg = None
    if engine == "sqlite":
        path = os.path.join(work, "gongzhi.sqlite")
        url = "sqlite://" + path
        stored = lambda: [r[0] for r in sqlite3.connect(path).execute("SELECT number FROM requests")]
    else:
        pg = ScratchPostgres()
        url = pg.url()
        stored = lambda: [n for n in pg.psql("SELECT number FROM requests") if n]
    env = env_for(url, GONGZHI_UPLOAD_DIR=os.path.join(work, "uploads"))
    subprocess.run([BIN, "demo", "--scale", "small"], env=env, check=True, capture_output=True)
    log = os.path.join(work, "gongzhi.log")
    server = Server(BIN, env, log)
    problems = []
    try:
        token = login(server.base, "yezhu01")
        compound = call(server.base, "GET", "/api/v1/compounds?limit=1", token=token)[1]["items"][0]["id"]
        acknowledged, lock = [], threading.Lock()
        current = {"base": server.base}

        def writer(i, stop):
            n = 0
            while not stop.is_set():
                n += 1
                status, body, _ = call(current["base"], "POST", "/api/v1/requests",
                                       {"category": "other", "compoundId": compound, "description": f"断电测试 {i}-{n}"}, token, timeout=10)
                if status == 201:
                    with lock: acknowledged.append(body["number"])
                else:
                    time.sleep(0.05)

        kills = 2
        server = kill_under_load(BIN, env, log, server, [lambda stop, i=i: writer(i, stop) for i in range(8)], current, acknowledged, problems, kills)
        numbers = stored()
        missing = set(acknowledged) - set(numbers)
        duplicates = len(numbers) - len(set(numbers))
        print(f"{engine}: {kills} kills, {len(acknowledged)} acknowledged, {len(missing)} missing, {duplicates} duplicate numbers")
        if missing: problems.append(f"{len(missing)} acknowledged requests are missing, e.g. {sorted(missing)[:3]}")
        if duplicates: problems.append(f"{duplicates} request numbers repeat")
        if len(acknowledged) < 50: problems.append(f"only {len(acknowledged)} requests were acknowledged; the check did not load the server")
    finally:
        server.stop()
        if pg: pg.stop()
    return report(f"kill -9 during filing on {engine}", problems)


if __name__ == "__main__":
    engines = ["sqlite"] + (["postgres"] if pg_bin() else [])
    sys.exit(max(run(e) for e in engines))
