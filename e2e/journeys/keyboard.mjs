// Keyboard journeys, some with JavaScript off: the skip link, signing in,
// the display settings, a directory search, the profile form, an event
// registration and the coordinator's page of a request. Each gets what
// run.mjs lends it: its `test`, `newContext`, `signIn` and `keyOf`, and the
// server's `base`.

import { ACCOUNTS, PASSWORD } from '../pages.mjs';

const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  if (!el) return null;
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    name: el.getAttribute('name'),
    type: el.getAttribute('type'),
    text: (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 80),
  };
});
const show = (f) => (f ? `<${f.tag}${f.id ? ` id=${f.id}` : ''}${f.name ? ` name=${f.name}` : ''}> “${f.text}”` : 'nothing');

async function journeySkipLink({ test, newContext, signIn, keyOf, base }) {
  await test('keyboard: skip link « Aller au contenu » leads to #contenu', async (problems) => {
    const ctx = await newContext(base);
    try {
      const page = await ctx.newPage();
      await page.goto('/');
      await page.keyboard.press('Tab');
      const f = await focused(page);
      if (!f || f.tag !== 'a' || !f.text.includes('Aller au contenu')) {
        problems.push(`first Tab focuses ${show(f)}, expected a link « Aller au contenu »`);
        return;
      }
      await page.keyboard.press('Enter');
      await page.waitForTimeout(200);
      const state = await page.evaluate(() => {
        const main = document.getElementById('contenu');
        return {
          mainTag: main ? main.tagName.toLowerCase() : null,
          hash: location.hash,
          focusedId: document.activeElement?.id || '',
        };
      });
      if (state.mainTag !== 'main') problems.push(`#contenu is ${state.mainTag ? `<${state.mainTag}>` : 'missing'}, expected <main>`);
      if (state.hash !== '#contenu' && state.focusedId !== 'contenu') {
        problems.push(`after Enter: location.hash=“${state.hash}”, focus on id “${state.focusedId}”`);
      }
      // The next Tab must land inside the main content, not back in the header.
      await page.keyboard.press('Tab');
      const inMain = await page.evaluate(() => !!document.activeElement?.closest('#contenu') ||
        !!(document.getElementById('contenu')?.compareDocumentPosition(document.activeElement) & Node.DOCUMENT_POSITION_FOLLOWING));
      if (!inMain) problems.push(`Tab after the skip link focuses ${show(await focused(page))}, which is before #contenu`);
    } finally {
      await ctx.close();
    }
  });
}

async function journeyKeyboardSignIn({ test, newContext, signIn, keyOf, base }) {
  await test('keyboard: sign in as coordinator with Tab, typing and Enter only', async (problems) => {
    const ctx = await newContext(base);
    try {
      const page = await ctx.newPage();
      await page.goto('/connexion');
      let f = null;
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press('Tab');
        f = await focused(page);
        if (f?.name === 'email') break;
      }
      if (f?.name !== 'email') { problems.push('the e-mail field (name=email) is never reached with Tab'); return; }
      await page.keyboard.type(ACCOUNTS.coordinator);
      let tabs = 0;
      do {
        await page.keyboard.press('Tab');
        tabs++;
        f = await focused(page);
      } while (f?.name !== 'password' && tabs < 5);
      if (f?.name !== 'password') { problems.push(`Tab after the e-mail field never reaches the password field (now on ${show(f)})`); return; }
      await page.keyboard.type(PASSWORD);
      await Promise.all([
        page.waitForURL((u) => u.pathname === '/espace', { timeout: 20_000 }).catch(() => {}),
        page.keyboard.press('Enter'),
      ]);
      const u = new URL(page.url());
      if (u.pathname !== '/espace') { problems.push(`after Enter: on ${keyOf(u)}, expected /espace`); return; }
      const h1 = await page.locator('h1').count();
      if (h1 < 1) problems.push('/espace has no <h1>');
    } finally {
      await ctx.close();
    }
  });
}

