#!/usr/bin/env python3
"""Turns bench/.work/results.tsv (written by bench/run.sh) into docs/benchmarks.md and a gnuplot chart."""
import argparse, datetime, os, subprocess, sys

p = argparse.ArgumentParser()
p.add_argument("results"); p.add_argument("out")
for k in ["cpu", "memory", "kernel", "dotnet", "postgres", "wrk", "pinning", "duration", "connections",
          "login-connections", "warmup-cycles", "floor-segments", "identities", "sessions", "load", "load-end", "elapsed", "note", "server-cores"]:
    p.add_argument("--" + k, default="")
a = p.parse_args()

rows = []
for line in open(a.results):
    f = line.rstrip("\n").split("\t")
    if len(f) < 9: continue
    kind, key, label, rps, p50, p99, err, rss, extra = f[:9]
    rows.append(dict(kind=kind, key=key, label=label, rps=float(rps or 0), p50=float(p50 or 0), p99=float(p99 or 0),
                     errors=err, rss=rss, extra=extra))
by = {r["key"]: r for r in rows}

def extras(row):
    """The key=value pairs of a row's extra column."""
    return dict(v.split("=", 1) for v in row["extra"].split() if "=" in v)
cores = int(a.server_cores or 1)
HASHERS = [("bcrypt", "bcrypt cost 12"), ("argon2", "argon2id m=19 MiB t=2 p=1"), ("pbkdf2", "PBKDF2-SHA512 100k")]
DBS = [d for d in ("sqlite", "postgres") if f"whoami-token-{d}" in by]

def num(x, digits=0):
    return f"{x:,.{digits}f}"

out = []
w = out.append
w("# Benchmarks")
w("")
w(f"Written by `bench/run.sh` on {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC in {a.elapsed} s. "
  "Every number below comes from that one run: Warden, the hash floor, the bare-endpoint ceiling and ASP.NET Core "
  "Identity were measured one after the other on the same machine. Re-run the script to refresh this page.")
w("")
if a.note:
    w(f"> **{a.note}**")
    w("")
w("## Machine and parameters")
w("")
w(f"- CPU: {a.cpu}; memory {a.memory}; {a.kernel}; load average (1/5/15 min) when the run started: {a.load}, when it ended: {a.load_end}")
w(f"- .NET {a.dotnet}, Release builds, workstation GC in every .NET process; PostgreSQL {a.postgres} on the same "
  "machine (fsync off, as a throwaway cluster); SQLite in WAL mode with synchronous=NORMAL (Warden's setting)")
w(f"- Pinning: {a.pinning}. The hash floor is measured on the server's core as well.")
w("- Warden's settings beyond its defaults (bench/lib/warden.sh): `warden.hashing.time_slice: auto` and "
  "`warden.hashing.batch: auto`, both for argon2 only (long time slices while hashing; hashes in batches once "
  "the other requests are done, so those run together on warm caches; README). Hashers as in the targets, breach "
  "check off.")
w(f"- The hash floor of each login and registration target is measured right before that run, after it and between "
  f"its parts (the timed run is cut into {a.floor_segments or 1} parts of equal length, the operations in flight finishing "
  "each part), on the server's core while the server is stopped (SIGSTOP), and all of them are averaged: this machine's "
  "speed drifts by 10-20 % over minutes and at times by more within seconds (it is a shared host; seen: 31.5/s before a "
  "10 s run and 50.9/s after it), more than the overhead the ratio is meant to show. A floor is the mean time of "
  "back-to-back operations (what a core doing nothing else sustains); the table \"Hash floor\" also shows the 10th "
  "percentile. Next to each ratio, \"of the core inside the hash\" is the CPU time of Warden's hash threads during "
  "the measured seconds divided by those seconds: measured in the same seconds as the run, it does not depend on the "
  "floor (but time the host gives to other guests lowers it, and a hash slowed down by the rest of the server counts as "
  "hash time). \"Of the server's CPU in the hash\" divides the same hash CPU time by all the CPU time the server spent "
  "in those seconds (Warden's process plus every PostgreSQL process): neither count advances while the host runs someone "
  "else, so this share is the steadiest estimate of what a login costs beyond its hash; on a quiet core the ratio to the "
  "floor would come out close to it.")
