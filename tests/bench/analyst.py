"""What an analyst would write instead of avrrsim, for `make bench`.

The core model of scenarios/baseline.yaml as a vectorised numpy script,
drawing with numpy's PCG64 and summing per replication: per replication the
uncertain parameters, 36 monthly Poisson counts of 600, arrival days uniform
in their month, detention lengths lognormal (mean 46, sd 85 days) capped at
1,095, removal at the end of an uncapped stay with probability p, AVRR at
intake with probability `uptake` and a gamma processing time (mean 45, sd 20
days); the discounted total cost of each of the three policies (detention
only; AVRR waiting in the community; AVRR waiting in detention). It writes
one row per replication, as an analyst would, and prints
"replications persons seconds" (the whole process's CPU seconds, the import
of numpy included) for tests/bench/bench.sh.

Usage: analyst.py REPLICATIONS OUTPUT.csv
"""
import math
import sys
import time

import numpy as np


def beta_parameters(mean, sd):
    """The a, b of the beta distribution with this mean and sd."""
    common = mean * (1 - mean) / (sd * sd) - 1
    return mean * common, (1 - mean) * common


def simulate(replications, seed=20111212):
    rng = np.random.Generator(np.random.PCG64(seed))
    months, per_month, days_per_month = 36, 600.0, 30.4375
    k = math.log1p(0.03) / 365.25                       # 3% a year, continuous
    sigma = math.sqrt(math.log1p((85.0 / 46.0) ** 2))   # lognormal, mean 46, sd 85
    mu = math.log(46.0) - sigma * sigma / 2
    removal_a, removal_b = beta_parameters(0.3, 0.1)
    uptake_a, uptake_b = beta_parameters(0.10, 0.04)
    gamma_shape, gamma_scale = (45.0 / 20.0) ** 2, 20.0 * 20.0 / 45.0
    removal_cost, avrr_cost, max_days = 14650.0, 3000.0 + 7500.0, 1095.0
    month_start = np.arange(months) * days_per_month
    totals = np.empty((replications, 3))
    persons = 0
    for r in range(replications):
        cost_per_day = rng.triangular(70, 110, 200)
        removal = rng.beta(removal_a, removal_b)
        uptake = rng.beta(uptake_a, uptake_b)
        counts = rng.poisson(per_month, months)
        n = int(counts.sum())
        persons += n
        arrival = np.repeat(month_start, counts) + rng.random(n) * days_per_month
        length = rng.lognormal(mu, sigma, n)
        removed = (rng.random(n) < removal) & (length < max_days)
        end = arrival + np.minimum(length, max_days)
        applies = rng.random(n) < uptake
        at_arrival, at_end = np.exp(-k * arrival), np.exp(-k * end)
        detained = cost_per_day / k * (at_arrival - at_end) + removal_cost * removed * at_end
        ready = arrival[applies] + rng.gamma(gamma_shape, gamma_scale, int(applies.sum()))
        at_ready = np.exp(-k * ready)
        not_applying = detained[~applies].sum()
        in_community = not_applying + avrr_cost * at_ready.sum()
        in_detention = in_community + (cost_per_day / k * (at_arrival[applies] - at_ready)).sum()
        totals[r] = detained.sum(), in_community, in_detention
    return persons, totals


def main():
    replications, output = int(sys.argv[1]), sys.argv[2]
    persons, totals = simulate(replications)
    np.savetxt(output, totals, delimiter=",", fmt="%.15g",
               header="detention_only,avrr_offered,avrr_waiting_in_detention", comments="")
    print(replications, persons, f"{time.process_time():.2f}")


if __name__ == "__main__":
    main()
