import { expect, test } from 'vitest';
import { parseNumberText } from './numberText';

test('plain decimal numbers, with sign and exponent', () => {
  expect(parseNumberText('lr', ' 0.1 ')).toEqual({ ok: true, value: 0.1 });
  expect(parseNumberText('lr', '-2')).toEqual({ ok: true, value: -2 });
  expect(parseNumberText('lr', '.5')).toEqual({ ok: true, value: 0.5 });
  expect(parseNumberText('lr', '1E-3')).toEqual({ ok: true, value: 0.001 });
});

test('anything else names the field and echoes the text', () => {
  for (const text of ['', 'fast', '0x10', 'Infinity', '1e400', '1,5', '1.2.3']) {
    expect(parseNumberText('lr', text)).toEqual({ ok: false, error: `lr: expected a number, got "${text}"` });
  }
});
