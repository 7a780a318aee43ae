// console.test.mjs: the staff console (`fazhi console`) through its own nginx
// server block, with a real staff database: sign-in, lock-out, no account
// enumeration, CSRF, sign-out, expiry, the administrator's account pages, and an
// audit entry for each step. The clock is a file (CLOCK_FILE), so expiry and locks
// are tested without waiting.
// tests: 21
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { Client, addUser as addUserTo, staffSql } from './staffclient.mjs';
import { FAZHI, ROOT, build, fcgiRequest, startStack, tempDir, workerPids } from './stack.mjs';
import { Buffer } from 'node:buffer';

// The named limits of fcgi/console.h, fcgi/auth.h and fcgi/form.h.
const CONSOLE_IDLE_SECONDS = 30 * 60;
const CONSOLE_MAX_SESSION_SECONDS = 12 * 60 * 60;
const CONSOLE_MAX_FAILURES = 5;
const CONSOLE_LOCK_SECONDS = 15 * 60;
const CONSOLE_ADDR_MAX_FAILURES = 20;
const FORM_MAX_BODY = 256 * 1024;
const FORM_MAX_FIELDS = 320;
const STAFF_MAX_DETAIL = 500;
const CONSOLE_SIGNIN_COOKIE_AGE = 60 * 60;
const CONSOLE_DASHBOARD_ITEMS = 500;
const FAILED = '用户名或密码不正确';
const PW = 'correct horse battery';

let s, clock, now = 1800000000;
const setClock = (t) => { now = t; writeFileSync(clock, `${t}\n`); };

before(async () => {
  clock = join(tempDir(), 'clock');
  setClock(now);
  process.env.CLOCK_FILE = clock;
  try {
    s = await startStack({ workers: 1, signinRate: 'off' });
  } finally {
    delete process.env.CLOCK_FILE;
  }
  addUser('admin', 'admin', PW, '管理员甲');
  addUser('editor1', 'editor', PW, '<script>alert(1)</script>编辑');
});
after(() => s?.stop());

const addUser = (name, role, password, display) => addUserTo(s.staffDb, name, role, password, display);
const sql = (q) => staffSql(s.staffDb, q);
const auditMax = () => Number(sql('SELECT coalesce(max(id), 0) FROM audit'));
// The audit entries after id `from`, as "action account detail" lines.
const auditSince = (from) => sql(`SELECT rtrim(action || ' ' || account || ' ' || coalesce(detail, '')) ` +
  `FROM audit WHERE id > ${from} ORDER BY id`).split('\n').filter(Boolean);


async function signedIn(name, password = PW) {
  const c = new Client(s.consoleBase);
  const r = await c.signIn(name, password);
  assert.equal(r.status, 303, `${name} signs in: ${r.body.slice(0, 300)}`);
  return c;
}

test('sign-in: a new session cookie (HttpOnly, SameSite=Strict, Path=/), only its hash stored, the dashboard', async () => {
  const from = auditMax();
  const c = new Client(s.consoleBase);
  const csrf = await c.csrf('/console/signin');
  const r = await c.post('/console/signin', { csrf, name: 'admin', password: PW });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/console/');
  const cookie = r.headers.getSetCookie().find((x) => x.startsWith('fazhi_console='));
  assert.match(cookie, /^fazhi_console=[0-9a-f]{64}; Path=\/; HttpOnly; SameSite=Strict$/);
  const token = c.jar.get('fazhi_console');
  const hashes = sql("SELECT token_hash FROM session WHERE account = (SELECT id FROM account WHERE name = 'admin')");
  assert.ok(hashes.length > 0 && !hashes.includes(token), 'the database holds a hash, not the token');
  const home = await c.get('/console/');
  assert.equal(home.status, 200);
  assert.equal(home.headers.get('cache-control'), 'no-store');
  assert.match(home.headers.get('content-security-policy'), /default-src 'self'/);
  assert.match(home.body, /<html lang="zh-CN">/);
  assert.match(home.body, /当前登录：<strong>管理员甲<\/strong>（管理员，用户名 admin）/);
  // real data: every item of the live snapshot, a known one by its title
  const n = Number(spawnSync('sqlite3', [s.snapshot, 'SELECT count(*) FROM items'], { encoding: 'utf8' }).stdout);
  assert.ok(n > 5);
  assert.match(home.body, new RegExp(`全部条目（${n} 条）`));
  assert.equal((home.body.match(/<tr>\n/g) || []).length, n, 'one row per item');
  assert.match(home.body, /某运输公司渣土车抛洒滴漏案（示例）/);
  assert.deepEqual(auditSince(from), ['signin admin']);
  assert.equal((await c.get('/console/signin')).headers.get('location'), '/console/', 'signed in already');
  // signing in gives a new token, never the one the client came with, which ends
  const d = new Client(s.consoleBase);
  const csrf2 = await d.csrf('/console/signin');
  d.jar.set('fazhi_console', token);
  const again = await d.post('/console/signin', { csrf: csrf2, name: 'admin', password: PW });
  assert.equal(again.status, 303);
  assert.notEqual(d.jar.get('fazhi_console'), token);
  assert.equal((await d.get('/console/')).status, 200);
  assert.equal((await c.get('/console/')).status, 303, 'the replaced session is gone');
});

