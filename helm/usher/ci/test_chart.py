#!/usr/bin/env python3
"""The Helm chart's tests, with real Helm and offline.

Helm itself comes from helm-python-sdk (module helm_python: Helm v4's library behind a C ABI, no
binary), the Kubernetes API schemas from kubernetes-validate; both pinned in requirements.txt and
installed by run.sh. Every check below is a function named for what it holds; each runs once,
and the script fails (exit status 1) if any of them fails, after running all of them.

- the chart lints cleanly (strict: warnings fail) with every values file in ci/values/;
- every values file renders, and each renders what it is there for;
- every rendered core manifest is valid for the three newest Kubernetes minor versions
  kubernetes-validate ships (strict: unknown fields fail);
- the custom resources (ServiceMonitor, PrometheusRule, HTTPRoute) match ci/schemas/;
- the pods are hardened, the drain arithmetic holds, and every environment variable the chart
  sets is a setting usher has (from `usher serve --help` and `usher backends --help`);
- values.schema.json (and the chart's own checks) refuse bad values, with the error naming them;
- every metric named by the alerts and the dashboard is in a running usher's /metrics;
- the Dockerfile's user, entrypoint and port are the chart's, and usher started from the image's
  files (docker/build.sh rootfs) as the chart starts it answers its probes and drains every
  socket on SIGTERM within terminationGracePeriodSeconds.
"""

from __future__ import annotations

import base64
import copy
import glob
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import helm_python as helm
import jsonschema
import yaml
from kubernetes_validate import utils as kv

ROOT = Path(__file__).resolve().parents[3]
CHART = ROOT / "helm" / "usher"
CI = CHART / "ci"
USHER = ROOT / "target" / "debug" / "usher"
RELEASE = "usher"
# Sockets held open when the drain test stops usher.
DRAIN_SOCKETS = 40
NAMESPACE = "tickets"

# Kinds kubernetes-validate checks, and the custom resources checked against ci/schemas/.
CORE_API_VERSIONS = {"v1", "apps/v1", "policy/v1", "autoscaling/v2", "networking.k8s.io/v1"}
CUSTOM_RESOURCES = {
    ("monitoring.coreos.com/v1", "ServiceMonitor"): "servicemonitor.json",
    ("monitoring.coreos.com/v1", "PrometheusRule"): "prometheusrule.json",
    ("gateway.networking.k8s.io/v1", "HTTPRoute"): "httproute.json",
}
# Metrics the alerts use that usher does not export, and who does.
EXTERNAL_METRICS: dict[str, str] = {}

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


class Failure(AssertionError):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


# --- rendering -------------------------------------------------------------------------------


def load_values(path):
    with open(path) as f:
        return yaml.safe_load(f) or {}


def values_files():
    files = sorted(glob.glob(str(CI / "values" / "*.yaml")))
    check(files, f"no values files in {CI / 'values'}")
    return {Path(f).name: load_values(f) for f in files}


_chart = None


def chart():
    global _chart
    if _chart is None:
        _chart = helm.Chart.load(str(CHART))
    return _chart


def render(values):
    """Rendered manifests as parsed documents, each with the template it came from."""
    out = chart().render(values, name=RELEASE, namespace=NAMESPACE, is_install=True)
    docs = []
    for template, text in sorted(out.items()):
        if template.endswith("NOTES.txt"):
            continue
        for doc in yaml.safe_load_all(text):
            if doc:
                docs.append((template, doc))
    return docs


_renders = None


def renders():
    """Every values file rendered once: {file name: [(template, doc)]}."""
    global _renders
    if _renders is None:
        _renders = {name: render(values) for name, values in values_files().items()}
    return _renders


def find(docs, kind, name=None):
    found = [d for _, d in docs if d["kind"] == kind and (name is None or d["metadata"]["name"] == name)]
    return found


def one(docs, kind, name=None):
    found = find(docs, kind, name)
    check(len(found) == 1, f"expected one {kind} {name or ''}, rendered {len(found)}")
    return found[0]


def container(workload, name):
    for c in workload["spec"]["template"]["spec"]["containers"]:
        if c["name"] == name:
            return c
    raise Failure(f"{workload['kind']} {workload['metadata']['name']} has no container {name}")


def env(c):
    """A container's environment: name → value, or ('secret', name, key, optional)."""
    out = {}
    for e in c.get("env", []):
        if "value" in e:
            out[e["name"]] = e["value"]
        else:
            ref = e["valueFrom"]["secretKeyRef"]
            out[e["name"]] = ("secret", ref["name"], ref["key"], ref.get("optional", False))
    return out


def gateway_env(docs):
    return env(container(one(docs, "Deployment", RELEASE), "usher"))


def deep_merge(base, override):
    out = copy.deepcopy(base)
    for k, v in override.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = v
    return out


# --- lint and render -------------------------------------------------------------------------


@test
def lint_is_clean_with_every_values_file():
    for name, values in values_files().items():
        report = helm.lint(str(CHART), values, strict=True, namespace=NAMESPACE)
        problems = [m for m in report["messages"] if m["severity"] >= 2] + report["errors"]
        check(not problems, f"helm lint --strict with ci/values/{name}: {problems}")


