// history.test.mjs: a draft's preview, history, field-by-field comparison, restore
// and reversible delete in the staff console, through nginx, the console's FastCGI
// application, its SQLite database and `fazhi build` for the preview: the preview is
// the public page (public templates) with a banner, noindex and no-store, for
// signed-in staff only and never through the public site; a comparison shows each
// changed field's removed and added lines, escaped; a restore adds a version equal
// to the old one; a delete is undone; a published case cannot be deleted; every new
// POST wants the CSRF token.
// tests: 11
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, addUser as addUserTo, staffSql, signedIn as signedInAs } from './staffclient.mjs';
import { startStack } from './stack.mjs';

const PW = 'correct horse battery';
const ID = '2026-951';
const SCRIPT = '<script>alert(1)</script>';
// The named limits of fcgi/history.h.
const HISTORY_DIFF_MAX_LINES = 400;
const HISTORY_MAX_VERSIONS = 500;
const HISTORY_MAX_FIELDS = 48;

let s;
before(async () => {
  s = await startStack({ workers: 1, signinRate: 'off' });
  addUserTo(s.staffDb, 'ed', 'editor', PW, '起草人甲');
  addUserTo(s.staffDb, 'rev', 'reviewer', PW, '审核人甲');
  addUserTo(s.staffDb, 'boss', 'admin', PW, '管理员');
});
after(() => s?.stop());

const sql = (q) => staffSql(s.staffDb, q);
const itemOf = (id) => `(SELECT id FROM item WHERE section = 'cases' AND content_id = '${id}')`;
const itemStatus = (id) => sql(`SELECT status FROM item WHERE section = 'cases' AND content_id = '${id}'`);
const versions = (id) => Number(sql(`SELECT count(*) FROM version WHERE item = ${itemOf(id)}`));
const audit = (id) => sql(`SELECT action || ' ' || account || ' ' || coalesce(version, 0) FROM audit ` +
  `WHERE item = 'cases/${id}' ORDER BY id`).split('\n').filter(Boolean);

const signedIn = (name) => signedInAs(s.consoleBase, name, PW);

const complete = {
  title: '某超市销售过期食品案（示例）',
  published: '2026-11-21',
  domain: 'shirong',
  town: 'shenjiamen',
  procedure: 'general',
  decision: '舟普综执罚决字〔2026〕第951号',
  keyword1: '过期食品',
  gist: '经营者不得销售超过保质期的食品。',
  facts: '2026年10月，执法队员检查一家超市。\n\n货架上有三袋过期面包。\n\n当事人当场下架。',
  outcome: '责令改正，罚款。',
  law_ref1: 'shipin-anquan-fa', law_article1: '124', law_paragraph1: '1',
  explanation: '过期食品可能危害健康。',
  comment: '初稿',
};

async function save(c, id, fields, action = 'save', isNew = false) {
  const path = isNew ? '/console/cases/new' : `/console/cases/${id}/edit`;
  const r = await c.post(path, { csrf: c.token, id, ...fields, action });
  assert.equal(r.status, 200, r.body.slice(0, 600));
  return r;
}

