import { readdirSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { tenantSpecSchema } from '../../src/tenant-spec.js';
import { compileSchema, loadTenantCrd } from '../kube-api-fixture/index.js';
import { validatorFor } from './kube-models.js';
import { ensureHelm, helm, render, repoRoot, type Manifest } from './render.js';

interface Container {
  name: string;
  image: string;
  securityContext?: Record<string, unknown> & { capabilities?: { drop?: string[] } };
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  livenessProbe?: { httpGet?: { path: string; port: string } };
  readinessProbe?: { httpGet?: { path: string; port: string } };
  env?: { name: string; value?: string; valueFrom?: unknown }[];
}
interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: {
    securityContext?: Record<string, unknown>;
    containers: Container[];
    serviceAccountName?: string;
    automountServiceAccountToken?: boolean;
  };
}
interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

const valueSets: Record<string, string[]> = {
  default: [],
  production: ['-f', 'values-production.yaml'],
  dev: ['-f', 'values-dev.yaml'],
};

const ofKind = (ms: Manifest[], kind: string) => ms.filter((m) => m.kind === kind);
const podTemplate = (d: Manifest) => (d.spec as { template: PodTemplate }).template;
/** A Service selects with a plain map; PDBs and Deployments with matchLabels. */
function selectorOf(m: Manifest): Record<string, string> {
  const selector = (m.spec as { selector?: Record<string, unknown> }).selector ?? {};
  return (m.kind === 'Service' ? selector : (selector.matchLabels ?? {})) as Record<string, string>;
}
const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

let rendered: Record<string, Manifest[]>;

beforeAll(() => {
  ensureHelm();
  rendered = Object.fromEntries(Object.entries(valueSets).map(([name, args]) => [name, render(args)]));
});