@test
def every_values_file_renders_what_it_is_there_for():
    r = renders()
    expected = {
        "defaults.yaml", "redis-cluster.yaml", "external-backends.yaml", "ingress.yaml",
        "httproute.yaml", "hpa-connections.yaml", "existing-secret.yaml",
    }
    check(expected <= set(r), f"values files missing from ci/values/: {sorted(expected - set(r))}")

    d = r["defaults.yaml"]
    e = gateway_env(d)
    check("REDIS_ADDRESS" not in e, "defaults: one gateway on the embedded store, without Redis")
    check(one(d, "Deployment")["spec"]["replicas"] == 1, "defaults: one replica")
    backends = one(d, "StatefulSet", f"{RELEASE}-backends")
    check(backends["spec"]["replicas"] == 1, "defaults: one reference backends pod")
    check(container(backends, "backends")["args"] == ["backends"], "the backends run `usher backends`")
    check(env(container(backends, "backends"))["USHER_DATA_DIR"] == "/var/lib/usher",
          "the reference backends keep their state in USHER_DATA_DIR")
    check(backends["spec"]["volumeClaimTemplates"][0]["metadata"]["name"] == "data",
          "the reference backends' USHER_DATA_DIR is on a volume claim")
    check(e["BACKEND_RESERVATION_API_GRPC_ADDRESS"] == f"{RELEASE}-backends.{NAMESPACE}.svc:50051"
          and e["BACKEND_PAYMENT_API_GRPC_ADDRESS"] == f"{RELEASE}-backends.{NAMESPACE}.svc:50051",
          "defaults: the gateway calls the reference backends")
    check(e["USHER_ALLOW_PAYMENT_SIMULATOR"] == "true", "the payment simulator's opt-in is set explicitly")
    check(e["SERVER_ENVIRONMENT"] == "production", "the gateway runs in production")
    check(e["USHER_PUBLIC_URL"] == f"http://{RELEASE}.{NAMESPACE}.svc:80",
          "the payment webhook goes to the gateway's Service")
    check(not find(d, "StatefulSet", f"{RELEASE}-redis"), "defaults: no bundled Redis")

    c = gateway_env(r["redis-cluster.yaml"])
    check(c["REDIS_CLUSTER_MODE"] == "true" and c["REDIS_TLS_ENABLED"] == "true", "cluster: cluster mode over TLS")
    check(c["REDIS_ADDRESS"].count(",") == 2, "cluster: three seed nodes")
    check(c["REDIS_PASSWORD"] == ("secret", "redis-credentials", "password", False),
          "cluster: the password from the named Secret")
    check("REDIS_DATABASE" not in c, "cluster: no database number (standalone only)")
    check(one(r["redis-cluster.yaml"], "Deployment")["spec"]["replicas"] == 3, "cluster: three replicas")

    x = r["external-backends.yaml"]
    e = gateway_env(x)
    check(e["BACKEND_RESERVATION_API_GRPC_ADDRESS"] == "https://reservation-api.tickets.svc:8443"
          and e["BACKEND_INVENTORY_API_GRPC_ADDRESS"] == "https://inventory-api.tickets.svc:8443"
          and e["BACKEND_PAYMENT_API_GRPC_ADDRESS"] == "https://payment-api.tickets.svc:8443",
          "external: the three addresses")
    check("USHER_ALLOW_PAYMENT_SIMULATOR" not in e, "external: no payment simulator")
    check(not find(x, "StatefulSet"), "external: no reference backends, no bundled Redis")
    check(e["USHER_METRICS_TOKEN"][0] == "secret", "external: the metrics token from the Secret")
    sm = one(x, "ServiceMonitor")
    check(sm["spec"]["endpoints"][0]["authorization"]["credentials"]["key"] == "metrics-token",
          "external: the ServiceMonitor sends the metrics token")
    check(e["REDIS_PASSWORD"] == ("secret", RELEASE, "redis-password", False),
          "external: the Redis password kept in the chart's Secret")
    np = one(x, "NetworkPolicy")
    check("Egress" in np["spec"]["policyTypes"], "external: egress restricted")

    i = r["ingress.yaml"]
    ing = one(i, "Ingress")
    ann = ing["metadata"]["annotations"]
    check(ann.get("nginx.ingress.kubernetes.io/proxy-read-timeout") == "120"
          and ann.get("nginx.ingress.kubernetes.io/proxy-send-timeout") == "120",
          f"ingress: ingress-nginx's WebSocket timeouts, got {ann}")
    check(ann.get("nginx.ingress.kubernetes.io/proxy-body-size") == "65536",
          "ingress: the body-size limit is usher's USHER_MAX_BODY_BYTES")
    check(ann.get("cert-manager.io/cluster-issuer") == "letsencrypt", "ingress: user annotations kept")
    check(gateway_env(i)["USHER_TRUSTED_PROXIES"] == "10.244.0.0/16", "ingress: the controller's CIDR trusted")
    # Mid-rotation (ingress.yaml): the next secrets accepted beside the signing ones.
    ie = gateway_env(i)
    check(ie["USHER_JWT_EXTRA_SECRETS"] == ("secret", RELEASE, "jwt-extra-secrets", True),
          "rotation: the extra user-token secrets from the Secret")
    check(ie["USHER_RESERVATION_EXTRA_KEY_FILES"] == "/etc/usher/reservation-key/reservation-extra-key-0.pem",
          f"rotation: the extra reservation key mounted, got {ie.get('USHER_RESERVATION_EXTRA_KEY_FILES')}")
    items = [v for v in one(i, "Deployment")["spec"]["template"]["spec"]["volumes"]
             if v["name"] == "reservation-key"][0]["secret"]["items"]
    check([x["path"] for x in items] == ["reservation-key.pem", "reservation-extra-key-0.pem"],
          f"rotation: both keys mounted, got {items}")
    se = gateway_env(r["existing-secret.yaml"])
    check(se["USHER_RESERVATION_EXTRA_KEY_FILES"] == "/etc/usher/reservation-key/reservation-key-previous.pem",
          "rotation: an existing Secret's extra reservation key mounted")
    check(gateway_env(i)["REDIS_ADDRESS"] == f"{RELEASE}-redis.{NAMESPACE}.svc:6379", "ingress: the bundled Redis")
    redis = one(i, "StatefulSet", f"{RELEASE}-redis")
    check("--requirepass" in container(redis, "redis")["args"], "ingress: the bundled Redis has a password")
    check(len(find(i, "NetworkPolicy")) == 3, "ingress: policies for the gateway, backends and Redis")

    h = r["httproute.yaml"]
    route = one(h, "HTTPRoute")
    check(route["spec"]["rules"][0]["backendRefs"][0] == {"name": RELEASE, "port": 80}, "httproute: to the Service")
    check("USHER_METRICS_BIND" not in gateway_env(h), "httproute: metrics on the main port (metrics.port 0)")
    check(one(h, "ServiceMonitor")["spec"]["endpoints"][0]["port"] == "http", "httproute: scraped on the main port")
    dash = one(h, "ConfigMap", f"{RELEASE}-dashboard")
    check(dash["metadata"]["labels"].get("grafana_dashboard") == "1", "the dashboard carries the sidecar's label")
    check(json.loads(dash["data"]["usher.json"])["uid"] == "usher-gateway", "the dashboard is valid JSON")
    one(h, "PrometheusRule")

    a = r["hpa-connections.yaml"]
    hpa = one(a, "HorizontalPodAutoscaler")
    metrics = {m["type"]: m for m in hpa["spec"]["metrics"]}
    check(metrics["Pods"]["pods"]["metric"]["name"] == "usher_ws_connections", "hpa: scales on usher_ws_connections")
    check(metrics["Resource"]["resource"]["name"] == "cpu", "hpa: and on CPU")
    check("replicas" not in one(a, "Deployment")["spec"], "hpa: the HPA owns the replica count")
    e = gateway_env(a)
    check(e["USHER_GRACE_SECS"] == "180" and e["RATE_LIMIT_RPS"] == "100", "hpa: config.env reaches the gateway")
    check(one(a, "Ingress")["metadata"]["annotations"]["haproxy.org/timeout-tunnel"] == "120s",
          "hpa: HAProxy's tunnel timeout")
    rule = one(a, "PrometheusRule")
    cap = [x for x in rule["spec"]["groups"][0]["rules"] if x["alert"] == "UsherConnectionCapNear"][0]
    check("usher_ws_connections_max" in cap["expr"] and "> 0.8" in cap["expr"],
          "the cap alert compares with the pod's own cap, as usher reports it")
    check("18000" in cap["annotations"]["description"],
          "the cap alert names the pod's real WebSocket cap (min of the two caps)")

    s = r["existing-secret.yaml"]
    check(not find(s, "Secret"), "existing secret: the chart makes no Secret")
    e = gateway_env(s)
    check(e["JWT_SECRET"] == ("secret", "usher-secrets", "jwt-secret", False), "existing secret: JWT from it")
    check(e["USHER_ADMIN_TOKEN"] == ("secret", "usher-secrets", "admin-token", True),
          "existing secret: the admin token optional")
    vols = {v["name"]: v for v in one(s, "Deployment")["spec"]["template"]["spec"]["volumes"]}
    check(vols["reservation-key"]["secret"]["secretName"] == "usher-secrets",
          "existing secret: the reservation key mounted from it")
    check(e["USHER_RESERVATION_KEY_FILE"] == "/etc/usher/reservation-key/reservation-key.pem",
          "the reservation key file is the mounted one")
    b = env(container(one(s, "StatefulSet", f"{RELEASE}-backends"), "backends"))
    check(b["USHER_INVENTORY_FILE"] == "/etc/usher/inventory/venue.json", "existing secret: the venue file")
    one(s, "ConfigMap", f"{RELEASE}-inventory")
    check(one(s, "Ingress")["metadata"]["annotations"]["alb.ingress.kubernetes.io/load-balancer-attributes"]
          == "idle_timeout.timeout_seconds=120", "existing secret: the ALB's idle timeout")
    redis = container(one(s, "StatefulSet", f"{RELEASE}-redis"), "redis")
    check(env(redis)["REDIS_PASSWORD"] == ("secret", "usher-redis", "redis-password", False),
          "existing secret: the bundled Redis's password from its Secret")