test('preview: the public page of the draft, with a banner, noindex and no-store, for staff only', async () => {
  const ed = await signedIn('ed');
  await save(ed, ID, { ...complete, title: `${SCRIPT}预览标题甲` }, 'save', true);
  const r = await ed.get(`/console/cases/${ID}/preview`);
  assert.equal(r.status, 200, r.body.slice(0, 600));
  assert.match(r.body, /<div class="preview-banner" role="status">预览：尚未发布/);
  assert.match(r.body, /<meta name="robots" content="noindex/);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  assert.match(r.headers.get('x-robots-tag'), /noindex/);
  assert.match(r.headers.get('content-security-policy'), /default-src/);
  assert.doesNotMatch(r.headers.get('content-security-policy'), /unsafe-inline/);
  // the draft's text, escaped, in the public page's own look (public layout and case page)
  assert.match(r.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;预览标题甲/);
  assert.doesNotMatch(r.body, /<script>alert/);
  assert.match(r.body, /货架上有三袋过期面包。/);
  assert.match(r.body, /<header class="top">/);
  assert.doesNotMatch(r.body, /工作台导航/, 'not the console layout');
  // its style sheet loads from the console's address
  const css = r.body.match(/<link rel="stylesheet" href="([^"]+)">/)[1];
  const sheet = await fetch(`${s.consoleBase}${css}`);
  assert.equal(sheet.status, 200);
  assert.match(sheet.headers.get('content-type'), /text\/css/);
  // not on the public site: neither the preview address nor the case itself
  assert.equal((await fetch(`${s.base}/console/cases/${ID}/preview`)).status, 404);
  assert.equal((await fetch(`${s.base}/cases/${ID}`)).status, 404);
  // nobody signed in is sent to sign in, and sees nothing of it
  const anon = await new Client(s.consoleBase).get(`/console/cases/${ID}/preview`);
  assert.equal(anon.status, 303);
  assert.match(anon.headers.get('location'), /\/console\/signin/);
  assert.doesNotMatch(anon.body, /预览标题甲/);
  // an older version, by number; one that does not exist is 404
  await save(ed, ID, { ...complete, title: '预览标题乙' });
  assert.match((await ed.get(`/console/cases/${ID}/preview`)).body, /预览标题乙/);
  const old = await ed.get(`/console/cases/${ID}/preview?version=1`);
  assert.match(old.body, /预览标题甲/);
  assert.doesNotMatch(old.body, /预览标题乙/);
  assert.equal((await ed.get(`/console/cases/${ID}/preview?version=9`)).status, 404);
  // an incomplete draft cannot be built: said so, in the console
  await save(ed, ID, { title: '半成品' });
  const bad = await ed.get(`/console/cases/${ID}/preview`);
  assert.equal(bad.status, 422);
  assert.match(bad.body, /无法生成网站页面的预览/);
  // an administrator (no content) is refused
  assert.equal((await (await signedIn('boss')).get(`/console/cases/${ID}/preview`)).status, 403);
});

