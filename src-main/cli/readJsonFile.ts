import { readFileSync } from 'node:fs';
import { UserInputError } from '../engine/errors';
import { findJsonSyntaxError } from './jsonSyntaxError';

/** A JSON file the user named (`what`: "model spec"); a file that cannot be read or parsed is named with where it breaks. */
export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserInputError(`${path}: cannot read the ${what} (${(error as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const fault = findJsonSyntaxError(text);
    if (fault === null) throw error;
    throw new UserInputError(`${path}: not valid JSON at line ${fault.line}, column ${fault.column}: ${fault.problem}`);
  }
}
