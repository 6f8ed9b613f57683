#!/usr/bin/python3
"""Mutation campaign (issue 12): careless and hostile scenarios through scsim.

Mutates the shipped and test scenarios (numbers -> NaN, inf, 0, -1, 1e308, ...,
strings -> newlines, escape sequences, long names, paths; lines deleted,
duplicated, swapped; files truncated; bytes inserted; a BOM), runs
`scsim validate` on every mutant and `scsim run -r 1` on those that validate,
each under a timeout and an address-space limit, and counts what went wrong:

  hang       the timeout fired
  crash      killed by a signal, or an exit code other than 0/1/2
  oom        std::bad_alloc or the memory limit
  unlocated  a problem line without FILE:LINE:COL (or a --set origin)
  raw        a control character in stderr (escape sequences reach the terminal)
  nonfinite  NaN or Infinity in summary.json
  leftover   anything but the output folder left next to it (temporary files)
  orphan     an scsim process still alive after its command returned, or after
             the command was SIGKILLed at a random moment (10% of runs: -r 4 -j 2)
  badexit    validate said valid but run exited 2, or exit 1 without a message
A worker killed by a signal is a crash (a BOM naming an input twice used to
crash workers; the engine now merges the lines, so it counts like any other).

Not part of the test suite (minutes, not seconds). Usage:
  fuzz/mutate_campaign.py [--scsim build/scsim] [--mutants 3000] [--minutes 12]
                          [--seed 1] [--work /tmp/scsim_campaign]
Prints counts as it goes and a summary; exits 1 if any failure was found.
Failing mutants are kept in WORK/failures/ with their command and stderr.
"""
import argparse
import glob
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NASTY_NUMBERS = ["nan", "-nan", "inf", "-inf", "0", "-0", "-1", "1e308", "-1e308", "1e-308", "5e-324", "1e9",
                 "1e12", "2147483647", "-2147483648", "2147483648", "9223372036854775807",
                 "18446744073709551615", "1e-6", "1e6", "0.5", "1.5", "3", "100", "1e15", "0x10", "1e400"]
NASTY_STRINGS = ['""', '"a\\nb"', '"\\x1b[31mred"', '"' + "x" * 300 + '"', '"."', '"/dev/zero"', '"..\\/.."',
                 '"2025-02-30"', '"9999-12-31"', '"0001-01-01"', '"-1"', '"a b"', '"\\0"', '"\\u00e9"']
EXTRA_LINES = ["seed: 18446744073709551615", "horizon_days: 1e9", "replications: 2147483647",
               "base: \".\"", "base: \"/dev/zero\"", "set: \"base=x\"", "set: \"horizon_days=nan\"",
               "disruptions { name: \"z\" target: \"nowhere\" rate_per_year: 1e9 duration_days { fixed: 1e12 } }",
               "demand { product: \"x\" target_units: 0 }", "lanes { }", "sites { }", "products { }"]
NUMBER = re.compile(r"(?<![\w.])-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?![\w.])")
STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
LOCATED = re.compile(r"^(?:.+?:\d+:\d+: |--set .+?: |\d+ problems? found; nothing was simulated$)")


def mutate(text, rng):
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
        kind = rng.random()
        lines = text.split("\n")
        if kind < 0.45:
            spots = list(NUMBER.finditer(text))
            if spots:
                m = rng.choice(spots)
                text = text[:m.start()] + rng.choice(NASTY_NUMBERS) + text[m.end():]
        elif kind < 0.6:
            spots = list(STRING.finditer(text))
            if spots:
                m = rng.choice(spots)
                other = rng.choice(spots).group(0)
                text = text[:m.start()] + rng.choice(NASTY_STRINGS + [other] * 4) + text[m.end():]
        elif kind < 0.7 and len(lines) > 2:
            del lines[rng.randrange(len(lines))]
            text = "\n".join(lines)
        elif kind < 0.78:
            i = rng.randrange(len(lines))
            lines.insert(i, lines[rng.randrange(len(lines))])
            text = "\n".join(lines)
        elif kind < 0.84 and len(lines) > 2:
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        elif kind < 0.9:
            lines.insert(rng.randrange(len(lines) + 1), rng.choice(EXTRA_LINES))
            text = "\n".join(lines)
        elif kind < 0.94:
            text = text[:rng.randrange(len(text) + 1)]
        elif kind < 0.98:
            at = rng.randrange(len(text) + 1)
            text = text[:at] + rng.choice(["\x00", "\x1b[2J", "\r", "{", "}", "\xff", "#", "\t"]) + text[at:]
        else:
            text = "\ufeff" + text
    return text


