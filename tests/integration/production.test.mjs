// production.test.mjs: nginx/production.conf.example is a configuration nginx accepts
// (`nginx -t`, with its paths moved into a temporary folder and a self-signed
// certificate made by openssl), and it keeps what the test configuration has: the
// security headers (plus HSTS) wherever headers are set, the same rate limits and
// micro-cache, TLS, the HTTP to HTTPS redirect, and failover between backends; run
// with two real backends on TCP (two "hosts" on loopback), its publish command sends
// the snapshot to both and confirms each. In both configurations no regular
// expression is tried on the way to a page. nginx sends fazhi every request header
// it reads and no other.
// tests: 5
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAZHI, ROOT, build, freePort, get, sleep, tempDir, testContent } from './stack.mjs';

const EXAMPLE = readFileSync(join(ROOT, 'nginx', 'production.conf.example'), 'utf8');
// The test configuration as scripts/run renders it, micro-cache on as `make run` has it.
const TEST_CONF = spawnSync(join(ROOT, 'scripts', 'nginx-conf'), ['8080', '/tmp/fazhi-run', '/tmp/fazhi.sock'],
  { env: { ...process.env, CACHE: 'on', SEARCH_RATE: 'on' }, encoding: 'utf8' }).stdout;

// The example's host paths, and where the test puts each (under dir; /srv/fazhi is
// the checkout itself).
function render(dir) {
  const moves = [
    ['/srv/fazhi', ROOT],
    ['/etc/ssl/fazhi', join(dir, 'ssl')],
    ['/var/cache/nginx/fazhi', join(dir, 'cache')],
    ['/var/log/nginx', join(dir, 'log')],
    ['/var/lib/fazhi', join(dir, 'lib')],
    ['/run/fazhi', join(dir, 'run')],
    ['/run/nginx.pid', join(dir, 'nginx.pid')],
  ];
  let conf = EXAMPLE;
  for (const [from, to] of moves) conf = conf.split(from).join(to);
  for (const d of ['ssl', 'cache', 'log', 'lib/export', 'run']) mkdirSync(join(dir, d), { recursive: true });
  // Run as whoever runs the tests: `user` only means something to a root master.
  if (spawnSync('id', ['-u', 'www-data']).status !== 0) conf = conf.replace(/^user www-data;$/m, '');
  return conf;
}

test('nginx -t accepts the production example with a self-signed certificate', () => {
  const dir = tempDir('fazhi-prod-');
  const conf = render(dir);
  const ssl = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
    '-subj', '/CN=zfj.putuo.example.gov.cn', '-keyout', join(dir, 'ssl', 'privkey.pem'),
    '-out', join(dir, 'ssl', 'fullchain.pem')], { encoding: 'utf8' });
  assert.equal(ssl.status, 0, `openssl (scripts/setup --test installs it): ${ssl.stderr}`);
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const r = spawnSync('nginx', ['-t', '-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'log', 'error.log')],
    { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /test is successful/);
});

