// EPoP browser tests: accessibility (axe-core), reflow at 320 px, keyboard
// journeys and screenshots, against a real `epop serve` filled by `epop demo`.
//
//   cd e2e && npm ci && EPOP_BIN=../target/debug/epop node run.mjs
//
// Prints `ok - name` / `not ok - name` per test, then one closing line
// `e2e: N passed, M failed`; exits 1 if anything failed.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { ACCOUNTS, COLLECTIONS, PASSWORD, ROLES, SCREENSHOT_PUBLIC, pagesFor } from './pages.mjs';
import { keyboardJourneys } from './journeys/keyboard.mjs';
import { privacyJourneys } from './journeys/privacy.mjs';
import { candidateJourney } from './journeys/candidate.mjs';
import { questionnaireJourney } from './journeys/questionnaire.mjs';
import { toolboxJourney } from './journeys/toolbox.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CRAWL_CAP = 150;
const SHAPE_CAP = 4;

/**
 * The shape of a link: its path, with the part after a collection of
 * `COLLECTIONS` replaced by `*`, and the names of its query parameters:
 * `/annuaire/awa-diallo` -> `/annuaire/*`, `/annuaire?q=x&page=2` -> `/annuaire?page,q`.
 */
function shapeOf(link) {
  const u = new URL(link, 'http://x');
  const collection = COLLECTIONS.find((c) => u.pathname.startsWith(c) && u.pathname.length > c.length);
  const path = collection ? `${collection}*` : u.pathname;
  const keys = [...u.searchParams.keys()].sort().join(',');
  return `${path}${keys ? `?${keys}` : ''}`;
}
const WIDE = { width: 1280, height: 900 };
const NARROW = { width: 320, height: 800 };
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const SKIP_EXT = /\.(ics|csv|xlsx?|pdf|eml|zip|odt|ods|docx?|json|txt|xml|png|jpe?g|gif|svg|webp)$/i;
const SKIP_PATH = /(^|\/)deconnexion(\/|$)/;
const AXE_SRC = fs.readFileSync(path.join(HERE, 'node_modules/axe-core/axe.min.js'), 'utf8');
const AXE_FR = JSON.parse(fs.readFileSync(path.join(HERE, 'node_modules/axe-core/locales/fr.json'), 'utf8'));
const SHOTS = path.join(HERE, 'screenshots');

// ---------------------------------------------------------------- reporting

let passed = 0;
let failed = 0;
// Failures grouped across pages and audiences, printed before the closing line.
const summary = new Map(); // key -> Set of 'audience page'

function remember(key, where) {
  if (!summary.has(key)) summary.set(key, new Set());
  summary.get(key).add(where);
}

function printSummary() {
  if (summary.size === 0) return;
  console.log('# ---- summary of page failures (rule / first target -> where) ----');
  for (const [key, wheres] of [...summary].sort((a, b) => b[1].size - a[1].size)) {
    const list = [...wheres];
    const shown = list.slice(0, 8).join(', ') + (list.length > 8 ? `, … (${list.length} in all)` : '');
    console.log(`# ${key}`);
    console.log(`#     ${shown}`);
  }
}

