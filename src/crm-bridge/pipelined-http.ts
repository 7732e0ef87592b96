/**
 * A small HTTP/1.1 client for one sink URL: a few keep-alive connections, each carrying up
 * to `depth` POSTs in flight (HTTP/1.1 pipelining: answers come back in request order), and
 * every request of one turn of the event loop written to a connection in one write.
 *
 * Why not node:http: it sends one request per connection at a time and one write (a system
 * call) per request, with a ClientRequest, agent bookkeeping and an abort listener each. On
 * this service's machines the system calls of loopback and LAN writes were the largest cost
 * of delivering (a fifth of the CPU at 1,400 messages/s), ahead of all the JavaScript.
 *
 * Pipelining never reorders a call: its lane sends a message only after the answer to the
 * previous one. A connection that fails (error, close, an answer it cannot read, no answer
 * within the timeout) fails every request still on it; the deliverer retries those, and the
 * receiver de-duplicates by X-Hotline-Event-Id.
 */
import net from 'node:net';
import tls from 'node:tls';

export interface PipelinedHttpOptions {
  url: string;
  /** Connections opened at most. */
  connections: number;
  /** Requests in flight on one connection at most (1: plain keep-alive, no pipelining). */
  depth: number;
  timeoutMs: number;
  /** Certificates trusted for an https URL instead of the system's (a private CA); NODE_EXTRA_CA_CERTS also works. */
  ca?: string;
}

export interface HttpAnswer {
  status: number;
  /** The first few KB of the body (enough for an error text). */
  text: string;
}

export class HttpRequestError extends Error {
  constructor(
    message: string,
    /** `unsendable`: this request can never be sent as it is (a header value with a line break). */
    readonly code: 'timeout' | 'network' | 'protocol' | 'aborted' | 'unsendable',
  ) {
    super(message);
  }
}

interface Pending {
  head: string;
  body: string;
  deadline: number;
  /** Times sent again after its connection closed under it (see Connection.destroy). */
  resent: number;
  resolve(answer: HttpAnswer): void;
  reject(err: HttpRequestError): void;
}

const KEEP_TEXT = 4096;
const HEAD_LIMIT = 64 * 1024;

