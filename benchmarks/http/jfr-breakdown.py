#!/usr/bin/env python3
"""Breaks a service's JFR CPU samples (jdk.ExecutionSample) down by request-path stage.

Usage: jfr-breakdown.py <recording.jfr>...  (recordings from run.sh with HARNESS_OPTS=-Dharness.jfr=<dir>)
A sample counts for the first stage, from the top of its stack, whose marker its frames contain; threads that
only export spans or write logs count as their own stages.
"""
import collections
import re
import subprocess
import sys

STAGES = [  # (frame marker, stage), checked from the top frame down
    ("SecretMasker", "log: masking"),
    ("TelemetryAsyncAppender.append", "log: append on the request thread (snapshot, hand-off)"),
    ("ch.qos.logback", "log: logback on the request thread"),
    ("net.logstash", "log: encode on the request thread"),
    ("io.prometheus", "metrics: Prometheus client"),
    ("io.micrometer", "metrics: Micrometer (timer, histogram, exemplar)"),
    ("io.opentelemetry.sdk.trace", "span: SDK start/end"),
    ("io.opentelemetry.instrumentation", "span: instrumenter (attributes, semconv)"),
    ("io.opentelemetry.javaagent", "span: agent instrumentation"),
    ("io.opentelemetry.context", "context: OpenTelemetry context"),
    ("io.opentelemetry", "span: other OpenTelemetry"),
    ("io.github.telemetrybootstrap", "ours: filter, request id, tenant, context"),
    ("sun.net.httpserver", "JDK HTTP server"),
]


def stage(thread, frames):
    stack = " ".join(frames)
    if "telemetry-log-writer" in thread:
        return "log writer thread: " + ("masking" if "SecretMasker" in stack else "encode and write")
    if "BatchSpanProcessor" in thread or "okhttp" in thread.lower():
        return "span export threads (batch, protobuf, OkHttp)"
    for frame in frames:
        for marker, name in STAGES:
            if marker in frame:
                return name
    return "other (" + re.sub(r"\d+", "N", thread) + ")"


for path in sys.argv[1:]:
    text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "96", path],
                          check=True, capture_output=True, text=True).stdout
    samples = text.split("jdk.ExecutionSample {")[1:]
    counts = collections.Counter()
    for s in samples:
        m = re.search(r'sampledThread = "([^"]*)"', s)
        counts[stage(m.group(1) if m else "?", re.findall(r"^\s+([\w.$<>/]+)\(", s, re.M))] += 1
    print(f"{path}: {len(samples)} samples")
    for name, n in counts.most_common():
        print(f"  {100 * n / len(samples):5.1f} %  {name}")