def limited(cmd, timeout, memory_kb, kill_after=None):
    """Runs cmd with an address-space limit; returns (code or 'timeout', stderr text).
    With kill_after, SIGKILLs the command itself (not its workers) after that many seconds."""
    wrapped = ["bash", "-c", f'ulimit -v {memory_kb}; exec "$@"', "limited"] + cmd
    proc = subprocess.Popen(wrapped, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    if kill_after is not None:
        try:
            proc.wait(timeout=kill_after)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, 9)  # bash exec'd scsim: this is the parent of the workers
    try:
        _, err = proc.communicate(timeout=timeout)
        return proc.returncode, err.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        # The new session holds the command and its workers: stop them all (ours, by group id).
        os.killpg(proc.pid, 9)
        _, err = proc.communicate()
        return "timeout", err.decode("utf-8", "replace")


def scsim_processes(binary):
    """Live (not zombie) processes running this campaign's scsim binary; other scsim processes are not ours."""
    found = set()
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            if os.path.realpath(f"/proc/{pid}/exe") != binary:
                continue
            with open(f"/proc/{pid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] != "Z":
                    found.add(pid)
        except OSError:
            pass
    return found


def outliving(binary, before, grace):
    """Our scsim processes not running `before`, still there after `grace` more seconds (exiting ones get them)."""
    stray = scsim_processes(binary) - before
    if stray:
        time.sleep(grace)
        stray = scsim_processes(binary) - before
    return stray


def nonfinite_json(path):
    bad = []

    def constant(name):
        bad.append(name)
        return 0.0
    with open(path, encoding="utf-8") as f:
        json.load(f, parse_constant=constant)
    return bad



def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scsim", default=os.path.join(ROOT, "build", "scsim"))
    ap.add_argument("--mutants", type=int, default=3000)
    ap.add_argument("--minutes", type=float, default=12)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=20)
    ap.add_argument("--memory-kb", type=int, default=4_000_000)
    ap.add_argument("--max-events", type=int, default=30_000_000,
                    help="--max-events for runs, so that a budget stop fits in the timeout")
    ap.add_argument("--work", default="/tmp/scsim_campaign")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    seeds = sorted(set(glob.glob(os.path.join(ROOT, "configs", "**", "*.textproto"), recursive=True) +
                       glob.glob(os.path.join(ROOT, "tests", "**", "*.textproto"), recursive=True)))
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(os.path.join(args.work, "failures"))
    # Mutants live next to copies of every seed, so relative base: paths resolve.
    for seed in seeds:
        rel = os.path.relpath(seed, ROOT)
        os.makedirs(os.path.join(args.work, "tree", os.path.dirname(rel)), exist_ok=True)
        shutil.copy(seed, os.path.join(args.work, "tree", rel))

    counts = {k: 0 for k in ["mutants", "valid", "invalid", "runs", "run_ok", "run_stopped", "killed", "hang", "crash", "oom",
                             "unlocated", "raw", "nonfinite", "leftover", "orphan", "badexit"]}
    messages = {}
    deadline = time.time() + args.minutes * 60
    binary = os.path.realpath(args.scsim)
    before = scsim_processes(binary)

    def failure(kind, mutant, cmd, err):
        counts[kind] += 1
        n = counts[kind]
        if n <= 20:
            dest = os.path.join(args.work, "failures", f"{kind}_{n}")
            os.makedirs(dest)
            shutil.copy(mutant, dest)
            with open(os.path.join(dest, "command.txt"), "w") as f:
                f.write(" ".join(cmd) + "\n\n" + err)
        print(f"  {kind}: {os.path.basename(mutant)}: {err.strip().splitlines()[-1:] if err.strip() else ''}",
              flush=True)

    def check_stderr(mutant, cmd, err):
        if any((ord(c) < 32 and c not in "\n") or ord(c) == 127 for c in err):
            failure("raw", mutant, cmd, err)

    for i in range(args.mutants):
        if time.time() > deadline:
            print(f"time is up after {i} mutants", flush=True)
            break
        seed = rng.choice(seeds)
        rel = os.path.relpath(seed, ROOT)
        with open(seed, encoding="utf-8") as f:
            text = mutate(f.read(), rng)
        mutant = os.path.join(args.work, "tree", os.path.dirname(rel), f"m{i:05d}.textproto")
        with open(mutant, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(text)
        counts["mutants"] += 1
        cmd = [args.scsim, "validate", mutant]
        code, err = limited(cmd, args.timeout, args.memory_kb)
        check_stderr(mutant, cmd, err)
        if code == "timeout":
            failure("hang", mutant, cmd, err)
        elif "bad_alloc" in err:
            failure("oom", mutant, cmd, err)
        elif code == 2:
            counts["invalid"] += 1
            for line in err.splitlines():
                if line and not LOCATED.match(line):
                    failure("unlocated", mutant, cmd, line)
                    break
        elif code != 0:
            failure("crash", mutant, cmd, f"exit {code}\n{err}")
        else:
            counts["valid"] += 1
            out = os.path.join(args.work, "out", f"m{i:05d}")
            os.makedirs(os.path.dirname(out), exist_ok=True)
            run = [args.scsim, "run", mutant, "-r", "1", "-o", out, "--max-events", str(args.max_events)]
            if rng.random() < 0.2:
                run += ["--seed", str(rng.choice([0, 1, 2 ** 63 - 1, rng.randrange(2 ** 63)]))]
            if rng.random() < 0.2:
                run += ["-j", "2"]
            counts["runs"] += 1
            if rng.random() < 0.1:
                # A kill at a random moment: the parent dies, its workers must die with it.
                run[run.index("-r") + 1] = "4"
                if "-j" not in run:
                    run += ["-j", "2"]
                counts["killed"] += 1
                limited(run, args.timeout, args.memory_kb, kill_after=rng.uniform(0.02, 0.5))
                time.sleep(0.3)
                stray = outliving(binary, before, grace=2)
                if stray:
                    failure("orphan", mutant, run, f"scsim processes {sorted(stray)} outlived their killed parent")
                shutil.rmtree(out, ignore_errors=True)
                for name in os.listdir(os.path.dirname(out)):  # what a killed run leaves is the outputs' business
                    shutil.rmtree(os.path.join(os.path.dirname(out), name), ignore_errors=True)
                continue
            code, err = limited(run, args.timeout, args.memory_kb)
            check_stderr(mutant, run, err)
            if code == "timeout":
                failure("hang", mutant, run, err)
            elif "bad_alloc" in err or "Cannot allocate memory" in err:
                failure("oom", mutant, run, err)
            elif code == 0:
                counts["run_ok"] += 1
                summary = os.path.join(out, "summary.json")
                if not os.path.exists(summary):
                    failure("badexit", mutant, run, "exit 0 without summary.json\n" + err)
                else:
                    bad = nonfinite_json(summary)
                    if bad:
                        failure("nonfinite", mutant, run, f"{bad[:3]} in summary.json")
            elif code == 1 and ("killed by signal" in err or "exited with status" in err):
                failure("crash", mutant, run, err)  # a worker crashed: the parent only reported it
            elif code == 1 and "scsim: error:" in err:
                counts["run_stopped"] += 1
                last = err.strip().splitlines()[-1]
                key = re.sub(r"\d+", "N", re.sub(r"'[^']*'", "'X'", last))[:120]
                messages[key] = messages.get(key, 0) + 1
            elif code in (1, 2):
                failure("badexit", mutant, run, f"exit {code}\n{err}")
            else:
                failure("crash", mutant, run, f"exit {code}\n{err}")
            # Only the output folder may be left in its parent.
            for name in os.listdir(os.path.dirname(out)):
                if not re.fullmatch(r"m\d{5}", name):
                    failure("leftover", mutant, run, f"left {name}")
                    shutil.rmtree(os.path.join(os.path.dirname(out), name), ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
            stray = outliving(binary, before, grace=0.5)
            if stray:
                failure("orphan", mutant, run, f"scsim processes {sorted(stray)} still alive")
        if counts["mutants"] % 250 == 0:
            print(json.dumps(counts), flush=True)

    print("\ncounts:", json.dumps(counts, indent=1))
    if messages:
        print("runs stopped with exit 1, by message:")
        for key, n in sorted(messages.items(), key=lambda kv: -kv[1]):
            print(f"  {n:5d}  {key}")
    failures = sum(counts[k] for k in ["hang", "crash", "oom", "unlocated", "raw", "nonfinite", "leftover", "orphan",
                                       "badexit"])
    print(f"\n{failures} failure(s); details in {args.work}/failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
