// staff.test.mjs: the staff database and `fazhi user`: accounts from the command
// line, each change an audit entry, and an audit log that only grows (SQLite's own
// client is refused an UPDATE or DELETE of it).
// tests: 8
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { statSync } from 'node:fs';
import { FAZHI, tempDir } from './stack.mjs';

const MIN_PASSWORD = 12;	// AUTH_MIN_PASSWORD in fcgi/auth.h
const GOOD = 'correct horse battery';

function user(db, args, password) {
  const r = spawnSync(FAZHI, ['user', ...args, '--staff-db', db],
    { input: password === undefined ? '' : `${password}\n`, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
function sql(db, q) {
  const r = spawnSync('sqlite3', [db, q], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout.trim(), stderr: r.stderr };
}
const auditRows = (db) => Number(sql(db, 'SELECT count(*) FROM audit').stdout);

test('user add makes an account, hashed with Argon2id, recorded in the audit log', () => {
  const db = join(tempDir(), 'staff.db');
  const r = user(db, ['add', 'wang', '--role', 'editor', '--display', '王编辑', '--password-stdin'], GOOD);
  assert.equal(r.status, 0, r.stderr);
  const row = sql(db, "SELECT role, display, hash FROM account WHERE name = 'wang'").stdout.split('|');
  assert.equal(row[0], 'editor');
  assert.equal(row[1], '王编辑');
  assert.match(row[2], /^\$argon2id\$/);
  assert.ok(!row[2].includes(GOOD));
  assert.equal(sql(db, 'SELECT action, account, address, detail FROM audit').stdout,
    'account-add|cli:' + (process.env.USER || 'root') + '|cli|account=wang role=editor');
  assert.equal(statSync(db).mode & 0o777, 0o600, 'the database holds password hashes: mode 0600');
  assert.equal(sql(db, 'PRAGMA journal_mode').stdout, 'wal');
  assert.equal(sql(db, 'PRAGMA user_version').stdout, '2');
});

test('user add refuses a wrong role, a short password, a bad name and a duplicate', () => {
  const db = join(tempDir(), 'staff.db');
  let r = user(db, ['add', 'li', '--role', 'boss', '--password-stdin'], GOOD);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /--role must be editor, reviewer or admin/);
  r = user(db, ['add', 'li', '--role', 'editor', '--password-stdin'], 'x'.repeat(MIN_PASSWORD - 1));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /at least 12 characters/);
  // twelve Chinese characters are twelve characters, though 36 bytes
  r = user(db, ['add', 'li', '--role', 'editor', '--password-stdin'], '一二三四五六七八九十甲乙');
  assert.equal(r.status, 0, r.stderr);
  r = user(db, ['add', 'li', '--role', 'admin', '--password-stdin'], GOOD);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /already exists/);
  r = user(db, ['add', '../x', '--role', 'admin', '--password-stdin'], GOOD);
  assert.equal(r.status, 1);
  r = user(db, ['add', 'a'.repeat(33), '--role', 'admin', '--password-stdin'], GOOD);	// STAFF_MAX_NAME
  assert.equal(r.status, 1);
  r = user(db, ['add', 'long', '--role', 'editor', '--display', '显'.repeat(22), '--password-stdin'], GOOD);
  assert.equal(r.status, 1, 'STAFF_MAX_DISPLAY is 64 bytes: 22 Chinese characters are 66');
  assert.match(r.stderr, /--display is longer than 64 bytes/);
  r = user(db, ['add', 'nopw', '--role', 'admin', '--password-stdin']);
  assert.equal(r.status, 1, 'no password, no account: there is no default');
  assert.match(r.stderr, /no password/);
  assert.equal(sql(db, 'SELECT group_concat(name) FROM account').stdout, 'li');
  assert.equal(auditRows(db), 1, 'only the change that happened is recorded');
});

test('user disable, enable, passwd and list', () => {
  const db = join(tempDir(), 'staff.db');
  assert.equal(user(db, ['add', 'zhao', '--role', 'reviewer', '--password-stdin'], GOOD).status, 0);
  assert.equal(user(db, ['add', 'admin', '--role', 'admin', '--password-stdin'], GOOD).status, 0);
  assert.equal(user(db, ['disable', 'zhao']).status, 0);
  let list = user(db, ['list']);
  assert.equal(list.status, 0);
  assert.match(list.stdout, /^zhao +reviewer +disabled/m);
  assert.match(list.stdout, /^admin +admin +active/m);
  assert.equal(user(db, ['enable', 'zhao']).status, 0);
  assert.match(user(db, ['list']).stdout, /^zhao +reviewer +active/m);
  const before = sql(db, "SELECT hash FROM account WHERE name = 'zhao'").stdout;
  assert.equal(user(db, ['passwd', 'zhao', '--password-stdin'], 'another long password').status, 0);
  assert.notEqual(sql(db, "SELECT hash FROM account WHERE name = 'zhao'").stdout, before);
  assert.equal(user(db, ['disable', 'nobody']).status, 1);
  assert.equal(sql(db, 'SELECT group_concat(action) FROM audit').stdout,
    'account-add,account-add,account-disable,account-enable,password-reset');
});