async function journeyDisplaySettingsNoJs({ test, newContext, signIn, keyOf, base }) {
  await test('keyboard, JavaScript off: display settings apply classes to <html>', async (problems) => {
    const ctx = await newContext(base, { javaScriptEnabled: false });
    try {
      const page = await ctx.newPage();
      const res = await page.goto('/parametres-affichage');
      if (!res || res.status() >= 400) { problems.push(`HTTP ${res?.status()} for /parametres-affichage`); return; }
      const choices = { taille: 'grand', contraste: 'renforce', espacement: 'large', police: 'lisible' };
      for (const [name, value] of Object.entries(choices)) {
        const radio = page.locator(`input[type=radio][name="${name}"][value="${value}"]`);
        if ((await radio.count()) !== 1) { problems.push(`no radio name=${name} value=${value}`); continue; }
        await radio.focus();
        await page.keyboard.press('Space');
        if (!(await radio.isChecked())) problems.push(`Space does not check radio ${name}=${value}`);
      }
      if (problems.length) return;
      const button = page.getByRole('button', { name: 'Enregistrer mes réglages' });
      if ((await button.count()) !== 1) { problems.push('no button « Enregistrer mes réglages »'); return; }
      await button.focus();
      const [resp] = await Promise.all([
        page.waitForNavigation({ timeout: 20_000 }),
        page.keyboard.press('Enter'),
      ]);
      if (resp && resp.status() >= 400) { problems.push(`submitting the settings answered HTTP ${resp.status()}`); return; }
      await page.goto('/');
      const cls = ((await page.locator('html').getAttribute('class')) || '').split(/\s+/);
      for (const want of ['taille-grand', 'contraste-renforce', 'espacement-large', 'police-lisible']) {
        if (!cls.includes(want)) problems.push(`<html> on / lacks class ${want} (has “${cls.join(' ')}”)`);
      }
    } finally {
      await ctx.close();
    }
  });
}

async function journeyDirectorySearchNoJs({ test, newContext, signIn, keyOf, base }) {
  await test('keyboard, JavaScript off: search the directory by words and département', async (problems) => {
    const ctx = await newContext(base, { javaScriptEnabled: false });
    try {
      const page = await ctx.newPage();
      await page.goto('/annuaire');
      const tabTo = async (pred, max = 80) => {
        for (let i = 0; i < max; i++) {
          await page.keyboard.press('Tab');
          const f = await focused(page);
          if (pred(f)) return f;
        }
        return null;
      };
      if (!(await tabTo((f) => f?.name === 'q'))) { problems.push('the words field (name=q) is never reached with Tab'); return; }
      await page.keyboard.type('educatrice');
      if (!(await tabTo((f) => f?.name === 'departement'))) { problems.push('the département list is never reached with Tab'); return; }
      await page.keyboard.type('31');
      const chosen = await page.locator('select[name=departement]').inputValue();
      if (chosen !== '31') { problems.push(`typing 31 on the département list chose “${chosen}”`); return; }
      if (!(await tabTo((f) => f?.tag === 'button' && f.text.includes('Rechercher')))) { problems.push('the « Rechercher » button is never reached with Tab'); return; }
      await Promise.all([page.waitForNavigation({ timeout: 20_000 }), page.keyboard.press('Enter')]);
      const u = new URL(page.url());
      if (u.searchParams.get('q') !== 'educatrice' || u.searchParams.get('departement') !== '31') {
        problems.push(`the search is not in the URL: ${u.search}`);
      }
      const results = await page.locator('.results').textContent().catch(() => '');
      if (!results || !results.includes('Awa Diallo')) problems.push('Awa Diallo is not among the results');
    } finally {
      await ctx.close();
    }
  });
}

