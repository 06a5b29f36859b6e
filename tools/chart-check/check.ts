/**
 * Offline checks of charts/groupcall (run by scripts/chart-check):
 *
 * 1. renders the chart for several value sets with chart-render (Go text/template +
 *    sprig + the Helm functions the chart uses, values.schema.json enforced);
 * 2. validates every manifest against the Kubernetes schemas (kubernetes-models) and the
 *    Gateway API and Prometheus Operator CRD schemas (@kubernetes-models/gateway-api,
 *    @kubernetes-models/prometheus-operator);
 * 3. asserts the chart's invariants: host network and DNS policy, one pod per node,
 *    downward-API env, RBAC to read Nodes, one Service and ingress path per ordinal,
 *    media ports, grace period longer than the drain, probes, labels, secret
 *    references, env names the code actually reads;
 *    HTTPRoutes (one rule per ordinal), monitors and the jobs the alerts select, alerts
 *    only on metrics the code exports, NetworkPolicy peers;
 * 4. checks that bad value sets fail with a message saying what to set, and that
 *    deliberately broken copies of the new templates make the checks fail;
 * 5. where `helm` is on PATH: `helm lint` and `helm template`, compared with chart-render.
 *
 * Usage: node tools/chart-check/check.ts --render PATH_TO_chart-render [--chart DIR] [--verbose]
 * Ends with "chart-check: N passed, N failed" and exits 1 on any failure.
 */
import { spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';

type Json = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: rendered manifests are untyped JSON, checked field by field
type K8s = any;

interface Rendered {
  manifests: { source: string; object: K8s }[];
  notes: string;
  values: K8s;
}

interface Case {
  name: string;
  /** Value files (chart-relative) and inline value sets, in order. */
  values: (string | Json)[];
  release?: string;
  namespace?: string;
  /** The render must fail with this message. */
  fails?: RegExp;
  /** Extra assertions for this value set. */
  extra?: (r: Rendered, c: Checker) => void;
}

const root = path.resolve(import.meta.dirname, '../..');
const chartDir = path.resolve(argValue('--chart') ?? path.join(root, 'charts/groupcall'));
const renderBin = argValue('--render') ?? process.env.CHART_RENDER_BIN;
if (!renderBin) {
  console.error('usage: node tools/chart-check/check.ts --render PATH_TO_chart-render');
  process.exit(2);
}
const verbose = process.argv.includes('--verbose');
const work = mkdtempSync(path.join(tmpdir(), 'chart-check-'));

function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

// ---- assertions ------------------------------------------------------------

class Checker {
  passed = 0;
  failed: string[] = [];
  #scope = '';
  /** Quiet: only counts (for the runs over deliberately broken templates). */
  readonly #quiet: boolean;

  constructor(options: { quiet?: boolean } = {}) {
    this.#quiet = options.quiet ?? false;
  }

  scope(name: string): void {
    this.#scope = name;
  }

  check(name: string, condition: boolean, detail?: unknown): void {
    if (condition) {
      this.passed += 1;
      if (verbose && !this.#quiet) console.log(`  ok   ${this.#scope}: ${name}`);
      return;
    }
    const shown = detail === undefined ? '' : JSON.stringify(detail);
    const message = `${this.#scope}: ${name}${shown ? ` (${shown.length > 1500 ? `${shown.slice(0, 1500)}…` : shown})` : ''}`;
    this.failed.push(message);
    if (!this.#quiet) console.log(`  FAIL ${message}`);
  }

  equal(name: string, actual: unknown, expected: unknown): void {
    const same = isDeepStrictEqual(actual, expected);
    this.check(name, same, same ? undefined : { actual, expected });
  }
}

// ---- rendering -------------------------------------------------------------

function valueFiles(values: Case['values'], caseName: string): string[] {
  return values.map((v, i) => {
    if (typeof v === 'string') return path.join(chartDir, v);
    const file = path.join(work, `${caseName}-${i}.yaml`);
    writeFileSync(file, JSON.stringify(v)); // JSON is YAML
    return file;
  });
}

function render(c: Case, chart = chartDir): { ok: true; rendered: Rendered } | { ok: false; error: string } {
  // Strict like `helm lint --strict`: a missing map key is an error, not an empty value.
  const args = [
    '-strict',
    '-chart',
    chart,
    '-name',
    c.release ?? 'groupcall',
    '-namespace',
    c.namespace ?? 'calls',
  ];
  for (const f of valueFiles(c.values, c.name)) args.push('-f', f);
  const result = spawnSync(renderBin as string, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) return { ok: false, error: (result.stderr || result.error?.message) ?? 'failed' };
  return { ok: true, rendered: JSON.parse(result.stdout) as Rendered };
}

// ---- schema validation (kubernetes-models) ---------------------------------

/** Custom resources the chart renders come from the same project's CRD model packages. */
const crdModelPackages: Record<string, string> = {
  'gateway.networking.k8s.io': '@kubernetes-models/gateway-api',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
};

const modelCache = new Map<string, Promise<Json>>();
async function model(apiVersion: string, kind: string): Promise<(new (data: unknown) => K8s) | undefined> {
  const group = apiVersion.includes('/') ? (apiVersion.split('/')[0] as string) : '';
  const specifier = `${crdModelPackages[group] ?? 'kubernetes-models'}/${apiVersion}`;
  if (!modelCache.has(specifier)) modelCache.set(specifier, import(specifier) as Promise<Json>);
  const mod = await (modelCache.get(specifier) as Promise<Json>).catch(() => ({}) as Json);
  return mod[kind] as (new (data: unknown) => K8s) | undefined;
}

async function validateSchemas(r: Rendered, c: Checker): Promise<void> {
  for (const { object, source } of r.manifests) {
    const id = `${object.kind}/${object.metadata?.name} (${source})`;
    const Model = await model(object.apiVersion, object.kind);
    c.check(`${id}: kubernetes-models knows ${object.apiVersion} ${object.kind}`, Model !== undefined);
    if (!Model) continue;
    try {
      new Model(object).validate();
      c.check(`${id}: valid against the Kubernetes schema`, true);
    } catch (error) {
      c.check(`${id}: valid against the Kubernetes schema`, false, (error as Error).message.slice(0, 600));
    }
  }
}

// ---- helpers over rendered objects -----------------------------------------

const all = (r: Rendered, kind: string): K8s[] =>
  r.manifests.map((m) => m.object).filter((o) => o.kind === kind);
const one = (r: Rendered, kind: string, name: string): K8s | undefined =>
  all(r, kind).find((o) => o.metadata?.name === name);
const byComponent = (r: Rendered, kind: string, component: string): K8s | undefined =>
  all(r, kind).find((o) => o.metadata?.labels?.['app.kubernetes.io/component'] === component);
const envOf = (container: K8s): Map<string, K8s> =>
  new Map((container.env ?? []).map((e: K8s) => [e.name as string, e]));
const envValue = (container: K8s, name: string): string | undefined => envOf(container).get(name)?.value;
const subset = (small: Json | undefined, big: Json | undefined): boolean =>
  !!small && !!big && Object.entries(small).every(([k, v]) => big[k] === v);

function fullname(values: K8s, release: string): string {
  if (values.fullnameOverride) return String(values.fullnameOverride).slice(0, 63).replace(/-+$/, '');
  const name = values.nameOverride || 'groupcall';
  return (release.includes(name) ? release : `${release}-${name}`).slice(0, 63).replace(/-+$/, '');
}

/** Env names a service's code reads: every SCREAMING_CASE word in its sources. */
function identifiersIn(dirs: string[]): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const file = path.join(dir, entry);
      if (statSync(file).isDirectory()) walk(file);
      else if (file.endsWith('.ts'))
        for (const m of readFileSync(file, 'utf8').matchAll(/\b[A-Z][A-Z0-9_]{2,}\b/g)) names.add(m[0]);
    }
  };
  for (const dir of dirs) walk(path.join(root, dir));
  return names;
}
const codeEnv = {
  'control-plane': identifiersIn(['control-plane/src', 'shared/src']),
  'sfu-worker': identifiersIn(['sfu-worker/src', 'shared/src']),
};

// ---- invariants -------------------------------------------------------------

