// editors.test.mjs: guides and 普法 materials (a Q&A and a campaign) edited in the
// staff console's forms, through nginx, the console's FastCGI application, its
// SQLite database and `fazhi publish`, as cases are: saved incomplete with the
// problems beside their fields, submit refused until complete, returned with a
// comment, fixed and resubmitted, approved by another person and public when the
// answer comes. Repeated parts are added, moved and removed without script, keeping
// what was typed; code tables and related items are choices; script typed into
// every field comes out escaped in the console, on the public pages and in the feeds
// (the API carries it as data).
// tests: 4
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addUser as addUserTo, staffSql, signedIn as signedInAs, problemsOf } from './staffclient.mjs';
import { FAZHI, startStack } from './stack.mjs';

const PW = 'correct horse battery';
const SCRIPT = '<script>alert(1)</script>';
const ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;';
// The named limit of fcgi/itemform.h.
const ITEMFORM_MAX_ID = 64;

let s;
before(async () => {
  s = await startStack({ workers: 1, signinRate: 'off' });
  addUserTo(s.staffDb, 'ed', 'editor', PW, '起草人');
  addUserTo(s.staffDb, 'rev', 'reviewer', PW, '审核人');
});
after(() => s?.stop());

const sql = (q) => staffSql(s.staffDb, q);
const itemOf = (section, id) => sql(`SELECT status || ' ' || current_version FROM item WHERE section = '${section}' AND content_id = '${id}'`);
const versions = (section, id) => Number(sql(`SELECT count(*) FROM version WHERE item = ` +
  `(SELECT id FROM item WHERE section = '${section}' AND content_id = '${id}')`));
const audit = (section, id) => sql(`SELECT action || ' ' || account FROM audit WHERE item = '${section}/${id}' ORDER BY id`)
  .split('\n').filter(Boolean);

const signedIn = (name) => signedInAs(s.consoleBase, name, PW);

const allProblems = (body) => (body.match(/<ul class="field-problems".*?<\/ul>/gs) ?? []).join('\n');

// Every field of a guide, script in each that takes text.
const guide = {
  title: `${SCRIPT}测试用信用修复指南（示例）`,
  published: '2026-11-20',
  keyword1: '信用修复', keyword2: '<b>测试</b>',
  summary: `概述第一段${SCRIPT}\n\n第二段，**要点**。`,
  applies: `适用范围${SCRIPT}`,
  step_title1: `准备材料${SCRIPT}`, step_body1: `按清单准备。${SCRIPT}`,
  step_title2: '提交申请', step_body2: '- 线上提交\n- 线下提交',
  doc1: `申请书${SCRIPT}`, doc2: '承诺书',
  where: `区政务服务中心（示例）${SCRIPT}`,
  faq_q1: `多久办结？${SCRIPT}`, faq_a1: `以公布的规定为准。${SCRIPT}`,
  law_title1: '《中华人民共和国行政处罚法》', law_article1: `第一条${SCRIPT}`,
  related1: 'penalty-repair',
  comment: `初稿${SCRIPT}`,
};

// A law-popularisation Q&A and a campaign.
const qa = {
  kind: 'qa',
  title: `${SCRIPT}测试用问答（示例）`,
  published: '2026-11-18',
  topic: 'shirong-huanjing',
  keyword1: '测试问答',
  summary: `问答摘要${SCRIPT}`,
  body: `正文${SCRIPT}`,
  qa_q1: `第一个问题${SCRIPT}`, qa_a1: `第一个回答${SCRIPT}`,
  qa_q2: '第二个问题', qa_a2: '第二个回答',
  law_title1: '《浙江省生活垃圾管理条例》',
  related1: 'qa-laji-fenlei',
};
const campaign = {
  kind: 'campaign',
  title: `${SCRIPT}测试用宣传活动（示例）`,
  published: '2026-11-19',
  topic: 'xianfa',
  keyword1: '测试活动',
  summary: `活动摘要${SCRIPT}`,
  event_start: '2027-03-01', event_start_time: '09:30', event_end: '2027-03-02',
  event_place: `文化广场（示例）${SCRIPT}`,
};