function report(name, problems, note = '') {
  if (problems.length === 0) {
    passed++;
    console.log(`ok - ${name}${note ? ` # ${note}` : ''}`);
  } else {
    failed++;
    console.log(`not ok - ${name}`);
    for (const p of problems) {
      for (const line of String(p).split('\n')) console.log(`#   ${line}`);
    }
  }
}

/** Runs fn(problems) as one named test; a thrown error is a failure too. */
async function test(name, fn) {
  const problems = [];
  let note = '';
  try {
    note = (await fn(problems)) || '';
  } catch (e) {
    problems.push(`error: ${firstLines(e?.stack || e, 6)}`);
  }
  report(name, problems, note);
  return problems.length === 0;
}

function firstLines(s, n) {
  return String(s).split('\n').slice(0, n).join('\n');
}

function finish(code) {
  printSummary();
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  cleanup();
  process.exit(code ?? (failed > 0 ? 1 : 0));
}

// ------------------------------------------------------------------- server

function epopBin() {
  if (process.env.EPOP_BIN) return path.resolve(process.env.EPOP_BIN);
  if (process.env.CARGO_TARGET_DIR) return path.resolve(process.env.CARGO_TARGET_DIR, 'debug/epop');
  return path.resolve(HERE, '../target/debug/epop');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let server = null;
let tmpDir = null;
let browser = null;

function cleanup() {
  if (server && server.exitCode === null && server.signalCode === null) {
    try { server.kill('SIGTERM'); } catch { /* already gone */ }
    // Give it a moment, then make sure it is gone.
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline && server.exitCode === null && server.signalCode === null) {
      spawnSync('sleep', ['0.1']);
    }
    if (server.exitCode === null && server.signalCode === null) {
      try { server.kill('SIGKILL'); } catch { /* already gone */ }
    }
  }
  server = null;
  if (tmpDir && !process.env.E2E_KEEP_TMP) {
    try { fs.rmSync(tmpDir, { recursive: true, force: true }); } catch { /* ignore */ }
  }
}

process.on('SIGINT', () => { console.log('# interrupted'); finish(130); });
process.on('SIGTERM', () => { console.log('# terminated'); finish(143); });
process.on('exit', () => cleanup());

function serverLog() {
  try {
    return fs.readFileSync(path.join(tmpDir, 'serve.log'), 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
}

async function startServer() {
  const bin = epopBin();
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'epop-e2e-'));
  const env = {
    ...process.env,
    EPOP_DATABASE_URL: `sqlite://${tmpDir}/epop.db?mode=rwc`,
    EPOP_DATA_DIR: tmpDir,
  };
  let base = null;
  const ok = await test('server: `epop demo` then `epop serve` answers /healthz', async (problems) => {
    if (!fs.existsSync(bin)) {
      problems.push(`no server binary at ${bin} (set EPOP_BIN or CARGO_TARGET_DIR)`);
      return;
    }
    const demo = spawnSync(bin, ['demo'], { env, encoding: 'utf8', timeout: 180_000 });
    if (demo.error || demo.status !== 0) {
      problems.push(`\`${bin} demo\` failed (status ${demo.status}, ${demo.error ?? demo.signal ?? ''})`);
      problems.push(firstLines(`${demo.stdout}\n${demo.stderr}`.trim(), 30));
      return;
    }
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const log = fs.openSync(path.join(tmpDir, 'serve.log'), 'a');
    server = spawn(bin, ['serve'], {
      env: { ...env, EPOP_LISTEN: `127.0.0.1:${port}`, EPOP_BASE_URL: base },
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    const deadline = Date.now() + 60_000;
    let last = '';
    while (Date.now() < deadline) {
      if (server.exitCode !== null || server.signalCode !== null) {
        problems.push(`\`${bin} serve\` exited early (${server.exitCode ?? server.signalCode}):\n${serverLog()}`);
        return;
      }
      try {
        const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) });
        if (res.status === 200) return `${base}`;
        last = `status ${res.status}`;
      } catch (e) {
        last = e.cause?.code || e.message;
      }
      await sleep(250);
    }
    problems.push(`GET /healthz did not answer 200 within 60 s (last: ${last})\n${serverLog()}`);
  });
  return ok ? base : null;
}

// ------------------------------------------------------------------ browser

async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

async function newContext(base, options = {}) {
  const ctx = await browser.newContext({
    baseURL: base,
    viewport: WIDE,
    locale: 'fr-FR',
    ...options,
  });
  ctx.setDefaultTimeout(20_000);
  ctx.setDefaultNavigationTimeout(30_000);
  return ctx;
}

/** Loads axe-core (French messages) into the page. */
async function injectAxe(page) {
  try {
    await page.addScriptTag({ path: path.join(HERE, 'node_modules/axe-core/axe.min.js') });
  } catch { /* e.g. a strict CSP: fall back below */ }
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    // Evaluated through the DevTools protocol: not subject to the page's CSP.
    await page.evaluate(`${AXE_SRC}\n;void 0`);
  }
  await page.evaluate((locale) => window.axe.configure({ locale }), AXE_FR);
}