function checkLabels(r: Rendered, c: Checker, release: string): void {
  c.scope('labels');
  const v = r.values;
  for (const { object: o } of r.manifests) {
    const id = `${o.kind}/${o.metadata.name}`;
    const labels = o.metadata.labels ?? {};
    c.equal(`${id} app.kubernetes.io/name`, labels['app.kubernetes.io/name'], v.nameOverride || 'groupcall');
    c.equal(`${id} app.kubernetes.io/instance`, labels['app.kubernetes.io/instance'], release);
    c.equal(`${id} app.kubernetes.io/managed-by`, labels['app.kubernetes.io/managed-by'], 'Helm');
    c.check(`${id} app.kubernetes.io/version`, typeof labels['app.kubernetes.io/version'] === 'string');
    c.check(`${id} helm.sh/chart`, /^groupcall-\d+\.\d+\.\d+/.test(labels['helm.sh/chart'] ?? ''));
    c.equal(`${id} app.kubernetes.io/part-of`, labels['app.kubernetes.io/part-of'], 'groupcall');
    if (o.kind !== 'Secret')
      c.check(
        `${id} app.kubernetes.io/component`,
        ['control-plane', 'sfu-worker', 'redis', 'monitoring', 'test'].includes(
          labels['app.kubernetes.io/component'],
        ),
      );
    for (const [k, val] of Object.entries(v.commonLabels ?? {}))
      c.equal(`${id} has common label ${k}`, labels[k], val);
    c.check(`${id} no hard-coded namespace`, o.metadata.namespace === undefined);
    c.check(
      `${id} name is a DNS name of at most 63 characters`,
      /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(o.metadata.name) && o.metadata.name.length <= 63,
    );
  }
  const ids = r.manifests.map((m) => `${m.object.kind}/${m.object.metadata.name}`);
  c.equal('no two objects share kind and name', ids.length, new Set(ids).size);
}

function checkWorkloadCommon(
  r: Rendered,
  c: Checker,
  workload: K8s,
  component: 'control-plane' | 'sfu-worker',
): K8s {
  const id = `${workload.kind}/${workload.metadata.name}`;
  const pod = workload.spec.template;
  const container = pod.spec.containers[0];
  c.check(
    `${id} selector matches the pod labels`,
    subset(workload.spec.selector.matchLabels, pod.metadata.labels),
  );
  c.equal(
    `${id} selects its component`,
    workload.spec.selector.matchLabels['app.kubernetes.io/component'],
    component,
  );
  // Probes: liveness /healthz, readiness /readyz, on the HTTP port the process listens on.
  const http = (container.ports ?? []).find((p: K8s) => p.name === 'http');
  c.check(`${id} declares the http port`, !!http);
  c.equal(`${id} PORT env = http containerPort`, envValue(container, 'PORT'), String(http?.containerPort));
  c.equal(`${id} liveness probe GET /healthz`, container.livenessProbe?.httpGet?.path, '/healthz');
  c.equal(`${id} liveness probe on port http`, container.livenessProbe?.httpGet?.port, 'http');
  c.equal(`${id} readiness probe GET /readyz`, container.readinessProbe?.httpGet?.path, '/readyz');
  c.equal(`${id} readiness probe on port http`, container.readinessProbe?.httpGet?.port, 'http');
  c.equal(`${id} startup probe GET /healthz`, container.startupProbe?.httpGet?.path, '/healthz');
  // Security contexts are the values' (unprivileged by default, no uid the platform could refuse).
  const settings = component === 'sfu-worker' ? r.values.sfuWorker : r.values.controlPlane;
  c.equal(
    `${id} pod securityContext from values`,
    pod.spec.securityContext,
    emptyToUndefined(settings.podSecurityContext),
  );
  c.equal(
    `${id} container securityContext from values`,
    container.securityContext,
    emptyToUndefined(settings.securityContext),
  );
  // Secret files stay readable when the platform assigns the uid and no fsGroup.
  for (const volume of pod.spec.volumes ?? [])
    if (volume.projected)
      c.equal(`${id} volume ${volume.name} is world-readable`, volume.projected.defaultMode, 0o444);
  const last = (list: K8s[] | undefined, n: number) => (n === 0 ? [] : (list ?? []).slice(-n));
  const extraVolumes: K8s[] = settings.extraVolumes ?? [];
  const extraMounts: K8s[] = settings.extraVolumeMounts ?? [];
  c.equal(`${id} extra volumes from values`, last(pod.spec.volumes, extraVolumes.length), extraVolumes);
  c.equal(
    `${id} extra volume mounts from values`,
    last(container.volumeMounts, extraMounts.length),
    extraMounts,
  );
  const spread: K8s[] = pod.spec.topologySpreadConstraints ?? [];
  c.equal(
    `${id} topologySpreadConstraints as configured`,
    spread.length,
    settings.topologySpreadConstraints?.length ?? 0,
  );
  for (const constraint of spread)
    c.check(
      `${id} topologySpreadConstraint on ${constraint.topologyKey} selects pods of this workload`,
      subset(constraint.labelSelector?.matchLabels, pod.metadata.labels) ||
        !!constraint.labelSelector?.matchExpressions,
    );
  // Env: unique names, each one read by the code.
  const names = (container.env ?? []).map((e: K8s) => e.name as string);
  c.equal(`${id} env names are unique`, names.length, new Set(names).size);
  const extra = new Set(
    ((component === 'sfu-worker' ? r.values.sfuWorker : r.values.controlPlane).extraEnv ?? []).map(
      (e: K8s) => e.name,
    ),
  );
  for (const name of names)
    if (!extra.has(name))
      c.check(`${id} env ${name} is read by the ${component} code`, codeEnv[component].has(name));
  // The command is the service's entry point, and the file exists in the repository.
  const entry = container.command?.[1] as string | undefined;
  c.check(`${id} runs node <entry point>`, container.command?.[0] === 'node' && !!entry);
  if (entry) c.check(`${id} entry point ${entry} exists`, statExists(path.join(root, entry)));
  return container;
}

function emptyToUndefined(value: Json | undefined): Json | undefined {
  return value && Object.keys(value).length > 0 ? value : undefined;
}

function statExists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

function checkSecretRefs(r: Rendered, c: Checker, chartSecret: string): void {
  c.scope('secrets');
  const v = r.values;
  const secret = one(r, 'Secret', chartSecret);
  const data: Json = secret?.data ?? {};
  for (const [key, value] of Object.entries(data))
    c.check(
      `chart Secret key ${key} holds a non-empty value`,
      Buffer.from(String(value), 'base64').length > 0,
    );
  const existing = new Map<string, string>();
  // The tickets' Secret holds three fixed keys.
  if (v.tickets?.existingSecret?.name)
    for (const key of ['ticket-private-key', 'ticket-public-key', 'pod-service-secret'])
      existing.set(`${v.tickets.existingSecret.name}/${key}`, 'tickets');
  for (const [section, key] of [
    ['auth', 'auth'],
    ['redis', 'redis'],
    ['database', 'database'],
    ['firebase', 'firebase'],
    ['turn', 'turn'],
    ['webhooks', 'webhooks'],
  ] as const) {
    const ref = v[section]?.existingSecret;
    if (ref?.name) existing.set(`${ref.name}/${ref.key}`, key);
  }
  const checkRef = (where: string, name: string, key: string) => {
    if (name === chartSecret) c.check(`${where} → chart Secret has key ${key}`, key in data);
    else c.check(`${where} → ${name}/${key} is a configured existingSecret`, existing.has(`${name}/${key}`));
  };
  // Values given through existingSecret are never copied into the chart's Secret.
  const copied: Record<string, string> = {
    auth: 'auth-jwt-secret',
    tickets: 'ticket-private-key',
    redis: 'redis-url',
    database: 'database-url',
    firebase: 'firebase-service-account.json',
    webhooks: 'webhook-secret',
  };
  for (const section of existing.values())
    c.check(
      `${section}: existingSecret value not copied into the chart Secret`,
      !((copied[section] ?? '') in data),
    );

  for (const kind of ['Deployment', 'StatefulSet']) {
    for (const w of all(r, kind)) {
      const podSpec = w.spec.template.spec;
      for (const container of podSpec.containers) {
        const id = `${kind}/${w.metadata.name}`;
        for (const e of container.env ?? []) {
          const ref = e.valueFrom?.secretKeyRef;
          if (ref) checkRef(`${id} env ${e.name}`, ref.name, ref.key);
        }
        // Every *_FILE variable names a file that a mounted volume projects.
        for (const e of container.env ?? []) {
          if (!e.name.endsWith('_FILE')) continue;
          const file = e.value as string;
          const mount = (container.volumeMounts ?? []).find((m: K8s) => file.startsWith(`${m.mountPath}/`));
          const volume = podSpec.volumes?.find((vol: K8s) => vol.name === mount?.name);
          const rel = mount ? file.slice(mount.mountPath.length + 1) : '';
          const sources: K8s[] = volume?.projected?.sources ?? [];
          const item = sources.flatMap((s: K8s) =>
            (s.secret?.items ?? []).map((i: K8s) => ({ ...i, secret: s.secret.name })),
          );
          c.check(
            `${id} ${e.name}=${file} is projected from a Secret`,
            item.some((i: K8s) => i.path === rel),
          );
        }
        for (const vol of podSpec.volumes ?? [])
          for (const s of vol.projected?.sources ?? [])
            if (s.secret)
              for (const i of s.secret.items ?? [])
                checkRef(`${id} volume ${vol.name}/${i.path}`, s.secret.name, i.key);
      }
    }
  }
}