# --- schemas ---------------------------------------------------------------------------------


def kubernetes_versions():
    """The three newest minor versions kubernetes-validate ships schemas for."""
    minors = []
    for v in kv.all_versions():
        mm = ".".join(v.split(".")[:2])
        if mm not in minors:
            minors.append(mm)
    return minors[-3:]


@test
def core_manifests_are_valid_for_the_three_newest_kubernetes_versions():
    versions = kubernetes_versions()
    print(f"    Kubernetes versions: {', '.join(versions)} (kubernetes-validate's newest)")
    checked = 0
    for name, docs in renders().items():
        for template, doc in docs:
            key = (doc["apiVersion"], doc["kind"])
            if key in CUSTOM_RESOURCES:
                continue
            check(doc["apiVersion"] in CORE_API_VERSIONS,
                  f"{name}: {template} renders {key}, which no check validates")
            for version in versions:
                try:
                    kv.validate(doc, version, strict=True)
                except kv.ValidationError as e:
                    raise Failure(f"{name}: {template} ({doc['kind']} {doc['metadata']['name']}) "
                                  f"is not valid for Kubernetes {version}: {e.message} at {list(e.path)}")
                checked += 1
    check(checked > 0, "no core manifest validated")
    print(f"    {checked} validations")


@test
def custom_resources_match_their_schemas():
    schemas = {k: json.loads((CI / "schemas" / f).read_text()) for k, f in CUSTOM_RESOURCES.items()}
    seen = set()
    for name, docs in renders().items():
        for template, doc in docs:
            key = (doc["apiVersion"], doc["kind"])
            if key not in schemas:
                continue
            seen.add(key)
            errors = sorted(jsonschema.Draft202012Validator(schemas[key]).iter_errors(doc), key=str)
            check(not errors, f"{name}: {template}: " + "; ".join(
                f"{e.message} at {list(e.absolute_path)}" for e in errors[:3]))
    check(seen == set(schemas), f"custom resources never rendered: {set(schemas) - seen}")


# --- what every render must hold -------------------------------------------------------------


def workloads(docs):
    return [d for _, d in docs if d["kind"] in ("Deployment", "StatefulSet")]


