"""`gongzhi backup` while six clients keep filing, then `gongzhi restore` into a new database, on
SQLite and (as root, with PostgreSQL's server programs) on PostgreSQL. Required: the backup
finishes under constant writes; the restore verifies every checksum and count of the manifest;
every request acknowledged before the backup began is in the restored database; a server on the
restored database serves and signs in. Bounded: about 20 s per database."""
import json, os, sqlite3, subprocess, sys, tempfile, threading, time
from common import ScratchPostgres, Server, binary, call, env_for, login, pg_bin, report

BIN = binary(sys.argv)


def run(engine):
    work = tempfile.mkdtemp(prefix=f"gongzhi-backup-{engine}.")
    pg = None
    if engine == "sqlite":
        url, restored_url = "sqlite://" + os.path.join(work, "live.sqlite"), "sqlite://" + os.path.join(work, "restored.sqlite")
        restored_numbers = lambda: [r[0] for r in sqlite3.connect(os.path.join(work, "restored.sqlite")).execute("SELECT number FROM requests")]
    else:
        pg = ScratchPostgres()
        pg.psql("CREATE DATABASE restored")
        url, restored_url = pg.url(), pg.url("restored")
        restored_numbers = lambda: [n for n in pg.psql("SELECT number FROM requests", db="restored") if n]
    env = env_for(url, GONGZHI_UPLOAD_DIR=os.path.join(work, "uploads"))
    subprocess.run([BIN, "demo", "--scale", "small"], env=env, check=True, capture_output=True)
    server = Server(BIN, env, os.path.join(work, "gongzhi.log"))
    problems, restored_server = [], None
    try:
        token = login(server.base, "yezhu01")
        compound = call(server.base, "GET", "/api/v1/compounds?limit=1", token=token)[1]["items"][0]["id"]
        acknowledged, lock, stop = [], threading.Lock(), threading.Event()

        def writer(i):
            n = 0
            while not stop.is_set():
                n += 1
                s, body, _ = call(server.base, "POST", "/api/v1/requests", {"category": "other", "compoundId": compound, "description": f"备份 {i}-{n}"}, token)
                if s == 201:
                    with lock: acknowledged.append(body["number"])

        threads = [threading.Thread(target=writer, args=(i,)) for i in range(6)]
        for t in threads: t.start()
        time.sleep(2)
        with lock: before = list(acknowledged)
        folder = os.path.join(work, "backup")
        t0 = time.monotonic()
        backup = subprocess.run([BIN, "backup", "--out", folder], env=env, capture_output=True, text=True, timeout=120)
        took = time.monotonic() - t0
        with lock: during = len(acknowledged) - len(before)
        time.sleep(1)
        stop.set()
        for t in threads: t.join(timeout=30)
        if backup.returncode != 0:
            problems.append(f"backup failed: {backup.stderr.strip()[-400:]}")
            return report(f"backup under writes on {engine}", problems)
        manifest = json.load(open(os.path.join(folder, "manifest.json")))
        renv = env_for(restored_url, GONGZHI_UPLOAD_DIR=os.path.join(work, "restored-uploads"))
        restore = subprocess.run([BIN, "restore", folder], env=renv, capture_output=True, text=True, timeout=120)
        if restore.returncode != 0:
            problems.append(f"restore failed: {restore.stderr.strip()[-400:]}")
            return report(f"backup under writes on {engine}", problems)
        numbers = restored_numbers()
        missing = set(before) - set(numbers)
        print(f"{engine}: backup took {took:.2f} s while {during} requests were filed; manifest: {manifest['tables']['requests']} requests, "
              f"{len(manifest['tables'])} tables; restored {len(numbers)} requests; {len(missing)} of {len(before)} acknowledged before the backup missing")
        if during == 0: problems.append("no request was filed while the backup ran: the check did not test writes during it")
        if missing: problems.append(f"{len(missing)} requests acknowledged before the backup are not in it")
        if len(numbers) != manifest["tables"]["requests"]: problems.append("the restored requests differ from the manifest")
        restored_server = Server(BIN, renv, os.path.join(work, "restored.log"))
        status, body, _ = call(restored_server.base, "GET", "/api/v1/requests?limit=1", token=login(restored_server.base, "jiedao01"))
        if status != 200: problems.append(f"the restored server answers {status} {body}")
    finally:
        server.stop()
        if restored_server: restored_server.stop()
        if pg: pg.stop()
    return report(f"backup under writes on {engine}", problems)


if __name__ == "__main__":
    engines = ["sqlite"] + (["postgres"] if pg_bin() else [])
    sys.exit(max(run(e) for e in engines))