w(f"- Reads: wrk {a.wrk}, 1 thread, {a.connections} connections, {a.duration} per measurement, keep-alive. "
  f"Logins and registrations: `warden-bench flows`, {a.login_connections} concurrent clients, each a complete "
  f"native flow (create flow + submit) or Identity's single POST, for the same duration. Before each: at least {a.warmup_cycles or 2} "
  "rounds of 6 s of the same load (and at least 40 operations: the runtime promotes a method after 30 calls) and 6 s "
  "idle, for Warden more (up to 6) until a round and its idle gap made the JIT compile for at most 100 ms (Warden's "
  "/metrics/prometheus counts it), then a second without compiling; in the timed run itself, each client's first "
  "operation is untimed. No runtime setting comes from the environment: each program runs with what its project "
  "ships (Warden: no instrumented JIT tier and no thread-pool spin, see src/Warden.Server/Warden.Server.csproj; the "
  "peers: the defaults apart from the workstation GC). On one "
  "core the runtime defers compiling optimized code while load continues without pause, and the idle gaps let it "
  "catch up, as pauses in real traffic would (without them, half a minute of logins still ran partly on unoptimized code).")
w(f"- Data: {int(a.identities):,} identities (one e-mail trait, password and code credentials, verifiable and recovery "
  f"address, cloned in bulk from an identity created through the admin API) and {int(a.sessions):,} sessions, each "
  "with its own token; whoami cycles through all of them. ASP.NET Core Identity gets the same number of users.")
w("- Warden answers whoami from its session cache (`warden.session_cache`, on by default, kept fresh by the "
  "database's change feed). The row \"first check of each session\" is measured first, before any session was cached; "
  "then every seeded session is checked once, and the other whoami rows (and the targets) measure that steady state.")
w("- Latency percentiles are per request (wrk) or per complete operation (flows). Errors count non-2xx answers and "
  "transport failures; throughput of logins counts successful ones only.")
w("")

# Targets ---------------------------------------------------------------------------------------------------------
w("## Targets")
w("")
w("| target | measured | ratio | met |")
w("| --- | --- | ---: | :---: |")
def target(name, measured, ratio, ok):
    w(f"| {name} | {measured} | {ratio} | {'yes' if ok else '**no**'} |")
if "bare" in by:
    for d in DBS:
        for cred in ("token", "cookie"):
            k = f"whoami-{cred}-{d}"
            if d == "sqlite" and k in by:
                r = by[k]["rps"] / by["bare"]["rps"]
                target(f"whoami ({cred}) on SQLite ≥ 50 % of the bare endpoint", f"{num(by[k]['rps'])} vs {num(by['bare']['rps'])} req/s",
                       f"{r:.0%}", r >= 0.5)
if "identity-info" in by:
    for cred in ("token", "cookie"):
        k = f"whoami-{cred}-postgres"
        if k in by:
            r = by[k]["rps"] / max(by["identity-info"]["rps"], 1e-9)
            target(f"whoami ({cred}) on PostgreSQL ≥ 5× Identity's /manage/info", f"{num(by[k]['rps'])} vs {num(by['identity-info']['rps'])} req/s",
                   f"{r:.1f}×", r >= 5)
for d in DBS:
    k = f"whoami-half-{d}"
    if k in by:
        full = by[f"whoami-token-{d}"]["rps"]
        target(f"whoami p99 ≤ 5 ms at half of max throughput ({d})",
               f"p99 {by[k]['p99']:.2f} ms at {num(by[k]['rps'])} req/s ({by[k]['rps'] / full:.0%} of max)", f"{by[k]['p99'] / 5:.2f} of the limit", by[k]["p99"] <= 5)
def hash_share(key):
    """Share of the timed window the hash threads spent on the timed operations: their CPU time around the whole
    tool run, per operation (the timed ones plus the untimed first operation of each client), times the rate."""
    row, run = by.get(f"{key}-hash-share"), by.get(key)
    if not row or not run or run["rps"] <= 0: return None
    extra = extras(run)
    warm = int(extra.get("warmup_requests") or extra.get("connections") or 0)
    ops = run["rps"] * row["p99"] + warm          # p99 column holds the window in seconds, p50 the hash CPU ms
    return row["p50"] / ops * run["rps"] / 1000

