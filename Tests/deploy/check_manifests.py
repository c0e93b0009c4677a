"""Validates k8s/ without a cluster: every manifest against the Kubernetes schemas, and what schemas cannot see.

Usage: check_manifests.py REPO_ROOT

- Schemas: kubernetes-validate's strict schemas (unknown fields fail) for each version in KUBERNETES_VERSIONS. A kind
  it has no schema for fails, rather than passing with a warning as the kubernetes-validate command does.
- ServiceMonitor is a CRD: it is validated against the prometheus-operator schema that the PyPI package
  cloudcoil.models.prometheus_operator is generated from, made strict in the same way.
- kustomization.yaml lists every manifest here except the Secret template.
- References the API server would accept but that break the deployment: selectors that match no pod, ports and
  objects that do not exist, ConfigMap and Secret keys that are no setting of the gateway (README.md's table), the
  grace period against DRAIN_TIMEOUT, the ingress annotations event streams need, and placeholders in the template.
"""

import glob
import os
import re
import sys

import jsonschema
import yaml
from kubernetes_validate import utils as kubernetes_validate

# 1.30: the oldest release these manifests claim (topologySpreadConstraints' matchLabelKeys is on by default since
# 1.27); 1.37: the newest kubernetes-validate 1.37.0 ships.
KUBERNETES_VERSIONS = ["1.30", "1.37"]
SECRET_TEMPLATE = "secret.example.yaml"
GATEWAY = "make-mcp-gateway"

failures = []


def expect(condition, message):
    if not condition:
        failures.append(message)
    return condition


def service_monitor_schema():
    from cloudcoil.models.prometheus_operator.v1 import ServiceMonitor

    schema = ServiceMonitor.model_json_schema(by_alias=True)

    def strict(node):
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node and "additionalProperties" not in node:
                node["additionalProperties"] = False
            for value in node.values():
                strict(value)
        elif isinstance(node, list):
            for value in node:
                strict(value)

    strict(schema)
    return schema


CUSTOM_SCHEMAS = {("monitoring.coreos.com/v1", "ServiceMonitor"): service_monitor_schema}


