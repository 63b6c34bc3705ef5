// The youngest children (6–9) answer by picture: a child goes through the whole
// questionnaire to the finish page by pressing option buttons only. After the login code
// nothing is typed, no free-text field ever appears, and every answer option on every screen
// (yes/no, how often, the follow-up chains, pick-any lists, not only picture items) shows its
// emoji with the words under it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  freshDirs, createCodes, startServer, launchBrowser, logIn,
  CURRENT, currentItem, nextItem, waitSaved,
} from './harness.mjs';

/**
 * What this child answers: one option id for a one-choice item, a list for a pick-any item.
 * They endorse a harmful secret (so its chain of follow-ups appears) and being treated
 * meanly at school, and tell nothing acute.
 */
const POLICY = {
  gender: 'girl',
  mood: 'ok',
  strengths: ['good_at', 'love_doing'],
  worries: ['none'],
  angry: 'sometimes',
  restless: ['none'],
  with_others: ['none'],
  npf: 'dont_know',
  secret: 'yes',
  adult_to_talk: 'yes',
  live_with: ['mum', 'siblings'],
  home_good: ['know_where', 'trust'],
  home_feel: 'happy',
  home_worries: ['none'],
  home_hard: ['none'],
  adult_hit: 'no',
  touched: 'no',
  school_feel: 'so_so',
  school_good: ['friend'],
  bullied: 'sometimes',
  school_hard: ['none'],
  stay_home: 'never',
  has_friends: 'yes',
  friends_good: ['join_in'],
  activity: 'yes',
  activity_adult: 'yes',
  threatened: 'no',
  outside_safe: 'yes',
};

/** The follow-ups of every chain, answered the same way: a few times, a little, yes. */
const FOLLOW_UP = { often: 'sometimes', worry: 'a_little', help: 'yes' };

/**
 * How every answer option of the shown item is drawn: whether its emoji is there, visible,
 * hidden from screen readers, and above its visible label.
 */
async function optionPictures(page) {
  return page.locator(`${CURRENT} [data-option]`).evaluateAll((buttons) => buttons.map((button) => {
    const emoji = button.querySelector('.emoji');
    const label = button.querySelector('.label');
    const box = (el) => el?.getBoundingClientRect();
    const seen = (el) => Boolean(el && el.checkVisibility() && box(el).width > 0 && box(el).height > 0);
    return {
      option: button.dataset.option,
      emoji: seen(emoji) && emoji.textContent.trim().length > 0,
      hidden: emoji?.getAttribute('aria-hidden') === 'true',
      label: seen(label) && label.textContent.trim().length > 0,
      under: Boolean(emoji && label) && box(label).top >= box(emoji).bottom - 1,
    };
  }));
}

test('a 6–9 child answers the whole questionnaire by picture, without typing', async (t) => {
  const dirs = freshDirs(t);
  const [code] = createCodes(dirs, 1, 'beratta-6-9@1');
  const server = await startServer(dirs);
  const browser = await launchBrowser();
  t.after(async () => { await browser.close(); await server.stop(); });

  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  // Every key press after the login code counts as typing.
  await logIn(page, server.url, code);
  await page.evaluate(() => {
    window.__keys = 0;
    document.addEventListener('keydown', () => { window.__keys += 1; }, true);
  });

  const seen = [];
  let item = await currentItem(page);
  for (let guard = 0; item !== 'finish'; guard++) {
    assert.ok(guard < 100, `never reached the finish page; went through ${seen.join(', ')}`);
    assert.notEqual(item, 'help', `the help screen appeared after ${seen.at(-1)}, though nothing acute was answered`);
    seen.push(item);
    assert.equal(await page.locator('#free-text').count(), 0, `${item} asks the child to write`);

    const options = await optionPictures(page);
    assert.ok(options.length > 0, `${item} has no answer options`);
    for (const o of options) {
      assert.ok(o.emoji, `${item}: option ${o.option} shows no emoji`);
      assert.ok(o.hidden, `${item}: the emoji of ${o.option} is read out by screen readers`);
      assert.ok(o.label, `${item}: option ${o.option} shows no words`);
      assert.ok(o.under, `${item}: the words of ${o.option} are not under its emoji`);
    }

    const step = item.split('.').at(-1);
    const answer = POLICY[item] ?? (item.includes('.') ? FOLLOW_UP[step] : undefined);
    assert.ok(answer, `this test has no answer for ${item}`);
    const kind = await page.locator(CURRENT).getAttribute('data-kind');
    if (Array.isArray(answer)) {
      assert.equal(kind, 'multiple', `${item} is not a pick-any item`);
      for (const option of answer) {
        await page.locator(`${CURRENT} [data-option="${option}"]`).click();
      }
      await page.locator('#next').click();
    } else {
      await page.locator(`${CURRENT} [data-option="${answer}"]`).click();
    }
    item = await nextItem(page, item);
  }

  // The path went through picture items and through chains drawn with pictures.
  for (const expected of ['gender', 'mood', 'npf', 'secret', 'secret.often', 'secret.worry', 'secret.help',
    'bullied.worry', 'bullied.help', 'activity_adult', 'outside_safe']) {
    assert.ok(seen.includes(expected), `the path never showed ${expected}: ${seen.join(', ')}`);
  }
  await page.waitForSelector('#finish', { timeout: 15_000 });
  await waitSaved(page);
  assert.equal(await page.evaluate(() => window.__keys), 0, 'the child had to use the keyboard');
  assert.equal(await page.locator('#help-now').count(), 0, 'help was offered though nothing acute was told');
});
