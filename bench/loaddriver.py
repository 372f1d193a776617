"""The load generator of bench/load.py: locust, used as a library, in a process of its own.

    python bench/loaddriver.py < spec.json > results.json

bench/load.py starts it once per server it starts (locust patches the standard library for
gevent on import, which must not happen in the process that runs Django). The spec (JSON on
stdin)::

    {"host": "http://127.0.0.1:8123", "timeout": 30.0, "duration": 10.0, "settle": 1.0,
     "connections": [1, 2, 4], "warmup": {"connections": 3, "rounds": 1},
     "drain": {"path": "/alma/api/v2/pages/?limit=1", "connections": 3},
     "endpoints": [{"name": "alma_detail", "urls": ["/alma/api/v2/pages/12/", ...]}, ...]}

Per endpoint, in order: a warm-up pass when ``warmup`` is set, in which that many connections
at once request every URL of the endpoint ``rounds`` times; then one closed loop per level of
``connections``: that many locust users (one HTTP connection each, no wait between requests)
cycling over the URLs, measured for ``duration`` seconds after ``settle`` seconds. Levels go up
without stopping the users already running; after the last, users finish the request they are
in before they stop (at most ``timeout`` + 5 s), and with ``drain`` the driver waits until the
server has worked off what it still holds, so the next endpoint starts on an idle server.

Output (JSON on stdout): ``{"locust": version, "endpoints": {name: {"warmup": {...},
"drain_seconds": s, "levels": [{"connections", "seconds", "requests", "requests_per_second",
"p50_ms", "p99_ms", "mean_ms", "max_ms", "errors": {"non_2xx", "connection", "timeout",
"other"}, "error_total", "status_codes", "response_bytes", "driver_cpu_percent"}]}}}``.
Latencies (milliseconds, from sending the request to the last byte of the body) are of the
successful (2xx) requests that ended in the window; ``requests_per_second`` counts those too.
"""

# locust patches the standard library for gevent when imported: before anything else.
import locust  # noqa: I001

import json
import socket
import sys
import time
from collections import Counter

import gevent
from geventhttpclient.response import HTTPConnectionClosed
from geventhttpclient.useragent import ConnectionError as UserAgentConnectionError
from locust import FastHttpUser, constant, task
from locust.env import Environment

SPAWN_RATE = 100  # users a second; locust warns above 100


def percentile(samples, fraction):
    """Linear interpolation between the closest ranks (as bench/api.py)."""
    ordered = sorted(samples)
    if not ordered:
        return None
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def classify(exception, status):
    """``None`` for a success, else the kind of error: non_2xx, timeout, connection, other."""
    if exception is None and 200 <= status < 300:
        return None
    if isinstance(exception, gevent.Timeout | TimeoutError | socket.timeout):
        return "timeout"
    if status and not 200 <= status < 300:
        return "non_2xx"
    if isinstance(exception, UserAgentConnectionError | HTTPConnectionClosed | OSError):
        # Including a timeout that geventhttpclient wraps into its ConnectionError.
        return "timeout" if "timed out" in str(exception).lower() else "connection"
    return "other"


class Recorder:
    """What the request event reports while ``recording`` is on."""

    def __init__(self):
        self.recording = False
        self.reset()

    def reset(self):
        self.samples = []
        self.errors = Counter()
        self.status_codes = Counter()
        self.bytes = 0
        self.examples = []
        # X-Alma-Cache of the successful responses (hit/miss; "none" when the representation
        # cache did not answer): shows whether a warm run was served from the cache.
        self.cache = Counter()

    def on_request(self, response_time, response_length, response, exception, **_kwargs):
        if not self.recording:
            return
        status = getattr(response, "status_code", 0) or 0
        if status:
            self.status_codes[str(status)] += 1
        kind = classify(exception, status)
        if kind is None:
            self.samples.append(response_time)
            self.bytes += response_length or 0
            headers = getattr(response, "headers", None) or {}
            self.cache[headers.get("X-Alma-Cache") or "none"] += 1
            return
        self.errors[kind] += 1
        if len(self.examples) < 3:
            self.examples.append(f"{kind}: {status or ''} {exception!r}"[:200])

    def result(self, connections, seconds, cpu):
        ok = len(self.samples)
        errors = {kind: self.errors.get(kind, 0) for kind in ("non_2xx", "connection", "timeout")}
        errors["other"] = self.errors.get("other", 0)

        def ms(value):
            return None if value is None else round(value, 1)

        result = {
            "connections": connections,
            "seconds": round(seconds, 2),
            "requests": ok,
            "requests_per_second": round(ok / seconds, 2) if seconds else 0.0,
            "p50_ms": ms(percentile(self.samples, 0.50)),
            "p99_ms": ms(percentile(self.samples, 0.99)),
            "mean_ms": ms(sum(self.samples) / ok) if ok else None,
            "max_ms": ms(max(self.samples)) if ok else None,
            "errors": errors,
            "error_total": sum(errors.values()),
            "status_codes": dict(sorted(self.status_codes.items())),
            "response_bytes": round(self.bytes / ok) if ok else None,
            "representation_cache": dict(sorted(self.cache.items())),
            "driver_cpu_percent": round(cpu, 1) if cpu is not None else None,
        }
        if self.examples:
            result["error_examples"] = self.examples
        return result