/** Runs axe on the current page; pushes one problem per violation. */
async function checkAxe(page, where, problems) {
  await injectAxe(page);
  const violations = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    if (r.passes.length + r.violations.length + r.incomplete.length === 0) return null;
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      count: v.nodes.length,
      nodes: v.nodes.slice(0, 3).map((n) => ({
        target: n.target.join(' '),
        html: n.html.length > 160 ? `${n.html.slice(0, 160)}…` : n.html,
        summary: (n.failureSummary || '').replace(/\s+/g, ' ').slice(0, 300),
      })),
    }));
  }, AXE_TAGS);
  if (violations === null) { problems.push(`axe checked no rule at all on ${where}`); return; }
  for (const v of violations) {
    remember(`axe ${v.id} (${v.impact}): ${v.help} — ${v.nodes[0]?.target ?? ''}`, where);
    const lines = [`axe ${v.id} (${v.impact}) on ${where}: ${v.help} [${v.count} node(s)]`];
    for (const n of v.nodes) {
      lines.push(`    target: ${n.target}`);
      lines.push(`      html: ${n.html}`);
      if (n.summary) lines.push(`      ${n.summary}`);
    }
    problems.push(lines.join('\n'));
  }
}

/** Reflow: at 320 px wide, nothing may scroll horizontally (WCAG 1.4.10). */
async function checkReflow(page, where, problems) {
  await page.setViewportSize(NARROW);
  try {
    await page.reload({ waitUntil: 'load' });
    const m = await page.evaluate((limit) => {
      const sw = document.documentElement.scrollWidth;
      if (sw <= limit) return { sw, offenders: [] };
      const describe = (el) => {
        let s = el.tagName.toLowerCase();
        if (el.id) s += `#${el.id}`;
        const cls = typeof el.className === 'string' ? el.className.trim() : '';
        if (cls) s += `.${cls.split(/\s+/).slice(0, 3).join('.')}`;
        return s;
      };
      const offenders = [];
      for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        if (r.right > limit + 0.5) {
          // Keep only the deepest: skip elements whose child overflows too.
          const childOverflows = [...el.children].some((c) => c.getBoundingClientRect().right > limit + 0.5);
          if (childOverflows) continue;
          const path = [];
          for (let p = el; p && p !== document.body && path.length < 4; p = p.parentElement) path.unshift(describe(p));
          offenders.push({
            right: Math.round(r.right),
            width: Math.round(r.width),
            path: path.join(' > '),
            text: (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 60),
          });
        }
      }
      offenders.sort((a, b) => b.right - a.right);
      return { sw, offenders: offenders.slice(0, 6) };
    }, NARROW.width);
    if (m.sw > NARROW.width) {
      remember(`reflow: scrollWidth > 320 px — ${m.offenders[0]?.path ?? '?'}`, where);
      const lines = [`reflow on ${where}: document scrollWidth ${m.sw} px > ${NARROW.width} px; widest elements:`];
      for (const o of m.offenders) {
        lines.push(`    ${o.path} (right edge ${o.right} px, width ${o.width} px)${o.text ? ` “${o.text}”` : ''}`);
      }
      problems.push(lines.join('\n'));
    }
  } finally {
    await page.setViewportSize(WIDE);
  }
}

function keyOf(u) {
  return u.pathname + u.search;
}

/** Same-origin, crawlable links of the current page, as pathname+search. */
async function linksOf(page, origin) {
  const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
  const out = [];
  for (const href of hrefs) {
    let u;
    try { u = new URL(href); } catch { continue; }
    if (u.origin !== origin) continue;
    if (SKIP_PATH.test(u.pathname) || SKIP_EXT.test(u.pathname)) continue;
    u.hash = '';
    out.push(keyOf(u));
  }
  return out;
}

// ------------------------------------------------------------------ sign in

async function signIn(page, role) {
  await page.goto('/connexion');
  await page.getByLabel('Adresse e-mail', { exact: true }).fill(ACCOUNTS[role]);
  await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/espace', { timeout: 20_000 }),
    page.getByRole('button', { name: 'Se connecter' }).click(),
  ]);
}

