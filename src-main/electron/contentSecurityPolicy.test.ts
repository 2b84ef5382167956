import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './contentSecurityPolicy';

/** The content attribute of the page's CSP meta tag (attributes in any order, single or double quotes). */
function metaPolicy(html: string): string[] {
  const tags = html.match(/<meta\b[^>]*>/gi) ?? [];
  return tags
    .filter((tag) => /http-equiv\s*=\s*["']Content-Security-Policy["']/i.test(tag))
    .map((tag) => /\scontent\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(tag))
    .map((m) => m?.[1] ?? m?.[2] ?? '');
}

describe('contentSecurityPolicy', () => {
  it("is exactly the policy in the renderer's index.html meta tag (one tag)", () => {
    const html = readFileSync(new URL('../../src-renderer/index.html', import.meta.url), 'utf8');
    expect(metaPolicy(html)).toEqual([contentSecurityPolicy]);
  });

  it('allows no inline or eval\'d script and no remote origins', () => {
    const directives = new Map(contentSecurityPolicy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(contentSecurityPolicy).not.toMatch(/https?:|\*|'unsafe-eval'/);
  });

  it('connects only to the app\'s own origin, submits no form and allows no <base>', () => {
    const directives = new Map(contentSecurityPolicy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(contentSecurityPolicy).not.toMatch(/\bwss?:/);
  });
});