describe('helm chart charts/solar-crm', () => {
  it.each(Object.entries(valueSets))('passes helm lint --strict with %s values', (_name, args) => {
    const { ok, output } = helm(['lint', '.', '--strict', ...args]);
    expect(output).toContain('0 chart(s) failed');
    expect(ok).toBe(true);
  });

  it('refuses values that would weaken security or miss secrets (values.schema.json)', () => {
    const cases: [string[], string][] = [
      [['--set', 'containerSecurityContext.readOnlyRootFilesystem=false'], 'readOnlyRootFilesystem'],
      [['--set', 'podSecurityContext.runAsNonRoot=false'], 'runAsNonRoot'],
      [['--set', 'secrets.existingSecret='], 'secrets'],
      [['--set', 'database.existingSecret='], 'database'],
      [['--set', 'platformApi.replicas=0'], 'replicas'],
      [['--set', 'ingress.tls.enabled=true'], 'secretName'],
      [['--set', 'platformApi.resourcez.cpu=1'], 'resourcez'],
    ];
    for (const [args, mention] of cases) {
      const { ok, output } = helm(['lint', '.', ...args]);
      expect(ok, `helm lint ${args.join(' ')} should fail`).toBe(false);
      expect(output).toContain(mention);
    }
  });

  it.each(Object.keys(valueSets))(
    'renders only kinds that validate against the Kubernetes schemas (%s values)',
    (name) => {
      const ms = rendered[name] ?? [];
      expect(ms.length).toBeGreaterThan(10);
      for (const m of ms) {
        if (m.kind === 'ServiceMonitor') {
          // prometheus-operator CRD: not in kubernetes-models; check the parts the operator reads.
          expect(m.apiVersion).toBe('monitoring.coreos.com/v1');
          expect((m.spec as { endpoints: { port: string }[] }).endpoints[0]?.port).toBe('metrics');
          continue;
        }
        const validate = validatorFor(m);
        expect(validate, `no schema check for ${m.apiVersion}/${m.kind}`).toBeDefined();
        expect(() => validate?.(m), `${m.kind}/${m.metadata.name}`).not.toThrow();
      }
    },
  );

  it.each(Object.keys(valueSets))(
    'runs every container non-root, read-only, with resources and probes (%s values)',
    (name) => {
      const deployments = ofKind(rendered[name] ?? [], 'Deployment');
      expect(deployments.map((d) => d.metadata.labels?.['app.kubernetes.io/component']).sort()).toEqual([
        'operator',
        'platform-api',
        'tenant-runtime',
        'tenant-worker',
        'web',
      ]);
      for (const d of deployments) {
        const pod = podTemplate(d);
        expect(pod.spec.securityContext?.runAsNonRoot, d.metadata.name).toBe(true);
        expect(Number(pod.spec.securityContext?.runAsUser)).toBeGreaterThan(0);
        for (const c of pod.spec.containers) {
          const where = `${d.metadata.name}/${c.name}`;
          expect(c.securityContext, where).toMatchObject({
            runAsNonRoot: true,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
          });
          expect(c.securityContext?.capabilities?.drop, where).toContain('ALL');
          expect(c.resources?.requests?.cpu, where).toBeDefined();
          expect(c.resources?.requests?.memory, where).toBeDefined();
          expect(c.resources?.limits?.memory, where).toBeDefined();
          expect(c.livenessProbe?.httpGet?.path, where).toBe('/healthz');
          expect(['/readyz', '/healthz'], where).toContain(c.readinessProbe?.httpGet?.path);
          // Credentials come from Secrets, never as literal env values.
          for (const e of c.env ?? []) {
            if (
              /URL$|KEY$|PASSWORD|SECRET/.test(e.name) &&
              !['PLATFORM_API_URL', 'RUNTIME_ENDPOINT', 'TENANT_WEB_URL'].includes(e.name)
            ) {
              expect(e.value, `${where} env ${e.name}`).toBeUndefined();
              expect(e.valueFrom, `${where} env ${e.name}`).toBeDefined();
            }
          }
        }
      }
    },
  );

  it('gives each stateless program a Service, an HPA and a PDB that point at its pods', () => {
    const ms = rendered.default ?? [];
    const deployments = ofKind(ms, 'Deployment');
    for (const component of ['platform-api', 'tenant-runtime', 'tenant-worker', 'web']) {
      const d = deployments.find((x) => x.metadata.labels?.['app.kubernetes.io/component'] === component);
      expect(d, component).toBeDefined();
      const podLabels = podTemplate(d as Manifest).metadata.labels;
      const svc = ofKind(ms, 'Service').find((s) => matches(selectorOf(s), podLabels));
      expect(svc, `${component} service`).toBeDefined();
      const pdb = ofKind(ms, 'PodDisruptionBudget').find((p) => matches(selectorOf(p), podLabels));
      expect(pdb, `${component} pdb`).toBeDefined();
      const hpa = ofKind(ms, 'HorizontalPodAutoscaler').find(
        (h) => (h.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name === d?.metadata.name,
      );
      expect(hpa, `${component} hpa`).toBeDefined();
    }
  });

  it('denies all traffic by default and lets only platform-api reach the runtime', () => {
    const policies = ofKind(rendered.default ?? [], 'NetworkPolicy');
    const deny = policies.find((p) => p.metadata.name.endsWith('-default-deny'));
    expect(deny?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });

    const runtime = policies.find((p) => p.metadata.name.endsWith('-tenant-runtime'));
    const from = (
      runtime?.spec as { ingress: { from: { podSelector?: { matchLabels: Record<string, string> } }[] }[] }
    ).ingress.flatMap((r) => r.from);
    expect(from).toHaveLength(1);
    expect(from[0]?.podSelector?.matchLabels['app.kubernetes.io/component']).toBe('platform-api');

    const web = policies.find((p) => p.metadata.name.endsWith('-web'));
    const webEgress = (
      web?.spec as { egress: { to: { podSelector?: { matchLabels: Record<string, string> } }[] }[] }
    ).egress;
    expect(
      webEgress.flatMap((r) => r.to).map((t) => t.podSelector?.matchLabels['app.kubernetes.io/component']),
    ).toEqual(['platform-api']);
  });

  it('grants the operator least privilege: explicit verbs and resources, leases only in its namespace', () => {
    const ms = rendered.production ?? [];
    const rules = [...ofKind(ms, 'ClusterRole'), ...ofKind(ms, 'Role')].flatMap(
      (r) => (r as unknown as { rules: Rule[] }).rules,
    );
    for (const r of rules) {
      for (const field of [r.apiGroups, r.resources, r.verbs]) expect(field).not.toContain('*');
      for (const dangerous of ['escalate', 'bind', 'impersonate', 'deletecollection'])
        expect(r.verbs).not.toContain(dangerous);
    }
    const clusterRules = ofKind(ms, 'ClusterRole').flatMap((r) => (r as unknown as { rules: Rule[] }).rules);
    expect(clusterRules.flatMap((r) => r.resources)).not.toContain('leases');
    const operatorRole = ofKind(ms, 'ClusterRole').find((r) => r.metadata.name.endsWith('-operator'));
    const operatorRules = (operatorRole as unknown as { rules: Rule[] }).rules;
    expect(operatorRules.find((r) => r.resources.includes('tenants'))?.verbs).not.toContain('create');
    const role = ofKind(ms, 'Role')[0];
    expect(role?.metadata.namespace).toBe('solar');
    expect((role as unknown as { rules: Rule[] }).rules).toEqual([
      {
        apiGroups: ['coordination.k8s.io'],
        resources: ['leases'],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch'],
      },
    ]);
  });

  it('lets platform-api write Tenants for signup and nothing else; without signup it holds no token', () => {
    const ms = rendered.production ?? [];
    const role = ofKind(ms, 'ClusterRole').find((r) => r.metadata.name.endsWith('-platform-api-tenants'));
    expect((role as unknown as { rules: Rule[] }).rules).toEqual([
      { apiGroups: ['solarcrm.io'], resources: ['tenants'], verbs: ['get', 'create', 'patch', 'delete'] },
    ]);
    const binding = ofKind(ms, 'ClusterRoleBinding').find((b) =>
      b.metadata.name.endsWith('-platform-api-tenants'),
    ) as unknown as { subjects: { name: string }[] };
    const deployment = ofKind(ms, 'Deployment').find((d) => d.metadata.name.endsWith('-platform-api'));
    const pod = podTemplate(deployment!).spec;
    expect(pod.serviceAccountName).toBe(binding.subjects[0]?.name);
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.containers[0]?.env).toContainEqual({ name: 'SIGNUP_DRIVER', value: 'kubernetes' });
    // and its NetworkPolicy lets it reach the API server, as the operator's does
    const egressOf = (name: string) =>
      JSON.stringify(
        (ofKind(ms, 'NetworkPolicy').find((p) => p.metadata.name.endsWith(name))?.spec as { egress: unknown })
          .egress,
      );
    const apiServer = JSON.stringify(
      (
        ofKind(ms, 'NetworkPolicy').find((p) => p.metadata.name.endsWith('-operator'))?.spec as {
          egress: Array<{ to: Array<{ ipBlock?: unknown }> }>;
        }
      ).egress.find((r) => r.to.some((t) => t.ipBlock)),
    );
    expect(egressOf('-platform-api')).toContain(apiServer);

    const off = render(['--set', 'platformApi.signup.enabled=false']);
    expect(ofKind(off, 'ClusterRole').map((r) => r.metadata.name)).not.toContainEqual(
      expect.stringContaining('platform-api'),
    );
    const offDeployment = ofKind(off, 'Deployment').find((d) => d.metadata.name.endsWith('-platform-api'));
    const offPod = podTemplate(offDeployment!).spec;
    expect(offPod.automountServiceAccountToken).toBe(false);
    expect(offPod.containers[0]?.env).toContainEqual({ name: 'SIGNUP_DRIVER', value: 'none' });
  });

  it('routes the wildcard tenant hosts through the Ingress, with TLS in production', () => {
    const ingress = ofKind(rendered.production ?? [], 'Ingress')[0];
    const spec = ingress?.spec as {
      rules: { host: string }[];
      tls: { hosts: string[]; secretName: string }[];
    };
    expect(spec.rules.map((r) => r.host)).toEqual(['crm.example-solar.com', '*.crm.example-solar.com']);
    expect(spec.tls[0]).toEqual({
      hosts: ['crm.example-solar.com', '*.crm.example-solar.com'],
      secretName: 'solar-crm-wildcard-tls',
    });
    const defaults = ofKind(rendered.default ?? [], 'Ingress')[0]?.spec as { tls?: unknown };
    expect(defaults.tls).toBeUndefined();
  });

  it('sends the integrator API, OAuth and public web forms to platform-api, everything else to web', () => {
    const spec = ofKind(rendered.production ?? [], 'Ingress')[0]?.spec as {
      rules: { http: { paths: { path: string; backend: { service: { name: string } } }[] } }[];
    };
    const routes = Object.fromEntries(
      spec.rules[0]!.http.paths.map((p) => [p.path, p.backend.service.name.replace(/^.*-/, '')]),
    );
    expect(routes).toEqual({
      '/api': 'api',
      '/oauth': 'api',
      '/webhooks': 'api',
      '/forms': 'api',
      '/': 'web',
    });
  });

  it('puts every namespaced object in the release namespace', () => {
    const clusterScoped = ['ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition'];
    for (const m of rendered.production ?? []) {
      if (clusterScoped.includes(m.kind)) expect(m.metadata.namespace, m.kind).toBeUndefined();
      else expect(m.metadata.namespace, `${m.kind}/${m.metadata.name}`).toBe('solar');
    }
  });

  it('adds ServiceMonitors only when asked to', () => {
    expect(ofKind(rendered.default ?? [], 'ServiceMonitor')).toHaveLength(0);
    expect(
      ofKind(rendered.production ?? [], 'ServiceMonitor')
        .map((m) => m.metadata.name)
        .sort(),
    ).toEqual([
      'solar-solar-crm-operator',
      'solar-solar-crm-platform-api',
      'solar-solar-crm-tenant-runtime',
      'solar-solar-crm-tenant-worker',
    ]);
  });

  it.each(['platform-api', 'tenant-worker'])(
    '%s mails (invitations, reminders) through the SMTP Secret only when one is named, with SMTP egress only then',
    (component) => {
      const of = (name: string) => {
        const ms = rendered[name] ?? [];
        const d = ofKind(ms, 'Deployment').find(
          (x) => x.metadata.labels?.['app.kubernetes.io/component'] === component,
        );
        const env = podTemplate(d!).spec.containers[0]!.env ?? [];
        const policy = ofKind(ms, 'NetworkPolicy').find((p) => p.metadata.name.endsWith(`-${component}`));
        const ports = (policy?.spec as { egress: { ports?: { port: number }[] }[] }).egress.flatMap((r) =>
          (r.ports ?? []).map((p) => p.port),
        );
        return { smtp: env.find((e) => e.name === 'SMTP_URL'), ports };
      };
      expect(of('production').smtp?.valueFrom).toEqual({
        secretKeyRef: { name: 'solar-crm-smtp', key: 'SMTP_URL' },
      });
      expect(of('production').ports).toEqual(expect.arrayContaining([465, 587]));
      expect(of('default').smtp).toBeUndefined();
      expect(of('default').ports).not.toContain(587);
    },
  );

  it('runs the outbox worker (audit log, cache invalidation, webhooks): unreachable, and posting only to public addresses', () => {
    const ms = rendered.production ?? [];
    const worker = ofKind(ms, 'Deployment').find(
      (d) => d.metadata.labels?.['app.kubernetes.io/component'] === 'tenant-worker',
    );
    const runtime = ofKind(ms, 'Deployment').find(
      (d) => d.metadata.labels?.['app.kubernetes.io/component'] === 'tenant-runtime',
    );
    const container = podTemplate(worker!).spec.containers[0] as Container & { command?: string[] };
    expect(container.image).toBe(podTemplate(runtime!).spec.containers[0]!.image);
    expect(container.command?.at(-1)).toBe('tenant-runtime/src/worker/main.ts');
    const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e]));
    expect(Object.keys(env)).toEqual(
      expect.arrayContaining(['DATABASE_URL', 'REDIS_URL', 'PLATFORM_SECRET_KEY', 'WORKER_PORT']),
    );
    // it serves no API, so it holds no key to verify (or mint) internal tokens
    expect(Object.keys(env).filter((k) => k.startsWith('INTERNAL_TOKEN'))).toEqual([]);
    expect(podTemplate(worker!).spec.automountServiceAccountToken).toBe(false);

    const policy = ofKind(ms, 'NetworkPolicy').find((p) => p.metadata.name.endsWith('-tenant-worker'));
    const spec = policy?.spec as {
      ingress?: { from: { namespaceSelector?: unknown; podSelector?: unknown }[] }[];
      egress: { to: { ipBlock?: { cidr: string; except?: string[] } }[]; ports: { port: number }[] }[];
    };
    // nothing but Prometheus (metrics are on in production) may connect to it
    expect(spec.ingress?.flatMap((r) => r.from).every((f) => f.namespaceSelector && !f.podSelector)).toBe(
      true,
    );
    const webhooks = spec.egress.find((r) => r.ports.some((p) => p.port === 443));
    expect(webhooks?.to[0]?.ipBlock).toEqual({
      cidr: '0.0.0.0/0',
      except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '100.64.0.0/10'],
    });
  });
});

