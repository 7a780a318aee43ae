// api.test.mjs: the JSON API v1 contract: one envelope, the pages' filters and
// paging, every item, errors as JSON with a machine code and the right status, the
// parameter at fault in error.field; the credit calculator and look-up in the same
// envelope, with the same errors.
// tests: 10
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, get } from './stack.mjs';

const JSON_TYPE = 'application/json; charset=utf-8';
const API_MAX_PER_PAGE = 50;		// fcgi/api.h
const PAGE_PER_PAGE = 10;		// fcgi/req.h (REQ_PER_PAGE)

let s;
before(async () => { s = await startStack(); });
after(async () => { await s.stop(); });

async function api(path, init) {
  const r = await get(`${s.base}${path}`, init);
  assert.equal(r.headers.get('content-type'), JSON_TYPE, path);
  return { status: r.status, headers: r.headers, json: JSON.parse(r.body) };
}

// An error answer: the status, and {"error": {"code", "message"}} alone.
async function apiError(path, status, code, init) {
  const r = await api(path, init);
  assert.equal(r.status, status, path);
  assert.deepEqual(Object.keys(r.json), ['error'], path);
  assert.equal(r.json.error.code, code, path);
  assert.match(r.json.error.message, /[\u4e00-\u9fff]/, 'a message in Chinese');
  return r;
}

// An error about one parameter: apiError, and that parameter as error.field.
async function fieldError(path, status, code, field, init) {
  const r = await apiError(path, status, code, init);
  assert.deepEqual(Object.keys(r.json.error).sort(), ['code', 'field', 'message'], path);
  assert.equal(r.json.error.field, field, path);
  return r;
}

function assertList(j, page, perPage) {
  assert.deepEqual(Object.keys(j).sort(), ['data', 'links', 'meta']);
  assert.ok(Array.isArray(j.data));
  for (const k of ['page', 'per_page', 'total', 'pages']) assert.equal(typeof j.meta[k], 'number', k);
  assert.equal(j.meta.page, page);
  assert.equal(j.meta.per_page, perPage);
  assert.equal(j.meta.pages, Math.ceil(j.meta.total / perPage));
  assert.equal(typeof j.meta.filters, 'object');
  assert.equal(typeof j.links.self, 'string');
}

test('/api/v1/cases: the envelope, newest first, the same paging as the page', async () => {
  const { status, json: j } = await api('/api/v1/cases');
  assert.equal(status, 200);
  assertList(j, 1, PAGE_PER_PAGE);
  assert.equal(j.data.length, PAGE_PER_PAGE);
  const c = j.data[0];
  for (const k of ['id', 'title', 'published', 'summary', 'procedure', 'domain_code', 'domain', 'town_code', 'town', 'url', 'api'])
    assert.ok(k in c, k);
  assert.equal(c.url, `https://zfj.putuo.example.gov.cn/cases/${c.id}`);
  assert.equal(c.api, `/api/v1/cases/${c.id}`);
  const dates = j.data.map((x) => x.published);
  assert.deepEqual(dates, [...dates].sort().reverse());
  assert.equal(j.links.self, '/api/v1/cases');
  assert.equal(j.links.next, '/api/v1/cases?page=2');
  assert.ok(!('prev' in j.links));
  // The page shows the same cases in the same order.
  const html = (await get(`${s.base}/cases/`)).body;
  const ids = [...html.matchAll(/<h3><a href="\/cases\/([^"]+)"/g)].map((m) => m[1]);
  assert.equal(ids.length, PAGE_PER_PAGE);
  assert.deepEqual(j.data.map((x) => x.id), ids);
});

test('paging: every page in turn, per_page up to API_MAX_PER_PAGE', async () => {
  const first = (await api('/api/v1/cases')).json;
  const seen = [];
  for (let p = 1; p <= first.meta.pages; p++) {
    const j = (await api(`/api/v1/cases?page=${p}`)).json;
    assertList(j, p, PAGE_PER_PAGE);
    if (p > 1) assert.equal(j.links.prev, p === 2 ? '/api/v1/cases' : `/api/v1/cases?page=${p - 1}`);
    seen.push(...j.data.map((x) => x.id));
  }
  assert.equal(seen.length, first.meta.total);
  assert.equal(new Set(seen).size, seen.length);
  const big = (await api(`/api/v1/cases?per_page=${API_MAX_PER_PAGE}`)).json;
  assertList(big, 1, API_MAX_PER_PAGE);
  assert.equal(big.data.length, Math.min(API_MAX_PER_PAGE, big.meta.total));
  assert.deepEqual(big.data.map((x) => x.id), seen.slice(0, big.data.length));
  await apiError(`/api/v1/cases?per_page=${API_MAX_PER_PAGE + 1}`, 400, 'bad_per_page');
  await apiError('/api/v1/cases?per_page=0', 400, 'bad_per_page');
  await apiError(`/api/v1/cases?page=${first.meta.pages + 1}`, 404, 'page_not_found');
  for (const bad of ['0', '-1', 'x', '1.5', '10001', '99999999999'])
    await apiError(`/api/v1/cases?page=${bad}`, 400, 'bad_page');
});

