// console.mjs: how long the staff console takes, through nginx on loopback: each of
// the editors (a case, a guide, a Q&A, a campaign), the list, the history, a
// comparison, a review page and a preview, requested ROUNDS times by a signed-in
// editor (p50 and max, in ms); then, CASES times, the time from the reviewer's
// "approve" (the POST sent) to the case answering 200 on the public site, and the
// approve request alone. Run by scripts/bench-console
// (`make bench`); not a test: it prints figures and exits 0 whatever they are.
import { Client, addUser, staffSql } from '../integration/staffclient.mjs';
import { startStack, sleep } from '../integration/stack.mjs';

const ROUNDS = Number(process.env.ROUNDS || 30);
const CASES = Number(process.env.CASES || 5);
const PW = 'correct horse battery';

const kase = (n) => ({
  title: `基准测试案例 ${n}（示例）`, published: '2026-11-21', domain: 'shirong', town: 'shenjiamen',
  procedure: 'general', keyword1: '基准', gist: '一段要旨。', outcome: '责令改正。',
  facts: Array.from({ length: 12 }, (_, i) => `第${i + 1}段案情，写得和真实案例差不多长，好让页面的大小接近平常。`).join('\n\n'),
  law_ref1: 'xingzheng-chufa-fa', law_article1: '51', explanation: '以案释法的一段文字。', comment: '基准',
});

async function signedIn(s, name) {
  const c = new Client(s.consoleBase);
  const csrf = await c.csrf('/console/signin');
  const r = await c.post('/console/signin', { csrf, name, password: PW });
  if (r.status !== 303) throw new Error(`${name} could not sign in`);
  c.token = await c.csrf('/console/');
  return c;
}

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const row = (label, xs) => console.log(`${label.padEnd(28)} ${String(xs.length).padStart(6)} ` +
  `${pct(xs, 0.5).toFixed(1).padStart(9)} ${Math.max(...xs).toFixed(1).padStart(9)}`);

const s = await startStack({ workers: 2, signinRate: 'off' });
try {
  addUser(s.staffDb, 'ed', 'editor', PW);
  addUser(s.staffDb, 'rev', 'reviewer', PW);
  const ed = await signedIn(s, 'ed');
  const rev = await signedIn(s, 'rev');
  const id = '2026-990';
  await ed.post('/console/cases/new', { csrf: ed.token, id, ...kase(0), action: 'save' });
  await ed.post(`/console/cases/${id}/edit`, { csrf: ed.token, ...kase(0), title: '基准测试案例（第二稿）',
    action: 'submit' });
  const pages = [
    ['editor', `/console/cases/${id}/edit`, ed], ['list', '/console/cases', ed],
    ['history', `/console/cases/${id}/history`, ed], ['diff', `/console/cases/${id}/diff`, ed],
    ['review', `/console/cases/${id}`, rev], ['preview', `/console/cases/${id}/preview`, ed],
    ['guide editor', '/console/guides/penalty-repair/edit', ed],
    ['material editor (Q&A)', '/console/pufa/qa-laji-fenlei/edit', ed],
    ['material editor (campaign)', '/console/pufa/2026-yumin-ketang/edit', ed],
  ];
  console.log(`\nconsole pages through nginx, ${ROUNDS} requests each (ms)`);
  console.log(`${'page'.padEnd(28)} ${'n'.padStart(6)} ${'p50'.padStart(9)} ${'max'.padStart(9)}`);
  for (const [label, path, c] of pages) {
    const xs = [];
    for (let i = 0; i < ROUNDS; i++) {
      const t0 = process.hrtime.bigint();
      const r = await c.get(path);
      xs.push(ms(t0));
      if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
    }
    row(label, xs);
  }

  const toPublic = [], approve = [];
  for (let n = 1; n <= CASES; n++) {
    const cid = `2027-${String(n).padStart(3, '0')}`;
    await ed.post('/console/cases/new', { csrf: ed.token, id: cid, ...kase(n), action: 'submit' });
    const v = staffSql(s.staffDb, `SELECT current_version FROM item WHERE content_id = '${cid}'`);
    const t0 = process.hrtime.bigint();
    const r = await rev.post(`/console/cases/${cid}`, { csrf: rev.token, action: 'approve', version: v });
    approve.push(ms(t0));
    if (r.status !== 303) throw new Error(`approve ${cid}: ${r.status}`);
    for (;;) {
      const p = await fetch(`${s.base}/cases/${cid}`);
      await p.arrayBuffer();
      if (p.status === 200) break;
      if (ms(t0) > 10000) throw new Error(`${cid} not public after 10 s`);
      await sleep(5);
    }
    toPublic.push(ms(t0));
  }
  console.log(`\napprove to public, ${CASES} cases (ms)`);
  console.log(`${'step'.padEnd(28)} ${'n'.padStart(6)} ${'p50'.padStart(9)} ${'max'.padStart(9)}`);
  row('approve request', approve);
  row('approve to public 200', toPublic);
} finally {
  await s.stop();
}
