import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { parse, parseAllDocuments } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { configSchema } from '../../src/config/schema.js';
import { packageRoot } from '../../src/infra/paths.js';

// No Docker engine here: these tests check what can be checked without one — every file the
// deploy setup refers to exists, every service and metric it names is real.

const root = packageRoot();
const deploy = join(root, 'deploy');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; dockerfile?: string };
  command?: string[];
  environment?: Record<string, string | number | boolean>;
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  healthcheck?: { test?: string[]; disable?: boolean };
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

// merge: the file shares the gomall environment and dependencies through YAML merge keys.
const compose = parse(read('deploy/docker-compose.yml'), { merge: true }) as Compose;
const services = compose.services;
const gomallServices = ['gomall', 'consume'];

/** `${NAME:?message}` / `${NAME:-default}` as compose would fill them, for a test run. */
function interpolate(value: string | number | boolean): string {
  return String(value).replace(
    /\$\{(\w+)(?::[?-]([^}]*))?\}/g,
    (_all, name: string, rest?: string) =>
      name === 'GOMALL_JWT_SECRET' || name === 'GOMALL_PAYMENT_SECRET'
        ? 'a-test-secret-of-at-least-32-chars'
        : (rest ?? ''),
  );
}

describe('docker-compose.yml', () => {
  test('has every service of the issue', () => {
    assert.deepEqual(Object.keys(services).sort(), [
      'consume',
      'gomall',
      'grafana',
      'jaeger',
      'mysql',
      'prometheus',
      'rabbitmq',
      'redis',
    ]);
    assert.match(services['mysql']!.image!, /^mysql:8/);
    assert.match(services['redis']!.image!, /^redis:7/);
    assert.match(services['rabbitmq']!.image!, /^rabbitmq:3\.12-management/);
    assert.match(services['jaeger']!.image!, /^jaegertracing\/all-in-one:/);
    assert.deepEqual(services['gomall']!.command!.slice(0, 1), ['serve']);
    assert.ok(services['gomall']!.command!.includes('--migrate'), 'serve applies migrations');
    assert.deepEqual(services['consume']!.command!.slice(0, 1), ['consume']);
  });

  test('every depends_on names a service that can meet the condition', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        const target = services[dependency];
        assert.ok(target, `${name} depends on unknown service ${dependency}`);
        assert.ok(
          ['service_started', 'service_healthy', 'service_completed_successfully'].includes(
            condition,
          ),
          `${name} → ${dependency}: ${condition}`,
        );
        if (condition === 'service_healthy') {
          // A healthcheck in the compose file, or the Dockerfile's HEALTHCHECK for the image built here.
          const checked = target.healthcheck
            ? !target.healthcheck.disable && Array.isArray(target.healthcheck.test)
            : target.build !== undefined && /^HEALTHCHECK /m.test(read('Dockerfile'));
          assert.ok(
            checked,
            `${name} waits for ${dependency} to be healthy, but it has no healthcheck`,
          );
        }
      }
    }
    assert.equal(services['consume']!.depends_on!['gomall']!.condition, 'service_healthy');
  });

  test('every bind-mounted path exists in the repo and every named volume is declared', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const [source] = volume.split(':') as [string];
        if (source.startsWith('.') || isAbsolute(source)) {
          assert.ok(existsSync(resolve(deploy, source)), `${name}: ${source} does not exist`);
        } else {
          assert.ok(
            compose.volumes && source in compose.volumes,
            `${name}: volume ${source} is not declared`,
          );
        }
      }
    }
  });

  test('the gomall services are built from the repo’s Dockerfile', () => {
    for (const name of gomallServices) {
      const build = services[name]!.build!;
      assert.ok(
        existsSync(join(resolve(deploy, build.context), build.dockerfile ?? 'Dockerfile')),
        name,
      );
    }
  });

  test('gomall is configured through GOMALL_SECTION__KEY variables that name real, valid keys', () => {
    for (const name of gomallServices) {
      const environment = Object.fromEntries(
        Object.entries(services[name]!.environment!).map(([key, value]) => [
          key,
          interpolate(value),
        ]),
      );
      for (const key of Object.keys(environment).filter((k) => k.includes('__'))) {
        const [section, field] = key
          .replace(/^GOMALL_/, '')
          .toLowerCase()
          .split('__') as [string, string];
        const shape = configSchema.shape[section as keyof typeof configSchema.shape];
        assert.ok(shape && field in shape.shape, `${name}: ${key} is not a config key`);
      }
      // The whole environment gives a valid prod config (this throws a ConfigError otherwise).
      const env = environment['GOMALL_ENV'];
      const config = loadConfig({ ...(env === undefined ? {} : { env }), environ: environment });
      for (const host of [config.database.host, config.redis.host, config.rabbitmq.host]) {
        assert.ok(host in services, `${name}: ${host} is not a service`);
      }
      assert.ok(new URL(config.tracing.endpoint).hostname in services);
    }
  });

  test('the database account matches deploy/mysql/init.sql', () => {
    const environment = services['gomall']!.environment!;
    const sql = read('deploy/mysql/init.sql');
    assert.match(
      sql,
      new RegExp(
        `CREATE DATABASE IF NOT EXISTS ${String(environment['GOMALL_DATABASE__NAME'])}\\b`,
      ),
    );
    assert.match(
      sql,
      new RegExp(
        `CREATE USER IF NOT EXISTS '${String(environment['GOMALL_DATABASE__USERNAME'])}'@'%' IDENTIFIED BY '${String(environment['GOMALL_DATABASE__PASSWORD'])}'`,
      ),
    );
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const ignored = read('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));

  test('copies only paths that exist and that .dockerignore lets through', () => {
    for (const [, sources] of dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
      for (const source of sources!.split(' ')) {
        assert.ok(existsSync(join(root, source)), `COPY ${source}: missing`);
        assert.ok(!ignored.includes(source), `COPY ${source}: excluded by .dockerignore`);
      }
    }
  });

  test('builds in one stage and runs as a non-root user with a healthcheck on /health', () => {
    assert.match(dockerfile, /^FROM \S+ AS build$/m);
    assert.match(dockerfile, /^RUN npm ci --no-audit --no-fund$/m);
    assert.match(dockerfile, /^RUN npm run build$/m);
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    assert.match(runtime, /npm ci --omit=dev/);
    assert.match(runtime, /^COPY --from=build \/app\/dist \.\/dist$/m);
    assert.match(runtime, /^USER node$/m);
    assert.match(runtime, /^EXPOSE 8080$/m);
    assert.match(runtime, /^HEALTHCHECK [\s\S]*\/health/m);
    assert.match(runtime, /^ENTRYPOINT \["node", "bin\/run\.js"\]$/m);
  });
});

describe('Prometheus', () => {
  test('scrapes gomall serve on the port it listens on', () => {
    const config = parse(read('deploy/prometheus/prometheus.yml')) as {
      scrape_configs: Array<{
        job_name: string;
        dns_sd_configs?: Array<{ names: string[]; port: number }>;
      }>;
    };
    const job = config.scrape_configs.find((c) => c.job_name === 'gomall');
    assert.ok(job?.dns_sd_configs, 'a gomall job');
    for (const sd of job.dns_sd_configs) {
      for (const name of sd.names) assert.ok(name in services, `${name} is not a service`);
      assert.equal(sd.port, 8080);
    }
    assert.ok(
      services['prometheus']!.volumes!.some((v) => v.startsWith('./prometheus/prometheus.yml:')),
    );
  });
});

interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { uid: string };
  targets?: Array<{ expr: string; datasource?: { uid: string } }>;
}