@test
def every_pod_is_non_root_read_only_and_without_capabilities():
    for name, docs in renders().items():
        for w in workloads(docs):
            where = f"{name}: {w['kind']} {w['metadata']['name']}"
            pod = w["spec"]["template"]["spec"]
            psc = pod["securityContext"]
            check(psc.get("runAsNonRoot") is True, f"{where}: runAsNonRoot")
            check(psc.get("seccompProfile", {}).get("type") == "RuntimeDefault", f"{where}: seccomp RuntimeDefault")
            check(pod.get("automountServiceAccountToken") is False, f"{where}: no API token mounted")
            for c in pod["containers"]:
                sc = c["securityContext"]
                check(sc.get("readOnlyRootFilesystem") is True, f"{where}/{c['name']}: read-only root")
                check(sc.get("allowPrivilegeEscalation") is False, f"{where}/{c['name']}: no privilege escalation")
                check(sc.get("capabilities", {}).get("drop") == ["ALL"], f"{where}/{c['name']}: capabilities dropped")
                check(c.get("resources", {}).get("limits", {}).get("memory"), f"{where}/{c['name']}: a memory limit")
                for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
                    check(probe in c, f"{where}/{c['name']}: {probe}")
                mounts = {m["mountPath"] for m in c.get("volumeMounts", [])}
                check("/tmp" in mounts, f"{where}/{c['name']}: a writable /tmp")
            if w["metadata"]["name"] == RELEASE:
                check(psc.get("runAsUser") == 10001, f"{where}: usher runs as uid 10001")


@test
def a_rolling_update_drains_every_socket_before_the_pod_is_killed():
    for name, values in values_files().items():
        merged = chart().merge_values(values)
        docs = renders()[name]
        pod = one(docs, "Deployment", RELEASE)["spec"]["template"]["spec"]
        c = container(one(docs, "Deployment", RELEASE), "usher")
        drain = merged["drain"]
        check(env(c)["USHER_DRAIN_SECS"] == str(drain["seconds"]), f"{name}: USHER_DRAIN_SECS from drain.seconds")
        check(c["lifecycle"]["preStop"]["sleep"]["seconds"] == drain["preStopSeconds"],
              f"{name}: the preStop wait is drain.preStopSeconds")
        grace = pod["terminationGracePeriodSeconds"]
        check(grace == drain["preStopSeconds"] + drain["seconds"] + drain["marginSeconds"],
              f"{name}: terminationGracePeriodSeconds {grace} is not preStop + USHER_DRAIN_SECS + margin")
        check(grace > drain["preStopSeconds"] + drain["seconds"], f"{name}: no time left after the drain")
        strategy = one(docs, "Deployment", RELEASE)["spec"]["strategy"]
        check(strategy["rollingUpdate"]["maxUnavailable"] == 0, f"{name}: an update never lowers capacity first")


@test
def readiness_follows_draining_not_redis_latency():
    for name, docs in renders().items():
        c = container(one(docs, "Deployment", RELEASE), "usher")
        check(c["readinessProbe"]["httpGet"]["path"] == "/readyz", f"{name}: readiness is /readyz")
        check(c["livenessProbe"]["httpGet"]["path"] == "/healthz", f"{name}: liveness is /healthz")
        check(c["startupProbe"]["httpGet"]["path"] == "/healthz", f"{name}: startup is /healthz")
        check(env(c)["USHER_READY_OUTAGE_SECS"] == "3600",
              f"{name}: a Redis outage must not take every pod out of its Services (USHER_READY_OUTAGE_SECS)")


def usher_env_names(command):
    out = subprocess.run([str(USHER), command, "--help"], capture_output=True, text=True, check=True).stdout
    return set(re.findall(r"\[env:\s*([A-Z][A-Z0-9_]*)", out))


@test
def every_environment_variable_is_a_setting_usher_has():
    ensure_usher()
    serve, backends = usher_env_names("serve"), usher_env_names("backends")
    check(len(serve) > 50 and "REDIS_ADDRESS" in serve, f"`usher serve --help` lists too few settings: {len(serve)}")
    check("USHER_BACKENDS_LISTEN" in backends, "`usher backends --help` lists USHER_BACKENDS_LISTEN")
    for name, docs in renders().items():
        for w in workloads(docs):
            for c in w["spec"]["template"]["spec"]["containers"]:
                names = set(env(c))
                if c["name"] == "usher":
                    unknown = names - serve
                elif c["name"] == "backends":
                    unknown = names - backends
                else:
                    continue
                check(not unknown, f"{name}: {w['metadata']['name']}/{c['name']} sets what usher does not read: {sorted(unknown)}")


# Values documented as a whole (maps and lists of Kubernetes objects or free-form settings).
WHOLE_VALUES = {
    "strategy", "resources", "podSecurityContext", "securityContext", "podAnnotations", "podLabels",
    "nodeSelector", "tolerations", "affinity", "topologySpreadConstraints", "imagePullSecrets",
    "config.env", "config.trustedProxies", "probes.startup", "probes.liveness", "probes.readiness",
    "redis.bundled.resources", "backends.reference.resources", "autoscaling.behavior",
    "ingress.hosts", "ingress.tls", "ingress.annotations", "httpRoute.parentRefs",
    "httpRoute.hostnames", "httpRoute.timeouts", "httpRoute.annotations", "serviceAccount.annotations",
    "service.annotations", "metrics.serviceMonitor.labels", "metrics.prometheusRule.labels",
    "metrics.prometheusRule.alertLabels", "metrics.dashboard.labels", "metrics.dashboard.annotations",
    "networkPolicy.ingressFrom", "networkPolicy.metricsFrom", "networkPolicy.egress.extra",
}


def value_paths(values, prefix=""):
    for k, v in values.items():
        path = f"{prefix}{k}"
        if isinstance(v, dict) and v and path not in WHOLE_VALUES:
            yield from value_paths(v, path + ".")
        else:
            yield path


@test
def the_chart_readme_documents_every_value():
    readme = (CHART / "README.md").read_text()
    undocumented = [p for p in value_paths(load_values(CHART / "values.yaml")) if f"`{p}`" not in readme]
    check(not undocumented, f"values missing from helm/usher/README.md's table: {undocumented}")
    schema = json.loads((CHART / "values.schema.json").read_text())
    missing = [p for p in value_paths(load_values(CHART / "values.yaml"))
               if p.split(".")[0] not in schema["properties"]]
    check(not missing, f"values the schema does not know: {missing}")


# --- refusals --------------------------------------------------------------------------------


