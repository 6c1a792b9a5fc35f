#!/usr/bin/env bash
# Offline checks of the Helm chart in helm/scheduler:
#   1. helm lint --strict over the default values and ci/full-values.yaml;
#   2. helm template of both, for the oldest and newest Kubernetes versions checked;
#   3. validation of every rendered manifest against that version's Kubernetes JSON schemas
#      (kubernetes-validate, strict: unknown fields fail). The ServiceMonitor and PrometheusRule are
#      CRDs the schemas do not cover: the validator skips them and the chart checks below assert
#      their shape instead;
#   4. chart behaviour: Service selectors and ports match the pods, probes, security context, the
#      ConfigMap carries the env contract, the ServiceMonitor and PrometheusRule render only when
#      their CRD is served, the alerts take their thresholds from values, the Grafana dashboard
#      ConfigMap carries the sidecar label and valid JSON, and bad values are refused;
#   5. helm/scheduler/README.md documents every value (the table is generated from values.yaml's
#      `# --` comments: `scripts/helm-check.sh --update-readme` rewrites it);
#   6. the alerts rendered with the default thresholds: `promtool check rules` parses their PromQL
#      and `promtool test rules` runs helm/scheduler/ci/alerts-test.yaml against them (promtool
#      from Debian's `prometheus` package, which scripts/test.sh installs).
#
# Tools are built or installed once into ${HELM_CACHE:-$HOME/.cache/priority-scheduler}:
#   bin/helm-<version>   `go install helm.sh/helm/v3/cmd/helm` (Go module proxy; a few minutes cold).
#                        Built so, helm assumes Kubernetes 1.20, below the chart's kubeVersion:
#                        run it with --kube-version, as below.
#   venv-kv-<version>/   Python venv with kubernetes-validate (schemas ship inside the package)
# Later runs take a few seconds and need no network. Exit status: 0 when every check passed.
set -euo pipefail

HELM_VERSION="${HELM_VERSION:-v3.21.4}"
KV_VERSION="${KUBERNETES_VALIDATE_VERSION:-1.37.0}"
# Oldest supported (Chart.yaml kubeVersion; native gRPC probes are GA there) and newest shipped.
KUBE_VERSIONS="${HELM_CHECK_KUBE_VERSIONS:-1.27.0 1.37.0}"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
chart="$root/helm/scheduler"
cache="${HELM_CACHE:-$HOME/.cache/priority-scheduler}"
started=$SECONDS
update_readme=0
[[ ${1:-} == --update-readme ]] && update_readme=1

log() { echo "helm-check: $*" >&2; }
die() { echo "helm-check: FAILED: $*" >&2; exit 1; }

# ---- tools ----
ensure_helm() {
  helm="$cache/bin/helm-$HELM_VERSION"
  [[ -x $helm ]] && return
  local go; go="$(command -v go || echo /usr/local/go/bin/go)"
  [[ -x $go ]] || die "no Go toolchain to build helm (PATH or /usr/local/go/bin/go)"
  log "building helm $HELM_VERSION from the Go module proxy (once; a few minutes)"
  mkdir -p "$cache/bin"
  local tmp; tmp="$(mktemp -d "$cache/bin/.build.XXXXXX")"
  if ! CGO_ENABLED=0 GOBIN="$tmp" GOFLAGS=-buildvcs=false "$go" install -trimpath \
    -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" \
    "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >"$tmp/build.log" 2>&1; then
    tail -20 "$tmp/build.log" >&2
    rm -rf "$tmp"
    die "go install helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
  fi
  mv -f "$tmp/helm" "$helm" # atomic: a concurrent run sees no half-written binary
  rm -rf "$tmp"
}

