import { describe, expect, it } from 'vitest';
import { csvDocument, csvField, csvLine } from './csvText';

describe('csvText', () => {
  it('leaves plain fields bare and quotes those with a comma, quote, CR or LF (quotes doubled)', () => {
    expect(csvField('sgd')).toBe('sgd');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField(' spaced ')).toBe(' spaced ');
    expect(csvField('plain text')).toBe('plain text');
    expect(csvField('cr\r')).toBe('"cr\r"');
  });

  it('writes numbers in their shortest form, null as an empty field, infinities as words', () => {
    expect(csvField(0.1)).toBe('0.1');
    expect(csvField(1e-7)).toBe('1e-7');
    expect(csvField(-0.25)).toBe('-0.25');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(Infinity)).toBe('Infinity');
    expect(csvField(false)).toBe('false');
  });

  it('neutralises text a spreadsheet would run as a formula with a leading quote, keeping numbers numbers', () => {
    // OWASP's list of formula starts: = + - @, tab and carriage return.
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('=HYPERLINK("http://evil.example","x")')).toBe(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(csvField('+cmd|\' /C calc\'!A0')).toBe("'+cmd|' /C calc'!A0");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1:A2)')).toBe("'@SUM(A1:A2)");
    expect(csvField('\t=1')).toBe("'\t=1");
    expect(csvField('\r=1')).toBe(`"'\r=1"`);
    expect(csvField('a=b')).toBe('a=b');
    // Numbers, given as numbers or as text (an archive writes infinities as text), stay numbers.
    expect(csvField(-1)).toBe('-1');
    expect(csvField('-1')).toBe('-1');
    expect(csvField('-0.25')).toBe('-0.25');
    expect(csvField('+1e-7')).toBe('+1e-7');
    expect(csvField('-Infinity')).toBe('-Infinity');
    expect(csvField(-Infinity)).toBe('-Infinity');
    expect(csvField('-')).toBe("'-");
    expect(csvLine(['=cmd', -3])).toBe("'=cmd,-3\r\n");
  });

  it('ends every line with CRLF, the last one included', () => {
    expect(csvLine(['a', 1, null, 'x,y'])).toBe('a,1,,"x,y"\r\n');
    expect(csvDocument(['h1', 'h2'], [[1, 2], ['"', '']])).toBe('h1,h2\r\n1,2\r\n"""",\r\n');
  });
});