function checkControlPlane(r: Rendered, c: Checker, full: string, namespace: string): void {
  c.scope('control-plane');
  const v = r.values;
  const cp = v.controlPlane;
  const deployment = byComponent(r, 'Deployment', 'control-plane');
  c.check('control-plane Deployment exists', !!deployment);
  if (!deployment) return;
  const name: string = deployment.metadata.name;
  c.check(`name ${name} starts with the release's full name`, name.startsWith(full.slice(0, 40)));
  const container = checkWorkloadCommon(r, c, deployment, 'control-plane');
  const pod = deployment.spec.template;
  const env = envOf(container);
  for (const required of ['REDIS_URL', 'TICKET_PRIVATE_KEY_FILE', 'POD_SERVICE_SECRET_FILE'])
    c.check(`env ${required} is set`, env.has(required));
  c.check('the control plane does not get the ticket public key alone', !env.has('TICKET_PUBLIC_KEY_FILE'));
  c.equal('env WEBHOOK_URL = webhooks.url', envValue(container, 'WEBHOOK_URL'), v.webhooks.url || undefined);
  c.equal(
    'webhooks: env WEBHOOK_SECRET_FILE is set with WEBHOOK_URL',
    env.has('WEBHOOK_SECRET_FILE'),
    !!v.webhooks.url,
  );
  c.check(
    'env has exactly one of AUTH_JWT_SECRET_FILE and AUTH_JWKS_URL',
    env.has('AUTH_JWT_SECRET_FILE') !== env.has('AUTH_JWKS_URL'),
  );
  c.equal('automountServiceAccountToken is off', pod.spec.automountServiceAccountToken, false);
  const grace = pod.spec.terminationGracePeriodSeconds;
  const shutdown = Number(envValue(container, 'SHUTDOWN_TIMEOUT_SECONDS'));
  c.check(
    'terminationGracePeriodSeconds > preStop sleep + SHUTDOWN_TIMEOUT_SECONDS',
    grace > cp.preStopSleepSeconds + shutdown,
    { grace, shutdown },
  );
  c.equal('preStop sleeps', container.lifecycle?.preStop?.exec?.command, [
    'sleep',
    String(cp.preStopSleepSeconds),
  ]);

  const service = one(r, 'Service', name);
  c.check(`Service ${name} exists`, !!service);
  c.check('Service selects the control-plane pods', subset(service?.spec.selector, pod.metadata.labels));
  c.equal('Service port targets http', service?.spec.ports?.[0]?.targetPort, 'http');
  c.equal('Service port = controlPlane.port', service?.spec.ports?.[0]?.port, cp.port);

  const hpa = one(r, 'HorizontalPodAutoscaler', name);
  if (cp.autoscaling.enabled) {
    c.check('HPA exists', !!hpa);
    c.equal('HPA scales the Deployment', hpa?.spec.scaleTargetRef, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name,
    });
    c.equal(
      'HPA min/max',
      [hpa?.spec.minReplicas, hpa?.spec.maxReplicas],
      [cp.autoscaling.minReplicas, cp.autoscaling.maxReplicas],
    );
    c.equal('Deployment leaves replicas to the HPA', deployment.spec.replicas, undefined);
  } else {
    c.check('no HPA', !hpa);
    c.equal('Deployment replicas', deployment.spec.replicas, cp.replicas);
  }
  const pdb = one(r, 'PodDisruptionBudget', name);
  c.equal('PDB exists as configured', !!pdb, cp.podDisruptionBudget.enabled);
  if (pdb)
    c.check('PDB selects the control-plane pods', subset(pdb.spec.selector.matchLabels, pod.metadata.labels));

  const ingress = one(r, 'Ingress', name);
  c.equal('Ingress exists as configured', !!ingress, v.ingress.enabled);
  if (ingress) {
    const rule = ingress.spec.rules[0];
    c.equal('Ingress host', rule.host, v.ingress.host);
    c.equal('Ingress routes /v1 (Prefix) to the control-plane Service', rule.http.paths, [
      { path: '/v1', pathType: 'Prefix', backend: { service: { name, port: { name: 'http' } } } },
    ]);
    c.equal('Ingress TLS as configured', !!ingress.spec.tls, v.ingress.tls.enabled);
    if (ingress.spec.tls) c.check('TLS covers the host', ingress.spec.tls[0].hosts.includes(v.ingress.host));
  }
  // The sfu-workers reach the control plane through its Service.
  const sts = byComponent(r, 'StatefulSet', 'sfu-worker');
  if (sts) {
    c.equal(
      'sfu CONTROL_PLANE_URL is the control-plane Service',
      envValue(sts.spec.template.spec.containers[0], 'CONTROL_PLANE_URL'),
      `http://${name}.${namespace}.svc:${cp.port}`,
    );
  }
}

