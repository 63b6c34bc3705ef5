// The end-to-end harness: starts the real server binary on a free loopback port with a
// temporary data folder, creates invitations with the server's own `demo` command, and
// launches Debian's Chromium headless through playwright-core (never a downloaded browser).

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '../..');
export const SERVER = process.env.BERATTA_SERVER ?? join(ROOT, 'target/debug/beratta-server');
const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';

/** The servers started on each folder layout, so that its clean-up can stop them first. */
const serversOf = new WeakMap();

/**
 * A fresh folder layout for one server: data inside, secrets beside it, never inside. The
 * folder, with the data and the organisation's secret key in it, is removed when the test
 * `t` ends, passed or failed, after every server started on it has stopped.
 */
export function freshDirs(t) {
  const base = mkdtempSync(join(tmpdir(), 'beratta-e2e-'));
  const dirs = {
    base,
    data: join(base, 'data'),
    secret: join(base, 'server-secret.key'),
    orgKey: join(base, 'demo-org-secret.key'),
  };
  const servers = [];
  serversOf.set(dirs, servers);
  t.after(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    rmSync(base, { recursive: true, force: true });
  });
  return dirs;
}

/** Runs `beratta-server demo` and returns the printed child codes, for `questionnaire` (`id@version`). */
export function createCodes(dirs, children = 1, questionnaire = 'beratta-10-12@1') {
  const out = execFileSync(SERVER, [
    'demo', '--data', dirs.data, '--secret-file', dirs.secret,
    '--questionnaires', join(ROOT, 'questionnaires'),
    '--children', String(children), '--questionnaire', questionnaire, '--org-key-out', dirs.orgKey,
  ], { encoding: 'utf8' });
  const codes = out.match(/\b[3-9A-Z]{4}-[3-9A-Z]{3}-[3-9A-Z]{3}-[3-9A-Z]{3}\b/g) ?? [];
  if (codes.length < children) throw new Error(`demo printed no codes:\n${out}`);
  return codes.slice(-children);
}

/**
 * Runs `beratta-server create-org` for an organisation whose first administrator is
 * `admin`, and returns the one-time set-up link it printed (a path under `/staff/`).
 */
/**
 * Creates an anonymous round of the 10–12 instrument, open from yesterday for a month, as
 * the staff member logged in on `page`; returns the round as the server answered it.
 */
export async function openAnonymousRound(page, name) {
  const day = (days) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  const round = await page.evaluate(async (body) => (await fetch('/api/rounds', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })).json(), {
    name, opens: day(-1), closes: day(30), questionnaire: { id: 'beratta-10-12', version: 1 }, mode: 'anonymous',
  });
  assert.ok(round.round_id, `no round: ${JSON.stringify(round)}`);
  return round;
}

/**
 * Makes the demo school with its staff logins (`admin`, `personal`) and a statistics key,
 * and no children: the organisation key and the statistics key's secret half are written
 * beside the data, as the tests that open what was stored need them.
 */
export function createDemoSchool(dirs) {
  execFileSync(SERVER, [
    'demo', '--data', dirs.data, '--secret-file', dirs.secret, '--questionnaires', join(ROOT, 'questionnaires'),
    '--children', '0', '--with-staff', '--org-key-out', dirs.orgKey,
    '--statistics-key-out', join(dirs.base, 'demo-statistics-secret.key'),
  ], { encoding: 'utf8' });
}

export function createOrg(dirs, { id, name, admin, adminName }) {
  const out = execFileSync(SERVER, [
    'create-org', '--data', dirs.data, '--secret-file', dirs.secret,
    '--questionnaires', join(ROOT, 'questionnaires'),
    '--id', id, '--name', name, '--admin', admin, '--admin-name', adminName,
  ], { encoding: 'utf8' });
  const setupPath = out.match(/setup: (\S+)/)?.[1];
  assert.ok(setupPath, `create-org printed no set-up link:\n${out}`);
  return setupPath;
}

/**
 * Completes the set-up link in `page` as the first administrator: the browser makes the
 * keys, shows the recovery key once, and the administrator says it is kept. Returns the
 * recovery key as shown.
 */
export async function setUpOrganisation(page, url, setupPath, { username, displayName, password }) {
  await page.goto(`${url}${setupPath}`);
  await page.locator('#setup-username').fill(username);
  await page.locator('#setup-display-name').fill(displayName);
  await page.locator('#setup-password').fill(password);
  await page.locator('#setup-password-again').fill(password);
  await page.locator('#setup-submit').click();
  await page.waitForSelector('#recovery-key', { timeout: 60_000 });
  const recoveryKey = (await page.locator('#recovery-key').innerText()).trim();
  await page.locator('#recovery-stored').check();
  await page.locator('#recovery-continue').click();
  return recoveryKey;
}

