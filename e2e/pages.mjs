// The ONE list of pages the browser tests visit, per audience.
//
// - `public`: visited logged out, and again by every signed-in role.
// - `signedIn`: visited by every signed-in role.
// - one list per role: visited by that role only (on top of the two above).
//
// Besides these pages, run.mjs crawls every same-origin <a href> it finds,
// so a page only needs to be listed here when no link leads to it (or when
// it must be checked even if a link to it disappears).

export const PASSWORD = 'demo-epop-2026';

/** Demo accounts created by `epop demo`, one per role. */
export const ACCOUNTS = {
  admin: 'admin@demo.epop.test',
  coordinator: 'coordination@demo.epop.test',
  referent: 'referente@demo.epop.test',
  peer: 'pair@demo.epop.test',
  requester: 'demandeur@demo.epop.test',
  observer: 'financeur@demo.epop.test',
  candidate: 'candidat@demo.epop.test',
};

/** Another territory's coordination (Hauts-de-France), for the journeys. */
export const OTHER_COORDINATOR = 'coordination-hdf@demo.epop.test';

export const ROLES = Object.keys(ACCOUNTS);

/**
 * Paths under which each page is one item of a collection (a profile, an
 * account…). The crawler visits a few links of each shape, not all of them;
 * the listed pages are always visited.
 */
export const COLLECTIONS = ['/annuaire/', '/admin/comptes/', '/admin/organisations/', '/admin/annuaire/', '/evenements/', '/admin/evenements/', '/inscriptions/', '/formations/', '/admin/formations/', '/admin/accompagnement/', '/admin/demandes/', '/espace/propositions/', '/admin/cadres/', '/programmes/', '/admin/programmes/', '/territoires/', '/espace/messages/', '/ecrire-a-la-coordination/suite/', '/admin/candidats/', '/admin/questionnaires/', '/boite-a-outils/', '/admin/boite-a-outils/', '/actualites/', '/admin/actualites/', '/admin/lettre/', '/admin/relectures/', '/espace/relectures/'];