# (what, values over ci/values/defaults.yaml, text the error must contain)
SCHEMA_REFUSALS = [
    ("the chart's bare defaults (no secrets)", None, "/secrets"),
    ("a misspelt key", {"replicas": 2}, "'replicas'"),
    ("two replicas on the embedded store", {"replicaCount": 2}, "/redis"),
    ("autoscaling on the embedded store", {"autoscaling": {"enabled": True}}, "/redis"),
    ("two reference backends", {"backends": {"reference": {"replicas": 2}}}, "/backends/reference/replicas"),
    ("the reference backends without the simulator's opt-in",
     {"backends": {"reference": {"allowPaymentSimulator": False}}}, "/backends/reference/allowPaymentSimulator"),
    ("external backends without addresses", {"backends": {"mode": "external"}}, "/backends/external"),
    ("an unknown backends mode", {"backends": {"mode": "embedded"}}, "/backends/mode"),
    ("an external and the bundled Redis",
     {"redis": {"address": "redis:6379", "bundled": {"enabled": True}}}, "/redis/address"),
    ("the bundled Redis as a cluster", {"redis": {"cluster": True, "bundled": {"enabled": True}}}, "/redis/cluster"),
    ("a short JWT secret", {"secrets": {"jwtSecret": "change-me-in-production"}}, "/secrets/jwtSecret"),
    ("a short admin token", {"secrets": {"adminToken": "short-admin-token"}}, "/secrets/adminToken"),
    ("the reference backends without a backends key", {"secrets": {"backendsKey": ""}}, "/secrets/backendsKey"),
    ("a required metrics token missing", {"metrics": {"requireToken": True}}, "/secrets/metricsToken"),
    ("an Ingress without trusted proxies", {"ingress": {"enabled": True}}, "/config/trustedProxies"),
    ("an HTTPRoute without trusted proxies",
     {"httpRoute": {"enabled": True, "parentRefs": [{"name": "gw"}]}}, "/config/trustedProxies"),
    ("an HTTPRoute without a Gateway",
     {"httpRoute": {"enabled": True}, "config": {"trustedProxies": ["10.0.0.0/8"]}}, "/httpRoute/parentRefs"),
    ("a chart-managed setting in config.env", {"config": {"env": {"REDIS_ADDRESS": "redis:6379"}}},
     "invalid propertyName 'REDIS_ADDRESS'"),
    ("a development environment", {"environment": "development"}, "/environment"),
    ("a readiness outage above usher's maximum", {"readyOutageSecs": 7200}, "/readyOutageSecs"),
    ("a drain above usher's maximum", {"drain": {"seconds": 301}}, "/drain/seconds"),
    ("a trusted proxy that is not an address", {"config": {"trustedProxies": ["ingress-nginx"]}}, "/config/trustedProxies/0"),
]
# Relations between numbers, which the templates check (fail) rather than the schema.
TEMPLATE_REFUSALS = [
    ("an ingress timeout that cuts idle sockets",
     {"config": {"trustedProxies": ["10.0.0.0/8"]}, "ingress": {"enabled": True, "websocketTimeoutSeconds": 40}},
     "websocketTimeoutSeconds"),
    ("metrics on the main port's number", {"metrics": {"port": 8000}}, "metrics.port"),
    # Checked in the template, not by a schema pattern, whose error would print the key.
    ("a reservation key that is no PEM", {"secrets": {"reservationKey": "not a key"}}, "P-256"),
    ("an extra reservation key that is no PEM",
     {"secrets": {"reservationExtraKeys": ["not a key"]}}, "secrets.reservationExtraKeys[0]"),
    ("an HPA with fewer maximum than minimum replicas",
     {"redis": {"address": "redis:6379"}, "autoscaling": {"enabled": True, "minReplicas": 4, "maxReplicas": 2}},
     "maxReplicas"),
]


@test
def the_values_schema_refuses_bad_values_at_install():
    base = load_values(CI / "values" / "defaults.yaml")
    secrets = [v for k, v in base["secrets"].items() if isinstance(v, str) and len(v) > 8]
    for what, override, expected in SCHEMA_REFUSALS:
        values = {} if override is None else deep_merge(base, override)
        try:
            render(values)
        except helm.HelmValuesError as e:
            check(expected in str(e), f"{what}: refused, but the error does not name {expected!r}: {e}")
            shown = [v for v in secrets + ["change-me-in-production", "short-admin-token"] if v in str(e)]
            check(not shown, f"{what}: the error prints a secret: {shown}")
        else:
            raise Failure(f"{what}: the schema accepted it")
        report = helm.lint(str(CHART), values, strict=True, namespace=NAMESPACE)
        check(any(expected in err for err in report["errors"]),
              f"{what}: helm lint does not report {expected!r}: {report['errors']}")
    print(f"    {len(SCHEMA_REFUSALS)} values refused by values.schema.json")


@test
def the_templates_refuse_what_the_schema_cannot_express():
    base = load_values(CI / "values" / "defaults.yaml")
    for what, override, expected in TEMPLATE_REFUSALS:
        try:
            render(deep_merge(base, override))
        except helm.HelmRenderError as e:
            check(expected in str(e), f"{what}: refused, but the error does not name {expected!r}: {e}")
            check("BEGIN" not in str(e).replace("BEGIN EC PRIVATE KEY", "").replace("BEGIN PRIVATE KEY", "")
                  and "not a key" not in str(e), f"{what}: the error prints the secret: {e}")
        else:
            raise Failure(f"{what}: rendered anyway")


# --- metric names ----------------------------------------------------------------------------

PROMQL_WORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless",
                "bool", "offset", "inf", "nan"}


def promql_metric_names(expr):
    """Metric names in a PromQL expression: identifiers that are neither functions, keywords,
    label names nor Grafana variables."""
    e = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    e = re.sub(r"\$\{?\w+\}?", "", e)
    e = re.sub(r"\{[^{}]*\}", "", e)
    e = re.sub(r"\[[^\]]*\]", "", e)
    e = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", e)
    names = set()
    for m in re.finditer(r"(?<![A-Za-z0-9_:.])[A-Za-z_:][A-Za-z0-9_:]*", e):
        if e[m.end():].lstrip().startswith("(") or m.group().lower() in PROMQL_WORDS:
            continue
        names.add(m.group())
    return names


