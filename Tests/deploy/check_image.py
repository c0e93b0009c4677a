"""Checks the Dockerfile without a Docker engine: its shape, and its runtime packages against the binary's libraries.

Usage: check_image.py REPO_ROOT BINARY

The runtime stage installs Debian packages by name; this check maps every shared library `ldd` reports for BINARY to
the Debian package that ships it (`dpkg -S`) on this Debian 12 machine, the release of debian:bookworm-slim, and
fails unless the Dockerfile's install line is exactly the packages the binary links directly (plus ca-certificates),
less those debian:bookworm-slim already has, and everything else ldd lists comes with them.

BINARY may be a debug build, as `make test` has: it links the Swift runtime from the toolchain dynamically, where the
image's `make release-static` build links it in. Libraries under the toolchain are therefore set aside (their own
system dependencies, such as libstdc++, still count, because the static runtime needs them too); the C libraries are
the same in both builds. Given a --static-swift-stdlib build, the check insists that nothing comes from the toolchain.
"""

import json
import os
import re
import shutil
import subprocess
import sys

RUNTIME_IMAGE = "debian:bookworm-slim"
BUILD_IMAGE = "swift:6.3-bookworm"
# Not a library: libcurl verifies Make's certificates against the bundle in /etc/ssl/certs.
NON_LIBRARY_PACKAGES = {"ca-certificates"}


class Failures:
    def __init__(self):
        self.messages = []

    def check(self, condition, message):
        if not condition:
            self.messages.append(message)
        return condition


def logical_lines(path):
    """Dockerfile instructions with continuations joined and comments dropped."""
    lines, current = [], ""
    for raw in open(path, encoding="utf-8"):
        stripped = raw.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        current += stripped
        lines.append(current)
        current = ""
    if current:
        lines.append(current)
    return lines


def stages(path):
    result = []
    for line in logical_lines(path):
        instruction, _, rest = line.partition(" ")
        instruction = instruction.upper()
        if instruction == "FROM":
            words = rest.split()
            result.append({"image": words[0], "name": words[2] if len(words) > 2 else None, "lines": []})
        elif result:
            result[-1]["lines"].append((instruction, rest.strip()))
    return result


def exec_form(argument):
    """The JSON array of an exec-form instruction, or None for shell form."""
    try:
        value = json.loads(argument)
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, list) and all(isinstance(item, str) for item in value) else None


def apt_packages(stage):
    packages = []
    for instruction, rest in stage["lines"]:
        if instruction != "RUN":
            continue
        for command in re.split(r"&&|;", rest):
            words = command.split()
            if len(words) >= 2 and words[0] in ("apt-get", "apt") and "install" in words:
                after = words[words.index("install") + 1:]
                packages += [word for word in after if not word.startswith("-")]
    return packages