ensure_validator() {
  venv="$cache/venv-kv-$KV_VERSION"
  [[ -x $venv/bin/kubernetes-validate && -f $venv/.complete ]] && return
  log "installing kubernetes-validate $KV_VERSION into $venv (once)"
  rm -rf "$venv"
  python3 -m venv "$venv" || die "python3 -m venv (install python3-venv)"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "kubernetes-validate==$KV_VERSION" \
    || die "pip install kubernetes-validate==$KV_VERSION"
  touch "$venv/.complete"
}

ensure_helm
ensure_validator
py="$venv/bin/python"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=()
fail_step() { failures+=("$1"); log "FAIL: $1"; }

# ---- 5. README values table (first, so --update-readme can run alone) ----
readme_table() {
  "$py" - "$chart/values.yaml" "$chart/README.md" "$1" <<'PY'
import json, re, sys, yaml
values_path, readme_path, mode = sys.argv[1:4]
lines = open(values_path).read().splitlines()
values = yaml.safe_load(open(values_path))
docs, stack, pending = {}, [], []
for line in lines:  # `# -- text` (plus following `#` lines) documents the next key
    if m := re.match(r'^\s*# -- (.*)$', line):
        pending = [m.group(1)]
    elif m := re.match(r'^\s*#\s?(.*)$', line):
        if pending:
            pending.append(m.group(1))
    elif m := re.match(r'^(\s*)([A-Za-z0-9_]+):', line):
        while stack and stack[-1][0] >= len(m.group(1)):
            stack.pop()
        stack.append((len(m.group(1)), m.group(2)))
        if pending:
            docs['.'.join(k for _, k in stack)] = ' '.join(pending)
        pending = []
    elif not line.strip():
        pending = []
rows, undocumented = [], []
def walk(prefix, node):
    for key, value in node.items():
        path = f'{prefix}.{key}' if prefix else key
        if path in docs:
            rows.append((path, value, docs[path]))
        elif isinstance(value, dict) and value:
            walk(path, value)
        else:
            undocumented.append(path)
walk('', values)
if undocumented:
    sys.exit(f'values without a "# --" comment in values.yaml: {", ".join(undocumented)}')
cell = lambda s: s.replace('|', '\\|')
table = ['| Key | Default | Description |', '| --- | --- | --- |']
for path, value, doc in rows:
    default = json.dumps(value, separators=(',', ':'))
    table.append(f'| `{path}` | `{cell(default)}` | {cell(doc)} |')
start, end = '<!-- values-table:start -->', '<!-- values-table:end -->'
readme = open(readme_path).read()
if start not in readme or end not in readme:
    sys.exit(f'README.md lacks the {start} / {end} markers')
head, rest = readme.split(start, 1)
_, tail = rest.split(end, 1)
updated = head + start + '\n\n' + '\n'.join(table) + '\n\n' + end + tail
if mode == 'write':
    open(readme_path, 'w').write(updated)
elif updated != readme:
    sys.exit('helm/scheduler/README.md values table is stale: run scripts/helm-check.sh --update-readme')
PY
}
if ((update_readme)); then
  readme_table write || die "README update"
  log "rewrote the values table of helm/scheduler/README.md"
  exit 0
fi
readme_table check || fail_step "README values table"

# ---- 1. lint ----
oldest="${KUBE_VERSIONS%% *}"
for values in default ci/full-values.yaml; do
  args=(--strict --kube-version "$oldest")
  [[ $values == default ]] || args+=(-f "$chart/$values")
  if ! "$helm" lint "$chart" "${args[@]}" >"$work/lint.log" 2>&1; then
    cat "$work/lint.log" >&2
    fail_step "helm lint ($values)"
  fi
done