/** Logs a staff member in on the staff app's login page; returns the login's reply. */
export async function staffLogIn(page, url, username, password) {
  await page.goto(`${url}/staff/#/staff`);
  await page.locator('#staff-username').fill(username);
  await page.locator('#staff-password').fill(password);
  const [reply] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/staff/login'), { timeout: 60_000 }),
    page.locator('#staff-login').click(),
  ]);
  assert.equal(reply.status(), 200, `${username} could not log in`);
  await page.waitForSelector('#staff-logout', { timeout: 60_000 });
  return reply.json();
}

/**
 * Starts `beratta-server serve`; resolves once it prints where it listens. `port` 0 picks a
 * free one; pass a server's old port to restart it where the browser expects it.
 */
export async function startServer(dirs, { port = 0 } = {}) {
  const child = spawn(SERVER, [
    'serve', '--data', dirs.data, '--secret-file', dirs.secret,
    '--static', join(ROOT, 'dist'), '--questionnaires', join(ROOT, 'questionnaires'),
    '--listen', `127.0.0.1:${port}`,
  ], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RUST_LOG: 'info' } });
  const log = [];
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log.join('')}`)), 30_000);
    const collect = (chunk) => {
      const text = chunk.toString();
      log.push(text);
      const m = text.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) { clearTimeout(timer); resolveUrl(m[1]); }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n${log.join('')}`)); });
  });
  child.removeAllListeners('exit');
  const server = {
    url,
    log,
    async stop() {
      // A server that ended on a signal has no exit code, only a signal code.
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
  serversOf.get(dirs)?.push(server);
  return server;
}

/** The example that opens a stored assessment with the organisation key, built in release by scripts/test.sh. */
const OPEN_ASSESSMENT = process.env.BERATTA_OPEN_ASSESSMENT ?? join(ROOT, 'target/release/examples/open_assessment');

/**
 * Opens an assessment (the JSON of `GET /api/child/session`) as staff would, with the demo
 * organisation's secret key, and returns `{ language, answers, profile }`.
 */
export function openAssessment(dirs, assessmentJson) {
  const out = execFileSync(OPEN_ASSESSMENT, [dirs.orgKey, join(ROOT, 'questionnaires')], {
    input: assessmentJson,
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

/** Headless Chromium with the flags this closed network needs. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/** Every file below `dir`, recursively. */
export function filesBelow(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesBelow(path) : [path];
  });
}

/**
 * The ways a secret string could sit in a file unencrypted: as UTF-8, as UTF-16, and as
 * base64 or base64url at each of the three byte alignments (JSON byte fields are base64).
 */
export function plaintextForms(secret) {
  const forms = [Buffer.from(secret, 'utf8'), Buffer.from(secret, 'utf16le')];
  for (let pad = 0; pad < 3; pad++) {
    const shifted = Buffer.concat([Buffer.alloc(pad, 0x20), Buffer.from(secret, 'utf8')]);
    // Drop the characters touched by the padding and by the unknown tail.
    const b64 = shifted.toString('base64').slice(Math.ceil((pad * 4) / 3) + 1, -4);
    forms.push(Buffer.from(b64), Buffer.from(b64.replaceAll('+', '-').replaceAll('/', '_')));
  }
  return forms;
}

/** The files under `dir` that contain `secret` in any plain form. */
export function filesContaining(dir, secret) {
  const forms = plaintextForms(secret);
  return filesBelow(dir).filter((path) => {
    const bytes = readFileSync(path);
    return forms.some((form) => bytes.includes(form));
  });
}

// ── the child's moves, shared by the tests ─────────────────────────────────

/** The shown item. */
export const CURRENT = '[data-item]';

/** The id of the shown item. */
export async function currentItem(page) {
  return page.locator(CURRENT).first().getAttribute('data-item');
}

/**
 * Waits until the shown item is no longer `previous`, and returns the new one: an item id,
 * or `finish` for the finish page, or `help` for the help screen after an acute answer.
 */
export async function nextItem(page, previous) {
  await page.waitForFunction(
    (prev) => {
      const el = document.querySelector('[data-item]');
      return (el && el.dataset.item !== prev) || document.querySelector('#finish, #help-screen');
    },
    previous,
    { timeout: 15_000 },
  );
  if (await page.locator('#finish').count()) return 'finish';
  if (await page.locator('#help-screen').count()) return 'help';
  return currentItem(page);
}

/** Clicks the option `option` of the current item and waits for the next one. */
export async function choose(page, option) {
  const item = await currentItem(page);
  await page.locator(`${CURRENT} [data-option="${option}"]`).click();
  return nextItem(page, item);
}

/** Answers with `policy[item]` where given and skips every other item, until `target`. */
export async function answerUntil(page, target, policy = {}) {
  let item = await currentItem(page);
  for (let guard = 0; item !== target; guard++) {
    assert.ok(guard < 200, `never reached ${target}`);
    assert.notEqual(item, 'finish', `finished before reaching ${target}`);
    if (policy[item]) {
      item = await choose(page, policy[item]);
    } else {
      await page.locator('#skip').click();
      item = await nextItem(page, item);
    }
  }
}

/** Waits until the save indicator says everything is stored. */
export async function waitSaved(page) {
  await page.waitForSelector('#save-status[data-state="saved"]', { timeout: 15_000 });
}

/** Opens the app and logs in with `code`; resolves on the first question. */
export async function logIn(page, url, code, lang) {
  await page.goto(url);
  if (lang) await page.locator(`#lang-${lang}`).first().click();
  await page.locator('#code').fill(code);
  await page.locator('#login').click();
  await page.waitForSelector(CURRENT, { timeout: 60_000 });
}

/** Answers `n` items with their first option, skipping (and not counting) the others. */
export async function answerSome(page, n) {
  const given = new Map();
  while (given.size < n) {
    const item = await currentItem(page);
    const kind = await page.locator(CURRENT).getAttribute('data-kind');
    const options = page.locator(`${CURRENT} [data-option]`);
    if (kind === 'multiple' || kind === 'text' || (await options.count()) === 0) {
      await page.locator('#skip').click();
      await nextItem(page, item);
      continue;
    }
    const option = await options.first().getAttribute('data-option');
    const next = await choose(page, option);
    given.set(item, option);
    if (next === 'help') {
      await page.locator('#help-go-on').click();
      await page.waitForSelector('#help-screen', { state: 'detached' });
    }
  }
  return given;
}

/** The logged-in child's assessment as the server returns it (sealed), as JSON text. */
export async function sessionJson(page) {
  return page.evaluate(() => fetch('/api/child/session').then((r) => r.text()));
}

/** Opens what the server stored and checks that every given answer is in it. */
export function assertAnswersStored(dirs, json, given) {
  const stored = openAssessment(dirs, json);
  for (const [item, option] of given) {
    assert.deepEqual(stored.answers[item], { choice: option }, `the answer to ${item} was lost`);
  }
  return stored;
}

/** Everything a page could have left on the device, counted. */
export async function storedOnDevice(page) {
  const inPage = await page.evaluate(async () => ({
    localStorage: localStorage.length,
    sessionStorage: sessionStorage.length,
    indexedDB: (await indexedDB.databases()).length,
    caches: (await caches.keys()).length,
  }));
  return { ...inPage, cookies: (await page.context().cookies()).length };
}

export const NOTHING_STORED = { localStorage: 0, sessionStorage: 0, indexedDB: 0, caches: 0, cookies: 0 };

/** The demo-municipality answers printer (`demo_answers`), built by `cargo build --example`. */
const DEMO_ANSWERS = process.env.BERATTA_DEMO_ANSWERS ?? join(ROOT, 'target/debug/examples/demo_answers');

/**
 * Demokommun seeded with `children` and `seed` (`demo-municipality`), its server started and
 * a browser launched, both stopped when `t` ends; with the generator's answers, one object
 * per assessment (`demo_answers`), for a test to count a figure by itself.
 */
export async function seededDemokommun(t, children, seed) {
  const dirs = freshDirs(t);
  execFileSync(SERVER, [
    'demo-municipality', '--data', dirs.data, '--secret-file', dirs.secret,
    '--questionnaires', join(ROOT, 'questionnaires'), '--children', children, '--seed', seed,
  ], { encoding: 'utf8' });
  const answers = execFileSync(DEMO_ANSWERS, [join(ROOT, 'questionnaires'), children, seed], {
    encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  }).trim().split('\n').map((line) => JSON.parse(line));
  const server = await startServer(dirs);
  const browser = await launchBrowser();
  t.after(async () => { await browser.close(); await server.stop(); });
  return { answers, server, browser };
}

/** The Wilson score interval for k of n (z = 1.959964), as shares. */
export function wilson(k, n) {
  const z = 1.959963984540054;
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { p, low: k === 0 ? 0 : Math.max(0, centre - half), high: k === n ? 1 : Math.min(1, centre + half) };
}

/** A share as the Swedish page writes it: "23 % (18–29)", ", osäker" when 30 points wide. */
export function swedishShare(k, n) {
  const { p, low, high } = wilson(k, n);
  const pct = (x) => String(Math.round(x * 100));
  const text = `${pct(p)} % (${pct(low)}–${pct(high)})`;
  return high - low >= 0.3 ? `${text}, osäker` : text;
}