test('a wrong password is refused, counted and recorded; the same answer as an unknown account', async () => {
  addUser('zhou', 'reviewer', PW);
  const from = auditMax();
  const c = new Client(s.consoleBase);
  const csrf = await c.csrf('/console/signin');
  const wrong = await c.post('/console/signin', { csrf, name: 'zhou', password: 'not the password' });
  const unknown = await c.post('/console/signin', { csrf, name: 'nobody', password: 'not the password' });
  assert.equal(wrong.status, 200);
  assert.ok(wrong.body.includes(FAILED));
  assert.equal(c.jar.has('fazhi_console'), false, 'no session');
  assert.equal(unknown.status, wrong.status);
  assert.equal(unknown.body.replace('value="nobody"', 'value="zhou"'), wrong.body,
    'the same page, but for the name typed');
  assert.deepEqual(wrong.headers.getSetCookie(), unknown.headers.getSetCookie());
  assert.equal(sql("SELECT failed FROM account WHERE name = 'zhou'"), '1');
  assert.deepEqual(auditSince(from), ['signin-failed zhou wrong password (1 in a row)',
    'signin-failed nobody unknown account']);
});

test(`an account locks after ${CONSOLE_MAX_FAILURES} failures, refuses the right password while locked, and unlocks`, async () => {
  addUser('wu', 'editor', PW);
  const from = auditMax();
  const c = new Client(s.consoleBase);
  const csrf = await c.csrf('/console/signin');
  for (let i = 0; i < CONSOLE_MAX_FAILURES; i++)
    assert.ok((await c.post('/console/signin', { csrf, name: 'wu', password: `wrong ${i}` })).body.includes(FAILED));
  assert.equal(Number(sql("SELECT locked_until FROM account WHERE name = 'wu'")), now + CONSOLE_LOCK_SECONDS);
  const locked = await c.post('/console/signin', { csrf, name: 'wu', password: PW });
  assert.equal(locked.status, 200);
  assert.ok(locked.body.includes(FAILED), 'the same answer: a lock tells nothing either');
  assert.equal(c.jar.has('fazhi_console'), false);
  const log = auditSince(from);
  assert.equal(log.length, CONSOLE_MAX_FAILURES + 2);
  assert.equal(log[CONSOLE_MAX_FAILURES], `account-locked wu ${CONSOLE_MAX_FAILURES} failures in a row; locked for ${CONSOLE_LOCK_SECONDS} s`);
  assert.equal(log.at(-1), 'signin-failed wu account locked');
  const t0 = now;
  try {
    setClock(t0 + CONSOLE_LOCK_SECONDS - 1);
    assert.equal((await c.post('/console/signin', { csrf, name: 'wu', password: PW })).status, 200);
    setClock(t0 + CONSOLE_LOCK_SECONDS + 1);
    assert.equal((await c.post('/console/signin', { csrf, name: 'wu', password: PW })).status, 303, 'unlocked in time');
  } finally {
    setClock(t0 + CONSOLE_LOCK_SECONDS + 1);
  }
});