async function journeyProfileByKeyboard({ test, newContext, signIn, keyOf, base }) {
  await test('keyboard only: a peer answers three questions of their profile', async (problems) => {
    const ctx = await newContext(base);
    try {
      const page = await ctx.newPage();
      await signIn(page, 'peer');
      const tabTo = async (pred, max = 80) => {
        for (let i = 0; i < max; i++) {
          await page.keyboard.press('Tab');
          const f = await focused(page);
          if (pred(f)) return f;
        }
        return null;
      };
      await page.goto('/espace/ma-fiche/nom');
      if (!(await tabTo((f) => f?.name === 'nom'))) { problems.push('the name field is never reached with Tab'); return; }
      await page.keyboard.press('Control+A');
      await page.keyboard.type('Awa D.');
      await Promise.all([page.waitForNavigation({ timeout: 20_000 }), page.keyboard.press('Enter')]);
      if (new URL(page.url()).pathname !== '/espace/ma-fiche/photo') { problems.push(`after the name: on ${page.url()}`); return; }
      await page.goto('/espace/ma-fiche/presentation');
      if (!(await tabTo((f) => f?.name === 'presentation'))) { problems.push('the presentation field is never reached with Tab'); return; }
      await page.keyboard.press('Control+A');
      await page.keyboard.type('Je forme les équipes au clavier.');
      if (!(await tabTo((f) => f?.tag === 'button' && f.text.includes('Enregistrer')))) { problems.push('the button is never reached with Tab'); return; }
      await Promise.all([page.waitForNavigation({ timeout: 20_000 }), page.keyboard.press('Enter')]);
      await page.goto('/espace/ma-fiche/format');
      const first = await tabTo((f) => f?.name === 'formats');
      if (!first) { problems.push('the format boxes are never reached with Tab'); return; }
      await page.keyboard.press('Space');
      if (!(await tabTo((f) => f?.tag === 'button' && f.text.includes('Enregistrer')))) { problems.push('the button is never reached with Tab'); return; }
      await Promise.all([page.waitForNavigation({ timeout: 20_000 }), page.keyboard.press('Enter')]);
      const text = await page.content();
      await page.goto('/espace/ma-fiche');
      const summary = await page.locator('main').textContent();
      if (!summary.includes('Awa D.') || !summary.includes('Je forme les équipes au clavier.')) problems.push('the answers are not on the summary page');
      if (text.includes('Erreur :') && !text.includes('Cochez au moins une case')) problems.push('unexpected error after the format question');
    } finally {
      await ctx.close();
    }
  });
}

/**
 * JavaScript off, keyboard only: open an event from the list, register with
 * a mistake first (the error summary, the fields keep what was typed), then
 * correctly; and register on the waiting list of a full event.
 */
