#!/usr/bin/env python3
"""Writes a generated supply network of N sites (default 1,000) as a scenario, for the bench (issue 11).

    bench/generate_network.py [--sites N] [--horizon-days D] [--lots-per-week R] > big.textproto

Families of 10 sites each: three sources of part A and three of part B (generic, two FIFO stations, a weekly
release plan), two module assemblers (1 A + 2 B), one system assembler and one datacenter. Every source ships
to both module assemblers of its family (shares 1/2), modules go to the system assembler, systems to the
datacenter; lanes are trucks with triangular transit times, so the network has no loops and the engine runs
week-long windows. A regional outage (rate 0.5 a year) hits every seventh family. Deterministic:
the same arguments give the same file.
"""
import argparse


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=1000, help="sites, a multiple of 10 (default 1000)")
    parser.add_argument("--horizon-days", type=int, default=2009, help="horizon, days (default 2009)")
    parser.add_argument("--lots-per-week", type=float, default=3.0, help="lots per week per source (default 3)")
    args = parser.parse_args()
    if args.sites < 10 or args.sites % 10:
        parser.error("--sites must be a positive multiple of 10")
    families = args.sites // 10
    out = []
    w = out.append
    w(f'name: "generated_{args.sites}"')
    w(f'description: "generated network: {families} families of 10 sites (bench/generate_network.py)"')
    w('start_date: "2025-01-01"')
    w(f"horizon_days: {args.horizon_days}")
    w("seed: 1")
    w("replications: 6")
    # Each family's system is installed at its own datacenter; the demand counts family 0's.
    for f in range(families):
        w(f'products {{ name: "part_a_{f}" unit: "lot" }}')
        w(f'products {{ name: "part_b_{f}" unit: "lot" }}')
        w(f'products {{ name: "module_{f}" unit: "module" '
          f'bom {{ product: "part_a_{f}" quantity: 1 }} bom {{ product: "part_b_{f}" quantity: 2 }} }}')
        w(f'products {{ name: "system_{f}" unit: "system" bom {{ product: "module_{f}" quantity: 1 }} }}')
    w(f'demand {{ product: "system_0" target_units: 1000000 }}')
    for f in range(families):
        region = f"R{f % 7}"
        for part in ("a", "b"):
            rate = args.lots_per_week * (1 if part == "a" else 2)
            for k in range(3):
                w(f'sites {{ name: "src_{part}{k}_{f}" company: "c{f % 13}" region: "{region}" '
                  f'product: "part_{part}_{f}" generic {{ lot_size: 1 '
                  f'release {{ lots_per_week {{ steps {{ from_date: "2025-01-01" rate: {rate / 3:.4f} }} }} }} '
                  f'stations {{ name: "s1" servers: 2 process_time_days {{ exponential {{ mean: 2 }} }} }} '
                  f'stations {{ name: "s2" process_time_days {{ triangular {{ min: 0.5 mode: 1 max: 2 }} }} }} '
                  f'yield {{ triangular {{ min: 0.8 mode: 0.9 max: 1 }} }} }} }}')
        for k in range(2):
            w(f'sites {{ name: "mod{k}_{f}" company: "c{f % 11}" region: "{region}" product: "module_{f}" '
              f'generic {{ stations {{ name: "m" servers: 2 process_time_days {{ triangular {{ min: 1 mode: 2 max: 4 }} }} }} }} }}')
        w(f'sites {{ name: "sys_{f}" company: "c{f % 5}" region: "{region}" product: "system_{f}" '
          f'generic {{ stations {{ name: "t" servers: 3 process_time_days {{ triangular {{ min: 0.5 mode: 1 max: 3 }} }} }} }} }}')
        w(f'sites {{ name: "dc_{f}" company: "dc" region: "US" product: "system_{f}" datacenter {{ '
          f'buildings {{ name: "b1" construction_start_date: "2025-01-01" power_mw: 1000 }} '
          f'kw_per_accelerator {{ fixed: 1 }} install_days {{ triangular {{ min: 1 mode: 2 max: 5 }} }} }} }}')
    transit = "transit_days { triangular { min: 1 mode: 3 max: 7 } }"
    for f in range(families):
        for part in ("a", "b"):
            for k in range(3):
                for m in range(2):
                    w(f'lanes {{ from: "src_{part}{k}_{f}" to: "mod{m}_{f}" product: "part_{part}_{f}" '
                      f'share: 0.5 {transit} }}')
        for m in range(2):
            w(f'lanes {{ from: "mod{m}_{f}" to: "sys_{f}" product: "module_{f}" {transit} }}')
        w(f'lanes {{ from: "sys_{f}" to: "dc_{f}" product: "system_{f}" {transit} }}')
    # A regional outage (region R0: every seventh family) with some scrap.
    w('disruptions { name: "regional_outage" region: "R0" rate_per_year: 0.5 '
      'duration_days { triangular { min: 7 mode: 14 max: 30 } } capacity_factor: 0.2 scrap_fraction: 0.05 }')
    print("\n".join(out))


if __name__ == "__main__":
    main()
