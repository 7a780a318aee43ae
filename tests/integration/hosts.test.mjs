// hosts.test.mjs: several hosts. `fazhi serve --listen IPV4:PORT --allow ADDRESS` serves
// FastCGI over TCP to the listed addresses only (a connection from 127.0.0.2, another
// loopback address, is closed unanswered); `fazhi publish --hosts FILE` sends the snapshot
// to every host (rsync, here to local paths: the same command copies over ssh to
// user@host:/path), has each load it and confirms each through its /healthz, or puts the
// previous snapshot back everywhere and says which host failed. Two "hosts": two run
// folders, each with its own snapshot, nginx and fazhi serve on its own TCP port.
// tests: 6
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import net from 'node:net';
import { FAZHI, ROOT, startStack, get, build, testContent, tempDir, freePort, logMatch } from './stack.mjs';

const healthz = async (s) => JSON.parse((await get(`${s.base}/healthz`)).body).snapshot;

let dir, content, master, hostA, hostB, a, b;
before(async () => {
  dir = tempDir();
  content = testContent(dir);
  master = join(dir, 'site.db');
  const r = build(content, master);
  assert.equal(r.status, 0, r.stderr);
  for (const h of ['a', 'b']) mkdirSync(join(dir, h));
  hostA = join(dir, 'a', 'site.db');
  hostB = join(dir, 'b', 'site.db');
  copyFileSync(master, hostA);
  copyFileSync(master, hostB);
  [a, b] = await Promise.all([hostA, hostB].map(async (snapshot) =>
    startStack({ snapshot, workers: 1, listen: `127.0.0.1:${await freePort()}` })));
});
after(async () => { await a?.stop(); await b?.stop(); });

// One host line: NAME DESTINATION HEALTHZ RELOAD-COMMAND.
const line = (name, dest, s, reload) => `${name}  ${dest}  ${s.base}/healthz  ${reload}\n`;
const hup = (s) => `kill -HUP "$(cat '${join(s.run, 'fazhi.pid')}')"`;

