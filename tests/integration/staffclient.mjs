// staffclient.mjs: what the console's tests share: a browser's part (a cookie jar,
// no redirects followed, the CSRF token of a form) and accounts made the way an
// administrator makes them, with `fazhi user add`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { FAZHI } from './stack.mjs';

export class Client {
  constructor(base) { this.base = base; this.jar = new Map(); }
  cookieHeader() { return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '); }
  take(res) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      const k = pair.slice(0, i), v = pair.slice(i + 1);
      if (/Max-Age=0/.test(c)) this.jar.delete(k); else this.jar.set(k, v);
    }
  }
  async request(path, init = {}, base = this.base) {
    const headers = { ...(init.headers || {}) };
    if (this.jar.size) headers.cookie = this.cookieHeader();
    const res = await fetch(`${base}${path}`, { redirect: 'manual', ...init, headers });
    this.take(res);
    return { status: res.status, headers: res.headers, body: await res.text() };
  }
  get(path) { return this.request(path); }
  post(path, fields) {
    return this.request(path, { method: 'POST', body: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }
  // The CSRF token of the first form on page path.
  async csrf(path) {
    const r = await this.get(path);
    const m = r.body.match(/name="csrf" value="([0-9a-f]{64})"/);
    assert.ok(m, `${path} has a form with a CSRF token (status ${r.status}): ${r.body.slice(0, 300)}`);
    return m[1];
  }
  async signIn(name, password) {
    const csrf = await this.csrf('/console/signin');
    return this.post('/console/signin', { csrf, name, password });
  }
}

// A client of the console at base signed in as name, with the CSRF token of the
// dashboard's forms in .token.
export async function signedIn(base, name, password) {
  const c = new Client(base);
  const r = await c.signIn(name, password);
  assert.equal(r.status, 303, `${name} signs in: ${r.body.slice(0, 300)}`);
  c.token = await c.csrf('/console/');
  return c;
}

// The problems an editor page shows beside field f, as text (null: none).
export function problemsOf(body, f) {
  const m = body.match(new RegExp(`<ul class="field-problems" id="problem-${f}">(.*?)</ul>`, 's'));
  return m ? m[1].replace(/<[^>]+>/g, ' ') : null;
}

// Adds an account to the staff database, its password given on stdin.
export function addUser(staffDb, name, role, password, display) {
  const args = ['user', 'add', name, '--role', role, '--password-stdin', '--staff-db', staffDb];
  if (display) args.push('--display', display);
  const r = spawnSync(FAZHI, args, { input: `${password}\n`, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

// Runs one query on the staff database with the sqlite3 shell; its output, trimmed.
export function staffSql(staffDb, q) {
  const r = spawnSync('sqlite3', [staffDb, q], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}
