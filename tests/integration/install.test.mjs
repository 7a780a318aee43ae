// install.test.mjs: `make install` (PREFIX, DESTDIR) installs a tree that runs;
// `make CFLAGS=…` builds with the user's flags after the build's own, with real
// header dependencies and -Werror only when asked (WERROR=1, as CI does); the
// systemd units pass `systemd-analyze verify` and score under
// UNIT_MAX_EXPOSURE in `systemd-analyze security`; the manual page passes
// `mandoc -T lint` and names every command and option the program takes.
// tests: 6
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync,
  symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, fcgiRequest, sleep, tempDir } from './stack.mjs';

// The most `systemd-analyze security` may rate a unit: up to 2.0 is "OK".
const UNIT_MAX_EXPOSURE = 2.0;
const UNITS = ['fazhi.service', 'fazhi-console.service'];

// The project as a fresh clone has it; with build: the objects and program
// already built (timestamps kept, so make compiles nothing it need not).
function copyProject(withBuild) {
  const dir = tempDir('fazhi-install-');
  for (const p of ['Makefile', 'fcgi', 'lua', 'content', 'nginx', 'scripts', 'man', 'dist'])
    cpSync(join(ROOT, p), join(dir, p), { recursive: true, preserveTimestamps: true });
  if (withBuild) {
    mkdirSync(join(dir, 'build'));
    for (const p of ['obj', 'fazhi'])
      cpSync(join(ROOT, 'build', p), join(dir, 'build', p), { recursive: true, preserveTimestamps: true });
  }
  return dir;
}

// `make ARGS` in dir, with a person's environment (not that of the make
// running the suite).
function make(dir, ...args) {
  const env = { ...process.env };
  for (const k of ['MAKELEVEL', 'MAKEFLAGS', 'MFLAGS', 'CFLAGS', 'WERROR', 'PREFIX', 'DESTDIR']) delete env[k];
  const r = spawnSync('make', args, { cwd: dir, env, encoding: 'utf8', timeout: 600000 });
  return { status: r.status, out: r.stdout + r.stderr };
}

// Starts the server command cmd with args, waits up to 10 s for path to answer
// with a page over the FastCGI socket, runs whileUp(page) while it still runs,
// stops it and returns the page. Fails when no page comes, or an error does.
async function servedPage(cmd, args, socket, path, whileUp = () => {}) {
  const srv = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  srv.stderr.on('data', (d) => { log += d; });
  try {
    let page = '';
    for (let i = 0; i < 100 && !/<html/.test(page); i++) {
      await sleep(100);
      page = await fcgiGet(socket, path).catch(() => '');
    }
    assert.match(page, /<html/, log);
    assert.doesNotMatch(page, /^Status: [45]/);
    whileUp(page);
    return page;
  } finally {
    srv.kill('SIGTERM');
    await new Promise((res) => srv.on('close', res));
  }
}

// Every file under dir, relative to it.
function files(dir, pre = '') {
  return readdirSync(join(dir, pre), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(dir, join(pre, e.name)) : [join(pre, e.name)]);
}

test('make CFLAGS=-O0 builds with the user\'s flags last; headers are real dependencies; -Werror only with WERROR=1', () => {
  const dir = copyProject(false);
  const r = make(dir, '-j2', 'CFLAGS=-O0');
  assert.equal(r.status, 0, r.out);
  const compiles = r.out.split('\n').filter((l) => / -c -o build\/obj\/\S+\.o /.test(l));
  assert.ok(compiles.length > 40, r.out);
  for (const l of compiles) {
    assert.match(l, / -std=c11 .* -O0 /, 'the build\'s flags kept, the user\'s after them');
    assert.doesNotMatch(l, /-O2|-Werror/, l);
  }
  assert.ok(existsSync(join(dir, 'build', 'fazhi')));
  // A header's change rebuilds what includes it, and nothing else.
  const again = make(dir, '-n');
  assert.doesNotMatch(again.out, / -c -o /, 'nothing to do');
  const touched = new Date(Date.now() + 5000);
  spawnSync('touch', ['-d', touched.toISOString(), join(dir, 'fcgi', 'datadir.h')]);
  const dep = make(dir, '-n');
  const rebuilt = [...dep.out.matchAll(/-c -o build\/obj\/(\S+)\.o/g)].map((m) => m[1]).sort();
  assert.deepEqual(rebuilt, ['console', 'content', 'datadir', 'import', 'serve']);
  assert.match(make(dir, '-n', '-B', 'WERROR=1', 'build/obj/log.o').out, / -Werror /);
});

