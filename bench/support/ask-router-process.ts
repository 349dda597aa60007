/**
 * The parent's side of bench/support/router-process.ts: one request, the first reply of the
 * wanted type (bounded in time).
 */
import type { ChildProcess } from 'node:child_process';

export type Listening = { ike: { address: string; port: number }; natt: { address: string; port: number } };

export type RouterProcessReply =
  | { type: 'listening'; listening: Listening }
  | { type: 'cpu'; cpu: NodeJS.CpuUsage }
  | { type: 'dh'; micros: number }
  | { type: 'esp-raw'; micros: number }
  | { type: 'memory'; heapUsed: number; rss: number; tables?: { isakmpSas: number; ipsecSaPairs: number; leases: number } }
  | { type: 'heap-snapshot'; path: string }
  | { type: 'echo'; port: number }
  | { type: 'stopped' };

export function askRouterProcess<T extends RouterProcessReply['type']>(
  child: ChildProcess,
  request: object,
  type: T,
  timeoutMs = 60_000,
): Promise<Extract<RouterProcessReply, { type: T }>> {
  return askChildProcess<RouterProcessReply, T>(child, request, type, timeoutMs, 'router process');
}

/** One request to a bench's child process, and the first reply of the wanted type (bounded in time). */
export function askChildProcess<Reply extends { readonly type: string }, T extends Reply['type']>(
  child: ChildProcess,
  request: object,
  type: T,
  timeoutMs: number,
  name: string,
): Promise<Extract<Reply, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: no ${type} within ${timeoutMs / 1000} s`)), timeoutMs);
    const onMessage = (reply: Reply) => {
      if (reply.type !== type) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(reply as Extract<Reply, { type: T }>);
    };
    child.on('message', onMessage);
    child.send(request);
  });
}
