"""Production settings plus a trivial view, for bench/throughput.py only (never deployed)."""

from agentops_web.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"
