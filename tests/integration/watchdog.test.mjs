// watchdog.test.mjs: a stuck render is stopped. Work done in C counts against the
// template's byte budget, a render past its CPU time ends, and the master kills a
// worker that has been on one request longer than SERVE_MAX_REQUEST_MS (fcgi/serve.h),
// says so in the log and replaces it; the next request is served.
// tests: 4
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import net from 'node:net';
import { startStack, get, tempDir, ROOT, workerPids, logMatch, sleep, freePort } from './stack.mjs';

// fcgi/serve.h
const SERVE_MAX_REQUEST_MS = Number(readFileSync(join(ROOT, 'fcgi', 'serve.h'), 'utf8')
  .match(/#define SERVE_MAX_REQUEST_MS\s+(\d+)/)[1]);
// fcgi/score.h: the address the log names is cut to this, NUL included
const SCORE_MAX_URI = Number(readFileSync(join(ROOT, 'fcgi', 'score.h'), 'utf8')
  .match(/#define SCORE_MAX_URI\s+(\d+)/)[1]);

let s;
before(async () => {
  // The real templates, with case.html made to run away for two cases and search.html
  // for one search.
  const templates = join(tempDir(), 'templates');
  cpSync(join(ROOT, 'lua', 'templates'), templates, { recursive: true });
  appendFileSync(join(templates, 'case.html'),
    // megabytes made in C, few VM instructions: once ran for 37 s
    '<% if ctx.id == "2023-001" then while true do local x = string.rep("ab", 524288) end end %>\n' +
    // C work that allocates nothing: comparing two long strings
    '<% if ctx.id == "2023-002" then local a, b = string.rep("a", 1048576),' +
    ' string.rep("a", 1048576) while true do if a == b then end end end %>\n');
  // The same for a search of 120 a's: an address longer than the scoreboard keeps, made of
  // parameters the search knows (any other is refused before it renders).
  appendFileSync(join(templates, 'search.html'),
    '<% if ctx.q == string.rep("a", 120) then local a, b = string.rep("a", 1048576),' +
    ' string.rep("a", 1048576) while true do if a == b then end end end %>\n');
  s = await startStack({ templates, workers: 1 });
});
after(async () => { await s.stop(); });

async function timed(url) {
  const t0 = performance.now();
  const r = await get(url);
  return { ...r, ms: Math.round(performance.now() - t0) };
}

test('a loop of string.rep ends at the byte budget: 500, logged, the next request served', async () => {
  const pids = workerPids(s.masterPid());
  const r = await timed(`${s.base}/cases/2023-001`);
  assert.equal(r.status, 500);
  assert.ok(r.ms < 3000, `ended after ${r.ms} ms`);
  console.log(`# string.rep loop ended after ${r.ms} ms`);
  assert.match(await logMatch(s, /template case: made more than its budget/),
    /template case: made more than its budget of \d+ bytes/);
  assert.equal((await get(`${s.base}/cases/2024-001`)).status, 200);
  assert.deepEqual(workerPids(s.masterPid()), pids, 'the worker stopped it itself');
});

test('C work that allocates nothing ends at the CPU limit: 500, logged', async () => {
  const r = await timed(`${s.base}/cases/2023-002`);
  assert.equal(r.status, 500);
  assert.ok(r.ms < SERVE_MAX_REQUEST_MS, `ended after ${r.ms} ms`);
  console.log(`# long-string comparison loop ended after ${r.ms} ms`);
  assert.match(await logMatch(s, /template case: used more than its CPU time/),
    /template case: used more than its CPU time/);
  assert.equal((await get(`${s.base}/cases/2024-001`)).status, 200);
});

test('a worker stuck on a request is killed after SERVE_MAX_REQUEST_MS and replaced', async () => {
  const [pid] = workerPids(s.masterPid());
  const metrics = async () => (await get(`${s.metricsBase}/metrics`)).body;
  const kills = (m) => Number(m.match(/^fazhi_worker_kills_total (\d+)$/m)[1]);
  const restarts = (m) => Number(m.match(/^fazhi_worker_restarts_total (\d+)$/m)[1]);
  const m0 = await metrics();
  // A worker stuck for good: stopped by the system in the middle of a render.
  // An address longer than the scoreboard keeps: the log names its start.
  const uri = `/search?q=${'a'.repeat(120)}&section=cases&year=2023&domain=shirong`;
  assert.ok(uri.length > SCORE_MAX_URI, 'longer than the scoreboard keeps');
  // Its user CPU time, in clock ticks (proc(5): field 14 of /proc/PID/stat).
  const utime = () => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[11]);
  const cpu0 = utime();
  const pending = timed(`${s.base}${uri}`);
  // Stopped once it is surely rendering: a tenth of a second of CPU into the request.
  for (let i = 0; i < 200 && utime() < cpu0 + 10; i++) await sleep(10);
  process.kill(pid, 'SIGSTOP');
  const r = await pending;
  assert.equal(r.status, 502, 'nginx answers the killed worker\'s request');
  assert.ok(r.ms >= SERVE_MAX_REQUEST_MS && r.ms < SERVE_MAX_REQUEST_MS + 3000,
    `ended after ${r.ms} ms`);
  console.log(`# stuck worker killed; its request ended after ${r.ms} ms`);
  const log = await logMatch(s, /watchdog: worker/);
  const line = log.split('\n').find((l) => /watchdog: worker/.test(l));
  assert.ok(line.includes(`watchdog: worker ${pid} has been on ${uri.slice(0, SCORE_MAX_URI - 1)} for `),
    line);
  assert.match(line, new RegExp(`for \\d+ ms, over ${SERVE_MAX_REQUEST_MS} ms: killed$`));
  assert.ok(Number(line.match(/for (\d+) ms/)[1]) > SERVE_MAX_REQUEST_MS);
  // Replaced, and the next request is served by the new worker.
  let now = [];
  for (let i = 0; i < 50 && (now.length !== 1 || now[0] === pid); i++) {
    await sleep(100);
    now = workerPids(s.masterPid());
  }
  assert.equal(now.length, 1);
  assert.notEqual(now[0], pid, 'a new worker');
  assert.equal((await get(`${s.base}/cases/2024-001`)).status, 200);
  const m1 = await metrics();
  assert.equal(kills(m1), kills(m0) + 1, 'the kill is counted');
  assert.equal(restarts(m1), restarts(m0) + 1, 'the restart is counted');
});

test('a FastCGI connection over TCP that never sends its request is killed too, and the site answers', async () => {
  // (On a unix socket libfcgi itself drops a connection that sends nothing for 2 s.)
  const t = await startStack({ workers: 1, listen: `127.0.0.1:${await freePort()}` });
  const port = Number(t.log().match(/listening on 127\.0\.0\.1:(\d+)/)[1]);
  const [pid] = workerPids(t.masterPid());
  // Straight to fazhi, past nginx, from an allowed address: connected, then nothing.
  const silent = net.connect({ host: '127.0.0.1', port });
  silent.on('error', () => {});
  await new Promise((r) => silent.on('connect', r));
  try {
    await sleep(100);
    // The one worker is held by it; this request waits behind it.
    const r = await timed(`${t.base}/cases/2024-001`);
    assert.equal(r.status, 200);
    assert.ok(r.ms >= SERVE_MAX_REQUEST_MS - 1000 && r.ms < SERVE_MAX_REQUEST_MS + 3000, `answered after ${r.ms} ms`);
    console.log(`# a silent connection held the worker; the next request was answered after ${r.ms} ms`);
    assert.match(await logMatch(t, /watchdog: worker/),
      new RegExp(`watchdog: worker ${pid} has been on \\(a request not yet read\\) for \\d+ ms, ` +
        `over ${SERVE_MAX_REQUEST_MS} ms: killed`));
    assert.notDeepEqual(workerPids(t.masterPid()), [pid], 'a new worker');
  } finally {
    silent.destroy();
    await t.stop();
  }
});