def check_dockerfile(root, failures):
    dockerfile = os.path.join(root, "Dockerfile")
    all_stages = stages(dockerfile)
    if not failures.check(len(all_stages) >= 2, "Dockerfile: expected a build stage and a runtime stage"):
        return None
    build, runtime = all_stages[0], all_stages[-1]
    failures.check(build["image"] == BUILD_IMAGE, f"Dockerfile: the build stage must be FROM {BUILD_IMAGE}")
    failures.check(runtime["image"] == RUNTIME_IMAGE, f"Dockerfile: the runtime stage must be FROM {RUNTIME_IMAGE}")
    build_runs = " ".join(rest for instruction, rest in build["lines"] if instruction == "RUN")
    failures.check("make release-static" in build_runs,
                   "Dockerfile: the build stage must run `make release-static`, the target a developer runs")
    makefile = open(os.path.join(root, "Makefile"), encoding="utf-8").read()
    failures.check(re.search(r"^release-static: override SWIFT_BUILD_FLAGS \+= --static-swift-stdlib$", makefile, re.M),
                   "Makefile: release-static must add --static-swift-stdlib to the release build")

    def last(name):
        values = [rest for instruction, rest in runtime["lines"] if instruction == name]
        return values[-1] if values else None

    user = last("USER")
    failures.check(user is not None and re.fullmatch(r"[1-9][0-9]*(:[1-9][0-9]*)?", user),
                   f"Dockerfile: the runtime stage must end with a numeric non-root USER, not {user!r}")
    entrypoint = exec_form(last("ENTRYPOINT") or "")
    failures.check(entrypoint == ["/usr/local/bin/make-mcp-gateway"],
                   "Dockerfile: ENTRYPOINT must be the exec form [\"/usr/local/bin/make-mcp-gateway\"] (no shell)")
    cmd = last("CMD")
    failures.check(cmd is None or exec_form(cmd) is not None, "Dockerfile: CMD must be in exec form (no shell)")
    healthcheck = last("HEALTHCHECK") or ""
    _, _, probe = healthcheck.partition("CMD ")
    probe = exec_form(probe.strip())
    failures.check(probe is not None, "Dockerfile: HEALTHCHECK must be `CMD [...]` in exec form (no shell)")
    copies = " ".join(rest for instruction, rest in runtime["lines"] if instruction == "COPY")
    if probe:
        failures.check(probe[0] in copies, f"Dockerfile: the HEALTHCHECK program {probe[0]} is never copied in")
    failures.check("/usr/local/bin/make-mcp-gateway" in copies, "Dockerfile: the gateway binary is never copied in")
    failures.check(last("EXPOSE") == "8080", "Dockerfile: EXPOSE 8080 is missing")
    failures.check(last("STOPSIGNAL") == "SIGTERM", "Dockerfile: STOPSIGNAL SIGTERM is missing")
    environment = " ".join(rest for instruction, rest in runtime["lines"] if instruction == "ENV")
    failures.check(re.search(r"(^|\s)HOST=0\.0\.0\.0(\s|$)", environment), "Dockerfile: ENV HOST=0.0.0.0 is missing")

    ignored = {line.strip() for line in open(os.path.join(root, ".dockerignore"), encoding="utf-8")}
    for pattern in (".build*", ".git", "**/.venv", "**/venv"):
        failures.check(pattern in ignored, f".dockerignore: {pattern} is missing")

    packages = apt_packages(runtime)
    failures.check(packages, "Dockerfile: the runtime stage installs no packages with apt-get install")
    return packages


def run(arguments):
    return subprocess.run(arguments, check=True, capture_output=True, text=True).stdout


def ldd(binary):
    libraries, missing = {}, []
    for line in run(["ldd", binary]).splitlines():
        line = line.strip()
        if "=>" in line:
            name, _, target = line.partition("=>")
            target = target.strip()
            if target.startswith("not found"):
                missing.append(name.strip())
            elif target.split():
                libraries[name.strip()] = target.split()[0]
        elif line.startswith("/"):
            path = line.split()[0]
            libraries[os.path.basename(path)] = path
    return libraries, missing


def needed(path):
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", run(["readelf", "-d", path]))


def package_of(path):
    candidates = [path, os.path.realpath(path)]
    for candidate in list(candidates):
        if candidate.startswith("/usr/"):
            candidates.append(candidate[len("/usr"):])
        else:
            candidates.append("/usr" + candidate)
    for candidate in candidates:
        result = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if result.returncode == 0:
            return result.stdout.split(":")[0].strip()
    return None


def installed_packages():
    """Installed packages with their Essential flag, Priority and dependency names."""
    output = run(["dpkg-query", "-W", "-f",
                  "${Package}\t${db:Status-Abbrev}\t${Essential}\t${Priority}\t${Pre-Depends}, ${Depends}\n"])
    packages = {}
    for line in output.splitlines():
        name, status, essential, priority, depends = (line.split("\t") + [""] * 5)[:5]
        if not status.startswith("ii"):
            continue
        alternatives = []
        for clause in depends.split(","):
            names = [re.sub(r"[:(].*", "", option).strip() for option in clause.split("|")]
            names = [name for name in names if name]
            if names:
                alternatives.append(names)
        packages[name] = {"base": essential == "yes" or priority == "required", "depends": alternatives}
    return packages


