// day.test.mjs: a whole working day in the staff console, in Chromium, by three people
// in three browsers, without script help. The administrator adds an editor and a
// reviewer. The editor writes a case with a photo, saves, previews and submits; the
// reviewer returns it with a comment; the editor sees the comment, fixes the case and
// submits again; the reviewer approves, and the very first requests after the approval
// returns find the case on its page, in the feed and in search; the reviewer withdraws
// it, and the first requests after that find it nowhere. The administrator's audit log
// names every step under the right person, and the editor restores the first version
// as a new draft. The CSP refuses nothing along the way.
// tests: 1
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  startWithBrowser, stopWithBrowser, newContext, watchCsp, screenshot, get,
  consoleAccounts, consoleSignInPage, CONSOLE_PASSWORD, tempDir,
} from './browser.mjs';

const ID = '2026-990';
const TITLE = '某水果店门前堆放货物占用人行道案（示例）';
const NEW_PASSWORD = 'a long passphrase for the day';
let s, browser, photo;

before(async () => {
  ({ s, browser } = await startWithBrowser());
  consoleAccounts(s);	// the first administrator comes from the command line: no default password
  photo = join(tempDir('fazhi-day-'), 'IMG_0412.jpg');
  const r = spawnSync('vips', ['grey', photo, '1000', '750', '--uchar'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});
after(() => stopWithBrowser(s, browser));

// A page of a new browser context signed in as name; CSP refusals land in refused.
async function signIn(name, password, refused) {
  const context = await newContext(browser);
  const page = await consoleSignInPage(s, context, name, password);
  refused.push(watchCsp(page));
  return { context, page };
}

// Clicks a submit button and waits for the page it leads to.
async function press(page, locator) {
  await Promise.all([page.waitForNavigation(), locator.click()]);
}

// The administrator adds an account on the accounts page.
async function addAccount(page, name, display, role) {
  await page.goto(`${s.consoleBase}/console/accounts`);
  await page.fill('#name', name);
  await page.fill('#display', display);
  await page.check(`#role-${role}`);
  await page.fill('#password', NEW_PASSWORD);
  await page.fill('#again', NEW_PASSWORD);
  await page.fill('#current', CONSOLE_PASSWORD);
  await press(page, page.getByRole('button', { name: '添加账号' }));
  assert.match(await page.locator('body').innerText(), new RegExp(name));
}

// What the public site says about the case on the first requests: page, feed, search.
async function publicView() {
  const [page, feed, search] = await Promise.all([
    get(`${s.base}/cases/${ID}`),
    get(`${s.base}/feeds/all.atom`),
    get(`${s.base}/search?q=${encodeURIComponent('水果店堆放货物')}`),
  ]);
  return {
    page: page.status,
    title: page.body.includes('门前堆放货物占用人行道'),
    feed: feed.body.includes(`/cases/${ID}`),
    search: search.body.includes(`/cases/${ID}`),
  };
}

test('a day in the console: accounts, a case with a photo, return, approve, withdraw, audit, restore', async (t) => {
  const refused = [];
  const admin = await signIn('admin', CONSOLE_PASSWORD, refused);
  await addAccount(admin.page, 'zhangli', '张丽', 'editor');
  await addAccount(admin.page, 'chenhua', '陈华', 'reviewer');

  // the editor writes the case and saves it
  const ed = await signIn('zhangli', NEW_PASSWORD, refused);
  const p = ed.page;
  await p.goto(`${s.consoleBase}/console/cases/new`);
  await p.fill('#f-id', ID);
  await p.fill('#f-title', TITLE);
  await p.fill('#f-published', '2026-12-01');
  await p.selectOption('#f-domain', 'shirong');
  await p.selectOption('#f-town', 'shenjiamen');
  await p.selectOption('#f-procedure', 'simple');
  await p.fill('#f-keyword1', '堆放货物');
  await p.fill('#f-gist', '在街道两侧堆放物料须经同意，经营者不得占用人行道。');
  await p.fill('#f-facts', '执法队员巡查发现，某水果店（当事人为虚构）在店门前人行道上堆放纸箱和货架。');
  await p.fill('#f-outcome', '执法队员当场责令改正。');
  await p.fill('#f-explanation', '人行道是行人的通道，堆放货物会迫使行人走上机动车道。');
  await p.selectOption('#f-law_ref1', 'shirong-huanwei-tiaoli');
  await p.fill('#f-law_article1', '14');
  await press(p, p.locator('button[value="save"]').first());
  assert.match(await p.getByRole('status').innerText(), /已保存为第 1 版草稿/);

  // a photo with its alt text
  await press(p, p.getByRole('link', { name: '图片和附件' }));
  await p.setInputFiles('#f-file', photo);
  await p.fill('#f-alt', '水果店门前人行道上堆着纸箱');
  await press(p, p.getByRole('button', { name: '上传' }));
  assert.match(await p.getByRole('status').innerText(), /已上传/);
  await press(p, p.getByRole('link', { name: /返回编辑/ }));
  await press(p, p.locator('button[value="save"]').first());
  assert.match(await p.getByRole('status').innerText(), /第 2 版/);

  // the preview: the public page with its banner and the photo
  await press(p, p.getByRole('link', { name: '预览网站页面' }));
  assert.match(await p.locator('.preview-banner').innerText(), /预览：尚未发布/);
  assert.match(await p.locator('h1').innerText(), /门前堆放货物占用人行道/);
  assert.equal(await p.getByRole('img', { name: '水果店门前人行道上堆着纸箱' }).count(), 1);
  assert.equal((await get(`${s.base}/cases/${ID}`)).status, 404, 'not public while in preview');
  await p.goto(`${s.consoleBase}/console/cases/${ID}/edit`);
  await press(p, p.locator('button[value="submit"]').first());
  assert.match(await p.getByRole('status').innerText(), /并已提交审核/);

  // the reviewer returns it with a comment
  const rv = await signIn('chenhua', NEW_PASSWORD, refused);
  const r = rv.page;
  await r.goto(`${s.consoleBase}/console/cases/${ID}`);
  assert.equal(await r.getByRole('img', { name: '水果店门前人行道上堆着纸箱' }).count(), 1, 'the reviewer sees the photo');
  await r.fill('#comment', '请写明整改结果。');
  await press(r, r.getByRole('button', { name: '退回' }));
  assert.match(await r.getByRole('status').innerText(), /退回/);

  // the editor sees the comment, fixes the case and submits again
  await p.goto(`${s.consoleBase}/console/`);
  assert.match(await p.locator('main').innerText(), /请写明整改结果。/, 'the comment on the dashboard');
  await p.goto(`${s.consoleBase}/console/cases/${ID}/edit`);
  await p.fill('#f-outcome', '执法队员当场责令改正，当事人当即搬走货物，人行道恢复通行。');
  await press(p, p.locator('button[value="submit"]').first());
  assert.match(await p.getByRole('status').innerText(), /并已提交审核/);

  // the reviewer approves: public at once, on the page, in the feed and in search
  await r.goto(`${s.consoleBase}/console/cases/${ID}`);
  assert.match(await r.locator('main').innerText(), /当事人当即搬走货物/, 'the review shows the fix');
  await screenshot(r, 'console-day-review-1280');
  const t0 = performance.now();
  await press(r, r.getByRole('button', { name: '签发并发布' }));
  assert.match(await r.getByRole('status').innerText(), /已签发/);
  const shown = await publicView();
  t.diagnostic(`approve to public: ${Math.round(performance.now() - t0)} ms`);
  assert.deepEqual(shown, { page: 200, title: true, feed: true, search: true }, 'public on the first requests');

  // the reviewer withdraws it: gone at once
  await r.goto(`${s.consoleBase}/console/cases/${ID}`);
  await r.fill('#reason', '当事人信息需进一步核实。');
  await press(r, r.getByRole('button', { name: '撤稿' }));
  assert.match(await r.getByRole('status').innerText(), /撤/);
  const gone = await publicView();
  assert.ok(gone.page === 404 || gone.page === 410, `page answers ${gone.page}`);
  assert.deepEqual({ feed: gone.feed, search: gone.search }, { feed: false, search: false },
    'gone from the feed and search on the first requests');

  // the audit log names every step under the right person
  await admin.page.goto(`${s.consoleBase}/console/audit`);
  const rows = await admin.page.locator('table.audit tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())));
  const did = (account, label) => rows.some((c) => c[1] === account && c[3] === label &&
    (label === '添加账号' || c[4].includes(ID)));
  for (const [account, label] of [
    ['admin', '添加账号'], ['zhangli', '保存（案例）'], ['zhangli', '上传图片或附件'],
    ['zhangli', '提交审核（案例）'], ['chenhua', '退回修改（案例）'], ['chenhua', '签发发布（案例）'],
    ['chenhua', '撤稿（案例）'],
  ]) assert.ok(did(account, label), `the audit log shows ${account} ${label}:\n${rows.map((c) => c.join(' | ')).join('\n')}`);
  assert.equal(rows.filter((c) => c[1] === 'admin' && c[3] === '添加账号').length, 2);

  // the editor restores the first version as a new draft
  await p.goto(`${s.consoleBase}/console/cases/${ID}/history`);
  await press(p, p.locator('form:has(input[name="version"][value="1"]) button'));
  assert.match(await p.getByRole('status').innerText(), /恢复/);
  await p.goto(`${s.consoleBase}/console/cases/${ID}/edit`);
  assert.equal(await p.inputValue('#f-outcome'), '执法队员当场责令改正。', 'the first version\'s text is back');
  assert.equal((await get(`${s.base}/cases/${ID}`)).status >= 400, true, 'a restored draft is not public');

  for (const x of [admin, ed, rv]) await x.context.close();
  assert.deepEqual(refused.flat(), [], 'the CSP refused nothing');
});