function publish(hosts, verb = ['publish']) {
  const file = join(dir, 'hosts');
  writeFileSync(file, `# name  snapshot destination  /healthz  reload command\n${hosts}`);
  return new Promise((resolve) => {
    const p = spawn(FAZHI, [...verb, '--content', content, '--snapshot', master,
      '--hosts', file]);
    let stdout = '', stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

// A FastCGI request for /healthz from localAddress; resolves with the bytes answered.
function fastcgi(port, localAddress) {
  const rec = (type, body) => {
    const h = Buffer.from([1, type, 0, 1, body.length >> 8, body.length & 255, 0, 0]);
    return Buffer.concat([h, body]);
  };
  const pair = (k, v) => Buffer.concat([Buffer.from([k.length, v.length]), Buffer.from(k), Buffer.from(v)]);
  const params = Buffer.concat([pair('REQUEST_METHOD', 'GET'), pair('REQUEST_URI', '/healthz')]);
  const req = Buffer.concat([rec(1, Buffer.from([0, 1, 0, 0, 0, 0, 0, 0])), rec(4, params),
    rec(4, Buffer.alloc(0)), rec(5, Buffer.alloc(0))]);
  return new Promise((resolve) => {
    const chunks = [];
    const c = net.connect({ host: '127.0.0.1', port, localAddress }, () => c.write(req));
    c.on('data', (d) => chunks.push(d));
    c.on('error', () => {});
    c.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
  });
}

test('fazhi serve on TCP serves the site through nginx, and only to the addresses --allow lists', async () => {
  assert.equal((await get(`${a.base}/cases/`)).status, 200);
  assert.match(a.log(), /listening on 127\.0\.0\.1:\d+ with 1 workers/);
  const port = Number(a.log().match(/listening on 127\.0\.0\.1:(\d+)/)[1]);
  const allowed = await fastcgi(port, '127.0.0.1');
  assert.match(allowed, /Status: 200 OK/, 'an allowed address gets an answer');
  const refused = await fastcgi(port, '127.0.0.2');
  assert.equal(refused, '', 'a connection from 127.0.0.2 is closed unanswered');
  assert.match(await logMatch(a, /refused a connection from 127\.0\.0\.2/),
    /refused a connection from 127\.0\.0\.2: not in --allow/);
  assert.equal((await get(`${a.base}/healthz`)).status, 200, 'and the worker serves on');
});

test('--listen needs --allow, an IPv4 address and a port; --allow takes at most TCP_MAX_ALLOW (16)', () => {
  const snap = ['--snapshot', master, '--lua', join(ROOT, 'lua')];
  let r = spawnSync(FAZHI, ['serve', '--listen', '127.0.0.1:1', ...snap], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /--allow ADDRESS/);
  r = spawnSync(FAZHI, ['serve', '--listen', 'localhost:9000', '--allow', '127.0.0.1', ...snap], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /give an IPv4 address and a port/);
  const allow = (n) => Array.from({ length: n }, (_, i) => ['--allow', `10.0.0.${i + 1}`]).flat();
  r = spawnSync(FAZHI, ['serve', '--listen', '127.0.0.1:1', ...allow(17), ...snap], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /at most 16 addresses/);
  // 16 pass the option check: the server then fails on the port (1 is privileged or taken).
  r = spawnSync(FAZHI, ['serve', '--listen', '127.0.0.1:1', ...allow(16), '--snapshot', join(dir, 'none.db')], { encoding: 'utf8' });
  assert.doesNotMatch(r.stderr, /at most/);
});

test('publish sends the snapshot to both hosts and confirms each serves it', async () => {
  const before = await healthz(a);
  assert.equal(await healthz(b), before);
  const f = join(content, 'cases', '2023-002.xml');
  writeFileSync(f, readFileSync(f, 'utf8').replace('</title>', '（两台主机）</title>'));
  const r = await publish(line('a', hostA, a, hup(a)) + line('b', hostB, b, hup(b)));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /host a \(http:\/\/127\.0\.0\.1:\d+\/healthz\) serves it/);
  assert.match(r.stdout, /host b \(http:\/\/127\.0\.0\.1:\d+\/healthz\) serves it/);
  const id = await healthz(a);
  assert.notEqual(id, before);
  assert.equal(await healthz(b), id, 'both hosts serve the same new snapshot');
  for (const s of [a, b])
    assert.match((await get(`${s.base}/cases/2023-002`)).body, /（两台主机）/);
  assert.deepEqual(readFileSync(hostB), readFileSync(master), 'host b holds the very file');
});

test('a host that does not load the snapshot fails the publish, says which, and every host goes back', async () => {
  const before = await healthz(a);
  const f = join(content, 'cases', '2023-002.xml');
  writeFileSync(f, readFileSync(f, 'utf8').replace('（两台主机）', '（不会发布）'));
  // b's reload command does nothing: b never serves the new snapshot.
  const r = await publish(line('a', hostA, a, hup(a)) + line('b', hostB, b, 'true'));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /host b \(http:\/\/127\.0\.0\.1:\d+\/healthz\) did not start serving snapshot [0-9a-f]{16}/);
  assert.match(r.stderr, /host a: the previous snapshot is back/);
  assert.equal(await healthz(a), before, 'host a serves the previous snapshot again');
  assert.equal(await healthz(b), before);
  assert.doesNotMatch((await get(`${a.base}/cases/2023-002`)).body, /不会发布/);
});

test('a host the snapshot cannot be copied to fails the publish; the hosts file has limits', async () => {
  const before = await healthz(a);
  let r = await publish(line('a', hostA, a, hup(a)) + line('b', join(dir, 'gone', 'site.db'), b, hup(b)));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /host b: the snapshot could not be copied to .*gone\/site\.db \(rsync: status \d+\)/);
  assert.equal(await healthz(a), before);
  // HOSTS_MAX (16) hosts at most, HOSTS_MAX_LINE (1024) bytes a line: nothing published.
  r = await publish(line('a', hostA, a, hup(a)).repeat(17));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /hosts:18: at most 16 hosts/);
  r = await publish(line('a', hostA, a, `${hup(a)} #${'x'.repeat(1024)}`));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /hosts:2: longer than 1024 bytes/);
  assert.equal(await healthz(a), before);
});

test('withdraw takes an item off both hosts at once', async () => {
  for (const s of [a, b]) assert.equal((await get(`${s.base}/cases/2023-001`)).status, 200);
  const r = await publish(line('a', hostA, a, hup(a)) + line('b', hostB, b, hup(b)),
    ['withdraw', '2023-001', '--reason', '测试：两台主机同时撤稿']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /host b \(.*\) serves it/);
  for (const s of [a, b]) assert.equal((await get(`${s.base}/cases/2023-001`)).status, 404);
});
