// A child who tells of exactly four risks, each with its follow-ups, and answers every other
// question calmly; then the staff member who invited the child opens the summary. Shared by
// the tests that measure and check the summary.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { ROOT, SERVER, CURRENT, currentItem, nextItem, waitSaved } from './harness.mjs';

export const STAFF_USER = 'personal';
export const STAFF_PASSWORD = 'demo-staff-password';

/** The four risks, with what the child answered to each step of their chains. */
export const FOUR_RISKS = {
  angry: 'often', 'angry.worry': 'a_little', 'angry.help': 'no',
  secret: 'yes', 'secret.often': 'sometimes', 'secret.worry': 'a_lot', 'secret.help': 'yes',
  adult_hurt: 'yes', 'adult_hurt.often': 'once', 'adult_hurt.worry': 'a_lot', 'adult_hurt.help': 'not_sure',
  bullied: 'always', 'bullied.worry': 'a_lot', 'bullied.help': 'yes',
};

/** Everything else, answered as an untroubled child would; multiple-choice items get "none". */
const CALM = {
  gender: 'girl', live_with: ['mum', 'dad'], feel_most_days: 'good', npf: 'dont_know', adult_to_talk: 'yes',
  home_calm: 'yes', adult_hurt: 'no', touched: 'no',
  school_like: 'good', school_friends: 'yes', school_adult: 'yes', missed_school: 'never',
  has_friends: 'yes', activity: 'yes', activity_adult: 'yes', threatened: 'no',
  area_safe: 'yes', forced: 'no', dark_thoughts: 'no',
};

/** Invites one 10–12 child as the demo staff member (`personal`) and returns the code. */
export function inviteChild(dirs) {
  const out = execFileSync(SERVER, [
    'demo', '--data', dirs.data, '--secret-file', dirs.secret, '--questionnaires', join(ROOT, 'questionnaires'),
    '--children', '1', '--with-staff', '--org-key-out', dirs.orgKey,
  ], { encoding: 'utf8' });
  return out.match(/\b[3-9A-Z]{4}-[3-9A-Z]{3}-[3-9A-Z]{3}-[3-9A-Z]{3}\b/)[0];
}

/**
 * Logs in as the child with `code` and answers the whole 10–12 questionnaire: the four risks
 * of `FOUR_RISKS`, a grown-up to talk to, a few words of their own, everything else calm.
 */
export async function answerFourRisks(page, url, code, words = 'Jag vill prata om det på skolan.') {
  await page.goto(url);
  await page.locator('#code').fill(code);
  await page.locator('#login').click();
  await page.waitForSelector(CURRENT, { timeout: 60_000 });
  let item = await currentItem(page);
  for (let guard = 0; item !== 'finish'; guard++) {
    assert.ok(guard < 200, 'the questionnaire never ended');
    const kind = await page.locator(CURRENT).getAttribute('data-kind');
    const answer = FOUR_RISKS[item] ?? CALM[item];
    if (kind === 'text') {
      await page.locator('#free-text').fill(words);
      await page.locator('#next').click();
    } else if (kind === 'multiple') {
      for (const option of answer ?? ['none']) await page.locator(`${CURRENT} [data-option="${option}"]`).click();
      await page.locator('#next').click();
    } else if (answer) {
      await page.locator(`${CURRENT} [data-option="${answer}"]`).click();
    } else {
      throw new Error(`no answer planned for ${item}`);
    }
    item = await nextItem(page, item);
    if (item === 'help') {
      await page.locator('#help-go-on').click();
      await page.waitForSelector('#help-screen', { state: 'detached' });
      item = await currentItem(page);
    }
  }
  await waitSaved(page);
}

/** Logs in as the demo staff member, reading Swedish, and opens the only child's summary. */
export async function openSummary(page, url, { print = false } = {}) {
  await page.goto(`${url}/staff/#/staff`);
  await page.locator('#staff-username').fill(STAFF_USER);
  await page.locator('#staff-password').fill(STAFF_PASSWORD);
  await page.locator('#staff-login').click();
  await page.waitForSelector('#staff-logout', { timeout: 60_000 });
  await page.locator('#staff-lang-sv').click();
  const id = await page.locator('#children [data-assessment]').first().getAttribute('data-assessment', { timeout: 30_000 });
  await page.goto(`${url}/staff/#/staff/child/${id}${print ? '/print' : ''}`);
  await page.waitForSelector('#summary #instrument', { timeout: 60_000 });
  return id;
}

/** The rendered height of the page, in CSS pixels. */
export async function pageHeight(page) {
  return page.evaluate(() => document.documentElement.scrollHeight);
}
