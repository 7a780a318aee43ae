// metrics.test.mjs: /metrics in the Prometheus text format, on the loopback metrics
// port only (nginx's METRICS_PORT server): read by Debian's python3-prometheus-client
// parser and checked line by line; its counters move with requests, reloads and
// rate-limited requests; the public port does not have it.
// tests: 6
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startStack, get, logMatch, sleep } from './stack.mjs';

// Debian's python3, the one python3-prometheus-client installs into.
const PYTHON3 = process.env.PYTHON3 || '/usr/bin/python3';
const PARSE = `
import json, sys
from prometheus_client.parser import text_string_to_metric_families
out = []
for f in text_string_to_metric_families(sys.stdin.read()):
    out.append({"name": f.name, "type": f.type, "help": f.documentation,
                "samples": [[s.name, s.labels, s.value] for s in f.samples]})
print(json.dumps(out))
`;

// The families as Prometheus's own parser reads them; throws on a parse error.
function parse(text) {
  const r = spawnSync(PYTHON3, ['-c', PARSE], { input: text, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`prometheus_client refused it:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

// The value of one sample: name and labels exactly.
function value(families, name, labels = {}) {
  for (const f of families)
    for (const [n, l, v] of f.samples)
      if (n === name && JSON.stringify(Object.entries(l).sort()) === JSON.stringify(Object.entries(labels).sort()))
        return v;
  return 0;
}

let s;
before(async () => { s = await startStack({ workers: 2 }); });
after(async () => { await s.stop(); });

const metrics = async () => {
  const r = await get(`${s.metricsBase}/metrics`);
  assert.equal(r.status, 200);
  return r;
};

test('/metrics is the Prometheus text format, strictly', async () => {
  await get(`${s.base}/`);
  const r = await metrics();
  assert.equal(r.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  assert.equal(r.headers.get('cache-control'), 'private, no-store');
  const families = parse(r.body);
  const byName = Object.fromEntries(families.map((f) => [f.name, f]));
  for (const [name, type] of [['fazhi_requests', 'counter'], ['fazhi_request_duration_seconds', 'histogram'],
    ['fazhi_render_duration_seconds', 'histogram'], ['fazhi_rate_limited', 'counter'],
    ['fazhi_worker_restarts', 'counter'], ['fazhi_worker_kills', 'counter'], ['fazhi_reloads', 'counter'],
    ['fazhi_reload_failures', 'counter'], ['fazhi_workers', 'gauge'], ['fazhi_workers_busy', 'gauge'],
    ['fazhi_snapshot_info', 'gauge'],
    ['fazhi_snapshot_age_seconds', 'gauge']]) {
    assert.ok(byName[name], `${name} is there`);
    assert.equal(byName[name].type, type, name);
    assert.ok(byName[name].help.length > 10, `${name} has help`);
  }
  // Line by line, as the exposition format (0.0.4) has it: HELP and TYPE once, before
  // the family's samples; every sample a name, optional labels, a number; ends in \n.
  assert.ok(r.body.endsWith('\n'));
  const seen = new Map();
  for (const line of r.body.slice(0, -1).split('\n')) {
    let m;
    if ((m = line.match(/^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/))) {
      const k = `${m[1]} ${m[2]}`;
      assert.ok(!seen.has(k), `one ${k}`);
      seen.set(k, true);
      if (m[1] === 'TYPE') assert.match(m[3], /^(counter|gauge|histogram)$/);
      continue;
    }
    m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-z_]+="(?:[^"\\\n]|\\["\\n])*"(?:,[a-z_]+="(?:[^"\\\n]|\\["\\n])*")*\})? (-?[0-9.e+-]+|\+Inf)$/);
    assert.ok(m, `a sample line: ${line}`);
    const family = m[1].replace(/_(bucket|sum|count)$/, '');
    assert.ok(seen.has(`TYPE ${m[1]}`) || seen.has(`TYPE ${family}`), `TYPE before ${m[1]}`);
  }
  // Histograms: buckets only grow, +Inf is the count.
  for (const name of ['fazhi_request_duration_seconds', 'fazhi_render_duration_seconds']) {
    const buckets = byName[name].samples.filter(([n]) => n === `${name}_bucket`);
    assert.ok(buckets.length >= 10, `${name} has buckets`);
    for (let i = 1; i < buckets.length; i++) {
      assert.ok(buckets[i][1].le === '+Inf' || Number(buckets[i][1].le) > Number(buckets[i - 1][1].le));
      assert.ok(buckets[i][2] >= buckets[i - 1][2], `${name} buckets are cumulative`);
    }
    assert.equal(buckets.at(-1)[1].le, '+Inf');
    assert.equal(buckets.at(-1)[2], value(families, `${name}_count`), `${name}: +Inf is the count`);
  }
  assert.equal(value(families, 'fazhi_workers'), 2, 'the two workers');
  assert.equal(value(families, 'fazhi_workers_busy'), 1, 'the one answering /metrics is busy');
  const info = byName.fazhi_snapshot_info.samples[0];
  assert.match(info[1].id, /^[0-9a-f]{8,}$/);
  const health = JSON.parse((await get(`${s.base}/healthz`)).body);
  assert.equal(info[1].id, health.snapshot, 'the snapshot id is the one /healthz gives');
  const age = value(families, 'fazhi_snapshot_age_seconds');
  assert.ok(age >= 0 && age < 3600, `snapshot age ${age}`);
});

test('counters move with requests: by route and status, latency and render time', async () => {
  const f0 = parse((await metrics()).body);
  for (let i = 0; i < 3; i++) assert.equal((await get(`${s.base}/cases/`)).status, 200);
  assert.equal((await get(`${s.base}/no-such-page`)).status, 404);
  assert.equal((await get(`${s.base}/api/v1/cases`)).status, 200);
  const f1 = parse((await metrics()).body);
  const d = (name, labels) => value(f1, name, labels) - value(f0, name, labels);
  assert.equal(d('fazhi_requests_total', { route: 'cases', status: '200' }), 3);
  assert.equal(d('fazhi_requests_total', { route: 'not_found', status: '404' }), 1);
  assert.equal(d('fazhi_requests_total', { route: 'api_cases', status: '200' }), 1);
  // the first /metrics is counted too, once it is answered
  assert.equal(d('fazhi_requests_total', { route: 'metrics', status: '200' }), 1);
  assert.equal(d('fazhi_request_duration_seconds_count', {}), 6);
  assert.ok(d('fazhi_request_duration_seconds_sum', {}) > 0);
  assert.equal(d('fazhi_render_duration_seconds_count', {}), 4, 'four answers rendered a template');
  assert.ok(d('fazhi_render_duration_seconds_sum', {}) > 0);
});

test('rate-limited requests are counted: every 429 nginx gives, page or API, none reaching a worker', async () => {
  const f0 = parse((await metrics()).body);
  // LOOKUP_BURST is 20, shared by the page and the API: forty at once go past it.
  const rs = await Promise.all(Array.from({ length: 40 }, (_, i) =>
    get(`${s.base}/${i % 2 ? 'api/v1/' : ''}credit/lookup?q=x`)));
  const limited = rs.filter((r) => r.status === 429).length;
  const api = rs.filter((r) => r.status === 429 && r.headers.get('content-type').startsWith('application/json'));
  assert.ok(limited >= 10, `${limited} answers were 429`);
  assert.ok(api.length >= 5, `${api.length} API answers were 429`);
  // The master reads nginx's log of 429s every SERVE_WATCH_MS.
  let f1;
  for (let i = 0; i < 40; i++) {
    f1 = parse((await metrics()).body);
    if (value(f1, 'fazhi_rate_limited_total') - value(f0, 'fazhi_rate_limited_total') >= limited) break;
    await sleep(50);
  }
  assert.equal(value(f1, 'fazhi_rate_limited_total') - value(f0, 'fazhi_rate_limited_total'), limited);
  const answered = (f) => ['credit_lookup', 'api_credit_lookup'].reduce((n, route) =>
    n + f.flatMap((x) => x.samples).filter(([name, l]) => name === 'fazhi_requests_total' && l.route === route)
      .reduce((m, [, , v]) => m + v, 0), 0);
  assert.equal(answered(f1) - answered(f0), 40 - limited, 'the workers answered only the others');
});

test('reloads and worker restarts are counted, across workers that come and go', async () => {
  const f0 = parse((await metrics()).body);
  process.kill(s.masterPid(), 'SIGHUP');
  await logMatch(s, /reload: generation 1 serving/);
  await sleep(200);
  for (let i = 0; i < 4; i++) assert.equal((await get(`${s.base}/about`)).status, 200);
  const f1 = parse((await metrics()).body);
  assert.equal(value(f1, 'fazhi_reloads_total') - value(f0, 'fazhi_reloads_total'), 1);
  // The retired workers' counts are kept: no counter goes down.
  for (const f of f0)
    if (f.type === 'counter' || f.type === 'histogram')
      for (const [n, l, v] of f.samples)
        assert.ok(value(f1, n, l) >= v, `${n} ${JSON.stringify(l)} did not go down`);
  assert.equal(value(f1, 'fazhi_requests_total', { route: 'about', status: '200' }) -
    value(f0, 'fazhi_requests_total', { route: 'about', status: '200' }), 4);
  assert.equal(value(f1, 'fazhi_worker_restarts_total'), value(f0, 'fazhi_worker_restarts_total'),
    'retiring a generation is no restart');
});

test('/metrics is not public: 404 on the site\'s port, whatever the request says', async () => {
  for (const init of [{}, { headers: { 'FAZHI-METRICS': '1', 'Fazhi_Metrics': '1' } }]) {
    const r = await get(`${s.base}/metrics`, init);
    assert.equal(r.status, 404);
    assert.doesNotMatch(r.body, /fazhi_requests_total/);
  }
  assert.equal((await get(`${s.base}/metrics?x=1`)).status, 404);
  assert.equal((await get(`${s.metricsBase}/`)).status, 404, 'the metrics port serves nothing else');
  assert.equal((await get(`${s.metricsBase}/cases/`)).status, 404);
});

test('docs/metrics.md\'s scrape configuration is YAML that reaches make run\'s and the production example\'s /metrics', async () => {
  const doc = readFileSync(join(ROOT, 'docs', 'metrics.md'), 'utf8');
  const yaml = doc.match(/```yaml\n([\s\S]*?)```/)[1];
  // Debian's python3-yaml reads it, as Prometheus would.
  const r = spawnSync(PYTHON3, ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))'],
    { input: yaml, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const jobs = Object.fromEntries(JSON.parse(r.stdout).scrape_configs.map((j) => [j.job_name, j]));
  // make run: METRICS_PORT's default in the Makefile, the path this stack answers.
  const port = readFileSync(join(ROOT, 'Makefile'), 'utf8').match(/^METRICS_PORT\s*\?=\s*(\d+)$/m)[1];
  assert.deepEqual(jobs.fazhi.static_configs[0].targets, [`127.0.0.1:${port}`]);
  const scraped = await get(`${s.metricsBase}${jobs.fazhi.metrics_path}`);
  assert.equal(scraped.status, 200);
  assert.match(scraped.body, /^fazhi_requests_total\{/m);
  // The production example: each backend's path, as the relabelling makes it, is one
  // its loopback server answers.
  const example = readFileSync(join(ROOT, 'nginx', 'production.conf.example'), 'utf8');
  const backends = jobs['fazhi-backends'];
  const [relabel] = backends.relabel_configs;
  assert.equal(relabel.target_label, '__metrics_path__');
  for (const sc of backends.static_configs) {
    const [host, p] = sc.targets[0].split(':');
    assert.equal(host, '127.0.0.1');
    assert.match(example, new RegExp(`listen 127\\.0\\.0\\.1:${p};`));
    const path = relabel.replacement.replace('$1', sc.labels.backend);
    const m = path.match(/^\/backend\/([a-z]+)(\/metrics)$/);
    assert.ok(m, path);
    const loc = example.match(new RegExp(`location ~ \\^/backend/${m[1]}\\(([^)]*)\\)`));
    assert.ok(loc && loc[1].split('|').includes('/metrics'), `${path} is served`);
  }
});
