import { describe, expect, it } from 'vitest';
import { IsakmpSaTable } from '../../src/ike-responder/isakmp-sa-table.js';

const icky = Buffer.alloc(8, 1);
const rcky = Buffer.alloc(8, 2);
const peer = { address: '192.0.2.132', port: 500 };

describe('the ISAKMP SA table', () => {
  it('finds an SA by its cookies, and while half-open by initiator cookie and peer', () => {
    const table = new IsakmpSaTable<string>();
    table.addHalfOpen(icky, rcky, peer, 'sa');
    expect(table.findByCookies(icky, rcky)).toBe('sa');
    expect(table.findHalfOpen(icky, peer)).toBe('sa');
    expect(table.findHalfOpen(icky, { ...peer, port: 4500 })).toBeUndefined();
    expect([table.size, table.halfOpenCount]).toEqual([1, 1]);
  });

  it('stops treating message 1 as a retransmission once established', () => {
    const table = new IsakmpSaTable<string>();
    table.addHalfOpen(icky, rcky, peer, 'sa');
    table.markEstablished(icky, peer);
    expect(table.findHalfOpen(icky, peer)).toBeUndefined();
    expect(table.findByCookies(icky, rcky)).toBe('sa');
    expect([table.size, table.halfOpenCount]).toEqual([1, 0]);
  });

  it('forgets everything about a removed SA, but not a newer SA using the same message 1 key', () => {
    const table = new IsakmpSaTable<string>();
    table.addHalfOpen(icky, rcky, peer, 'old');
    table.markEstablished(icky, peer);
    table.addHalfOpen(icky, Buffer.alloc(8, 3), peer, 'new');
    table.remove(icky, rcky, peer);
    expect(table.findByCookies(icky, rcky)).toBeUndefined();
    expect(table.findHalfOpen(icky, peer)).toBe('new');
    table.remove(icky, Buffer.alloc(8, 3), peer);
    expect([table.size, table.halfOpenCount]).toEqual([0, 0]);
  });
});
