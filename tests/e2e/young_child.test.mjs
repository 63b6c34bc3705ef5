// The youngest children (6–9) answer by picture: a child goes through the whole
// questionnaire to the finish page by pressing option buttons only. After the login code
// nothing is typed, no free-text field ever appears, and every answer option on every screen
// (yes/no, how often, the follow-up chains, pick-any lists, not only picture items) shows its
// picture with the words under it. The pictures are the app's own SVG, never emoji from the
// device's font: no button holds an emoji code point, and screenshots of three questions on this
// machine, which has no emoji font, go to target/screenshots/young-pictures-*.png.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  ROOT, freshDirs, createCodes, startServer, launchBrowser, logIn,
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
 * How every answer option of the shown item is drawn: whether its picture is one of the
 * app's own SVG drawings, visible, hidden from screen readers and above its visible label,
 * and whether any emoji code point is left in its text.
 */
async function optionPictures(page) {
  return page.locator(`${CURRENT} [data-option]`).evaluateAll((buttons) => buttons.map((button) => {
    const picture = button.querySelector('.picture-art');
    const svg = picture?.querySelector('svg[data-picture]');
    const label = button.querySelector('.label');
    const box = (el) => el?.getBoundingClientRect();
    const seen = (el) => Boolean(el && el.checkVisibility() && box(el).width > 0 && box(el).height > 0);
    return {
      option: button.dataset.option,
      picture: seen(svg) && svg.querySelectorAll('path, circle, rect, ellipse').length > 0,
      hidden: picture?.getAttribute('aria-hidden') === 'true' && svg?.getAttribute('aria-hidden') === 'true',
      label: seen(label) && label.textContent.trim().length > 0,
      under: Boolean(svg && label) && box(label).top >= box(svg).bottom - 1,
      emoji: button.textContent.match(/\p{Extended_Pictographic}/gu) ?? [],
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
      assert.ok(o.picture, `${item}: option ${o.option} shows none of the app's pictures`);
      assert.ok(o.hidden, `${item}: the picture of ${o.option} is read out by screen readers`);
      assert.ok(o.label, `${item}: option ${o.option} shows no words`);
      assert.ok(o.under, `${item}: the words of ${o.option} are not under its picture`);
      assert.deepEqual(o.emoji, [], `${item}: option ${o.option} still holds emoji`);
    }
    if (['gender', 'mood', 'secret.often'].includes(item)) {
      const out = join(ROOT, 'target/screenshots');
      mkdirSync(out, { recursive: true });
      await page.screenshot({ path: join(out, `young-pictures-${item.replace('.', '-')}.png`) });
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