def user_class(host, urls, timeout):
    """A locust user that requests ``urls`` in turn (shared turn: round-robin over users)."""
    turn = {"next": 0}

    class Visitor(FastHttpUser):
        wait_time = constant(0)
        network_timeout = timeout
        connection_timeout = timeout
        max_retries = 0

        @task
        def get(self):
            index = turn["next"]
            turn["next"] = index + 1
            self.client.get(urls[index % len(urls)], name="endpoint")

    Visitor.host = host
    Visitor.turn = turn
    return Visitor


def new_runner(visitor, recorder, timeout):
    # stop_timeout: users finish the request they are in when stopped (no killed requests
    # left queued in the server for the next measurement).
    env = Environment(user_classes=[visitor], stop_timeout=timeout + 5, catch_exceptions=True)
    env.events.request.add_listener(recorder.on_request)
    return env.create_local_runner()


def set_users(runner, count):
    runner.start(count, spawn_rate=SPAWN_RATE)
    gevent.sleep(0)
    if runner.spawning_greenlet is not None:
        runner.spawning_greenlet.join()
    while runner.user_count < count:
        gevent.sleep(0.01)


def warm_up(spec, endpoint):
    """Every URL requested ``rounds`` times by ``connections`` connections at once; returns
    what was requested and the errors."""
    connections, rounds = spec["warmup"]["connections"], spec["warmup"]["rounds"]
    urls = endpoint["urls"]
    recorder = Recorder()
    visitor = user_class(spec["host"], urls, spec["timeout"])
    runner = new_runner(visitor, recorder, spec["timeout"])
    target = max(len(urls) * rounds, connections)
    recorder.recording = True
    started = time.perf_counter()
    set_users(runner, connections)
    limit = started + max(60.0, 10 * spec["timeout"])
    while visitor.turn["next"] < target and time.perf_counter() < limit:
        gevent.sleep(0.02)
    runner.stop()
    recorder.recording = False
    runner.quit()
    return {
        "connections": connections,
        "rounds": rounds,
        "requests": len(recorder.samples) + sum(recorder.errors.values()),
        "seconds": round(time.perf_counter() - started, 2),
        "errors": dict(recorder.errors),
        **({"error_examples": recorder.examples} if recorder.examples else {}),
    }


def drive(spec, endpoint):
    """One closed loop per level of ``connections`` on ``endpoint``'s URLs."""
    recorder = Recorder()
    runner = new_runner(
        user_class(spec["host"], endpoint["urls"], spec["timeout"]), recorder, spec["timeout"]
    )
    levels = []
    for connections in spec["connections"]:
        set_users(runner, connections)
        gevent.sleep(spec["settle"])
        recorder.reset()
        recorder.recording = True
        started = time.perf_counter()
        gevent.sleep(spec["duration"])
        recorder.recording = False
        seconds = time.perf_counter() - started
        levels.append(recorder.result(connections, seconds, runner.current_cpu_usage))
        print(
            f"    {endpoint['name']} x{connections}: {levels[-1]['requests_per_second']} req/s, "
            f"p50 {levels[-1]['p50_ms']} ms, p99 {levels[-1]['p99_ms']} ms, "
            f"{levels[-1]['error_total']} errors",
            file=sys.stderr,
            flush=True,
        )
    runner.stop()
    runner.quit()
    return {"levels": levels, "driver_cpu_warning": bool(runner.cpu_warning_emitted)}


def drain(spec):
    """Until the server has worked off what it still holds: requests whose client gave up
    (timeouts) or was stopped are still processed by a sync worker, and would slow the next
    endpoint down. ``connections`` requests of a cheap path at once come back once the
    requests queued before them are done; the seconds it took."""
    import urllib.request  # patched by gevent: the requests below run concurrently

    path, connections = spec["drain"]["path"], spec["drain"]["connections"]
    started = time.perf_counter()

    def one():
        try:
            with urllib.request.urlopen(spec["host"] + path, timeout=600) as response:
                response.read()
        except OSError:
            pass

    gevent.joinall([gevent.spawn(one) for _ in range(connections)], timeout=600)
    return round(time.perf_counter() - started, 2)


def main():
    spec = json.load(sys.stdin)
    output = {"locust": locust.__version__, "endpoints": {}}
    for endpoint in spec["endpoints"]:
        result = {}
        if spec.get("warmup"):
            result["warmup"] = warm_up(spec, endpoint)
        result.update(drive(spec, endpoint))
        if spec.get("drain"):
            result["drain_seconds"] = drain(spec)
        output["endpoints"][endpoint["name"]] = result
    json.dump(output, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
