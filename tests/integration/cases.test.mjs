// cases.test.mjs: a case's whole day in the staff console, through nginx, the
// console's FastCGI application, its SQLite database and `fazhi publish`: an editor
// writes a case, saves it incomplete and sees the problems beside the fields,
// completes and submits it; a reviewer returns it with a comment; the editor fixes
// and resubmits; the editor's forged approval is refused; the reviewer approves and
// the case is public when the request returns; then withdraws it. Every step is in
// the audit log and the publishing log under the right name; script typed into
// any field comes out escaped everywhere.
// tests: 7
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, addUser as addUserTo, staffSql, signedIn as signedInAs, problemsOf } from './staffclient.mjs';
import { FAZHI, startStack, tempDir } from './stack.mjs';

const PW = 'correct horse battery';
const ID = '2026-901';
const SCRIPT = '<script>alert(1)</script>';
// The named limits of fcgi/itemform.h.
const ITEMFORM_SPARE_ROWS = 2;

let s;
before(async () => {
  s = await startStack({ workers: 1, signinRate: 'off' });
  addUser('ed', 'editor', `${SCRIPT}起草人`);
  addUser('rev', 'reviewer', '审核人');
  addUser('rev2', 'reviewer', '审核人乙');
  addUser('boss', 'admin', '管理员');
});
after(() => s?.stop());

const addUser = (name, role, display) => addUserTo(s.staffDb, name, role, PW, display);
const sql = (q) => staffSql(s.staffDb, q);
const itemStatus = (id) => sql(`SELECT status FROM item WHERE section = 'cases' AND content_id = '${id}'`);
const audit = (id) => sql(`SELECT action || ' ' || account || ' ' || coalesce(version, 0) FROM audit ` +
  `WHERE item = 'cases/${id}' ORDER BY id`).split('\n').filter(Boolean);

const signedIn = (name) => signedInAs(s.consoleBase, name, PW);

const complete = {
  title: `${SCRIPT}某餐馆油烟直排案（示例）`,
  published: '2026-11-20',
  domain: 'shirong',
  town: 'shenjiamen',
  procedure: 'general',
  decision: '舟普综执罚决字〔2026〕第901号',
  keyword1: '油烟', keyword2: '<b>餐饮</b>',
  gist: `餐饮服务单位应当安装油烟净化设施。${SCRIPT}`,
  facts: '2026年10月，执法队员接到群众投诉。\n\n当事人承认净化设施**长期未清洗**。',
  outcome: '- 责令改正\n- 罚款',
  law_ref1: 'daqi-wuran-fangzhi-fa', law_article1: '118', law_paragraph1: '1',
  explanation: '油烟直排影响邻里，请看[信用修复指南](/credit/)。',
  related1: '2023-001',
  comment: '初稿',
};

