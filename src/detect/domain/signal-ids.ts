/**
 * The signal ids the domain engine emits. Stable: stored assessments, policies and docs refer to them.
 * @module
 */
export const DOMAIN_SIGNALS = {
  /** Label reads as a brand token through Unicode or ASCII look-alikes (UTS #39 skeleton). */
  homoglyph: 'domain.homoglyph',
  /** One character left out (`micosoft`). */
  omission: 'domain.typo.omission',
  /** One character added inside (`microssoft` is repetition, `micrsosoft` insertion). */
  insertion: 'domain.typo.insertion',
  /** One character appended (`microsoft1`). */
  addition: 'domain.typo.addition',
  /** A character doubled (`miccrosoft`). */
  repetition: 'domain.typo.repetition',
  /** A character replaced by a keyboard neighbour (`micrisoft`). */
  replacement: 'domain.typo.replacement',
  /** A character one bit-flip away (`mic2osoft`): memory errors and deliberate squats. */
  bitsquatting: 'domain.typo.bitsquatting',
  /** A vowel replaced by another vowel (`micrasoft`). */
  vowelSwap: 'domain.typo.vowel-swap',
  /** Two neighbouring characters swapped (`mircosoft`). */
  transposition: 'domain.typo.transposition',
  /** Any other single replacement. */
  substitution: 'domain.typo.substitution',
  /** Two edits from a long brand token. */
  edit2: 'domain.typo.two-edits',
  /** Brand token cut by hyphens (`micro-soft`). */
  hyphenation: 'domain.typo.hyphenation',
  /** Brand token cut by a dot (`micro.soft.com`). */
  dotInsertion: 'domain.typo.dot-insertion',
  /** Exactly a brand token under a suffix the brand does not own. */
  tldSwap: 'domain.tld-swap',
  /** Brand token combined with other words (`microsoft-login`, `loginmicrosoft`). */
  combosquat: 'domain.combosquat',
  /** Brand glued to URL debris (`wwwmicrosoft`, `microsoftcom`). */
  urlMimic: 'domain.url-mimic',
  /** Brand or official domain in the subdomains of an unrelated registrable domain. */
  brandInSubdomain: 'domain.brand-in-subdomain',
  /** Lure words (document, invoice, voicemail, login, verify…) in the chosen label. */
  lureVocabulary: 'domain.lure-vocabulary',
  /** A short unknown name framed by lure words (`<bank>-secure`, `auth<bank>`): brand-agnostic. */
  lureFrame: 'domain.lure-frame',
  /** A common word one edit off (`clloud`, `admiin`). */
  misspelledWord: 'domain.misspelled-word',
  /** Hex slugs, long digit runs. */
  randomSlug: 'domain.random-slug',
  /** Unusually long label or many hyphens. */
  labelShape: 'domain.label-shape',
  /** A top-level domain over-represented in abuse. */
  abusedTld: 'domain.abused-tld',
  /** A tenant subdomain on a shared platform (`*.workers.dev`). */
  platformTenant: 'domain.platform-tenant',
  /**
   * A CDN/edge name that carries a customer's host name (`www.example.com.edgekey.net`): scored as the
   * host it carries; this signal explains why.
   */
  edgeAlias: 'domain.edge-alias',
  /** A brand's exact name under .com/.net/.org: an old registration, the brand's own or a namesake's (damps). */
  legacyNamesake: 'domain.legacy-namesake',
  /** The registrable domain is on the popularity list (damps by rank; explains, never clears). */
  popular: 'domain.popular',
  /** The registrable domain belongs to a loaded brand's portfolio (allow-list). */
  brandOwned: 'domain.brand-owned',
  /**
   * A certificate names the name together with the brand's own domain (ownership evidence: the CA
   * validated both for one holder). Read from the name's certificates, not the name alone.
   */
  brandCoNamed: 'domain.brand-co-named',
  /** Registered shortly before it was seen (RDAP enrichment). */
  newRegistration: 'domain.new-registration',
  /** Registered long before it was seen. */
  oldRegistration: 'domain.old-registration',
} as const;

export type DomainSignalId = (typeof DOMAIN_SIGNALS)[keyof typeof DOMAIN_SIGNALS];
