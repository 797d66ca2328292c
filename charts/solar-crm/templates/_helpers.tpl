{{/* Names, labels and the pieces every workload shares. */}}

{{- define "solar.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "solar.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* <fullname>-<component>; call with (dict "root" $ "component" "web"). */}}
{{- define "solar.componentName" -}}
{{- printf "%s-%s" (include "solar.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "solar.selectorLabels" -}}
app.kubernetes.io/name: {{ include "solar.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "solar.labels" -}}
{{ include "solar.selectorLabels" . }}
app.kubernetes.io/part-of: solar-crm
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "solar.image" -}}
{{- printf "%s/%s:%s" .root.Values.image.registry .image (default .root.Chart.AppVersion .root.Values.image.tag) -}}
{{- end -}}

{{- define "solar.keysSecret" -}}
{{- if .Values.secrets.existingSecret -}}{{ .Values.secrets.existingSecret }}{{- else -}}{{ include "solar.fullname" . }}-keys{{- end -}}
{{- end -}}

{{- define "solar.databaseSecret" -}}
{{- if .Values.database.existingSecret -}}{{ .Values.database.existingSecret }}{{- else -}}{{ include "solar.fullname" . }}-connections{{- end -}}
{{- end -}}

{{- define "solar.redisSecret" -}}
{{- if .Values.redis.existingSecret -}}{{ .Values.redis.existingSecret }}{{- else -}}{{ include "solar.fullname" . }}-connections{{- end -}}
{{- end -}}

{{/* DATABASE_URL and REDIS_URL from their Secrets: never rendered as plain env values. */}}
{{- define "solar.connectionEnv" -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "solar.databaseSecret" . }}
      key: {{ if .Values.database.existingSecret }}{{ .Values.database.existingSecretKey }}{{ else }}DATABASE_URL{{ end }}
- name: REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "solar.redisSecret" . }}
      key: {{ if .Values.redis.existingSecret }}{{ .Values.redis.existingSecretKey }}{{ else }}REDIS_URL{{ end }}
{{- end -}}

{{/* Outgoing mail (invitations from platform-api, task reminders from the worker). */}}
{{- define "solar.mailEnv" -}}
{{- if .Values.mail.existingSecret }}
- name: SMTP_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.mail.existingSecret }}
      key: {{ .Values.mail.existingSecretKey }}
{{- end }}
- name: MAIL_FROM
  value: {{ .Values.mail.from | quote }}
{{- end -}}

{{/* Egress to the SMTP server, when mail is on. */}}
{{- define "solar.smtpEgress" -}}
{{- if .Values.mail.existingSecret }}
{{- range .Values.networkPolicy.smtpEgress }}
- to:
    - ipBlock:
        cidr: {{ .cidr }}
  ports:
    {{- range .ports }}
    - { protocol: TCP, port: {{ . }} }
    {{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "solar.keyEnv" -}}
- name: {{ .key }}
  valueFrom:
    secretKeyRef:
      name: {{ include "solar.keysSecret" .root }}
      key: {{ .key }}
{{- end -}}

{{- define "solar.commonEnv" -}}
- name: NODE_ENV
  value: production
- name: LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
- name: TELEMETRY_EXPORTER
  value: {{ if .Values.metrics.enabled }}prometheus{{ else }}none{{ end }}
- name: PROMETHEUS_PORT
  value: {{ .Values.metrics.port | quote }}
{{- end -}}

{{/* Liveness and readiness on the program's own HTTP port. */}}
{{- define "solar.probes" -}}
livenessProbe:
  httpGet:
    path: {{ .probes.liveness }}
    port: http
  initialDelaySeconds: 5
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet:
    path: {{ .probes.readiness }}
    port: http
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 3
{{- end -}}

{{/* Containers get a writable /tmp only: the root filesystem is read-only. */}}
{{- define "solar.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- end -}}

{{- define "solar.scheduling" -}}
{{- with .nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* The stateless programs, in one list so Service/HPA/PDB templates range over them. */}}
{{- define "solar.statelessComponents" -}}
platform-api: platformApi
tenant-runtime: tenantRuntime
tenant-worker: tenantWorker
web: web
{{- end -}}

{{/* Prometheus may scrape the metrics port (an empty list when metrics are off: ingress denied). */}}
{{- define "solar.metricsIngress" -}}
{{- if .Values.metrics.enabled -}}
- from:
    - namespaceSelector:
        {{- toYaml .Values.networkPolicy.monitoringNamespaceSelector | nindent 8 }}
  ports:
    - { protocol: TCP, port: {{ .Values.metrics.port }} }
{{- end -}}
{{- end -}}

{{/* Egress to the external MySQL and Redis. */}}
{{- define "solar.dataEgress" -}}
{{- range concat .Values.networkPolicy.databaseEgress .Values.networkPolicy.redisEgress }}
- to:
    - ipBlock:
        cidr: {{ .cidr }}
  ports:
    {{- range .ports }}
    - { protocol: TCP, port: {{ . }} }
    {{- end }}
{{- end }}
{{- end -}}
