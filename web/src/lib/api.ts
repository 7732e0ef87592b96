/** The service's HTTP API from a page: sign-in, bearer token, and the error shape `{error_id, message}`. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorId: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Session {
  token: string;
  role: string;
  name: string;
}

const STORAGE_KEY = 'hotline.session';

/** POST /auth/token for a built-in user; the token lives in sessionStorage (gone when the tab closes). */
export async function signIn(username: string, password: string): Promise<Session> {
  const body = await request<{ token: string; role: string }>('POST', '/auth/token', { username, password });
  const session = { token: body.token, role: body.role, name: username };
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  return session;
}

export function savedSession(): Session | null {
  const raw = sessionStorage.getItem(STORAGE_KEY);
  return raw ? (JSON.parse(raw) as Session) : null;
}

export function forgetSession(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

export async function request<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const parsed = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const problem = (parsed ?? {}) as { error_id?: string; message?: string };
    throw new ApiError(res.status, problem.error_id ?? `http-${res.status}`, problem.message ?? res.statusText);
  }
  return parsed as T;
}

/** A client bound to one signed-in person. */
export function apiFor(session: Session) {
  return {
    get: <T>(path: string) => request<T>('GET', path, undefined, session.token),
    post: <T>(path: string, body?: unknown) => request<T>('POST', path, body, session.token),
    del: <T>(path: string) => request<T>('DELETE', path, undefined, session.token),
  };
}
export type Api = ReturnType<typeof apiFor>;