# ---- 2 + 3. render and validate ----
render() { # NAME KUBE_VERSION [helm template args...]
  local name=$1 kube=$2; shift 2
  "$helm" template sched "$chart" --namespace jobs --kube-version "$kube" "$@" \
    >"$work/$name.yaml" 2>"$work/$name.err" || { cat "$work/$name.err" >&2; fail_step "helm template $name"; return 1; }
}
manifests=0
for kube in $KUBE_VERSIONS; do
  render "default-$kube" "$kube" || continue
  render "full-$kube" "$kube" -f "$chart/ci/full-values.yaml" \
    --api-versions monitoring.coreos.com/v1/ServiceMonitor \
    --api-versions monitoring.coreos.com/v1/PrometheusRule || continue
  for name in "default-$kube" "full-$kube"; do
    # Strict: unknown fields are errors. Exits 1 on an invalid resource; warns (and passes) on
    # kinds it has no schema for, which here are only the ServiceMonitor and PrometheusRule CRDs.
    if ! "$venv/bin/kubernetes-validate" --strict --quiet -k "$kube" "$work/$name.yaml" \
      >"$work/kv.log" 2>&1; then
      cat "$work/kv.log" >&2
      fail_step "Kubernetes $kube schema validation ($name)"
    elif grep -Ev 'ServiceMonitor|PrometheusRule' "$work/kv.log" | grep -q .; then
      cat "$work/kv.log" >&2
      fail_step "unexpected validator warnings ($name)"
    fi
    manifests=$((manifests + $(grep -c '^kind: ' "$work/$name.yaml")))
  done
done
render no-crd "$oldest" -f "$chart/ci/full-values.yaml" || true

# ---- 4. chart behaviour ----
newest="${KUBE_VERSIONS##* }"
if [[ -f $work/default-$newest.yaml && -f $work/full-$newest.yaml && -f $work/no-crd.yaml ]]; then
  "$py" - "$work/default-$newest.yaml" "$work/full-$newest.yaml" "$work/no-crd.yaml" <<'PY' \
    || fail_step "chart behaviour"
import sys, yaml
errors = []
def check(ok, what):
    if not ok:
        errors.append(what)
def load(path):
    docs = [d for d in yaml.safe_load_all(open(path)) if d]
    return {(d['kind'], d['metadata']['name']): d for d in docs}
def one(docs, kind):
    found = [d for (k, _), d in docs.items() if k == kind]
    return found[0] if len(found) == 1 else None

CONTRACT = {'GRPC_PORT', 'METRICS_PORT', 'STATIC_TIERS', 'DEFAULT_TIER', 'TIER_WEIGHTS', 'LOG_LEVEL',
            'SHUTDOWN_GRACE_MS', 'MONGODB_COLLECTION'}