test('the editor: an incomplete draft saves, with the problems beside their fields; the check is `fazhi check`', async () => {
  const ed = await signedIn('ed');
  const csrf = await ed.csrf('/console/cases/new');
  const page = await ed.get('/console/cases/new');
  assert.match(page.body, new RegExp(`name="keyword${ITEMFORM_SPARE_ROWS}"`));
  assert.match(page.body, new RegExp(`name="law_ref${ITEMFORM_SPARE_ROWS}"`));
  assert.doesNotMatch(page.body, new RegExp(`name="law_ref${ITEMFORM_SPARE_ROWS + 1}"`));
  // the laws to choose from are the snapshot's, by kind
  assert.match(page.body, /<option value="daqi-wuran-fangzhi-fa">中华人民共和国大气污染防治法（法律）<\/option>/);
  // "add row" adds an empty row and saves nothing
  let r = await ed.post('/console/cases/new', { csrf, id: '', action: 'add-law', law_rows: String(ITEMFORM_SPARE_ROWS) });
  assert.equal(r.status, 200, 'no id yet: nothing is saved, so nothing to refuse');
  assert.equal(problemsOf(r.body, 'id'), null);
  assert.match(r.body, new RegExp(`name="law_ref${ITEMFORM_SPARE_ROWS + 1}"`));
  assert.equal(itemStatus(ID), '');
  // a title only
  r = await ed.post('/console/cases/new', { csrf, id: ID, title: '半成品', action: 'save' });
  assert.equal(r.status, 200, r.body.slice(0, 500));
  assert.match(r.body, /已保存为第 1 版草稿/);
  assert.equal(itemStatus(ID), 'draft');
  assert.match(problemsOf(r.body, 'facts'), /请填写“基本案情”/);
  assert.match(problemsOf(r.body, 'domain'), /请填写执法领域/);
  // the schema's message, shown beside the missing element's field
  assert.match(problemsOf(r.body, 'published'), /is missing &lt;published&gt;/);
  assert.equal(problemsOf(r.body, 'title'), null);
  assert.match(r.body, /aria-invalid="true"/);
  // complete but for an article number in Chinese numerals: `fazhi check`'s message
  // for that mistake, beside the legal bases
  r = await ed.post(`/console/cases/${ID}/edit`, { csrf, ...complete, law_article1: '一百一十八', action: 'save' });
  assert.equal(r.status, 200);
  assert.match(r.body, /下面标出的 \d+ 处问题/, r.body.match(/field-problems.*?<\/ul>/gs)?.join("\n"));
  const xml = sql(`SELECT xml FROM version WHERE number = 2 AND item = (SELECT id FROM item WHERE content_id = '${ID}')`);
  assert.match(xml, /<law ref="daqi-wuran-fangzhi-fa" article="一百一十八" paragraph="1"\/>/);
  // the same file checked by `fazhi check` in a copy of the content folder says the same
  const copy = join(tempDir(), 'content');
  cpSync(s.content, copy, { recursive: true });
  writeFileSync(join(copy, 'cases', `${ID}.xml`), `${xml}\n`);
  const cli = spawnSync(FAZHI, ['check', '--content', copy, join(copy, 'cases', `${ID}.xml`)], { encoding: 'utf8' });
  assert.equal(cli.status, 1);
  const said = cli.stderr.split('\n').filter((l) => /:\d+:\d+: /.test(l)).map((l) => l.replace(/^.*?:\d+:\d+: /, ''));
  const esc = (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  assert.ok(said.length > 0);
  for (const m of said) assert.ok(r.body.includes(`<li>${esc(m)}</li>`), `the console shows: ${m}`);
  // the one with a line number is beside the legal bases
  assert.match(problemsOf(r.body, 'basis'), /条号 article=&quot;一百一十八&quot; 的写法不对/);
  // submitting it is refused, but it is saved
  r = await ed.post(`/console/cases/${ID}/edit`, { csrf, title: '半成品', action: 'submit' });
  assert.equal(r.status, 422);
  assert.match(r.body, /还不能提交审核/);
  assert.equal(itemStatus(ID), 'draft');
  assert.equal(sql(`SELECT count(*) FROM version WHERE item = (SELECT id FROM item WHERE content_id = '${ID}')`), '3');
  // an id in use is refused beside the id field
  r = await ed.post('/console/cases/new', { csrf, id: '2023-001', title: '重复', action: 'save' });
  assert.equal(r.status, 422);
  assert.match(problemsOf(r.body, 'id'), /已被另一个条目使用/);
});

test('the day: submit, return with a comment, resubmit, forged approval refused, approve, public at once, withdraw', async () => {
  const ed = await signedIn('ed');
  const rev = await signedIn('rev');
  let r = await ed.post(`/console/cases/${ID}/edit`, { csrf: ed.token, ...complete, action: 'submit' });
  assert.equal(r.status, 200, problemsOf(r.body, '[a-z_]+') ?? r.body.slice(0, 800));
  assert.match(r.body, /并已提交审核/);
  assert.equal(itemStatus(ID), 'submitted');

  // the reviewer sees it waiting, and returns it
  const review = await rev.get(`/console/cases/${ID}`);
  assert.equal(review.status, 200);
  assert.match(review.body, /<dt>执法领域<\/dt><dd>市容环卫<\/dd>/, 'codes by their Chinese names');
  assert.match(review.body, /value="approve"/);
  assert.ok(!review.body.includes(SCRIPT));
  let home = await rev.get('/console/');
  assert.match(home.body, new RegExp(`等待我审核的（1）[\\s\\S]*/console/cases/${ID}"`));
  // ITEMS_MAX_COMMENT (480 bytes): 161 characters of three bytes are refused, nothing changes
  r = await rev.post(`/console/cases/${ID}`, { csrf: rev.token, action: 'return', comment: '长'.repeat(161) });
  assert.equal(r.status, 422);
  assert.equal(itemStatus(ID), 'submitted');
  r = await rev.post(`/console/cases/${ID}`, { csrf: rev.token, action: 'return', comment: `请补充整改情况${SCRIPT}` });
  assert.equal(r.status, 303);
  assert.equal(itemStatus(ID), 'draft');
  home = await ed.get('/console/');
  assert.match(home.body, /退回给我的（1）/);
  assert.match(home.body, /退回意见：请补充整改情况&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.ok(!home.body.includes(SCRIPT), 'the console escapes the comment and the names');

  // fixed and resubmitted
  r = await ed.post(`/console/cases/${ID}/edit`, { csrf: ed.token, ...complete,
    outcome: '- 责令改正\n- 罚款\n- 已整改', comment: '补充整改情况', action: 'submit' });
  assert.equal(r.status, 200);
  assert.equal(itemStatus(ID), 'submitted');
  const edit = await ed.get(`/console/cases/${ID}/edit`);
  assert.match(edit.body, /value="&lt;script&gt;alert\(1\)&lt;\/script&gt;某餐馆/);
  assert.ok(!edit.body.includes(SCRIPT));

  // the editor forges the approval: 403, nothing changes
  const file = join(s.content, 'cases', `${ID}.xml`);
  r = await ed.post(`/console/cases/${ID}`, { csrf: ed.token, action: 'approve', version: '5' });
  assert.equal(r.status, 403);
  assert.equal(itemStatus(ID), 'submitted');
  assert.ok(!existsSync(file));
  assert.equal((await fetch(`${s.base}/cases/${ID}`)).status, 404);

  // approving another version than the one read is refused
  r = await rev.post(`/console/cases/${ID}`, { csrf: rev.token, action: 'approve', version: '4' });
  assert.equal(r.status, 409);
  assert.equal(itemStatus(ID), 'submitted');
  // the reviewer approves: public when the answer comes
  r = await rev.post(`/console/cases/${ID}`, { csrf: rev.token, action: 'approve', version: '5' });
  assert.equal(r.status, 303, r.body.slice(0, 2000));
  assert.equal(itemStatus(ID), 'published');
  const page = await fetch(`${s.base}/cases/${ID}`);
  const html = await page.text();
  assert.equal(page.status, 200);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;某餐馆/);
  assert.match(html, /<strong>长期未清洗<\/strong>/);
  assert.ok(!html.includes(SCRIPT), 'the public page escapes what was typed');
  const api = await fetch(`${s.base}/api/v1/cases/${ID}`);
  assert.equal(api.status, 200);
  const apiText = await api.text();
  assert.match(api.headers.get('content-type'), /json/);
  assert.ok(JSON.stringify(JSON.parse(apiText)).includes(SCRIPT), 'the API carries the text as data');
  assert.ok(!apiText.includes('</script>'), 'with no closing script tag a browser could act on');
  const feed = await (await fetch(`${s.base}/feeds/cases.atom`)).text();
  assert.match(feed, new RegExp(`/cases/${ID}`));
  assert.ok(!feed.includes(SCRIPT));
  const search = await (await fetch(`${s.base}/search?q=${encodeURIComponent('油烟直排')}`)).text();
  assert.match(search, new RegExp(`/cases/${ID}`));
  assert.ok(!search.includes(SCRIPT));

  // the file is in content/ and passes `fazhi check`
  assert.ok(existsSync(file));
  const check = spawnSync(FAZHI, ['check', '--content', s.content, file], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
  assert.match(readFileSync(file, 'utf8'), /<case status="published">/);

  // a published case edited stays public as it was until approved
  r = await ed.post(`/console/cases/${ID}/edit`, { csrf: ed.token, ...complete, title: '改过的标题', action: 'save' });
  assert.equal(r.status, 200);
  assert.match(await (await fetch(`${s.base}/cases/${ID}`)).text(), /某餐馆油烟直排案/);
  assert.doesNotMatch(readFileSync(file, 'utf8'), /改过的标题/);

  // the reviewer withdraws it
  r = await rev.post(`/console/cases/${ID}`, { csrf: rev.token, action: 'withdraw', reason: '当事人信息需核实' });
  assert.equal(r.status, 303, r.body.slice(0, 2000));
  assert.equal(itemStatus(ID), 'withdrawn');
  assert.equal((await fetch(`${s.base}/cases/${ID}`)).status, 404);
  assert.equal((await fetch(`${s.base}/api/v1/cases/${ID}`)).status, 404);

  // every step, under the right names
  assert.deepEqual(audit(ID).map((l) => l.replace(/ \d+$/, '')), [
    'case-save ed', 'case-save ed', 'case-save ed',
    'case-save ed', 'case-submit ed',
    'case-return rev',
    'case-save ed', 'case-submit ed',
    'case-approve-refused ed',
    'case-approve-refused rev',
    'case-approve rev',
    'case-save ed',
    'case-withdraw rev',
  ]);
  assert.equal(sql(`SELECT address FROM audit WHERE action = 'case-approve'`), '127.0.0.1');
  // the audit log page names them too, with the version
  const auditPage = await rev.get('/console/audit?action=case-approve');
  assert.equal(auditPage.status, 200);
  assert.match(auditPage.body, new RegExp(`签发发布（案例）</td>\\s*<td>cases/${ID}（第 5 版）`));
  // the versions: saved, resubmitted, approved, withdrawn
  assert.deepEqual(audit(ID).filter((l) => /^case-(submit|approve|withdraw) /.test(l)),
    ['case-submit ed 4', 'case-submit ed 5', 'case-approve rev 5', 'case-withdraw rev 6']);
  const log = spawnSync(FAZHI, ['log', '--snapshot', s.snapshot], { encoding: 'utf8' });
  assert.match(log.stdout, new RegExp(`  publish  by rev  .*added:${ID}`));
  assert.match(log.stdout, new RegExp(`  withdraw  by rev  .*withdrawn:${ID}  reason: 当事人信息需核实`));
});

test('two-person rule: a reviewer cannot approve their own last edit; another can', async () => {
  const rev = await signedIn('rev');
  const rev2 = await signedIn('rev2');
  const id = '2026-902';
  let r = await rev.post('/console/cases/new', { csrf: rev.token, id, ...complete, title: '审核人自己写的案例', action: 'submit' });
  assert.equal(r.status, 200);
  assert.equal(itemStatus(id), 'submitted');
  r = await rev.get(`/console/cases/${id}`);
  assert.doesNotMatch(r.body, /value="approve"/, 'no approve button on one\'s own edit');
  r = await rev.post(`/console/cases/${id}`, { csrf: rev.token, action: 'approve', version: '1' });
  assert.equal(r.status, 403);
  assert.equal(itemStatus(id), 'submitted');
  r = await rev2.post(`/console/cases/${id}`, { csrf: rev2.token, action: 'approve', version: '1' });
  assert.equal(r.status, 303);
  assert.equal((await fetch(`${s.base}/cases/${id}`)).status, 200);
});

test('a failed publish puts the file back and leaves the live site as it was', async () => {
  const ed = await signedIn('ed');
  const rev = await signedIn('rev');
  const id = '2026-903';
  let r = await ed.post('/console/cases/new', { csrf: ed.token, id, ...complete, title: '发布会失败的案例', action: 'submit' });
  assert.equal(r.status, 200);
  // a broken file by hand elsewhere in content/ stops every publish
  const broken = join(s.content, 'cases', 'zz-broken.xml');
  writeFileSync(broken, '<case status="published"><title>坏');
  r = await rev.post(`/console/cases/${id}`, { csrf: rev.token, action: 'approve', version: '1' });
  assert.equal(r.status, 500);
  assert.match(r.body, /发布没有成功/);
  assert.ok(!existsSync(join(s.content, 'cases', `${id}.xml`)), 'the file is put back (there was none)');
  assert.equal(itemStatus(id), 'submitted');
  assert.equal((await fetch(`${s.base}/cases/${id}`)).status, 404);
  spawnSync('rm', ['-f', broken]);
});

test('a case written by hand shows in the list, and editing it starts from its file', async () => {
  const ed = await signedIn('ed');
  const title = readFileSync(join(s.content, 'cases', '2023-001.xml'), 'utf8').match(/<title>([^<]*)</)[1];
  const list = await ed.get('/console/cases');
  assert.equal(list.status, 200);
  assert.ok(list.body.includes('/console/cases/2023-001"'));
  const edit = await ed.get('/console/cases/2023-001/edit');
  assert.equal(edit.status, 200);
  assert.ok(edit.body.includes(`value="${title}"`));
  assert.match(edit.body, /<strong>|\*\*密闭装置\*\*/);
  const drafts = await ed.get('/console/cases?status=submitted');
  assert.equal(drafts.status, 200);
});

test('roles: the administrator manages accounts, not content; nobody signed out gets in', async () => {
  const boss = await signedIn('boss');
  assert.equal((await boss.get('/console/cases')).status, 403);
  assert.equal((await boss.post(`/console/cases/${ID}`, { csrf: boss.token, action: 'withdraw', reason: 'x' })).status, 403);
  const anon = new Client(s.consoleBase);
  assert.equal((await anon.get('/console/cases/new')).status, 303);
  assert.equal((await anon.post(`/console/cases/${ID}`, { action: 'approve' })).status, 403);
});

test('every check leaves its scratch copy of the content folder removed', () => {
  const left = readdirSync(tmpdir()).filter((d) => d.startsWith('fazhi-check-')).filter((d) => {
    try { return readlinkSync(join(tmpdir(), d, 'site.xml')).startsWith(s.content); } catch { return false; }
  });
  assert.deepEqual(left, []);
});
