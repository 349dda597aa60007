import { describe, expect, it } from 'vitest';
import { parseClientMessage } from '../../src/web/web-session.js';

describe("the page's messages", () => {
  it('reads terminal input and window sizes', () => {
    expect(parseClientMessage('{"type":"terminal-input","data":"show ipsec sa\\r"}')).toEqual({ type: 'terminal-input', data: 'show ipsec sa\r' });
    expect(parseClientMessage('{"type":"terminal-resize","columns":80,"rows":24}')).toEqual({ type: 'terminal-resize', columns: 80, rows: 24 });
  });

  it('reads a capture request and the matrix button', () => {
    expect(parseClientMessage('{"type":"capture-request","ladderId":"ab","administratorPassword":"x"}')).toEqual({ type: 'capture-request', ladderId: 'ab', administratorPassword: 'x' });
    expect(parseClientMessage('{"type":"matrix-run","rows":"all"}')).toEqual({ type: 'matrix-run' });
    expect(parseClientMessage('{"type":"capture-request","ladderId":"ab"}')).toBeUndefined();
  });

  it('ignores anything else: not JSON, unknown types, fields of the wrong kind', () => {
    for (const text of ['', 'show', 'null', '[]', '{"type":"state"}', '{"type":"terminal-input","data":7}', '{"type":"terminal-resize","columns":"80","rows":24}', '{"type":"terminal-resize","columns":1e999,"rows":24}']) {
      expect(parseClientMessage(text), text).toBeUndefined();
    }
  });
});