test('history lists every version with who, when, comment and what happened', async () => {
  const ed = await signedIn('ed');
  const r = await ed.get(`/console/cases/${ID}/history`);
  assert.equal(r.status, 200);
  for (let n = 1; n <= versions(ID); n++) assert.match(r.body, new RegExp(`第 ${n} 版`));
  assert.match(r.body, /起草人甲（ed）/);
  assert.match(r.body, /<td>初稿<\/td>/);
  assert.match(r.body, /已保存/);
  assert.match(r.body, /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
  assert.equal((await ed.get('/console/cases/2099-999/history')).status, 404);
});

test('what changed: field by field, removed and added lines, escaped', async () => {
  const ed = await signedIn('ed');
  const id = '2026-952';
  await save(ed, id, complete, 'save', true);
  await save(ed, id, { ...complete, title: `${SCRIPT}新标题`,
    facts: '2026年10月，执法队员检查一家超市。\n\n货架上有五袋过期面包。\n\n当事人当场下架。',
    comment: '改数量' });
  const r = await ed.get(`/console/cases/${id}/diff?from=1&to=2`);
  assert.equal(r.status, 200, r.body.slice(0, 400));
  assert.match(r.body, /2 项有改动/);
  assert.match(r.body, /<h3 id="diff-title">标题<\/h3>/);
  assert.match(r.body, /<dt>原来<\/dt><dd><del>某超市销售过期食品案（示例）<\/del><\/dd>/);
  assert.match(r.body, /<dt>现在<\/dt><dd><ins>&lt;script&gt;alert\(1\)&lt;\/script&gt;新标题<\/ins><\/dd>/);
  assert.doesNotMatch(r.body, /<script>alert/);
  assert.match(r.body, /<h3 id="diff-facts">基本案情<\/h3>/);
  assert.match(r.body, /<li class="diff-del"><span class="diff-mark">删去<\/span> <del>货架上有三袋过期面包。<\/del><\/li>/);
  assert.match(r.body, /<li class="diff-add"><span class="diff-mark">加上<\/span> <ins>货架上有五袋过期面包。<\/ins><\/li>/);
  assert.match(r.body, /<li class="diff-same"><span class="diff-mark">未改<\/span> 当事人当场下架。<\/li>/);
  assert.doesNotMatch(r.body, /id="diff-gist"/, 'unchanged fields are not listed');
  // the other way round, and the defaults (the latest against the one before)
  const back = await ed.get(`/console/cases/${id}/diff?from=2&to=1`);
  assert.match(back.body, /<del>货架上有五袋过期面包。<\/del>/);
  assert.equal((await ed.get(`/console/cases/${id}/diff`)).body.match(/项有改动/g).length, 1);
  assert.equal((await ed.get(`/console/cases/${id}/diff?from=1&to=7`)).status, 404);
  assert.equal((await ed.get(`/console/cases/${id}/diff?from=x`)).status, 404);
});

test(`a field of more than HISTORY_DIFF_MAX_LINES (${HISTORY_DIFF_MAX_LINES}) lines is shown all removed and all added`, async () => {
  const ed = await signedIn('ed');
  const id = '2026-953';
  const lines = (n, changed) => Array.from({ length: n }, (_, i) => (i === changed ? `改过的第${i}段。` : `第${i}段。`)).join('\n\n');
  const diffOf = async (n) => {
    await save(ed, id, { ...complete, facts: lines(n, -1) }, 'save', versions(id) === 0 && true);
    await save(ed, id, { ...complete, facts: lines(n, 5) });
    return (await ed.get(`/console/cases/${id}/diff`)).body;
  };
  const at = await diffOf(HISTORY_DIFF_MAX_LINES);
  assert.equal(at.match(/class="diff-del"/g).length, 1);
  assert.equal(at.match(/class="diff-same"/g).length, HISTORY_DIFF_MAX_LINES - 1);
  const past = await diffOf(HISTORY_DIFF_MAX_LINES + 1);
  assert.equal(past.match(/class="diff-del"/g).length, HISTORY_DIFF_MAX_LINES + 1);
  assert.equal(past.match(/class="diff-add"/g).length, HISTORY_DIFF_MAX_LINES + 1);
  assert.equal(past.match(/class="diff-same"/g), null);
});

// Adds versions from..to of id (an item already), each XML made by xml(i) in SQL.
function addVersions(id, from, to, xml) {
  sql(`INSERT INTO version(item, number, author, time, xml, comment) WITH RECURSIVE n(i) AS ` +
    `(SELECT ${from} UNION ALL SELECT i + 1 FROM n WHERE i < ${to}) SELECT ${itemOf(id)}, i, ` +
    `(SELECT id FROM account WHERE name = 'ed'), 1780000000 + i, ${xml}, 'v' || i FROM n; ` +
    `UPDATE item SET current_version = ${to} WHERE id = ${itemOf(id)};`);
}

test(`the history lists the newest HISTORY_MAX_VERSIONS (${HISTORY_MAX_VERSIONS}) versions`, async () => {
  const ed = await signedIn('ed');
  const id = '2026-955';
  await save(ed, id, complete, 'save', true);
  addVersions(id, 2, HISTORY_MAX_VERSIONS, `'<case status="published"><title>第' || i || '稿</title></case>'`);
  let r = await ed.get(`/console/cases/${id}/history`);
  assert.equal(r.body.match(/<th scope="row">/g).length, HISTORY_MAX_VERSIONS);
  assert.match(r.body, /<th scope="row">第 1 版</);
  addVersions(id, HISTORY_MAX_VERSIONS + 1, HISTORY_MAX_VERSIONS + 1, `'<case status="published"><title>最后</title></case>'`);
  r = await ed.get(`/console/cases/${id}/history`);
  assert.equal(r.body.match(/<th scope="row">/g).length, HISTORY_MAX_VERSIONS);
  assert.match(r.body, new RegExp(`<th scope="row">第 ${HISTORY_MAX_VERSIONS + 1} 版（最新）`));
  assert.doesNotMatch(r.body, /<th scope="row">第 1 版</);
  assert.match(r.body, new RegExp(`只列出最新的 ${HISTORY_MAX_VERSIONS} 个版本`));
});

test(`a version is split into at most HISTORY_MAX_FIELDS (${HISTORY_MAX_FIELDS}) fields`, async () => {
  const ed = await signedIn('ed');
  const id = '2026-956';
  await save(ed, id, complete, 'save', true);
  const doc = (tag, extra) => `'<case status="published">${Array.from({ length: extra }, (_, i) =>
    `<f${i}>${tag}${i}</f${i}>`).join('')}</case>'`;
  addVersions(id, 2, 2, doc('旧', HISTORY_MAX_FIELDS));
  addVersions(id, 3, 3, doc('新', HISTORY_MAX_FIELDS));
  assert.match((await ed.get(`/console/cases/${id}/diff`)).body, new RegExp(`${HISTORY_MAX_FIELDS} 项有改动`));
  addVersions(id, 4, 4, doc('旧', HISTORY_MAX_FIELDS + 2));
  addVersions(id, 5, 5, doc('新', HISTORY_MAX_FIELDS + 2));
  const r = await ed.get(`/console/cases/${id}/diff`);
  assert.match(r.body, new RegExp(`${HISTORY_MAX_FIELDS} 项有改动`));
  assert.doesNotMatch(r.body, new RegExp(`id="diff-f${HISTORY_MAX_FIELDS}"`));
});

test('restore: an old version becomes a new draft version equal to it, audited; CSRF required', async () => {
  const ed = await signedIn('ed');
  const id = '2026-952';
  const before = versions(id);
  // without the token, or with another, nothing happens
  for (const csrf of [undefined, 'f'.repeat(64)]) {
    const f = { action: 'restore', version: '1' };
    if (csrf) f.csrf = csrf;
    assert.equal((await ed.post(`/console/cases/${id}/history`, f)).status, 403);
  }
  assert.equal(versions(id), before);
  const r = await ed.post(`/console/cases/${id}/history`, { csrf: ed.token, action: 'restore', version: '1' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/console/cases/${id}/history?done=restored`);
  assert.equal(versions(id), before + 1);
  const n = before + 1;
  assert.equal(sql(`SELECT (SELECT xml FROM version WHERE item = ${itemOf(id)} AND number = 1) = ` +
    `(SELECT xml FROM version WHERE item = ${itemOf(id)} AND number = ${n})`), '1');
  assert.equal(sql(`SELECT a.name FROM version v JOIN account a ON a.id = v.author WHERE v.item = ${itemOf(id)} AND v.number = ${n}`), 'ed');
  assert.equal(itemStatus(id), 'draft');
  assert.equal(audit(id).at(-1), `case-restore ed ${n}`);
  const page = await ed.get(`/console/cases/${id}/history?done=restored`);
  assert.match(page.body, /已恢复/);
  assert.match(page.body, /由旧版本恢复/);
  assert.match((await ed.get(`/console/cases/${id}/diff?from=1&to=${n}`)).body, /两个版本的各项内容完全相同/);
  // a version that does not exist
  assert.equal((await ed.post(`/console/cases/${id}/history`, { csrf: ed.token, action: 'restore', version: '99' })).status, 404);
  assert.equal(versions(id), n);
});

test('delete is reversible: the draft leaves the list, shows under 已删除, and comes back; CSRF required', async () => {
  const ed = await signedIn('ed');
  const id = '2026-952';
  const before = versions(id);
  for (const action of ['delete', 'undelete']) {
    assert.equal((await ed.post(`/console/cases/${id}/history`, { action })).status, 403);
    assert.equal((await ed.post(`/console/cases/${id}/history`, { csrf: '0'.repeat(64), action })).status, 403);
  }
  assert.equal(itemStatus(id), 'draft');
  let r = await ed.post(`/console/cases/${id}/history`, { csrf: ed.token, action: 'delete' });
  assert.equal(r.status, 303);
  assert.equal(itemStatus(id), 'deleted');
  assert.equal(versions(id), before, 'no version removed');
  assert.equal(audit(id).at(-1), `case-delete ed ${before}`);
  assert.doesNotMatch((await ed.get('/console/cases')).body, new RegExp(`>${id}<`));
  assert.match((await ed.get('/console/cases?status=deleted')).body, new RegExp(`<td>${id}</td>`));
  assert.match((await ed.get('/console/cases?status=deleted')).body, /aria-current="page">已删除</);
  // a deleted draft is not edited, restored or deleted again until it is undeleted
  assert.match((await ed.get(`/console/cases/${id}/edit`)).body, /这篇草稿已删除，不能保存/);
  r = await ed.post(`/console/cases/${id}/edit`, { csrf: ed.token, ...complete, action: 'save' });
  assert.equal(r.status, 409);
  assert.equal(versions(id), before);
  assert.equal((await ed.post(`/console/cases/${id}/history`, { csrf: ed.token, action: 'restore', version: '1' })).status, 409);
  assert.match((await ed.get(`/console/cases/${id}/history`)).body, /value="undelete"/);
  r = await ed.post(`/console/cases/${id}/history`, { csrf: ed.token, action: 'undelete' });
  assert.equal(r.status, 303);
  assert.equal(itemStatus(id), 'draft');
  assert.equal(audit(id).at(-1), `case-undelete ed ${before}`);
  assert.match((await ed.get('/console/cases')).body, new RegExp(`<td>${id}</td>`));
  assert.equal((await ed.post(`/console/cases/${id}/history`, { csrf: ed.token, action: 'undelete' })).status, 409);
  // the audit log names the steps in Chinese
  const boss = await signedIn('boss');
  const log = await boss.get('/console/audit');
  assert.match(log.body, /删除草稿/);
  assert.match(log.body, /恢复已删除的草稿/);
  assert.match(log.body, /恢复旧版本/);
});

test('a published case cannot be deleted; the review page shows what changed against the public version', async () => {
  const ed = await signedIn('ed');
  const rev = await signedIn('rev');
  const id = '2026-954';
  await save(ed, id, complete, 'submit', true);
  let review = await rev.get(`/console/cases/${id}`);
  assert.match(review.body, /新稿件：第 1 版的全部内容/);
  let r = await rev.post(`/console/cases/${id}`, { csrf: rev.token, action: 'approve', version: '1' });
  assert.equal(r.status, 303, r.body.slice(0, 400));
  assert.equal((await fetch(`${s.base}/cases/${id}`)).status, 200);
  r = await ed.post(`/console/cases/${id}/history`, { csrf: ed.token, action: 'delete' });
  assert.equal(r.status, 409);
  assert.match(r.body, /已发布的稿件不能删除：请先撤稿/);
  assert.equal(itemStatus(id), 'published');
  assert.equal(audit(id).at(-1), 'case-delete-refused ed 0');
  // a correction: the reviewer sees the field that changed against the public version
  await save(ed, id, { ...complete, outcome: `责令改正，罚款二千元。${SCRIPT}` }, 'submit');
  review = await rev.get(`/console/cases/${id}`);
  assert.match(review.body, /修改之处：第 1 版（网站上公开的版本）到第 2 版/);
  assert.match(review.body, /<h3 id="diff-outcome">处理结果<\/h3>/);
  assert.match(review.body, /<ins>责令改正，罚款二千元。&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/ins>/);
  assert.match(review.body, /其余 \d+ 项没有改动/);
  // submitted then returned: the next review compares with the version submitted before
  r = await rev.post(`/console/cases/${id}`, { csrf: rev.token, action: 'return', comment: '金额写错' });
  assert.equal(r.status, 303);
  r = await ed.post(`/console/cases/${id}/history`, { csrf: ed.token, action: 'delete' });
  assert.equal(r.status, 409, 'still public: a draft of a public case is not deleted');
});

test('returned and resubmitted: the review shows what changed since the version submitted before', async () => {
  const ed = await signedIn('ed');
  const rev = await signedIn('rev');
  const id = '2026-957';
  await save(ed, id, complete, 'submit', true);
  let r = await rev.post(`/console/cases/${id}`, { csrf: rev.token, action: 'return', comment: '请补充' });
  assert.equal(r.status, 303);
  await save(ed, id, { ...complete, gist: '经营者不得销售超过保质期的食品，也不得销售变质食品。' });
  await save(ed, id, { ...complete, gist: '经营者不得销售超过保质期的食品，也不得销售变质食品。', keyword2: '变质' }, 'submit');
  r = await rev.get(`/console/cases/${id}`);
  assert.match(r.body, /修改之处：第 1 版（上次提交审核的版本）到第 3 版/);
  assert.match(r.body, /<h3 id="diff-gist">要旨<\/h3>/);
  assert.match(r.body, /<h3 id="diff-keywords">关键词<\/h3>/);
  assert.match(r.body, /<li class="diff-add"><span class="diff-mark">加上<\/span> <ins>变质<\/ins><\/li>/);
  assert.match(r.body, /<li class="diff-same"><span class="diff-mark">未改<\/span> 过期食品<\/li>/);
  // the history tells the story of each version
  const h = await ed.get(`/console/cases/${id}/history`);
  assert.match(h.body, /已退回修改：请补充/);
  assert.match(h.body, /已提交审核/);
});

test('no scratch copy of the content folder or scratch snapshot is left behind', () => {
  const left = readdirSync(tmpdir()).filter((d) => d.startsWith('fazhi-preview-')).filter((d) => {
    if (d.endsWith('.db')) return true;
    try { return readlinkSync(join(tmpdir(), d, 'site.xml')).startsWith(s.content); } catch { return false; }
  });
  assert.deepEqual(left, []);
});
