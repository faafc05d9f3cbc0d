import { EventEmitter, once } from 'node:events';
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a server, for faults a real server does not make on cue: it can refuse connections
 * (accept and hang up, as a server that is restarting) and swallow the reply to the next request (the server did
 * the work, the acknowledgement is lost with the connection).
 */
export class TcpProxy {
  /** Connections hung up on while refusing, so far. */
  refusedCount = 0;
  private refusing = false;
  // Requests still to pass before the one whose reply is lost; -1: none is to be lost.
  private passBeforeLoss = -1;
  private readonly open = new Set<Socket>();
  private readonly events = new EventEmitter();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** Listens on a free port of 127.0.0.1 and forwards each connection to `host:port`. */
  static async start(host: string, port: number): Promise<TcpProxy> {
    let proxy: TcpProxy | undefined;
    const server = createServer((client) => proxy?.accept(client, host, port));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    if (typeof address !== 'object' || !address) throw new Error('the proxy has no port');
    proxy = new TcpProxy(server, address.port);
    return proxy;
  }

  /** `url` (of the proxied server) with its host and port replaced by the proxy's. */
  urlFor(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  /** Ends every connection now, and while `on`, hangs up on each new one. */
  refuse(on: boolean): void {
    this.refusing = on;
    if (on) for (const socket of this.open) socket.destroy();
  }

  /** Resolves once `count` connections in all have been refused. */
  async refused(count: number): Promise<void> {
    while (this.refusedCount < count) await once(this.events, 'refused');
  }

  /**
   * After `pass` more requests (on any connection), the next one reaches the server but its reply does not come
   * back: the connection is cut as the reply arrives.
   */
  loseReply(pass = 0): void {
    this.passBeforeLoss = pass;
  }

  async close(): Promise<void> {
    for (const socket of this.open) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket, host: string, port: number): void {
    if (this.refusing) {
      this.refusedCount++;
      client.destroy();
      this.events.emit('refused');
      return;
    }
    const upstream = createConnection({ host, port });
    let armed = false;
    client.on('data', (chunk) => {
      if (this.passBeforeLoss === 0) armed = true;
      if (this.passBeforeLoss >= 0) this.passBeforeLoss--;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!armed) return void client.write(chunk);
      client.destroy();
      upstream.destroy();
    });
    for (const socket of [client, upstream]) {
      this.open.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        this.open.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
  }
}
