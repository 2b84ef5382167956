import { describe, expect, test } from 'vitest';
import { findJsonSyntaxError } from './jsonSyntaxError';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('findJsonSyntaxError', () => {
  // JSON.parse is the judge of what is JSON: the finder must agree with it on every text.
  const texts = [
    '{}', '[]', ' 0 ', '-0.5e-3', '"a\\u00e9\\n"', '{"a": [1, true, false, null, {"b": "c"}]}', '\r\n[1,\r\n2]\r\n',
    '', ' ', '{', '[', '{"a"}', '{"a": }', '{"a": 1,}', '[1,]', '[1 2]', '{a: 1}', "{'a': 1}", '01', '1.', '.5', '+1', '-',
    'tru', 'truex', 'nul', 'NaN', '"abc', '"a\nb"', '"\\x"', '"\\u12g4"', '{} {}', '{"a": 1} x', '[1]]', '{"a": 1 "b": 2}', '1e', '1e+',
  ];
  test.each(texts)('agrees with JSON.parse on %j', (text) => {
    expect(findJsonSyntaxError(text) === null).toBe(parses(text));
  });

  test('gives the line and column of the fault, counted from 1, and what was expected there', () => {
    const spec = '{\n  "layers": [\n    { "type": "dense" "units": 3 }\n  ]\n}\n';
    expect(findJsonSyntaxError(spec)).toEqual({ line: 3, column: 23, problem: `expected ',' or '}' after a property, found "units"` });
    expect(findJsonSyntaxError('{ "layers": [')).toEqual({ line: 1, column: 14, problem: 'expected a value (an object, array, string, number, true, false or null), but the text ends' });
    expect(findJsonSyntaxError('[1,\n 2,\n]')).toEqual({ line: 3, column: 1, problem: 'expected a value (an object, array, string, number, true, false or null), found ]' });
    expect(findJsonSyntaxError('{"a": 1,\n  b: 2}')).toEqual({ line: 2, column: 3, problem: 'expected a property name in double quotes, found b' });
    expect(findJsonSyntaxError('{"a": "x\ny"}')).toEqual({ line: 1, column: 9, problem: 'a line break or control character inside a string (write \\n, \\t)' });
    expect(findJsonSyntaxError('{} x')).toEqual({ line: 1, column: 4, problem: 'expected nothing after the JSON value, found x' });
  });
});