test('the audit log only grows: UPDATE and DELETE are refused by the database itself', () => {
  const db = join(tempDir(), 'staff.db');
  assert.equal(user(db, ['add', 'qian', '--role', 'editor', '--password-stdin'], GOOD).status, 0);
  const n = auditRows(db);
  const before = sql(db, 'SELECT * FROM audit').stdout;
  let r = sql(db, "UPDATE audit SET account = 'someone-else'");
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /append-only/);
  r = sql(db, 'DELETE FROM audit');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /append-only/);
  assert.equal(sql(db, 'SELECT * FROM audit').stdout, before, 'nothing changed');
  assert.equal(user(db, ['disable', 'qian']).status, 0);
  assert.equal(auditRows(db), n + 1, 'and new entries are still appended');
});

test('a staff database of another schema version is refused', () => {
  const db = join(tempDir(), 'staff.db');
  assert.equal(user(db, ['list']).status, 0);
  sql(db, 'PRAGMA user_version = 99');
  const r = user(db, ['list']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /schema version 99, not 2/);
});

test('a staff database of schema 1 becomes 2: its media table, unused until then, made anew with captions', () => {
  const db = join(tempDir(), 'staff.db');
  assert.equal(user(db, ['list']).status, 0);
  // schema 1's media table, as it was
  assert.equal(sql(db, 'DROP TABLE media; CREATE TABLE media(id INTEGER PRIMARY KEY, item INTEGER NOT NULL,' +
    ' stored_name TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, bytes INTEGER NOT NULL, width INTEGER, height INTEGER,' +
    ' alt TEXT, uploaded_by INTEGER NOT NULL, time INTEGER NOT NULL, removed INTEGER NOT NULL DEFAULT 0);' +
    ' PRAGMA user_version = 1').status, 0);
  assert.equal(user(db, ['list']).status, 0);
  assert.equal(sql(db, 'PRAGMA user_version').stdout, '2');
  assert.match(sql(db, 'SELECT sql FROM sqlite_master WHERE name = \'media\'').stdout, /caption TEXT[\s\S]*UNIQUE \(item, stored_name\)/);
});

test('no code changes the audit log: its only statement is an INSERT', async () => {
  const { readdirSync, readFileSync } = await import('node:fs');
  const { ROOT } = await import('./stack.mjs');
  for (const f of readdirSync(join(ROOT, 'fcgi')).filter((n) => n.endsWith('.c'))) {
    const src = readFileSync(join(ROOT, 'fcgi', f), 'utf8');
    assert.doesNotMatch(src, /"[^"]*(UPDATE\s+audit|DELETE\s+FROM\s+audit|REPLACE\s+INTO\s+audit)/i, f);
  }
});

// Runs `fazhi user ARGS` on a terminal (script(1) gives it a pseudo-terminal) and
// answers each prompt with the next of answers once it appears; resolves with
// everything the terminal showed.
function onTerminal(args, answers) {
  const cmd = [FAZHI, 'user', ...args].map((a) => `'${a}'`).join(' ');
  const p = spawn('script', ['-q', '-e', '-c', cmd, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let shown = '', asked = 0;
  p.stdout.on('data', (d) => {
    shown += d;
    const prompts = (shown.match(/New password: |Again: /g) || []).length;
    while (asked < prompts && asked < answers.length) p.stdin.write(`${answers[asked++]}\n`);
  });
  const timer = setTimeout(() => p.kill('SIGKILL'), 20000);	// a prompt never answered
  return new Promise((resolve) => p.on('close', (status) => {
    clearTimeout(timer);
    p.stdin.end();
    resolve({ status, shown });
  }));
}

test('on a terminal the password is asked twice, never echoed, and both must agree', async () => {
  const db = join(tempDir(), 'staff.db');
  let r = await onTerminal(['add', 'sun', '--role', 'editor', '--staff-db', db], [GOOD, GOOD]);
  assert.equal(r.status, 0, r.shown);
  assert.match(r.shown, /New password: [\s\S]*Again: [\s\S]*added sun \(editor\)/);
  assert.ok(!r.shown.includes(GOOD), `the password is not echoed: ${JSON.stringify(r.shown)}`);
  r = await onTerminal(['passwd', 'sun', '--staff-db', db], ['one long password', 'another long password']);
  assert.notEqual(r.status, 0);
  assert.match(r.shown, /the two passwords differ/);
  assert.equal(sql(db, 'SELECT count(*) FROM audit').stdout, '1', 'nothing changed');
});