function checkSfuWorker(r: Rendered, c: Checker, full: string, namespace: string): void {
  c.scope('sfu-worker');
  const v = r.values;
  const s = v.sfuWorker;
  const sts = byComponent(r, 'StatefulSet', 'sfu-worker');
  c.check('sfu-worker StatefulSet exists', !!sts);
  if (!sts) return;
  const name: string = sts.metadata.name;
  c.check(`name ${name} starts with the release's full name`, name.startsWith(full.slice(0, 40)));
  // The controller-revision-hash label (<name>-<10 characters>) must fit in 63.
  c.check(`name ${name} is at most 52 characters`, name.length <= 52);
  const container = checkWorkloadCommon(r, c, sts, 'sfu-worker');
  const pod = sts.spec.template;
  const spec = pod.spec;
  const env = envOf(container);

  c.equal('replicas', sts.spec.replicas, s.replicas);
  c.equal('hostNetwork', spec.hostNetwork, true);
  c.equal('dnsPolicy ClusterFirstWithHostNet', spec.dnsPolicy, 'ClusterFirstWithHostNet');
  const anti = spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  c.check(
    'required pod anti-affinity on kubernetes.io/hostname against its own pods',
    anti.some(
      (t: K8s) =>
        t.topologyKey === 'kubernetes.io/hostname' &&
        subset(t.labelSelector?.matchLabels, pod.metadata.labels),
    ),
  );
  c.equal('nodeSelector as configured', spec.nodeSelector ?? {}, s.nodeSelector ?? {});
  c.equal('tolerations as configured', spec.tolerations ?? [], s.tolerations ?? []);

  // Downward API.
  if (s.listenOnNodeIP)
    c.equal('HOST from status.hostIP', env.get('HOST')?.valueFrom?.fieldRef?.fieldPath, 'status.hostIP');
  else c.equal('HOST 0.0.0.0', envValue(container, 'HOST'), '0.0.0.0');
  c.equal(
    'POD_NAME from metadata.name',
    env.get('POD_NAME')?.valueFrom?.fieldRef?.fieldPath,
    'metadata.name',
  );
  c.equal(
    'NODE_NAME from spec.nodeName',
    env.get('NODE_NAME')?.valueFrom?.fieldRef?.fieldPath,
    'spec.nodeName',
  );
  for (const required of [
    'PUBLIC_URL',
    'REDIS_URL',
    'CONTROL_PLANE_URL',
    'TICKET_PUBLIC_KEY_FILE',
    'POD_SERVICE_SECRET_FILE',
    'AUTH_ISSUER',
    'AUTH_AUDIENCE',
  ])
    c.check(`env ${required} is set`, env.has(required));
  // A media node runs on the host network: it must never hold what signs tickets.
  c.check('sfu-worker gets no private ticket key', !env.has('TICKET_PRIVATE_KEY_FILE'));
  const projected = (sts.spec.template.spec.volumes ?? []).flatMap((vol: K8s) =>
    (vol.projected?.sources ?? []).flatMap((s: K8s) => (s.secret?.items ?? []).map((i: K8s) => i.key)),
  );
  c.check('sfu-worker mounts no private ticket key', !projected.includes('ticket-private-key'));
  c.check(
    'env has exactly one of AUTH_JWT_SECRET_FILE and AUTH_JWKS_URL',
    env.has('AUTH_JWT_SECRET_FILE') !== env.has('AUTH_JWKS_URL'),
  );
  c.equal(
    'MEDIASOUP_ALLOW_PRIVATE_IP',
    envValue(container, 'MEDIASOUP_ALLOW_PRIVATE_IP'),
    String(s.media.allowPrivateIp),
  );
  c.equal(
    'MEDIASOUP_ANNOUNCED_IP only when set',
    envValue(container, 'MEDIASOUP_ANNOUNCED_IP'),
    s.media.announcedIp || undefined,
  );
  const host = v.ingress.sfuHost || v.ingress.host;
  c.equal(
    'PUBLIC_URL',
    envValue(container, 'PUBLIC_URL'),
    s.publicUrl ? s.publicUrl.replace(/\/+$/, '') : `${v.ingress.tls.enabled ? 'https' : 'http'}://${host}`,
  );

  // Media ports: one UDP + one TCP port per mediasoup worker, on the host.
  c.equal('MEDIASOUP_NUM_WORKERS', envValue(container, 'MEDIASOUP_NUM_WORKERS'), String(s.media.workers));
  c.equal('MEDIASOUP_PORT_BASE', envValue(container, 'MEDIASOUP_PORT_BASE'), String(s.media.portBase));
  const ports: K8s[] = container.ports ?? [];
  const expected = [{ name: 'http', containerPort: s.port, hostPort: s.port, protocol: 'TCP' }];
  for (let i = 0; i < s.media.workers; i++) {
    const port = s.media.portBase + i;
    expected.push({ name: `webrtc-udp-${i}`, containerPort: port, hostPort: port, protocol: 'UDP' });
    expected.push({ name: `webrtc-tcp-${i}`, containerPort: port, hostPort: port, protocol: 'TCP' });
  }
  c.equal(
    'containerPorts: http + UDP/TCP portBase..portBase+workers-1, hostPort = containerPort',
    ports,
    expected,
  );

  // Drain: SIGTERM drains up to DRAIN_DEADLINE_SECONDS; the kubelet must wait longer.
  const deadline = Number(envValue(container, 'DRAIN_DEADLINE_SECONDS'));
  c.equal('DRAIN_DEADLINE_SECONDS', deadline, s.drainDeadlineSeconds);
  c.check(
    'terminationGracePeriodSeconds > preStop sleep + drain deadline',
    spec.terminationGracePeriodSeconds > s.preStopSleepSeconds + deadline,
    { grace: spec.terminationGracePeriodSeconds, deadline },
  );
  if (s.preStopSleepSeconds > 0)
    c.equal('preStop sleeps', container.lifecycle?.preStop?.exec?.command, [
      'sleep',
      String(s.preStopSleepSeconds),
    ]);
  else c.equal('no preStop', container.lifecycle?.preStop, undefined);

  // RBAC: read Nodes.
  const saName = spec.serviceAccountName;
  c.check('pod has a service account token (reads its Node)', spec.automountServiceAccountToken !== false);
  if (s.serviceAccount.create) c.check(`ServiceAccount ${saName} exists`, !!one(r, 'ServiceAccount', saName));
  if (s.rbac.create) {
    const binding = all(r, 'ClusterRoleBinding').find((b) =>
      b.subjects?.some(
        (sub: K8s) => sub.kind === 'ServiceAccount' && sub.name === saName && sub.namespace === namespace,
      ),
    );
    c.check('a ClusterRoleBinding binds the sfu ServiceAccount', !!binding);
    const role = binding && one(r, 'ClusterRole', binding.roleRef.name);
    c.check('its ClusterRole exists', !!role);
    c.check(
      'the ClusterRole allows get on nodes',
      !!role?.rules?.some(
        (rule: K8s) =>
          rule.apiGroups?.includes('') && rule.resources?.includes('nodes') && rule.verbs?.includes('get'),
      ),
    );
    c.check(
      'the ClusterRole grants nothing else',
      role?.rules?.every(
        (rule: K8s) =>
          JSON.stringify(rule.verbs) === '["get"]' && JSON.stringify(rule.resources) === '["nodes"]',
      ),
    );
  }

  // One Service and one ingress path per ordinal up to maxReplicas.
  const headless = one(r, 'Service', sts.spec.serviceName);
  c.check('serviceName is a headless Service', headless?.spec.clusterIP === 'None');
  const perPod = all(r, 'Service').filter((svc) => svc.spec.selector?.['statefulset.kubernetes.io/pod-name']);
  c.equal('one Service per ordinal', perPod.length, s.maxReplicas);
  const ingress = one(r, 'Ingress', name);
  c.equal('sfu Ingress exists as configured', !!ingress, v.ingress.enabled);
  const paths: K8s[] = ingress?.spec.rules?.[0]?.http?.paths ?? [];
  if (ingress) {
    c.equal('sfu Ingress host', ingress.spec.rules[0].host, host);
    c.equal('one ingress path per ordinal', paths.length, s.maxReplicas);
    c.equal('sfu Ingress TLS as configured', !!ingress.spec.tls, v.ingress.tls.enabled);
    if (ingress.spec.tls) c.check('sfu TLS covers its host', ingress.spec.tls[0].hosts.includes(host));
  }
  for (let i = 0; i < s.maxReplicas; i++) {
    const podName = `${name}-${i}`;
    const svc = one(r, 'Service', podName);
    c.equal(
      `Service ${podName} selects exactly pod ${podName}`,
      svc?.spec.selector?.['statefulset.kubernetes.io/pod-name'],
      podName,
    );
    c.check(
      `Service ${podName} also selects the sfu component`,
      subset(svc?.spec.selector ?? {}, {
        ...pod.metadata.labels,
        'statefulset.kubernetes.io/pod-name': podName,
      }),
    );
    c.equal(`Service ${podName} keeps routing to a draining pod`, svc?.spec.publishNotReadyAddresses, true);
    c.equal(`Service ${podName} targets http`, svc?.spec.ports?.[0]?.targetPort, 'http');
    if (ingress)
      c.equal(
        `ingress path /sfu/${podName}/`,
        paths.find((p) => p.path === `/sfu/${podName}/`),
        {
          path: `/sfu/${podName}/`,
          pathType: 'Prefix',
          backend: { service: { name: podName, port: { name: 'http' } } },
        },
      );
  }

  const pdb = one(r, 'PodDisruptionBudget', name);
  c.equal('sfu PDB exists as configured', !!pdb, s.podDisruptionBudget.enabled);
  if (pdb)
    c.check('sfu PDB selects the sfu pods', subset(pdb.spec.selector.matchLabels, pod.metadata.labels));
}

