{{/*
Names, labels and the few values derived from others. Everything the templates share lives here.
*/}}

{{- define "usher.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The prefix of every resource name; short enough for the "-backends" and "-redis" suffixes. */}}
{{- define "usher.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "usher.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every resource; "component" says which part of the release it is. */}}
{{- define "usher.labels" -}}
helm.sh/chart: {{ include "usher.chart" .root }}
{{ include "usher.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: usher
{{- end }}

{{- define "usher.selectorLabels" -}}
app.kubernetes.io/name: {{ include "usher.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "usher.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "usher.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The usher image: digest over tag, tag defaulting to the appVersion. */}}
{{- define "usher.image" -}}
{{- $repo := .repository }}
{{- if .digest }}
{{- printf "%s@%s" $repo .digest }}
{{- else }}
{{- printf "%s:%s" $repo (default .appVersion .tag) }}
{{- end }}
{{- end }}

{{- define "usher.gatewayImage" -}}
{{- include "usher.image" (dict "repository" .Values.image.repository "digest" .Values.image.digest "tag" .Values.image.tag "appVersion" .Chart.AppVersion) }}
{{- end }}

{{- define "usher.backendsImage" -}}
{{- $ref := .Values.backends.reference.image }}
{{- if or $ref.repository $ref.tag }}
{{- include "usher.image" (dict "repository" (default .Values.image.repository $ref.repository) "digest" "" "tag" $ref.tag "appVersion" .Chart.AppVersion) }}
{{- else }}
{{- include "usher.gatewayImage" . }}
{{- end }}
{{- end }}

{{/* The Secret holding the gateway's secrets: the chart's own or an existing one. */}}
{{- define "usher.secretName" -}}
{{- default (include "usher.fullname" .) .Values.secrets.existingSecret }}
{{- end }}

{{/* Whether the chart makes its own Secret. */}}
{{- define "usher.ownSecret" -}}
{{- if or (not .Values.secrets.existingSecret) (and .Values.redis.auth.password (not .Values.redis.auth.existingSecret)) }}true{{ end }}
{{- end }}

{{/* Where the Redis password is: "name/key", or empty without a password. */}}
{{- define "usher.redisPasswordRef" -}}
{{- if .Values.redis.auth.existingSecret }}
{{- printf "%s/%s" .Values.redis.auth.existingSecret .Values.redis.auth.existingSecretKey }}
{{- else if .Values.redis.auth.password }}
{{- printf "%s/redis-password" (include "usher.fullname" .) }}
{{- end }}
{{- end }}

{{/* Whether any Redis is in use. */}}
{{- define "usher.redisEnabled" -}}
{{- if or .Values.redis.address .Values.redis.bundled.enabled }}true{{ end }}
{{- end }}

{{- define "usher.redisAddress" -}}
{{- if .Values.redis.bundled.enabled }}
{{- printf "%s-redis.%s.svc:6379" (include "usher.fullname" .) .Release.Namespace }}
{{- else }}
{{- .Values.redis.address }}
{{- end }}
{{- end }}

{{- define "usher.backendsAddress" -}}
{{- printf "%s-backends.%s.svc:%d" (include "usher.fullname" .) .Release.Namespace (int .Values.backends.reference.port) }}
{{- end }}

{{/* USHER_PUBLIC_URL: the webhook target the payment service calls. */}}
{{- define "usher.publicUrl" -}}
{{- default (printf "http://%s.%s.svc:%d" (include "usher.fullname" .) .Release.Namespace (int .Values.service.port)) .Values.config.publicUrl }}
{{- end }}

{{/* terminationGracePeriodSeconds: the preStop wait, usher's own drain, and the rest of the stop. */}}
{{- define "usher.terminationGracePeriodSeconds" -}}
{{- add .Values.drain.preStopSeconds .Values.drain.seconds .Values.drain.marginSeconds }}
{{- end }}

{{/* The WebSocket cap a pod really has: USHER_WS_MAX_CONNECTIONS, bounded by USHER_MAX_CONNECTIONS. */}}
{{- define "usher.wsCap" -}}
{{- $ws := int .Values.config.wsMaxConnections }}
{{- $conn := int .Values.config.maxConnections }}
{{- if and (gt $conn 0) (lt $conn $ws) }}{{ $conn }}{{ else }}{{ $ws }}{{ end }}
{{- end }}

{{/* The label selector of the gateway's metrics in PromQL. */}}
{{- define "usher.promSelector" -}}
namespace="{{ .Release.Namespace }}", job="{{ include "usher.fullname" . }}"
{{- end }}

{{/* The container securityContext of usher's containers. */}}
{{- define "usher.containerSecurityContext" -}}
{{- toYaml .Values.securityContext }}
{{- end }}

{{/* A secretKeyRef env entry: name, secret, key, optional. */}}
{{/* The keys of the extra reservation-token keys in the Secret, comma-separated. */}}
{{- define "usher.reservationExtraKeys" -}}
{{- if .Values.secrets.existingSecret }}
{{- join "," .Values.secrets.keys.reservationExtraKeys }}
{{- else }}
{{- $names := list }}
{{- range $i, $_ := .Values.secrets.reservationExtraKeys }}
{{- $names = append $names (printf "reservation-extra-key-%d.pem" $i) }}
{{- end }}
{{- join "," $names }}
{{- end }}
{{- end }}

{{- define "usher.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: {{ .key }}
      {{- if .optional }}
      optional: true
      {{- end }}
{{- end }}

{{/* Checks that the schema cannot express (relations between numbers). */}}
{{- define "usher.validate" -}}
{{- $c := .Values.config }}
{{- if and .Values.ingress.enabled (le (int .Values.ingress.websocketTimeoutSeconds) (add $c.wsPingSecs $c.wsPongTimeoutSecs)) }}
{{- fail (printf "ingress.websocketTimeoutSeconds (%d) must be longer than config.wsPingSecs + config.wsPongTimeoutSecs (%d): the proxy would cut healthy idle sockets" (int .Values.ingress.websocketTimeoutSeconds) (add $c.wsPingSecs $c.wsPongTimeoutSecs)) }}
{{- end }}
{{- if and .Values.autoscaling.enabled (lt (int .Values.autoscaling.maxReplicas) (int .Values.autoscaling.minReplicas)) }}
{{- fail "autoscaling.maxReplicas must be at least autoscaling.minReplicas" }}
{{- end }}
{{- if and .Values.autoscaling.enabled (not .Values.autoscaling.targetCPUUtilizationPercentage) (not .Values.autoscaling.wsConnections.enabled) }}
{{- fail "autoscaling needs a metric: targetCPUUtilizationPercentage above 0 or wsConnections.enabled" }}
{{- end }}
{{- if not .Values.secrets.existingSecret }}
{{- $pems := dict "secrets.reservationKey" .Values.secrets.reservationKey }}
{{- range $i, $pem := .Values.secrets.reservationExtraKeys }}
{{- $_ := set $pems (printf "secrets.reservationExtraKeys[%d]" $i) $pem }}
{{- end }}
{{- range $name, $key := $pems }}
{{- if not (regexMatch "^\\s*-----BEGIN (EC )?PRIVATE KEY-----\\r?\\n[A-Za-z0-9+/=\\r\\n]+-----END (EC )?PRIVATE KEY-----\\s*$" $key) }}
{{- fail (printf "%s must be the PEM (PKCS#8 BEGIN PRIVATE KEY, or SEC1 BEGIN EC PRIVATE KEY) of a P-256 key: `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256`" $name) }}
{{- end }}
{{- end }}
{{- end }}
{{- if and .Values.metrics.port (eq (int .Values.metrics.port) (int $c.port)) }}
{{- fail "metrics.port must differ from config.port (0 serves the metrics on the main port)" }}
{{- end }}
{{- end }}

{{/* An env value from a string, number or boolean; whole numbers print without an exponent. */}}
{{- define "usher.envValue" -}}
{{- if and (kindIs "float64" .) (eq . (float64 (int64 .))) }}
{{- int64 . }}
{{- else }}
{{- toString . }}
{{- end }}
{{- end }}
