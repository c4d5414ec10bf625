"""Two servers on one PostgreSQL (needs root and PostgreSQL's server programs).

Twelve owners each cast the same ballot through both servers at the same instant; the committee
records one voter's paper ballot through both at once; eight clients file requests through the
two servers in turn. Required: exactly one ballot per owner and one recorded paper sheet, the
ballot chain verifies, and no request number repeats. Bounded: about 40 s."""
import os, subprocess, sys, tempfile, threading, time
from common import ScratchPostgres, Server, binary, call, env_for, login, pg_bin, report

BIN = binary(sys.argv)
OWNERS = 12


def main():
    if not pg_bin():
        print("two servers on one PostgreSQL: skipped (needs root and PostgreSQL's server programs)"); return 0
    work = tempfile.mkdtemp(prefix="gongzhi-two-servers.")
    pg = ScratchPostgres()
    env = env_for(pg.url(), GONGZHI_UPLOAD_DIR=os.path.join(work, "uploads"))
    subprocess.run([BIN, "demo", "--scale", "small"], env=env, check=True, capture_output=True)
    servers = []
    problems = []
    try:
        # the committee's compound and owners there with accounts of their own
        a = Server(BIN, env, os.path.join(work, "a.log"))
        servers.append(a)
        committee = login(a.base, "yeweihui01")
        compound = call(a.base, "GET", "/api/v1/auth/me", token=committee)[1]["roles"][0]["scopeId"]
        owners = [o for o in pg.psql(f"""
            SELECT DISTINCT o.owner_id FROM ownerships o JOIN rooms r ON r.id = o.room_id JOIN entrances e ON e.id = r.entrance_id
            JOIN buildings b ON b.id = e.building_id WHERE b.compound_id = '{compound}'
            AND NOT EXISTS (SELECT 1 FROM role_grants g WHERE g.scope_id = o.owner_id) ORDER BY o.owner_id""") if o]
        voters, paper_owner = owners[:OWNERS], owners[OWNERS]
        for i, owner in enumerate(voters):
            subprocess.run([BIN, "user", "create", "--username", f"voter{i:02d}", "--role", "owner", "--scope", owner, "--password-stdin"],
                           env=env, input=f"Gz-voter{i:02d}-2020\n", text=True, check=True, capture_output=True)
        b = Server(BIN, env, os.path.join(work, "b.log"))
        servers.append(b)
        status, decision, _ = call(a.base, "POST", f"/api/v1/compounds/{compound}/decisions",
                                   {"title": "两台服务器同时投票", "matter": "other_major", "opensAt": "2026-01-01T00:00:00Z", "closesAt": "2030-01-01T00:00:00Z"},
                                   committee)
        if status != 201: raise RuntimeError(f"creating the decision: {status} {decision}")
        did = decision["id"]
        status, body, _ = call(b.base, "POST", f"/api/v1/decisions/{did}/open", token=committee)
        if status != 200: raise RuntimeError(f"opening the decision: {status} {body}")

        # each owner through both servers at once
        tokens = [login(a.base if i % 2 else b.base, f"voter{i:02d}") for i in range(len(voters))]
        outcomes = []
        lock = threading.Lock()

        def cast(base, token, owner, gate):
            gate.wait()
            s, body, _ = call(base, "POST", f"/api/v1/decisions/{did}/ballots", {"ownerId": owner, "choice": "yes", "channel": "online"}, token)
            with lock: outcomes.append((owner, s, body))

        for token, owner in zip(tokens, voters):
            gate = threading.Barrier(2)
            pair = [threading.Thread(target=cast, args=(srv.base, token, owner, gate)) for srv in (a, b)]
            for t in pair: t.start()
            for t in pair: t.join(timeout=30)
        accepted = [o for o in outcomes if o[1] == 201]
        refused = [o for o in outcomes if o[1] == 409]
        other = [o for o in outcomes if o[1] not in (201, 409)]
        # the committee records one voter's sheet through both at once
        number = pg.psql(f"""SELECT p.number FROM paper_ballots p JOIN decision_voters v ON v.decision_id = p.decision_id AND v.voter_key = p.voter_key
                              WHERE p.decision_id = '{did}' AND v.owner_ids LIKE '%{paper_owner}%'""")[0]
        paper = []
        gate = threading.Barrier(2)

        def record(base):
            gate.wait()
            s, body, _ = call(base, "POST", f"/api/v1/decisions/{did}/paper-ballots", {"number": number, "ownerId": paper_owner, "choice": "no"}, committee)
            with lock: paper.append(s)

        pair = [threading.Thread(target=record, args=(srv.base,)) for srv in (a, b)]
        for t in pair: t.start()
        for t in pair: t.join(timeout=30)

        # filing through both servers in turn
        numbers, stop = [], threading.Event()
        filer = login(a.base, "yezhu01")
        own = call(a.base, "GET", "/api/v1/compounds?limit=1", token=filer)[1]["items"][0]["id"]

        def file(i):
            n = 0
            while not stop.is_set():
                n += 1
                s, body, _ = call((a, b)[(i + n) % 2].base, "POST", "/api/v1/requests",
                                  {"category": "other", "compoundId": own, "description": f"双机 {i}-{n}"}, filer)
                if s == 201:
                    with lock: numbers.append(body["number"])

        writers = [threading.Thread(target=file, args=(i,)) for i in range(8)]
        for t in writers: t.start()
        time.sleep(8)
        stop.set()
        for t in writers: t.join(timeout=30)

        doubles = pg.psql(f"SELECT COUNT(*) FROM (SELECT voter_key FROM ballots WHERE decision_id = '{did}' GROUP BY voter_key HAVING COUNT(*) > 1) d")[0]
        stored = [n for n in pg.psql("SELECT number FROM requests") if n]
        verify = call(b.base, "GET", f"/api/v1/decisions/{did}/verify", token=committee)[1]
        print(f"ballots: {len(accepted)} accepted, {len(refused)} refused as already cast, {len(other)} other; double ballots in the database: {doubles}; "
              f"paper sheet recorded {paper.count(201)} time(s) of 2 tries; chain valid: {verify.get('valid')} over {verify.get('ballots')} ballots")
        print(f"requests: {len(numbers)} acknowledged through two servers, {len(stored) - len(set(stored))} duplicate numbers")
        if len(accepted) != len(voters): problems.append(f"{len(accepted)} ballots accepted for {len(voters)} owners")
        if other: problems.append(f"unexpected answers: {other[:2]}")
        if doubles != "0": problems.append(f"{doubles} owners have two ballots")
        if sorted(paper) != [201, 409]: problems.append(f"the paper sheet answers were {paper}, not one 201 and one 409")
        if not verify.get("valid") or verify.get("ballots") != len(voters): problems.append(f"the chain does not verify: {verify}")
        if len(stored) != len(set(stored)): problems.append("request numbers repeat")
        if len(numbers) < 50: problems.append(f"only {len(numbers)} requests were filed")
        if set(numbers) - set(stored): problems.append("acknowledged requests are missing")
    finally:
        for s in servers: s.stop()
        pg.stop()
    return report("two servers on one PostgreSQL", problems)


if __name__ == "__main__":
    sys.exit(main())
