// The end-to-end harness: starts the real server binary on a free loopback port with a
// temporary data folder, creates invitations with the server's own `demo` command, and
// launches Debian's Chromium headless through playwright-core (never a downloaded browser).

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '../..');
const SERVER = process.env.BERATTA_SERVER ?? join(ROOT, 'target/debug/beratta-server');
const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';

/** A fresh folder layout for one server: data inside, secrets beside it, never inside. */
export function freshDirs() {
  const base = mkdtempSync(join(tmpdir(), 'beratta-e2e-'));
  return {
    base,
    data: join(base, 'data'),
    secret: join(base, 'server-secret.key'),
    orgKey: join(base, 'demo-org-secret.key'),
  };
}

/** Runs `beratta-server demo` and returns the printed child codes. */
export function createCodes(dirs, children = 1) {
  const out = execFileSync(SERVER, [
    'demo', '--data', dirs.data, '--secret-file', dirs.secret,
    '--questionnaires', join(ROOT, 'questionnaires'),
    '--children', String(children), '--org-key-out', dirs.orgKey,
  ], { encoding: 'utf8' });
  const codes = out.match(/\b[3-9A-Z]{4}-[3-9A-Z]{3}-[3-9A-Z]{3}-[3-9A-Z]{3}\b/g) ?? [];
  if (codes.length < children) throw new Error(`demo printed no codes:\n${out}`);
  return codes.slice(-children);
}

/** Starts `beratta-server serve`; resolves once it prints where it listens. */
export async function startServer(dirs) {
  const child = spawn(SERVER, [
    'serve', '--data', dirs.data, '--secret-file', dirs.secret,
    '--static', join(ROOT, 'dist'), '--questionnaires', join(ROOT, 'questionnaires'),
    '--listen', '127.0.0.1:0',
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
  return {
    url,
    log,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
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
