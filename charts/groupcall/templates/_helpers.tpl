{{/*
Names. Kubernetes names are at most 63 characters; the StatefulSet's is kept to
52 so that its pods' controller-revision-hash label still fits.
*/}}
{{- define "groupcall.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "groupcall.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "groupcall.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "groupcall.controlPlane.fullname" -}}
{{- printf "%s-control-plane" (include "groupcall.fullname" . | trunc 49 | trimSuffix "-") }}
{{- end }}

{{- define "groupcall.sfuWorker.fullname" -}}
{{- printf "%s-sfu" (include "groupcall.fullname" . | trunc 48 | trimSuffix "-") }}
{{- end }}

{{- define "groupcall.redis.fullname" -}}
{{- printf "%s-redis" (include "groupcall.fullname" . | trunc 57 | trimSuffix "-") }}
{{- end }}

{{/* The Secret this chart manages (values given inline). */}}
{{- define "groupcall.secretName" -}}
{{- include "groupcall.fullname" . }}
{{- end }}

{{- define "groupcall.sfuWorker.serviceAccountName" -}}
{{- if .Values.sfuWorker.serviceAccount.create }}
{{- default (include "groupcall.sfuWorker.fullname" .) .Values.sfuWorker.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.sfuWorker.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Name of the pod with ordinal `.ordinal` (dict "root" $ "ordinal" N). */}}
{{- define "groupcall.sfuWorker.podName" -}}
{{- printf "%s-%d" (include "groupcall.sfuWorker.fullname" .root) (int .ordinal) }}
{{- end }}

{{/*
Labels: the app.kubernetes.io set on every resource; selector labels are the
stable subset. Components: control-plane, sfu-worker, redis.
*/}}
{{- define "groupcall.labels" -}}
helm.sh/chart: {{ include "groupcall.chart" . }}
{{ include "groupcall.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: groupcall
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "groupcall.selectorLabels" -}}
app.kubernetes.io/name: {{ include "groupcall.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* (dict "root" $ "component" "control-plane") */}}
{{- define "groupcall.componentLabels" -}}
{{ include "groupcall.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "groupcall.componentSelectorLabels" -}}
{{ include "groupcall.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* image reference: (dict "root" $ "image" .Values.controlPlane.image) */}}
{{- define "groupcall.image" -}}
{{- printf "%s:%s" .image.repository (default .root.Chart.AppVersion .image.tag | toString) }}
{{- end }}

{{/*
Where each secret value lives: "name/key" of a Secret, or "" when not configured.
Either a Secret you manage (existingSecret) or the chart's own Secret.
*/}}
{{- define "groupcall.secretRef.jwt" -}}
{{- $a := .Values.auth }}
{{- if $a.existingSecret.name }}{{ printf "%s/%s" $a.existingSecret.name $a.existingSecret.key }}
{{- else if $a.jwtSecret }}{{ printf "%s/auth-jwt-secret" (include "groupcall.secretName" .) }}
{{- end }}
{{- end }}

{{/* (dict "root" $ "key" "ticket-private-key"|"ticket-public-key"|"pod-service-secret") */}}
{{- define "groupcall.secretRef.tickets" -}}
{{- printf "%s/%s" (default (include "groupcall.secretName" .root) .root.Values.tickets.existingSecret.name) .key }}
{{- end }}

{{- define "groupcall.secretRef.turn" -}}
{{- $t := .Values.turn }}
{{- if $t.existingSecret.name }}{{ printf "%s/%s" $t.existingSecret.name $t.existingSecret.key }}
{{- else if $t.secret }}{{ printf "%s/turn-secret" (include "groupcall.secretName" .) }}
{{- end }}
{{- end }}

{{- define "groupcall.secretRef.webhooks" -}}
{{- $w := .Values.webhooks }}
{{- if $w.existingSecret.name }}{{ printf "%s/%s" $w.existingSecret.name $w.existingSecret.key }}
{{- else if $w.secret }}{{ printf "%s/webhook-secret" (include "groupcall.secretName" .) }}
{{- end }}
{{- end }}

{{- define "groupcall.secretRef.redis" -}}
{{- $r := .Values.redis }}
{{- if $r.existingSecret.name }}{{ printf "%s/%s" $r.existingSecret.name $r.existingSecret.key }}
{{- else if $r.url }}{{ printf "%s/redis-url" (include "groupcall.secretName" .) }}
{{- end }}
{{- end }}

{{- define "groupcall.secretRef.database" -}}
{{- $d := .Values.database }}
{{- if $d.existingSecret.name }}{{ printf "%s/%s" $d.existingSecret.name $d.existingSecret.key }}
{{- else if $d.url }}{{ printf "%s/database-url" (include "groupcall.secretName" .) }}
{{- end }}
{{- end }}

{{- define "groupcall.secretRef.firebase" -}}
{{- $f := .Values.firebase }}
{{- if $f.existingSecret.name }}{{ printf "%s/%s" $f.existingSecret.name $f.existingSecret.key }}
{{- else if $f.serviceAccountJson }}{{ printf "%s/firebase-service-account.json" (include "groupcall.secretName" .) }}
{{- end }}
{{- end }}

{{/* env entry from a "name/key" reference: (dict "env" "REDIS_URL" "ref" "secret/key") */}}
{{- define "groupcall.secretEnv" -}}
{{- $parts := splitList "/" .ref -}}
- name: {{ .env }}
  valueFrom:
    secretKeyRef:
      name: {{ index $parts 0 }}
      key: {{ index $parts 1 }}
{{- end }}

{{/* projected volume source of one file: (dict "ref" "secret/key" "path" "ticket-secret") */}}
{{- define "groupcall.secretFile" -}}
{{- $parts := splitList "/" .ref -}}
- secret:
    name: {{ index $parts 0 }}
    items:
      - key: {{ index $parts 1 }}
        path: {{ .path }}
{{- end }}

{{- define "groupcall.secretsDir" -}}
/var/run/secrets/groupcall
{{- end }}

{{/*
Checks across values that the schema cannot express; fails the render with
what to set.
*/}}
{{- define "groupcall.validate" -}}
{{- $a := .Values.auth }}
{{- if and $a.jwksUrl (or $a.jwtSecret $a.existingSecret.name) }}
{{- fail "auth: set auth.jwtSecret (or auth.existingSecret) or auth.jwksUrl, not both" }}
{{- end }}
{{- if not (or $a.jwksUrl $a.jwtSecret $a.existingSecret.name) }}
{{- fail "auth: set auth.jwtSecret, auth.existingSecret.name or auth.jwksUrl: access tokens of the Threads backend are verified with it" }}
{{- end }}
{{- if and (not (and $a.issuer $a.audience)) (not $a.allowMissingIssuerAudience) }}
{{- fail "auth: set auth.issuer and auth.audience (what the Threads backend's access tokens carry), or auth.allowMissingIssuerAudience=true" }}
{{- end }}
{{- $t := .Values.tickets }}
{{- if ne (empty $t.privateKey) (empty $t.publicKey) }}
{{- fail "tickets: set tickets.privateKey and tickets.publicKey together (or neither: the chart generates a pair)" }}
{{- end }}
{{- $r := .Values.redis }}
{{- if not (or $r.embedded.enabled $r.url $r.existingSecret.name) }}
{{- fail "redis: set redis.url, redis.existingSecret.name, or redis.embedded.enabled=true (development)" }}
{{- end }}
{{- if and $r.embedded.enabled (or $r.url $r.existingSecret.name) }}
{{- fail "redis: redis.embedded.enabled=true runs its own Redis: leave redis.url and redis.existingSecret empty" }}
{{- end }}
{{- $turn := .Values.turn }}
{{- if and $turn.urls (not (or $turn.secret $turn.existingSecret.name)) }}
{{- fail "turn: turn.urls needs turn.secret or turn.existingSecret.name (the secret shared with the TURN server)" }}
{{- end }}
{{- if and (not $turn.urls) (or $turn.secret $turn.existingSecret.name) }}
{{- fail "turn: a TURN secret is set but turn.urls is empty: clients would get no TURN server" }}
{{- end }}
{{- $webhooks := .Values.webhooks }}
{{- if and $webhooks.url (not (or $webhooks.secret $webhooks.existingSecret.name)) }}
{{- fail "webhooks: webhooks.url needs webhooks.secret or webhooks.existingSecret.name (the signing secret)" }}
{{- end }}
{{- if and (not $webhooks.url) (or $webhooks.secret $webhooks.existingSecret.name) }}
{{- fail "webhooks: a webhook secret is set but webhooks.url is empty" }}
{{- end }}
{{- $s := .Values.sfuWorker }}
{{- if lt (int $s.maxReplicas) (int $s.replicas) }}
{{- fail (printf "sfuWorker.maxReplicas (%d) must be >= sfuWorker.replicas (%d): each ordinal needs its Service and ingress path" (int $s.maxReplicas) (int $s.replicas)) }}
{{- end }}
{{- if and $s.media.announcedIp (gt (int $s.replicas) 1) }}
{{- fail "sfuWorker.media.announcedIp would be announced by every pod: with several replicas leave it empty (each pod announces its node's ExternalIP) or annotate the nodes with groupcall.io/announced-ip" }}
{{- end }}
{{- if gt (add (int $s.media.portBase) (int $s.media.workers)) 65536 }}
{{- fail "sfuWorker.media.portBase + workers goes past port 65535" }}
{{- end }}
{{- if and .Values.ingress.enabled (not .Values.ingress.host) }}
{{- fail "ingress.host: set the public host name of the API and the signalling, e.g. calls.example.com (or ingress.enabled=false)" }}
{{- end }}
{{- if and .Values.gateway.enabled (not .Values.gateway.parentRefs) }}
{{- fail "gateway.parentRefs: name the Gateway the HTTPRoutes attach to, e.g. [{name: public, namespace: gateway-system}]" }}
{{- end }}
{{- if and .Values.gateway.enabled (not .Values.ingress.host) }}
{{- fail "ingress.host: set the public host name; the HTTPRoutes use ingress.host (and ingress.sfuHost)" }}
{{- end }}
{{- $np := .Values.networkPolicy }}
{{- if and $np.enabled (not $np.ingressFrom) }}
{{- fail "networkPolicy.ingressFrom: name the ingress controller's or Gateway's pods (NetworkPolicy peers), or the API is unreachable" }}
{{- end }}
{{- if and $np.enabled (not $np.nodeCIDRs) }}
{{- fail "networkPolicy.nodeCIDRs: give the nodes' address ranges: the sfu-worker pods (host network) reach the control plane and Redis from them" }}
{{- end }}
{{- if and (not .Values.ingress.host) (not $s.publicUrl) }}
{{- fail "set ingress.host or sfuWorker.publicUrl: clients need the public URL of the signalling" }}
{{- end }}
{{- end }}

{{/* Public base URL of sfu-worker signalling (PUBLIC_URL). */}}
{{- define "groupcall.sfuWorker.publicUrl" -}}
{{- if .Values.sfuWorker.publicUrl }}
{{- .Values.sfuWorker.publicUrl | trimSuffix "/" }}
{{- else }}
{{- printf "%s://%s" (ternary "https" "http" .Values.ingress.tls.enabled) (default .Values.ingress.host .Values.ingress.sfuHost) }}
{{- end }}
{{- end }}

{{/* In-cluster URL of the control plane (CONTROL_PLANE_URL of the sfu-workers). */}}
{{- define "groupcall.controlPlane.url" -}}
{{- printf "http://%s.%s.svc:%d" (include "groupcall.controlPlane.fullname" .) .Release.Namespace (int .Values.controlPlane.port) }}
{{- end }}

{{/* Environment both services share: auth, tickets, Redis, logging. */}}
{{- define "groupcall.commonEnv" -}}
{{- $dir := include "groupcall.secretsDir" . }}
{{- if .Values.redis.embedded.enabled -}}
- name: REDIS_URL
  value: {{ printf "redis://%s:6379" (include "groupcall.redis.fullname" .) | quote }}
{{- else }}
{{- include "groupcall.secretEnv" (dict "env" "REDIS_URL" "ref" (include "groupcall.secretRef.redis" .)) }}
{{- end }}
- name: POD_SERVICE_SECRET_FILE
  value: {{ printf "%s/pod-service-secret" $dir }}
{{- if .Values.auth.jwksUrl }}
- name: AUTH_JWKS_URL
  value: {{ .Values.auth.jwksUrl | quote }}
{{- else }}
- name: AUTH_JWT_SECRET_FILE
  value: {{ printf "%s/auth-jwt-secret" $dir }}
{{- end }}
{{- with .Values.auth.issuer }}
- name: AUTH_ISSUER
  value: {{ . | quote }}
{{- end }}
{{- with .Values.auth.audience }}
- name: AUTH_AUDIENCE
  value: {{ . | quote }}
{{- end }}
{{- if .Values.auth.allowMissingIssuerAudience }}
- name: AUTH_ALLOW_MISSING_ISSUER_AUDIENCE
  value: "true"
{{- end }}
{{- with .Values.avatarBaseUrl }}
- name: AVATAR_BASE_URL
  value: {{ . | quote }}
{{- end }}
- name: LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
{{- end }}

{{/* Container security of the in-chart Redis (the services take theirs from values). */}}
{{- define "groupcall.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: ["ALL"]
{{- end }}

{{/*
Checksum of the secret values given to the chart that a component reads, as a
pod annotation: changing one rolls that component's pods. The sfu-workers only
read auth, tickets and Redis, so a new database URL or Firebase key does not
drain the media pods. (dict "root" $ "for" "control-plane"|"sfu-worker")
*/}}
{{- define "groupcall.secretsChecksum" -}}
{{- $v := .root.Values }}
{{- $inputs := dict "jwt" $v.auth.jwtSecret "jwks" $v.auth.jwksUrl "ticket" (list $v.tickets.privateKey $v.tickets.publicKey $v.tickets.podServiceSecret $v.tickets.existingSecret.name) "redis" $v.redis.url "refs" (list (include "groupcall.secretRef.jwt" .root) (include "groupcall.secretRef.redis" .root)) }}
{{- if eq .for "control-plane" }}
{{- $_ := set $inputs "database" (list $v.database.url (include "groupcall.secretRef.database" .root)) }}
{{- $_ := set $inputs "firebase" (list $v.firebase.serviceAccountJson (include "groupcall.secretRef.firebase" .root)) }}
{{- $_ := set $inputs "turn" (list $v.turn.secret (include "groupcall.secretRef.turn" .root)) }}
{{- $_ := set $inputs "webhooks" (list $v.webhooks.secret (include "groupcall.secretRef.webhooks" .root)) }}
{{- end }}
{{- toJson $inputs | sha256sum }}
{{- end }}

{{/*
topologySpreadConstraints of a component: an entry without labelSelector
selects the component's pods. (dict "root" $ "component" "sfu-worker" "constraints" list)
*/}}
{{- define "groupcall.topologySpreadConstraints" -}}
{{- $selector := include "groupcall.componentSelectorLabels" (dict "root" .root "component" .component) | fromYaml }}
{{- range .constraints }}
{{- $c := deepCopy . }}
{{- if not (hasKey $c "labelSelector") }}
{{- $_ := set $c "labelSelector" (dict "matchLabels" $selector) }}
{{- end }}
- {{ toYaml $c | nindent 2 | trim }}
{{- end }}
{{- end }}
