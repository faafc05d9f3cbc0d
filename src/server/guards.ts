import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/** Largest request body the dashboard API accepts (its mutations take small JSON objects). */
export const DASHBOARD_BODY_LIMIT = 64 * 1024;

/** The names a loopback dashboard on `port` is reached by. */
export function defaultAllowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
}

/** The `Host` names a server bound to `host:port` answers: the loopback names, and the bound address itself. */
export function servedHosts(host: string, port: number): string[] {
  return [...defaultAllowedHosts(port), `${urlHost(host)}:${port}`];
}

/** An address as it appears in a URL: IPv6 literals in brackets. */
export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** The default ports a client leaves out of `Host` and `Origin`: 80 for http, 443 for https (a TLS proxy in front). */
const DEFAULT_PORTS = ['80', '443'];

/**
 * Every spelling of the allowed `host[:port]` names a client may send: a name on a default port also without the
 * port (a browser sends `Host: localhost` to http://localhost:80/), and a name allowed without a port on either
 * default port. Other ports must match exactly.
 */
export function hostSpellings(allowed: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const entry of allowed.map((h) => h.toLowerCase())) {
    names.add(entry);
    const port = /^(.*[^:\]]|\[[^\]]*\]):(\d+)$/.exec(entry);
    if (port) {
      if (DEFAULT_PORTS.includes(port[2] as string)) names.add(port[1] as string);
    } else {
      for (const p of DEFAULT_PORTS) names.add(`${entry}:${p}`);
    }
  }
  return names;
}

/**
 * DNS-rebinding defence: a hostile page can point its own name at 127.0.0.1, but the browser still sends that name
 * in `Host`, so only requests addressed to a name we serve under get through.
 */
export function allowHosts(allowed: readonly string[]): MiddlewareHandler {
  const names = hostSpellings(allowed);
  return async (c, next) => {
    const host = (c.req.header('host') ?? new URL(c.req.url).host).toLowerCase();
    if (!names.has(host)) return c.json({ error: `host "${host}" is not allowed` }, 403);
    await next();
  };
}

/** Headers that keep the pages from being framed, sniffed, or leaking URLs (with a token) to other sites. */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Frame-Options', 'DENY');
    // ECharts sets inline styles, hence 'unsafe-inline' for styles only; scripts come from this origin alone.
    c.header(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
  };
}

const MUTATIONS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Mutations take JSON only (415 otherwise) from this origin only: an HTML form on another site can send
 * `text/plain` or form bodies without a CORS preflight, never `application/json`. Bodies are size-limited (413).
 */
export function guardMutations(allowed: readonly string[], maxBodyBytes = DASHBOARD_BODY_LIMIT): MiddlewareHandler[] {
  const origins = new Set([...hostSpellings(allowed)].flatMap((h) => [`http://${h}`, `https://${h}`]));
  const check: MiddlewareHandler = async (c, next) => {
    if (!MUTATIONS.has(c.req.method)) return next();
    const origin = c.req.header('origin');
    if (origin !== undefined && !origins.has(origin.toLowerCase())) return c.json({ error: `origin "${origin}" is not allowed` }, 403);
    const hasBody =
      c.req.method !== 'DELETE' || Number(c.req.header('content-length') ?? 0) > 0 || c.req.header('transfer-encoding') !== undefined;
    const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
    if (hasBody && type !== 'application/json') return c.json({ error: 'send JSON (content-type: application/json)' }, 415);
    await next();
  };
  const limit = bodyLimit({
    maxSize: maxBodyBytes,
    onError: (c) => c.json({ error: `request body over ${maxBodyBytes} bytes` }, 413),
  });
  return [check, async (c, next) => (MUTATIONS.has(c.req.method) ? limit(c, next) : next())];
}