test('make install DESTDIR= PREFIX=/usr: the program, its data, the nginx example, the manual page and the units; the staged tree runs', async () => {
  const dir = copyProject(true);
  const dest = join(tempDir(), 'dest');
  const r = make(dir, 'install', `DESTDIR=${dest}`, 'PREFIX=/usr');
  assert.equal(r.status, 0, r.out);
  const got = new Set(files(dest));
  for (const f of ['usr/bin/fazhi', 'usr/share/fazhi/lua/engine.lua', 'usr/share/fazhi/lua/view.lua',
    'usr/share/fazhi/lua/templates/case.html', 'usr/share/fazhi/lua/console/item_edit.html',
    'usr/share/fazhi/schema/case.rng', 'usr/share/fazhi/schema/penalties.rng',
    'usr/share/fazhi/static/site.css', 'usr/share/fazhi/static/unavailable.html',
    'usr/share/fazhi/content/site.xml', 'usr/share/fazhi/content/cases/2023-001.xml',
    'usr/share/fazhi/nginx/production.conf.example', 'usr/share/fazhi/nginx/security-headers.conf',
    'usr/share/fazhi/nginx/fastcgi.conf', 'usr/share/man/man1/fazhi.1',
    'usr/lib/systemd/system/fazhi.service', 'usr/lib/systemd/system/fazhi-console.service',
    'usr/lib/sysusers.d/fazhi.conf'])
    assert.ok(got.has(f), `${f} installed`);
  // Every template and schema; the schemas and static files once, not in content/.
  for (const f of files(join(ROOT, 'lua'))) assert.ok(got.has(join('usr/share/fazhi/lua', f)), f);
  for (const f of files(join(ROOT, 'content', 'schema'))) assert.ok(got.has(join('usr/share/fazhi/schema', f)), f);
  assert.ok(![...got].some((f) => /content\/(schema|static)\//.test(f)));
  assert.equal(statSync(join(dest, 'usr/bin/fazhi')).mode & 0o777, 0o755);
  assert.equal(statSync(join(dest, 'usr/share/fazhi/lua/engine.lua')).mode & 0o777, 0o644);
  // The program looks for its data under PREFIX, not under DESTDIR.
  const unit = readFileSync(join(dest, 'usr/lib/systemd/system/fazhi.service'), 'utf8');
  assert.match(unit, /^ExecStart=\/usr\/bin\/fazhi serve .*--lua \/usr\/share\/fazhi\/lua$/ms);
  assert.ok(!readFileSync(join(dest, 'usr/bin/fazhi')).includes(dest), 'no DESTDIR in the program');
  const snap = join(tempDir(), 'site.db');
  assert.equal(spawnSync(join(dest, 'usr/bin/fazhi'), ['build', '--content', join(ROOT, 'content'),
    '--output', snap]).status, 0);
  const s = spawnSync(join(dest, 'usr/bin/fazhi'), ['serve', '--socket', join(tempDir(), 's.sock'),
    '--snapshot', snap, '--workers', '1'], { encoding: 'utf8', timeout: 10000 });
  assert.equal(s.status, 1);
  assert.match(s.stderr, /\/usr\/share\/fazhi\/lua\/view\.lua: No such file/, 'its default --lua');
  // The staged tree runs, told where it is staged: the installed content with
  // the installed schemas and static files (linked in as the content folder's
  // own), the installed templates; a page through the FastCGI socket.
  const data = join(dest, 'usr/share/fazhi');
  const run = tempDir();
  const content = join(run, 'content');
  cpSync(join(data, 'content'), content, { recursive: true });
  for (const d of ['schema', 'static']) symlinkSync(join(data, d), join(content, d));
  const staged = join(run, 'site.db');
  const b = spawnSync(join(dest, 'usr/bin/fazhi'), ['build', '--content', content, '--output', staged],
    { encoding: 'utf8' });
  assert.equal(b.status, 0, b.stderr);
  const socket = join(run, 's.sock');
  await servedPage(join(dest, 'usr/bin/fazhi'), ['serve', '--socket', socket, '--workers', '1',
    '--snapshot', staged, '--lua', join(data, 'lua')], socket, '/credit/');
});

// What `make install DESTDIR=$d PREFIX=/usr` writes, with the units' program
// path pointing into $d so that systemd-analyze finds it.
function installedUnits() {
  const dir = copyProject(true);
  const dest = join(tempDir(), 'dest');
  const r = make(dir, 'install', `DESTDIR=${dest}`, 'PREFIX=/usr');
  assert.equal(r.status, 0, r.out);
  const units = join(tempDir(), 'units');
  mkdirSync(units);
  for (const u of UNITS) {
    const text = readFileSync(join(dest, 'usr/lib/systemd/system', u), 'utf8');
    writeFileSync(join(units, u), text.split('/usr/bin/fazhi').join(join(dest, 'usr/bin/fazhi')));
  }
  return { dest, units };
}

test('the systemd units pass systemd-analyze verify and score at most UNIT_MAX_EXPOSURE (2.0) in systemd-analyze security', (t) => {
  const { dest, units } = installedUnits();
  for (const u of UNITS) {
    const text = readFileSync(join(units, u), 'utf8');
    for (const want of ['User=fazhi', 'NoNewPrivileges=yes', 'ProtectSystem=strict', 'ProtectHome=yes',
      'PrivateTmp=yes', 'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6', 'SystemCallFilter=@system-service',
      'CapabilityBoundingSet=\n', 'StandardError=journal'])
      assert.ok(text.includes(want), `${u}: ${want.trim()}`);
    assert.doesNotMatch(text, /^ReadWritePaths=.*\/(usr|etc)\b/m, u);
  }
  // Writable: the public server's own state and runtime folders alone; the
  // console's, and the public server's state folder where it publishes.
  assert.doesNotMatch(readFileSync(join(units, 'fazhi.service'), 'utf8'), /^ReadWritePaths=/m);
  assert.match(readFileSync(join(units, 'fazhi-console.service'), 'utf8'), /^ReadWritePaths=\/var\/lib\/fazhi$/m);
  assert.match(readFileSync(join(units, 'fazhi.service'), 'utf8'), /^ExecReload=\/bin\/kill -HUP \$MAINPID$/m);
  // Documentation=man:fazhi(1) is looked up: the installed page must be found.
  const v = spawnSync('systemd-analyze', ['verify', ...UNITS.map((u) => join(units, u))],
    { encoding: 'utf8', env: { ...process.env, MANPATH: join(dest, 'usr/share/man') } });
  assert.equal(v.status, 0, v.stderr + v.stdout);
  assert.equal(v.stderr + v.stdout, '', 'no warning either');
  for (const u of UNITS) {
    const s = spawnSync('systemd-analyze', ['security', '--offline=yes', '--no-pager', join(units, u)],
      { encoding: 'utf8' });
    const m = /Overall exposure level for \S+: (\d+\.\d+) (\S+)/.exec(s.stdout);
    assert.ok(m, s.stdout + s.stderr);
    t.diagnostic(`${u}: exposure ${m[1]} ${m[2]}`);
    assert.ok(Number(m[1]) <= UNIT_MAX_EXPOSURE, `${u}: ${m[1]} > ${UNIT_MAX_EXPOSURE}`);
  }
  // The check can fail: a unit with a mistake in it is refused.
  const bad = join(units, 'fazhi.service');
  writeFileSync(bad, readFileSync(bad, 'utf8').replace(/^ProtectSystem=strict$/m, 'ProtectSystem=stict'));
  const w = spawnSync('systemd-analyze', ['verify', bad], { encoding: 'utf8',
    env: { ...process.env, MANPATH: join(dest, 'usr/share/man') } });
  assert.match(w.stderr + w.stdout, /stict/);
});

test('fazhi(1) passes mandoc -T lint and names every command and option of the program', () => {
  const page = join(ROOT, 'man', 'fazhi.1');
  const lint = spawnSync('mandoc', ['-T', 'lint', '-W', 'style', page], { encoding: 'utf8' });
  assert.equal(lint.status, 0, lint.stdout + lint.stderr);
  assert.equal(lint.stdout, '');
  const text = readFileSync(page, 'utf8');
  const fazhi = join(ROOT, 'build', 'fazhi');
  const usage = spawnSync(fazhi, [], { encoding: 'utf8' }).stderr;
  const cmds = [...usage.matchAll(/^ {2}(\S+) /gm)].map((m) => m[1]);
  assert.ok(cmds.length >= 9, usage);
  for (const c of cmds) {
    assert.match(text, new RegExp(`^\\.Cm ${c}\\b`, 'm'), `command ${c}`);
    // Each command's usage (an unknown option prints it): every option in the page.
    const u = spawnSync(fazhi, [c, '--no-such-option'], { encoding: 'utf8' }).stderr;
    const opts = [...u.matchAll(/--([a-z][a-z-]*)/g)].map((m) => m[1]).filter((o) => o !== 'no-such-option');
    assert.ok(opts.length > 0 || c === 'import', `${c}: ${u}`);
    for (const o of opts) assert.match(text, new RegExp(`Fl -${o}\\b`), `${c} --${o}`);
  }
  // And the lint can fail.
  const broken = join(tempDir(), 'fazhi.1');
  writeFileSync(broken, text.replace('.Sh DESCRIPTION', '.Sh DESCRIPTION\n.Bl -tag'));
  assert.notEqual(spawnSync('mandoc', ['-T', 'lint', '-W', 'style', broken]).status, 0);
});

// One FastCGI GET straight on the socket; resolves with what came on STDOUT.
async function fcgiGet(socket, uri) {
  const params = { REQUEST_METHOD: 'GET', REQUEST_URI: uri, SERVER_NAME: 'localhost' };
  return (await fcgiRequest(socket, params)).stdout;
}

test('an installed tree runs: fazhi check and build of the shipped content with the installed schemas, fazhi serve with the installed templates', async () => {
  const dir = copyProject(true);
  const prefix = join(tempDir(), 'usr');
  const r = make(dir, 'install', `PREFIX=${prefix}`);
  assert.equal(r.status, 0, r.out);
  const fazhi = join(prefix, 'bin', 'fazhi');
  const data = join(prefix, 'share', 'fazhi');
  const content = join(data, 'content');
  assert.ok(!existsSync(join(content, 'schema')), 'the schemas are the installed ones');
  const check = spawnSync(fazhi, ['check', '--content', content], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
  assert.match(check.stdout, /no errors/);
  const run = tempDir();
  const snap = join(run, 'site.db');
  const b = spawnSync(fazhi, ['build', '--content', content, '--output', snap], { encoding: 'utf8' });
  assert.equal(b.status, 0, b.stderr);
  // Without the installed schemas, the same build fails: they were used.
  const moved = spawnSync('mv', [join(data, 'schema'), join(data, 'schema.away')]);
  assert.equal(moved.status, 0);
  const nob = spawnSync(fazhi, ['build', '--content', content, '--output', join(run, 'no.db')], { encoding: 'utf8' });
  assert.notEqual(nob.status, 0);
  assert.match(nob.stderr, new RegExp(`${data}/schema/`));
  spawnSync('mv', [join(data, 'schema.away'), join(data, 'schema')]);
  // No --lua, no --templates: the installed ones.
  const socket = join(run, 's.sock');
  const page = await servedPage(fazhi, ['serve', '--socket', socket, '--workers', '1', '--snapshot', snap],
    socket, '/cases/2023-001');
  // Its style sheet's fingerprinted address names a file installed in static/.
  const css = /href="\/static\/(site)\.[0-9a-f]{8}(\.css)"/.exec(page);
  assert.ok(css, 'the page links its style sheet');
  assert.ok(existsSync(join(data, 'static', css[1] + css[2])));
});

// The commands of the README's "Install as a service", one a line of its code block.
function readmeInstallCommands() {
  const text = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = text.split(/^## Install as a service$/m)[1].split(/^## /m)[0];
  const block = /\n\n((?: {4}\S.*\n)+)/.exec(section)[1];
  return block.split('\n').filter(Boolean).map((l) => l.trim());
}

test('the README\'s install commands, run in a staging root, give a tree whose fazhi.service command line serves the site', async () => {
  const cmds = readmeInstallCommands();
  assert.ok(cmds.length >= 6, cmds.join('\n'));
  assert.match(cmds[0], /^make install\b/);
  // Somewhere the servers' user (fazhi, made by scripts/setup) can reach.
  const stage = mkdtempSync('/tmp/fazhi-stage-');
  chmodSync(stage, 0o755);
  mkdirSync(join(stage, 'etc'));
  const dir = copyProject(true);
  const asRoot = process.getuid() === 0;
  const me = spawnSync('id', ['-un'], { encoding: 'utf8' }).stdout.trim();
  try {
    for (const line of cmds) {
      // systemctl needs a running systemd: the units are checked above instead.
      if (/^systemctl /.test(line)) continue;
      // Every absolute path goes under the staging root; systemd-sysusers writes
      // its users there too; not root, the commands act as oneself.
      let cmd = line.replace(/(^|[\s=])\/(usr|var)\b/g, `$1${stage}/$2`)
        .replace(/^systemd-sysusers /, `systemd-sysusers --root=${stage} `)
        .replace(/(^|-- )fazhi /, `$1${stage}/usr/bin/fazhi `);
      if (!asRoot) cmd = cmd.replace(/^runuser -u fazhi -- /, '').replace(/-o fazhi -g fazhi /, '')
        .replace(/fazhi:fazhi/, me);
      const r = spawnSync('sh', ['-c', cmd], { cwd: dir, encoding: 'utf8', timeout: 300000,
        env: { ...process.env, MAKEFLAGS: '', MAKELEVEL: '' } });
      assert.equal(r.status, 0, `${cmd}\n${r.stdout}${r.stderr}`);
    }
    assert.match(readFileSync(join(stage, 'etc', 'passwd'), 'utf8'), /^fazhi:x:\d+:\d+:Fazhi portal:\/var\/lib\/fazhi:/m);
    const snap = join(stage, 'var', 'lib', 'fazhi', 'site.db');
    if (asRoot) assert.equal(statSync(snap).uid, Number(spawnSync('id', ['-u', 'fazhi'], { encoding: 'utf8' }).stdout));
    // fazhi.service's command, its paths under the staging root (StateDirectory=
    // and RuntimeDirectory= made by hand).
    const unit = readFileSync(join(stage, 'usr', 'lib', 'systemd', 'system', 'fazhi.service'), 'utf8');
    const exec = /^ExecStart=((?:.*\\\n)*.*)$/m.exec(unit)[1].replace(/\\\n\s*/g, ' ')
      .replace(/(^|\s)\/(usr|var|run)\b/g, (m, a, b) => `${a}${stage}/${b}`).split(/\s+/);
    assert.equal(exec[1], 'serve', exec.join(' '));
    mkdirSync(join(stage, 'run', 'fazhi'), { recursive: true });
    mkdirSync(join(stage, 'var', 'lib', 'fazhi', 'export'), { recursive: true });
    const args = exec.slice(1).concat(['--workers', '1']);
    const g = args.indexOf('--socket-group');
    if (!asRoot) args.splice(g, 2);	// only root may give the socket to www-data
    await servedPage(exec[0], args, join(stage, 'run', 'fazhi', 'fazhi.sock'), '/', () =>
      assert.ok(existsSync(join(stage, 'run', 'fazhi', 'fazhi.pid')), 'the pid file publish --pid reads'));
  } finally { rmSync(stage, { recursive: true, force: true }); }
});
