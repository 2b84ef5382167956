import { describe, expect, it } from 'vitest';
import { renderStudyHtml } from './renderStudyHtml';
import { tinyStudy } from './studyFixtures.testkit';
import { buildStudyReport } from './studyReport';

const hostile = '<script>alert(1)</script>';

describe('the HTML report', () => {
  it('holds the table, the profiles and two learning-curve plots per architecture', () => {
    const html = renderStudyHtml(buildStudyReport(tinyStudy(), { trainLossWindow: 2 }));
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<table class="study-table"/g)).toHaveLength(1);
    expect(html).toContain('<td class="best"><div class="result">★ 9.4&nbsp;±&nbsp;4.4 / 21.9&nbsp;±&nbsp;4.4</div><div class="notes">2 seeds</div><div class="paper">paper (CIFAR-10): 15.3 / 19.3</div></td>');
    expect(html).toContain('<div class="notes failures">1 seed · 1 diverged · lr 0.1</div>');
    // 3 performance profiles + 2 architectures × (training loss, validation error).
    expect(html.match(/<svg /g)).toHaveLength(7);
    expect(html).toContain('<title>Performance profile by network passes</title>');
    expect(html).toContain('<title>random 1: validation error</title>');
  });

  it('embeds every user text as text: a label <script>alert(1)</script> is shown, not run', () => {
    const data = tinyStudy();
    data.name = hostile;
    data.spec.dataset = `/data/${hostile}`;
    data.architectures[0]!.label = hostile;
    data.optimizers[1] = `SGD ${hostile}`;
    for (const run of data.runs) {
      if (run.architecture === 'Basic') run.architecture = hostile;
      if (run.optimizer === 'SGD') run.optimizer = `SGD ${hostile}`;
      run.error = `"quoted" & ${hostile}`;
    }
    const html = renderStudyHtml(buildStudyReport(data));
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('<h1>&#60;script&#62;alert(1)&#60;/script&#62;</h1>');
    expect(html).toContain('<th>SGD &#60;script&#62;alert(1)&#60;/script&#62;</th>');
    expect(html).toContain('aria-label="&#60;script&#62;alert(1)&#60;/script&#62;: training loss"');
    expect(html).toContain('&#34;quoted&#34; &#38; &#60;script&#62;');
  });

  it('loads nothing from outside the file and forbids it', () => {
    const html = renderStudyHtml(buildStudyReport(tinyStudy()));
    for (const reference of [/https?:/i, /\bsrc=/i, /\bhref=/i, /url\(/i, /@import/i, /<link/i, /<img/i, /<iframe/i, /<object/i, /<script/i]) {
      expect(html).not.toMatch(reference);
    }
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
  });
});