test('filters: the pages\' filters, echoed in meta, kept in links', async () => {
  const j = (await api('/api/v1/cases?domain=shirong&procedure=simple&per_page=2')).json;
  assertList(j, 1, 2);
  assert.deepEqual(j.meta.filters, { domain: 'shirong', procedure: 'simple' });
  assert.ok(j.data.length > 0);
  for (const c of j.data) { assert.equal(c.domain_code, 'shirong'); assert.equal(c.procedure, 'simple'); }
  if (j.meta.pages > 1) assert.equal(j.links.next, '/api/v1/cases?domain=shirong&procedure=simple&page=2&per_page=2');
  const y = (await api('/api/v1/cases?year=2024&town=donggang')).json;
  for (const c of y.data) { assert.match(c.published, /^2024-/); assert.equal(c.town_code, 'donggang'); }
  const none = (await api('/api/v1/cases?year=1999')).json;
  assert.equal(none.meta.total, 0);
  assert.deepEqual(none.data, [], 'an empty list is an empty array');
  const m = (await api('/api/v1/pufa?kind=qa')).json;
  assert.ok(m.data.length > 0);
  for (const x of m.data) { assert.equal(x.kind, 'qa'); assert.match(x.url, /\/pufa\//); }
  const t = (await api('/api/v1/pufa?topic=shirong-huanjing')).json;
  for (const x of t.data) assert.equal(x.topic_code, 'shirong-huanjing');
  const g = (await api('/api/v1/credit')).json;
  assertList(g, 1, PAGE_PER_PAGE);
  assert.ok(g.data.some((x) => x.id === 'penalty-repair'));
  assert.ok(g.data.every((x) => x.url.includes('/credit/')));
});

test('filter errors: malformed, unknown codes, unknown parameters', async () => {
  await apiError('/api/v1/cases?domain=no-such-domain', 400, 'unknown_filter_value');
  await apiError('/api/v1/cases?town=nowhere', 400, 'unknown_filter_value');
  await apiError('/api/v1/pufa?topic=nothing', 400, 'unknown_filter_value');
  await apiError('/api/v1/cases?domain=Bad%20Code', 400, 'bad_filter');
  await apiError('/api/v1/cases?year=20x4', 400, 'bad_filter');
  await apiError('/api/v1/cases?procedure=summary', 400, 'bad_filter');
  await apiError('/api/v1/pufa?kind=video', 400, 'bad_filter');
  await apiError('/api/v1/cases?colour=red', 400, 'unknown_parameter');
  await apiError('/api/v1/credit?domain=shirong', 400, 'unknown_parameter');
  // Each names the parameter at fault.
  await fieldError('/api/v1/cases?year=20x4', 400, 'bad_filter', 'year');
  await fieldError('/api/v1/pufa?topic=nothing', 400, 'unknown_filter_value', 'topic');
  await fieldError('/api/v1/cases?page=1&colour=red', 400, 'unknown_parameter', 'colour');
  await fieldError('/api/v1/cases?page=0', 400, 'bad_page', 'page');
  await fieldError('/api/v1/cases?per_page=51', 400, 'bad_per_page', 'per_page');
  await fieldError('/api/v1/cases?page=9999', 404, 'page_not_found', 'page');
  await fieldError('/api/v1/cases/2023-001?colour=red', 400, 'unknown_parameter', 'colour');
  const noField = await apiError('/api/v1/cases/no-such-case', 404, 'not_found');
  assert.deepEqual(Object.keys(noField.json.error).sort(), ['code', 'message']);
});

const CHECK = '/api/v1/credit/check?date=2026-03-31&procedure=general&kind=fine&fine=5000&domain=shirong';
const LOOKUP = '/api/v1/credit/lookup?q=9133090381B621CLXP';

test('the credit calculator and look-up answer in the one envelope, written the same way', async () => {
  const list = await get(`${s.base}/api/v1/cases?per_page=1`);
  for (const path of [CHECK, LOOKUP]) {
    const r = await get(`${s.base}${path}`);
    assert.equal(r.status, 200, path);
    assert.equal(r.headers.get('content-type'), JSON_TYPE, path);
    const j = JSON.parse(r.body);
    assert.deepEqual(Object.keys(j).sort(), ['data', 'meta'], path);
    assert.equal(j.meta.today.length, 10, 'meta.today');
    assert.equal(r.body.at(-1), list.body.at(-1), 'framed like a list: no trailing text');
    assert.ok(r.headers.get('etag'), 'validators like every 200');
  }
  const check = JSON.parse((await get(`${s.base}${CHECK}`)).body);
  assert.equal(check.data.regime_id, 'ndrc-order-58');
  assert.deepEqual(Object.keys(check.meta), ['today']);
  const lookup = JSON.parse((await get(`${s.base}${LOOKUP}`)).body);
  assert.ok(Array.isArray(lookup.data));
  assert.deepEqual(Object.keys(lookup.meta).sort(), ['by', 'q', 'today']);
});

test('the credit endpoints: field errors, unknown parameters, methods and Accept as elsewhere', async () => {
  await fieldError(CHECK.replace('2026-03-31', '2099-01-01'), 400, 'future', 'date');
  await fieldError(CHECK.replace('fine=5000', 'fine=-5'), 400, 'negative', 'fine');
  await fieldError(`${CHECK}&colour=red`, 400, 'unknown_parameter', 'colour');
  await fieldError('/api/v1/credit/check?date=2026-03-31&page=2', 400, 'unknown_parameter', 'page');
  await fieldError('/api/v1/credit/lookup', 400, 'missing', 'q');
  await fieldError('/api/v1/credit/lookup?q=9133090381B621CLXO', 400, 'invalid_code', 'q');
  await fieldError(`${LOOKUP}&page=2`, 400, 'unknown_parameter', 'page');
  await fieldError('/api/v1/credit/lookup?q=%E7%AC%AC13%E5%8F%B7', 404, 'not_found', 'q');
  const other = await apiError('/api/v1/cases', 405, 'method_not_allowed', { method: 'POST' });
  for (const path of [CHECK, LOOKUP]) {
    const r = await apiError(path, 405, 'method_not_allowed', { method: 'POST' });
    assert.equal(r.headers.get('allow'), 'GET, HEAD');
    assert.deepEqual(r.json, other.json, 'the same answer as every endpoint');
    await apiError(path, 406, 'not_acceptable', { headers: { accept: 'text/html' } });
  }
});

test('items: a case, a material and a guide in full', async () => {
  const c = await api('/api/v1/cases/2023-001');
  assert.equal(c.status, 200);
  assert.deepEqual(Object.keys(c.json).sort(), ['data', 'meta']);
  const d = c.json.data;
  assert.equal(d.id, '2023-001');
  assert.equal(d.title, '某运输公司渣土车抛洒滴漏案（示例）');
  assert.equal(d.domain_code, 'shirong');
  assert.ok(!('status' in d) && !('publish_at' in d), 'no publishing internals');
  assert.deepEqual(d.sections.map((x) => x.key).slice(0, 4), ['gist', 'facts', 'outcome', 'explanation']);
  assert.match(d.sections[0].html, /^<p>/);
  assert.ok(d.keywords.every((k) => typeof k === 'string') && d.keywords.length > 0);
  assert.ok(d.basis.some((b) => b.law === '《城市市容和环境卫生管理条例》' &&
    b.article === '第三十四条第一款第六项' && b.law_id === 'shirong-huanwei-tiaoli'));
  assert.deepEqual(d.steps, [], 'parts a case has none of are empty arrays');
  assert.ok(Array.isArray(d.related));
  const m = (await api('/api/v1/pufa/qa-laji-fenlei')).json.data;
  assert.equal(m.kind, 'qa');
  assert.ok(m.faqs.length > 0 && m.faqs[0].q && m.faqs[0].a);
  for (const r of m.related) assert.equal(r.api, `/api/v1/${{ case: 'cases', material: 'pufa', guide: 'credit' }[r.kind]}/${r.id}`);
  const g = (await api('/api/v1/credit/penalty-repair')).json.data;
  assert.ok(g.steps.length > 0 && g.steps[0].title);
  assert.ok(g.documents.length > 0);
});

test('unknown items and paths are JSON 404s, not the HTML page', async () => {
  await apiError('/api/v1/cases/no-such-case', 404, 'not_found');
  await apiError('/api/v1/pufa/2023-001', 404, 'not_found');	// a case is not a material
  await apiError('/api/v1/cases/Bad_Id', 404, 'not_found');
  for (const p of ['/api/v1/nothing', '/api/v2/cases', '/api/', '/api', '/api/v1/cases/2023-001/extra', '/api/v1/casesx'])
    await apiError(p, 404, 'not_found');
});

test('methods, Accept and malformed requests answer in JSON too', async () => {
  for (const method of ['POST', 'PUT', 'DELETE']) {
    const r = await apiError('/api/v1/cases', 405, 'method_not_allowed', { method });
    assert.equal(r.headers.get('allow'), 'GET, HEAD');
  }
  await apiError('/api/v1/cases', 406, 'not_acceptable', { headers: { accept: 'text/html' } });
  for (const accept of ['application/json', 'application/*', '*/*', 'text/html, application/json;q=0.9'])
    assert.equal((await api('/api/v1/cases', { headers: { accept } })).status, 200, accept);
  await apiError('/api/v1/cases?page=%ZZ', 400, 'bad_request');
  await apiError(`/api/v1/cases?x=${'a'.repeat(5000)}`, 414, 'uri_too_long');
  // HTML pages keep their HTML errors.
  const r = await get(`${s.base}/cases/`, { method: 'POST' });
  assert.equal(r.status, 405);
  assert.match(r.headers.get('content-type'), /^text\/html/);
});

test('JSON is UTF-8, not escaped to \\u sequences, and says no Vary: Cookie', async () => {
  const r = await get(`${s.base}/api/v1/cases/2023-001`);
  assert.match(r.body, /某运输公司/);
  assert.equal(r.headers.get('vary')?.includes('Cookie') ?? false, false);
});