def cpu_share(key):
    """The hash's part of the CPU the server spent (Warden's process plus PostgreSQL's processes) over the same tool
    run: both counts cover the same operations, and neither moves with the machine's speed or stolen time."""
    row = by.get(f"{key}-hash-share")
    if not row: return None
    extra = extras(row)
    server = float(extra.get("server_cpu_ms") or 0)
    return row["p50"] / server if server > 0 else None

def floor_of(key, fl, flow):
    """Floor (operations per second) for the run KEY: the mean of the floors measured before it, between its parts
    and after it, in that order, or, for a results file without them, the floor measured at the start of the run."""
    segs = sorted((int(k[len(f"{key}-floor-seg"):]), k) for k in by if k.startswith(f"{key}-floor-seg"))
    names = [f"{key}-floor-before"] + [k for _, k in segs] + [f"{key}-floor-after"]
    near = [by[n]["rps"] for n in names if n in by]
    if near: return sum(near) / len(near), near
    return cores * 1000 / (fl["p99"] if flow == "login" else fl["p50"]), []

for h, title in HASHERS:
    fl = by.get(h)
    if not fl: continue
    for d in DBS:
        for flow in ("login", "registration"):
            k = f"{flow}-{h}-{d}"
            if k in by:
                floor, near = floor_of(k, fl, flow)
                r = by[k]["rps"] / floor
                where = (f" (before {near[0]:.1f}, after {near[1]:.1f})" if len(near) == 2
                         else f" (mean of {len(near)} floors through the run: {', '.join(f'{x:.1f}' for x in near)})" if near else "")
                share = hash_share(k)
                inside = f"; {share:.0%} of the core inside the hash" if share is not None else ""
                cpu = cpu_share(k)
                inside += f"; {cpu:.0%} of the server's CPU in the hash" if cpu is not None else ""
                slice_ms = int(extras(by[f"{k}-hash-share"]).get("slice_ms") or 0) if f"{k}-hash-share" in by else 0
                inside += f"; time slice {slice_ms} ms" if slice_ms else ""
                target(f"{flow} ≥ 90 % of the hash floor, {title} ({d})", f"{by[k]['rps']:.1f}/s vs floor {floor:.1f}/s{where}{inside}", f"{r:.0%}", r >= 0.9)
for d in DBS:
    k = f"cold-{d}"
    if k in by:
        x = extras(by[k])
        of = f" (median of {x['idle_rss'].replace(',', ', ')} MB)" if "idle_rss" in x else ""
        # Judged on the reading after the idle period (bench/lib/warden.sh says why), with one decimal.
        settled = float(x["settled_rss"])
        target(f"idle RSS ≤ 80 MB ({d})", f"{settled:.1f} MB after {x['settle_s']} s idle; 2 s after ready {by[k]['rss']} MB{of}",
               f"{settled / 80:.2f} of the limit", settled <= 80)
        of = f" (median of {x['starts'].replace(',', ', ')} s)" if "starts" in x else ""
        target(f"cold start ≤ 1 s, migrations included ({d})", f"{by[k]['rps']:.3f} s{of}", f"{by[k]['rps']:.2f} of the limit", by[k]["rps"] <= 1)
w("")

# Throughput tables -----------------------------------------------------------------------------------------------
def cache_note(r):
    """Warden's own account of a whoami row (from its /metrics/prometheus around the run): the share answered from
    the cache, the process's CPU per request, and gen-2 collections; empty for peers."""
    x = extras(r)
    if "cache_hits" not in x: return ""
    hits, total = int(x["cache_hits"]), sum(int(x.get(k, 0)) for k in ("cache_hits", "cache_misses", "cache_not_serving"))
    parts = [f"{hits / total:.0%} from cache" if total else "no requests"]
    if int(x.get("cache_not_serving", 0)): parts.append(f"{x['cache_not_serving']} while the feed was not current")
    if int(x.get("cache_trimmed", 0)): parts.append(f"{x['cache_trimmed']} trimmed")
    if "cpu_us_per_request" in x: parts.append(f"{x['cpu_us_per_request']} µs CPU/request")
    if "core_share" in x: parts.append(f"used {float(x['core_share']):.0%} of its core")
    parts.append(f"{x.get('cache_gen2', '?')} gen-2 GCs")
    return ", ".join(parts)