// One item's day: incomplete submit refused, complete submit, return, resubmit,
// approve; the public page shows it. Returns the public page's HTML.
async function day(section, id, fields, publicPath, incomplete) {
  const ed = await signedIn('ed');
  const rev = await signedIn('rev');
  let r = await ed.post(`/console/${section}/new`, { csrf: ed.token, id, ...incomplete, action: 'submit' });
  assert.equal(r.status, 422, 'an incomplete item is not submitted');
  assert.match(r.body, /还不能提交审核/);
  assert.equal(itemOf(section, id), 'draft 1', 'but it is saved');
  r = await ed.post(`/console/${section}/${id}/edit`, { csrf: ed.token, ...fields, action: 'submit' });
  assert.equal(r.status, 200, allProblems(r.body) || r.body.slice(0, 800));
  assert.match(r.body, /并已提交审核/);
  assert.ok(!r.body.includes(SCRIPT), 'the editor escapes what was typed');
  assert.equal(itemOf(section, id), 'submitted 2');

  const review = await rev.get(`/console/${section}/${id}`);
  assert.equal(review.status, 200);
  assert.match(review.body, /value="approve"/);
  assert.ok(!review.body.includes(SCRIPT), 'the review page escapes what was typed');
  assert.ok(review.body.includes(ESCAPED));
  const home = await rev.get('/console/');
  assert.match(home.body, new RegExp(`等待我审核的（\\d+）[\\s\\S]*/console/${section}/${id}"`));
  r = await rev.post(`/console/${section}/${id}`, { csrf: rev.token, action: 'return', comment: '请再核对' });
  assert.equal(r.status, 303);
  assert.match((await ed.get('/console/')).body, new RegExp(`/console/${section}/${id}/edit"[^<]*</a>（[^）]*${id}）<br>退回意见：请再核对`));
  r = await ed.post(`/console/${section}/${id}/edit`, { csrf: ed.token, ...fields, comment: '已核对', action: 'submit' });
  assert.equal(r.status, 200);
  assert.equal(itemOf(section, id), 'submitted 3');
  assert.equal((await ed.post(`/console/${section}/${id}`, { csrf: ed.token, action: 'approve', version: '3' })).status, 403,
    'an editor cannot approve');
  r = await rev.post(`/console/${section}/${id}`, { csrf: rev.token, action: 'approve', version: '3' });
  assert.equal(r.status, 303, r.body.slice(0, 2000));
  assert.equal(itemOf(section, id), 'published 3');
  const file = join(s.content, section, `${id}.xml`);
  assert.ok(existsSync(file));
  const check = spawnSync(FAZHI, ['check', '--content', s.content, file], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
  const page = await fetch(`${s.base}${publicPath}`);
  const html = await page.text();
  assert.equal(page.status, 200);
  assert.ok(!html.includes(SCRIPT), 'the public page escapes what was typed');
  assert.ok(html.includes(ESCAPED));
  // the API carries the text as data, the feed escapes it
  const pub = section === 'guides' ? 'credit' : 'pufa';
  const api = await fetch(`${s.base}/api/v1/${pub}/${id}`);
  const apiText = await api.text();
  assert.equal(api.status, 200);
  assert.ok(JSON.stringify(JSON.parse(apiText)).includes(SCRIPT), 'the API carries the text as data');
  assert.ok(!apiText.includes('</script>'));
  const feed = await (await fetch(`${s.base}/feeds/${pub}.atom`)).text();
  assert.ok(feed.includes(`/${pub}/${id}`));
  assert.ok(!feed.includes(SCRIPT));
  const kind = section === 'guides' ? 'guide' : 'material';
  assert.deepEqual(audit(section, id), [
    `${kind}-save ed`, `${kind}-save ed`, `${kind}-submit ed`, `${kind}-return rev`,
    `${kind}-save ed`, `${kind}-submit ed`, `${kind}-approve-refused ed`, `${kind}-approve rev`]);
  return { html, xml: readFileSync(file, 'utf8') };
}

test('a guide: every field in the form, problems beside them, the whole review, public at once', async () => {
  const ed = await signedIn('ed');
  const page = await ed.get('/console/guides/new');
  assert.equal(page.status, 200);
  for (const name of ['title', 'published', 'updated', 'keyword1', 'summary', 'applies', 'step_title1', 'step_body1',
    'doc1', 'where', 'faq_q1', 'faq_a1', 'law_ref1', 'law_article1', 'law_paragraph1', 'law_item1', 'law_title1',
    'related1', 'publish_at'])
    assert.match(page.body, new RegExp(`name="${name}"`), `the form has ${name}`);
  assert.match(page.body, /<input id="f-published" name="published" type="date"/, 'dates are dates');
  // related items are picked from the live site's items, by their titles
  const title = readFileSync(join(s.content, 'guides', 'penalty-repair.xml'), 'utf8').match(/<title>([^<]*)</)[1];
  assert.match(page.body, new RegExp(`<select id="f-related1" name="related1">[\\s\\S]*<option value="penalty-repair">[^<]*${title.replace(/[()（）]/g, '.')}`));

  const id = 'zz-bianji-zhinan';
  const r = await ed.post('/console/guides/new', { csrf: ed.token, id: `${id}-cao`, title: '只有标题', action: 'save' });
  assert.equal(r.status, 200);
  assert.match(problemsOf(r.body, 'summary'), /请填写“摘要”/);
  assert.match(problemsOf(r.body, 'keywords'), /请至少填写一个关键词/);
  assert.match(problemsOf(r.body, 'published'), /请填写发布日期/);
  assert.match(problemsOf(r.body, 'published'), /is missing &lt;published&gt;/, '`fazhi check`\'s own message');
  assert.equal(problemsOf(r.body, 'title'), null);

  const { html, xml } = await day('guides', id, guide, `/credit/${id}`, { title: '只有标题' });
  assert.match(xml, /<steps>\s*<step>\s*<title>准备材料&lt;script&gt;/);
  assert.match(xml, /<faq>\s*<q>多久办结？/);
  assert.match(xml, /<related>\s*<ref id="penalty-repair"\/>/);
  assert.match(html, /准备材料&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(html, /<strong>要点<\/strong>/, 'the allowed inline markup');
  // the pages about one item serve every kind: preview, history, comparison
  const preview = await ed.get(`/console/guides/${id}/preview?version=2`);
  assert.equal(preview.status, 200);
  assert.match(preview.body, /<div class="preview-banner" role="status">预览/);
  assert.ok(!preview.body.includes(SCRIPT));
  const history = await ed.get(`/console/guides/${id}/history`);
  assert.equal(history.status, 200);
  assert.match(history.body, /第 3 版/);
  const diff = await ed.get(`/console/guides/${id}/diff?from=1&to=3`);
  assert.equal(diff.status, 200);
  assert.match(diff.body, /<h3 id="diff-steps">办理步骤<\/h3>/);
  assert.ok(!diff.body.includes(SCRIPT));
  assert.match(html, /申请书&lt;script&gt;/);
  assert.match(html, /多久办结？&lt;script&gt;/);
  assert.ok(html.indexOf('准备材料') < html.indexOf('提交申请'), 'the steps in their order');
});

test('a Q&A and a campaign: the whole review, public at once, the campaign among the upcoming ones', async () => {
  const ed = await signedIn('ed');
  const page = await ed.get('/console/pufa/new');
  assert.equal(page.status, 200);
  assert.match(page.body, /<option value="xianfa">宪法<\/option>/, 'topics by their Chinese names');
  assert.match(page.body, /<option value="campaign">活动<\/option>/, 'kinds by their Chinese names');
  assert.match(page.body, /name="event_start" type="date"/);

  const incomplete = { title: '只有标题的资料' };
  let r = await ed.post('/console/pufa/new', { csrf: ed.token, id: 'zz-kong', ...incomplete, action: 'submit' });
  assert.equal(r.status, 422);
  assert.match(problemsOf(r.body, 'kind'), /请选择类型/);
  assert.match(problemsOf(r.body, 'topic'), /请选择主题/);
  assert.match(problemsOf(r.body, 'summary'), /请填写“摘要”/);
  // an event without its place: the schema's message, beside the event
  r = await ed.post('/console/pufa/zz-kong/edit', { csrf: ed.token, ...campaign, event_place: '', action: 'submit' });
  assert.equal(r.status, 422);
  assert.match(problemsOf(r.body, 'event'), /place/, allProblems(r.body));

  const q = await day('pufa', 'zz-bianji-wenda', qa, '/pufa/zz-bianji-wenda', incomplete);
  assert.match(q.xml, /<material status="published" kind="qa">/);
  assert.match(q.html, /第一个问题&lt;script&gt;/);
  assert.ok(q.html.indexOf('第一个问题') < q.html.indexOf('第二个问题'));
  // withdrawn by a reviewer: off the public site when the answer comes
  const rev = await signedIn('rev');
  r = await rev.post('/console/pufa/zz-bianji-wenda', { csrf: rev.token, action: 'withdraw', reason: '内容需更新' });
  assert.equal(r.status, 303);
  assert.equal(itemOf('pufa', 'zz-bianji-wenda'), 'withdrawn 3');
  assert.equal((await fetch(`${s.base}/pufa/zz-bianji-wenda`)).status, 404);
  assert.equal(audit('pufa', 'zz-bianji-wenda').at(-1), 'material-withdraw rev');
  const c = await day('pufa', 'zz-bianji-huodong', campaign, '/pufa/zz-bianji-huodong', incomplete);
  assert.match(c.xml, /<event>\s*<start>2027-03-01T09:30:00<\/start>\s*<end>2027-03-02<\/end>\s*<place>文化广场/);
  assert.match(c.html, /文化广场（示例）&lt;script&gt;/);
  const list = await (await fetch(`${s.base}/pufa/`)).text();
  assert.ok(list.includes('/pufa/zz-bianji-huodong'));
  assert.ok(!list.includes(SCRIPT));
  // the edit form reads the time back apart from the date
  const edit = await ed.get('/console/pufa/zz-bianji-huodong/edit');
  assert.match(edit.body, /name="event_start_time" type="time" value="09:30"/);
  assert.match(edit.body, /<option value="campaign" selected>活动<\/option>/);
});

test('repeated parts: added, moved up and down, removed without script; what was typed is kept, nothing saved', async () => {
  const ed = await signedIn('ed');
  const id = 'zz-paixu';
  const typed = { id, title: '排序用的指南', step_title1: '第一步', step_title2: '第二步', step_title3: '第三步',
    step_body3: '第三步的说明', step_rows: '3', faq_q1: '问一', faq_q2: '问二', faq_rows: '2' };
  const order = (body, a, b) => body.indexOf(`value="${a}"`) < body.indexOf(`value="${b}"`) &&
    body.indexOf(`value="${a}"`) > 0;
  let r = await ed.post('/console/guides/new', { csrf: ed.token, ...typed, action: 'up-step-3' });
  assert.equal(r.status, 200);
  assert.ok(order(r.body, '第三步', '第二步') && order(r.body, '第一步', '第三步'), 'step 3 moved up');
  assert.match(r.body, /<textarea id="f-step_body2" name="step_body2"[^>]*>第三步的说明<\/textarea>/, 'with its own text');
  assert.match(r.body, /value="排序用的指南"/, 'what was typed is kept');
  r = await ed.post('/console/guides/new', { csrf: ed.token, ...typed, action: 'down-step-1' });
  assert.ok(order(r.body, '第二步', '第一步') && order(r.body, '第一步', '第三步'), 'step 1 moved down');
  r = await ed.post('/console/guides/new', { csrf: ed.token, ...typed, action: 'del-faq-1' });
  assert.ok(!r.body.includes('value="问一"') && r.body.includes('value="问二"'), 'question 1 removed');
  assert.match(r.body, /name="faq_q1"[^>]*value="问二"/);
  r = await ed.post('/console/guides/new', { csrf: ed.token, ...typed, action: 'add-doc', doc_rows: '2' });
  assert.match(r.body, /name="doc3"/, 'one more row of documents');
  assert.doesNotMatch(r.body, /name="doc4"/);
  assert.match(r.body, /value="up-step-2"/);
  assert.doesNotMatch(r.body, /value="up-step-1"/, 'the first row has no "move up"');
  assert.equal(sql(`SELECT count(*) FROM item WHERE content_id = '${id}'`), '0', 'nothing was saved');
  // saved in the new order
  r = await ed.post('/console/guides/new', { csrf: ed.token, ...typed, action: 'save' });
  assert.equal(r.status, 200);
  const xml = sql(`SELECT xml FROM version WHERE item = (SELECT id FROM item WHERE content_id = '${id}')`);
  assert.ok(xml.indexOf('第一步') < xml.indexOf('第二步') && xml.indexOf('第二步') < xml.indexOf('第三步'));
  r = await ed.post(`/console/guides/${id}/edit`, { csrf: ed.token, ...typed, action: 'up-step-3' });
  r = await ed.post(`/console/guides/${id}/edit`, { csrf: ed.token, ...typed, step_title2: '第三步', step_body2: '第三步的说明',
    step_title3: '第二步', step_body3: '', action: 'save' });
  const xml2 = sql(`SELECT xml FROM version WHERE number = 2 AND item = (SELECT id FROM item WHERE content_id = '${id}')`);
  assert.ok(xml2.indexOf('第三步') < xml2.indexOf('第二步'), 'the moved order is what is saved');
  assert.equal(versions('guides', id), 2);
});

test('the lists and the dashboard show every kind; the ids are one namespace', async () => {
  const ed = await signedIn('ed');
  for (const [section, label, file] of [['guides', '信用修复指南', 'penalty-repair'], ['pufa', '普法资料', 'qa-laji-fenlei']]) {
    const list = await ed.get(`/console/${section}`);
    assert.equal(list.status, 200);
    assert.match(list.body, new RegExp(`<h1>${label}</h1>`));
    assert.ok(list.body.includes(`/console/${section}/${file}"`), 'a file written by hand is listed');
    const edit = await ed.get(`/console/${section}/${file}/edit`);
    assert.equal(edit.status, 200, 'and opens in the editor');
  }
  const home = await ed.get('/console/');
  assert.match(home.body, /\/console\/guides\/new/);
  assert.match(home.body, /\/console\/pufa\/new/);
  let r = await ed.post('/console/pufa/new', { csrf: ed.token, id: 'penalty-repair', title: '重复编号', action: 'save' });
  assert.equal(r.status, 422);
  assert.match(problemsOf(r.body, 'id'), /已被另一个条目使用/);
  // ITEMFORM_MAX_ID: the longest id, and one character more
  r = await ed.post('/console/pufa/new', { csrf: ed.token, id: 'a'.repeat(ITEMFORM_MAX_ID + 1), title: '过长', action: 'save' });
  assert.equal(r.status, 422);
  assert.match(problemsOf(r.body, 'id'), /编号只能由/);
  r = await ed.post('/console/pufa/new', { csrf: ed.token, id: 'a'.repeat(ITEMFORM_MAX_ID), title: '最长', action: 'save' });
  assert.equal(r.status, 200);
  assert.equal((await ed.get(`/console/pufa/${'a'.repeat(ITEMFORM_MAX_ID)}/edit`)).status, 200);
  assert.equal((await ed.get('/console/nothing')).status, 404);
  assert.equal((await ed.get('/console/guides/penalty-repair/other')).status, 404);
  assert.equal((await ed.get('/console/guides/penalty-repair/')).status, 404);
  assert.equal((await ed.post('/console/guides/penalty-repair/edit/x', { csrf: ed.token })).status, 404);
});
