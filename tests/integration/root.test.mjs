// root.test.mjs: started by root, as CI and `make run` as root start it
// (scripts/run), no fazhi or nginx process runs as root once the stack is up:
// fazhi serve and fazhi console give root up for RUN_USER (fazhi) after
// opening their sockets (--user), nginx runs as that user, even with the
// stack's files in a folder only root may enter (mode 0700, as a checkout
// under /root); reload (SIGHUP, fazhi publish) still works, publishing as root
// leaves the snapshot the servers' user's, and that user (the console) can
// publish too. Not started by root, everything runs as the user who started it.
// tests: 4
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAZHI, ROOT, build, get, sleep, startStack, tempDir, testContent, workerPids } from './stack.mjs';

const asRoot = process.getuid() === 0;
// Who the servers must run as: scripts/run's RUN_USER default when root.
const want = asRoot
  ? { uid: Number(spawnSync('id', ['-u', 'fazhi'], { encoding: 'utf8' }).stdout),
    gid: Number(spawnSync('id', ['-g', 'fazhi'], { encoding: 'utf8' }).stdout) }
  : { uid: process.getuid(), gid: process.getgid() };

// /proc/PID/status: real, effective, saved and file-system ids, groups, capabilities.
function ids(pid) {
  const st = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (k) => new RegExp(`^${k}:[ \\t]*([^\\n]*)$`, 'm').exec(st)[1].trim();
  return { name: field('Name'), uid: field('Uid').split(/\s+/).map(Number), gid: field('Gid').split(/\s+/).map(Number),
    groups: field('Groups'), capEff: field('CapEff'), capPrm: field('CapPrm') };
}
const children = (pid) => spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
  .stdout.split('\n').filter(Boolean).map(Number);

// Every server process of the stack: scripts/run's children and theirs.
function servers(s) {
  const top = children(s.proc.pid);
  return [...top, ...top.flatMap(children)].map((pid) => ({ pid, ...ids(pid) }));
}

function assertUnprivileged(procs) {
  for (const p of procs) {
    assert.ok(p.uid.every((u) => u === want.uid), `${p.name} ${p.pid}: uid ${p.uid}`);
    assert.ok(p.gid.every((g) => g === want.gid), `${p.name} ${p.pid}: gid ${p.gid}`);
    assert.ok(!p.uid.includes(0), `${p.name} ${p.pid} runs as root`);
    assert.equal(p.capEff, '0000000000000000', `${p.name} ${p.pid}: capabilities`);
    assert.equal(p.capPrm, '0000000000000000', `${p.name} ${p.pid}: capabilities`);
    if (asRoot) assert.equal(p.groups, '', `${p.name} ${p.pid}: supplementary groups`);
  }
}

test('after start-up no fazhi serve, worker, console or nginx process runs as root', async () => {
  const s = await startStack({ workers: 2 });
  try {
    // The stack's files are in a folder that others may not enter (mode 0700,
    // plus the one ACL entry scripts/run adds for the servers' user).
    assert.equal(statSync(s.dir).mode & 0o007, 0);
    const procs = servers(s);
    const names = procs.map((p) => p.name).sort();
    assert.equal(names.filter((n) => n === 'fazhi').length, 4, `master, 2 workers, console: ${names}`);
    assert.ok(names.filter((n) => n === 'nginx').length >= 2, `nginx master and workers: ${names}`);
    assertUnprivileged(procs);
    assert.equal((await get(`${s.base}/cases/2023-001`)).status, 200);
    assert.equal((await get(`${s.base}/static/site.css`)).status, 200, 'nginx reads the static files');
    assert.equal((await get(`${s.consoleBase}/console/signin`)).status, 200);
    if (asRoot) assert.match(s.log(), /master\[\d+\] INFO running as user fazhi/);
  } finally { await s.stop(); }
});

