{{/*
Chart name, truncated to the 63 characters Kubernetes allows in a label value.
*/}}
{{- define "scheduler.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full resource name: release-chart, or the release name alone when it already contains the chart
name. Truncated to 54 characters so "<fullname>-headless" still fits in 63.
*/}}
{{- define "scheduler.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 54 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 54 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 54 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "scheduler.headlessName" -}}
{{- printf "%s-headless" (include "scheduler.fullname" .) }}
{{- end }}

{{- define "scheduler.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Selector labels: stable for the life of a release (a Deployment's selector is immutable).
*/}}
{{- define "scheduler.selectorLabels" -}}
app.kubernetes.io/name: {{ include "scheduler.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "scheduler.labels" -}}
helm.sh/chart: {{ include "scheduler.chart" . }}
{{ include "scheduler.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: priority-scheduler
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Pod template labels: no chart or app version, so a chart bump alone does not roll the pods.
*/}}
{{- define "scheduler.podLabels" -}}
{{ include "scheduler.selectorLabels" . }}
app.kubernetes.io/part-of: priority-scheduler
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "scheduler.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "scheduler.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "scheduler.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (toString (default .Chart.AppVersion .Values.image.tag)) }}
{{- end }}
{{- end }}

{{/*
Readiness probe kind after resolving "auto": kubelet's gRPC probe cannot speak TLS, so a TLS gRPC
port is probed through GET /readyz on the (plaintext) metrics port instead.
*/}}
{{- define "scheduler.readinessType" -}}
{{- $type := .Values.probes.readiness.type }}
{{- if eq $type "auto" }}
{{- ternary "http" "grpc" (not (empty .Values.tls.existingSecret)) }}
{{- else }}
{{- $type }}
{{- end }}
{{- end }}

{{/*
Cross-field rules the JSON schema cannot express. Included by the Deployment; fails the render
with a message naming the values at fault.
*/}}
{{- define "scheduler.validate" -}}
{{- $v := .Values }}
{{- $drainMs := add (int $v.config.shutdownGraceMs) (mul (int $v.preStopSleepSeconds) 1000) }}
{{- if le (mul (int $v.terminationGracePeriodSeconds) 1000) $drainMs }}
{{- fail (printf "terminationGracePeriodSeconds (%ds) must exceed preStopSleepSeconds (%ds) + config.shutdownGraceMs (%dms), or the kubelet kills the server mid-drain" (int $v.terminationGracePeriodSeconds) (int $v.preStopSleepSeconds) (int $v.config.shutdownGraceMs)) }}
{{- end }}
{{- if and (eq $v.probes.readiness.type "grpc") $v.tls.existingSecret }}
{{- fail "probes.readiness.type=grpc cannot probe a TLS gRPC port (kubelet gRPC probes are plaintext): use auto or http" }}
{{- end }}
{{- if $v.podDisruptionBudget.enabled }}
{{- $min := $v.podDisruptionBudget.minAvailable }}
{{- $max := $v.podDisruptionBudget.maxUnavailable }}
{{- if eq (kindIs "invalid" $min) (kindIs "invalid" $max) }}
{{- fail "podDisruptionBudget: set exactly one of minAvailable and maxUnavailable (the other null)" }}
{{- end }}
{{- end }}
{{- if $v.autoscaling.enabled }}
{{- if gt (int $v.autoscaling.minReplicas) (int $v.autoscaling.maxReplicas) }}
{{- fail "autoscaling.minReplicas must not exceed autoscaling.maxReplicas" }}
{{- end }}
{{- if and (kindIs "invalid" $v.autoscaling.targetCPUUtilizationPercentage) (kindIs "invalid" $v.autoscaling.targetMemoryUtilizationPercentage) }}
{{- fail "autoscaling: set targetCPUUtilizationPercentage or targetMemoryUtilizationPercentage" }}
{{- end }}
{{- end }}
{{- end }}