def closure(roots, packages):
    seen, stack = set(), list(roots)
    while stack:
        name = stack.pop()
        if name in seen or name not in packages:
            continue
        seen.add(name)
        for options in packages[name]["depends"]:
            stack += [option for option in options if option in packages]
    return seen


def check_libraries(binary, declared, failures):
    release = dict(line.rstrip("\n").split("=", 1) for line in open("/etc/os-release") if "=" in line)
    if not failures.check(release.get("VERSION_CODENAME", "").strip('"') == "bookworm",
                          "the library check maps libraries to Debian 12 (bookworm) packages, the release of "
                          f"{RUNTIME_IMAGE}; run it on Debian 12"):
        return
    toolchain = os.path.dirname(os.path.dirname(os.path.realpath(shutil.which("swift") or "/nonexistent/bin/swift")))
    libraries, missing = ldd(binary)
    failures.check(not missing, f"{binary}: ldd finds no {', '.join(missing)}")

    def in_toolchain(path):
        return os.path.realpath(path).startswith(toolchain + os.sep)

    swift_runtime = sorted(name for name, path in libraries.items() if in_toolchain(path))
    static = not swift_runtime
    print(f"  {binary}: {len(libraries)} shared libraries; Swift runtime "
          + ("linked in (no library from the toolchain)" if static else
             f"from the toolchain ({len(swift_runtime)} libraries, set aside: the image's build links them in)"))

    # What the binary links directly: its own NEEDED entries, and those of the Swift runtime libraries, which a
    # --static-swift-stdlib build carries inside the binary.
    direct = set(needed(binary))
    for name in swift_runtime:
        direct |= set(needed(libraries[name]))
    direct = {name for name in direct if name in libraries and not in_toolchain(libraries[name])}

    packages = installed_packages()
    base = closure([name for name, info in packages.items() if info["base"]], packages)
    by_library = {}
    for name, path in libraries.items():
        if in_toolchain(path):
            continue
        package = package_of(path)
        if failures.check(package, f"{path} (from ldd) belongs to no Debian package"):
            by_library[name] = package
    direct_packages = {by_library[name] for name in direct if name in by_library}
    needed_packages = direct_packages - base
    installed = set(declared) - NON_LIBRARY_PACKAGES

    for name in sorted(direct):
        package = by_library.get(name, "?")
        where = "in debian:bookworm-slim" if package in base else "installed by the Dockerfile"
        print(f"    {name:28} {package:18} {where}")
    failures.check(not needed_packages - installed,
                   "Dockerfile: the binary links libraries of " + ", ".join(sorted(needed_packages - installed))
                   + " but the runtime stage does not install them")
    failures.check(not installed - needed_packages,
                   "Dockerfile: the runtime stage installs " + ", ".join(sorted(installed - needed_packages))
                   + ", whose libraries the binary does not link (or that debian:bookworm-slim already has)")
    failures.check(NON_LIBRARY_PACKAGES <= set(declared),
                   "Dockerfile: ca-certificates is missing (libcurl verifies Make's TLS with it)")
    unknown = [package for package in declared if package not in packages]
    failures.check(not unknown, f"Dockerfile: {', '.join(unknown)} is not an installed Debian 12 package here")
    available = closure(set(declared) | base, packages)
    indirect = set(by_library.values()) - available
    failures.check(not indirect, "ldd lists libraries of " + ", ".join(sorted(indirect))
                   + ", which neither the installed packages' dependencies nor debian:bookworm-slim bring")


def main():
    root, binary = sys.argv[1], sys.argv[2]
    failures = Failures()
    declared = check_dockerfile(root, failures)
    if not os.access(binary, os.X_OK):
        failures.check(False, f"{binary} is not an executable: build it first (make build)")
    elif declared:
        print("  runtime stage installs: " + " ".join(declared))
        check_libraries(binary, declared, failures)
    for message in failures.messages:
        print(f"  FAIL {message}")
    return 1 if failures.messages else 0


if __name__ == "__main__":
    sys.exit(main())
