// browser.mjs: what the browser tests share -- Debian's Chromium driven by
// playwright-core, axe-core run inside a page, screenshots, the pages to visit,
// and the elderly-mode switch. The stack itself comes from the integration tests'
// stack.mjs (fazhi build + scripts/run on a free loopback port).
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { ROOT, startStack } from '../integration/stack.mjs';

export { startStack, get, tempDir, ROOT } from '../integration/stack.mjs';

const require = createRequire(import.meta.url);

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// java's arguments for the Nu HTML Checker, errors only, as JSON; no perf-data
// file in /tmp.
export const NU_JAVA = ['-XX:-UsePerfData', '-jar', require.resolve('vnu-jar/build/dist/vnu.jar'),
  '--errors-only', '--format', 'json'];
export const OUT = resolve(process.env.TEST_OUT || join(ROOT, 'build', 'test-output'));
export const SCREENSHOTS = join(OUT, 'screenshots');
export const WIDTHS = [375, 1280];
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// One of each kind of page. name: used in file names; path: what a visitor asks for;
// status: what the server must answer.
export const PAGES = [
  { name: 'home', path: '/', status: 200 },
  { name: 'cases', path: '/cases/', status: 200 },
  { name: 'case-2023-001', path: '/cases/2023-001', status: 200 },
  { name: 'cases-domain-shirong', path: '/cases/?domain=shirong', status: 200 },
  { name: 'pufa', path: '/pufa/', status: 200 },
  { name: 'pufa-2025-guoan-day', path: '/pufa/2025-guoan-day', status: 200 },	// content/pufa, kind="campaign"
  { name: 'credit', path: '/credit/', status: 200 },
  { name: 'credit-penalty-repair', path: '/credit/penalty-repair', status: 200 },	// content/guides
  { name: 'credit-check', path: '/credit/check', status: 200 },
  { name: 'credit-check-answer', status: 200,	// Order 58, fulfilled: the full answer
    path: '/credit/check?date=2026-03-31&procedure=general&kind=fine&kind=confiscate-gains&fine=5000&domain=shirong&tier=&fulfilled=2026-04-10' },
  { name: 'credit-check-never', status: 200,	// market regulation: never repaired early
    path: '/credit/check?date=2025-03-31&procedure=general&kind=fine&kind=suspension&fine=50000&domain=shichang&tier=serious' },
  { name: 'credit-check-inferred', status: 200,	// Order 36, no tier: serious inferred from the kind
    path: '/credit/check?date=2026-05-29&party=organisation&procedure=general&kind=licence-revoked&domain=jianshe&tier=' },
  { name: 'credit-check-transition', status: 200,	// Order 58 periods, applied for under Order 36
    path: '/credit/check?date=2025-03-10&procedure=general&kind=fine&fine=5%2C000&domain=xiaofang&tier=general&fulfilled=2025-04-01' },
  { name: 'credit-check-not-published', status: 200,	// Order 58, warning only
    path: '/credit/check?date=2025-01-20&procedure=general&kind=warning&domain=shirong&tier=' },
  { name: 'credit-check-samr-unknown', status: 200,	// market regulation: no date, who decides
    path: '/credit/check?date=2024-08-31&procedure=general&kind=fine&fine=%EF%BC%92%EF%BC%90%EF%BC%90%EF%BC%90%EF%BC%90&domain=shichang&tier=' },
  { name: 'credit-check-tier-needed', status: 400,	// Order 36, a fine, no tier: asked
    path: '/credit/check?date=2026-05-29&procedure=general&kind=fine&fine=30000&domain=jianshe&tier=' },
  { name: 'credit-check-party-limit', status: 400,	// a person's summary fine over 200 yuan
    path: '/credit/check?date=2025-03-10&party=person&procedure=simple&kind=fine&fine=300&domain=shirong&tier=' },
  { name: 'credit-check-errors', status: 400,	// an error beside each field
    path: '/credit/check?date=2026-02-30&procedure=simple&kind=licence-revoked&fine=-1&domain=&tier=huge&fulfilled=x' },
  { name: 'credit-lookup', path: '/credit/lookup', status: 200 },
  { name: 'credit-lookup-found', path: '/credit/lookup?q=9133090381B621CLXP', status: 200 },
  { name: 'credit-lookup-none', path: '/credit/lookup?q=%E7%AC%AC13%E5%8F%B7', status: 404 },	// 第13号: partial
  { name: 'about', path: '/about', status: 200 },
  { name: 'search', path: '/search?q=%E5%BB%BA%E7%AD%91', status: 200 },	// 建筑
  { name: 'search-empty', path: '/search?q=%E6%97%A0%E6%AD%A4%E5%86%85%E5%AE%B9', status: 200 },
  // 鲲鹏展翅九万里: nothing at all; the popular searches, no facets
  { name: 'search-nothing', path: '/search?q=%E9%B2%B2%E9%B9%8F%E5%B1%95%E7%BF%85%E4%B9%9D%E4%B8%87%E9%87%8C', status: 200 },
  // 工地半夜还在干活能投诉吗: a question, expanded, partial matches
  { name: 'search-question', path: '/search?q=%E5%B7%A5%E5%9C%B0%E5%8D%8A%E5%A4%9C%E8%BF%98%E5%9C%A8%E5%B9%B2%E6%B4%BB%E8%83%BD%E6%8A%95%E8%AF%89%E5%90%97&page=1', status: 200 },
  // The legal basis a reader can read: the laws by kind, one law with its articles and
  // the cases applying each, a case quoting its articles (one folded), an article searched.
  { name: 'laws', path: '/laws/', status: 200 },
  { name: 'law-xiaofang-fa', path: '/laws/xiaofang-fa', status: 200 },
  { name: 'case-2025-007', path: '/cases/2025-007', status: 200 },
  // 消防法第二十八条
  { name: 'search-article', path: '/search?q=%E6%B6%88%E9%98%B2%E6%B3%95%E7%AC%AC%E4%BA%8C%E5%8D%81%E5%85%AB%E6%9D%A1', status: 200 },
  { name: '404', path: '/no-such-page', status: 404 },
];