test('reload still works: SIGHUP, fazhi publish as root (the snapshot stays the servers\' user\'s), and as that user', async () => {
  const s = await startStack({ workers: 2 });
  const health = async () => JSON.parse((await get(`${s.base}/healthz`)).body).snapshot;
  const publish = (opts = {}) => spawnSync(FAZHI, ['publish', '--content', s.content, '--snapshot', s.snapshot,
    '--pid', join(s.run, 'fazhi.pid'), '--url', `${s.base}/healthz`], { encoding: 'utf8', timeout: 60000, ...opts });
  try {
    const f = join(s.content, 'cases', '2023-001.xml');
    const first = await health();
    writeFileSync(f, readFileSync(f, 'utf8').replace('</title>', '（根更新）</title>'));
    const r = publish();
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /the server serves it/);
    assert.notEqual(await health(), first);
    assert.match((await get(`${s.base}/cases/2023-001`)).body, /（根更新）/);
    assert.equal(statSync(s.snapshot).uid, want.uid, 'the snapshot is still the servers\' user\'s');
    assert.equal(statSync(join(s.dir, 'publish.log')).uid, want.uid, 'and so is the publishing log root made');
    // The new generation of workers does not run as root either.
    const workers = workerPids(s.masterPid());
    assert.ok(workers.length >= 2, String(workers));
    assertUnprivileged(workers.map((pid) => ({ pid, ...ids(pid) })));
    // The unprivileged user publishes as the console does, and SIGHUP reloads.
    const before = await health();
    writeFileSync(f, readFileSync(f, 'utf8').replace('（根更新）', '（再更新）'));
    const u = publish({ uid: want.uid, gid: want.gid, env: { ...process.env, HOME: '/' } });
    assert.equal(u.status, 0, u.stderr);
    assert.match((await get(`${s.base}/cases/2023-001`)).body, /（再更新）/);
    assert.notEqual(await health(), before);
    process.kill(s.masterPid(), 'SIGHUP');
    for (let i = 0; i < 50 && !/generation 3 serving/.test(s.log()); i++) await new Promise((res) => setTimeout(res, 100));
    assert.match(s.log(), /reload: generation 3 serving \(2 of 2 ready\)/);
    assertUnprivileged(servers(s));
  } finally { await s.stop(); }
});

test('fazhi serve --user refuses an unknown user, root itself, and (not root) anyone else, and leaves no socket', () => {
  const dir = tempDir();
  const sock = join(dir, 's.sock');
  const serve = (user) => spawnSync(FAZHI, ['serve', '--socket', sock, '--snapshot', join(ROOT, 'build', 'site.db'),
    '--lua', join(ROOT, 'lua'), '--workers', '1', '--user', user], { encoding: 'utf8', timeout: 10000 });
  let r = serve('no-such-user-fazhi');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /--user no-such-user-fazhi: no such user/);
  r = serve('root');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /--user root: that is root/);
  // Someone else: as root, the servers' user asks to become another (daemon),
  // with a copy of the program it can reach wherever the checkout is; the change
  // is refused to anyone but root.
  const bin = mkdtempSync('/tmp/fazhi-bin-');
  try {
    chmodSync(bin, 0o755);
    copyFileSync(FAZHI, join(bin, 'fazhi'));
    r = spawnSync(join(bin, 'fazhi'), ['serve', '--socket', sock, '--snapshot', join(ROOT, 'build', 'site.db'),
      '--lua', join(ROOT, 'lua'), '--workers', '1', '--user', 'daemon'],
    { encoding: 'utf8', timeout: 10000, ...(asRoot ? { uid: want.uid, gid: want.gid } : {}) });
  } finally { rmSync(bin, { recursive: true, force: true }); }
  assert.equal(r.status, 1);
  assert.match(r.stderr, /--user daemon: only root can become another user/);
  assert.throws(() => statSync(sock), 'no socket left behind');
});

test('a server root starts without --user says that it keeps root', async () => {
  const dir = tempDir();
  const sock = join(dir, 's.sock');
  const snap = join(dir, 'site.db');
  assert.equal(build(testContent(dir), snap).status, 0);
  const p = spawn(FAZHI, ['serve', '--socket', sock, '--snapshot', snap,
    '--lua', join(ROOT, 'lua'), '--workers', '1'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  p.stderr.on('data', (d) => { log += d; });
  for (let i = 0; i < 100 && !/listening on/.test(log); i++) await sleep(50);
  p.kill('SIGTERM');
  await new Promise((res) => p.on('close', res));
  assert.match(log, /listening on/);
  if (asRoot) assert.match(log, /WARN running as root: --user NAME gives root up/);
  else assert.doesNotMatch(log, /running as root/);
});
