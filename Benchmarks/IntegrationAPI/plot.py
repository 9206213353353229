"""Plots throughput and p99 latency against the number of campaigns from .bench/results-*.json."""
import glob
import json
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

results = sorted((json.load(open(path)) for path in glob.glob(f"{sys.argv[1]}/results-*.json")),
                 key=lambda r: r["campaigns"])
results = [r for r in results if r["coupons"] == results[0]["coupons"]]
campaigns = [r["campaigns"] for r in results]
figure, throughput = plt.subplots(figsize=(7, 4))
throughput.plot(campaigns, [r["saturation"]["rps"] for r in results], "o-", color="tab:blue", label="req/s at saturation")
throughput.set_xscale("log")
throughput.set_xlabel("campaigns")
throughput.set_ylabel("requests per second", color="tab:blue")
latency = throughput.twinx()
latency.plot(campaigns, [r["half"]["p99_ms"] for r in results], "s--", color="tab:red", label="p99 at 50 % load (open loop)")
latency.set_ylabel("p99 latency (ms) at 50 % load", color="tab:red")
figure.suptitle("Sconto: PUT /v2/customer_sessions mix, 2 cores, SQLite")
figure.tight_layout()
figure.savefig(sys.argv[2], dpi=110)
print(f"wrote {sys.argv[2]}")
