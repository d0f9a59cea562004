// What the journeys share to move by keyboard: what has the focus, and
// pressing Tab until the wanted element has it.

/** The focused element, as the journeys compare it. */
export const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  if (!el) return null;
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    name: el.getAttribute('name'),
    type: el.getAttribute('type'),
    text: (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 120),
  };
});

/** Presses Tab until `wanted(focus)` holds (at most `most` times); says
 * what was never reached in `problems`. */
export async function tabTo(page, wanted, what, problems, most = 80) {
  for (let i = 0; i < most; i += 1) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f && wanted(f)) return true;
  }
  problems.push(`${page.url()}: Tab never reached ${what}`);
  return false;
}
