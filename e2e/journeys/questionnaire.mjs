// Keyboard-only, JavaScript-off journey: the host of the demo ESAT's
// intervention answers the questionnaire through their personal link, one
// question per page, declining one question, checks the answers and sends
// them; the link opened again says they already answered. It gets what
// run.mjs lends it: its `test`, `newContext` and the server's `base`.

import { tabTo } from './focus.mjs';

const heading = (page) => page.evaluate(() => (document.querySelector('h1')?.textContent || '').trim());

export async function questionnaireJourney({ test, newContext, base }) {
  await test('keyboard, JavaScript off: the host answers the questionnaire one question per page', async (problems) => {
    const ctx = await newContext(base, { javaScriptEnabled: false });
    try {
      const page = await ctx.newPage();
      await page.goto('/questionnaire/demo-questionnaire-accueil');
      const title = await heading(page);
      if (!/avis/i.test(title)) problems.push(`first page's heading is « ${title} »`);
      const intro = await page.textContent('main');
      if (!intro.includes('Question 1 sur')) problems.push('first page does not say « Question 1 sur … »');
      const next = async (what) => {
        if (await tabTo(page, (f) => f.tag === 'button' && f.text === 'Continuer', `« Continuer » (${what})`, problems)) {
          await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
        }
      };
      // 1. A step of the scale: the first radio button, chosen with Space.
      if (await tabTo(page, (f) => f.tag === 'input' && f.type === 'radio', 'the first step of the scale', problems)) {
        await page.keyboard.press('Space');
      }
      await next('question 1');
      if (!(await page.textContent('main')).includes('Question 2 sur')) problems.push(`after question 1: « ${await heading(page)} », not question 2`);
      // 2. « Je préfère ne pas répondre »: the last choice of the scale,
      // reached from the first with the Up arrow (which also chooses it).
      if (await tabTo(page, (f) => f.tag === 'input' && f.type === 'radio', 'the scale of question 2', problems)) {
        await page.keyboard.press('ArrowUp');
        const chosen = await page.evaluate(() => document.querySelector('input[type=radio]:checked')?.value || '');
        if (chosen !== 'ne-pas-repondre') problems.push(`Up arrow chose « ${chosen} », not « Je préfère ne pas répondre »`);
      }
      await next('question 2');
      // 3. Yes / no / je ne sais pas: the first choice.
      if (await tabTo(page, (f) => f.tag === 'input' && f.type === 'radio', 'the first choice of question 3', problems)) {
        await page.keyboard.press('Space');
      }
      await next('question 3');
      // 4. A short text, typed.
      if (await tabTo(page, (f) => f.tag === 'textarea', 'the text box of question 4', problems)) {
        await page.keyboard.type('Merci pour cette intervention, très claire.');
      }
      await next('question 4');
      if ((await heading(page)) !== 'Vérifiez vos réponses') {
        problems.push(`after the last question: « ${await heading(page)} », expected « Vérifiez vos réponses »`);
        return;
      }
      const review = await page.textContent('main');
      for (const words of ['Très bien', 'Je préfère ne pas répondre', 'Merci pour cette intervention']) {
        if (!review.includes(words)) problems.push(`the review does not show « ${words} »`);
      }
      if (await tabTo(page, (f) => f.tag === 'button' && f.text === 'Envoyer mes réponses', '« Envoyer mes réponses »', problems)) {
        await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
      }
      if ((await heading(page)) !== 'Merci !') problems.push(`after sending: « ${await heading(page)} », expected « Merci ! »`);
      // The link opened twice: no second response.
      await page.goto('/questionnaire/demo-questionnaire-accueil');
      if ((await heading(page)) !== 'Vous avez déjà répondu, merci') {
        problems.push(`the link opened again shows « ${await heading(page)} »`);
      }
    } finally {
      await ctx.close();
    }
  });
}