describe('Grafana', () => {
  const dashboard = JSON.parse(read('deploy/grafana/dashboards/gomall.json')) as {
    uid: string;
    panels: Panel[];
  };
  const datasources = parse(read('deploy/grafana/provisioning/datasources/datasources.yml')) as {
    datasources: Array<{ uid: string; url: string }>;
  };
  const providers = parse(read('deploy/grafana/provisioning/dashboards/dashboards.yml')) as {
    providers: Array<{ options: { path: string } }>;
  };

  test('the dashboard folder is mounted where the provider reads it', () => {
    const mounts = services['grafana']!.volumes!;
    for (const provider of providers.providers) {
      assert.ok(
        mounts.includes(`./grafana/dashboards:${provider.options.path}:ro`),
        provider.options.path,
      );
    }
    assert.ok(mounts.some((v) => v.startsWith('./grafana/provisioning:/etc/grafana/provisioning')));
  });

  test('datasources point at compose services, and every panel uses a provisioned one', () => {
    for (const source of datasources.datasources)
      assert.ok(new URL(source.url).hostname in services, source.url);
    const uids = new Set(datasources.datasources.map((source) => source.uid));
    const queried = dashboard.panels.filter((panel) => panel.type !== 'row');
    assert.ok(queried.length >= 8);
    assert.equal(
      new Set(dashboard.panels.map((panel) => panel.id)).size,
      dashboard.panels.length,
      'unique ids',
    );
    for (const panel of queried) {
      assert.ok(panel.targets?.length, `${panel.title}: no queries`);
      assert.ok(uids.has(panel.datasource!.uid), panel.title);
      for (const target of panel.targets) assert.ok(uids.has(target.datasource!.uid), panel.title);
    }
  });

  test('every metric the dashboard queries exists: a prom-client default or defined under src/', async () => {
    const known = new Set([...(await defaultMetricNames()), ...sourceMetricNames()]);
    const exists = (name: string) =>
      known.has(name) || known.has(name.replace(/_(bucket|sum|count)$/, ''));
    const queried = dashboard.panels.flatMap((panel) =>
      (panel.targets ?? []).flatMap((target) =>
        metricNames(target.expr).map((name) => ({ name, panel: panel.title })),
      ),
    );
    // The panels the issue asks for.
    for (const name of [
      'http_request_duration_seconds_bucket',
      'http_requests_rate_limited_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
    ]) {
      assert.ok(
        queried.some((q) => q.name === name),
        `no panel queries ${name}`,
      );
    }
    const missing = queried.filter((q) => !exists(q.name)).map((q) => `${q.name} (${q.panel})`);
    assert.deepEqual(missing, [], 'metrics the dashboard queries but nothing exports');
  });

  test('the metric-name extraction sees through PromQL syntax', () => {
    assert.deepEqual(
      metricNames(
        'histogram_quantile(0.95, sum by (le, route) (rate(http_request_duration_seconds_bucket{route=~"/api/.*"}[$__rate_interval])))',
      ),
      ['http_request_duration_seconds_bucket'],
    );
    assert.deepEqual(metricNames('sum(rate(a_total[5m])) / sum(rate(b_count[5m])) > bool 0'), [
      'a_total',
      'b_count',
    ]);
  });
});