test('the production example keeps the test configuration\'s limits, cache and headers', () => {
  // The same limit zones and bursts, and the same micro-cache.
  for (const re of [/limit_req_zone .*;/g, /limit_req zone=.*;/g, /fastcgi_(cache_(valid|key|lock|use_stale|background_update)|ignore_headers) .*;/g]) {
    const want = (TEST_CONF.match(re) ?? []).sort();
    assert.ok(want.length > 0, String(re));
    assert.deepEqual((EXAMPLE.match(re) ?? []).sort(), want, String(re));
  }
  // Every place that sets headers sets the shared security headers and HSTS.
  const shared = EXAMPLE.match(/include \/srv\/fazhi\/nginx\/security-headers\.conf;/g) ?? [];
  const hsts = EXAMPLE.match(/add_header Strict-Transport-Security "max-age=\d+; includeSubDomains" always;/g) ?? [];
  assert.ok(shared.length >= 6);
  assert.equal(hsts.length, shared.length, 'HSTS beside each include of the shared headers');
  assert.equal((EXAMPLE.match(/include \/srv\/fazhi\/nginx\/security-headers\.conf;/g) ?? []).length,
    TEST_CONF.split(`include ${ROOT}/nginx/security-headers.conf;`).length - 1);
  // TLS, the redirect and failover.
  assert.match(EXAMPLE, /listen 443 ssl/);
  assert.match(EXAMPLE, /ssl_certificate \/etc\/ssl\/fazhi\/fullchain\.pem;/);
  assert.match(EXAMPLE, /listen 80;\s+listen \[::\]:80;\s+server_name \S+;\s+return 301 https:\/\//);
  assert.match(EXAMPLE, /gzip on;/);
  const upstream = EXAMPLE.match(/upstream fazhi \{([^}]*)\}/)[1];
  assert.ok((upstream.match(/^\s*server /gm) ?? []).length >= 2, 'several backends');
  assert.match(EXAMPLE, /fastcgi_next_upstream error timeout/);
  assert.match(EXAMPLE, /fastcgi_next_upstream_tries \d+;/);
  assert.doesNotMatch(EXAMPLE, /@[A-Z]+@/, 'no placeholders of the test configuration');
  // Small answers leave by writev, large files by sendfile, in both.
  for (const conf of [EXAMPLE, TEST_CONF]) {
    assert.match(conf, /^ {4}sendfile off;$/m, 'sendfile off for the http block');
    assert.match(conf, /location ~ "\^\/media\/[^\n]*\{\n\s*alias [^\n]*;\n\s*sendfile on;/, 'media by sendfile');
    assert.match(conf, /location \^~ \/_export\/ \{\n\s*internal;\n\s*alias [^\n]*;\n\s*sendfile on;/, 'exports by sendfile');
  }
  // publish waits out the cache's lifetime: the lifetime it knows is nginx's.
  const lifetime = Number(readFileSync(join(ROOT, 'fcgi', 'publish.h'), 'utf8')
    .match(/#define PUBLISH_CACHE_SECONDS\s+(\d+)/)[1]);
  for (const conf of [EXAMPLE, TEST_CONF])
    for (const m of conf.matchAll(/fastcgi_cache_valid [\d ]+ (\d+)s;/g)) assert.equal(Number(m[1]), lifetime, m[0]);
});

// The public server's blocks of conf (the one with location = /search): each
// "location" line with the header of the block it stands in.
function publicLocations(conf) {
  const out = [];
  const stack = [];
  let server = null;
  for (const line of conf.split('\n').map((l) => l.replace(/#.*/, '').trim())) {
    if (line.endsWith('{')) {
      const head = line.slice(0, -1).trim();
      if (head === 'server') server = [];
      if (server && head.startsWith('location')) server.push({ head, parent: stack.at(-1) });
      stack.push(head);
    } else if (line === '}') {
      if (stack.pop() === 'server') {
        if (server.some((l) => l.head === 'location = /search')) out.push(...server);
        server = null;
      }
    }
  }
  return out;
}

test('nginx passes fazhi each request header fazhi reads, and no other', () => {
  const conf = readFileSync(join(ROOT, 'nginx', 'fastcgi.conf'), 'utf8');
  const read = new Set();
  for (const f of readdirSync(join(ROOT, 'fcgi')).filter((n) => n.endsWith('.c')))
    for (const m of readFileSync(join(ROOT, 'fcgi', f), 'utf8').matchAll(/FCGX_GetParam\("(HTTP_[A-Z_]+)"/g)) read.add(m[1]);
  assert.ok(read.has('HTTP_COOKIE') && read.has('HTTP_IF_NONE_MATCH'), [...read].join(' '));
  const passed = new Set([...conf.matchAll(/^fastcgi_param (HTTP_[A-Z_]+)\s+\$http_([a-z_]+) if_not_empty;$/gm)]
    .map((m) => { assert.equal(m[2], m[1].slice(5).toLowerCase(), m[0]); return m[1]; }));
  assert.deepEqual([...passed].sort(), [...read].sort());
  assert.match(conf, /^fastcgi_pass_request_headers off;$/m);
  // Both configurations take their parameters from that file alone.
  for (const c of [EXAMPLE, TEST_CONF]) assert.doesNotMatch(c, /fastcgi_pass_request_headers on/);
});

test('no regular expression is tried on the way to a page: each stands inside a ^~ prefix', () => {
  for (const [name, conf] of [['test configuration', TEST_CONF], ['production example', EXAMPLE]]) {
    const locations = publicLocations(conf);
    assert.ok(locations.length > 10, `${name}: the public server's locations`);
    const regex = locations.filter((l) => /^location ~\*? /.test(l.head));
    assert.ok(regex.length >= 2, `${name}: the fingerprinted files and media are regular expressions`);
    for (const l of regex) assert.match(l.parent, /^location \^~ \//, `${name}: ${l.head} inside ${l.parent}`);
    // A page's answer fits the first buffer nginx reads it into.
    assert.match(conf, /fastcgi_buffer_size 16k;/, name);
  }
});

// The example's publish command, as its comments give it (continued lines joined).
function examplePublish() {
  const m = EXAMPLE.match(/^#\s+(fazhi publish (?:[^\n]*\\\n#\s+)*[^\n]*)$/m);
  assert.ok(m, 'the example says how to publish');
  return m[1].replace(/\\\n#\s+/g, ' ').split(/\s+/).slice(1);
}

test('the production example serves backends on two hosts, and its publish command reaches both', async () => {
  const dir = tempDir('fazhi-prod-run-');
  const [http, https, health, staff, portA, portB] = [await freePort(), await freePort(), await freePort(),
    await freePort(), await freePort(), await freePort()];
  let conf = render(dir)
    .replace(/^\s*listen \[::\]:\d+.*$/gm, '')
    .replace('listen 80;', `listen 127.0.0.1:${http};`)
    .replace('listen 443 ssl http2;', `listen 127.0.0.1:${https} ssl;`)
    .split('127.0.0.1:8079').join(`127.0.0.1:${health}`)
    .split('127.0.0.1:8443').join(`127.0.0.1:${staff}`)
    .split('10.0.0.11:9000').join(`127.0.0.1:${portA}`)
    .split('10.0.0.12:9000').join(`127.0.0.1:${portB}`);
  conf = process.getuid() === 0 ? conf.replace(/^user www-data;$/m, 'user root root;') : conf;
  writeFileSync(join(dir, 'nginx.conf'), conf);
  spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-keyout', join(dir, 'ssl', 'privkey.pem'), '-out', join(dir, 'ssl', 'fullchain.pem')]);
  const content = testContent(dir);
  // This host's snapshot, and each backend host's own /var/lib/fazhi (the exports shared).
  const snapshot = join(dir, 'lib', 'site.db');
  assert.equal(build(content, snapshot).status, 0);
  const host = (n) => join(dir, 'host', n);
  for (const n of ['a', 'b']) {
    mkdirSync(host(n), { recursive: true });
    copyFileSync(snapshot, join(host(n), 'site.db'));
  }
  // The backends' command as the example gives it, on loopback: host a's address and port.
  const serveLine = EXAMPLE.match(/^#\s+(fazhi serve --listen (?:[^\n]*\\\n#\s+)*[^\n]*)$/m);
  assert.ok(serveLine, 'the example says how to start a backend');
  const serveArgs = serveLine[1].replace(/\\\n#\s+/g, ' ').split(/\s+/).slice(1);
  const backends = [['a', portA], ['b', portB]].map(([n, port]) => spawn(FAZHI, [...serveArgs.map((x) => x
    .split('10.0.0.11:9000').join(`127.0.0.1:${port}`).split('10.0.0.10').join('127.0.0.1')
    .split('/run/fazhi/fazhi.pid').join(join(dir, 'run', `${n}.pid`))
    .split('/var/lib/fazhi/site.db').join(join(host(n), 'site.db'))
    .split('/var/lib/fazhi').join(join(dir, 'lib'))), '--lua', join(ROOT, 'lua'), '--workers', '1'],
  { stdio: 'ignore' }));
  const nginx = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'log', 'error.log'),
    '-g', 'daemon off;'], { stdio: 'ignore' });
  const healthOf = async (n) => {
    try { return JSON.parse((await get(`http://127.0.0.1:${health}/backend/${n}/healthz`)).body).snapshot; } catch { return null; }
  };
  try {
    for (let i = 0; i < 100 && (!(await healthOf('a')) || !(await healthOf('b'))); i++) await sleep(100);
    const old = await healthOf('a');
    assert.ok(old, 'backend a answers through the loopback server');
    assert.equal(await healthOf('b'), old);
    assert.equal((await get(`http://127.0.0.1:${health}/cases/`)).status, 404, 'the loopback server serves no pages');
    assert.match((await get(`http://127.0.0.1:${health}/backend/b/metrics`)).body, /^fazhi_snapshot_info\{id="/m,
      'each backend\'s /metrics on the loopback server');
    const f = join(content, 'cases', '2023-009.xml');
    writeFileSync(f, readFileSync(f, 'utf8').replace('</title>', '（两台都更新）</title>'));
    // /etc/fazhi/hosts as the example gives it: each host's copy goes to its folder, and
    // its reload command is the one the example runs over ssh, run here.
    const hosts = [...EXAMPLE.matchAll(/^#\s+([ab])\s+fazhi@\S+:(\S+)\s+(\S+)\s+ssh .*? '(.*)'$/gm)];
    assert.equal(hosts.length, 2, 'the example lists both hosts');
    writeFileSync(join(dir, 'hosts'), hosts.map(([, n, dest, url, cmd]) => [n,
      dest.split('/var/lib/fazhi').join(host(n)), url.split('127.0.0.1:8079').join(`127.0.0.1:${health}`),
      cmd.split('/run/fazhi/fazhi.pid').join(join(dir, 'run', `${n}.pid`))].join('  ')).join('\n'));
    const args = examplePublish().map((a) => a.split('/srv/fazhi/content').join(content)
      .split('/etc/fazhi/hosts').join(join(dir, 'hosts')).split('/var/lib/fazhi').join(join(dir, 'lib')));
    const r = spawnSync(FAZHI, args, { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /host a .* serves it/);
    assert.match(r.stdout, /host b .* serves it/);
    assert.match(r.stdout, /exports written/);
    const now = await healthOf('a');
    assert.notEqual(now, old);
    assert.equal(await healthOf('b'), now);
    assert.match((await get(`http://127.0.0.1:${health}/backend/b/export/cases.json`, {})).body, /两台都更新/);
  } finally {
    for (const p of [nginx, ...backends]) p.kill('SIGTERM');
    await sleep(300);
  }
});