function checkRedis(r: Rendered, c: Checker, full: string): void {
  c.scope('redis');
  const v = r.values;
  const deployment = byComponent(r, 'Deployment', 'redis');
  const service = byComponent(r, 'Service', 'redis');
  const name: string = service?.metadata.name ?? `${full}-redis`;
  c.equal('in-chart Redis exists only when embedded', !!deployment && !!service, !!v.redis.embedded.enabled);
  if (!v.redis.embedded.enabled) {
    c.check('no Redis objects', !deployment && !service);
    return;
  }
  const image = `${v.redis.embedded.image.repository}:${v.redis.embedded.image.tag}`;
  c.equal('Redis image', deployment?.spec.template.spec.containers[0].image, image);
  c.check(
    'Redis Service selects Redis',
    subset(service?.spec.selector, deployment?.spec.template.metadata.labels),
  );
  for (const w of [...all(r, 'Deployment'), ...all(r, 'StatefulSet')].filter((o) => o.metadata.name !== name))
    c.equal(
      `${w.kind}/${w.metadata.name} REDIS_URL is the in-chart Redis`,
      envValue(w.spec.template.spec.containers[0], 'REDIS_URL'),
      `redis://${name}:6379`,
    );
}

/** Metric names the services export: every 'groupcall_…' string in their sources. */
function metricsInCode(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const file = path.join(dir, entry);
      if (statSync(file).isDirectory()) walk(file);
      else if (file.endsWith('.ts'))
        for (const m of readFileSync(file, 'utf8').matchAll(/'(groupcall_[a-z0-9_]+)'/g))
          names.add(m[1] as string);
    }
  };
  for (const dir of ['control-plane/src', 'sfu-worker/src']) walk(path.join(root, dir));
  return names;
}
const codeMetrics = metricsInCode();

function checkGateway(r: Rendered, c: Checker): void {
  c.scope('gateway');
  const v = r.values;
  const s = v.sfuWorker;
  const routes = all(r, 'HTTPRoute');
  if (!v.gateway.enabled) {
    c.equal('no HTTPRoute', routes.length, 0);
    return;
  }
  const cp = byComponent(r, 'Service', 'control-plane');
  const api = routes.filter((o) => o.metadata.labels['app.kubernetes.io/component'] === 'control-plane');
  c.equal('one API HTTPRoute', api.length, 1);
  c.equal('API route host', api[0]?.spec.hostnames, [v.ingress.host]);
  c.equal('API route: /v1 only, to the control-plane Service', api[0]?.spec.rules, [
    {
      matches: [{ path: { type: 'PathPrefix', value: '/v1' } }],
      backendRefs: [{ name: cp?.metadata.name, port: v.controlPlane.port }],
    },
  ]);
  const sfuRoutes = routes.filter((o) => o.metadata.labels['app.kubernetes.io/component'] === 'sfu-worker');
  for (const route of routes) {
    c.equal(
      `${route.metadata.name} attaches to gateway.parentRefs`,
      route.spec.parentRefs,
      v.gateway.parentRefs,
    );
    c.check(`${route.metadata.name} has at most 16 rules`, route.spec.rules.length <= 16);
  }
  const rules: K8s[] = sfuRoutes.flatMap((route) => route.spec.rules);
  const host = v.ingress.sfuHost || v.ingress.host;
  for (const route of sfuRoutes) c.equal(`${route.metadata.name} host`, route.spec.hostnames, [host]);
  c.equal('one sfu rule per ordinal', rules.length, s.maxReplicas);
  const sts = byComponent(r, 'StatefulSet', 'sfu-worker');
  for (let i = 0; i < s.maxReplicas; i++) {
    const podName = `${sts?.metadata.name}-${i}`;
    const rule = rules.find((x) => x.matches?.[0]?.path?.value === `/sfu/${podName}/`);
    c.equal(`rule /sfu/${podName}/ routes to Service ${podName}`, rule?.backendRefs, [
      { name: podName, port: one(r, 'Service', podName)?.spec.ports[0].port },
    ]);
    c.equal(`rule /sfu/${podName}/ is a PathPrefix match`, rule?.matches?.[0]?.path?.type, 'PathPrefix');
  }
}

