#!/usr/bin/env python3
"""Summarise criterion's estimates into one JSON document: median time and throughput per benchmark."""
import json
import os
import sys

root = sys.argv[1]
out = {}
for dirpath, _dirs, files in os.walk(root):
    if os.path.basename(dirpath) != "new" or "estimates.json" not in files:
        continue
    bench_dir = os.path.dirname(dirpath)
    name = os.path.relpath(bench_dir, root)
    with open(os.path.join(dirpath, "estimates.json")) as f:
        est = json.load(f)
    entry = {"median_ns": est["median"]["point_estimate"]}
    bench_file = os.path.join(dirpath, "benchmark.json")
    if os.path.exists(bench_file):
        with open(bench_file) as f:
            meta = json.load(f)
        tp = meta.get("throughput") or {}
        if "ElementsAndBytes" in tp:  # criterion's combined form: report both rates
            tp = {"Elements": tp["ElementsAndBytes"]["elements"], "Bytes": tp["ElementsAndBytes"]["bytes"]}
        if "Elements" in tp:
            entry["elements"] = tp["Elements"]
            entry["elements_per_s"] = tp["Elements"] / (entry["median_ns"] / 1e9)
        if "Bytes" in tp:
            entry["bytes"] = tp["Bytes"]
            entry["bytes_per_s"] = tp["Bytes"] / (entry["median_ns"] / 1e9)
    out[name] = entry
json.dump(out, sys.stdout, indent=2, sort_keys=True)
print()
