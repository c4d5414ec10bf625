"""Shared pieces of the resilience checks: a scratch PostgreSQL, a `gongzhi serve` process, and
JSON calls with timings. Everything runs on loopback and cleans up after itself."""
import json, os, signal, socket, subprocess, tempfile, threading, time, urllib.error, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def binary(argv):
    return argv[1] if len(argv) > 1 else os.path.join(ROOT, ".build", "debug", "gongzhi")


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def pg_bin():
    root = "/usr/lib/postgresql"
    if os.geteuid() != 0 or not os.path.isdir(root): return None
    dirs = sorted(os.path.join(root, v, "bin") for v in os.listdir(root) if os.path.exists(os.path.join(root, v, "bin", "initdb")))
    return dirs[-1] if dirs else None


class ScratchPostgres:
    """A PostgreSQL cluster of its own (fsync on), started as the postgres user; needs root."""

    def __init__(self):
        self.bin = pg_bin()
        self.data = tempfile.mkdtemp(prefix="gongzhi-resilience-pg.")
        uid = int(subprocess.check_output(["id", "-u", "postgres"])); gid = int(subprocess.check_output(["id", "-g", "postgres"]))
        os.chown(self.data, uid, gid)
        self.port = free_port()
        self._su(f"'{self.bin}/initdb'", "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8")
        self.start()

    def _su(self, *cmd):
        return subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", " ".join(cmd)], check=True, capture_output=True, text=True)

    def start(self):
        self._su(f"'{self.bin}/pg_ctl'", "-D", self.data, "-l", f"{self.data}/server.log", "-w", "-o",
                 f"\"-c listen_addresses=127.0.0.1 -p {self.port} -k /tmp -c fsync=on -c max_connections=200\"", "start")

    def url(self, db="postgres"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{db}?sslmode=disable"

    def psql(self, sql, db="postgres"):
        return subprocess.run(["psql", self.url(db), "-At", "-c", sql], capture_output=True, text=True, check=True).stdout.split("\n")

    def stop(self):
        subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", f"'{self.bin}/pg_ctl' -D {self.data} -m immediate stop"], capture_output=True)


class Server:
    """`gongzhi serve` on a free port with the given environment."""

    def __init__(self, bin, env, log):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.process = subprocess.Popen([bin, "serve", "--port", str(self.port)], env=env, stdout=subprocess.DEVNULL, stderr=open(log, "a"))
        self.wait_ready()

    def wait_ready(self, seconds=30):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=2); return
            except Exception:
                time.sleep(0.1)
        raise RuntimeError(f"the server on {self.port} did not start; see {self.log}")

    def kill9(self):
        self.process.send_signal(signal.SIGKILL); self.process.wait()

    def stop(self):
        if self.process.poll() is not None: return self.process.returncode
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill(); return None


def kill_under_load(bin, env, log, server, writers, current, acknowledged, problems, kills=2):
    """Starts the writer threads, kills the server with SIGKILL `kills` times three seconds apart
    (a fresh one takes over at once; `current["base"]` follows it), lets the writers run three more
    seconds, stops and joins them. Returns the server running at the end."""
    stop = threading.Event()
    threads = [threading.Thread(target=w, args=(stop,)) for w in writers]
    for t in threads: t.start()
    for _ in range(kills):
        time.sleep(3)
        before = len(acknowledged)
        server.kill9()
        time.sleep(0.5)
        server = Server(bin, env, log)
        current["base"] = server.base
        if before == 0: problems.append("nothing was acknowledged before the kill")
    time.sleep(3)
    stop.set()
    for t in threads: t.join(timeout=60)
    return server


def call(base, method, path, body=None, token=None, timeout=30, headers=None):
    """(status, parsed JSON or text, seconds); status 0 when the connection failed."""
    h = {"Content-Type": "application/json"}
    if token: h["Authorization"] = "Bearer " + token
    h.update(headers or {})
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, headers=h, method=method)
    t0 = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read()
            return r.status, (json.loads(raw) if raw else None), time.monotonic() - t0
    except urllib.error.HTTPError as e:
        raw = e.read()
        try: parsed = json.loads(raw or b"null")
        except ValueError: parsed = raw.decode(errors="replace")
        return e.code, parsed, time.monotonic() - t0
    except Exception as e:
        return 0, str(e), time.monotonic() - t0


def login(base, username):
    status, body, _ = call(base, "POST", "/api/v1/auth/login", {"username": username, "password": f"Gz-{username}-2020"})
    if status != 200: raise RuntimeError(f"login {username}: {status} {body}")
    return body["token"]


def env_for(database_url, **extra):
    env = dict(os.environ, DATABASE_URL=database_url, GONGZHI_BCRYPT_COST="4", LOG_LEVEL=os.environ.get("RESILIENCE_LOG_LEVEL", "warning"))
    env.pop("GONGZHI_SQLITE", None)
    env.update(extra)
    return env


def report(name, problems):
    for p in problems: print(f"FAIL ({name}):", p)
    print(f"{name}: " + ("passed" if not problems else "failed"))
    return 0 if not problems else 1