def table(title, kinds, unit="req/s", notes=None):
    sel = [r for r in rows if r["kind"] in kinds]
    if not sel: return
    w(f"## {title}")
    w("")
    head, rule = "", ""
    if notes: head, rule = " server's account |", " --- |"
    w(f"| measurement | {unit} | p50 ms | p99 ms | errors | peak server RSS MB |{head}")
    w(f"| --- | ---: | ---: | ---: | ---: | ---: |{rule}")
    for r in sel:
        note = f" {notes(r)} |" if notes else ""
        w(f"| {r['label']} | {num(r['rps'], 1 if r['rps'] < 100 else 0)} | {r['p50']:.2f} | {r['p99']:.2f} | {r['errors']} | {r['rss']} |{note}")
    w("")
table("Session checks (whoami) and the ceiling", {"whoami"}, notes=cache_note)
table("Admin reads", {"admin"})
table("Logins and registrations", {"login", "registration"}, "per s")
if any("sqlite" in r["label"] for r in rows if r["kind"] in ("whoami", "admin", "login", "registration")):
    w("Peak server RSS of the SQLite rows counts the database pages Warden has read through SQLite's memory map "
      "(`PRAGMA mmap_size`), once for each pooled connection that mapped them, so it can exceed the size of the file. "
      "Those pages are the kernel's file cache, shared and reclaimable (a cgroup is charged for each page once), not "
      "memory of the server's own; the rows grow with what the run read, most after the admin list reads.")
    w("")

floors = [r for r in rows if r["kind"] == "floor"]
if floors:
    w("## Hash floor")
    w("")
    w(f"Measured once at the start of the run: single-thread time of one operation (mean of back-to-back runs for 3 s; the 10th "
      f"percentile in brackets) with Warden's own `PasswordHasher` (the Identity row: "
      f"`Rfc2898DeriveBytes.Pbkdf2`, the primitive behind Identity's default hasher). With {cores} server core(s) no "
      "server can log in more than cores × 1000 / verify ms users per second, nor register more than cores × 1000 / hash ms.")
    w("")
    w("| hasher | hash ms | verify ms | login floor /s | registration floor /s |")
    w("| --- | ---: | ---: | ---: | ---: |")
    def p10(r, name):
        v = [x.split("=")[1] for x in r["extra"].split() if x.startswith(name + "=")]
        return f" ({float(v[0]):.1f})" if v and v[0] != "NaN" else ""
    names = dict(HASHERS); names["identity-pbkdf2"] = "ASP.NET Core Identity: PBKDF2-HMAC-SHA512 100k"
    for r in floors:
        w(f"| {names.get(r['key'], r['key'])} | {r['p50']:.1f}{p10(r, 'hash_p10_ms')} | {r['p99']:.1f}{p10(r, 'verify_p10_ms')} | {cores * 1000 / r['p99']:.1f} | {cores * 1000 / r['p50']:.1f} |")
    w("")
    if "identity-login" in by and "identity-pbkdf2" in by:
        r = by["identity-login"]["rps"] / floor_of("identity-login", by["identity-pbkdf2"], "login")[0]
        w(f"For comparison, ASP.NET Core Identity's /login reaches {r:.0%} of its PBKDF2 floor in this run "
          "(measured the same way: floors before, between the parts of and after its run).")
        w("")

foot = [r for r in rows if r["kind"] == "footprint"]
if foot:
    w("## Footprint")
    w("")
    w("| process | start to first 200 on /health/ready (s) | RSS MB |")
    w("| --- | ---: | ---: |")
    for r in foot:
        if r["key"].startswith("load-"):
            w(f"| {r['label']} | | {r['rss']} (peak) |")
        else:
            start = f"{r['rps']:.3f}" if r["rps"] else ""
            x = extras(r)
            if "starts" in x: start += f" (median of {x['starts'].replace(',', ', ')})"
            rss = f"{r['rss']} (idle, 2 s after ready" + (f"; median of {x['idle_rss'].replace(',', ', ')})" if "idle_rss" in x else ")")
            if "settled_rss" in x: rss += f"; {x['settled_rss']} after {x['settle_s']} s idle"
            w(f"| {r['label']} | {start} | {rss} |")
    w("")
    w("Cold start is measured from launching the published binary (no `dotnet run`) on an empty database, so it includes "
      "applying every migration; the restart rows open the seeded database. RSS is VmRSS in MiB (written MB). An idle "
      "Warden does not stay at its size 2 s after ready: what still runs periodically (Kestrel's heartbeat, "
      "timers, the vouch of the session feed, SQLite's look at its files) gets its methods compiled again, optimized, after 30 runs, and the compiler "
      "keeps its working memory until a collection; the idle target is judged on the reading after the idle period.")
    w("")

