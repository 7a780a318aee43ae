// stack.mjs: starts the real stack for a test -- `fazhi build`, then scripts/run
// (fazhi serve + nginx) on a free loopback port in a private run folder -- and
// stops it again. Tests talk to it over HTTP like any client.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FAZHI = join(ROOT, 'build', 'fazhi');

// A fresh folder under TMPDIR (build/tmp when scripts/test runs the file),
// removed when the test process exits, whether the test passed or not.
const temps = new Set();
process.on('exit', () => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});
export function tempDir(prefix = 'fazhi-test-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.add(dir);
  return dir;
}

// A copy of the shipped content plus the test cases in tests/content/cases.
export function testContent(dir = tempDir()) {
  const content = join(dir, 'content');
  cpSync(join(ROOT, 'content'), content, { recursive: true });
  const extra = join(ROOT, 'tests', 'content', 'cases');
  for (const f of readdirSync(extra)) cpSync(join(extra, f), join(content, 'cases', f));
  return content;
}

// Runs `fazhi build`; returns { status, stdout, stderr }.
export function build(content, output) {
  const r = spawnSync(FAZHI, ['build', '--content', content, '--output', output], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Fetches without following redirects; returns { status, headers, body }.
export async function get(url, init = {}) {
  const res = await fetch(url, { redirect: 'manual', ...init });
  const body = await res.text();
  return { status: res.status, headers: res.headers, body };
}

// The pids of the master's workers.
export function workerPids(masterPid) {
  const r = spawnSync('pgrep', ['-P', String(masterPid)], { encoding: 'utf8' });
  return r.stdout.split('\n').filter(Boolean).map(Number);
}

// Starts scripts/run; resolves once /healthz answers 200.
// The staff console (`fazhi console`) starts beside it on its own free port
// (stack.consoleBase), with a fresh staff database (stack.staffDb).
// ready: the address that must answer 200 before the stack counts as up (a test whose
// workers cannot answer gives a file nginx serves itself). listen: an IPV4:PORT for
// fazhi serve --listen (FastCGI over TCP), with allow the addresses that may connect.
export async function startStack({ snapshot, workers = 2, templates, detached = false,
  searchRate, signinRate, ready = '/healthz', listen, allow, siteRate = 'off' } = {}) {
  const dir = tempDir('fazhi-stack-');
  const run = join(dir, 'run');
  let content = null;
  if (!snapshot) {
    content = testContent(dir);
    snapshot = join(dir, 'site.db');
    const b = build(content, snapshot);
    if (b.status !== 0) throw new Error(`build failed:\n${b.stderr}`);
  }
  const port = await freePort();
  const consolePort = await freePort();
  const metricsPort = await freePort();
  const staffDb = join(dir, 'staff.db');
  // No micro-cache unless a test asks: tests check each change at once.
  const env = { CACHE: 'off', ...process.env, PORT: String(port), RUN_DIR: run,
    SNAPSHOT: snapshot, WORKERS: String(workers), CONSOLE_PORT: String(consolePort),
    METRICS_PORT: String(metricsPort),
    STAFF_DB: staffDb };
  if (content) env.CONTENT = content;
  if (templates) env.TEMPLATES = templates;
  if (searchRate) env.SEARCH_RATE = searchRate;	// 'off': no per-address limit
  if (signinRate) env.SIGNIN_RATE = signinRate;	// 'off': no per-address limit
  // The site-wide per-address limit is off unless a test asks ('on': SITE_RATE's
  // default): tests send their requests from one address as fast as they can.
  env.SITE_RATE = siteRate;
  if (listen) env.LISTEN = listen;
  if (allow) env.ALLOW = allow;
  // detached: its own process group, as a terminal's Ctrl-C sees it.
  const proc = spawn(join(ROOT, 'scripts', 'run'), [], { env, detached, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr.on('data', (d) => { log += d; });
  // 'close', not 'exit': by then everything it wrote to stderr has been read.
  const exited = new Promise((resolve) => proc.on('close', (code, signal) => resolve({ code, signal })));
  const base = `http://127.0.0.1:${port}`;
  const consoleBase = `http://127.0.0.1:${consolePort}`;
  const metricsBase = `http://127.0.0.1:${metricsPort}`;
  const stack = {
    dir, run, port, base, snapshot, content, proc, exited, consolePort, consoleBase, staffDb,
    metricsBase,
    log: () => log,
    masterPid: () => Number(readFileSync(join(run, 'fazhi.pid'), 'utf8')),
    socket: join(run, 'fazhi.sock'),
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const r = await exited;
      rmSync(dir, { recursive: true, force: true });
      return r;
    },
  };
  for (let i = 0; i < 100; i++) {
    if (proc.exitCode !== null) throw new Error(`scripts/run exited early:\n${log}`);
    try {
      const r = await fetch(`${base}${ready}`);
      await r.text();
      const c = await fetch(`${consoleBase}/console/signin`);
      await c.text();
      // The sitemap is there once the master's writer has written it (503 until then).
      const m = r.status === 200 && ready === '/healthz' ? await fetch(`${base}/sitemap.xml`) : null;
      if (m) await m.text();
      if (r.status === 200 && c.status === 200 && m?.status !== 503) return stack;
    } catch { /* not up yet */ }
    await sleep(100);
  }
  await stack.stop();
  throw new Error(`stack did not come up:\n${log}`);
}

export function exists(p) { return existsSync(p); }
export function sh(cmd, args) { return execFileSync(cmd, args, { encoding: 'utf8' }); }

// Waits up to ms for the stack's log to match re (log lines may trail the
// response that caused them); returns the log.
export async function logMatch(s, re, ms = 3000) {
  for (let t = 0; t < ms && !re.test(s.log()); t += 25) await sleep(25);
  return s.log();
}

// One FastCGI record of request 1: type, content, padding to eight bytes.
function fcgiRecord(type, content = Buffer.alloc(0)) {
  const pad = (8 - (content.length % 8)) % 8;
  return Buffer.concat([Buffer.from([1, type, 0, 1, content.length >> 8, content.length & 255, pad, 0]),
    content, Buffer.alloc(pad)]);
}

// A FastCGI name-value length: one byte below 128, else four with the top bit set.
function fcgiLength(n) {
  return n < 128 ? Buffer.from([n]) : Buffer.from([(n >> 24) | 128, (n >> 16) & 255, (n >> 8) & 255, n & 255]);
}

// Sends one request straight to a FastCGI socket, as nginx would (BEGIN_REQUEST
// as a responder without keep-alive, the params, body as STDIN); resolves with
// what came back on STDOUT and whether END_REQUEST came, once the server has
// closed the connection (rejects after 10 s without).
export function fcgiRequest(socket, params, body = '') {
  const input = Buffer.from(body);
  const pairs = Buffer.concat(Object.entries(params).map(([k, v]) => Buffer.concat([
    fcgiLength(Buffer.byteLength(k)), fcgiLength(Buffer.byteLength(v)), Buffer.from(k), Buffer.from(v)])));
  return new Promise((resolve, reject) => {
    const c = net.createConnection(socket);
    const got = [];
    c.on('data', (d) => got.push(d));
    c.on('error', reject);
    c.setTimeout(10000, () => c.destroy(new Error('no answer in 10 s')));
    c.on('close', () => {
      const all = Buffer.concat(got);
      const out = [];
      let ended = false;
      for (let i = 0; i + 8 <= all.length; i += 8 + all.readUInt16BE(i + 4) + all[i + 6]) {
        if (all[i + 1] === 6) out.push(all.subarray(i + 8, i + 8 + all.readUInt16BE(i + 4)));
        if (all[i + 1] === 3) ended = true;
      }
      resolve({ stdout: Buffer.concat(out).toString(), ended });
    });
    c.write(fcgiRecord(1, Buffer.from([0, 1, 0, 0, 0, 0, 0, 0])));
    c.write(fcgiRecord(4, pairs));
    c.write(fcgiRecord(4));
    for (let o = 0; o < input.length; o += 32768) c.write(fcgiRecord(5, input.subarray(o, o + 32768)));
    c.write(fcgiRecord(5));
  });
}
