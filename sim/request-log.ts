/**
 * The ARI REST requests the simulator answered, oldest first: what Asterisk was asked to do,
 * for tests to check where no event would show it (music on hold, DTMF sent out on a SIP
 * line). The credentials never enter it; a long demo run keeps only the latest requests.
 */
export interface ReceivedRequest {
  method: string;
  /** Relative to `/ari`, as sent (`/channels/<id>/moh`). */
  path: string;
  query: Record<string, string>;
  status: number;
}

const KEPT = 1000;

export class RequestLog {
  private readonly list: ReceivedRequest[] = [];

  record(method: string, path: string, params: URLSearchParams, status: number): void {
    const query = Object.fromEntries([...params].filter(([name]) => name !== 'api_key'));
    this.list.push({ method, path, query, status });
    if (this.list.length > KEPT) this.list.shift();
  }

  all(): readonly ReceivedRequest[] {
    return this.list;
  }
}