async function journeyEventRegistrationNoJs({ test, newContext, signIn, keyOf, base }) {
  await test('keyboard, JavaScript off: register to an event (error path, then waiting list)', async (problems) => {
    const ctx = await newContext(base, { javaScriptEnabled: false });
    try {
      const page = await ctx.newPage();
      const tabTo = async (pred, max = 120) => {
        for (let i = 0; i < max; i++) {
          await page.keyboard.press('Tab');
          const f = await focused(page);
          if (pred(f)) return f;
        }
        return null;
      };
      const go = () => Promise.all([page.waitForNavigation({ timeout: 20_000 }), page.keyboard.press('Enter')]);
      await page.goto('/evenements');
      if (!(await tabTo((f) => f?.tag === 'a' && f.text.startsWith('Réunion d’information en ligne')))) { problems.push('the meeting link is never reached with Tab'); return; }
      await go();
      if (!(await tabTo((f) => f?.tag === 'a' && f.text.startsWith('S’inscrire')))) { problems.push('« S’inscrire » is never reached with Tab'); return; }
      await go();
      if (!(await tabTo((f) => f?.name === 'name'))) { problems.push('the name field is never reached'); return; }
      await page.keyboard.type('Inès Clavier');
      if (!(await tabTo((f) => f?.name === 'email'))) { problems.push('the e-mail field is never reached'); return; }
      await page.keyboard.type('ines-sans-arobase');
      if (!(await tabTo((f) => f?.tag === 'button' && f.text.startsWith('Je m’inscris')))) { problems.push('the submit button is never reached'); return; }
      await go();
      const title = await page.title();
      if (!title.startsWith('Erreur')) problems.push(`after a wrong e-mail the title is “${title}”, expected « Erreur : … »`);
      const summary = await page.locator('.error-summary').textContent().catch(() => '');
      if (!summary.includes('au bon format')) problems.push('the error summary does not name the e-mail problem');
      if (!summary.includes('Cochez la case')) problems.push('the error summary does not name the missing consent');
      if ((await page.locator('input[name=name]').inputValue()) !== 'Inès Clavier') problems.push('the name typed was lost');
      if (!(await tabTo((f) => f?.name === 'email'))) { problems.push('the e-mail field is never reached after the error'); return; }
      await page.keyboard.press('Control+A');
      await page.keyboard.type('ines.clavier@exemple.fr');
      if (!(await tabTo((f) => f?.name === 'needs' && f.id === 'need-sous-titrage'))) { problems.push('the captions box is never reached'); return; }
      await page.keyboard.press('Space');
      if (!(await tabTo((f) => f?.name === 'consent'))) { problems.push('the consent box is never reached'); return; }
      await page.keyboard.press('Space');
      if (!(await tabTo((f) => f?.tag === 'button' && f.text.startsWith('Je m’inscris')))) { problems.push('the submit button is never reached'); return; }
      await go();
      let main = await page.locator('main').textContent();
      if (!main.includes('Inscription confirmée')) problems.push(`after registering: “${main.slice(0, 200)}”`);
      if (!new URL(page.url()).pathname.startsWith('/inscriptions/')) problems.push(`after registering: on ${page.url()}`);

      // The demo workshop in Lille is full: the waiting list.
      await page.goto('/evenements?region=32');
      if (!(await tabTo((f) => f?.tag === 'a' && f.text.startsWith('Atelier de sensibilisation')))) { problems.push('the workshop link is never reached with Tab'); return; }
      await go();
      if (!(await tabTo((f) => f?.tag === 'a' && f.text.startsWith('S’inscrire sur la liste d’attente')))) { problems.push('« S’inscrire sur la liste d’attente » is never reached'); return; }
      await go();
      if (!(await tabTo((f) => f?.name === 'name'))) { problems.push('the name field is never reached'); return; }
      await page.keyboard.type('Hugo Attente');
      if (!(await tabTo((f) => f?.name === 'email'))) { problems.push('the e-mail field is never reached'); return; }
      await page.keyboard.type('hugo.attente@exemple.fr');
      if (!(await tabTo((f) => f?.name === 'consent'))) { problems.push('the consent box is never reached'); return; }
      await page.keyboard.press('Space');
      if (!(await tabTo((f) => f?.tag === 'button' && f.text.includes('liste d’attente')))) { problems.push('the waiting-list button is never reached'); return; }
      await go();
      main = await page.locator('main').textContent();
      if (!main.includes('Sur la liste d’attente') || !main.includes('en position')) problems.push(`after joining the waiting list: “${main.slice(0, 200)}”`);
    } finally {
      await ctx.close();
    }
  });
}

/**
 * The coordinator's page of a request, keyboard only: the task list at the
 * top leads to its section, and a form sent with a mistake gives the
 * focused error summary, whose link leads to the field, with what was
 * typed still there. The demo request waits for a peer's answer: its open
 * form is the host's référent (a wrong address changes nothing).
 */