describe('k8s manifests', () => {
  const dir = join(deploy, 'k8s');
  const manifests = readdirSync(dir)
    .filter((name) => name.endsWith('.yaml'))
    .flatMap((name) =>
      parseAllDocuments(readFileSync(join(dir, name), 'utf8')).map((doc) => {
        assert.deepEqual(doc.errors, [], name);
        return doc.toJS() as {
          kind: string;
          apiVersion: string;
          metadata: { name: string };
          data?: Record<string, string>;
          stringData?: Record<string, string>;
          spec?: any;
        };
      }),
    );
  const named = (kind: string) => manifests.filter((m) => m.kind === kind);

  test('Deployments for serve and consume, a Service for serve, a ConfigMap and a Secret template', () => {
    assert.deepEqual(
      named('Deployment')
        .map((m) => m.metadata.name)
        .sort(),
      ['gomall-consume', 'gomall-serve'],
    );
    const [service] = named('Service');
    const serve = named('Deployment').find((m) => m.metadata.name === 'gomall-serve')!;
    for (const [key, value] of Object.entries(service!.spec.selector as Record<string, string>)) {
      assert.equal(serve.spec.template.metadata.labels[key], value, `Service selector ${key}`);
    }
    assert.equal(named('ConfigMap').length, 1);
    assert.equal(named('Secret').length, 1);
  });

  test('the Secret holds placeholders only, and config keys are real', () => {
    const [secret] = named('Secret');
    assert.ok(Object.values(secret!.stringData ?? {}).every((value) => value === 'REPLACE-ME'));
    assert.equal(secret!.data, undefined);
    const [configMap] = named('ConfigMap');
    for (const key of [...Object.keys(configMap!.data!), ...Object.keys(secret!.stringData!)]) {
      if (!key.includes('__')) continue;
      const [section, field] = key
        .replace(/^GOMALL_/, '')
        .toLowerCase()
        .split('__') as [string, string];
      const shape = configSchema.shape[section as keyof typeof configSchema.shape];
      assert.ok(shape && field in shape.shape, `${key} is not a config key`);
    }
  });

  test('every container reads the ConfigMap and Secret that exist', () => {
    const names = new Set(manifests.map((m) => `${m.kind}/${m.metadata.name}`));
    for (const deployment of named('Deployment')) {
      const pod = deployment.spec.template.spec;
      for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
        for (const source of container.envFrom as Array<Record<string, { name: string }>>) {
          const ref = source['configMapRef']
            ? `ConfigMap/${source['configMapRef'].name}`
            : `Secret/${source['secretRef']!.name}`;
          assert.ok(names.has(ref), `${deployment.metadata.name}/${container.name}: ${ref}`);
        }
      }
    }
  });
});

/** Metric names in a PromQL expression: identifiers that are not functions, keywords or labels. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const keywords = new Set(['and', 'or', 'unless', 'bool', 'offset']);
  return [...bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)]
    .filter((match) => !/^\s*\(/.test(bare.slice(match.index + match[0].length)))
    .map((match) => match[0])
    .filter((word) => !keywords.has(word));
}

async function defaultMetricNames(): Promise<string[]> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return (await registry.getMetricsAsJSON()).map((metric) => metric.name);
}

/** Names given to prom-client metrics in the source: `new Counter({ name: '…'`. */
function sourceMetricNames(): string[] {
  const src = join(root, 'src');
  const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((name) =>
    name.endsWith('.ts'),
  );
  return files.flatMap((file) =>
    [
      ...readFileSync(join(src, file), 'utf8').matchAll(
        /new (?:Counter|Gauge|Histogram|Summary)\s*(?:<[^>]*>)?\s*\(\s*\{\s*name:\s*'([a-zA-Z_:][a-zA-Z0-9_:]*)'/g,
      ),
    ].map((match) => match[1]!),
  );
}
