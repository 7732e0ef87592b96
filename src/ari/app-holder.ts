/**
 * Whether some connection holds a Stasis app right now, asked over plain HTTP (the
 * connection's ari-client is gone by then): `GET /ari/applications/{app}` answers 200 while
 * a WebSocket holds the app and 404 "Application not found" once the last one has gone
 * (trace s17). Anything else (Asterisk away, a timeout, 401) is `unknown`: the caller keeps
 * waiting rather than taking an app it cannot see is free.
 */
export type AppHolder = 'held' | 'free' | 'unknown';

export async function appHolder(options: { url: string; username: string; password: string; app: string; timeoutMs: number }): Promise<AppHolder> {
  const base = options.url.replace(/\/+$/, '');
  const auth = Buffer.from(`${options.username}:${options.password}`).toString('base64');
  try {
    const res = await fetch(`${base}/ari/applications/${encodeURIComponent(options.app)}`, {
      headers: { authorization: `Basic ${auth}` },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    await res.arrayBuffer().catch(() => undefined);
    if (res.status === 200) return 'held';
    if (res.status === 404) return 'free';
    return 'unknown';
  } catch {
    return 'unknown';
  }
}
