"""Runs checkov and fails on any finding that is neither fixed nor skipped with a reason in the scanned file.

Usage: check_checkov.py CHECKOV_ARGUMENTS...   (for example: --framework dockerfile -f Dockerfile)

checkov reports severities only when it is connected to Prisma Cloud; run offline (--skip-download, as here) every
severity is unknown, so every failed check counts as HIGH. A skip is explained in the file it applies to:
`# checkov:skip=CKV_DOCKER_2: reason` in a Dockerfile, a `checkov.io/skipN: CKV_K8S_43=reason` annotation in a
manifest. A skip without a reason fails too.
"""

import json
import os
import subprocess
import sys

BLOCKING = {None, "HIGH", "CRITICAL"}
NO_REASON = {"", "No comment provided"}


def main():
    checkov = os.path.join(os.path.dirname(sys.executable), "checkov")
    command = [checkov, *sys.argv[1:], "--skip-download", "--output", "json"]
    run = subprocess.run(command, capture_output=True, text=True)
    try:
        reports = json.loads(run.stdout)
    except json.JSONDecodeError:
        print(f"  FAIL checkov gave no JSON report (exit {run.returncode}):\n{run.stderr[-2000:]}")
        return 1
    reports = reports if isinstance(reports, list) else [reports]
    failures, scanned = [], 0
    for report in reports:
        summary = report.get("summary", report)
        scanned += summary.get("resource_count", 0)
        if summary.get("parsing_errors"):
            failures.append(f"checkov could not parse {summary['parsing_errors']} file(s)")
        results = report.get("results", {})
        for check in results.get("failed_checks", []):
            where = f"{check['file_path'].lstrip('/')}:{check['file_line_range'][0]} {check['resource']}"
            message = f"{check['check_id']} {check['check_name']} ({where}, severity {check['severity'] or 'unknown'})"
            if check["severity"] in BLOCKING:
                failures.append(message + ": fix it, or skip it in the file with the reason")
            else:
                print(f"  note {message}")
        for check in results.get("skipped_checks", []):
            reason = (check.get("check_result", {}).get("suppress_comment") or "").strip()
            if reason in NO_REASON:
                failures.append(f"{check['check_id']} is skipped for {check['resource']} without a reason")
            else:
                print(f"  skipped {check['check_id']} for {check['resource']}: {reason}")
        print(f"  checkov {report.get('check_type', '?')}: {summary.get('passed', 0)} passed, "
              f"{summary.get('failed', 0)} failed, {summary.get('skipped', 0)} skipped")
    if not scanned:
        failures.append("checkov found nothing to scan")
    for message in failures:
        print(f"  FAIL {message}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
