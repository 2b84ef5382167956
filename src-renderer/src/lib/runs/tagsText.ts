/** Tags as typed in one text field: `baseline, paper figure 2` → ['baseline', 'paper figure 2']. */
import { parseError, parsedValue, type Parsed } from '../shell/parsed';

/** The Lab API's limits (labSchemas): at most 50 tags of at most 60 characters. */
const maxTags = 50;
const maxTagLength = 60;

export function parseTags(text: string): Parsed<string[]> {
  const tags: string[] = [];
  for (const part of text.split(',')) {
    const tag = part.trim();
    if (tag === '' || tags.includes(tag)) continue;
    if (tag.length > maxTagLength) return parseError(`tags: "${tag.slice(0, 20)}…" is longer than ${maxTagLength} characters`);
    tags.push(tag);
  }
  if (tags.length > maxTags) return parseError(`tags: at most ${maxTags}, got ${tags.length}`);
  return parsedValue(tags);
}

export function formatTags(tags: readonly string[]): string {
  return tags.join(', ');
}
