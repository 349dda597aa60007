// @ts-check
/**
 * The web console page: xterm.js piped to the router's console over the WebSocket, and the
 * panels drawn from the server's typed messages (src/web/messages.ts). No router logic here:
 * every value shown arrives ready; the page only lays it out (text nodes only, never HTML).
 */

/** @typedef {import('../src/web/messages.js').ServerMessage} ServerMessage */
/** @typedef {import('../src/web/messages.js').ClientMessage} ClientMessage */
/** @typedef {import('../src/web/messages.js').RouterStateView} RouterStateView */
/** @typedef {import('../src/web/messages.js').LadderView} LadderView */
/** @typedef {import('../src/web/messages.js').MatrixRowView} MatrixRowView */

const LOG_LINES_KEPT = 1000;

const connection = /** @type {HTMLElement} */ (document.getElementById('connection'));
const terminalElement = /** @type {HTMLElement} */ (document.getElementById('terminal'));
const captureStatus = /** @type {HTMLElement} */ (document.getElementById('capture-status'));
const adminPassword = /** @type {HTMLInputElement} */ (document.getElementById('admin-password'));
const captureDownloads = /** @type {HTMLElement} */ (document.getElementById('capture-downloads'));
const matrixButton = /** @type {HTMLButtonElement} */ (document.getElementById('matrix-run'));
const matrixStatus = /** @type {HTMLElement} */ (document.getElementById('matrix-status'));
const matrixRows = /** @type {HTMLElement} */ (document.querySelector('#matrix .matrix-rows'));

const terminal = new window.Terminal({ cursorBlink: true, fontSize: 13, scrollback: 2000, screenReaderMode: false });
const fit = new window.FitAddon.FitAddon();
terminal.loadAddon(fit);
terminal.open(terminalElement);
fit.fit();

const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);

