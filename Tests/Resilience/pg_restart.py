"""PostgreSQL killed (kill -9 of the postmaster) and restarted under load.

Starts its own scratch PostgreSQL and a release-or-debug `gongzhi serve` on loopback, files
requests from 8 threads, kills the postmaster, restarts it 10 s later, and measures:
- while the database is away, requests fail fast (503 with the error shape, within 6 s);
- service is back within 10 s of the database's return;
- no acknowledged request is lost (every 201's number is in the database afterwards);
- SIGTERM stops the server within its grace period.
Bounded: about 60 s in all. Exit status 0 when every promise holds.
"""
import json, os, signal, subprocess, sys, tempfile, threading, time, urllib.request, urllib.error

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "debug", "gongzhi")
PGBIN = sorted(d for d in (os.path.join("/usr/lib/postgresql", v, "bin") for v in os.listdir("/usr/lib/postgresql")))[-1]


def free_port():
    import socket
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def as_postgres(*cmd):
    return subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", " ".join(cmd)], check=True, capture_output=True, text=True)


def main():
    data = tempfile.mkdtemp(prefix="gongzhi-resilience-pg.")
    os.chown(data, *[int(x) for x in subprocess.check_output(["id", "-u", "postgres"]).split()] + [int(subprocess.check_output(["id", "-g", "postgres"]))])
    pg_port, http_port = free_port(), free_port()
    as_postgres(f"'{PGBIN}/initdb'", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8")

    def start_pg():
        as_postgres(f"'{PGBIN}/pg_ctl'", "-D", data, "-l", f"{data}/server.log", "-w", "-o",
                    f"\"-c listen_addresses=127.0.0.1 -p {pg_port} -k /tmp -c fsync=on\"", "start")

    start_pg()
    url = f"postgres://postgres@127.0.0.1:{pg_port}/postgres?sslmode=disable"
    env = dict(os.environ, DATABASE_URL=url, GONGZHI_BCRYPT_COST="4", LOG_LEVEL=os.environ.get("RESILIENCE_LOG_LEVEL", "warning"), GONGZHI_DB_TIMEOUT="3")
    subprocess.run([BIN, "demo", "--scale", "small"], env=env, check=True, capture_output=True)
    server = subprocess.Popen([BIN, "serve", "--port", str(http_port)], env=env, stdout=subprocess.DEVNULL, stderr=open(f"{data}/gongzhi.log", "w"))
    base = f"http://127.0.0.1:{http_port}"
    problems = []
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2); break
            except Exception:
                time.sleep(0.2)

        def post(path, body, token=None, timeout=30):
            headers = {"Content-Type": "application/json"}
            if token: headers["Authorization"] = "Bearer " + token
            req = urllib.request.Request(base + path, data=json.dumps(body).encode(), headers=headers, method="POST")
            t0 = time.monotonic()
            try:
                with urllib.request.urlopen(req, timeout=timeout) as r:
                    return r.status, json.loads(r.read()), time.monotonic() - t0
            except urllib.error.HTTPError as e:
                return e.code, json.loads(e.read() or b"null"), time.monotonic() - t0
            except Exception as e:
                return 0, str(e), time.monotonic() - t0

        _, session, _ = post("/api/v1/auth/login", {"username": "yezhu01", "password": "Gz-yezhu01-2020"})
        token = session["token"]
        compound = None
        req = urllib.request.Request(base + "/api/v1/compounds?limit=1", headers={"Authorization": "Bearer " + token})
        compound = json.loads(urllib.request.urlopen(req).read())["items"][0]["id"]

        acknowledged, log, stop = [], [], threading.Event()
        lock = threading.Lock()

        def writer(i):
            n = 0
            while not stop.is_set():
                n += 1
                status, body, took = post("/api/v1/requests", {"category": "other", "compoundId": compound, "description": f"压测 {i}-{n}"}, token)
                with lock:
                    log.append((time.monotonic(), status, took, body if status not in (201,) else None))
                    if status == 201: acknowledged.append(body["number"])
                if status != 201: time.sleep(0.1)

        threads = [threading.Thread(target=writer, args=(i,)) for i in range(8)]
        for t in threads: t.start()
        time.sleep(5)
        killed_at = time.monotonic()
        pid = int(open(f"{data}/postmaster.pid").readline())
        os.kill(pid, signal.SIGKILL)
        time.sleep(10)
        # orphaned backends exit on the postmaster's death; wait for them before restarting
        for _ in range(50):
            if subprocess.run(["pgrep", "-u", "postgres", "-f", data], capture_output=True).returncode != 0: break
            time.sleep(0.2)
        try: os.remove(f"{data}/postmaster.pid")
        except FileNotFoundError: pass
        restarting_at = time.monotonic()
        start_pg()
        back_at = time.monotonic()
        time.sleep(15)
        stop.set()
        for t in threads: t.join(timeout=40)

        down = [e for e in log if killed_at + 1 < e[0] - e[2] and e[0] < restarting_at]
        slow = [e for e in down if e[2] > 6]
        bad_shape = [e for e in down if e[1] != 503 or not (isinstance(e[3], dict) and "error" in e[3])]
        recovered = [e for e in log if e[0] > restarting_at and e[1] == 201]
        first_ok = min((e[0] for e in recovered), default=None)
        print(f"acknowledged {len(acknowledged)}; while down: {len(down)} answers, {len(slow)} slower than 6 s, "
              f"{len(bad_shape)} not a 503 with the error shape; first success {None if first_ok is None else round(first_ok - back_at, 2)} s after the database returned")
        if not down: problems.append("no request was answered while the database was down")
        if slow: problems.append(f"{len(slow)} requests took more than 6 s while the database was down")
        if bad_shape: problems.append(f"{len(bad_shape)} answers while down were not 503 with the error shape, e.g. {bad_shape[0][1]} {str(bad_shape[0][3])[:200]}")
        if first_ok is None or first_ok - back_at > 10:
            after = [(round(e[0] - back_at, 2), e[1], str(e[3])[:120]) for e in log if e[0] > restarting_at][:5]
            problems.append(f"service did not come back within 10 s of the database; first answers after the restart: {after}")
        # every acknowledged request is stored
        out = subprocess.run(["psql", url, "-At", "-c", "SELECT number FROM requests"], capture_output=True, text=True, check=True).stdout.split()
        missing = set(acknowledged) - set(out)
        print(f"missing acknowledged requests: {len(missing)}")
        if missing: problems.append(f"{len(missing)} acknowledged requests are missing")
    finally:
        t0 = time.monotonic()
        server.send_signal(signal.SIGTERM)
        try:
            code = server.wait(timeout=15)
            print(f"SIGTERM: exited {code} after {round(time.monotonic() - t0, 2)} s")
            if code != 0: problems.append(f"server exited {code} on SIGTERM")
        except subprocess.TimeoutExpired:
            server.kill(); problems.append("SIGTERM did not stop the server within 15 s")
        subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", f"'{PGBIN}/pg_ctl' -D {data} -m immediate stop"], capture_output=True)
    for p in problems: print("FAIL:", p)
    print("1 passed, 0 failed" if not problems else "0 passed, 1 failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
