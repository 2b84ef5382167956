import { formatRoute, parseRoute, parseRouteView, type Route, type ScreenId } from './routes';

/** The part of `window.location` the router needs (a plain object in tests). */
export interface HashHost {
  hash: string;
}

/**
 * The current screen, kept in the URL hash: `go` writes the hash (so back/forward and reload work),
 * and `sync` reads it again after a `hashchange` the user caused. The Compare screen's view settings
 * (`view`) ride in the same hash, replaced in place (`replaceView`) so that moving a slider adds no
 * history entry.
 */
export class Router {
  route = $state<Route>(parseRoute(''));
  /** The Compare screen's view settings as a query (parseRouteView); '' elsewhere. */
  view = $state('');

  constructor(
    private readonly host: HashHost,
    /** Writes a hash without a new history entry (history.replaceState in the app). */
    private readonly replaceHash: (hash: string) => void = (hash) => (host.hash = hash),
  ) {
    this.route = parseRoute(host.hash);
    this.view = parseRouteView(host.hash);
  }

  /** The Compare screen's settings changed: the hash says them from now on, in place. */
  replaceView(view: string): void {
    if (this.route.screen !== 'compare' || view === this.view) return;
    this.view = view;
    const hash = formatRoute(this.route, view);
    if (this.host.hash !== hash) this.replaceHash(hash);
  }

  go(screen: ScreenId, runIds: number[] = []): void {
    const hash = formatRoute({ screen, runIds });
    this.route = parseRoute(hash);
    this.view = '';
    if (this.host.hash !== hash) this.host.hash = hash;
  }

  /** Call on `hashchange`. */
  sync(): void {
    this.route = parseRoute(this.host.hash);
    this.view = parseRouteView(this.host.hash);
  }

  href(screen: ScreenId, runIds: number[] = []): string {
    return formatRoute({ screen, runIds });
  }
}
