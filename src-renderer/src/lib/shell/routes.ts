/**
 * The app's screens and how the current one is written in the URL hash, so a reload (or a link)
 * lands on the same screen: `#/runs`, `#/new-run`, `#/studies`, `#/datasets`, `#/playground`, and
 * `#/compare?runs=3,4,7` (the compared runs travel with the screen, and after them the view's settings:
 * `#/compare?runs=3,4&x=epoch&group=optimizer`).
 */
export type ScreenId = 'runs' | 'new-run' | 'studies' | 'datasets' | 'compare' | 'playground';

export interface ScreenEntry {
  id: ScreenId;
  label: string;
}

/** In navigation order. */
export const screens: readonly ScreenEntry[] = [
  { id: 'runs', label: 'Runs' },
  { id: 'new-run', label: 'New run' },
  { id: 'studies', label: 'Studies' },
  { id: 'datasets', label: 'Datasets' },
  { id: 'compare', label: 'Compare' },
  { id: 'playground', label: 'Playground' },
];

export interface Route {
  screen: ScreenId;
  /** The runs the Compare screen shows (empty elsewhere). */
  runIds: number[];
}

export const defaultRoute: Route = { screen: 'runs', runIds: [] };

const screenIds = new Set<string>(screens.map((s) => s.id));

function isScreenId(text: string): text is ScreenId {
  return screenIds.has(text);
}

/** Reads a hash such as `#/compare?runs=1,2`; anything unrecognised is the Runs screen. */
export function parseRoute(hash: string): Route {
  const body = hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = body.split('?', 2);
  if (!isScreenId(path)) return { ...defaultRoute };
  if (path !== 'compare') return { screen: path, runIds: [] };
  const runs = new URLSearchParams(query).get('runs') ?? '';
  return { screen: path, runIds: parseRunIds(runs) };
}

/** Positive integer ids in first-seen order, without repeats; other entries are dropped. */
function parseRunIds(text: string): number[] {
  const ids: number[] = [];
  for (const part of text.split(',')) {
    const trimmed = part.trim();
    if (!/^\d+$/.test(trimmed)) continue;
    const id = Number(trimmed);
    if (id > 0 && Number.isSafeInteger(id) && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

/**
 * The Compare screen's view settings in a hash (its query without `runs`, as the screen wrote it:
 * compareUrlState reads it); '' on other screens.
 */
export function parseRouteView(hash: string): string {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  if (path !== 'compare') return '';
  const params = new URLSearchParams(query);
  params.delete('runs');
  return params.toString();
}

/** `view`: the Compare screen's settings (parseRouteView), written after its runs. */
export function formatRoute(route: Route, view = ''): string {
  if (route.screen === 'compare' && route.runIds.length > 0) return `#/compare?runs=${route.runIds.join(',')}${view === '' ? '' : `&${view}`}`;
  return `#/${route.screen}`;
}
