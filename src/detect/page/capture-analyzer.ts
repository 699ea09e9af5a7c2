/**
 * Credential capture: the page asks for a password or an account name, and where it sends them.
 * @module
 */
import type { Analyzer, Finding } from './analyzer.js';
import type { InputFact } from './html-facts.js';
import { excerpt, hostOf, siteOf } from './url-util.js';

const PASSWORD_NAME =
  /^(?:pass(?:word|wd)?|pwd|passwd|pw|pass_?\d?|userpass|user_?pass(?:word)?|login_?pass(?:word)?)$/i;
const ACCOUNT_NAME = /e-?mail|login|user(?:name|id)?|account|loginfmt|identifier|phone/i;
// Markup a script builds at run time (kits often inject the form to hide it from plain fetches).
const JS_PASSWORD_INPUT = /type\s*=\s*\\?["']?password/i;
const JS_FORM_REWRITE = /\.action\s*=(?!=)|setAttribute\(\s*["']action["']|\.formAction\s*=(?!=)/;
export const JS_POST =
  /\.open\(\s*["']post["']|method\s*:\s*["']post["']|\$\.(?:ajax|post)\s*\(|axios\.post\s*\(|sendBeacon\s*\(/i;
// A script that reads input values: the shape of a kit's own submit handler. What it reads counts as
// credentials when the selector names a credential field of the page or a credential word.
export const JS_READS_VALUE =
  /(?:getElementById|querySelector|getElementsByName|\$)\s*\(\s*["'`][#.]?([^"'`)]{1,80})["'`]\s*\)(?:\[0\])?\s*\.(?:value\b|val\(\))/g;
export const CREDENTIAL_WORD = /pass(?:word|wd)?|pwd|loginfmt|login|e-?mail|user(?:name)?/i;

// One-time codes: the second step of an adversary-in-the-middle kit ("Verify your identity", "Enter
// code") asks for no password. Exact names only: `code` alone is also a coupon or a postcode.
const CODE_NAME =
  /^(?:otc|otp|otp_?code|sms_?code|verification_?code|verify_?code|mfa_?code|totp(?:_?code)?|2fa(?:_?code)?|auth_?code|one_?time_?code|passcode)$/i;

export const isCodeInput = (i: InputFact): boolean =>
  i.type !== 'hidden' &&
  (i.autocomplete === 'one-time-code' ||
    CODE_NAME.test(i.name) ||
    CODE_NAME.test(i.id) ||
    (i.inputmode === 'numeric' && /^code$/i.test(i.name || i.id)));

export const isPasswordInput = (i: InputFact): boolean =>
  i.type === 'password' ||
  i.autocomplete.includes('password') ||
  (i.type === 'text' && (PASSWORD_NAME.test(i.name) || PASSWORD_PLACEHOLDER.test(i.placeholder)));

// Kits give their fields random names to slip past name checks; what the visitor reads stays.
const ACCOUNT_PLACEHOLDER = /e-?mail|phone|skype|user ?name|user ?id/i;
const PASSWORD_PLACEHOLDER = /^\s*(?:your |enter (?:your )?)?(?:e-?mail )?password\s*$/i;

export const isAccountInput = (i: InputFact): boolean =>
  i.type === 'email' ||
  ((i.type === 'text' || i.type === 'tel') && ACCOUNT_PLACEHOLDER.test(i.placeholder)) ||
  i.autocomplete === 'username' ||
  i.autocomplete === 'email' ||
  ((i.type === 'text' || i.type === 'tel') && (ACCOUNT_NAME.test(i.name) || ACCOUNT_NAME.test(i.id)));

export const captureAnalyzer: Analyzer = ({ facts, js, site }) => {
  const out: Finding[] = [];
  const passwords = facts.inputs.filter(isPasswordInput);
  const accounts = facts.inputs.filter(isAccountInput);
  const scriptBuilt = passwords.length === 0 && JS_PASSWORD_INPUT.test(js);
  if (passwords.length > 0 || scriptBuilt) {
    const names = passwords.map((i) => i.name || i.id).filter(Boolean);
    out.push({
      id: 'page.capture.password-field',
      detail: scriptBuilt
        ? 'a script builds a password field at run time'
        : `the page has ${passwords.length} password field(s)${names.length ? ` (${names.slice(0, 3).join(', ')})` : ''}`,
    });
  }
  if (accounts.length > 0) {
    out.push({
      id: 'page.capture.email-field',
      detail: `the page asks for an account: ${accounts
        .slice(0, 3)
        .map((i) => i.name || i.id || i.type)
        .join(', ')}`,
    });
  }
  const codes = facts.inputs.filter(isCodeInput);
  if (codes.length > 0) {
    out.push({
      id: 'page.capture.code-field',
      detail: `the page asks for a one-time code (${codes
        .slice(0, 2)
        .map((i) => i.name || i.id || i.autocomplete)
        .join(', ')})`,
    });
  }
  const credentialForms = new Set(
    [...passwords, ...accounts, ...codes].map((i) => i.form).filter((f) => f >= 0),
  );
  for (const f of credentialForms) {
    const form = facts.forms[f];
    if (!form?.action) continue;
    const target = siteOf(hostOf(form.action));
    if (target && site && target !== site) {
      out.push({
        id: 'page.capture.offsite-form',
        detail: `a credential form on ${site} posts to ${target}`,
        excerpt: excerpt(form.action),
        entities: [`url:${form.action}`],
      });
      break;
    }
  }
  const rewrite = JS_FORM_REWRITE.exec(js);
  if (rewrite && (passwords.length > 0 || accounts.length > 0 || scriptBuilt)) {
    out.push({
      id: 'page.capture.js-form-rewrite',
      detail: 'a script changes where the credential form posts',
      excerpt: excerpt(js.slice(rewrite.index, rewrite.index + 80)),
    });
  }
  const fields = new Set([...passwords, ...accounts].flatMap((i) => [i.id, i.name]).filter(Boolean));
  const read = JS_POST.test(js)
    ? [...js.matchAll(JS_READS_VALUE)].find((m) => fields.has(m[1] ?? '') || CREDENTIAL_WORD.test(m[1] ?? ''))
    : undefined;
  if (read) {
    out.push({
      id: 'page.capture.js-post',
      detail: `a script reads the credential field ${read[1]} and posts it itself`,
      excerpt: excerpt(read[0]),
    });
  }
  return out;
};