export class PipelinedHttp {
  private readonly url: URL;
  private readonly connections = new Set<Connection>();
  private readonly queue: Pending[] = [];
  private readonly requestLine: string;
  private sweeper: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly options: PipelinedHttpOptions) {
    this.url = new URL(options.url);
    const path = `${this.url.pathname}${this.url.search}`;
    this.requestLine = `POST ${path} HTTP/1.1\r\nHost: ${this.url.host}\r\nContent-Type: application/json\r\n`;
  }

  /** POSTs `body` with these extra headers (names and values already checked by the caller). */
  post(headers: Record<string, string>, body: string): Promise<HttpAnswer> {
    if (this.closed) return Promise.reject(new HttpRequestError('client closed', 'aborted'));
    let head = this.requestLine;
    for (const name in headers) {
      const value = headers[name]!;
      if (/[\r\n]/.test(name) || /[\r\n]/.test(value)) return Promise.reject(new HttpRequestError(`header ${name} holds a line break`, 'unsendable'));
      head += `${name}: ${value}\r\n`;
    }
    head += `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
    return new Promise((resolve, reject) => {
      this.queue.push({ head, body, deadline: Date.now() + this.options.timeoutMs, resent: 0, resolve, reject });
      this.dispatch();
      this.sweeper ??= setInterval(() => this.sweep(), Math.max(10, Math.min(1000, Math.floor(this.options.timeoutMs / 10))));
    });
  }

  /** Fails every request in flight or queued (the lease was lost, or the process stops). */
  abortAll(): void {
    for (const pending of this.queue.splice(0)) pending.reject(new HttpRequestError('aborted', 'aborted'));
    for (const connection of this.connections) connection.destroy(new HttpRequestError('aborted', 'aborted'));
  }

  close(): void {
    this.closed = true;
    this.abortAll();
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
  }

  /** Hands queued requests to the least busy connection with room, opening one when all are busy. */
  private dispatch(): void {
    while (this.queue.length > 0) {
      let best: Connection | null = null;
      for (const c of this.connections) if (c.usable && c.load < this.options.depth && (!best || c.load < best.load)) best = c;
      if (!best || (best.load > 0 && this.connections.size < this.options.connections)) {
        if (this.connections.size < this.options.connections) best = this.open();
      }
      if (!best) return;
      best.send(this.queue.shift()!);
    }
  }

  private open(): Connection {
    const connection = new Connection(this.url, this.options.ca, this.options.depth, (unanswered) => {
      this.connections.delete(connection);
      // Ahead of newer requests, in their order (a call never has two in flight, so no call is reordered).
      this.queue.unshift(...unanswered);
      this.dispatch();
    }, () => this.dispatch());
    this.connections.add(connection);
    return connection;
  }

  /** Answers come in order, so only each connection's oldest request can be late. */
  private sweep(): void {
    const now = Date.now();
    for (const pending of this.queue) {
      if (pending.deadline <= now) pending.reject(new HttpRequestError(`no answer within ${this.options.timeoutMs} ms`, 'timeout'));
    }
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i]!.deadline <= now) this.queue.splice(i, 1);
    let busy = this.queue.length > 0;
    for (const connection of this.connections) {
      if (connection.oldestDeadline <= now) connection.destroy(new HttpRequestError(`no answer within ${this.options.timeoutMs} ms`, 'timeout'));
      else if (connection.load > 0) busy = true;
    }
    if (!busy && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = null;
    }
  }
}

/** One keep-alive connection: requests written in order, answers read in order. */
class Connection {
  private readonly socket: net.Socket;
  private readonly inFlight: Pending[] = [];
  private out: string[] = [];
  private flushing = false;
  private buffer: Buffer = Buffer.alloc(0);
  private answer: ResponseReader | null = null;
  private dead = false;
  /** The server said it closes after the answer being read: nothing more may be sent here. */
  private closing = false;

  /** Answers read on this connection: a server that answered and then closed speaks keep-alive but ends connections. */
  private answered = 0;

  /** `onGone` gets the requests to send again elsewhere (see destroy). */
  constructor(url: URL, ca: string | undefined, private readonly maxResends: number, private readonly onGone: (unanswered: Pending[]) => void, private readonly onRoom: () => void) {
    const secure = url.protocol === 'https:';
    const port = Number(url.port || (secure ? 443 : 80));
    const host = url.hostname.replace(/^\[|\]$/g, '');
    this.socket = secure ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, ...(ca ? { ca } : {}) }) : net.connect({ host, port });
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk: Buffer) => this.read(chunk));
    this.socket.on('error', (err: NodeJS.ErrnoException) => this.destroy(new HttpRequestError(err.code ?? err.message, 'network')));
    this.socket.on('close', () => {
      const text = this.answer?.untilClose(this.buffer);
      if (this.answer && text != null && !this.dead) this.inFlight.shift()?.resolve({ status: this.answer.status, text });
      this.destroy(new HttpRequestError('connection closed', 'network'));
    });
  }

  get usable(): boolean {
    return !this.dead && !this.closing;
  }

  get load(): number {
    return this.inFlight.length;
  }

  get oldestDeadline(): number {
    return this.inFlight[0]?.deadline ?? Number.POSITIVE_INFINITY;
  }

  send(pending: Pending): void {
    this.inFlight.push(pending);
    this.out.push(pending.head, pending.body);
    if (this.flushing) return;
    this.flushing = true;
    // The requests of this turn of the event loop go out in one write.
    setImmediate(() => {
      this.flushing = false;
      if (this.dead || this.out.length === 0) return;
      const data = this.out.join('');
      this.out = [];
      this.socket.write(data);
    });
  }

  /**
   * Fails what is in flight here. Except when a server that has answered on this connection
   * closes it (Connection: close, an idle timeout racing a write): the requests pipelined
   * behind were never answered, so they go out again on another connection — at most `depth`
   * times: a request behind k others needs k when every connection ends after one answer —
   * instead of counting as failed attempts (a POST repeated is de-duplicated by its
   * event id). Otherwise a backend that ends every connection after one answer would use up
   * the retries of healthy messages.
   */
  destroy(err: HttpRequestError): void {
    if (this.dead) return;
    this.dead = true;
    this.socket.destroy();
    const resend: Pending[] = [];
    for (const pending of this.inFlight.splice(0)) {
      if (err.code === 'network' && this.answered > 0 && pending.resent < this.maxResends) {
        pending.resent++;
        resend.push(pending);
      } else pending.reject(err);
    }
    this.onGone(resend);
  }

  private read(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    try {
      for (;;) {
        this.answer ??= ResponseReader.head(this.buffer);
        if (!this.answer) {
          if (this.buffer.length > HEAD_LIMIT) throw new Error('response head too long');
          return;
        }
        const done = this.answer.body(this.buffer);
        if (done === null) return;
        this.buffer = this.buffer.subarray(done.consumed);
        const answer = this.answer;
        this.answer = null;
        if (answer.status >= 100 && answer.status < 200) continue; // 100 Continue and the like: the real answer follows
        const pending = this.inFlight.shift();
        if (!pending) throw new Error('an answer nobody asked for');
        if (answer.closes) this.closing = true;
        this.answered++;
        pending.resolve({ status: answer.status, text: done.text });
        if (this.closing) return this.destroy(new HttpRequestError('the server closed the connection', 'network'));
        this.onRoom();
      }
    } catch (err) {
      this.destroy(new HttpRequestError(`unreadable answer: ${(err as Error).message}`, 'protocol'));
    }
  }
}

/** One response being read: its head parsed, its body framed by Content-Length or chunks. */
class ResponseReader {
  private constructor(
    readonly status: number,
    readonly closes: boolean,
    private readonly length: number | 'chunked' | 'none',
    private readonly headBytes: number,
  ) {}

  /** The head at the start of `buffer`, or null until all of it has arrived. */
  static head(buffer: Buffer): ResponseReader | null {
    const end = buffer.indexOf('\r\n\r\n');
    if (end < 0) return null;
    const lines = buffer.toString('latin1', 0, end).split('\r\n');
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
    if (!status) throw new Error('not an HTTP/1.x status line');
    let length: number | 'chunked' | 'none' = 'none';
    let closes = (lines[0] ?? '').startsWith('HTTP/1.0');
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim().toLowerCase();
      if (name === 'content-length') {
        if (!/^\d+$/.test(value)) throw new Error('bad Content-Length');
        length = Number(value);
      } else if (name === 'transfer-encoding' && value.split(',').some((v) => v.trim() === 'chunked')) length = 'chunked';
      else if (name === 'connection') closes = value.includes('close') ? true : value.includes('keep-alive') ? false : closes;
    }
    const code = Number(status[1]);
    // No body: 1xx, 204, 304. A body with neither framing runs to the close.
    if ((code >= 100 && code < 200) || code === 204 || code === 304) length = 0;
    else if (length === 'none') closes = true;
    return new ResponseReader(code, closes, length, end + 4);
  }

  /** A body that runs to the close, once the connection has closed; null for a framed one (cut short). */
  untilClose(buffer: Buffer): string | null {
    return this.length === 'none' ? buffer.toString('utf8', this.headBytes, Math.min(buffer.length, this.headBytes + KEEP_TEXT)) : null;
  }

  /** The body's text and the bytes of the whole response, or null until all of it has arrived. */
  body(buffer: Buffer): { consumed: number; text: string } | null {
    const start = this.headBytes;
    if (typeof this.length === 'number') {
      if (buffer.length < start + this.length) return null;
      return { consumed: start + this.length, text: buffer.toString('utf8', start, start + Math.min(this.length, KEEP_TEXT)) };
    }
    if (this.length === 'none') return null; // runs to the close: see untilClose
    let at = start;
    let text = '';
    for (;;) {
      const lineEnd = buffer.indexOf('\r\n', at);
      if (lineEnd < 0) return null;
      const size = parseInt(buffer.toString('latin1', at, lineEnd).split(';')[0]!.trim(), 16);
      if (!Number.isFinite(size) || size < 0) throw new Error('bad chunk size');
      if (size === 0) {
        // The last chunk: trailers, if any, then an empty line.
        const end = buffer.indexOf('\r\n\r\n', lineEnd);
        return end < 0 ? null : { consumed: end + 4, text };
      }
      if (buffer.length < lineEnd + 2 + size + 2) return null;
      if (text.length < KEEP_TEXT) text += buffer.toString('utf8', lineEnd + 2, lineEnd + 2 + size);
      at = lineEnd + 2 + size + 2;
    }
  }
}
