// production.test.mjs: nginx/production.conf.example is a configuration nginx accepts
// (`nginx -t`, with its paths moved into a temporary folder and a self-signed
// certificate made by openssl), and it keeps what the test configuration has: the
// security headers (plus HSTS) wherever headers are set, the same rate limits and
// micro-cache, TLS, the HTTP to HTTPS redirect, and failover between backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from './stack.mjs';

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
  for (const re of [/limit_req_zone .*;/g, /limit_req zone=.*;/g, /fastcgi_cache_(valid|key|lock|use_stale|background_update) .*;/g]) {
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
});