// -------------------------------------------------------- audience checking

/**
 * Visits the listed pages of an audience, then every same-origin link found
 * (breadth-first), checking status, axe and reflow on each.
 */
async function checkAudience(base, audience, page) {
  const origin = new URL(base).origin;
  const listed = pagesFor(audience);
  const queue = [...listed];
  const seen = new Set(queue);
  if (!seen.has('/')) { queue.push('/'); seen.add('/'); }
  const isListed = new Set(listed);
  const foundOn = new Map(); // crawled link -> page where it was first seen
  const shapes = new Map(); // shape of a crawled link -> how many queued
  let visited = 0;
  let capped = 0;
  const signedIn = audience !== 'anonymous';
  const publicPaths = new Set(pagesFor('anonymous').map((p) => new URL(p, base).pathname));

  while (queue.length > 0) {
    const target = queue.shift();
    if (visited >= CRAWL_CAP) { capped++; continue; }
    visited++;
    const kind = isListed.has(target) ? 'listed' : `crawled from ${foundOn.get(target) ?? '/'}`;
    const name = `[${audience}] ${target}`;
    let loaded = false;
    await test(`${name}: status + axe (${kind})`, async (problems) => {
      let res;
      try {
        res = await page.goto(target, { waitUntil: 'load' });
      } catch (e) {
        if (/Download is starting/i.test(e.message)) return 'download, not checked';
        throw e;
      }
      if (!res) { problems.push('no response'); return; }
      const status = res.status();
      const final = new URL(page.url());
      if (status >= 400) {
        remember(`HTTP ${status}`, `${target} as ${audience} (${kind})`);
        problems.push(`HTTP ${status} for ${target}${keyOf(final) !== target ? ` (after redirect to ${keyOf(final)})` : ''}`);
        return;
      }
      if (signedIn && final.pathname.startsWith('/connexion') && !publicPaths.has(new URL(target, base).pathname)) {
        remember('redirected to /connexion', `${target} as ${audience} (${kind})`);
        problems.push(`redirected to ${keyOf(final)}: session lost or access refused for ${audience}`);
        // Sign in again so the remaining pages are still checked signed in.
        try { await signIn(page, audience); } catch { /* reported by later pages */ }
        return;
      }
      const type = res.headers()['content-type'] || '';
      if (!type.includes('text/html')) return `not HTML (${type}), not checked`;
      loaded = true;
      for (const link of await linksOf(page, origin)) {
        if (seen.has(link)) continue;
        // Many links of one shape (profiles, result pages, accounts) add little:
        // visit a few of each shape, besides the listed pages.
        const s = shapeOf(link);
        if ((shapes.get(s) ?? 0) >= SHAPE_CAP) continue;
        shapes.set(s, (shapes.get(s) ?? 0) + 1);
        seen.add(link); queue.push(link); foundOn.set(link, target);
      }
      await checkAxe(page, `${target} as ${audience}`, problems);
      const redirected = keyOf(final) !== target ? `redirected to ${keyOf(final)}` : '';
      return redirected;
    });
    if (loaded) {
      await test(`${name}: reflow at 320 px`, async (problems) => {
        await checkReflow(page, `${target} as ${audience}`, problems);
      });
    }
  }
  if (capped > 0) console.log(`# [${audience}] crawl capped at ${CRAWL_CAP} pages, ${capped} link(s) not visited`);
  console.log(`# [${audience}] ${visited} page(s) visited`);
}

/** Public pages again, with the site's own scripts blocked. */
async function checkPublicWithoutScripts(base) {
  // Playwright cannot run axe in a `javaScriptEnabled: false` context (no
  // timers fire there), so: JS on for axe, but every script the page itself
  // loads is blocked (axe is injected inline, not as a request).
  const ctx = await newContext(base);
  try {
    await ctx.route('**/*', (route) =>
      route.request().resourceType() === 'script' ? route.abort('blockedbyclient') : route.continue());
    const page = await ctx.newPage();
    for (const target of pagesFor('anonymous')) {
      await test(`[anonymous, own scripts blocked] ${target}: status + axe`, async (problems) => {
        const res = await page.goto(target, { waitUntil: 'load' });
        if (!res || res.status() >= 400) { problems.push(`HTTP ${res?.status()} for ${target}`); return; }
        await checkAxe(page, `${target} (scripts blocked)`, problems);
      });
    }
  } finally {
    await ctx.close();
  }
}