def common(docs, label):
    dep = one(docs, 'Deployment')
    if dep is None:
        return errors.append(f'{label}: expected one Deployment')
    pod = dep['spec']['template']
    ctr = pod['spec']['containers'][0]
    sec, psec = ctr.get('securityContext', {}), pod['spec'].get('securityContext', {})
    check(sec.get('runAsNonRoot') and sec.get('runAsUser') == 10001, f'{label}: runAsNonRoot/10001')
    check(sec.get('readOnlyRootFilesystem') is True, f'{label}: readOnlyRootFilesystem')
    check(sec.get('allowPrivilegeEscalation') is False, f'{label}: allowPrivilegeEscalation')
    check(sec.get('capabilities', {}).get('drop') == ['ALL'], f'{label}: capabilities drop ALL')
    check(psec.get('seccompProfile', {}).get('type') == 'RuntimeDefault', f'{label}: seccomp')
    check(pod['spec'].get('automountServiceAccountToken') is False, f'{label}: SA token mounted')
    check(any(m['mountPath'] == '/tmp' for m in ctr['volumeMounts']), f'{label}: /tmp emptyDir')
    keys = {c.get('topologyKey') for c in pod['spec'].get('topologySpreadConstraints', [])}
    check({'topology.kubernetes.io/zone', 'kubernetes.io/hostname'} <= keys, f'{label}: spread')
    check('checksum/config' in pod['metadata'].get('annotations', {}), f'{label}: config checksum')
    check(ctr['livenessProbe'].get('httpGet', {}).get('path') == '/healthz', f'{label}: liveness')
    ports = {p['name']: p['containerPort'] for p in ctr['ports']}
    # The settings ConfigMap (the dashboard's, when enabled, is another).
    cm = [d for (k, n), d in docs.items() if k == 'ConfigMap' and not n.endswith('-dashboard')][0]['data']
    check(CONTRACT <= cm.keys(), f'{label}: ConfigMap lacks {sorted(CONTRACT - cm.keys())}')
    check(ports.get('grpc') == int(cm['GRPC_PORT']), f'{label}: grpc port != GRPC_PORT')
    check(ports.get('metrics') == int(cm['METRICS_PORT']), f'{label}: metrics port != METRICS_PORT')
    env = {e['name'] for e in ctr.get('env', [])} | cm.keys()
    check('REDIS_URL' in env, f'{label}: no REDIS_URL')
    grace_ms = int(cm['SHUTDOWN_GRACE_MS'])
    pre_stop = ctr.get('lifecycle', {}).get('preStop', {}).get('exec', {}).get('command', ['', '', '0'])
    check(pod['spec']['terminationGracePeriodSeconds'] * 1000 > grace_ms + int(pre_stop[-1]) * 1000,
          f'{label}: terminationGracePeriodSeconds does not cover the drain')
    labels = pod['metadata']['labels']
    for key in ('helm.sh/chart', 'app.kubernetes.io/version'):
        check(key not in labels, f'{label}: pod template label {key} rolls pods on a chart bump')
    for (kind, name), svc in docs.items():
        if kind != 'Service':
            continue
        sel = svc['spec']['selector']
        check(all(labels.get(k) == v for k, v in sel.items()), f'{label}: {name} selects no pod')
        for p in svc['spec']['ports']:
            check(p['targetPort'] in ports, f'{label}: {name} targets unknown port {p["targetPort"]}')
    headless = [s for (k, _), s in docs.items() if k == 'Service' and s['spec'].get('clusterIP') == 'None']
    check(len(headless) == 1 and headless[0]['spec'].get('publishNotReadyAddresses') is False,
          f'{label}: headless Service')
    return dep, ctr, cm, env

default, full, no_crd = (load(p) for p in sys.argv[1:4])
if r := common(default, 'default'):
    dep, ctr, cm, env = r
    check(ctr['readinessProbe'].get('grpc', {}).get('port') == int(cm['GRPC_PORT']), 'default: gRPC readiness')
    check(dep['spec'].get('replicas') == 2, 'default: replicas')
    check(one(default, 'PodDisruptionBudget') is not None, 'default: PDB')
    for kind in ('HorizontalPodAutoscaler', 'ServiceMonitor', 'Secret', 'NetworkPolicy'):
        check(one(default, kind) is None, f'default: unexpected {kind}')