function checkMonitoring(r: Rendered, c: Checker): void {
  c.scope('monitoring');
  const v = r.values;
  const m = v.monitoring.monitor;
  const monitors = [...all(r, 'ServiceMonitor'), ...all(r, 'PodMonitor')];
  c.equal('monitors as configured', monitors.length, m.enabled ? 2 : 0);
  const jobs = new Map<string, string>();
  for (const component of ['control-plane', 'sfu-worker'] as const) {
    const workload = byComponent(r, component === 'sfu-worker' ? 'StatefulSet' : 'Deployment', component);
    jobs.set(component, workload?.metadata.name);
    if (!m.enabled) continue;
    const monitor = monitors.find((o) => o.metadata.labels['app.kubernetes.io/component'] === component);
    c.equal(`${component} monitor kind`, monitor?.kind, m.kind);
    for (const [k, val] of Object.entries(m.labels ?? {}))
      c.equal(`${component} monitor has label ${k}`, monitor?.metadata.labels[k], val);
    const endpoints: K8s[] = monitor?.spec.endpoints ?? monitor?.spec.podMetricsEndpoints ?? [];
    c.equal(`${component} monitor scrapes one endpoint`, endpoints.length, 1);
    c.equal(`${component} monitor scrapes /metrics`, endpoints[0]?.path, '/metrics');
    c.check(
      `${component} monitor sets job=${workload?.metadata.name}`,
      endpoints[0]?.relabelings?.some(
        (l: K8s) => l.targetLabel === 'job' && l.replacement === workload?.metadata.name,
      ),
    );
    const matches = (labels: Json | undefined) =>
      subset(monitor?.spec.selector.matchLabels, labels) &&
      (monitor?.spec.selector.matchExpressions ?? []).every((e: K8s) =>
        e.operator === 'DoesNotExist' ? !(e.key in (labels ?? {})) : false,
      );
    if (m.kind === 'PodMonitor') {
      c.check(`${component} PodMonitor selects the pods`, matches(workload?.spec.template.metadata.labels));
      c.check(
        `${component} PodMonitor port is a container port`,
        workload?.spec.template.spec.containers[0].ports.some((p: K8s) => p.name === endpoints[0]?.port),
      );
    } else {
      const selected = all(r, 'Service').filter((svc) => matches(svc.metadata.labels));
      c.equal(`${component} ServiceMonitor selects exactly one Service`, selected.length, 1);
      c.check(
        `${component} ServiceMonitor selects a Service that reaches every pod (also draining ones)`,
        subset(selected[0]?.spec.selector, workload?.spec.template.metadata.labels) &&
          !selected[0]?.spec.selector['statefulset.kubernetes.io/pod-name'],
      );
      c.check(
        `${component} ServiceMonitor port is a Service port`,
        selected[0]?.spec.ports.some((p: K8s) => p.name === endpoints[0]?.port),
      );
    }
  }

  const rule = all(r, 'PrometheusRule')[0];
  c.equal('PrometheusRule as configured', !!rule, !!v.monitoring.prometheusRule.enabled);
  if (!rule) return;
  const alerts: K8s[] = rule.spec.groups.flatMap((g: K8s) => g.rules);
  const expected = [
    'GroupcallMediaWorkerDied',
    'GroupcallSfuDrainOverrun',
    'GroupcallPushFailing',
    ...(v.sfuWorker.replicas > 0 ? ['GroupcallNoReadySfuPod'] : []),
    'GroupcallRedisUnreachable',
    'GroupcallHighPacketLoss',
  ].filter((name) => !v.monitoring.prometheusRule.disabled.includes(name));
  c.equal(
    'alerts',
    alerts.map((a) => a.alert),
    expected,
  );
  for (const alert of alerts) {
    const metrics = [...String(alert.expr).matchAll(/\b(groupcall_[a-z0-9_]+)\{/g)].map(
      (x) => x[1] as string,
    );
    c.check(`${alert.alert} uses a metric`, metrics.length > 0, alert.expr);
    for (const metric of metrics)
      c.check(
        `${alert.alert}: ${metric} is exported by the code`,
        // A histogram's series (_bucket, _sum, _count) are named after it.
        codeMetrics.has(metric) || codeMetrics.has(metric.replace(/_(bucket|sum|count)$/, '')),
        alert.expr,
      );
    for (const [, job = ''] of String(alert.expr).matchAll(/job=~?"([^"]+)"/g))
      c.check(
        `${alert.alert} selects jobs the monitors set (${job})`,
        job.split('|').every((j) => [...jobs.values()].includes(j)),
      );
    c.check(`${alert.alert} selects the release namespace`, String(alert.expr).includes('namespace="'));
    c.check(`${alert.alert} has a severity`, ['warning', 'critical'].includes(alert.labels?.severity));
    c.check(
      `${alert.alert} has summary and description`,
      !!alert.annotations?.summary && !!alert.annotations?.description,
    );
  }
  const overrun = alerts.find((a) => a.alert === 'GroupcallSfuDrainOverrun');
  if (overrun)
    c.equal(
      'drain overrun fires after the drain deadline + overrun',
      overrun.for,
      `${v.sfuWorker.drainDeadlineSeconds + v.monitoring.prometheusRule.drainOverrunSeconds}s`,
    );
}

function checkNetworkPolicies(r: Rendered, c: Checker): void {
  c.scope('network policy');
  const v = r.values;
  const np = v.networkPolicy;
  const policies = all(r, 'NetworkPolicy');
  if (!np.enabled) {
    c.equal('no NetworkPolicy', policies.length, 0);
    return;
  }
  const nodes = np.nodeCIDRs.map((cidr: string) => ({ ipBlock: { cidr } }));
  const cpPod = byComponent(r, 'Deployment', 'control-plane')?.spec.template;
  const cpPolicy = policies.find((p) => subset(p.spec.podSelector.matchLabels, cpPod?.metadata.labels));
  c.check('a NetworkPolicy selects the control plane', !!cpPolicy);
  c.equal('it restricts ingress only', cpPolicy?.spec.policyTypes, ['Ingress']);
  const httpPort = (rule: K8s) =>
    rule.ports?.length === 1 && rule.ports[0].port === 'http' && rule.ports[0].protocol === 'TCP';
  c.check(
    'the API admits the ingress/gateway peers and the sfu nodes, on the http port only',
    cpPolicy?.spec.ingress.some(
      (rule: K8s) => httpPort(rule) && isDeepStrictEqual(rule.from, [...np.ingressFrom, ...nodes]),
    ),
  );
  if (np.metricsFrom.length)
    c.check(
      '/metrics admits the metricsFrom peers',
      cpPolicy?.spec.ingress.some(
        (rule: K8s) => httpPort(rule) && isDeepStrictEqual(rule.from, np.metricsFrom),
      ),
    );
  const testPod = all(r, 'Pod').find((p) => p.metadata.annotations?.['helm.sh/hook'] === 'test');
  c.check(
    'helm test reaches the control plane',
    cpPolicy?.spec.ingress.some(
      (rule: K8s) =>
        httpPort(rule) &&
        rule.from.some(
          (peer: K8s) =>
            !peer.namespaceSelector && subset(peer.podSelector?.matchLabels, testPod?.metadata.labels),
        ),
    ),
  );
  c.equal('control-plane ingress rules', cpPolicy?.spec.ingress.length, np.metricsFrom.length ? 3 : 2);
  const redis = byComponent(r, 'Deployment', 'redis');
  const redisPolicy = policies.find((p) =>
    subset(p.spec.podSelector.matchLabels, redis?.spec.template.metadata.labels),
  );
  c.equal('a NetworkPolicy selects the in-chart Redis when there is one', !!redisPolicy, !!redis);
  if (redisPolicy) {
    const rules: K8s[] = redisPolicy.spec.ingress;
    c.equal('Redis: one rule', rules.length, 1);
    c.equal('Redis: only its port', rules[0]?.ports, [{ port: 'redis', protocol: 'TCP' }]);
    c.check(
      'Redis admits the control-plane pods',
      rules[0]?.from.some(
        (peer: K8s) =>
          !peer.namespaceSelector && subset(peer.podSelector?.matchLabels, cpPod?.metadata.labels),
      ),
    );
    c.check(
      'Redis admits the sfu nodes',
      nodes.every((n: K8s) => rules[0]?.from.some((peer: K8s) => isDeepStrictEqual(peer, n))),
    );
    c.equal('Redis admits nobody else', rules[0]?.from.length, 1 + nodes.length);
  }
}

function checkHelmTest(r: Rendered, c: Checker): void {
  c.scope('helm test');
  const pods = all(r, 'Pod').filter((p) => p.metadata.annotations?.['helm.sh/hook'] === 'test');
  c.equal('one test pod', pods.length, 1);
  const urls: string[] = JSON.parse(envValue(pods[0]?.spec.containers[0], 'URLS') ?? '[]');
  const cp = byComponent(r, 'Service', 'control-plane');
  c.check(
    'tests the control plane /readyz',
    urls.some((u) => u.includes(`//${cp?.metadata.name}.`) && u.endsWith('/readyz')),
  );
  c.equal(
    'tests every running sfu pod',
    urls.filter((u) => u.endsWith('/healthz')).length,
    r.values.sfuWorker.replicas,
  );
  for (const u of urls.filter((u) => u.endsWith('/healthz'))) {
    const host = new URL(u).hostname;
    c.check(
      `${u} is an sfu per-pod Service`,
      !!one(r, 'Service', host)?.spec.selector?.['statefulset.kubernetes.io/pod-name'],
    );
  }
}

// ---- value sets -------------------------------------------------------------

const validAuth = {
  jwtSecret: 'shared-with-the-threads-backend-0123456789',
  issuer: 'https://threads.example.com',
  audience: 'groupcall',
};

const cases: Case[] = [
  {
    name: 'defaults',
    values: [],
    fails: /auth\.issuer/,
  },
  {
    name: 'no access token key',
    values: [{ auth: { issuer: 'https://threads.example.com', audience: 'groupcall' } }],
    fails: /auth: set auth\.jwtSecret, auth\.existingSecret\.name or auth\.jwksUrl/,
  },
  {
    name: 'minimal',
    values: ['ci/minimal-values.yaml'],
    extra: (r, c) => {
      c.scope('minimal');
      const secret = one(r, 'Secret', 'groupcall');
      c.equal('chart Secret keys', Object.keys(secret?.data ?? {}).sort(), [
        'auth-jwt-secret',
        'pod-service-secret',
        'redis-url',
        'ticket-private-key',
        'ticket-public-key',
      ]);
      const decoded = (key: string) => Buffer.from(secret?.data?.[key] ?? '', 'base64').toString();
      c.check('generated pod service secret is 48 characters', decoded('pod-service-secret').length === 48);
      const privateKey = createPrivateKey(decoded('ticket-private-key'));
      const publicKey = new X509Certificate(decoded('ticket-public-key')).publicKey;
      c.equal('generated ticket key is Ed25519', privateKey.asymmetricKeyType, 'ed25519');
      c.check(
        'generated ticket public key matches the private key',
        createPublicKey(privateKey)
          .export({ format: 'der', type: 'spki' })
          .equals(publicKey.export({ format: 'der', type: 'spki' })),
      );
      c.check('NOTES name the API URL', r.notes.includes('https://calls.example.com/v1'));
      // OpenShift's restricted SCC assigns uids, gids and fsGroup from the namespace's range.
      for (const w of [...all(r, 'Deployment'), ...all(r, 'StatefulSet'), ...all(r, 'Pod')])
        for (const key of ['runAsUser', 'runAsGroup', 'fsGroup'])
          c.equal(
            `${w.kind}/${w.metadata.name}: no ${key} by default`,
            w.spec.template?.spec.securityContext?.[key] ?? w.spec.securityContext?.[key],
            undefined,
          );
      c.check('NOTES name the media ports to open', r.notes.includes('UDP and TCP 40000-40001'));
    },
  },
  {
    name: 'production',
    values: ['ci/production-values.yaml'],
    release: 'prod',
    namespace: 'groupcall',
    extra: (r, c) => {
      c.scope('production');
      c.equal(
        'no chart Secret when every secret is an existingSecret',
        one(r, 'Secret', 'prod-groupcall'),
        undefined,
      );
      const sts = one(r, 'StatefulSet', 'prod-groupcall-sfu');
      const container = sts?.spec.template.spec.containers[0];
      c.equal(
        'JWKS URL',
        envValue(container, 'AUTH_JWKS_URL'),
        'https://threads.example.com/.well-known/jwks.json',
      );
      c.equal('issuer', envValue(container, 'AUTH_ISSUER'), 'https://threads.example.com');
      const cp = one(r, 'Deployment', 'prod-groupcall-control-plane')?.spec.template.spec.containers[0];
      c.equal(
        'DATABASE_URL from the existing Secret',
        envOf(cp).get('DATABASE_URL')?.valueFrom?.secretKeyRef,
        {
          name: 'groupcall-planetscale',
          key: 'url',
        },
      );
      c.equal(
        'Firebase key file',
        envValue(cp, 'FIREBASE_SERVICE_ACCOUNT_FILE'),
        '/var/run/secrets/groupcall/firebase-service-account.json',
      );
      c.check('NOTES name the media ports to open', r.notes.includes('UDP and TCP 50000-50003'));
      const affinity = sts?.spec.template.spec.affinity;
      c.equal(
        "the user's node affinity is kept",
        affinity?.nodeAffinity,
        r.values.sfuWorker.affinity.nodeAffinity,
      );
      c.equal(
        'beside exactly one required anti-affinity term (one pod per node)',
        affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length,
        1,
      );
      c.equal('no Ingress (the Gateway routes)', all(r, 'Ingress').length, 0);
      c.check('NOTES give the helm upgrade timeout', r.notes.includes('--timeout 5955s'));
    },
  },
  {
    name: 'dev (skaffold profile)',
    values: ['ci/dev-values.yaml'],
    release: 'dev',
    extra: (r, c) => {
      c.scope('dev');
      const container = one(r, 'StatefulSet', 'dev-groupcall-sfu')?.spec.template.spec.containers[0];
      c.equal('private IPs allowed', envValue(container, 'MEDIASOUP_ALLOW_PRIVATE_IP'), 'true');
      c.equal('PUBLIC_URL over http', envValue(container, 'PUBLIC_URL'), 'http://groupcall.localtest.me');
      c.check(
        'NOTES warn about the in-chart Redis',
        r.notes.includes('WARNING: redis.embedded.enabled=true'),
      );
    },
  },
  {
    name: 'long release name',
    values: ['ci/minimal-values.yaml', { sfuWorker: { maxReplicas: 12 } }],
    release: 'a-very-long-release-name-for-groupcall-media-in-production-eu',
  },
  {
    name: 'no ingress, no autoscaling, no preStop',
    values: [
      'ci/minimal-values.yaml',
      {
        ingress: { enabled: false },
        controlPlane: {
          autoscaling: { enabled: false },
          replicas: 1,
          podDisruptionBudget: { enabled: false },
        },
        sfuWorker: { preStopSleepSeconds: 0, replicas: 0, maxReplicas: 1, listenOnNodeIP: false },
      },
    ],
  },
  {
    name: 'ingress and gateway, PodMonitor, in-chart Redis behind a NetworkPolicy, 20 ordinals',
    values: [
      'ci/dev-values.yaml',
      {
        gateway: { enabled: true, parentRefs: [{ name: 'dev' }], sfuTimeouts: { request: '0s' } },
        monitoring: {
          monitor: { enabled: true, kind: 'PodMonitor' },
          prometheusRule: { enabled: true, disabled: ['GroupcallPushFailing'] },
        },
        networkPolicy: {
          enabled: true,
          ingressFrom: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'traefik' } } }],
          nodeCIDRs: ['172.18.0.0/16', 'fd00::/64'],
        },
        sfuWorker: {
          maxReplicas: 20,
          affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] } },
        },
      },
    ],
    release: 'dev',
    extra: (r, c) => {
      c.scope('ingress and gateway');
      c.equal('both Ingresses', all(r, 'Ingress').length, 2);
      c.equal(
        'one API route and two sfu routes (16 + 4 rules)',
        all(r, 'HTTPRoute').map((o) => o.spec.rules.length),
        [1, 16, 4],
      );
      c.check(
        'sfu rules carry the timeouts',
        all(r, 'HTTPRoute')
          .slice(1)
          .every((o) => o.spec.rules.every((rule: K8s) => rule.timeouts?.request === '0s')),
      );
    },
  },
  {
    // null deletes a default, as in Helm: everything left to the platform's admission.
    name: 'security contexts unset',
    values: [
      'ci/minimal-values.yaml',
      {
        controlPlane: { podSecurityContext: null, securityContext: null },
        sfuWorker: { podSecurityContext: null, securityContext: null },
      },
    ],
    extra: (r, c) => {
      c.scope('security contexts unset');
      for (const w of [...all(r, 'Deployment'), ...all(r, 'StatefulSet')]) {
        c.equal(
          `${w.metadata.name}: no pod securityContext`,
          w.spec.template.spec.securityContext,
          undefined,
        );
        c.equal(
          `${w.metadata.name}: no container securityContext`,
          w.spec.template.spec.containers[0].securityContext,
          undefined,
        );
      }
    },
  },
  {
    name: 'gateway without parentRefs',
    values: ['ci/minimal-values.yaml', { gateway: { enabled: true } }],
    fails: /gateway\.parentRefs: name the Gateway/,
  },
  {
    name: 'network policy without ingress peers',
    values: ['ci/minimal-values.yaml', { networkPolicy: { enabled: true, nodeCIDRs: ['10.0.0.0/8'] } }],
    fails: /networkPolicy\.ingressFrom/,
  },
  {
    name: 'network policy without node ranges',
    values: [
      'ci/minimal-values.yaml',
      { networkPolicy: { enabled: true, ingressFrom: [{ podSelector: {} }] } },
    ],
    fails: /networkPolicy\.nodeCIDRs/,
  },
  {
    name: 'schema: unknown monitor kind',
    values: ['ci/minimal-values.yaml', { monitoring: { monitor: { kind: 'Probe' } } }],
    fails: /monitoring\.monitor\.kind/,
  },
  {
    name: 'schema: unknown alert to disable',
    values: ['ci/minimal-values.yaml', { monitoring: { prometheusRule: { disabled: ['GroupcallTypo'] } } }],
    fails: /monitoring\.prometheusRule\.disabled/,
  },
  {
    name: 'jwt secret and JWKS together',
    values: ['ci/minimal-values.yaml', { auth: { jwksUrl: 'https://threads.example.com/jwks' } }],
    fails: /not both/,
  },
  {
    name: 'maxReplicas below replicas',
    values: ['ci/minimal-values.yaml', { sfuWorker: { replicas: 4, maxReplicas: 3 } }],
    fails: /sfuWorker\.maxReplicas \(3\) must be >= sfuWorker\.replicas \(4\)/,
  },
  {
    name: 'announced IP with several replicas',
    values: ['ci/minimal-values.yaml', { sfuWorker: { media: { announcedIp: '203.0.113.7' } } }],
    fails: /announcedIp would be announced by every pod/,
  },
  {
    name: 'no host',
    values: [{ auth: validAuth, redis: { url: 'redis://redis:6379' } }],
    fails: /ingress\.host: set the public host name/,
  },
  {
    name: 'no Redis',
    values: [{ ingress: { host: 'calls.example.com' }, auth: validAuth }],
    fails: /redis: set redis\.url/,
  },
  {
    name: 'embedded Redis and a Redis URL',
    values: ['ci/minimal-values.yaml', { redis: { embedded: { enabled: true } } }],
    fails: /redis\.embedded\.enabled=true runs its own Redis/,
  },
  {
    name: 'schema: zero mediasoup workers',
    values: ['ci/minimal-values.yaml', { sfuWorker: { media: { workers: 0 } } }],
    fails: /sfuWorker\.media\.workers/,
  },
  {
    name: 'schema: misspelt key',
    values: ['ci/minimal-values.yaml', { sfuWorker: { replica: 3 } }],
    fails: /Additional property replica is not allowed/,
  },
  {
    name: 'schema: short pod service secret',
    values: ['ci/minimal-values.yaml', { tickets: { podServiceSecret: 'too-short' } }],
    fails: /tickets\.podServiceSecret/,
  },
  {
    name: 'schema: short access token secret',
    values: ['ci/minimal-values.yaml', { auth: { jwtSecret: 'too-short' } }],
    fails: /auth\.jwtSecret/,
  },
  {
    name: 'no issuer or audience',
    values: ['ci/minimal-values.yaml', { auth: { issuer: '', audience: '' } }],
    fails: /issuer/,
  },
  {
    name: 'ticket private key without its public key',
    values: ['ci/minimal-values.yaml', { tickets: { privateKey: 'x' } }],
    fails: /tickets\.privateKey and tickets\.publicKey together/,
  },
  {
    name: 'schema: privileged port',
    values: ['ci/minimal-values.yaml', { sfuWorker: { media: { portBase: 443 } } }],
    fails: /portBase/,
  },
];

