import { formatRoute, parseRoute, type Route, type ScreenId } from './routes';

/** The part of `window.location` the router needs (a plain object in tests). */
export interface HashHost {
  hash: string;
}

/**
 * The current screen, kept in the URL hash: `go` writes the hash (so back/forward and reload work),
 * and `sync` reads it again after a `hashchange` the user caused.
 */
export class Router {
  route = $state<Route>(parseRoute(''));

  constructor(private readonly host: HashHost) {
    this.route = parseRoute(host.hash);
  }

  go(screen: ScreenId, runIds: number[] = []): void {
    const hash = formatRoute({ screen, runIds });
    this.route = parseRoute(hash);
    if (this.host.hash !== hash) this.host.hash = hash;
  }

  /** Call on `hashchange`. */
  sync(): void {
    this.route = parseRoute(this.host.hash);
  }

  href(screen: ScreenId, runIds: number[] = []): string {
    return formatRoute({ screen, runIds });
  }
}