export const PAGES = {
  public: [
    '/',
    '/?version=facile',
    '/accessibilite',
    '/mentions-legales',
    '/donnees-personnelles',
    '/parametres-affichage',
    '/connexion',
    '/connexion/lien',
    '/mot-de-passe-oublie',
    '/annuaire',
    '/annuaire?q=educatrice',
    '/annuaire?departement=31&intervention=former&tri=nom',
    '/annuaire?q=astronaute&departement=31',
    '/annuaire/awa-diallo',
    '/annuaire/awa-diallo?version=facile',
    '/evenements',
    '/evenements?region=32&lieu=sur-place',
    '/evenements?region=11',
    '/formations',
    '/programmes',
    '/programmes?version=facile',
    '/programmes/experimentation-locale-occitanie-2024-2025',
    '/programmes/experimentation-locale-occitanie-2024-2025?version=facile',
    '/programmes/deploiement-epop-en-hauts-de-france',
    '/territoires',
    '/territoires?version=facile',
    '/territoires/occitanie',
    '/territoires/occitanie?version=facile',
    '/territoires/occitanie/haute-garonne',
    '/territoires/la-reunion/la-reunion',
    '/devenir-intervenant-pair',
    '/devenir-intervenant-pair?version=facile',
    '/devenir-intervenant-pair?departement=31',
    '/devenir-referent',
    '/devenir-referent?version=facile',
    '/demander-une-intervention',
    '/rejoindre-une-organisation/lien-inconnu',
    '/compte-efface',
    '/ecrire-a-la-coordination',
    '/ecrire-a-la-coordination?departement=31',
    '/ecrire-a-la-coordination?departement=31&version=facile',
    '/ecrire-a-la-coordination?departement=75',
    '/ecrire-a-la-coordination?region=32',
    '/ecrire-a-la-coordination/envoye?departement=31',
    '/questionnaire/demo-questionnaire-accueil',
    '/questionnaire/demo-questionnaire-accueil?q=2',
    '/questionnaire/demo-questionnaire-accueil?q=5',
    '/questionnaire/demo-questionnaire-accueil?tout=1',
    '/questionnaire/demo-questionnaire-accueil?version=facile',
    '/questionnaire/demo-questionnaire-public',
    '/questionnaire/demo-questionnaire-public?merci=1',
    '/statistiques',
    '/statistiques?version=facile',
    '/statistiques?region=76',
    '/boite-a-outils',
    '/boite-a-outils?q=fiche+accueil',
    '/boite-a-outils?public=structures-d-accueil&facile=oui&territoire=region-76',
    '/boite-a-outils?q=xylophone',
    '/boite-a-outils/fiche-d-accueil-d-un-intervenant-pair',
    '/boite-a-outils/fiche-d-accueil-d-un-intervenant-pair?version=facile',
    '/boite-a-outils/les-savoirs-experientiels-des-personnes-en-situation-de-handicap',
    '/actualites',
    '/actualites?version=facile',
    '/actualites?region=76',
    '/actualites/occitanie-le-programme-2026-commence',
    '/actualites/occitanie-le-programme-2026-commence?version=facile',
    '/actualites/somme-des-referents-formes-a-amiens?version=facile',
    '/lettre',
    '/lettre?version=facile',
    '/lettre/envoye',
    '/lettre/desabonnement/lien-inconnu',
  ],
  signedIn: [
    '/espace',
    '/espace/mot-de-passe',
    '/espace/formations',
    '/espace/mon-parcours',
    '/espace/demandes',
    '/espace/propositions',
    '/espace/paiements',
    '/espace/accueil',
    '/espace/mes-donnees',
    '/espace/mes-donnees/effacer',
    '/espace/candidature',
    '/espace/lettre',
    '/espace/relectures',
  ],
  admin: [
    '/admin',
    '/admin/organisations',
    '/admin/organisations/nouvelle',
    '/admin/comptes',
    '/admin/comptes/inviter',
    '/admin/journal',
    '/admin/annuaire',
    '/admin/themes',
    '/admin/annuaire/import',
    '/admin/evenements',
    '/admin/evenements/nouveau',
    '/admin/cadres',
    '/admin/cadres/aah/volunteering',
    '/admin/formations',
    '/admin/formations/programmes/nouveau',
    '/admin/formations/sessions/nouvelle',
    '/admin/parcours',
    '/admin/programmes',
    '/admin/programmes/nouveau',
    '/admin/programmes/deploiement-epop-en-hauts-de-france',
    '/espace/messages',
    '/admin/candidats',
    '/admin/candidats/demo-candidature',
    '/admin/questionnaires',
    '/admin/questionnaires/nouveau',
    '/indicateurs',
    '/indicateurs?annee=2026&region=84',
    '/admin/boite-a-outils',
    '/admin/boite-a-outils/nouvelle',
    '/admin/boite-a-outils/fiche-d-accueil-d-un-intervenant-pair',
    '/boite-a-outils/proposer',
    '/admin/actualites',
    '/admin/actualites/nouvelle',
    '/admin/actualites/la-plateforme-du-reseau-des-intervenants-pairs-est-ouverte',
    '/admin/lettre',
    '/admin/relectures',
  ],
  coordinator: [
    '/admin/questionnaires',
    '/admin/annuaire',
    '/admin/annuaire/awa-diallo/formation',
    '/admin/themes',
    '/admin/annuaire/awa-diallo/modifier/presentation',
    '/admin/annuaire/awa-diallo/modifier/visibilite',
    '/admin/annuaire/awa-diallo/accord-ecrit',
    '/admin/comptes',
    '/admin/comptes/inviter',
    '/admin/evenements',
    '/admin/evenements/nouveau',
    '/admin/formations',
    '/admin/formations/sessions/nouvelle',
    '/admin/parcours',
    '/admin/demandes',
    '/admin/programmes',
    '/admin/programmes/experimentation-locale-occitanie-2026',
    '/espace/messages',
    '/espace/messages/demo-message-31',
    '/admin/candidats',
    '/admin/candidats/demo-candidature',
    '/indicateurs',
    '/indicateurs?annee=2026&departement=31&type=former',
    '/admin/boite-a-outils',
    '/admin/boite-a-outils/nouvelle',
    '/admin/boite-a-outils/fiche-d-accueil-d-un-intervenant-pair',
    '/admin/boite-a-outils/temoignage-video-d-une-intervenante-paire',
    '/boite-a-outils/temoignage-video-d-une-intervenante-paire',
    '/admin/actualites',
    '/admin/actualites/nouvelle',
    '/admin/actualites/occitanie-le-programme-2026-commence',
    '/admin/lettre',
    '/admin/relectures',
    '/admin/relectures/texte/ressource/fiche-d-accueil-d-un-intervenant-pair',
    '/admin/relectures/texte/actualite/occitanie-le-programme-2026-commence',
  ],
  referent: [
    '/boite-a-outils/proposer',
    '/espace/ma-fiche',
    '/espace/ma-fiche/metier',
  ],
  peer: [
    '/boite-a-outils/proposer',
    '/boite-a-outils/analyse-de-pratiques-reperes-pour-animer-un-groupe',
    '/espace/ma-fiche',
    '/espace/ma-fiche/nom',
    '/espace/ma-fiche/photo',
    '/espace/ma-fiche/interventions',
    '/espace/ma-fiche/themes',
    '/espace/ma-fiche/format',
    '/espace/ma-fiche/territoire',
    '/espace/ma-fiche/visibilite',
    '/espace/ma-fiche/amenagements',
  ],
  requester: [
    '/boite-a-outils/proposer',
    '/espace/organisation/inviter',
    '/espace/demandes/demo-demande-esat',
  ],
  observer: [
    '/indicateurs',
    '/indicateurs?du=2026-01&au=2026-06&region=76',
  ],
  candidate: [],
};

/** Pages listed for an audience: 'anonymous' or one of ROLES. Deduplicated. */
export function pagesFor(audience) {
  const list = audience === 'anonymous'
    ? [...PAGES.public]
    : [...PAGES.public, ...PAGES.signedIn, ...(PAGES[audience] ?? [])];
  return [...new Set(list)];
}

/** Pages screenshotted logged out (at 1280 px wide; `/` also at 320 px). */
export const SCREENSHOT_PUBLIC = [
  '/',
  '/?version=facile',
  '/accessibilite',
  '/parametres-affichage',
  '/connexion',
  '/annuaire',
  '/annuaire/awa-diallo',
  '/evenements',
];