def rule_expressions():
    exprs = []
    for name in ("httproute.yaml", "hpa-connections.yaml"):
        for rule in one(renders()[name], "PrometheusRule")["spec"]["groups"][0]["rules"]:
            exprs.append((rule["alert"], rule["expr"]))
    return exprs


def dashboard_expressions():
    dash = json.loads((CHART / "dashboards" / "usher.json").read_text())
    exprs = [(p["title"], t["expr"]) for p in dash["panels"] for t in p.get("targets", [])]
    names = set()
    for v in dash["templating"]["list"]:
        q = v.get("query")
        q = q.get("query") if isinstance(q, dict) else q
        names |= set(re.findall(r"label_values\(\s*([A-Za-z_:][A-Za-z0-9_:]*)", q or ""))
    return exprs, names


@test
def alert_and_dashboard_expressions_are_well_formed():
    exprs, _ = dashboard_expressions()
    for what, expr in rule_expressions() + exprs:
        stripped = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
        for a, b in ("()", "{}", "[]"):
            check(stripped.count(a) == stripped.count(b), f"{what}: unbalanced {a}{b} in {expr!r}")
        check("{{" not in expr, f"{what}: a template left in {expr!r}")
        check(promql_metric_names(expr), f"{what}: no metric in {expr!r}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc):
    """Stops a process the test started: SIGTERM, then SIGKILL after 20 s."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def ensure_usher():
    if not USHER.exists():
        subprocess.run(["cargo", "build", "--locked", "--bin", "usher"], cwd=ROOT, check=True)


def http(base, method, path, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers or {})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status, r.read().decode()


def ws_open(port, path):
    """A WebSocket client over a plain socket: the handshake, then unmasked server frames."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = s.recv(4096)
        check(chunk, "the WebSocket handshake was cut")
        buf += chunk
    head, rest = buf.split(b"\r\n\r\n", 1)
    check(head.startswith(b"HTTP/1.1 101"), f"no WebSocket upgrade: {head[:80]!r}")
    return s, rest


def ws_messages(s, buf, deadline):
    """Yields server text messages (parsed JSON) until the deadline, a close frame or the end
    of the connection."""

    def more():
        chunk = s.recv(4096)
        if not chunk:
            raise EOFError
        return chunk

    try:
        while time.monotonic() < deadline:
            while len(buf) < 2:
                buf += more()
            opcode, length, at = buf[0] & 0x0F, buf[1] & 0x7F, 2
            if length == 126:
                while len(buf) < 4:
                    buf += more()
                length, at = int.from_bytes(buf[2:4], "big"), 4
            elif length == 127:
                while len(buf) < 10:
                    buf += more()
                length, at = int.from_bytes(buf[2:10], "big"), 10
            while len(buf) < at + length:
                buf += more()
            payload, buf = buf[at:at + length], buf[at + length:]
            if opcode == 1:
                yield json.loads(payload)
            elif opcode == 8:
                return
    except EOFError:
        return


def scrape(base):
    return http(base, "GET", "/metrics")[1]


def sample_names(exposition):
    return {re.match(r"[A-Za-z_:][A-Za-z0-9_:]*", line).group()
            for line in exposition.splitlines() if line and not line.startswith("#")}


@test
def every_metric_the_alerts_and_the_dashboard_use_is_in_usher_metrics():
    exprs, used = dashboard_expressions()
    for _, expr in rule_expressions() + exprs:
        used |= promql_metric_names(expr)
    external = used & set(EXTERNAL_METRICS)
    used -= external
    check(len(used) >= 15, f"too few metric names found in the alerts and the dashboard: {sorted(used)}")

    ensure_usher()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    admin = {"Authorization": "Bearer chart-test-admin-token-0123456789"}
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "USHER_BIND": "127.0.0.1",
        "SERVER_PORT": str(port),
        "USHER_ADMIN_TOKEN": admin["Authorization"].split()[1],
        "USHER_MAX_CONNECTIONS_PER_IP": "8",
        "LOG_LEVEL": "warn",
        "USHER_WEB_ROOT": "/nonexistent",
    }
    log = open(ROOT / "target" / "chart-test-usher.log", "w")
    server = subprocess.Popen([str(USHER), "serve"], env=environment, stdout=log, stderr=subprocess.STDOUT)
    held = []
    try:
        deadline = time.monotonic() + 60
        while True:
            check(server.poll() is None, f"usher exited ({server.returncode}); see target/chart-test-usher.log")
            try:
                if http(base, "GET", "/readyz")[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            check(time.monotonic() < deadline, "usher did not become ready within 60 s")
            time.sleep(0.1)

        # One waiter's whole wait, so that every series exists: the event paused, a join, the
        # socket's snapshot, admission (ready, ETA accuracy), the socket closed.
        event = "/api/v1/admin/events/evt_2025_1001"
        http(base, "PUT", event, {"paused": True}, admin)
        _, joined = http(base, "POST", "/api/v1/queue/join", {"event_id": "evt_2025_1001"},
                         {"Idempotency-Key": str(uuid.uuid4())})
        token = json.loads(joined)["waiting_token"]
        ws, buf = ws_open(port, f"/api/v1/queue/ws?token={token}")
        held.append(ws)
        messages = ws_messages(ws, buf, time.monotonic() + 15)
        check(next(messages)["type"] == "snapshot", "the socket starts with a snapshot")
        http(base, "PUT", event, {"paused": False}, admin)
        check(any(m["type"] == "ready" for m in messages), "the waiter was not admitted within 15 s")
        ws.close()
        held.clear()
        # And a connection refused at accept (the per-address cap is 8 here).
        for _ in range(9):
            held.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        time.sleep(0.3)
        for s in held:
            s.close()
        held.clear()

        deadline = time.monotonic() + 10
        while True:
            try:
                missing = used - sample_names(scrape(base))
            except (urllib.error.URLError, ConnectionError) as e:
                # The refused connections may still count against the address's cap a moment.
                missing = {f"(no scrape: {e})"}
            if not missing or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        check(not missing, f"named by the alerts or the dashboard but not in usher's /metrics: {sorted(missing)}")
        elsewhere = ", ".join(f"{m} ({EXTERNAL_METRICS[m]})" for m in sorted(external))
        print(f"    {len(used)} metric names found in /metrics" + (f"; from elsewhere: {elsewhere}" if elsewhere else ""))
    finally:
        for s in held:
            s.close()
        stop(server)
        log.close()


def dockerfile_runtime():
    """The runtime stage of the Dockerfile: its ENV, USER, EXPOSE, ENTRYPOINT and CMD."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    stage = re.split(r"(?m)^FROM ", text)[-1]
    image = {"env": {}, "user": None, "expose": [], "entrypoint": [], "cmd": []}
    for line in stage.splitlines():
        word, _, rest = line.strip().partition(" ")
        if word == "ENV":
            image["env"].update(dict(pair.split("=", 1) for pair in rest.split()))
        elif word == "USER":
            image["user"] = rest.strip()
        elif word == "EXPOSE":
            image["expose"] += rest.split()
        elif word in ("ENTRYPOINT", "CMD"):
            image[word.lower()] = json.loads(rest)
    return image


def resolved(c, docs, files, overrides):
    """A container's environment as a process gets it: secret references read from the rendered
    Secret, and paths inside mounted Secrets written to `files` (a temporary directory)."""
    secrets = {d["metadata"]["name"]: d for d in find(docs, "Secret")}

    def secret_value(name, key):
        secret = secrets[name]
        if key in secret.get("stringData", {}):
            return secret["stringData"][key]
        return base64.b64decode(secret["data"][key]).decode()

    out = {}
    for name, value in env(c).items():
        if isinstance(value, tuple):
            _, secret, key, optional = value
            if optional and key not in {**secrets[secret].get("data", {}), **secrets[secret].get("stringData", {})}:
                continue
            value = secret_value(secret, key)
        out[name] = value
    volumes = {v["name"]: v for v in workloads_pod(c, docs)["volumes"]}
    for mount in c.get("volumeMounts", []):
        secret = volumes.get(mount["name"], {}).get("secret")
        if not secret:
            continue
        for item in secret.get("items", []):
            inside = f"{mount['mountPath']}/{item['path']}"
            local = Path(files) / item["path"]
            local.write_text(secret_value(secret["secretName"], item["key"]))
            for name, value in out.items():
                if isinstance(value, str) and inside in value.split(","):
                    out[name] = ",".join(str(local) if v == inside else v for v in value.split(","))
    out.update(overrides)
    return out


def workloads_pod(c, docs):
    for workload in workloads(docs):
        pod = workload["spec"]["template"]["spec"]
        if any(x is c for x in pod["containers"]):
            return pod
    raise Failure(f"no workload has container {c['name']}")


def wait_until(what, deadline, ready):
    while not ready():
        check(time.monotonic() < deadline, f"{what} within its time")
        time.sleep(0.1)


def answers(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except (urllib.error.URLError, ConnectionError):
        return None


@test
def the_image_the_chart_and_the_binary_agree_and_a_stop_drains_every_socket():
    """The Dockerfile's user, entrypoint, port and environment are the chart's; usher started as
    the chart starts it (the image's files laid out by docker/build.sh rootfs, with the debug
    binary) answers every probe as the probe expects; and SIGTERM with sockets open drains
    them all, each told to reconnect, within terminationGracePeriodSeconds less the preStop
    wait. The chart is rendered with two replicas on an external Redis. Overridden, as a test on
    one machine must: the bind addresses (loopback, free ports), the Redis address (a
    redis-server started here), the backends' address (the reference backends started here from
    the chart's StatefulSet), the data volume (a temporary directory) and the image's root (the
    laid-out files)."""
    image = dockerfile_runtime()
    rotating = values_files()["ingress.yaml"]["secrets"]
    values = deep_merge(values_files()["defaults.yaml"], {
        "replicaCount": 2,
        "redis": {"address": "redis.tickets.svc:6379"},
        "secrets": {k: rotating[k] for k in ("jwtExtraSecrets", "reservationExtraKeys")},
    })
    docs = render(values)
    deployment = one(docs, "Deployment", RELEASE)
    pod = deployment["spec"]["template"]["spec"]
    gateway = container(deployment, "usher")
    check(str(pod["securityContext"]["runAsUser"]) == image["user"].split(":")[0],
          f"the image runs as {image['user']}, the chart as {pod['securityContext']['runAsUser']}")
    ports = {p["name"]: p["containerPort"] for p in gateway["ports"]}
    check(str(ports["http"]) in image["expose"], f"the image exposes {image['expose']}, the chart serves {ports['http']}")
    check(env(gateway)["SERVER_PORT"] == str(ports["http"]), "SERVER_PORT is the container's http port")
    check("command" not in gateway, "the chart runs the image's entrypoint")
    check(gateway["args"] == image["cmd"], f"the chart runs {gateway['args']}, the image {image['cmd']}")
    check(env(gateway).get("REDIS_ADDRESS") == "redis.tickets.svc:6379", "the gateway is on Redis")
    backends_set = one(docs, "StatefulSet", f"{RELEASE}-backends")
    backends = backends_set["spec"]["template"]["spec"]["containers"][0]
    check("command" not in backends, "the backends run the image's entrypoint")
    backends_port = backends["ports"][0]["containerPort"]
    for kind in ("startupProbe", "livenessProbe", "readinessProbe"):
        check(backends[kind].get("grpc", {}).get("port") == backends_port,
              f"the backends' {kind} asks their gRPC health service")

    ensure_usher()
    work = Path(tempfile.mkdtemp(prefix="usher-chart-"))
    procs = []
    sockets = []
    try:
        if not (ROOT / "web-client" / "dist" / "index.html").exists():
            subprocess.run(["bash", "docker/build.sh", "web"], cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL)
        rootfs = work / "rootfs"
        subprocess.run(["bash", "docker/build.sh", "rootfs", str(rootfs)], cwd=ROOT, check=True,
                       env={**os.environ, "USHER_BINARY": str(USHER)})
        entrypoint = [str(rootfs) + image["entrypoint"][0]] + image["entrypoint"][1:]
        image_env = {k: (str(rootfs) + v if k == "USHER_WEB_ROOT" else v) for k, v in image["env"].items()}
        check(Path(image_env["USHER_WEB_ROOT"], "index.html").exists(), "the image carries the web client")
        base_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **image_env}

        redis_port = free_port()
        procs.append(subprocess.Popen(
            ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(work)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        grpc = free_port()
        (work / "data").mkdir()
        backends_env = resolved(backends, docs, work, {
            "USHER_BACKENDS_LISTEN": f"127.0.0.1:{grpc}",
            "USHER_DATA_DIR": str(work / "data"),
        })
        backends_log = open(work / "backends.log", "w")
        procs.append(subprocess.Popen(entrypoint + backends["args"], env={**base_env, **backends_env},
                                      stdout=backends_log, stderr=subprocess.STDOUT))
        http_port, metrics_port = free_port(), free_port()
        local = {ports["http"]: http_port, ports.get("metrics"): metrics_port}
        gateway_env = resolved(gateway, docs, work, {
            "USHER_BIND": "127.0.0.1",
            "SERVER_PORT": str(http_port),
            "USHER_METRICS_BIND": f"127.0.0.1:{metrics_port}",
            "REDIS_ADDRESS": f"127.0.0.1:{redis_port}",
            "BACKEND_RESERVATION_API_GRPC_ADDRESS": f"127.0.0.1:{grpc}",
            "BACKEND_PAYMENT_API_GRPC_ADDRESS": f"127.0.0.1:{grpc}",
        })
        gateway_log = open(work / "gateway.log", "w")
        server = subprocess.Popen(entrypoint + gateway["args"], env={**base_env, **gateway_env},
                                  stdout=gateway_log, stderr=subprocess.STDOUT)
        procs.append(server)

        # Every probe answers as the probe expects, within what the startup probe allows.
        startup = gateway["startupProbe"]
        deadline = time.monotonic() + startup["failureThreshold"] * startup["periodSeconds"]
        for kind in ("startupProbe", "livenessProbe", "readinessProbe"):
            probe = gateway[kind]["httpGet"]
            port = probe["port"] if isinstance(probe["port"], int) else ports[probe["port"]]
            url = f"http://127.0.0.1:{local[port]}{probe['path']}"
            wait_until(f"{kind} {probe['path']} answering 200 (gateway log: {work}/gateway.log)", deadline,
                       lambda: server.poll() is None and answers(url) == 200)
        check(answers(f"http://127.0.0.1:{metrics_port}/metrics") == 200, "the metrics port answers")
        _, jwks = http(f"http://127.0.0.1:{http_port}", "GET", "/.well-known/jwks.json")
        check(len(json.loads(jwks)["keys"]) == 2, "mid-rotation, the JWKS publishes both reservation keys")

        # Sockets open, then a stop as the kubelet makes it (the preStop wait, then SIGTERM).
        base = f"http://127.0.0.1:{http_port}"
        admin = {"Authorization": f"Bearer {gateway_env['USHER_ADMIN_TOKEN'].split(',')[0]}"}
        http(base, "PUT", "/api/v1/admin/events/evt_2025_1001", {"paused": True}, admin)
        upgrades_per_sec = 15  # under the per-address upgrade rate the chart leaves at usher's default
        for _ in range(DRAIN_SOCKETS):
            _, joined = http(base, "POST", "/api/v1/queue/join", {"event_id": "evt_2025_1001"},
                             {"Idempotency-Key": str(uuid.uuid4())})
            ws, buf = ws_open(http_port, f"/api/v1/queue/ws?token={json.loads(joined)['waiting_token']}")
            messages = ws_messages(ws, buf, time.monotonic() + 10)
            check(next(messages)["type"] == "snapshot", "each socket starts with a snapshot")
            sockets.append((ws, messages))
            time.sleep(1 / upgrades_per_sec)
        grace = pod["terminationGracePeriodSeconds"]
        pre_stop = gateway["lifecycle"]["preStop"]["sleep"]["seconds"]
        stopped_at = time.monotonic()
        server.terminate()
        hints = []
        for ws, messages in sockets:
            hint = next((m for m in messages if m["type"] == "reconnect"), None)
            check(hint, "every socket is told to reconnect before it is closed")
            hints.append(hint["retry_after_ms"])
        server.wait(timeout=grace)
        drained = time.monotonic() - stopped_at
        check(server.returncode == 0, f"usher stopped with status {server.returncode}")
        check(pre_stop + drained <= grace,
              f"preStop {pre_stop} s + drain {drained:.1f} s exceeds terminationGracePeriodSeconds {grace}")
        check(max(hints) > min(hints), f"the reconnect hints are spread: {sorted(set(hints))}")
        print(f"    {len(sockets)} sockets: every one told to reconnect after {min(hints)}–{max(hints)} ms; "
              f"drained and stopped {drained:.2f} s after SIGTERM (preStop {pre_stop} s, grace {grace} s)")
    finally:
        for ws, _ in sockets:
            ws.close()
        for proc in procs:
            stop(proc)
        shutil.rmtree(work, ignore_errors=True)


def main():
    os.chdir(ROOT)
    print(f"helm {helm.helm_sdk_version()} (helm-python-sdk {helm.__version__}), chart {CHART.relative_to(ROOT)}")
    failed = []
    started = time.monotonic()
    for fn in TESTS:
        t = time.monotonic()
        try:
            fn()
        except Exception as e:  # a failure or an error: report it and go on
            failed.append(fn.__name__)
            detail = str(e) if isinstance(e, Failure) else traceback.format_exc()
            print(f"FAIL {fn.__name__} ({time.monotonic() - t:.1f} s)\n    {detail}")
        else:
            print(f"ok   {fn.__name__} ({time.monotonic() - t:.1f} s)")
    print(f"{len(TESTS) - len(failed)} passed, {len(failed)} failed in {time.monotonic() - started:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
