/**
 * `rtxlab start --web-port N`: a small express server for the page (web/) and xterm.js (from its
 * npm package: no CDN, the page works offline), and one WebSocket per page (`/ws`) carrying the
 * typed messages of messages.ts. It talks to the router through RouterControl only and knows
 * nothing of the page beyond the files it serves (the butlerx/wetty shape).
 *
 * Security (docs/web.md): the files hold no router data, so they are served to anyone who can
 * reach the port; everything about the router comes over the WebSocket, after the console's own
 * login. The WebSocket refuses a browser whose Origin is not this server (another site's page
 * cannot drive the console), and every response carries a Content-Security-Policy with no inline
 * script.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { WebSocketServer, WebSocket } from 'ws';
import type { RouterControl } from '../router/rtx-router-api.js';
import { LiveFeed } from './live-feed.js';
import type { ServerMessage } from './messages.js';
import { parseClientMessage, WebSession } from './web-session.js';
import { expiredSessionCookie, sessionCookie, sessionIdFromCookieHeader, WebLogins } from './web-logins.js';

export interface WebServerOptions {
  readonly router: RouterControl;
  /** Default 127.0.0.1 (`--mgmt-bind`). */
  readonly host?: string;
  /** 0: any free port. */
  readonly port: number;
}

export interface RunningWebServer {
  readonly address: string;
  readonly port: number;
  /** `http://127.0.0.1:8080/` */
  readonly url: string;
  close(): Promise<void>;
}

/** The page's own files: web/ beside src/ and dist/. */
const PAGE_DIRECTORY = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');
const PAGE_FILES: readonly (readonly [string, string])[] = [
  ['/', 'index.html'],
  ['/app.js', 'app.js'],
  ['/app.css', 'app.css'],
];
const requireFromHere = createRequire(import.meta.url);
const XTERM_DIRECTORY = dirname(dirname(requireFromHere.resolve('@xterm/xterm')));
const FIT_ADDON_DIRECTORY = dirname(dirname(requireFromHere.resolve('@xterm/addon-fit')));

/**
 * No inline script, nothing from elsewhere. Inline styles stay allowed: xterm.js sizes its rows
 * with a <style> element it writes.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** A page sends keys and window sizes: 64 KiB per frame is far beyond a paste the console accepts (4095 characters a line). */
