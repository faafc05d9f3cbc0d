import { describe, expect, it } from 'vitest';
import { tokenMatches } from '../../src/server/auth.js';
import { dashboardApp } from '../../src/server/dashboard-app.js';
import { servedHosts } from '../../src/server/guards.js';
import { MemoryStorage } from '../../src/storage/index.js';
import { call, PORT, seededApp, TOKEN } from './seed.js';

describe('dashboard security', () => {
  it('requires the token on every /api route: 401 without, 200 with the bearer header', async () => {
    const { app } = await seededApp();
    for (const path of ['/api/studies', '/api/studies/small', '/api/studies/small/trials', '/api/openapi.json', '/api/nowhere']) {
      const res = await call(app, path, { token: null });
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/Bearer/);
    }
    expect((await call(app, '/api/studies')).status).toBe(200);
    expect((await call(app, '/api/openapi.json')).status).toBe(200);
  });

  it('rejects a wrong token, a token of another length, and a malformed authorization header', async () => {
    const { app } = await seededApp();
    expect((await call(app, '/api/studies', { token: `${TOKEN.slice(0, -1)}x` })).status).toBe(401);
    expect((await call(app, '/api/studies', { token: 'short' })).status).toBe(401);
    expect((await call(app, '/api/studies', { headers: { authorization: `Basic ${TOKEN}` } })).status).toBe(401);
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(tokenMatches(TOKEN, '')).toBe(false);
    expect(tokenMatches(TOKEN, undefined)).toBe(false);
  });

  it('trades ?token= for an HttpOnly SameSite=Strict cookie, redirects to /, and the cookie then authorizes', async () => {
    const { app } = await seededApp();
    const login = await call(app, `/?token=${encodeURIComponent(TOKEN)}`, { token: null });
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe('/');
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^autotune_dashboard=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const pair = cookie.split(';')[0] as string;
    const res = await call(app, '/api/studies', { token: null, headers: { cookie: pair } });
    expect(res.status).toBe(200);
    expect((await call(app, '/api/studies', { token: null, headers: { cookie: 'autotune_dashboard=nope' } })).status).toBe(401);
    const bad = await call(app, '/?token=wrong', { token: null });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('set-cookie')).toBeNull();
  });

  it('answers 403 to a foreign Host (DNS rebinding), on pages and API alike', async () => {
    const { app } = await seededApp();
    for (const host of ['evil.example', `evil.example:${PORT}`, '127.0.0.1:1']) {
      expect((await call(app, '/api/studies', { headers: { host } })).status, host).toBe(403);
      expect((await call(app, '/', { headers: { host } })).status, host).toBe(403);
    }
    expect((await call(app, '/api/studies', { headers: { host: `localhost:${PORT}` } })).status).toBe(200);
  });

  it('takes JSON only for mutations (415), from this origin only (403), and limits the body size (413)', async () => {
    const { app } = await seededApp();
    const form = await call(app, '/api/studies/small/stop', {
      method: 'POST',
      body: 'reason=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    const text = await call(app, '/api/studies/small/stop', { method: 'POST', body: '{}', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    const foreign = await call(app, '/api/studies/small/stop', {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
    });
    expect(foreign.status).toBe(403);
    const big = JSON.stringify({ reason: 'x'.repeat(100_000) });
    const huge = await call(app, '/api/studies/small/stop', { method: 'POST', body: big, headers: { 'content-type': 'application/json' } });
    expect(huge.status).toBe(413);
  });

  it('sends headers that stop framing and sniffing, and refuses files outside the dashboard directory', async () => {
    const { app } = await seededApp();
    const page = await call(app, '/', { token: null });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/README.md', '/%E0%A4%A']) {
      expect((await call(app, path, { token: null })).status, path).toBe(404);
    }
    const echarts = await call(app, '/vendor/echarts.esm.min.js', { token: null });
    expect(echarts.status).toBe(200);
    expect(echarts.headers.get('content-type')).toMatch(/javascript/);
  });

  it('takes a Host without its port on port 80 (and 443), where browsers leave the default port out', async () => {
    const storage = new MemoryStorage();
    await storage.createStudy({ name: 'small', directions: ['minimize'], config: {} });
    const on = (port: number, extra: string[] = []) =>
      dashboardApp({ storage, token: TOKEN, allowedHosts: [...servedHosts('0.0.0.0', port), ...extra] });
    const status = async (app: ReturnType<typeof on>, host: string, init: RequestInit = {}) =>
      (await call(app, '/api/studies', { ...init, headers: { host, ...(init.headers as Record<string, string>) } })).status;
    const http = on(80);
    for (const host of ['localhost', 'LOCALHOST:80', '127.0.0.1', '[::1]', '0.0.0.0']) expect(await status(http, host), host).toBe(200);
    for (const host of ['localhost:8080', 'localhost:443', 'evil.example', 'evil.example:80'])
      expect(await status(http, host), host).toBe(403);
    // The browser's Origin leaves the port out too: a mutation from the page itself is not taken for a foreign one.
    const stop = { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', origin: 'http://localhost' } };
    expect((await call(http, '/api/studies/small/stop', { ...stop, headers: { ...stop.headers, host: 'localhost' } })).status).toBe(200);
    const foreign = { ...stop.headers, host: 'localhost', origin: 'http://evil.example' };
    expect((await call(http, '/api/studies/small/stop', { ...stop, headers: foreign })).status).toBe(403);
    // Behind a TLS proxy on 443: the bare name and the name with :443 are one; a name allowed bare takes both.
    const https = on(443, ['example.com', 'models.internal:8080']);
    for (const host of ['localhost', 'localhost:443', 'example.com', 'example.com:443', 'example.com:80', 'models.internal:8080']) {
      expect(await status(https, host), host).toBe(200);
    }
    for (const host of ['example.com:8443', 'models.internal', 'models.internal:443', 'localhost:80'])
      expect(await status(https, host), host).toBe(403);
    // Any other port still wants its number.
    expect(await status(on(PORT), 'localhost')).toBe(403);
  });

  it('refuses a short token', () => {
    expect(() => dashboardApp({ storage: new MemoryStorage(), token: 'abc', allowedHosts: [] })).toThrow(/at least 16/);
  });
});