// ---- helm (when installed) --------------------------------------------------

function helmAvailable(): boolean {
  return spawnSync('helm', ['version', '--short'], { encoding: 'utf8' }).status === 0;
}

/** Objects without values that legitimately differ between two renders (random secret, its checksum). */
function comparable(o: K8s): K8s {
  const copy = structuredClone(o);
  if (copy.kind === 'Secret')
    for (const key of ['ticket-private-key', 'ticket-public-key', 'pod-service-secret'])
      if (copy.data?.[key]) copy.data[key] = '<random>';
  return copy;
}

function runHelm(c: Checker, kase: Case, ours: Rendered): void {
  c.scope(`helm (${kase.name})`);
  const files = valueFiles(kase.values, `helm-${kase.name.replace(/\W+/g, '-')}`);
  const fArgs = files.flatMap((f) => ['-f', f]);
  const lint = spawnSync('helm', ['lint', chartDir, '--strict', ...fArgs], { encoding: 'utf8' });
  c.check('helm lint --strict', lint.status === 0, lint.stdout + lint.stderr);
  const template = spawnSync(
    'helm',
    ['template', kase.release ?? 'groupcall', chartDir, '--namespace', kase.namespace ?? 'calls', ...fArgs],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  c.check('helm template', template.status === 0, template.stderr);
  if (template.status !== 0) return;
  const converted = spawnSync(renderBin as string, ['-yaml-to-json'], {
    input: template.stdout,
    encoding: 'utf8',
  });
  c.check('helm template output parses', converted.status === 0, converted.stderr);
  if (converted.status !== 0) return;
  const theirs = JSON.parse(converted.stdout) as Rendered;
  const key = (o: K8s) => `${o.kind}/${o.metadata.name}`;
  const mine = new Map(ours.manifests.map((m) => [key(m.object), comparable(m.object)]));
  const helms = new Map(theirs.manifests.map((m) => [key(m.object), comparable(m.object)]));
  c.equal('helm renders the same objects', [...helms.keys()].sort(), [...mine.keys()].sort());
  for (const [k, o] of helms) c.equal(`${k} is identical to chart-render's`, o, mine.get(k));
}

// ---- main --------------------------------------------------------------------

async function main(): Promise<void> {
  const c = new Checker();
  const withHelm = helmAvailable();
  console.log(
    `chart-check: ${cases.length} value sets${withHelm ? ', with helm' : ' (no helm on PATH: helm lint/template skipped)'}`,
  );
  for (const kase of cases) {
    const started = Date.now();
    const before = c.passed + c.failed.length;
    await runCase(kase, c, chartDir, withHelm);
    const count = c.passed + c.failed.length - before;
    console.log(`  ${kase.name}: ${count} checks in ${Date.now() - started} ms`);
  }
  await checkBreakagesAreCaught(c);
  rmSync(work, { recursive: true, force: true });
  console.log(`chart-check: ${c.passed} passed, ${c.failed.length} failed`);
  process.exit(c.failed.length ? 1 : 0);
}

/** Renders one value set and runs every check over it (or expects the render to fail). */
async function runCase(kase: Case, c: Checker, chart: string, withHelm: boolean): Promise<void> {
  const result = render(kase, chart);
  c.scope(kase.name);
  if (kase.fails) {
    c.check(
      `render fails with ${kase.fails}`,
      !result.ok && kase.fails.test(result.error),
      result.ok ? 'rendered' : result.error.trim().split('\n').slice(-3).join(' '),
    );
  } else if (!result.ok) {
    c.check('renders', false, result.error.trim());
  } else {
    const r = result.rendered;
    const release = kase.release ?? 'groupcall';
    const namespace = kase.namespace ?? 'calls';
    const full = fullname(r.values, release);
    c.check('renders', r.manifests.length > 0);
    await validateSchemas(r, c);
    checkLabels(r, c, release);
    checkSecretRefs(r, c, full);
    checkControlPlane(r, c, full, namespace);
    checkSfuWorker(r, c, full, namespace);
    checkRedis(r, c, full);
    checkHelmTest(r, c);
    checkGateway(r, c);
    checkMonitoring(r, c);
    checkNetworkPolicies(r, c);
    kase.extra?.(r, c);
    if (withHelm) runHelm(c, kase, r);
  }
}

// ---- the checks catch broken templates ---------------------------------------

/** A deliberate defect in one template, and the value set that renders it. */
interface Breakage {
  name: string;
  file: string;
  from: string;
  to: string;
  case: string;
}

const breakages: Breakage[] = [
  {
    name: 'HTTPRoute with a path match type the Gateway API does not know',
    file: 'templates/gateway/httproutes.yaml',
    from: 'type: PathPrefix\n            value: /sfu/',
    to: 'type: Prefix\n            value: /sfu/',
    case: 'production',
  },
  {
    name: "HTTPRoute sending a pod's path to another pod's Service",
    file: 'templates/gateway/httproutes.yaml',
    from: '- name: {{ $pod }}',
    to: '- name: {{ include "groupcall.sfuWorker.podName" (dict "root" $ "ordinal" 0) }}',
    case: 'production',
  },
  {
    name: 'ServiceMonitor scraping a port the Service does not have',
    file: 'templates/monitoring/monitors.yaml',
    from: '- port: http',
    to: '- port: metrics',
    case: 'production',
  },
  {
    name: 'PodMonitor without the job label the alerts select',
    file: 'templates/monitoring/monitors.yaml',
    from: 'replacement: {{ $t.job }}',
    to: 'replacement: {{ $t.component }}',
    case: 'ingress and gateway, PodMonitor, in-chart Redis behind a NetworkPolicy, 20 ordinals',
  },
  {
    name: 'PrometheusRule alerting on a metric the code does not export',
    file: 'templates/monitoring/prometheusrule.yaml',
    from: 'increase(groupcall_sfu_worker_deaths_total{',
    to: 'increase(groupcall_sfu_worker_crashes_total{',
    case: 'production',
  },
  {
    name: 'PrometheusRule with an invalid duration',
    file: 'templates/monitoring/prometheusrule.yaml',
    from: 'for: {{ .for }}',
    to: 'for: {{ .for }} please',
    case: 'production',
  },
  {
    name: 'NetworkPolicy shutting the sfu nodes out of the control plane',
    file: 'templates/network-policy/networkpolicies.yaml',
    from: 'toYaml (concat $np.ingressFrom $fromNodes)',
    to: 'toYaml $np.ingressFrom',
    case: 'production',
  },
  {
    name: 'NetworkPolicy opening Redis to every pod of the namespace',
    file: 'templates/network-policy/networkpolicies.yaml',
    from: '- podSelector:\n            matchLabels:',
    to: '- podSelector: {}\n          x-matchLabels:',
    case: 'ingress and gateway, PodMonitor, in-chart Redis behind a NetworkPolicy, 20 ordinals',
  },
];

/**
 * Each breakage in a copy of the chart must make the checks fail: proof that
 * the new templates are covered, not merely rendered.
 */
async function checkBreakagesAreCaught(c: Checker): Promise<void> {
  console.log(`chart-check: ${breakages.length} deliberately broken templates`);
  for (const breakage of breakages) {
    const copy = mkdtempSync(path.join(work, 'broken-'));
    cpSync(chartDir, copy, { recursive: true });
    const file = path.join(copy, breakage.file);
    const text = readFileSync(file, 'utf8');
    c.scope(`broken: ${breakage.name}`);
    c.check(`${breakage.file} contains the text to break`, text.includes(breakage.from), breakage.from);
    writeFileSync(file, text.replace(breakage.from, breakage.to));
    const kase = cases.find((k) => k.name === breakage.case) as Case;
    const quiet = new Checker({ quiet: true });
    await runCase(kase, quiet, copy, false);
    c.check('the checks fail', quiet.failed.length > 0);
    console.log(
      `  ${breakage.name}: caught by ${quiet.failed.length} checks, e.g. ${quiet.failed[0]?.slice(0, 160)}`,
    );
  }
}

await main();
