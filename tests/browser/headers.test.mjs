// headers.test.mjs: the security headers are on every kind of response -- a page,
// a 404, a 500 and a static file -- and the stylesheet is cached for a year under a
// fingerprinted name. Plain fetch, plus one browser check that the pages load with
// nothing refused by their own Content-Security-Policy.
// tests: 6
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, get, tempDir, ROOT, launch, newContext, watchCsp, PAGES } from './browser.mjs';

const STRICT_REFERRER = ['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'];

let s;
before(async () => {
  // The real templates, with case.html made to fail for one case (as errors.test.mjs).
  const templates = join(tempDir(), 'templates');
  cpSync(join(ROOT, 'lua', 'templates'), templates, { recursive: true });
  appendFileSync(join(templates, 'case.html'),
    '<% if ctx.id == "test-hostile" then error("deliberate failure") end %>\n');
  s = await startStack({ templates, workers: 1 });
});
after(async () => { await s?.stop(); });

// "a b; c d" -> Map { a => ['b'], c => ['d'] } (names lower case, first one wins).
function parseCsp(value) {
  const m = new Map();
  for (const part of value.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name && !m.has(name.toLowerCase())) m.set(name.toLowerCase(), sources);
  }
  return m;
}

function assertSecurityHeaders(r, what) {
  const h = r.headers;
  const csp = h.get('content-security-policy');
  assert.ok(csp, `${what}: no Content-Security-Policy header`);
  const d = parseCsp(csp);
  assert.ok(d.get('default-src')?.includes("'self'"), `${what}: CSP default-src lacks 'self': ${csp}`);
  for (const dir of ['script-src', 'style-src']) {
    const sources = d.get(dir) ?? d.get('default-src');	// what the browser falls back to
    assert.ok(!sources.includes("'unsafe-inline'"), `${what}: CSP ${dir} allows 'unsafe-inline': ${csp}`);
  }
  assert.deepEqual(d.get('frame-ancestors'), ["'none'"], `${what}: CSP frame-ancestors is not 'none': ${csp}`);
  assert.equal(h.get('x-content-type-options'), 'nosniff', `${what}: X-Content-Type-Options`);
  const rp = h.get('referrer-policy');
  assert.ok(rp, `${what}: no Referrer-Policy header`);
  // With several values the last one the browser knows wins.
  const last = rp.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean).at(-1);
  assert.ok(STRICT_REFERRER.includes(last), `${what}: Referrer-Policy "${rp}" is not one of ${STRICT_REFERRER.join(', ')}`);
}

async function stylesheetHref() {
  const r = await get(`${s.base}/`);
  const link = r.body.match(/<link\b[^>]*\brel="stylesheet"[^>]*>/);
  assert.ok(link, 'no <link rel="stylesheet"> on /');
  const href = link[0].match(/\bhref="([^"]+)"/)?.[1];
  assert.ok(href, `no href in ${link[0]}`);
  return href;
}

test('a page has the security headers', async () => {
  const r = await get(`${s.base}/`);
  assert.equal(r.status, 200);
  assertSecurityHeaders(r, '/');
});

test('a 404 page has the security headers', async () => {
  const r = await get(`${s.base}/no-such-page`);
  assert.equal(r.status, 404);
  assertSecurityHeaders(r, '404 /no-such-page');
});

test('a 500 page has the security headers', async () => {
  const r = await get(`${s.base}/cases/test-hostile`);
  assert.equal(r.status, 500);
  assertSecurityHeaders(r, '500 /cases/test-hostile');
});

test('a static file has the security headers and is cached for a year', async () => {
  const href = await stylesheetHref();
  const r = await get(new URL(href, s.base).href);
  assert.equal(r.status, 200, href);
  assert.match(r.headers.get('content-type') ?? '', /^text\/css/, href);
  assertSecurityHeaders(r, href);
  const cc = r.headers.get('cache-control') ?? '';
  const maxAge = Number(cc.match(/(?:^|[,\s])max-age=(\d+)/i)?.[1] ?? -1);
  assert.ok(maxAge >= 31536000, `${href}: Cache-Control "${cc}" should have max-age >= 31536000`);
});

test('the stylesheet has a fingerprinted name, so a year of caching is safe', async () => {
  const href = await stylesheetHref();
  assert.match(href, /^\/static\/[^/?#]+\.[0-9A-Za-z_-]{6,}\.css$/,
    `the stylesheet ${href} should be named by its content, like /static/site.<hash>.css`);
});

test('the pages load in a browser with nothing refused by their CSP', async () => {
  const browser = await launch();
  try {
    const context = await newContext(browser);
    const page = await context.newPage();
    const refused = watchCsp(page);
    const found = [];
    for (const p of PAGES) {
      refused.length = 0;
      await page.goto(`${s.base}${p.path}`, { waitUntil: 'load' });
      for (const m of refused) found.push(`${p.path}: ${m}`);
    }
    assert.equal(found.length, 0, `CSP violations:\n${found.join('\n')}`);
  } finally {
    await browser.close();
  }
});
