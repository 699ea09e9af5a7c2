/**
 * The pretext: the story a credential page tells to get the password typed — a voicemail or a shared
 * document waiting, a full mailbox, an expiring password, an identity to verify, a parcel held. It
 * needs no brand, which is how kits on compromised sites without a logo are still read. Honest pages
 * use the same words (a telephone company's voicemail portal, an article about phishing), but they sit
 * inside a site: the finding is made only on a dead-end page (fewer than `MAX_LIVE_LINKS` links that go
 * anywhere) or where the credential form posts to another site.
 * @module
 */
import type { Analyzer, Finding } from './analyzer.js';
import { excerpt } from './url-util.js';

const MAX_LIVE_LINKS = 3;
const CAPTURE = /^page\.capture\.(?:password|email|code)-field$/;
const READ_CAP = 20_000;

const PRETEXT = new RegExp(
  [
    String.raw`\bvoice ?mail\b|\bvoice message|\bfax message|\be-?fax\b`,
    String.raw`\b(?:shared|sent) (?:a |an |the |\d+ )?(?:document|file|folder|pdf)s? with you|\bhas shared\b|\b(?:document|file)s? (?:has|have) been shared`,
    String.raw`\b(?:view|read|open|access|download|retrieve|listen to) (?:the |this |your |a |all )?(?:shared |secure |secured |encrypted |pending |new )?(?:document|file|message|invoice|voicemail|attachment|fax|pdf|statement|remittance)s?\b`,
    String.raw`\bmailbox (?:is )?(?:almost )?(?:full|quota|storage)|\bstorage (?:is )?(?:full|almost full)|\bquota (?:exceeded|limit)`,
    String.raw`\bpassword (?:is )?(?:about to |will )?expir`,
    String.raw`\b(?:verify|confirm|re-?validate|re-?verify) your (?:identity|account|e-?mail|mailbox)`,
    String.raw`\b(?:unusual|suspicious) (?:sign-?in )?activity`,
    String.raw`\baccount (?:has been |will be |is )?(?:suspended|locked|disabled|restricted|limited|deactivated)`,
    String.raw`\b(?:pending|held|undelivered|blocked|incoming) (?:messages|e-?mails|mails)\b`,
    String.raw`\b(?:payment|remittance) advice|\bwire transfer (?:confirmation|details)`,
    String.raw`\b(?:parcel|package|shipment) (?:is )?(?:on hold|held|awaiting|could not be delivered)|\bdelivery (?:failed|attempt)`,
  ].join('|'),
  'i',
);

export const pretextAnalyzer: Analyzer = ({ facts }, earlier) => {
  const asks = earlier.some((f) => CAPTURE.test(f.id));
  if (!asks) return [];
  const offsite = earlier.some((f) => f.id === 'page.capture.offsite-form');
  if (facts.liveAnchors >= MAX_LIVE_LINKS && !offsite) return [];
  const read = `${facts.title} ${facts.text.slice(0, READ_CAP)}`;
  const m = PRETEXT.exec(read);
  if (!m) return [];
  const out: Finding[] = [
    {
      id: 'page.lure.pretext',
      detail: `a credential page tells a phishing pretext ("${m[0]}") ${offsite ? 'and posts to another site' : `with ${facts.liveAnchors} link(s) leading anywhere`}`,
      excerpt: excerpt(read.slice(Math.max(0, m.index - 40), m.index + m[0].length + 40)),
    },
  ];
  return out;
};