if r := common(full, 'full'):
    dep, ctr, cm, env = r
    check(ctr['readinessProbe'].get('httpGet', {}).get('path') == '/readyz', 'full: TLS port must use /readyz')
    check('replicas' not in dep['spec'], 'full: replicas set although the HPA owns them')
    for key in ('REDIS_CLUSTER_NODES', 'AUTH_TOKENS_FILE', 'TLS_CERT_FILE', 'TLS_KEY_FILE', 'TLS_CA_FILE',
                'MONGODB_URI', 'MONGODB_DATABASE'):
        check(key in env, f'full: no {key}')
    check('REDIS_URL' not in cm, 'full: REDIS_URL in the ConfigMap although a Secret holds it')
    secret_refs = {e['name'] for e in ctr.get('env', []) if 'secretKeyRef' in e.get('valueFrom', {})}
    check({'REDIS_URL', 'MONGODB_URI', 'REDIS_PASSWORD'} <= secret_refs,
          'full: Redis URL and password, MongoDB URI not from Secrets')
    mounts = {m['mountPath']: m['name'] for m in ctr['volumeMounts']}
    volumes = {v['name']: v for v in dep['spec']['template']['spec']['volumes']}
    ca_dir, _, ca_file = cm.get('REDIS_TLS_CA_FILE', '').rpartition('/')
    ca_volume = volumes.get(mounts.get(ca_dir, ''), {}).get('secret', {})
    check(ca_file in {i['path'] for i in ca_volume.get('items', [])},
          'full: REDIS_TLS_CA_FILE is not a file of the mounted Redis CA Secret')
    np = one(full, 'NetworkPolicy')
    if np is None:
        errors.append('full: no NetworkPolicy although networkPolicy.enabled')
    else:
        pod_labels = dep['spec']['template']['metadata']['labels']
        check(all(pod_labels.get(k) == v for k, v in np['spec']['podSelector']['matchLabels'].items()),
              'full: NetworkPolicy selects no pod')
        ports = {p['port'] for rule in np['spec']['ingress'] for p in rule['ports']}
        check(ports == {p['name'] for p in ctr['ports']}, f'full: NetworkPolicy ports {ports}')
        check(np['spec']['policyTypes'] == ['Ingress', 'Egress'], 'full: NetworkPolicy policyTypes')
    check(one(full, 'HorizontalPodAutoscaler') is not None, 'full: HPA')
    check(one(full, 'Secret') is None, 'full: the chart must not create Secrets')
    sm = one(full, 'ServiceMonitor')
    if sm is None:
        errors.append('full: ServiceMonitor not rendered although the CRD is advertised')
    else:
        sel = sm['spec']['selector']['matchLabels']
        picked = [n for (k, n), s in full.items()
                  if k == 'Service' and all(s['metadata']['labels'].get(a) == b for a, b in sel.items())]
        check(len(picked) == 1 and any(p['name'] == sm['spec']['endpoints'][0]['port']
              for p in full[('Service', picked[0])]['spec']['ports']),
              f'full: ServiceMonitor must select exactly the metrics Service, got {picked}')
check(one(no_crd, 'ServiceMonitor') is None, 'ServiceMonitor rendered although the CRD is not served')
check(one(no_crd, 'PrometheusRule') is None, 'PrometheusRule rendered although the CRD is not served')
check(one(default, 'PrometheusRule') is None, 'default: unexpected PrometheusRule')
check(not any(k == 'ConfigMap' and n.endswith('-dashboard') for k, n in default), 'default: dashboard')
rule = one(full, 'PrometheusRule')
if rule is None:
    errors.append('full: PrometheusRule not rendered although the CRD is advertised')
else:
    alerts = {r['alert']: r for g in rule['spec']['groups'] for r in g['rules']}
    check(set(alerts) == {'SchedulerOldestReadyJobStale', 'SchedulerDeadLettersGrowing',
                          'SchedulerMongoBreakerOpen', 'SchedulerRedisUnavailable',
                          'SchedulerLeaseExpiriesRising', 'SchedulerQueueHasNoWorkers'},
          f'full: alerts {sorted(alerts)}')
    stale = alerts.get('SchedulerOldestReadyJobStale', {})
    check(stale.get('expr', '').endswith('> 120') and stale.get('for') == '5m'
          and stale.get('labels') == {'severity': 'critical', 'team': 'platform'},
          'full: thresholds, for and labels of the alerts come from values')
    check(all('namespace="jobs", job="sched-scheduler"' in r['expr'] for r in alerts.values()),
          'full: every alert selects the release namespace and Service')
    check(rule['metadata']['labels'].get('release') == 'prometheus', 'full: rule labels')
dash = [d for (k, n), d in full.items() if k == 'ConfigMap' and n.endswith('-dashboard')]
if len(dash) != 1:
    errors.append('full: expected one dashboard ConfigMap')
else:
    check(dash[0]['metadata']['labels'].get('grafana_dashboard') == '1', 'full: sidecar label')
    check(dash[0]['metadata'].get('annotations', {}).get('grafana_folder') == 'Scheduler',
          'full: dashboard annotations')
    import json
    try:
        panels = json.loads(dash[0]['data']['priority-scheduler.json'])['panels']
        check(len(panels) > 0, 'full: dashboard without panels')
    except (ValueError, KeyError) as e:
        errors.append(f'full: dashboard JSON: {e}')