async function journeyRequestPage({ test, newContext, signIn, keyOf, base }) {
  await test('keyboard: the request page, from its task list to a form with an error', async (problems) => {
    const ctx = await newContext(base);
    try {
      const page = await ctx.newPage();
      await signIn(page, 'coordinator');
      const tabTo = async (pred, max = 200) => {
        for (let i = 0; i < max; i++) {
          await page.keyboard.press('Tab');
          const f = await focused(page);
          if (pred(f)) return f;
        }
        return null;
      };
      const path = '/admin/demandes/demo-demande-esat';
      await page.goto(path);
      // The task list: its link to the host's side.
      const task = await tabTo((f) => f?.tag === 'a' && f.text.startsWith('Nommer le référent'));
      if (!task) { problems.push('the task « Nommer le référent » is never reached with Tab'); return; }
      await page.keyboard.press('Enter');
      await page.waitForTimeout(300);
      const landed = await page.evaluate(() => {
        const h = document.getElementById('accueil');
        const r = h ? h.getBoundingClientRect() : null;
        return { hash: location.hash, top: r ? r.top : null, height: window.innerHeight };
      });
      if (landed.hash !== '#accueil') problems.push(`after Enter on the task: location.hash=“${landed.hash}”, expected #accueil`);
      if (landed.top === null || landed.top < -5 || landed.top > landed.height) problems.push(`the section « Accueil » is not in view (top ${landed.top})`);
      // The next Tab goes on inside that section: its first choice.
      await page.keyboard.press('Tab');
      const next = await focused(page);
      if (next?.name !== 'referent') { problems.push(`Tab after the task link focuses ${show(next)}, expected the référent choices`); return; }
      // Invite a new person with a wrong address, by keyboard.
      // The radios of a group are one Tab stop: move with the arrow keys.
      let choice = next;
      for (let i = 0; i < 20 && choice?.id !== 'referent-nouveau'; i++) {
        await page.keyboard.press('ArrowDown');
        choice = await focused(page);
      }
      if (choice?.id !== 'referent-nouveau') { problems.push('the choice « Inviter une nouvelle personne » is never reached'); return; }
      await page.keyboard.press('Space');
      if (!(await tabTo((f) => f?.id === 'referent-name', 20))) { problems.push('the name field is never reached'); return; }
      await page.keyboard.type('Inès Clavier');
      if (!(await tabTo((f) => f?.id === 'referent-email', 5))) { problems.push('the e-mail field is never reached'); return; }
      await page.keyboard.type('ines-sans-arobase');
      if (!(await tabTo((f) => f?.tag === 'button' && f.text.startsWith('Nommer le référent'), 5))) { problems.push('the button « Nommer le référent » is never reached'); return; }
      await Promise.all([page.waitForNavigation({ timeout: 20_000 }), page.keyboard.press('Enter')]);
      const title = await page.title();
      if (!title.startsWith('Erreur')) problems.push(`after a wrong address the title is “${title}”, expected « Erreur : … »`);
      await page.waitForTimeout(200);
      let f = await focused(page);
      if (f?.id !== 'resume-erreurs') problems.push(`after the error, focus is on ${show(f)}, expected the error summary`);
      const heading = await page.locator('#resume-erreurs h2').textContent().catch(() => '');
      if (!heading.includes('1 erreur dans le formulaire')) problems.push(`the summary says “${heading}”`);
      await page.keyboard.press('Tab');
      f = await focused(page);
      if (f?.tag !== 'a') { problems.push(`Tab from the summary focuses ${show(f)}, expected its link`); return; }
      await page.keyboard.press('Enter');
      await page.waitForTimeout(300);
      const after = await page.evaluate(() => ({ hash: location.hash, id: document.activeElement?.id || '' }));
      if (after.hash !== '#referent-email' && after.id !== 'referent-email') problems.push(`the summary’s link leads to “${after.hash}” (focus on “${after.id}”), expected #referent-email`);
      if ((await page.locator('#referent-email').inputValue()) !== 'ines-sans-arobase') problems.push('the address typed was lost');
      if ((await page.locator('#referent-name').inputValue()) !== 'Inès Clavier') problems.push('the name typed was lost');
      if (!(await page.locator('#referent-nouveau').isChecked())) problems.push('the choice « Inviter une nouvelle personne » was lost');
      const beside = await page.locator('#referent-email-erreur').textContent().catch(() => '');
      if (!beside.includes('Erreur')) problems.push('no message beside the e-mail field');
    } finally {
      await ctx.close();
    }
  });
}

/** Runs the keyboard journeys, in this order. */
export async function keyboardJourneys(h) {
  await journeySkipLink(h);
  await journeyKeyboardSignIn(h);
  await journeyDisplaySettingsNoJs(h);
  await journeyDirectorySearchNoJs(h);
  await journeyProfileByKeyboard(h);
  await journeyEventRegistrationNoJs(h);
  await journeyRequestPage(h);
}