over = [r for r in rows if r["kind"] == "overload"]
for r in over:
    f = extras(r)
    rec = by.get("recovery-" + r["key"].split("-", 1)[1])
    cap = by.get("login-bcrypt-" + r["key"].split("-", 1)[1])
    w("## Overload")
    w("")
    w(f"Logins (bcrypt cost 12) offered open-loop at {f.get('offered_per_s')}/s, ten times the capacity measured above, "
      f"for {a.duration}; each attempt is a full native flow with a 10 s client timeout.")
    w("")
    w(f"- Sent {f.get('sent')}, answers: `{f.get('outcomes')}` (503: Warden's hash queue was full; timeout: no "
      "answer within 10 s).")
    w(f"- Latency of all attempts: p50 {f.get('p50_ms')} ms, p99 {f.get('p99_ms')} ms; every request answered "
      f"{f.get('drained_s')} s after the first was sent.")
    w(f"- Server RSS: {f.get('rss_before_mb')} MB before, peak {f.get('rss_peak_mb')} MB during, {f.get('rss_after_mb')} MB after; "
      f"process alive afterwards: {f.get('alive')}.")
    if rec and cap:
        w(f"- Recovery: the login run right after reached {rec['rps']:.1f}/s (p50 {rec['p50']:.0f} ms, errors {rec['errors']}) "
          f"against {cap['rps']:.1f}/s before the overload ({rec['rps'] / max(cap['rps'], 1e-9):.0%}).")
    w("")

chart = os.path.splitext(a.out)[0] + ".png"
w("## Chart")
w("")
w(f"![Throughput of every measurement]({os.path.basename(chart)})")
w("")
w("Left: session checks and reads in requests per second. Right: logins and registrations per second next to the "
  "hash floor of the same hasher. Both axes are logarithmic.")
w("")
os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
open(a.out, "w").write("\n".join(out) + "\n")

# Chart -------------------------------------------------------------------------------------------------------
work = os.path.dirname(os.path.abspath(a.results))
def short(r):
    return r["label"].replace("whoami, ", "whoami ").replace(" of max throughput", "").replace("Identity GET ", "Identity ")[:48]
reads = [r for r in rows if r["kind"] in ("whoami", "admin") and r["rps"] > 0]
with open(os.path.join(work, "reads.dat"), "w") as fh:
    for r in reads: fh.write(f"\"{short(r)}\" {r['rps']}\n")
with open(os.path.join(work, "logins.dat"), "w") as fh:
    for h, title in HASHERS:
        fl = by.get(h)
        for d in DBS:
            for flow in ("login", "registration"):
                k = f"{flow}-{h}-{d}"
                if k in by and fl:
                    floor = floor_of(k, fl, flow)[0]
                    fh.write(f"\"{flow} {h} {d}\" {by[k]['rps']} {floor}\n")
    if "identity-login" in by and "identity-pbkdf2" in by:
        fl = by["identity-pbkdf2"]
        fh.write(f"\"Identity login pbkdf2\" {by['identity-login']['rps']} {floor_of('identity-login', fl, 'login')[0]}\n")
        if "identity-registration" in by:
            fh.write(f"\"Identity register pbkdf2\" {by['identity-registration']['rps']} {cores * 1000 / fl['p50']}\n")
gp = f"""
set terminal pngcairo size 1600,800 font ",10"
set output "{chart}"
set multiplot layout 1,2 title "Warden benchmarks ({datetime.date.today()})"
set style data histograms
set style fill solid 0.8 border -1
set boxwidth 0.8
set xtics rotate by -40 left
set grid ytics
set bmargin 14
set logscale y
set ylabel "requests per second"
set title "Session checks and reads"
plot "{work}/reads.dat" using 2:xtic(1) notitle lc rgb "#3b6ea5"
set ylabel "per second (log scale)"
set title "Logins and registrations vs hash floor"
set key top right
plot "{work}/logins.dat" using 2:xtic(1) title "measured" lc rgb "#3b6ea5", "" using 3 title "hash floor" lc rgb "#c8c8c8"
unset multiplot
"""
subprocess.run(["gnuplot"], input=gp.encode(), check=True)