if errors:
    print('\n'.join(f'  - {e}' for e in errors), file=sys.stderr)
    sys.exit(1)
PY
fi

# A chart version bump alone must leave the pod template as it is (no rollout).
bumped="$work/bumped"
cp -R "$chart" "$bumped"
sed -i 's/^version: .*/version: 99.0.0/' "$bumped/Chart.yaml"
if "$helm" template sched "$bumped" --namespace jobs --kube-version "$newest" >"$work/bumped.yaml" 2>&1 \
  && [[ -f $work/default-$newest.yaml ]]; then
  "$py" - "$work/default-$newest.yaml" "$work/bumped.yaml" <<'PY' || fail_step "a chart bump changes the pod template"
import sys, yaml
def template(path):
    docs = [d for d in yaml.safe_load_all(open(path)) if d]
    return [d['spec']['template'] for d in docs if d['kind'] == 'Deployment']
sys.exit(0 if template(sys.argv[1]) == template(sys.argv[2]) else 1)
PY
else
  fail_step "helm template of the bumped chart"
fi

# Values the chart must refuse: the schema (types, enums, unknown keys) and the render-time rules.
for bad in replicaCount=two unknownKey=1 config.logLevel=loud redis.url=http://redis:6379 \
  terminationGracePeriodSeconds=20 podDisruptionBudget.minAvailable=1 \
  tls.existingSecret=grpc-tls,probes.readiness.type=grpc autoscaling.enabled=true,autoscaling.minReplicas=5,autoscaling.maxReplicas=3 \
  prometheusRule.oldestReadyAge.for=soon prometheusRule.deadLetters.increase=-1; do
  if "$helm" template sched "$chart" --kube-version "$oldest" --set "$bad" >/dev/null 2>&1; then
    fail_step "accepted bad values: --set $bad"
  fi
done

# ---- 6. alerts: PromQL parsed, and unit tests on series made up for them ----
if ! command -v promtool >/dev/null; then
  fail_step "promtool not found (apt-get install --no-install-recommends prometheus)"
elif render alerts "$newest" --set prometheusRule.enabled=true \
  --api-versions monitoring.coreos.com/v1/PrometheusRule; then
  mkdir -p "$work/alerts"
  cp "$chart/ci/alerts-test.yaml" "$work/alerts/"
  "$py" - "$work/alerts.yaml" "$work/alerts/rules.yaml" <<'PY' || fail_step "alerts: no PrometheusRule rendered"
import sys, yaml
rules = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d and d['kind'] == 'PrometheusRule']
yaml.safe_dump(rules[0]['spec'], open(sys.argv[2], 'w'))
PY
  if [[ -f $work/alerts/rules.yaml ]]; then
    promtool check rules "$work/alerts/rules.yaml" >"$work/promtool.log" 2>&1 \
      || { cat "$work/promtool.log" >&2; fail_step "promtool check rules"; }
    (cd "$work/alerts" && promtool test rules alerts-test.yaml) >"$work/promtool.log" 2>&1 \
      || { cat "$work/promtool.log" >&2; fail_step "promtool test rules (ci/alerts-test.yaml)"; }
  fi
fi

# ---- summary ----
elapsed=$((SECONDS - started))
if ((${#failures[@]})); then
  echo "helm-check: FAILED (${#failures[@]}): $(IFS=';'; echo "${failures[*]}") [${elapsed}s]"
  exit 1
fi
echo "helm-check: OK: lint x2, $manifests manifests valid for Kubernetes ${KUBE_VERSIONS// /, } (ServiceMonitor and PrometheusRule CRDs checked by the chart tests, not the schema validator), bad values refused, README in sync, alerts unit-tested, helm $HELM_VERSION [${elapsed}s]"
