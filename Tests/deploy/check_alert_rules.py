"""What promtool does not check in deploy/prometheus-rules.yml: the metric contract and the shape of every alert.

Usage: check_alert_rules.py RULES TESTS

- Every metric an expression names is one the gateway's /metrics exposes (METRICS: the names and labels agreed for
  it), and every label matcher uses one of that metric's labels or a label Prometheus adds at scrape time; so a typo
  cannot leave an alert silently matching nothing. Every agreed metric is watched by some alert.
- Every alert has `for:`, a severity label, and summary, description and runbook annotations.
- Every alert fires in at least one case of the promtool unit tests (TESTS).
"""

import re
import sys

import yaml

METRICS = {
    "mcpgw_http_requests_total": {"route", "method", "status_class"},
    "mcpgw_http_request_duration_seconds_bucket": {"route", "le"},
    "mcpgw_redis_up": set(),
    "mcpgw_make_circuit_open": {"zone"},
    "mcpgw_rate_limit_rejections_total": {"limit"},
    "mcpgw_make_outbound_rejections_total": set(),
    "mcpgw_ready": set(),
    "mcpgw_build_info": {"version"},
}
# Added by Prometheus and the ServiceMonitor when a replica is scraped.
TARGET_LABELS = {"job", "instance", "namespace", "pod", "service", "endpoint", "container"}
SEVERITIES = {"critical", "warning", "info"}


def main():
    rules_path, tests_path = sys.argv[1], sys.argv[2]
    failures = []
    groups = yaml.safe_load(open(rules_path))["groups"]
    alerts = [rule for group in groups for rule in group["rules"] if "alert" in rule]
    watched = set()
    for alert in alerts:
        name, expr = alert["alert"], alert["expr"]
        for metric, selector in re.findall(r"\b(mcpgw_[a-z0-9_]+)(\{[^}]*\})?", expr):
            if metric not in METRICS:
                failures.append(f"{name}: {metric} is not a metric of the gateway ({', '.join(sorted(METRICS))})")
                continue
            watched.add(metric)
            for label in re.findall(r"([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)", selector):
                if label not in METRICS[metric] | TARGET_LABELS:
                    failures.append(f"{name}: {metric} has no label {label}")
        if "for" not in alert:
            failures.append(f"{name}: no `for:`, so one bad scrape pages")
        if alert.get("labels", {}).get("severity") not in SEVERITIES:
            failures.append(f"{name}: severity label must be one of {sorted(SEVERITIES)}")
        for annotation in ("summary", "description", "runbook"):
            if not alert.get("annotations", {}).get(annotation, "").strip():
                failures.append(f"{name}: no {annotation} annotation")
    for metric in sorted(set(METRICS) - watched):
        failures.append(f"no alert watches {metric}")
    if not any("histogram_quantile(0.95" in alert["expr"] for alert in alerts):
        failures.append("no alert on p95 latency")

    tested = set()
    for case in yaml.safe_load(open(tests_path))["tests"]:
        for check in case.get("alert_rule_test", []):
            if check.get("exp_alerts"):
                tested.add(check["alertname"])
    for alert in alerts:
        if alert["alert"] not in tested:
            failures.append(f"{alert['alert']}: no promtool test expects it to fire")

    print(f"  {len(alerts)} alerts; metrics watched: {', '.join(sorted(watched))}")
    for message in failures:
        print(f"  FAIL {message}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
