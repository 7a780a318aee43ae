// readme.test.mjs: the commands the READMEs give staff are run here as written --
// `make check`, `make run`, `make publish`, `make withdraw`, `make log`,
// `make preview`, `make golden` -- in a copy of the project, on free ports (PORT=,
// PREVIEW_PORT=, CONSOLE_PORT= and METRICS_PORT=, as the READMEs say to change them).
// tests: 4
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, freePort, get, sleep, tempDir } from './stack.mjs';

// The project as a fresh clone has it, plus the program already built (its
// timestamps kept, so make has nothing to compile).
function copyProject(...more) {
  const dir = tempDir('fazhi-readme-');
  for (const p of ['Makefile', 'fcgi', 'lua', 'content', 'nginx', 'scripts', ...more])
    cpSync(join(ROOT, p), join(dir, p), { recursive: true, preserveTimestamps: true });
  mkdirSync(join(dir, 'build'));
  for (const p of ['obj', 'fazhi'])
    cpSync(join(ROOT, 'build', p), join(dir, 'build', p), { recursive: true, preserveTimestamps: true });
  return dir;
}

// The environment a person's shell gives make: not that of the make running the
// suite (its MAKELEVEL would add "Entering directory" lines), nor node's.
function shellEnv(env) {
  const e = { ...process.env, ...env };
  // NODE_TEST_CONTEXT: what node's test runner tells its own children; a
  // `node --test` that make starts would report to this runner instead.
  for (const k of ['MAKELEVEL', 'MAKEFLAGS', 'MFLAGS', 'NODE_TEST_CONTEXT']) delete e[k];
  return e;
}

