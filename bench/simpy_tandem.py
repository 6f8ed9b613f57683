#!/usr/bin/python3
"""The bench's tandem line in SimPy 2.3 (process interaction), fed scsim_bench's draws.

    /usr/bin/python3 bench/simpy_tandem.py DRAWS_FILE [--jobs M]

DRAWS_FILE is written by scsim_bench: the 8-byte magic b"SCSIMBD1", the job count N as a
little-endian uint64, then 1 + 5N little-endian doubles: the first interarrival time, then for
each job its four service times (stations in order) and the interarrival time to the next job.
A source creates the first M (default N) jobs; each passes four FIFO single-server stations
(Resource, capacity 1). Prints the mean cycle time (release to leaving the last station), the
wall and CPU seconds of the simulation itself (not Python start-up or reading the file) and the
peak RSS.
"""

import argparse
import resource
import struct
import sys
import time
from array import array

from SimPy.Simulation import Process, Resource, activate, hold, initialize, now, release, request, simulate

MAGIC = b"SCSIMBD1"
STATIONS = 4
PER_JOB = STATIONS + 1  # four service times and the next interarrival


def read_draws(path):
    with open(path, "rb") as f:
        header = f.read(16)
        if len(header) != 16 or header[:8] != MAGIC:
            sys.exit(f"{path}: not a scsim_bench draws file")
        (jobs,) = struct.unpack("<Q", header[8:])
        draws = array("d")
        draws.fromfile(f, 1 + PER_JOB * jobs)
    if sys.byteorder != "little":
        draws.byteswap()
    return jobs, draws


class Job(Process):
    def run(self, index, draws, stations, cycle_times):
        arrived = now()
        base = 1 + PER_JOB * index
        for k in range(STATIONS):
            station = stations[k]
            yield request, self, station
            yield hold, self, draws[base + k]
            yield release, self, station
        cycle_times.append(now() - arrived)


class Source(Process):
    def run(self, jobs, draws, stations, cycle_times):
        yield hold, self, draws[0]
        for j in range(jobs):
            job = Job()
            activate(job, job.run(j, draws, stations, cycle_times))
            if j + 1 < jobs:
                yield hold, self, draws[PER_JOB * j + PER_JOB]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("draws")
    parser.add_argument("--jobs", type=int, default=0, help="simulate the first M jobs (default: all)")
    args = parser.parse_args()
    available, draws = read_draws(args.draws)
    jobs = available if args.jobs <= 0 else args.jobs
    if jobs > available:
        sys.exit(f"--jobs {jobs}: the file holds only {available} jobs")

    start = time.perf_counter()
    start_cpu = time.process_time()
    initialize()
    stations = [Resource(capacity=1, name=f"s{k + 1}") for k in range(STATIONS)]
    cycle_times = []
    source = Source()
    activate(source, source.run(jobs, draws, stations, cycle_times))
    simulate(until=float("inf"))
    # Summed in completion order, which is job order on a FIFO tandem line, like the C++ side.
    total = 0.0
    for c in cycle_times:
        total += c
    mean = total / len(cycle_times)
    wall = time.perf_counter() - start
    cpu = time.process_time() - start_cpu

    if len(cycle_times) != jobs:
        sys.exit(f"only {len(cycle_times)} of {jobs} jobs finished")
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(f"jobs={jobs}")
    print(f"mean_cycle_time={mean!r}")
    print(f"wall_seconds={wall:.6f}")
    print(f"cpu_seconds={cpu:.6f}")
    print(f"peak_rss_kb={peak_kb}")


if __name__ == "__main__":
    main()
