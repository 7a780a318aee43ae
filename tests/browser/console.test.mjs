// console.test.mjs: a staff member uses the console in Chromium with the keyboard
// alone: Tab reaches the skip link, then the sign-in form's fields in order; a wrong
// password shows the problem (checked by axe-core too), the right one leads to the
// dashboard, the sign-out button ends the session. The page's CSP refuses nothing
// along the way, and every focused element shows that it has focus.
// tests: 3
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startWithBrowser, stopWithBrowser, newContext, runAxe, formatViolations, watchCsp, screenshot,
  consoleAccounts, consoleSignInPage, CONSOLE_PASSWORD,
} from './browser.mjs';

let s, browser;
before(async () => {
  ({ s, browser } = await startWithBrowser());
  consoleAccounts(s);
});
after(() => stopWithBrowser(s, browser));

// The focused element: tag, name or text, and whether it shows focus.
async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    const cs = getComputedStyle(el);
    return {
      tag: el.tagName.toLowerCase(), name: el.getAttribute('name'), text: (el.innerText || '').trim(),
      shows: (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) ||
        (cs.boxShadow && cs.boxShadow !== 'none'),
    };
  });
}

test('sign in and out with the keyboard alone; problems are announced; the CSP refuses nothing', async () => {
  const context = await newContext(browser);
  try {
    const page = await context.newPage();
    const refused = watchCsp(page);
    await page.goto(`${s.consoleBase}/console/`);
    assert.equal(new URL(page.url()).pathname, '/console/signin', 'signed out: the sign-in page');
    const order = [];
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Tab');
      const f = await focused(page);
      order.push(f.name ?? f.text);
      assert.ok(f.shows, `focus is visible on ${f.tag} ${f.name ?? f.text}`);
      if (f.name === 'name') await page.keyboard.type('admin');
      if (f.name === 'password') await page.keyboard.type('not the password');
      if (f.tag === 'button') break;
    }
    assert.equal(order[0], '跳到正文', `tab order: ${order.join(' > ')}`);
    assert.match(order[1], /· 工作台$/, 'then the console\'s name, a link to it');
    assert.deepEqual(order.slice(2), ['name', 'password', '登录'], `tab order: ${order.join(' > ')}`);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    const alert = page.getByRole('alert');
    assert.match(await alert.innerText(), /用户名或密码不正确/);
    assert.equal(await page.inputValue('#name'), 'admin', 'the name is kept');
    const v = await runAxe(page);
    assert.equal(v.length, 0, formatViolations(v));
    await screenshot(page, 'console-signin-problem-1280');

    await page.fill('#password', CONSOLE_PASSWORD);
    await page.focus('#password');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    assert.equal(new URL(page.url()).pathname, '/console/');
    assert.match(await page.locator('h1').innerText(), /我的工作台/);
    assert.match(await page.locator('.who').innerText(), /管理员/);
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'fazhi_console');
    assert.ok(session && session.httpOnly && session.sameSite === 'Strict', JSON.stringify(cookies));

    await page.getByRole('button', { name: '退出登录' }).focus();
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    assert.equal(new URL(page.url()).pathname, '/console/signin');
    assert.match(await page.getByRole('status').innerText(), /您已退出登录/);
    await page.goto(`${s.consoleBase}/console/`);
    assert.equal(new URL(page.url()).pathname, '/console/signin', 'signed out for good');
    assert.deepEqual(refused, [], 'the CSP refused nothing');
  } finally {
    await context.close();
  }
});

const signInPage = (context, name) => consoleSignInPage(s, context, name);

test('the case editor without script: problems beside their fields (axe-core), an added row, submit, review', async () => {
  const context = await newContext(browser);
  try {
    const page = await signInPage(context, 'editor1');
    const refused = watchCsp(page);
    await page.goto(`${s.consoleBase}/console/cases/new`);
    await page.fill('#f-id', '2026-950');
    await page.fill('#f-title', '浏览器里写的案例');
    await Promise.all([page.waitForNavigation(), page.click('button[value="add-law"]')]);
    assert.equal(await page.locator('select[name^="law_ref"]').count(), 3, 'one more row, nothing saved');
    assert.equal(await page.inputValue('#f-title'), '浏览器里写的案例', 'what was typed is kept');
    await Promise.all([page.waitForNavigation(), page.click('button[value="save"]')]);
    assert.match(await page.getByRole('status').innerText(), /已保存为第 1 版草稿/);
    assert.equal(await page.locator('#f-facts').getAttribute('aria-invalid'), 'true');
    assert.match(await page.locator('#problem-facts').innerText(), /请填写“基本案情”/);
    let v = await runAxe(page);
    assert.equal(v.length, 0, formatViolations(v));
    await screenshot(page, 'console-case-problems-1280');
    await page.selectOption('#f-domain', 'shirong');
    await page.selectOption('#f-town', 'shenjiamen');
    await page.selectOption('#f-procedure', 'simple');
    await page.fill('#f-published', '2026-11-21');
    await page.fill('#f-keyword1', '测试');
    for (const f of ['gist', 'facts', 'outcome', 'explanation']) await page.fill(`#f-${f}`, `${f}：一段文字。`);
    await page.selectOption('#f-law_ref1', 'xingzheng-chufa-fa');
    await page.fill('#f-law_article1', '51');
    await Promise.all([page.waitForNavigation(), page.click('button[value="submit"]')]);
    assert.match(await page.getByRole('status').innerText(), /并已提交审核/);

    const other = await newContext(browser);	// another person, another browser
    const review = await signInPage(other, 'reviewer1');
    const refusedThere = watchCsp(review);
    await review.goto(`${s.consoleBase}/console/cases/2026-950`);
    assert.equal(await review.getByRole('button', { name: '签发并发布' }).count(), 1);
    v = await runAxe(review);
    assert.equal(v.length, 0, formatViolations(v));
    await screenshot(review, 'console-case-review-1280');
    await Promise.all([review.waitForNavigation(), review.getByRole('button', { name: '签发并发布' }).click()]);
    assert.match(await review.getByRole('status').innerText(), /已签发/);
    await other.close();
    assert.deepEqual([...refused, ...refusedThere], [], 'the CSP refused nothing');
  } finally {
    await context.close();
  }
});