/** @param {ClientMessage} message */
function send(message) {
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

function sendSize() {
  send({ type: 'terminal-resize', columns: terminal.cols, rows: terminal.rows });
}

socket.addEventListener('open', () => {
  connection.textContent = 'connected: log in at the console';
  sendSize();
  terminal.focus();
});
socket.addEventListener('close', () => {
  connection.textContent = 'disconnected (reload the page to log in again)';
});
socket.addEventListener('message', (event) => {
  /** @type {ServerMessage} */
  const message = JSON.parse(String(event.data));
  switch (message.type) {
    case 'terminal-output':
      terminal.write(message.data);
      return;
    case 'terminal-closed':
      terminal.write('\r\n[session ended]\r\n');
      // A logout: the server has forgotten the session; the browser forgets its cookie too.
      void fetch('/session', { method: 'DELETE' }).catch(() => undefined);
      return;
    case 'logged-in':
      connection.textContent = message.resumed ? 'logged in (kept from before the reload)' : 'logged in';
      if (message.sessionClaim !== undefined) keepLogin(message.sessionClaim);
      for (const locked of document.querySelectorAll('.locked')) locked.remove();
      for (const id of ['tunnels', 'sas', 'leases']) /** @type {HTMLElement} */ (document.getElementById(id)).hidden = false;
      matrixButton.disabled = false;
      matrixStatus.textContent = "The write-up's clients replayed against routers of their own (not this one), as rtxlab matrix does.";
      return;
    case 'state':
      drawState(message.state);
      return;
    case 'log':
      appendLog(message.lines);
      return;
    case 'ladders':
      drawLadders(message.ladders);
      return;
    case 'capture':
      showCapture(message);
      return;
    case 'capture-refused':
      captureStatus.textContent = `pcap refused: ${message.reason}`;
      captureDownloads.replaceChildren();
      return;
    case 'matrix-started':
      matrixButton.disabled = true;
      matrixStatus.textContent = `running ${message.rows.length} rows…`;
      // A placeholder per row, replaced in place as each row finishes: nothing below moves.
      matrixRows.replaceChildren(...message.rows.map((row) => pendingMatrixRow(row.id, row.client)));
      return;
    case 'matrix-row':
      drawMatrixRow(message.row);
      return;
    case 'matrix-finished':
      matrixButton.disabled = false;
      matrixStatus.textContent =
        message.error === undefined ? `${message.matched} of ${message.total} rows match the write-up` : `the run broke after ${message.done} rows: ${message.error}`;
      return;
    case 'matrix-refused':
      matrixStatus.textContent = `not now: ${message.reason}`;
      return;
  }
});

terminal.onData((data) => send({ type: 'terminal-input', data }));

/**
 * Keyboard: Alt+1…5 move to a panel from anywhere, the terminal included (xterm.js would send
 * them to the console as ESC 1…: they are taken before it sees them). Inside a panel Tab moves as
 * usual, except in the terminal, where Tab is the console's completion.
 * @param {KeyboardEvent} event
 */
function panelShortcut(event) {
  if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return undefined;
  const digit = /^Digit([1-5])$/.exec(event.code)?.[1];
  return digit === undefined ? undefined : /** @type {HTMLElement | null} */ (document.querySelector(`section[data-shortcut="${digit}"]`));
}

/** The panel's first control (the console: its terminal), else the panel itself. @param {HTMLElement} panel */
function focusPanel(panel) {
  if (panel.id === 'console') {
    terminal.focus();
    return;
  }
  const first = panel.id === 'ladders' ? panel.querySelector('.ladder') : panel.id === 'matrix' ? panel.querySelector('#matrix-run') : panel.id === 'log' ? panel.querySelector('pre') : null;
  const target = /** @type {HTMLElement} */ (first ?? panel);
  target.focus();
  target.scrollIntoView({ block: 'nearest' });
}

terminal.attachCustomKeyEventHandler((event) => panelShortcut(event) === undefined);
window.addEventListener(
  'keydown',
  (event) => {
    const panel = panelShortcut(event);
    if (panel === undefined || panel === null) return;
    event.preventDefault();
    event.stopPropagation();
    focusPanel(panel);
  },
  { capture: true },
);

/**
 * Trades the login's one-time claim for the session cookie (HttpOnly: this script never sees
 * it), so that a reload opens the console logged in again. A failure only costs that.
 * @param {string} claim
 */
function keepLogin(claim) {
  void fetch('/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ claim }) }).catch(() => undefined);
}
window.addEventListener('resize', () => {
  fit.fit();
  sendSize();
});

/**
 * @param {string} tag
 * @param {{ className?: string, text?: string }} [options]
 * @param {(Node | string)[]} [children]
 */
function element(tag, options = {}, children = []) {
  const node = document.createElement(tag);
  if (options.className !== undefined) node.className = options.className;
  if (options.text !== undefined) node.textContent = options.text;
  node.append(...children);
  return node;
}

/** @param {(string | { text: string, className: string } | HTMLElement)[]} cells */
function row(cells) {
  return element(
    'tr',
    {},
    cells.map((cell) => (typeof cell === 'string' ? element('td', { text: cell }) : cell instanceof HTMLElement ? cell : element('td', cell))),
  );
}

/**
 * A remaining-life cell that counts down between state messages (the server pushes on events,
 * not every second): the value as of the state's arrival, less the seconds since.
 * @param {number} seconds
 */
function lifeCell(seconds) {
  const cell = element('td', { className: 'life', text: String(seconds) });
  cell.dataset['life'] = String(seconds);
  cell.dataset['since'] = String(Date.now());
  return cell;
}

setInterval(() => {
  for (const cell of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('td.life'))) {
    const elapsed = Math.floor((Date.now() - Number(cell.dataset['since'])) / 1000);
    cell.textContent = String(Math.max(0, Number(cell.dataset['life']) - elapsed));
  }
}, 1000);

/** @param {string} tableId @param {HTMLElement[]} rows */
function fillTable(tableId, rows) {
  const body = /** @type {HTMLElement} */ (document.querySelector(`#${tableId} tbody`));
  body.replaceChildren(...rows);
}

/** @param {RouterStateView} state */
function drawState(state) {
  fillTable(
    'tunnels',
    state.tunnels.map((tunnel) =>
      row([
        String(tunnel.tunnelId),
        { text: tunnel.up ? 'up' : 'down', className: tunnel.up ? 'up' : 'down' },
        tunnel.peer ?? '',
        tunnel.virtualAddress ?? '',
        tunnel.algorithms ?? '',
        { text: tunnel.inboundSpi === undefined ? '' : `${tunnel.inboundSpi} / ${tunnel.outboundSpi}`, className: 'mono' },
        `${tunnel.packetsIn} / ${tunnel.packetsOut}`,
        `${tunnel.octetsIn} / ${tunnel.octetsOut}`,
      ]),
    ),
  );
  fillTable('sas', [
    ...state.isakmpSas.map((sa) =>
      row([String(sa.number), 'isakmp', sa.peer, sa.algorithms, `xauth ${sa.xauth}${sa.xauthUser ? ` (${sa.xauthUser})` : ''}${sa.virtualAddress ? `, ${sa.virtualAddress}` : ''}`, lifeCell(sa.lifeRemainingSeconds)]),
    ),
    ...state.ipsecSas.map((sa) =>
      row([
        String(sa.number),
        `tun[${String(sa.tunnelId).padStart(3, '0')}] esp ${sa.direction}`,
        sa.peer,
        sa.algorithms,
        { text: `SPI ${sa.spi}${sa.udpEncapsulated ? ' (UDP)' : ''}`, className: 'mono' },
        lifeCell(sa.lifeRemainingSeconds),
      ]),
    ),
  ]);
  fillTable('leases', state.leases.map((lease) => row([lease.address, lease.owner, lease.holders.join(' ')])));
}

/** @param {readonly string[]} lines */
function appendLog(lines) {
  const log = /** @type {HTMLElement} */ (document.querySelector('#log pre'));
  const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
  const kept = (log.textContent ?? '').split('\n').filter((line) => line !== '');
  log.textContent = [...kept, ...lines].slice(-LOG_LINES_KEPT).join('\n');
  if (atBottom) log.scrollTop = log.scrollHeight;
}

/**
 * A link that downloads `content` as `fileName`. The links stay on the page until the next
 * capture (a browser may refuse several downloads at once, so only the pcap starts by itself).
 * @param {string} fileName @param {Blob} content @param {string} text
 */
function downloadLink(fileName, content, text) {
  const link = element('a', { text });
  link.setAttribute('href', URL.createObjectURL(content));
  link.setAttribute('download', fileName);
  return link;
}

/**
 * The administrator's download: the pcap starts at once, its keys (the two tables Wireshark
 * reads) are links beside it.
 * @param {Extract<ServerMessage, { type: 'capture' }>} message
 */
function showCapture(message) {
  for (const old of captureDownloads.querySelectorAll('a')) URL.revokeObjectURL(old.href);
  const pcapBytes = Uint8Array.from(atob(message.pcapBase64), (ch) => ch.charCodeAt(0));
  const { keys } = message;
  const pcap = downloadLink(message.fileName, new Blob([pcapBytes], { type: 'application/vnd.tcpdump.pcap' }), `${message.fileName} (${message.datagrams} datagrams)`);
  const ikeKeys = downloadLink(keys.fileName, new Blob([keys.ikev1DecryptionTable.map((line) => `${line}\n`).join('')], { type: 'text/plain' }), `${keys.fileName} (ikev1_decryption_table, ${keys.ikev1DecryptionTable.length})`);
  const espKeys = downloadLink(keys.espSaFileName, new Blob([keys.espSa.map((line) => `${line}\n`).join('')], { type: 'text/plain' }), `${keys.espSaFileName} (esp_sa, ${keys.espSa.length})`);
  for (const link of [pcap, ikeKeys, espKeys]) link.className = 'download';
  ikeKeys.id = 'download-ikev1-keys';
  espKeys.id = 'download-esp-keys';
  captureDownloads.replaceChildren(pcap, ikeKeys, espKeys);
  captureStatus.textContent = `${message.fileName}: ${message.datagrams} datagrams, with its keys`;
  pcap.click();
}

/** @param {readonly LadderView[]} ladders */
function drawLadders(ladders) {
  const list = /** @type {HTMLElement} */ (document.querySelector('#ladders .ladder-list'));
  // Redrawing must not take the keyboard's place away: note what had the focus, and give it back.
  const focused = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const focusedLadder = focused?.closest('.ladder');
  const focusedId = focusedLadder instanceof HTMLElement ? focusedLadder.dataset['ladderId'] : undefined;
  const onCapture = focused?.classList.contains('capture') === true;
  // Newest first: the client being debugged is usually the last one that tried.
  list.replaceChildren(...[...ladders].reverse().map((ladder) => drawLadder(ladder, true)));
  if (focusedId === undefined) return;
  const again = [.../** @type {NodeListOf<HTMLElement>} */ (list.querySelectorAll('.ladder'))].find((ladder) => ladder.dataset['ladderId'] === focusedId);
  /** @type {HTMLElement | null | undefined} */ (onCapture ? again?.querySelector('button.capture') : again)?.focus({ preventScroll: true });
}

matrixButton.addEventListener('click', () => send({ type: 'matrix-run' }));

/** @param {string} id @param {string} client */
function pendingMatrixRow(id, client) {
  const item = element('li', { className: 'matrix-row pending' }, [element('span', { className: 'verdict', text: 'running…' }), ' ', element('span', { text: client })]);
  item.dataset['rowId'] = id;
  return item;
}

/**
 * One row: the verdict and the client in a summary that opens (click, Enter or Space) onto what
 * the write-up saw, what rtxlab did, the router's decisive line, and the client's ladder.
 * @param {MatrixRowView} row
 */
function drawMatrixRow(row) {
  const verdict = row.matches ? 'MATCHES' : 'DIFFERS';
  const summary = element('summary', {}, [
    element('span', { className: `verdict ${row.matches ? 'matches' : 'differs'}`, text: verdict }),
    ' ',
    element('span', { className: 'client', text: row.client }),
    row.origin === 'hypothesis' ? element('span', { className: 'meta', text: ' (hypothesis row, not in the write-up)' }) : '',
  ]);
  /** @type {[string, string][]} */
  const facts = [
    ['profile', row.profile],
    ['router', row.router],
    ['write-up', row.seedObservation],
    ['rtxlab', row.outcome],
    ['router log', row.decisiveLine ?? '(nothing logged)'],
  ];
  if (row.why !== undefined) facts.push(['differs', row.why]);
  const list = element('dl', { className: 'matrix-facts' }, facts.flatMap(([term, text]) => [element('dt', { text: term }), element('dd', { text })]));
  const ladders = element('div', { className: 'ladder-list' }, row.ladders.length === 0 ? [element('p', { text: 'no IKE message reached the router' })] : row.ladders.map((ladder) => drawLadder(ladder, false)));
  const item = element('li', { className: 'matrix-row' }, [element('details', {}, [summary, list, ladders])]);
  item.dataset['rowId'] = row.id;
  const placeholder = matrixRows.querySelector(`li[data-row-id="${CSS.escape(row.id)}"]`);
  if (placeholder === null) matrixRows.append(item);
  else placeholder.replaceWith(item);
}

/** @param {LadderView} ladder */
function captureButton(ladder) {
  const button = element('button', { className: 'capture', text: 'pcap + keys' });
  button.setAttribute('type', 'button');
  button.setAttribute('aria-label', `download the packets of ${ladder.peer} as pcap, with their keys (administrator password)`);
  button.addEventListener('click', () => send({ type: 'capture-request', ladderId: ladder.id, administratorPassword: adminPassword.value }));
  return button;
}

/**
 * @param {LadderView} ladder
 * @param {boolean} withCapture the live router's ladders offer their packets; the matrix's routers are gone
 */
function drawLadder(ladder, withCapture) {
  const rungs = ladder.rungs.map((rung, index) => {
    const classes = ['rung', rung.direction];
    if (rung.retransmission) classes.push('retransmission');
    if (ladder.stop?.lastRung === index) classes.push('last');
    const payloads = rung.payloads.map((payload) => (payload.detail === undefined ? payload.name : `${payload.name} ${payload.detail}`)).join(' · ');
    return element('li', { className: classes.join(' ') }, [
      element('div', { className: 'arrow' }, [
        element('span', { className: 'label', text: rung.label }),
        element('span', { className: 'meta', text: `${rung.exchange} M-ID ${rung.messageId}${rung.encrypted ? ' (encrypted)' : ''}` }),
      ]),
      element('div', { className: 'payloads', text: payloads }),
    ]);
  });
  const children = [
    element('h3', {}, [
      element('span', { text: ladder.peer }),
      element('span', { className: 'mono meta', text: ladder.id }),
      element('span', { className: `badge ${ladder.outcome}`, text: ladder.outcome }),
      ...(withCapture ? [captureButton(ladder)] : []),
    ]),
    element('div', { className: 'ends' }, [element('span', { text: 'client' }), element('span'), element('span', { text: 'RTX1500' })]),
    element('ol', { className: 'rungs' }, rungs),
  ];
  if (ladder.stop?.decisiveLine !== undefined) children.push(element('p', { className: 'decisive', text: `router: ${ladder.stop.decisiveLine}` }));
  const section = element('section', { className: 'ladder' }, children);
  section.setAttribute('aria-label', `IKE ladder of ${ladder.peer} (${ladder.outcome})`);
  // In the Tab order: a long ladder scrolls with the arrow keys once it has the focus.
  section.tabIndex = 0;
  section.dataset['ladderId'] = ladder.id;
  return section;
}