// The switch in the header: a GET form to /mode, a submit button name="set"
// value="elder" (value="normal" switches back), whose accessible name contains this.
export const MODE_SWITCH_NAME = /长者模式/;
export const MODE_COOKIE = 'fazhi_mode';
export const ELDER_CLASS = 'mode-elder';

// The real stack and a browser for a test file: started in its before hook,
// stopped in its after hook (stopWithBrowser), whichever of them started.
export async function startWithBrowser() {
  const s = await startStack({ signinRate: 'off' });	// the console's pages sign in often
  return { s, browser: await launch() };
}

export async function stopWithBrowser(s, browser) {
  await browser?.close();
  await s?.stop();
}

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// A fresh context per test. No bypassCSP: axe goes in through page.evaluate, which
// the page's CSP does not govern, so the pages are seen with the CSP they send.
export async function newContext(browser, opts = {}) {
  return browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', ...opts });
}

// Collects what the page's CSP refused (Chromium reports each on the console).
export function watchCsp(page) {
  const refused = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) refused.push(m.text());
  });
  return refused;
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// Runs axe-core on the page as it stands (the context needs JavaScript enabled);
// returns its violations.
export async function runAxe(page, tags = AXE_TAGS) {
  await page.evaluate(axeSource);
  if (!(await page.evaluate(() => typeof window.axe === 'object' && typeof window.axe.run === 'function')))
    throw new Error(`axe-core did not load into ${page.url()}`);
  const result = await page.evaluate((values) => window.axe.run(document, {
    runOnly: { type: 'tag', values },
    resultTypes: ['violations'],
  }), tags);
  return result.violations;
}

