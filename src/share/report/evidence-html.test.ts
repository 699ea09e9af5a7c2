import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDocument } from 'htmlparser2';
import { type EvidenceReportModel, escapeHtml, renderEvidenceReport } from './evidence-html.js';

const XSS = `<script>alert(1)</script>"><img src=x onerror=alert(2)>' onmouseover='x`;
const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

function model(text: string): EvidenceReportModel {
  return {
    title: `Evidence: ${text}`,
    generated: '2026-11-20T12:00:00Z',
    tlp: 'amber',
    producer: text,
    campaign: {
      id: text,
      name: text,
      description: `${text} contact ops@raccoon-mail.example`,
      firstSeen: '2026-10-30T00:00:00Z',
      lastSeen: text,
    },
    indicators: [{ kind: text, value: text, confidence: 90, score: 90 }],
    timeline: [
      { time: '2026-11-02T00:00:00Z', event: 'certificate issued', detail: text },
      { time: '2026-11-01T00:00:00Z', event: `registered ${text}` },
    ],
    signals: [{ entity: text, id: text, weight: 50, detail: text }],
    facts: [{ entity: text, source: 'rdap', label: text, value: text }],
    snapshots: [{ url: text, capturedAt: '2026-11-03T00:00:00Z', sha256: 'ab'.repeat(32), bytes: 10 }],
    screenshots: [
      {
        entity: text,
        caption: text,
        contentType: 'image/png',
        bytes: png,
        capturedAt: '2026-11-03T00:00:00Z',
      },
      {
        entity: text,
        caption: 'svg',
        contentType: 'image/svg+xml' as never,
        bytes: Buffer.from('<svg onload="alert(3)"/>'),
        capturedAt: '2026-11-03T00:00:00Z',
      },
    ],
  };
}

describe('HTML evidence report', () => {
  it('escapes every value: no script, no handler, no external resource', () => {
    const html = renderEvidenceReport(model(XSS), { tlp: 'amber' });
    const doc = parseDocument(html);
    const elements: { name: string; attribs: Record<string, string> }[] = [];
    const walk = (n: { children?: unknown[] }) => {
      for (const c of (n.children ?? []) as {
        type: string;
        name: string;
        attribs: Record<string, string>;
        children?: unknown[];
      }[]) {
        if (c.type === 'tag' || c.type === 'script' || c.type === 'style') elements.push(c);
        walk(c);
      }
    };
    walk(doc as never);
    assert.ok(!elements.some((el) => el.name === 'script'));
    assert.ok(!elements.some((el) => Object.keys(el.attribs).some((a) => a.startsWith('on'))));
    const imgs = elements.filter((el) => el.name === 'img');
    assert.equal(imgs.length, 1, 'only whitelisted raster images are embedded');
    assert.match(imgs[0]?.attribs.src ?? '', /^data:image\/png;base64,/);
    assert.ok(!elements.some((el) => 'href' in el.attribs));
    assert.match(
      html,
      /Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'"/,
    );
    assert.ok(html.includes(escapeHtml(XSS)));
  });

  it('renders a timeline in time order, hashes, screenshots and the TLP banner', () => {
    const html = renderEvidenceReport(model('login-micros0ft.com'), { tlp: 'amber' });
    assert.ok(html.indexOf('registered login-micros0ft.com') < html.indexOf('certificate issued'));
    assert.match(html, /2026-11-01 00:00:00 UTC/);
    assert.match(html, new RegExp('ab'.repeat(32)));
    assert.equal((html.match(/TLP:AMBER/g) ?? []).length, 2);
    assert.match(html, /SHA-256 <code>[0-9a-f]{64}<\/code>/);
  });

  it('redacts personal data unless asked for at TLP:RED', () => {
    assert.doesNotMatch(renderEvidenceReport(model('x'), { tlp: 'amber' }), /raccoon-mail/);
    assert.match(
      renderEvidenceReport(model('x'), { tlp: 'red', includePersonalData: true }),
      /ops@raccoon-mail\.example/,
    );
    assert.throws(
      () => renderEvidenceReport(model('x'), { tlp: 'amber', includePersonalData: true }),
      /TLP:RED/,
    );
  });
});