// -------------------------------------------------------------- screenshots

const shotName = (who, target, suffix = '') => {
  // '/' -> accueil, '/?version=facile' -> accueil-version-facile, '/espace' -> espace
  let slug = target.replace(/^\/+/, '');
  if (slug === '' || slug.startsWith('?')) slug = `accueil${slug}`;
  slug = slug.replace(/[^a-z0-9]+/gi, '-').replace(/^-+|-+$/g, '');
  return path.join(SHOTS, `${who}-${slug}${suffix}.png`);
};

async function screenshotsPublic(page) {
  await test('screenshots: public pages (1280 px, and / at 320 px)', async (problems) => {
    fs.mkdirSync(SHOTS, { recursive: true });
    for (const target of SCREENSHOT_PUBLIC) {
      await page.setViewportSize(WIDE);
      const res = await page.goto(target);
      if (!res || res.status() >= 400) problems.push(`HTTP ${res?.status()} for ${target}`);
      await page.screenshot({ path: shotName('anonyme', target), fullPage: true });
    }
    await page.setViewportSize(NARROW);
    await page.goto('/');
    await page.screenshot({ path: shotName('anonyme', '/', '-320'), fullPage: true });
    await page.setViewportSize(WIDE);
  });
}

async function screenshotEspace(page, role) {
  await test(`screenshots: /espace as ${role}`, async (problems) => {
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.setViewportSize(WIDE);
    const res = await page.goto('/espace');
    if (!res || res.status() >= 400) problems.push(`HTTP ${res?.status()} for /espace`);
    await page.screenshot({ path: shotName(role, '/espace'), fullPage: true });
  });
}

// --------------------------------------------------------------------- main

function watchErrors(page, audience) {
  page.on('pageerror', (e) => console.log(`# warning [${audience}] script error on ${page.url()}: ${firstLines(e.message, 2)}`));
}

async function main() {
  const base = await startServer();
  if (!base) return finish(1);

  try {
    browser = await launch();
  } catch (e) {
    report('browser: launch Chromium', [firstLines(e.stack || e, 8)]);
    return finish(1);
  }

  try {
    // Anonymous visitor.
    {
      const ctx = await newContext(base);
      const page = await ctx.newPage();
      watchErrors(page, 'anonymous');
      await checkAudience(base, 'anonymous', page);
      await screenshotsPublic(page);
      await ctx.close();
    }
    await checkPublicWithoutScripts(base);

    // Keyboard journeys.
    await keyboardJourneys({ test, newContext, signIn, keyOf, base });
    await privacyJourneys({ test, newContext, signIn, base, outbox: path.join(tmpDir, 'outbox') });
    await candidateJourney({ test, newContext, base, outbox: path.join(tmpDir, 'outbox') });
    await questionnaireJourney({ test, newContext, base });
    await toolboxJourney({ test, newContext, base });

    // Each role, signed in through the real form.
    for (const role of ROLES) {
      const ctx = await newContext(base);
      const page = await ctx.newPage();
      watchErrors(page, role);
      const ok = await test(`sign in as ${role} (${ACCOUNTS[role]}) lands on /espace`, async () => {
        await signIn(page, role);
      });
      if (ok) {
        await checkAudience(base, role, page);
        await screenshotEspace(page, role);
      }
      await ctx.close();
    }
  } catch (e) {
    report('harness', [firstLines(e.stack || e, 10)]);
  } finally {
    await browser.close().catch(() => {});
  }
  const log = server ? serverLog().trim() : '';
  if (failed > 0 && log) console.log(`# last server log lines:\n${log.replace(/^/gm, '#   ')}`);
  finish();
}

main().catch((e) => {
  report('harness', [firstLines(e.stack || e, 10)]);
  finish(1);
});