// Violations as lines a person can act on: rule, impact, what is wrong, and each
// element (its selector, its HTML, and axe's summary of the fix).
export function formatViolations(violations, where = '') {
  const lines = [];
  for (const v of violations) {
    lines.push(`${where}[${v.id}] (${v.impact}) ${v.help} -- ${v.helpUrl}`);
    for (const n of v.nodes) {
      lines.push(`    ${n.target.join(' ')}: ${n.html.replace(/\s+/g, ' ').slice(0, 200)}`);
      if (n.failureSummary) lines.push(`      ${n.failureSummary.replace(/\s*\n\s*/g, ' | ')}`);
    }
  }
  return lines.join('\n');
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export async function htmlClasses(page) {
  return page.evaluate(() => [...document.documentElement.classList]);
}

export async function modeCookie(context) {
  return (await context.cookies()).find((c) => c.name === MODE_COOKIE);
}

// The switch's button for mode ('elder' or 'normal') on the current page; fails the
// test with a plain message when the page has none.
export async function modeButton(page, mode) {
  const byName = page.getByRole('button', { name: MODE_SWITCH_NAME });
  const button = byName.and(page.locator(`[name="set"][value="${mode}"]`));
  const n = await button.count();
  if (n === 1) return button;
  const names = await byName.count();
  throw new Error(`no elderly-mode switch to "${mode}" on ${page.url()}: expected one submit button ` +
    `name="set" value="${mode}" whose accessible name contains 长者模式 (in a GET form to /mode); ` +
    `found ${n} such buttons and ${names} buttons named like ${MODE_SWITCH_NAME}`);
}

// Clicks the switch to mode and waits for the page it leads to.
export async function switchMode(page, mode) {
  const button = await modeButton(page, mode);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
}

// The staff console's pages (`fazhi console`, on the stack's console port). as: who
// is signed in to see it (an account consoleAccounts makes), or null.
export const CONSOLE_PAGES = [
  { name: 'console-signin', path: '/console/signin', status: 200, as: null },
  { name: 'console-signin-expired', path: '/console/signin?expired=1', status: 200, as: null },
  { name: 'console-home', path: '/console/', status: 200, as: 'admin' },
  { name: 'console-home-editor', path: '/console/?done=password', status: 200, as: 'editor1' },
  { name: 'console-password', path: '/console/password', status: 200, as: 'editor1' },
  { name: 'console-accounts', path: '/console/accounts', status: 200, as: 'admin' },
  { name: 'console-account', path: '/console/accounts/editor1', status: 200, as: 'admin' },
  { name: 'console-account-disabled', path: '/console/accounts/gone', status: 200, as: 'admin' },
  { name: 'console-audit', path: '/console/audit', status: 200, as: 'admin' },
  { name: 'console-audit-editor', path: '/console/audit?action=signin', status: 200, as: 'editor1' },
  { name: 'console-cases', path: '/console/cases', status: 200, as: 'editor1' },
  { name: 'console-cases-filtered', path: '/console/cases?status=published', status: 200, as: 'reviewer1' },
  { name: 'console-case-new', path: '/console/cases/new', status: 200, as: 'editor1' },
  { name: 'console-case-edit', path: '/console/cases/2023-001/edit', status: 200, as: 'editor1' },
  { name: 'console-case-review', path: '/console/cases/2023-001', status: 200, as: 'reviewer1' },
  { name: 'console-guides', path: '/console/guides', status: 200, as: 'editor1' },
  { name: 'console-guide-new', path: '/console/guides/new', status: 200, as: 'editor1' },
  { name: 'console-guide-edit', path: '/console/guides/penalty-repair/edit', status: 200, as: 'editor1' },
  { name: 'console-guide-review', path: '/console/guides/penalty-repair', status: 200, as: 'reviewer1' },
  { name: 'console-pufa', path: '/console/pufa', status: 200, as: 'editor1' },
  { name: 'console-material-new', path: '/console/pufa/new', status: 200, as: 'editor1' },
  { name: 'console-qa-edit', path: '/console/pufa/qa-laji-fenlei/edit', status: 200, as: 'editor1' },
  { name: 'console-campaign-edit', path: '/console/pufa/2026-yumin-ketang/edit', status: 200, as: 'editor1' },
  { name: 'console-campaign-review', path: '/console/pufa/2026-yumin-ketang', status: 200, as: 'reviewer1' },
  { name: 'console-home-reviewer', path: '/console/', status: 200, as: 'reviewer1' },
  // consoleItems' cases: versions, what changed, a preview, a deleted draft
  { name: 'console-case-history', path: '/console/cases/2026-960/history?done=restored', status: 200, as: 'editor1' },
  { name: 'console-case-diff', path: '/console/cases/2026-960/diff?from=1&to=2', status: 200, as: 'editor1' },
  { name: 'console-case-review-diff', path: '/console/cases/2026-960', status: 200, as: 'reviewer1' },
  { name: 'console-case-preview', path: '/console/cases/2026-960/preview', status: 200, as: 'editor1' },
  { name: 'console-cases-deleted', path: '/console/cases?status=deleted', status: 200, as: 'editor1' },
  { name: 'console-case-history-deleted', path: '/console/cases/2026-961/history', status: 200, as: 'editor1' },
  { name: 'console-403', path: '/console/accounts', status: 403, as: 'editor1' },
  { name: 'console-404', path: '/console/no-such-page', status: 404, as: 'admin' },
];
export const CONSOLE_PASSWORD = 'correct horse battery';

// Makes the accounts CONSOLE_PAGES sign in as (with `fazhi user`), one disabled.
export function consoleAccounts(s) {
  const add = (name, role, display) => {
    const r = spawnSync(join(ROOT, 'build', 'fazhi'), ['user', 'add', name, '--role', role, '--display', display,
      '--password-stdin', '--staff-db', s.staffDb], { input: `${CONSOLE_PASSWORD}\n`, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`fazhi user add ${name}: ${r.stderr}`);
  };
  add('admin', 'admin', '管理员');
  add('editor1', 'editor', '王编辑');
  add('reviewer1', 'reviewer', '李审核');
  add('gone', 'reviewer', '已离职');
  spawnSync(join(ROOT, 'build', 'fazhi'), ['user', 'disable', 'gone', '--staff-db', s.staffDb]);
}

// Signs name in through the sign-in form, as a browser would; returns the value of
// the session cookie (fazhi_console).
// A new page of context signed in as name through the console's sign-in form.
export async function consoleSignInPage(s, context, name, password = CONSOLE_PASSWORD) {
  const page = await context.newPage();
  await page.goto(`${s.consoleBase}/console/signin`);
  await page.fill('#name', name);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
  if (new URL(page.url()).pathname !== '/console/') throw new Error(`${name} could not sign in: ${page.url()}`);
  return page;
}

export async function consoleSignIn(s, name) {
  const form = await fetch(`${s.consoleBase}/console/signin`);
  const jar = form.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = (await form.text()).match(/name="csrf" value="([0-9a-f]+)"/)[1];
  const r = await fetch(`${s.consoleBase}/console/signin`, { method: 'POST', redirect: 'manual',
    headers: { cookie: jar, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf, name, password: CONSOLE_PASSWORD }).toString() });
  const session = r.headers.getSetCookie().find((c) => c.startsWith('fazhi_console='));
  if (r.status !== 303 || !session) throw new Error(`${name} could not sign in: ${r.status}`);
  return session.split(';')[0].split('=')[1];
}

// Writes the cases CONSOLE_PAGES show as editor1, through the console: 2026-960 in
// two versions, then submitted (a history, a comparison, a review and a preview);
// 2026-961 saved and deleted.
export async function consoleItems(s) {
  const cookie = `fazhi_console=${await consoleSignIn(s, 'editor1')}`;
  const home = await (await fetch(`${s.consoleBase}/console/`, { headers: { cookie } })).text();
  const csrf = home.match(/name="csrf" value="([0-9a-f]+)"/)[1];
  const post = async (path, fields) => {
    const r = await fetch(`${s.consoleBase}${path}`, { method: 'POST', redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf, ...fields }).toString() });
    await r.text();
    if (r.status !== 200 && r.status !== 303) throw new Error(`POST ${path}: ${r.status}`);
  };
  const kase = {
    title: '某商店销售过期食品案（示例）', published: '2026-11-21', domain: 'shirong', town: 'shenjiamen',
    procedure: 'general', keyword1: '过期食品', gist: '经营者不得销售超过保质期的食品。',
    facts: '执法队员检查一家商店。\n\n货架上有三袋过期面包。', outcome: '责令改正。',
    law_ref1: 'shipin-anquan-fa', law_article1: '124', law_paragraph1: '1', explanation: '过期食品可能危害健康。', comment: '初稿',
  };
  await post('/console/cases/new', { id: '2026-960', ...kase, action: 'save' });
  await post('/console/cases/2026-960/edit', { ...kase, title: '某商店销售过期食品案（示例，<b>改</b>）',
    facts: '执法队员检查一家商店。\n\n货架上有五袋过期面包。', comment: '改数量', action: 'submit' });
  await post('/console/cases/new', { id: '2026-961', title: '要删除的草稿', action: 'save' });
  await post('/console/cases/2026-961/history', { action: 'delete' });
}