def validate_schema(path, document):
    name = f"{os.path.basename(path)}: {document.get('kind')}/{document.get('metadata', {}).get('name')}"
    key = (document.get("apiVersion"), document.get("kind"))
    if key in CUSTOM_SCHEMAS:
        errors = list(jsonschema.Draft202012Validator(CUSTOM_SCHEMAS[key]()).iter_errors(document))
        for error in errors:
            expect(False, f"{name}: {'.'.join(map(str, error.absolute_path))}: {error.message}")
        return "prometheus-operator CRD schema" if not errors else None
    for version in KUBERNETES_VERSIONS:
        try:
            kubernetes_validate.validate(document, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            expect(False, f"{name} (Kubernetes {version}): {'.'.join(map(str, error.path))}: {error.message}")
            return None
        except kubernetes_validate.SchemaNotFoundError as error:
            expect(False, f"{name}: {error.message}")
            return None
    return "Kubernetes " + " and ".join(KUBERNETES_VERSIONS)


def settings(root):
    readme = open(os.path.join(root, "README.md"), encoding="utf-8").read()
    table = readme[readme.index("<!-- settings:begin"):readme.index("<!-- settings:end -->")]
    return set(re.findall(r"^\| `([A-Z0-9_]+)` \|", table, re.M))


def seconds(duration):
    match = re.fullmatch(r"(\d+)(ms|s|m|h)?", duration.strip())
    if not match:
        return None
    value, unit = int(match.group(1)), match.group(2) or "s"
    return value * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[unit]


def matches(selector, labels):
    return bool(selector) and all(labels.get(key) == value for key, value in selector.items())


def check_references(documents, root):
    def find(kind, name):
        return next((d for d in documents if d["kind"] == kind and d["metadata"]["name"] == name), None)

    deployment = find("Deployment", GATEWAY)
    if not expect(deployment, f"no Deployment {GATEWAY}"):
        return
    pod = deployment["spec"]["template"]
    pod_labels = pod["metadata"]["labels"]
    container = pod["spec"]["containers"][0]
    container_ports = {port.get("name"): port["containerPort"] for port in container.get("ports", [])}
    expect(deployment["spec"].get("replicas") == 3, "Deployment: 3 replicas expected")
    expect(matches(deployment["spec"]["selector"]["matchLabels"], pod_labels),
           "Deployment: its selector does not match its pod template's labels")
    spread = [c["topologyKey"] for c in pod["spec"].get("topologySpreadConstraints", [])]
    anti = pod["spec"].get("affinity", {}).get("podAntiAffinity")
    expect("kubernetes.io/hostname" in spread or anti, "Deployment: replicas are not spread across nodes")

    def probe_path(kind):
        return container.get(kind, {}).get("httpGet", {}).get("path")

    expect(probe_path("livenessProbe") == "/health/live", "Deployment: the liveness probe must GET /health/live")
    expect(probe_path("readinessProbe") == "/health/ready", "Deployment: the readiness probe must GET /health/ready")
    expect("startupProbe" in container, "Deployment: no startup probe")
    resources = container.get("resources", {})
    expect(all(k in resources.get(part, {}) for part in ("requests", "limits") for k in ("cpu", "memory")),
           "Deployment: cpu and memory requests and limits are all needed")

    known = settings(root)
    sources = []
    for source in container.get("envFrom", []):
        for kind, field in (("ConfigMap", "configMapRef"), ("Secret", "secretRef")):
            if field in source:
                found = find(kind, source[field]["name"])
                if expect(found, f"Deployment: envFrom names {kind} {source[field]['name']}, which is nowhere in k8s/"):
                    sources.append(found)
    expect({d["kind"] for d in sources} == {"ConfigMap", "Secret"},
           "Deployment: settings must come from a ConfigMap and a Secret (envFrom)")
    environment = {}
    for source in sources:
        keys = {**source.get("data", {}), **source.get("stringData", {})}
        for key in keys:
            expect(key in known, f"{source['kind']} {source['metadata']['name']}: {key} is not a gateway setting "
                                 "(README.md, Configuration)")
            expect(key not in environment, f"{key} is set by both the ConfigMap and the Secret")
        environment.update(keys)
    expect("REDIS_URL" not in environment or "@" not in environment["REDIS_URL"]
           or any(d["kind"] == "Secret" and "REDIS_URL" in d.get("stringData", {}) for d in sources),
           "REDIS_URL carries a password, so it belongs in the Secret")
    drain = seconds(environment.get("DRAIN_TIMEOUT", "25s"))
    grace = pod["spec"].get("terminationGracePeriodSeconds", 30)
    expect(drain is not None and grace > drain,
           f"Deployment: terminationGracePeriodSeconds ({grace}) must exceed DRAIN_TIMEOUT ({drain} s)")
    expect(str(container_ports.get("http")) == environment.get("PORT", "8080"),
           "Deployment: the container port named http must be the ConfigMap's PORT")
    expect(environment.get("HOST") == "0.0.0.0", "ConfigMap: HOST must be 0.0.0.0 in a pod")

    service = find("Service", GATEWAY)
    if expect(service, f"no Service {GATEWAY}"):
        expect(matches(service["spec"]["selector"], pod_labels), "Service: its selector matches no gateway pod")
        expect(service["spec"].get("sessionAffinity", "None") == "None", "Service: no session affinity, please")
        for port in service["spec"]["ports"]:
            expect(port["targetPort"] in container_ports or port["targetPort"] in container_ports.values(),
                   f"Service: targetPort {port['targetPort']} is no container port")
        service_ports = {port.get("name") for port in service["spec"]["ports"]}

        monitor = find("ServiceMonitor", GATEWAY)
        if expect(monitor, f"no ServiceMonitor {GATEWAY}"):
            expect(matches(monitor["spec"]["selector"]["matchLabels"], service["metadata"]["labels"]),
                   "ServiceMonitor: its selector matches no Service")
            for endpoint in monitor["spec"]["endpoints"]:
                expect(endpoint.get("port") in service_ports, f"ServiceMonitor: port {endpoint.get('port')} is "
                                                              "no port name of the Service")
                expect(endpoint.get("path") == "/metrics", "ServiceMonitor: the path must be /metrics")

        ingress = find("Ingress", GATEWAY)
        if expect(ingress, f"no Ingress {GATEWAY}"):
            annotations = ingress["metadata"].get("annotations", {})
            prefix = "nginx.ingress.kubernetes.io/"
            expect(annotations.get(prefix + "proxy-buffering") == "off", "Ingress: proxy-buffering must be off")
            for timeout in ("proxy-read-timeout", "proxy-send-timeout"):
                expect(int(annotations.get(prefix + timeout, "0")) >= 3600, f"Ingress: {timeout} must be >= 3600")
            expect(annotations.get(prefix + "proxy-http-version", "1.1") == "1.1", "Ingress: HTTP/1.1 upstream")
            expect(not any(key.startswith(prefix + "affinity") or key.startswith(prefix + "session-cookie")
                           for key in annotations), "Ingress: no session affinity, please")
            for rule in ingress["spec"]["rules"]:
                for path in rule["http"]["paths"]:
                    backend = path["backend"]["service"]
                    expect(backend["name"] == GATEWAY and backend["port"].get("name") in service_ports,
                           f"Ingress: backend {backend} is not the gateway Service's port")

    hpa = find("HorizontalPodAutoscaler", GATEWAY)
    if expect(hpa, f"no HorizontalPodAutoscaler {GATEWAY}"):
        target = hpa["spec"]["scaleTargetRef"]
        expect((target["kind"], target["name"]) == ("Deployment", GATEWAY), "HPA: it must scale the Deployment")
        expect(hpa["spec"].get("minReplicas", 1) >= 2, "HPA: minReplicas below 2 leaves no replica during a restart")
    pdb = find("PodDisruptionBudget", GATEWAY)
    if expect(pdb, f"no PodDisruptionBudget {GATEWAY}"):
        expect(matches(pdb["spec"]["selector"]["matchLabels"], pod_labels), "PDB: its selector matches no pod")
    policy = find("NetworkPolicy", GATEWAY)
    if expect(policy, f"no NetworkPolicy {GATEWAY}"):
        expect(matches(policy["spec"]["podSelector"]["matchLabels"], pod_labels),
               "NetworkPolicy: its podSelector matches no gateway pod")
    expect(find("StatefulSet", "redis"), "no Redis StatefulSet")


def main():
    root = sys.argv[1]
    directory = os.path.join(root, "k8s")
    documents, files = [], sorted(glob.glob(os.path.join(directory, "*.yaml")))
    for path in files:
        if os.path.basename(path) == "kustomization.yaml":
            continue
        for document in yaml.safe_load_all(open(path, encoding="utf-8")):
            if not document:
                continue
            document["__file"] = os.path.basename(path)
            documents.append(document)
    for document in documents:
        path = document.pop("__file")
        validated = validate_schema(path, document)
        if validated:
            print(f"  {path}: {document['kind']}/{document['metadata']['name']} valid ({validated})")
        document["__file"] = path

    kustomization = yaml.safe_load(open(os.path.join(directory, "kustomization.yaml"), encoding="utf-8"))
    listed = set(kustomization.get("resources", []))
    present = {os.path.basename(path) for path in files} - {"kustomization.yaml"}
    expect(not listed - present, f"kustomization.yaml lists missing files: {sorted(listed - present)}")
    expect(not present - listed - {SECRET_TEMPLATE},
           f"kustomization.yaml does not list {sorted(present - listed - {SECRET_TEMPLATE})}")
    expect(SECRET_TEMPLATE not in listed, f"kustomization.yaml must not apply the placeholders of {SECRET_TEMPLATE}")
    namespace = kustomization.get("namespace")
    for document in documents:
        if document["kind"] != "Namespace":
            expect(document["metadata"].get("namespace") == namespace,
                   f"{document['__file']}: {document['kind']}/{document['metadata']['name']} is not in {namespace}")
    images = {image["name"] for image in kustomization.get("images", [])}
    for document in documents:
        for container in document.get("spec", {}).get("template", {}).get("spec", {}).get("containers", []):
            if container["name"] == "gateway":
                expect(container["image"].split(":")[0] in images,
                       "kustomization.yaml: images: does not name the gateway's image")
        if document["__file"] == SECRET_TEMPLATE:
            for key, value in document.get("stringData", {}).items():
                expect("REPLACE_WITH" in value, f"{SECRET_TEMPLATE}: {key} must hold a placeholder, not a value")
            expect("data" not in document, f"{SECRET_TEMPLATE}: placeholders go in stringData, not data")

    check_references(documents, root)
    for message in failures:
        print(f"  FAIL {message}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