describe('Tenant CRD and example Tenants', () => {
  const crd = loadTenantCrd();
  const version = crd.spec.versions[0];
  const schema = compileSchema(version?.schema?.openAPIV3Schema ?? {});

  it('is a valid CustomResourceDefinition with the agreed names, status subresource and printer columns', () => {
    const m = crd as unknown as Manifest;
    expect(() => validatorFor(m)?.(m)).not.toThrow();
    expect(crd.spec).toMatchObject({
      group: 'solarcrm.io',
      scope: 'Cluster',
      names: { kind: 'Tenant', plural: 'tenants', shortNames: ['tnt'] },
    });
    expect(version?.subresources?.status).toEqual({});
    const columns = (version as unknown as { additionalPrinterColumns: { name: string; jsonPath: string }[] })
      .additionalPrinterColumns;
    expect(columns.map((c) => c.name)).toEqual(['Phase', 'Plan', 'Isolation', 'Version', 'Ready', 'Age']);
    expect(columns.find((c) => c.name === 'Ready')?.jsonPath).toBe(
      '.status.conditions[?(@.type=="Ready")].status',
    );
    expect(columns.find((c) => c.name === 'Age')).toMatchObject({
      type: 'date',
      jsonPath: '.metadata.creationTimestamp',
    });
  });

  const examplesDir = `${repoRoot}operator/examples`;
  const examples = readdirSync(examplesDir).filter((f) => f.endsWith('.yaml'));

  it('ships the three example Tenants', () => {
    expect(examples.sort()).toEqual([
      'tenant-dedicated-enterprise.yaml',
      'tenant-pooled-starter.yaml',
      'tenant-suspended.yaml',
    ]);
  });

  it.each(examples)(
    '%s is valid, loses no field to pruning, and means the same to the CRD and to tenant-spec.ts',
    (file) => {
      const obj = parseYaml(readFileSync(`${examplesDir}/${file}`, 'utf8')) as Record<string, unknown>;
      const asWritten = structuredClone(obj);
      schema.prune(obj);
      expect(obj).toEqual(asWritten);
      schema.applyDefaults(obj);
      expect(schema.validate(obj)).toEqual([]);
      // The operator's zod schema fills the same defaults the API server does.
      const spec = obj.spec as Record<string, unknown> & { runtime: Record<string, unknown> };
      const { resources: _resources, ...runtimeWithoutResources } = spec.runtime;
      expect(tenantSpecSchema.parse(asWritten.spec)).toEqual({ ...spec, runtime: runtimeWithoutResources });
    },
  );

  it.each([
    ['slug not a DNS label', { slug: 'Bad_Slug' }],
    ['unknown plan', { plan: 'gold' }],
    ['too many replicas', { runtime: { replicas: 21 } }],
    ['bad domain', { domains: ['not a host'] }],
    ['sso without secretRef', { sso: { issuer: 'https://id.example.com', clientId: 'x' } }],
    ['zero quota', { quotas: { maxUsers: 0 } }],
  ])('rejects a spec with %s, as tenant-spec.ts does', (_case, patch) => {
    const spec = { slug: 'acme', displayName: 'Acme', ...patch };
    const obj = { apiVersion: 'solarcrm.io/v1alpha1', kind: 'Tenant', metadata: { name: 'acme' }, spec };
    schema.applyDefaults(obj);
    expect(schema.validate(obj).length).toBeGreaterThan(0);
    expect(tenantSpecSchema.safeParse({ slug: 'acme', displayName: 'Acme', ...patch }).success).toBe(false);
  });
});
