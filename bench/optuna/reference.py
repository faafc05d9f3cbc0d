"""Re-measure the Optuna 3.1 reference figures on this machine, for a side-by-side check of bench/samplers.

Needs Debian's python3-optuna 3.1.0 (`apt-get install python3-optuna`); not part of CI.
Run: /usr/bin/python3 bench/optuna/reference.py [--seeds 10] [--trials 100]
"""
import argparse
import math

import numpy as np
import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)


def branin(t):
    x, y = t.suggest_float("x0", -5, 10), t.suggest_float("x1", 0, 15)
    return (y - 5.1 / (4 * math.pi**2) * x**2 + 5 / math.pi * x - 6) ** 2 + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x) + 10


def rosenbrock4(t):
    x = [t.suggest_float(f"x{i}", -5, 10) for i in range(4)]
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(3))


def ackley5(t):
    x = [t.suggest_float(f"x{i}", -32.768, 32.768) for i in range(5)]
    s1, s2 = sum(v * v for v in x), sum(math.cos(2 * math.pi * v) for v in x)
    return -20 * math.exp(-0.2 * math.sqrt(s1 / 5)) - math.exp(s2 / 5) + 20 + math.e


def logscale(t):
    lr = t.suggest_float("lr", 1e-5, 1, log=True)
    wd = t.suggest_float("wd", 1e-7, 1e-1, log=True)
    c = t.suggest_float("c", 1e-3, 1e3, log=True)
    return (math.log10(lr) + 2.5) ** 2 + 0.5 * (math.log10(wd) + 4) ** 2 + 0.25 * (math.log10(c) - 1.3) ** 2


PROBLEMS = {"branin": (branin, 0.397887), "rosenbrock4": (rosenbrock4, 0.0), "ackley5": (ackley5, 0.0), "logscale": (logscale, 0.0)}

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--trials", type=int, default=100)
    args = parser.parse_args()
    print(f"optuna {optuna.__version__}; TPE (default); median final regret [IQR] over {args.seeds} seeds")
    for name, (f, optimum) in PROBLEMS.items():
        regrets = []
        for seed in range(args.seeds):
            study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
            study.optimize(f, n_trials=args.trials)
            regrets.append(study.best_value - optimum)
        q1, med, q3 = np.percentile(regrets, [25, 50, 75])
        print(f"{name}: {med:.4g} [{q1:.4g}..{q3:.4g}]")
