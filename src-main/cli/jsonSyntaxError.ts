/** Where a text stops being JSON: 1-based line and column, as an editor shows them, and what is wrong there. */
export interface JsonSyntaxError {
  line: number;
  column: number;
  problem: string;
}

/**
 * The first syntax error of a text, or null when it is JSON. JSON.parse does not say where (V8 gives an
 * offset for some faults and a snippet of the whole text for others), so this walks the grammar itself.
 */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  let at = 0;
  const fault = (problem: string): JsonFault => new JsonFault(at, problem);
  const expected = (what: string): JsonFault => fault(`expected ${what}, ${at >= text.length ? 'but the text ends' : `found ${tokenAt(text, at)}`}`);
  const skipSpace = (): void => {
    while (/[ \t\n\r]/.test(text.charAt(at))) at++;
  };
  const string = (): void => {
    at++; // the opening quote
    for (let char = text.charAt(at); char !== '"'; char = text.charAt(at)) {
      if (char === '') throw expected('the closing " of a string');
      if (char < ' ') throw fault('a line break or control character inside a string (write \\n, \\t)');
      if (char === '\\') {
        const escape = /["\\/bfnrt]|u[0-9a-fA-F]{4}/y;
        escape.lastIndex = at + 1;
        if (!escape.test(text)) throw fault('a backslash that starts no escape (\\" \\\\ \\n \\t \\u00e9 …)');
        at = escape.lastIndex;
      } else {
        at++;
      }
    }
    at++;
  };
  const items = (close: string, item: () => void, after: string): void => {
    at++;
    skipSpace();
    if (text.charAt(at) === close) return void at++;
    for (;;) {
      item();
      skipSpace();
      if (text.charAt(at) === close) return void at++;
      if (text.charAt(at) !== ',') throw expected(`',' or '${close}' after ${after}`);
      at++;
      skipSpace();
    }
  };
  const property = (): void => {
    if (text.charAt(at) !== '"') throw expected('a property name in double quotes');
    string();
    skipSpace();
    if (text.charAt(at) !== ':') throw expected("':' after the property name");
    at++;
    value();
  };
  const value = (): void => {
    skipSpace();
    const char = text.charAt(at);
    if (char === '{') return items('}', property, 'a property');
    if (char === '[') return items(']', value, 'an array element');
    if (char === '"') return string();
    const literal = /(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)(?![\w.])/y;
    literal.lastIndex = at;
    if (!literal.test(text)) throw expected('a value (an object, array, string, number, true, false or null)');
    at = literal.lastIndex;
  };

  try {
    value();
    skipSpace();
    if (at < text.length) throw expected('nothing after the JSON value');
    return null;
  } catch (error) {
    if (!(error instanceof JsonFault)) throw error;
    const lines = text.slice(0, error.offset).split('\n');
    return { line: lines.length, column: lines[lines.length - 1].length + 1, problem: error.problem };
  }
}

/** The word, string or character at `at`, as a message quotes it. */
function tokenAt(text: string, at: number): string {
  const token = /"[^"\n]{0,24}"?|[^\s"{}[\],:]{1,24}|[^]/y;
  token.lastIndex = at;
  return token.exec(text)![0];
}

class JsonFault extends Error {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {
    super(problem);
  }
}
