// mode.test.mjs: the elderly display mode (长者模式) is a cookie set by /mode, with no
// JavaScript; it stays on across pages, and nginx's cache never serves one mode's page
// to the other.
// tests: 4
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, get } from './stack.mjs';

const ELDER = { cookie: 'fazhi_mode=elder' };

test('/mode sets or clears the cookie and goes back to a page of this site', async () => {
  const s = await startStack({ workers: 1 });
  try {
    const on = await get(`${s.base}/mode?set=elder&next=%2Fcases%2F%3Fyear%3D2024`);
    assert.equal(on.status, 303);
    assert.equal(on.headers.get('location'), '/cases/?year=2024');
    assert.match(on.headers.get('set-cookie'), /^fazhi_mode=elder; Path=\/; Max-Age=31536000; SameSite=Lax; HttpOnly$/);
    assert.equal(on.headers.get('cache-control'), 'no-store');
    const off = await get(`${s.base}/mode?set=normal&next=/`);
    assert.match(off.headers.get('set-cookie'), /^fazhi_mode=; Path=\/; Max-Age=0/);
    for (const next of ['//evil.example/', '/\\evil.example', 'https://evil.example/', 'x'])
      assert.equal((await get(`${s.base}/mode?set=elder&next=${encodeURIComponent(next)}`)).headers.get('location'), '/', next);
    assert.equal((await get(`${s.base}/mode?set=huge`)).status, 400);
    // A next past REQ_MAX_LOCATION (512) goes home, and the
    // answer keeps every header (a long one once pushed them out of the head).
    const long = '/cases/?q=' + 'a'.repeat(3000);
    for (const next of [long, '/cases/?q=' + 'a'.repeat(1870)]) {
      const r = await get(`${s.base}/mode?set=elder&next=${encodeURIComponent(next)}`);
      assert.equal(r.status, 303, next.slice(0, 20));
      assert.equal(r.headers.get('location'), '/', next.slice(0, 20));
      assert.match(r.headers.get('set-cookie'), /^fazhi_mode=elder/);
      assert.equal(r.headers.get('cache-control'), 'no-store');
    }
    for (const next of ['/a\tb', '/a\u0001b'])	// the decoder refuses control characters
      assert.equal((await get(`${s.base}/mode?set=elder&next=${encodeURIComponent(next)}`)).status, 400);
    const ok = '/cases/?q=' + 'a'.repeat(490);
    assert.equal((await get(`${s.base}/mode?set=elder&next=${encodeURIComponent(ok)}`)).headers.get('location'), ok);
  } finally { await s.stop(); }
});

test('pages follow the cookie, and say they vary by it', async () => {
  const s = await startStack({ workers: 1 });
  try {
    for (const path of ['/', '/cases/', '/cases/2023-001', '/nope']) {
      const normal = await get(`${s.base}${path}`);
      const elder = await get(`${s.base}${path}`, { headers: ELDER });
      assert.match(elder.body, /<html lang="zh-CN" class="mode-elder">/, path);
      assert.doesNotMatch(normal.body, /mode-elder/, path);
      assert.match(elder.headers.get('vary'), /\bCookie\b/, path);
    }
  } finally { await s.stop(); }
});

test('with the micro-cache on, one mode is never served the other mode\'s page', async () => {
  process.env.CACHE = 'on';
  let s;
  try { s = await startStack({ workers: 1 }); } finally { delete process.env.CACHE; }
  try {
    const path = `${s.base}/cases/2023-001`;
    const n1 = await get(path);
    const n2 = await get(path);
    assert.equal(n2.headers.get('x-cache'), 'HIT', 'the normal page is cached');
    const e1 = await get(path, { headers: ELDER });
    assert.notEqual(e1.headers.get('x-cache'), 'HIT', 'the elder page is not the cached normal one');
    assert.match(e1.body, /mode-elder/);
    const e2 = await get(path, { headers: ELDER });
    assert.equal(e2.headers.get('x-cache'), 'HIT');
    assert.match(e2.body, /mode-elder/);
    const n3 = await get(path);
    assert.doesNotMatch(n3.body, /mode-elder/);
    assert.doesNotMatch(n1.body, /mode-elder/);
    assert.notEqual((await get(`${s.base}/healthz`)).headers.get('x-cache'), 'HIT');
  } finally { await s.stop(); }
});

test('the switch returns to the address the reader is on, filters included', async () => {
  const s = await startStack({ workers: 1 });
  try {
    const next = (body) => body.match(/name="next" value="([^"]*)"/)[1].replace(/&amp;/g, '&');
    assert.equal(next((await get(`${s.base}/cases/?domain=shirong&page=1`)).body), '/cases/?domain=shirong&page=1');
    assert.equal(next((await get(`${s.base}/cases/2023-001`)).body), '/cases/2023-001');
    assert.equal(next((await get(`${s.base}/_error/404`)).body), '/', 'an error page returns home');
    assert.equal(next((await get(`${s.base}/${'a'.repeat(600)}`)).body), '/', 'over REQ_MAX_LOCATION');
  } finally { await s.stop(); }
});