const MAX_FRAME_BYTES = 64 * 1024;
/** Pages connected but not yet logged in (rtxlab's limit; an RTX admits a few telnet sessions). */
export const MAX_SESSIONS_AT_LOGIN = 8;
/** Unsent bytes to one page beyond which superseded pictures are dropped. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const app = express();
  app.disable('x-powered-by');
  app.use((_request, response, next) => {
    response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use('/vendor/xterm', express.static(join(XTERM_DIRECTORY, 'lib'), { index: false }));
  app.use('/vendor/xterm', express.static(join(XTERM_DIRECTORY, 'css'), { index: false }));
  app.use('/vendor/addon-fit', express.static(join(FIT_ADDON_DIRECTORY, 'lib'), { index: false }));
  // The page's three files by name: web/ also holds its typecheck settings, which are not for browsers.
  for (const [route, file] of PAGE_FILES) app.get(route, (_request, response) => response.sendFile(join(PAGE_DIRECTORY, file)));

  // The session cookie (web-logins.ts): traded for the one-time claim the WebSocket gave after the
  // console login, and removed at logout. Only from this server's own page (Origin, as /ws).
  const logins = new WebLogins();
  const fromOwnPage = (request: IncomingMessage): boolean => requestFromOwnPage(request.headers);
  app.post('/session', express.json({ limit: 1024 }), (request, response) => {
    const claim: unknown = (request.body as { claim?: unknown } | undefined)?.claim;
    const sessionId = fromOwnPage(request) && typeof claim === 'string' ? logins.redeem(claim, Date.now()) : undefined;
    if (sessionId === undefined) {
      response.status(403).end();
      return;
    }
    response.setHeader('Set-Cookie', sessionCookie(sessionId));
    response.status(204).end();
  });
  app.delete('/session', (request, response) => {
    if (!fromOwnPage(request)) {
      response.status(403).end();
      return;
    }
    const sessionId = sessionIdFromCookieHeader(request.headers.cookie);
    if (sessionId !== undefined) logins.revoke(sessionId);
    response.setHeader('Set-Cookie', expiredSessionCookie());
    response.status(204).end();
  });
  // A malformed JSON body: refused without echoing it (express would answer with its stack in development).
  app.use((_error: unknown, _request: express.Request, response: express.Response, _next: express.NextFunction) => {
    response.status(400).end();
  });

  const server = createServer(app);
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const feed = new LiveFeed(options.router);
  const sessions = new Set<WebSession>();
  server.on('upgrade', (request, socket, head) => {
    if (!upgradeAllowed(request)) {
      refuse(socket, '403 Forbidden');
      return;
    }
    // A live session cookie: the console starts logged in (a reload keeps the login).
    const cookieSession = sessionIdFromCookieHeader(request.headers.cookie);
    const resumedSessionId = cookieSession !== undefined && logins.resume(cookieSession, Date.now()) ? cookieSession : undefined;
    // Each socket gets three password tries (the console's limit); capping the sockets still at
    // their login prompt keeps a script from opening thousands to guess the password in parallel.
    if (resumedSessionId === undefined && [...sessions].filter((session) => session.atLogin).length >= MAX_SESSIONS_AT_LOGIN) {
      refuse(socket, '503 Service Unavailable');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (webSocket) => attach(webSocket, request, resumedSessionId));
  });

  const attach = (webSocket: WebSocket, request: IncomingMessage, resumedSessionId: string | undefined): void => {
    const send = (message: ServerMessage): void => {
      if (webSocket.readyState !== WebSocket.OPEN) return;
      // A page that does not read: drop state and ladder pictures (the next one supersedes them), never terminal output or log lines.
      if ((message.type === 'state' || message.type === 'ladders') && webSocket.bufferedAmount > MAX_BUFFERED_BYTES) return;
      webSocket.send(JSON.stringify(message));
    };
    const session = new WebSession({
      router: options.router,
      feed,
      remoteAddress: request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? 'unknown',
      send,
      end: () => webSocket.close(1000, 'logged out'),
      logins,
      ...(resumedSessionId === undefined ? {} : { resumedSessionId }),
    });
    webSocket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const message = parseClientMessage(data.toString());
      if (message !== undefined) session.receive(message);
    });
    sessions.add(session);
    webSocket.on('close', () => {
      session.hangUp();
      sessions.delete(session);
    });
    webSocket.on('error', () => session.hangUp());
    session.start();
  };

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    address: address.address,
    port: address.port,
    url: `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}/`,
    close: () => closeServer(server, sockets, feed),
  };
}

/**
 * Only `/ws`, and from a browser only from this server's own page: a browser always sends
 * Origin on a WebSocket, and it must name the host the page was loaded from. Clients that are
 * not browsers send none and are not a cross-site risk. The Host must be an address (or
 * `localhost`): a name would let a site that rebinds its own name to 127.0.0.1 pass the Origin
 * check (DNS rebinding).
 */
export function upgradeAllowed(request: Pick<IncomingMessage, 'url' | 'headers'>): boolean {
  return request.url === '/ws' && requestFromOwnPage(request.headers);
}

/** The Host an address (or `localhost`), and the Origin, when a browser sent one, this server's own. */
export function requestFromOwnPage(headers: Pick<IncomingMessage['headers'], 'host' | 'origin'>): boolean {
  const host = headers.host;
  if (host === undefined || !hostIsAddress(host)) return false;
  const origin = headers.origin;
  if (origin === undefined) return true;
  return origin === `http://${host}` || origin === `https://${host}`;
}

function hostIsAddress(host: string): boolean {
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '');
  return name === 'localhost' || isIP(name) !== 0;
}

function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

async function closeServer(server: Server, sockets: WebSocketServer, feed: LiveFeed): Promise<void> {
  feed.close();
  for (const client of sockets.clients) client.terminate();
  await new Promise<void>((resolve) => sockets.close(() => resolve()));
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