// Runs `make ARGS` in dir; resolves { status, stdout, stderr }.
function make(dir, env, ...args) {
  return new Promise((resolve) => {
    const p = spawn('make', args, { cwd: dir, env: shellEnv(env) });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

// Starts a long-running `make TARGET` in its own process group; resolves once
// url answers 200. stop() sends Ctrl-C's SIGINT to the group and waits; make
// itself ends by that signal.
async function serve(dir, env, target, url) {
  const p = spawn('make', [target], { cwd: dir, env: shellEnv(env), detached: true,
    stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  p.stdout.on('data', (d) => { log += d; });
  p.stderr.on('data', (d) => { log += d; });
  const closed = new Promise((resolve) => p.on('close', (code, signal) => resolve({ code, signal })));
  const stop = async () => {
    if (p.exitCode === null) process.kill(-p.pid, 'SIGINT');
    return closed;
  };
  for (let i = 0; i < 600; i++) {
    if (p.exitCode !== null) break;
    try { if ((await fetch(url)).status === 200) return { stop, log: () => log }; } catch { /* not yet */ }
    await sleep(100);
  }
  await stop();
  throw new Error(`make ${target} did not come up:\n${log}`);
}

test('make check, run, publish, withdraw, log and preview work as the READMEs write them', async () => {
  const dir = copyProject();
  const env = { PORT: String(await freePort()), PREVIEW_PORT: String(await freePort()),
    CONSOLE_PORT: String(await freePort()), METRICS_PORT: String(await freePort()) };
  const base = `http://127.0.0.1:${env.PORT}`;
  try {
    const check = await make(dir, env, 'check');
    assert.equal(check.status, 0, check.stderr);
    assert.match(check.stdout, /no errors/);

    const run = await serve(dir, env, 'run', `${base}/healthz`);
    try {
      assert.equal((await get(`${base}/`)).status, 200);
      // /metrics on its own loopback port (METRICS_PORT=), not on the site's.
      assert.match((await get(`http://127.0.0.1:${env.METRICS_PORT}/metrics`)).body,
        /^fazhi_requests_total\{route="home",status="200"\} 1$/m);
      assert.equal((await get(`${base}/metrics`)).status, 404);
      // The staff console beside it, and the README's command for the first
      // administrator, which make run prints (the password from stdin here).
      for (let i = 0; i < 50 && !/no administrator yet/.test(run.log()); i++) await sleep(100);
      assert.match(run.log(), /create the first one with build\/fazhi user add admin --role admin --staff-db \S*build\/staff\.db/);
      const add = spawnSync('build/fazhi', ['user', 'add', 'admin', '--role', 'admin', '--staff-db', 'build/staff.db',
        '--password-stdin'], { cwd: dir, input: 'correct horse battery\n', encoding: 'utf8' });
      assert.equal(add.status, 0, add.stderr);
      const signin = await get(`http://127.0.0.1:${env.CONSOLE_PORT}/console/signin`);
      assert.equal(signin.status, 200);
      assert.match(signin.body, /登录工作台/);
      assert.equal((await get(`${base}/console/signin`)).status, 404, 'not through the public site');
      const f = join(dir, 'content', 'cases', '2023-001.xml');
      writeFileSync(f, readFileSync(f, 'utf8').replace('</title>', '（更正）</title>'));
      const pub = await make(dir, env, 'publish');
      assert.equal(pub.status, 0, pub.stderr);
      assert.match(pub.stdout, /updated +2023-001/);
      assert.match(pub.stdout, /the server serves it/);
      assert.match((await get(`${base}/cases/2023-001`)).body, /（更正）/);

      const wd = await make(dir, env, 'withdraw', 'ID=2023-002', 'REASON=涉及个人信息，需处理后再发布 "紧急"', 'BY=王五');
      assert.equal(wd.status, 0, wd.stderr);
      assert.match(wd.stdout, /withdrawn 2023-002/);
      assert.equal((await get(`${base}/cases/2023-002`)).status, 404);

      const log = await make(dir, env, 'log');
      assert.equal(log.status, 0, log.stderr);
      const lines = log.stdout.trim().split('\n');
      assert.equal(lines.length, 2, log.stdout);
      assert.match(lines[0], /  publish  by \S+  as \S+  snapshot [0-9a-f]{16}  updated:2023-001$/);
      assert.match(lines[1], /  withdraw  by 王五  .*withdrawn:2023-002  reason: 涉及个人信息，需处理后再发布 "紧急"$/);

      const none = await make(dir, env, 'withdraw', 'ID=2023-004');
      assert.notEqual(none.status, 0, 'a withdrawal without a reason is refused');
      assert.match(none.stderr, /give the reason/);
    } finally {
      const end = await run.stop();
      assert.ok(end.code === 0 || end.signal === 'SIGINT', run.log());
    }
    assert.ok(!existsSync(join(dir, 'build', 'run', 'fazhi.sock')), 'Ctrl-C stopped the servers');
    assert.ok(!existsSync(join(dir, 'build', 'run', 'fazhi.pid')));

    const preview = await serve(dir, env, 'preview', `http://127.0.0.1:${env.PREVIEW_PORT}/healthz`);
    try {
      const draft = await get(`http://127.0.0.1:${env.PREVIEW_PORT}/cases/2023-002`);
      assert.equal(draft.status, 200, 'the withdrawn case is a draft, which preview shows');
      assert.match(draft.body, /预览/);
    } finally {
      await preview.stop();
    }
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('make golden rewrites the golden files and shows the difference; make test refuses UPDATE_GOLDEN', async () => {
  const dir = copyProject(join('tests', 'integration'), join('tests', 'content'));
  try {
    const f = join(dir, 'tests', 'content', 'broken', 'cases--missing-title.expected');
    const right = readFileSync(f, 'utf8');
    writeFileSync(f, right.replace(/^1 error$/m, '7 errors'));
    const g = await make(dir, {}, 'golden');
    assert.equal(g.status, 0, g.stderr + g.stdout);
    assert.match(g.stdout, /^-7 errors\n\+1 error$/m, 'the difference is shown');
    assert.match(g.stdout, /^\+\+\+ tests\/content\/broken\/cases--missing-title\.expected/m);
    assert.match(g.stdout, /^golden: 1 files rewritten$/m);
    assert.equal(readFileSync(f, 'utf8'), right, 'and the file rewritten');
  } finally { rmSync(dir, { recursive: true, force: true }); }
  // scripts/test, which `make test` runs, stops before running anything.
  const t = spawnSync(join(ROOT, 'scripts', 'test'), [], { encoding: 'utf8',
    env: { ...process.env, UPDATE_GOLDEN: '1' } });
  assert.equal(t.status, 2, t.stdout);
  assert.match(t.stderr, /UPDATE_GOLDEN .*run make golden instead/);
});

test('make mutate: every mutation still applies to the source it breaks', () => {
  // make mutate itself takes minutes; what can rot unseen is a mutation whose
  // text the source no longer holds.
  const r = spawnSync(join(ROOT, 'scripts', 'mutate'), ['--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^mutate: all \d+ mutations apply$/m);
});

test('every make command the READMEs give is one this file runs', () => {
  const ran = new Set(['check', 'run', 'publish', 'withdraw', 'log', 'preview', 'golden']);
  // Run elsewhere: the suite itself, and the long measurements it leaves to people.
  // make mutate: its mutations are checked above, its run is left to people.
  // make install: tests/integration/install.test.mjs runs it, with the README's other install commands.
  const elsewhere = new Set(['test', 'bench', 'bench-search', 'fuzz', 'mutate', 'clean', 'install']);
  for (const f of ['README.md', join('content', 'README.md')]) {
    // Commands: in `code` or on an indented line (a code block), not in prose.
    const text = readFileSync(join(ROOT, f), 'utf8');
    const said = [...text.matchAll(/(?:`|^ {3,})make (?:[A-Z_]+=\S+ )*([a-z][a-z-]*)/gm)].map((m) => m[1]);
    assert.ok(said.length > 0, f);
    for (const t of said) assert.ok(ran.has(t) || elsewhere.has(t), `${f}: make ${t} is run by no test`);
  }
});
