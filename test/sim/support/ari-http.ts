/** Plain ARI REST calls to a simulator, answering status and parsed JSON body. */
const AUTH = { authorization: `Basic ${Buffer.from('ari:ari').toString('base64')}` };

export interface AriReply { status: number; body: Record<string, unknown> | undefined }

/** `ari(url)('POST', '/channels?…', { variables })`: `body` travels as JSON. */
export function ariCaller(url: () => string) {
  return async (method: string, path: string, body?: unknown): Promise<AriReply> => {
    const res = await fetch(`${url()}/ari${path}`, {
      method,
      headers: { ...AUTH, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
  };
}

export const ARI_AUTH = AUTH;
