import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

export const TOKEN_COOKIE = 'autotune_dashboard';

/**
 * Compares in constant time. Hashing first gives timingSafeEqual the equal-length buffers it requires without
 * leaking the token's length through an early return.
 */
export function tokenMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined || given.length === 0) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

/** The token a request carries: `Authorization: Bearer …`, else the session cookie. */
export function presentedToken(c: Context): string | undefined {
  const header = c.req.header('authorization');
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1];
  }
  return getCookie(c, TOKEN_COOKIE);
}

/** Rejects requests without the dashboard's token with 401. */
export function requireToken(token: string): MiddlewareHandler {
  return async (c, next) => {
    if (!tokenMatches(token, presentedToken(c))) {
      c.header('WWW-Authenticate', 'Bearer realm="autotune"');
      return c.json({ error: 'missing or wrong token: open the URL printed by `autotune dashboard`' }, 401);
    }
    await next();
  };
}

/**
 * `GET /?token=…`: trades the token in the URL for an HttpOnly, SameSite=Strict cookie and redirects to `/`, so the
 * token leaves the address bar and history, and scripts on the page never see it.
 */
export function loginWithToken(c: Context, token: string, given: string): Response {
  if (!tokenMatches(token, given)) return c.text('wrong token: open the URL printed by `autotune dashboard`', 401);
  setCookie(c, TOKEN_COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/' });
  return c.redirect('/', 303);
}