test('a form without the right CSRF token is refused (403) and changes nothing', async () => {
  const c = await signedIn('admin');
  const accounts = sql('SELECT count(*) FROM account');
  const sessions = sql('SELECT count(*) FROM session');
  const from = auditMax();
  const fields = { name: 'intruder', role: 'admin', password: PW, again: PW, current: PW };
  for (const csrf of [undefined, '', '0'.repeat(64), (await c.csrf('/console/accounts')).replace(/^./, (x) => x === 'a' ? 'b' : 'a')]) {
    const r = await c.post('/console/accounts', csrf === undefined ? fields : { ...fields, csrf });
    assert.equal(r.status, 403, `csrf ${csrf}`);
    assert.match(r.body, /表单已失效或来源不明，操作没有执行/);
  }
  const out = await c.post('/console/signout', {});
  assert.equal(out.status, 403);
  assert.equal(sql('SELECT count(*) FROM account'), accounts, 'no account added');
  assert.equal(sql('SELECT count(*) FROM session'), sessions, 'no session ended');
  assert.equal((await c.get('/console/')).status, 200, 'still signed in');
  assert.deepEqual(auditSince(from), Array(5).fill(0).map((_, i) =>
    `csrf-refused admin /console/${i < 4 ? 'accounts' : 'signout'}`));
  // the sign-in form has its own token, tied to its own cookie
  const d = new Client(s.consoleBase);
  await d.csrf('/console/signin');
  const r = await d.post('/console/signin', { name: 'admin', password: PW, csrf: 'f'.repeat(64) });
  assert.equal(r.status, 403);
  assert.equal(d.jar.has('fazhi_console'), false);
  const e = new Client(s.consoleBase);	// a token but no cookie: another site's page
  const r2 = await e.post('/console/signin', { name: 'admin', password: PW, csrf: await d.csrf('/console/signin') });
  assert.equal(r2.status, 403);
});

test('sign-out ends the session on the server: the old cookie is refused', async () => {
  const c = await signedIn('editor1');
  const token = c.jar.get('fazhi_console');
  const from = auditMax();
  const r = await c.post('/console/signout', { csrf: await c.csrf('/console/') });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/console/signin?out=1');
  assert.match(r.headers.getSetCookie().join('\n'), /fazhi_console=; Path=\/; Max-Age=0/);
  c.jar.set('fazhi_console', token);	// a client that keeps the cookie anyway
  const after = await c.get('/console/');
  assert.equal(after.status, 303);
  assert.equal(after.headers.get('location'), '/console/signin');
  assert.deepEqual(auditSince(from), ['signout editor1']);
  const signin = await c.get('/console/signin?out=1');
  assert.match(signin.body, /您已退出登录/);
});

test('a session idle too long, or too old, is refused and recorded', async () => {
  const c = await signedIn('editor1');
  const from = auditMax();
  const t0 = now;
  try {
    setClock(t0 + CONSOLE_IDLE_SECONDS);
    assert.equal((await c.get('/console/')).status, 200, 'idle exactly the limit: still valid');
    setClock(now + CONSOLE_IDLE_SECONDS + 1);
    const r = await c.get('/console/');
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/console/signin?expired=1');
    assert.match((await c.get('/console/signin?expired=1')).body, /登录已过期/);
    assert.deepEqual(auditSince(from), ['session-expired editor1 idle']);
    // busy all along, but past the absolute limit
    const d = await signedIn('editor1');
    const start = now;
    for (let t = start; t <= start + CONSOLE_MAX_SESSION_SECONDS; t += CONSOLE_IDLE_SECONDS) {
      setClock(t);
      assert.equal((await d.get('/console/')).status, 200, `at +${t - start} s`);
    }
    setClock(start + CONSOLE_MAX_SESSION_SECONDS + 1);
    assert.equal((await d.get('/console/')).status, 303);
    assert.equal(auditSince(from).at(-1), 'session-expired editor1 too old');
  } finally {
    setClock(now);
  }
});

