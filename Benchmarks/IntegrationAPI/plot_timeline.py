"""Plots latency over time (p50, p99, max per 100 ms) from a `sconto bench-load --timeline` CSV."""
import csv
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

source, target, title = sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else ""
rows = list(csv.DictReader(open(source)))
start = [float(row["start_s"]) for row in rows]
figure, axis = plt.subplots(figsize=(9, 4))
for column, style, label in (("max_ms", "tab:gray", "max"), ("p99_ms", "tab:red", "p99"), ("p50_ms", "tab:blue", "p50")):
    axis.plot(start, [float(row[column]) for row in rows], color=style, linewidth=0.8, label=label)
axis.set_yscale("log")
axis.set_xlabel("seconds into the run (one point per 100 ms)")
axis.set_ylabel("latency (ms, log)")
axis.legend(loc="upper right")
figure.suptitle(title or "Sconto: latency over time")
figure.tight_layout()
figure.savefig(target, dpi=110)
print(f"wrote {target}")
