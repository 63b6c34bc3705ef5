// Accessibility checks for the browser tests: axe-core (from npm) injected into the page
// under test, run against WCAG 2.1 A and AA. Pages are opened in a context that bypasses
// the Content-Security-Policy, because injecting a script is exactly what the policy forbids.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** A new page whose scripts the test may inject (only axe is ever injected). */
export async function checkablePage(browser, viewport = { width: 1366, height: 768 }) {
  const context = await browser.newContext({ bypassCSP: true, viewport });
  return context.newPage();
}

/** The WCAG 2.1 A/AA violations on the page as it is now, one line each. */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.addScriptTag({ content: AXE_SOURCE });
  }
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  return result;
}

/** Fails, naming `what` and listing them, when the page has axe-core violations. */
export async function assertAccessible(page, what) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `${what} has accessibility violations:\n${violations.join('\n')}`);
}
