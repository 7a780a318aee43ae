// readaloud.test.mjs: 朗读 in elderly mode. The read-aloud buttons come from a static
// script (content/static/read-aloud.js) under the page's CSP: present only when
// JavaScript runs and the browser has speech synthesis, absent in normal mode and
// without JavaScript; operated by keyboard; reading the main content with
// speechSynthesis, with pause, resume and stop. The test browser has no voices, so
// each test puts a recording stand-in for speechSynthesis into the page first.
// tests: 5
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWithBrowser, stopWithBrowser, newContext, watchCsp, get, screenshot, MODE_COOKIE } from './browser.mjs';

let s, browser;
before(async () => ({ s, browser } = await startWithBrowser()));
after(() => stopWithBrowser(s, browser));

// Runs in the page before its scripts: speechSynthesis and SpeechSynthesisUtterance
// that record what they are asked to do in window.__speech.
function stubSpeech() {
  const calls = [];
  window.__speech = calls;
  window.__utterances = [];
  window.SpeechSynthesisUtterance = class {
    constructor(text) { this.text = text; this.lang = ''; this.onend = null; window.__utterances.push(this); }
  };
  const synth = {
    speak(u) { calls.push({ call: 'speak', text: u.text, lang: u.lang }); },
    pause() { calls.push({ call: 'pause' }); },
    resume() { calls.push({ call: 'resume' }); },
    cancel() { calls.push({ call: 'cancel' }); },
    getVoices() { return []; },
  };
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
}

async function elderPage({ js = true, stub = true, mode = 'elder' } = {}) {
  const context = await newContext(browser, { javaScriptEnabled: js });
  if (mode === 'elder') await context.addCookies([{ name: MODE_COOKIE, value: 'elder', url: s.base }]);
  if (stub) await context.addInitScript(stubSpeech);
  const page = await context.newPage();
  return { context, page, refused: watchCsp(page) };
}

const readButton = (page) => page.getByRole('button', { name: /朗读本页|暂停朗读|继续朗读/ });
const stopButton = (page) => page.getByRole('button', { name: '停止朗读' });
const calls = (page) => page.evaluate(() => window.__speech);

test('in elderly mode with JavaScript, the case page reads its main content aloud', async () => {
  const { context, page, refused } = await elderPage();
  try {
    await page.goto(`${s.base}/cases/2023-001`);
    const play = readButton(page);
    assert.equal(await play.count(), 1, 'one read-aloud button');
    assert.equal(await play.textContent(), '朗读本页');
    assert.ok(await play.isVisible(), 'visible');
    assert.equal(await stopButton(page).count(), 0, 'no stop button before reading');
    await screenshot(page, 'case-2023-001-elder-readaloud-1280');

    // By keyboard: focus the button, press Enter.
    await play.focus();
    await page.keyboard.press('Enter');
    const spoken = (await calls(page)).filter((c) => c.call === 'speak');
    assert.ok(spoken.length > 3, `${spoken.length} pieces spoken`);
    assert.ok(spoken.every((c) => c.lang === 'zh-CN'), 'in Chinese');
    const main = await page.evaluate(() => document.getElementById('main').innerText.replace(/\s+/g, ''));
    assert.equal(spoken.map((c) => c.text).join('').replace(/\s+/g, ''), main,
      'the pieces, joined, are the main content\'s text, in order and nothing else');
    assert.match(spoken.map((c) => c.text).join(''), /某运输公司渣土车抛洒滴漏案（示例）/);
    assert.doesNotMatch(spoken.map((c) => c.text).join(''), /主办单位|切换到标准模式/, 'neither footer nor header');
    assert.equal(await play.textContent(), '暂停朗读');

    // Pause and resume with the same button (Space this time), then stop.
    await page.keyboard.press('Space');
    assert.equal((await calls(page)).at(-1).call, 'pause');
    assert.equal(await play.textContent(), '继续朗读');
    await page.keyboard.press('Enter');
    assert.equal((await calls(page)).at(-1).call, 'resume');
    assert.equal(await play.textContent(), '暂停朗读');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), '停止朗读', 'Tab reaches stop');
    await page.keyboard.press('Enter');
    assert.equal((await calls(page)).at(-1).call, 'cancel');
    assert.equal(await play.textContent(), '朗读本页');
    assert.equal(await stopButton(page).count(), 0, 'the stop button hides again');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), '朗读本页', 'focus back on the read button');

    // Reading to the end puts the button back as well.
    await play.click();
    await page.evaluate(() => { const u = window.__utterances.at(-1); u.onend && u.onend(); });
    assert.equal(await play.textContent(), '朗读本页');
    assert.deepEqual(refused, [], 'the CSP refused nothing');
  } finally {
    await context.close();
  }
});

test('without JavaScript the page has no read-aloud button, and its HTML has no script but the static file', async () => {
  const { context, page } = await elderPage({ js: false, stub: false });
  try {
    await page.goto(`${s.base}/cases/2023-001`);
    assert.equal(await page.getByRole('button', { name: /朗读/ }).count(), 0);
    assert.ok(await page.getByRole('button', { name: /长者模式/ }).isVisible(), 'the mode switch is still there');
  } finally {
    await context.close();
  }
  const r = await get(`${s.base}/cases/2023-001`, { headers: { cookie: `${MODE_COOKIE}=elder` } });
  const scripts = [...r.body.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 1, 'one script element');
  assert.match(scripts[0][0], /^<script src="\/static\/read-aloud\.[0-9a-f]{8}\.js" defer><\/script>$/);
  assert.equal(scripts[0][1], '', 'no inline code');
  assert.doesNotMatch(r.body, /朗读本页/, 'no button in the HTML itself');
  const js = await get(`${s.base}${scripts[0][0].match(/src="([^"]+)"/)[1]}`);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type'), /^application\/javascript/);
  assert.match(js.headers.get('content-security-policy'), /script-src 'self';/);
});

test('normal mode has no read-aloud script or button', async () => {
  const { context, page } = await elderPage({ mode: 'normal' });
  try {
    await page.goto(`${s.base}/cases/2023-001`);
    assert.equal(await page.getByRole('button', { name: /朗读/ }).count(), 0);
    assert.equal(await page.locator('script').count(), 0);
  } finally {
    await context.close();
  }
});

test('a browser without speech synthesis shows no read-aloud button', async () => {
  const { context, page } = await elderPage({ stub: false });
  try {
    await context.addInitScript(() => {
      Object.defineProperty(window, 'speechSynthesis', { value: undefined, configurable: true });
    });
    await page.goto(`${s.base}/`);
    assert.equal(await page.getByRole('button', { name: /朗读/ }).count(), 0);
  } finally {
    await context.close();
  }
});

test('every page type in elderly mode gets the button, and it reads that page\'s main content', async () => {
  const { context, page } = await elderPage();
  try {
    for (const path of ['/', '/credit/penalty-repair', '/pufa/2025-guoan-day', '/about',
      '/credit/check?date=2026-03-31&procedure=general&kind=fine&fine=5000&domain=shirong&tier=&fulfilled=2026-04-10']) {
      await page.goto(`${s.base}${path}`);
      await readButton(page).click();
      const text = (await calls(page)).filter((c) => c.call === 'speak').map((c) => c.text).join('');
      const main = await page.evaluate(() => document.getElementById('main').innerText);
      assert.equal(text.replace(/\s+/g, ''), main.replace(/\s+/g, ''), `${path}: reads its main content`);
    }
  } finally {
    await context.close();
  }
});
