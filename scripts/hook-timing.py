#!/usr/bin/env python3
"""Times the hooks' commands of two git-govern binaries on the full bench data, interleaved.

    scripts/hook-timing.py OLD_BINARY NEW_BINARY [rounds]

Needs `make bench` to have generated bench/data/full-seed42 (its server.git holds the release of
the new tag the pre-receive judges). Each round runs every command with each binary in turn; the
first round is a warm-up. Prints the median and minimum wall time of each, in milliseconds.

The server judges a push by its own clock, so in a freeze of the bench's policy (Fridays) the
pre-receive refuses the new tag. Then, where libfaketime is installed, that hook is timed at the
same hour a day later (`faketime -f @<now + 1 day>`, its own start-up of ~1.6 ms included), as
govern-bench does, and the output says so.
"""
import shutil
import json
import os
import statistics
import subprocess
import sys
import time

data = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench", "data", "full-seed42")
manifest = json.load(open(os.path.join(data, "manifest.json")))
repo, remote, server = (os.path.join(data, name) for name in ("repo", "remote.git", "server.git"))
zero = "0" * 40
push_line = "refs/heads/main %s refs/heads/main %s\n" % (manifest["tip"], manifest["pushOld"])


def new_tag_line():
    """The bench's last run requested and approved one release to a new tag in server.git."""
    folders = subprocess.run(
        ["git", "-C", server, "log", "-1", "--format=", "--name-only", "--diff-filter=A", "refs/heads/governance",
         "--", "releases/*/request.json"], capture_output=True, text=True, check=True).stdout.split()
    request = json.loads(subprocess.run(
        ["git", "-C", server, "show", "refs/heads/governance:" + folders[0]],
        capture_output=True, text=True, check=True).stdout)
    return "%s %s %s\n" % (zero, request["target"], request["ref"])


def prereceive_clock(binary, tag_line):
    """No clock change when the real clock lets the new tag through; else a day later."""
    at_real_clock = subprocess.run([binary, "check", "--hook", "pre-receive"], input=tag_line.encode(),
                                   cwd=server, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if at_real_clock.returncode == 0:
        return []
    if shutil.which("faketime") is None:
        sys.exit("the pre-receive refuses the new tag at this clock (a freeze?) and faketime is not installed")
    later = "@" + time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(time.time() + 86400))
    print("pre-receive refused at the real clock: timed through faketime -f '%s' (UTC)" % later)
    return ["faketime", "-f", later]


now = {"GIT_GOVERN_NOW": manifest["now"]}
small = dict(now, GIT_CONFIG_PARAMETERS="'govern.ref'='refs/heads/governance-small'")
cases = {
    "check pre-push, full history": (["-C", repo, "check", "--hook", "pre-push", "origin", remote], now, push_line, None),
    "check pre-push, 10-release history": (["-C", repo, "check", "--hook", "pre-push", "origin", remote], small, push_line, None),
    "pre-receive, new tag": (["check", "--hook", "pre-receive"], {"TZ": "UTC"}, new_tag_line(), server),
    "status <last release>": (["-C", repo, "status", manifest["lastRelease"], "--at", manifest["now"]], {}, "", None),
    "--version": (["--version"], {}, "", None),
}
binaries = [os.path.abspath(path) for path in sys.argv[1:3]]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 21
prefixes = {"pre-receive, new tag": prereceive_clock(binaries[0], cases["pre-receive, new tag"][2])}
times = {}
for round in range(rounds):
    for name, (arguments, environment, stdin, cwd) in cases.items():
        for binary in binaries:
            start = time.perf_counter()
            done = subprocess.run(prefixes.get(name, []) + [binary] + arguments, input=stdin.encode(), cwd=cwd,
                                  env=dict(os.environ, **environment),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            elapsed = (time.perf_counter() - start) * 1000
            if done.returncode != 0:
                sys.exit("%s %s: exit %d: %s" % (binary, name, done.returncode, done.stderr.decode()))
            if round > 0:
                times.setdefault((name, binary), []).append(elapsed)
for name in cases:
    for binary in binaries:
        t = times[(name, binary)]
        print("%-36s %-50s median %6.1f ms  min %6.1f ms" % (name, binary, statistics.median(t), min(t)))