test('console addresses answer 404 through the public site, and public pages 404 on the console', async () => {
  for (const p of ['/console/', '/console/signin', '/console/accounts', '/console/password']) {
    const r = await fetch(`${s.base}${p}`, { redirect: 'manual' });
    assert.equal(r.status, 404, `public ${p}`);
    assert.doesNotMatch(await r.text(), /登录工作台/);
  }
  const post = await fetch(`${s.base}/console/signin`, { method: 'POST', body: 'name=admin',
    headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(post.status, 404);
  for (const p of ['/cases/', '/healthz', '/consoles/', '/static/../fazhi.conf']) {
    const r = await fetch(`${s.consoleBase}${p}`, { redirect: 'manual' });
    assert.equal(r.status, 404, `console ${p}`);
  }
});

test('accounts: administrators only; adding, disabling, enabling, changing a role and resetting a password need the password again', async () => {
  const ed = await signedIn('editor1');
  assert.equal((await ed.get('/console/accounts')).status, 403);
  assert.equal((await ed.get('/console/accounts/admin')).status, 403);
  const a = await signedIn('admin');
  const list = await a.get('/console/accounts');
  assert.equal(list.status, 200);
  assert.ok(list.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;编辑'), 'names are escaped');
  assert.ok(!list.body.includes('<script>'));
  let from = auditMax();
  const add = { name: 'sun', display: '孙审核', role: 'reviewer', password: 'sun long password', again: 'sun long password' };
  let r = await a.post('/console/accounts', { ...add, current: 'wrong', csrf: await a.csrf('/console/accounts') });
  assert.equal(r.status, 400);
  assert.match(r.body, /您的密码不正确，账号没有添加/);
  assert.equal(sql("SELECT count(*) FROM account WHERE name = 'sun'"), '0');
  r = await a.post('/console/accounts', { ...add, password: 'short', again: 'short', current: PW, csrf: await a.csrf('/console/accounts') });
  assert.equal(r.status, 400);
  assert.match(r.body, /新密码至少需要 12 个字符/);
  r = await a.post('/console/accounts', { ...add, name: 'admin', current: PW, csrf: await a.csrf('/console/accounts') });
  assert.match(r.body, /这个用户名已被使用/);
  r = await a.post('/console/accounts', { ...add, current: PW, csrf: await a.csrf('/console/accounts') });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/console/accounts?done=add&name=sun');
  assert.deepEqual(auditSince(from), ['reauth-failed admin wrong password (1 in a row)', 'account-add admin account=sun role=reviewer']);
  assert.equal(sql("SELECT failed FROM account WHERE name = 'admin'"), '0', 'a right password clears the count');

  const sun = await signedIn('sun', 'sun long password');
  from = auditMax();
  const page = '/console/accounts/sun';
  r = await a.post(page, { action: 'disable', current: PW, csrf: await a.csrf(page) });
  assert.equal(r.status, 303);
  assert.equal((await sun.get('/console/')).status, 303, 'a disabled account is signed out at once');
  assert.equal((await new Client(s.consoleBase).signIn('sun', 'sun long password')).status, 200, 'and cannot sign in');
  r = await a.post(page, { action: 'enable', current: PW, csrf: await a.csrf(page) });
  assert.equal(r.status, 303);
  r = await a.post(page, { action: 'reset', password: 'a new long password', again: 'a new long password', current: PW, csrf: await a.csrf(page) });
  assert.equal(r.status, 303);
  assert.equal((await new Client(s.consoleBase).signIn('sun', 'sun long password')).status, 200, 'the old password is gone');
  await signedIn('sun', 'a new long password');
  r = await a.post('/console/accounts/admin', { action: 'disable', current: PW, csrf: await a.csrf('/console/accounts/admin') });
  assert.match(r.body, /不能停用自己正在使用的账号/);
  r = await a.post('/console/accounts/admin', { action: 'role', role: 'editor', current: PW, csrf: await a.csrf('/console/accounts/admin') });
  assert.match(r.body, /不能取消自己的管理员角色/);
  r = await a.post(page, { action: 'role', role: 'boss', current: PW, csrf: await a.csrf(page) });
  assert.match(r.body, /请选择角色/);
  r = await a.post(page, { action: 'role', role: 'editor', current: PW, csrf: await a.csrf(page) });
  assert.equal(r.status, 303);
  assert.equal(sql("SELECT role FROM account WHERE name = 'sun'"), 'editor');
  assert.match((await a.get(`${page}?done=role`)).body, /角色已更改/);
  r = await a.post(page, { action: 'explode', current: PW, csrf: await a.csrf(page) });
  assert.match(r.body, /未知的操作/);
  assert.equal((await a.get('/console/accounts/nobody')).status, 404);
  assert.deepEqual(auditSince(from), ['account-disable admin account=sun', 'signin-failed sun account disabled',
    'account-enable admin account=sun', 'password-reset admin account=sun', 'signin-failed sun wrong password (1 in a row)',
    'signin sun', 'account-role admin account=sun role=reviewer->editor']);
});

test('change password: the current one first; then every other session ends', async () => {
  addUser('zheng', 'editor', PW);
  const c = await signedIn('zheng');
  const other = await signedIn('zheng');
  const from = auditMax();
  let r = await c.post('/console/password', { current: 'wrong', new: 'brand new password', again: 'brand new password', csrf: await c.csrf('/console/password') });
  assert.equal(r.status, 400);
  assert.match(r.body, /当前密码不正确/);
  r = await c.post('/console/password', { current: PW, new: 'brand new password', again: 'brand new passwore', csrf: await c.csrf('/console/password') });
  assert.match(r.body, /两次输入的新密码不一致/);
  r = await c.post('/console/password', { current: PW, new: 'brand new password', again: 'brand new password', csrf: await c.csrf('/console/password') });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/console/?done=password');
  assert.match((await c.get('/console/?done=password')).body, /密码已修改/);
  assert.equal((await other.get('/console/')).status, 303, 'the other session ended');
  await signedIn('zheng', 'brand new password');
  assert.deepEqual(auditSince(from).slice(0, 2), ['reauth-failed zheng wrong password (1 in a row)', 'password-change zheng']);
});

test(`limits: a body over FORM_MAX_BODY gets 413, more than ${FORM_MAX_FIELDS} fields 400, and ${CONSOLE_ADDR_MAX_FAILURES} failures from one address 429`, async () => {
  const c = new Client(s.consoleBase);
  const csrf = await c.csrf('/console/signin');
  let r = await c.post('/console/signin', { csrf, name: 'x', password: 'p'.repeat(FORM_MAX_BODY) });
  assert.equal(r.status, 413);
  const many = { csrf };
  for (let i = 0; i < FORM_MAX_FIELDS; i++) many[`f${i}`] = 'x';
  r = await c.post('/console/signin', many);
  assert.equal(r.status, 400);
  assert.match(r.body, /表单字段过多/);
  r = await c.request('/console/signin', { method: 'POST', body: `csrf=${csrf}&name=%zz`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.status, 400);
  r = await c.request('/console/signin', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
  assert.equal(r.status, 415);
  // failures from this address so far, then up to the limit with unknown names
  const t = now;
  const failures = Number(sql(`SELECT count(*) FROM audit WHERE action = 'signin-failed' AND address = '127.0.0.1' AND time >= ${t - 15 * 60}`));
  for (let i = failures; i < CONSOLE_ADDR_MAX_FAILURES; i++)
    assert.equal((await c.post('/console/signin', { csrf, name: `ghost${i}`, password: 'whatever it is' })).status, 200);
  r = await c.post('/console/signin', { csrf, name: 'admin', password: PW });
  assert.equal(r.status, 429);
  assert.match(r.body, /登录失败次数过多/);
  assert.equal(c.jar.has('fazhi_console'), false);
  setClock(t + 15 * 60 + 1);
  assert.equal((await c.post('/console/signin', { csrf, name: 'admin', password: PW })).status, 303, 'the window passes');
});

test('nginx limits the rate of sign-in requests per address (429)', async () => {
  const t = await startStack({ workers: 1 });
  try {
    const codes = [];
    for (let i = 0; i < 15; i++) codes.push((await fetch(`${t.consoleBase}/console/signin`)).status);
    assert.ok(codes.slice(0, 10).every((x) => x === 200), codes.join(' '));
    assert.ok(codes.includes(429), codes.join(' '));
  } finally {
    await t.stop();
  }
});

test('the dashboard lists the live snapshot again once a publish has replaced it', async () => {
  const c = await signedIn('admin');
  assert.doesNotMatch((await c.get('/console/')).body, /（控制台测试更正）/);
  const f = join(s.content, 'cases', '2023-001.xml');
  writeFileSync(f, readFileSync(f, 'utf8').replace('</title>', '（控制台测试更正）</title>'));
  const next = join(s.dir, 'next.db');
  assert.equal(build(s.content, next).status, 0);
  renameSync(next, s.snapshot);	// what fazhi publish does
  assert.match((await c.get('/console/')).body, /某运输公司渣土车抛洒滴漏案（示例）（控制台测试更正）/);
});

test('sign-in removes sessions that have run out from the database', async () => {
  const t0 = now;
  try {
    await signedIn('editor1');
    setClock(t0 + CONSOLE_IDLE_SECONDS + 1);
    const stale = Number(sql(`SELECT count(*) FROM session WHERE last_seen < ${now - CONSOLE_IDLE_SECONDS}`));
    assert.ok(stale >= 1);
    await signedIn('editor1');
    assert.equal(sql(`SELECT count(*) FROM session WHERE last_seen < ${now - CONSOLE_IDLE_SECONDS}`), '0');
  } finally {
    setClock(t0 + CONSOLE_IDLE_SECONDS + 1);
  }
});

// One FastCGI request straight to the console's socket, as nginx sends it: for
// what only nginx's TLS would set (HTTPS=on). Returns the raw answer.
async function fastcgi(params, body = '') {
  return (await fcgiRequest(join(s.run, 'console.sock'), params, body)).stdout;
}

test('over HTTPS (nginx sets HTTPS=on) every cookie is Secure too', async () => {
  const base = { REQUEST_URI: '/console/signin', REMOTE_ADDR: '192.0.2.7', HTTPS: 'on' };
  const form = await fastcgi({ ...base, REQUEST_METHOD: 'GET' });
  const pre = form.match(/Set-Cookie: (fazhi_console_signin=[0-9a-f]{64})(.*)\r\n/);
  assert.ok(pre, form.slice(0, 500));
  assert.match(pre[2], /; HttpOnly; SameSite=Strict; Secure$/);
  const csrf = form.match(/name="csrf" value="([0-9a-f]{64})"/)[1];
  const body = new URLSearchParams({ csrf, name: 'admin', password: PW }).toString();
  const r = await fastcgi({ ...base, REQUEST_METHOD: 'POST', HTTP_COOKIE: pre[1],
    CONTENT_TYPE: 'application/x-www-form-urlencoded', CONTENT_LENGTH: String(body.length) }, body);
  assert.match(r, /^Status: 303/);
  assert.match(r, /Set-Cookie: fazhi_console=[0-9a-f]{64}; Path=\/; HttpOnly; SameSite=Strict; Secure\r\n/);
  assert.equal(sql("SELECT address FROM audit ORDER BY id DESC LIMIT 1"), '192.0.2.7', 'the address nginx gave');
});

test('public workers never open the staff database; the console does', () => {
  const opened = (pid) => spawnSync('ls', ['-l', `/proc/${pid}/fd`], { encoding: 'utf8' }).stdout;
  const master = s.masterPid();
  const pids = [master, ...workerPids(master)];
  assert.ok(pids.length >= 2);
  for (const pid of pids) assert.doesNotMatch(opened(pid), /staff\.db/, `fazhi serve process ${pid}`);
  const consolePid = spawnSync('pgrep', ['-f', `fazhi console --socket ${join(s.run, 'console.sock')}`],
    { encoding: 'utf8' }).stdout.trim();
  assert.match(opened(consolePid), /staff\.db/, 'the console keeps it open');
});

test('without the console (make preview), nginx has no console server block', () => {
  const conf = (env) => spawnSync(join(ROOT, 'scripts', 'nginx-conf'),
    ['8080', '/tmp/run', '/tmp/fazhi.sock'], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  const on = conf({ CONSOLE_PORT: '9999' });
  assert.equal(on.status, 0, on.stderr);
  assert.match(on.stdout, /listen 127\.0\.0\.1:9999;/);
  assert.match(on.stdout, /upstream fazhi_console/);
  const off = conf({ CONSOLE: 'off', CONSOLE_PORT: '9999' });
  assert.equal(off.status, 0, off.stderr);
  assert.doesNotMatch(off.stdout, /9999|fazhi_console|@CONSOLE/);
  assert.match(off.stdout, /location \^~ \/console\/ \{\s+return 404;/, 'the public site still refuses /console/');
  assert.equal(off.stdout.trim().at(-1), '}');
});

test('the audit log page: every entry for the administrator, filters, own entries for others, escaped', async () => {
  const a = await signedIn('admin');
  const ed = await signedIn('editor1');
  // an entry whose detail holds what a client sent: a path with markup, a comma, a quote
  const hostile = '/console/accounts/<script>x</script>,"y';
  assert.equal((await a.request(encodeURI(hostile).replace(/"/g, '%22'), { method: 'POST', body: 'a=1',
    headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status, 403);
  let r = await a.get('/console/audit');
  assert.equal(r.status, 200);
  assert.match(r.body, new RegExp(`共 ${sql('SELECT count(*) FROM audit')} 条记录`));
  assert.ok(r.body.includes('/console/accounts/&lt;script&gt;x&lt;/script&gt;,&quot;y'), 'escaped');
  assert.ok(!r.body.includes('<script>'));
  const firstRow = r.body.split('<tbody>')[1].split('</tr>')[0];
  assert.match(firstRow, /<td>admin<\/td>[\s\S]*拒绝来源不明的表单/, 'newest first');
  r = await a.get('/console/audit?action=account-locked');
  assert.match(r.body, new RegExp(`共 ${sql("SELECT count(*) FROM audit WHERE action = 'account-locked'")} 条记录`));
  assert.doesNotMatch(r.body.split('<tbody>')[1], /登录失败/);
  r = await a.get('/console/audit?account=wu&action=signin-failed');
  assert.match(r.body, new RegExp(`共 ${sql("SELECT count(*) FROM audit WHERE account = 'wu' AND action = 'signin-failed'")} 条记录`));
  // days are China time: the clock's day holds its entries, the day before none
  const day = new Date((now + 8 * 3600) * 1000).toISOString().slice(0, 10);
  const before = new Date((now + 8 * 3600 - 86400) * 1000).toISOString().slice(0, 10);
  r = await a.get(`/console/audit?from=${day}&to=${day}&action=signin`);
  assert.doesNotMatch(r.body, /共 0 条记录/);
  r = await a.get(`/console/audit?to=${before}&action=csrf-refused`);
  assert.equal(sql(`SELECT count(*) FROM audit WHERE action = 'csrf-refused' AND time < ${Date.parse(day) / 1000 - 8 * 3600}`),
    r.body.match(/共 (\d+) 条记录/)[1]);
  assert.equal((await a.get('/console/audit?from=2026-13-01')).status, 400);
  assert.equal((await a.get('/console/audit?page=0')).status, 400);
  assert.equal((await a.get('/console/audit?page=10001')).status, 400, 'CONSOLE_AUDIT_MAX_PAGE');
  // others read their own entries only, whatever they ask for
  r = await ed.get('/console/audit?account=admin');
  assert.equal(r.status, 200);
  assert.match(r.body, new RegExp(`共 ${sql("SELECT count(*) FROM audit WHERE account = 'editor1'")} 条记录`));
  assert.doesNotMatch(r.body.split('<tbody>')[1], /<td>admin<\/td>/);
  assert.doesNotMatch(r.body, /id="f-account"/);
});

test('the audit log as CSV: UTF-8 with a BOM, RFC 4180 quoting, no formulas, the same filter', async () => {
  const a = await signedIn('admin');
  const res = await fetch(`${s.consoleBase}/console/audit.csv?action=csrf-refused`,
    { headers: { cookie: a.cookieHeader() } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.equal(res.headers.get('content-disposition'), 'attachment; filename="audit.csv"');
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString('utf8');
  const lines = text.split('\r\n');
  assert.equal(lines[0], '时间（北京时间）,账号,地址,操作,操作名称,条目,版本,详情');
  assert.equal(lines.at(-1), '', 'every line ends with CRLF');
  assert.equal(lines.length - 2, Number(sql("SELECT count(*) FROM audit WHERE action = 'csrf-refused'")));
  assert.ok(text.includes(',"/console/accounts/<script>x</script>,""y"\r\n'), 'quoted, quotes doubled');
  assert.ok(text.includes(",'-,"), 'a field that starts like a formula is shown as text');
  assert.match(lines[1], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,/);
  const ed = await signedIn('editor1');
  const own = await (await fetch(`${s.consoleBase}/console/audit.csv`, { headers: { cookie: ed.cookieHeader() } })).text();
  assert.ok(own.split('\r\n').slice(1, -1).every((l) => l.split(',')[1] === 'editor1'), 'an editor exports their own');
  assert.equal((await fetch(`${s.consoleBase}/console/audit.csv`, { redirect: 'manual' })).status, 303, 'signed out: no log');
});

test(`limits: CONSOLE_AUDIT_PER_PAGE (50) entries a page, CONSOLE_AUDIT_CSV_MAX (100000) in a CSV`, async () => {
  // Entries written straight into the log (appending is what it allows).
  sql(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100001)
    INSERT INTO audit(time, account, address, action, detail) SELECT ${now}, 'filler', 'cli', 'test-filler', i FROM n`);
  const a = await signedIn('admin');
  const r = await a.get('/console/audit?account=filler');
  assert.match(r.body, /共 100001 条记录/);
  assert.equal((r.body.split('<tbody>')[1].match(/<tr>/g) || []).length, 50);
  assert.match(r.body, /第 1 页，共 2001 页/);
  assert.match(r.body, /href="\/console\/audit\?account=filler&amp;page=2" rel="next"/);
  const last = await a.get('/console/audit?account=filler&page=2001');
  assert.equal((last.body.split('<tbody>')[1].match(/<tr>/g) || []).length, 1);
  assert.match(last.body, /<td>1<\/td>/, 'the oldest entry last');
  const csv = await (await fetch(`${s.consoleBase}/console/audit.csv?account=filler`,
    { headers: { cookie: a.cookieHeader() } })).text();
  const rows = csv.split('\r\n').slice(1, -1);
  assert.equal(rows.length, 100000);
  assert.match(rows[0], /,100001$/, 'newest first');
  assert.match(rows.at(-1), /,2$/, 'the oldest one is past the limit');
});

test('limits: the sign-in cookie lasts CONSOLE_SIGNIN_COOKIE_AGE; an audit detail is cut at STAFF_MAX_DETAIL bytes, between characters', async () => {
  const r = await fetch(`${s.consoleBase}/console/signin`);
  await r.text();
  assert.match(r.headers.getSetCookie()[0], new RegExp(`; Path=/console/signin; Max-Age=${CONSOLE_SIGNIN_COOKIE_AGE}; HttpOnly; SameSite=Strict$`));
  const a = await signedIn('admin');
  const long = `/console/accounts/${'审'.repeat(400)}`;	// 1 200 bytes of 3-byte characters
  assert.equal((await a.request(encodeURI(long), { method: 'POST', body: 'a=1',
    headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status, 403);
  const detail = sql("SELECT detail FROM audit WHERE action = 'csrf-refused' ORDER BY id DESC LIMIT 1");
  assert.ok(Buffer.byteLength(detail) <= STAFF_MAX_DETAIL && Buffer.byteLength(detail) > STAFF_MAX_DETAIL - 3,
    `${Buffer.byteLength(detail)} bytes`);
  assert.ok(long.startsWith(detail) && detail.endsWith('审'), 'cut between two characters');
});

test(`limits: the dashboard lists at most CONSOLE_DASHBOARD_ITEMS (${CONSOLE_DASHBOARD_ITEMS}) items, and says so`, async () => {
  const dir = tempDir();
  const gen = spawnSync(join(ROOT, 'scripts', 'gen-corpus'), ['--out', join(dir, 'content'), '--count', '520'], { encoding: 'utf8' });
  assert.equal(gen.status, 0, gen.stderr);
  const snapshot = join(dir, 'site.db');
  assert.equal(build(join(dir, 'content'), snapshot).status, 0);
  const t = await startStack({ snapshot, workers: 1, signinRate: 'off' });
  try {
    const r = spawnSync(FAZHI, ['user', 'add', 'big', '--role', 'editor', '--password-stdin', '--staff-db', t.staffDb],
      { input: `${PW}\n`, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const c = new Client(s.consoleBase);
    const form = await c.request('/console/signin', {}, t.consoleBase);
    const csrf = form.body.match(/name="csrf" value="([0-9a-f]{64})"/)[1];
    await c.request('/console/signin', { method: 'POST', body: new URLSearchParams({ csrf, name: 'big', password: PW }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' } }, t.consoleBase);
    const home = await c.request('/console/', {}, t.consoleBase);
    assert.equal(home.status, 200);
    assert.equal((home.body.match(/<tr>\n/g) || []).length, CONSOLE_DASHBOARD_ITEMS);
    assert.match(home.body, new RegExp(`只列出最新的 ${CONSOLE_DASHBOARD_ITEMS} 条`));
  } finally {
    await t.stop();
  }
});