test('the guide editor without script: rows moved and removed with buttons, problems beside their fields (axe-core), submit, approve', async () => {
  const context = await newContext(browser);
  try {
    const page = await signInPage(context, 'editor1');
    const refused = watchCsp(page);
    await page.goto(`${s.consoleBase}/console/guides/new`);
    await page.fill('#f-id', 'zz-liulanqi-zhinan');
    await page.fill('#f-title', '浏览器里写的指南（示例）');
    await page.fill('#f-step_title1', '第一步');
    await page.fill('#f-step_title2', '第二步');
    await Promise.all([page.waitForNavigation(), page.click('button[value="up-step-2"]')]);
    assert.equal(await page.inputValue('#f-step_title1'), '第二步', 'the second step moved up');
    assert.equal(await page.inputValue('#f-step_title2'), '第一步');
    assert.equal(await page.inputValue('#f-title'), '浏览器里写的指南（示例）', 'what was typed is kept');
    await Promise.all([page.waitForNavigation(), page.click('button[value="del-step-1"]')]);
    assert.equal(await page.inputValue('#f-step_title1'), '第一步', 'the moved step removed');
    await Promise.all([page.waitForNavigation(), page.locator('button[value="save"]').last().click()]);
    assert.match(await page.getByRole('status').innerText(), /已保存为第 1 版草稿/);
    assert.equal(await page.locator('#f-summary').getAttribute('aria-invalid'), 'true');
    assert.match(await page.locator('#problem-summary').innerText(), /请填写“摘要”/);
    let v = await runAxe(page);
    assert.equal(v.length, 0, formatViolations(v));
    await screenshot(page, 'console-guide-problems-1280');
    await page.fill('#f-published', '2026-11-22');
    await page.fill('#f-keyword1', '测试');
    await page.fill('#f-summary', '一段概述。');
    await page.fill('#f-step_body1', '这一步的说明。');
    await page.selectOption('#f-related1', 'penalty-repair');
    await Promise.all([page.waitForNavigation(), page.click('button[value="submit"]')]);
    assert.match(await page.getByRole('status').innerText(), /并已提交审核/);

    const other = await newContext(browser);
    const review = await signInPage(other, 'reviewer1');
    await review.goto(`${s.consoleBase}/console/guides/zz-liulanqi-zhinan`);
    v = await runAxe(review);
    assert.equal(v.length, 0, formatViolations(v));
    await Promise.all([review.waitForNavigation(), review.getByRole('button', { name: '签发并发布' }).click()]);
    assert.match(await review.getByRole('status').innerText(), /已签发/);
    await other.close();
    await page.goto(`${s.base}/credit/zz-liulanqi-zhinan`);
    assert.match(await page.locator('h1').innerText(), /浏览器里写的指南/);

    // a campaign saved without its place: the problem beside the event (axe-core)
    await page.goto(`${s.consoleBase}/console/pufa/new`);
    await page.fill('#f-id', 'zz-liulanqi-huodong');
    await page.selectOption('#f-kind', 'campaign');
    await page.fill('#f-title', '浏览器里写的活动（示例）');
    await page.fill('#f-published', '2026-11-23');
    await page.selectOption('#f-topic', 'xianfa');
    await page.fill('#f-keyword1', '测试');
    await page.fill('#f-summary', '一段摘要。');
    await page.fill('#f-event_start', '2027-04-01');
    await page.fill('#f-event_start_time', '09:30');
    await Promise.all([page.waitForNavigation(), page.click('button[value="submit"]')]);
    assert.match(await page.locator('#problem-event').innerText(), /place/);
    assert.equal(await page.inputValue('#f-event_start_time'), '09:30', 'the time is kept');
    v = await runAxe(page);
    assert.equal(v.length, 0, formatViolations(v));
    await screenshot(page, 'console-campaign-problems-1280');
    assert.deepEqual(refused, [], 'the CSP refused nothing');
  } finally {
    await context.close();
  }
});
