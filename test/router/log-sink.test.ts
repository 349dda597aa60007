import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/router/clock.js';
import { DEFAULT_LOG_CAPACITY, LogSink, type LogEntry } from '../../src/router/log-sink.js';
import { RTX_DEFAULT_SYSLOG, type SyslogSwitches } from '../../src/router/syslog-settings.js';

/** 2008/10/01 12:28:06 JST. */
const START = Date.UTC(2008, 9, 1, 3, 28, 6);

function setup(settings?: SyslogSwitches, capacity?: number) {
  const clock = new ManualClock(START);
  const sentOut: string[] = [];
  const sink = new LogSink({ clock, settings, capacity, sendOut: (line) => sentOut.push(line) });
  const kept = () => sink.entries().map((entry) => entry.line);
  return { clock, sink, sentOut, kept };
}

describe('LogSink', () => {
  it('stamps each line with the router clock in RTX format', () => {
    const { clock, sink, kept } = setup();
    sink.log('info', 'RTX1500 Rev.8.03.75 (Tue Apr 15 11:14:13 2008) starts');
    clock.advance(61_500);
    sink.log('info', '[IKE] respond ISAKMP phase to 192.0.2.132');
    expect(kept()).toEqual([
      '2008/10/01 12:28:06: RTX1500 Rev.8.03.75 (Tue Apr 15 11:14:13 2008) starts',
      '2008/10/01 12:29:07: [IKE] respond ISAKMP phase to 192.0.2.132',
    ]);
    expect(sink.entries()[1]).toMatchObject({ time: START + 61_500, level: 'info', message: '[IKE] respond ISAKMP phase to 192.0.2.132' });
  });

  it('uses the RTX factory syslog switches unless told otherwise: info on, notice off, debug off', () => {
    expect(RTX_DEFAULT_SYSLOG).toEqual({ info: true, notice: false, debug: false });
    const { sink, kept, sentOut } = setup();
    sink.log('info', 'an info line');
    sink.log('notice', 'a notice line');
    sink.log('debug', 'a debug line');
    expect(kept()).toEqual(['2008/10/01 12:28:06: an info line']);
    expect(sentOut).toEqual(['2008/10/01 12:28:06: an info line']);
  });

  it('with `syslog debug on`, keeps and sends debug lines', () => {
    const { sink, kept, sentOut } = setup({ info: true, notice: false, debug: true });
    sink.log('debug', '[IKE] payload-info');
    expect(kept()).toEqual(['2008/10/01 12:28:06: [IKE] payload-info']);
    expect(sentOut).toEqual(kept());
  });

  it('with `syslog notice on`, keeps and sends notice lines', () => {
    const { sink, kept, sentOut } = setup({ info: true, notice: true, debug: false });
    sink.log('notice', 'filter matched');
    expect(kept()).toHaveLength(1);
    expect(sentOut).toHaveLength(1);
  });

  it('with `syslog info off`, still keeps info lines for show log but sends none out', () => {
    const { sink, kept, sentOut } = setup({ info: false, notice: false, debug: false });
    sink.log('info', 'IP Tunnel[1] Up');
    expect(kept()).toEqual(['2008/10/01 12:28:06: IP Tunnel[1] Up']);
    expect(sentOut).toEqual([]);
  });

  it('applies changed syslog switches to later lines only', () => {
    const { sink, kept } = setup();
    sink.log('debug', 'before');
    sink.setSyslogSettings({ ...RTX_DEFAULT_SYSLOG, debug: true });
    sink.log('debug', 'after');
    expect(kept()).toEqual(['2008/10/01 12:28:06: after']);
    expect(sink.syslogSettings.debug).toBe(true);
  });

  it('keeps the newest lines up to its capacity (10000 unless told)', () => {
    expect(new LogSink({ clock: new ManualClock(0) }).capacity).toBe(DEFAULT_LOG_CAPACITY);
    expect(DEFAULT_LOG_CAPACITY).toBe(10_000);
    const { sink } = setup(undefined, 3);
    for (let i = 1; i <= 5; i++) sink.log('info', `line ${i}`);
    expect(sink.entries().map((entry) => entry.message)).toEqual(['line 3', 'line 4', 'line 5']);
  });

  it('forgets everything on clear (clear log)', () => {
    const { sink } = setup();
    sink.log('info', 'x');
    sink.clear();
    expect(sink.entries()).toEqual([]);
  });

  it('tells subscribers about every kept line until they unsubscribe', () => {
    const { sink } = setup();
    const heard: LogEntry[] = [];
    const unsubscribe = sink.subscribe((entry) => heard.push(entry));
    sink.log('info', 'first');
    sink.log('debug', 'not kept');
    unsubscribe();
    sink.log('info', 'second');
    expect(heard.map((entry) => entry.line)).toEqual(['2008/10/01 12:28:06: first']);
  });

  it('renders times in another zone when given an offset', () => {
    const sink = new LogSink({ clock: new ManualClock(START), utcOffsetMinutes: 0 });
    sink.log('info', 'utc');
    expect(sink.entries()[0]?.line).toBe('2008/10/01 03:28:06: utc');
  });

  it('collapses identical consecutive lines: 16,000 of them cost two lines of show log', () => {
    const { sink, kept, sentOut } = setup();
    sink.log('info', '[IKE] before');
    for (let i = 0; i < 16_000; i++) sink.log('info', '[IKE] payload malformed (192.0.2.9): x');
    sink.log('info', '[IKE] after');
    expect(sink.entries().map((entry) => entry.message)).toEqual([
      '[IKE] before',
      '[IKE] payload malformed (192.0.2.9): x',
      'same message repeated 15999 times',
      '[IKE] after',
    ]);
    expect(sentOut).toEqual(kept());
  });

  it('writes a run\'s count when its window ends even if the flood goes on, and on flushRepeats', () => {
    const clock = new ManualClock(START);
    const sink = new LogSink({ clock, repeatWindowMs: 10_000 });
    for (let second = 0; second < 25; second++) {
      sink.log('info', 'flood');
      clock.advance(1_000);
    }
    sink.flushRepeats();
    expect(sink.entries().map((entry) => entry.message)).toEqual(['flood', 'same message repeated 10 times', 'same message repeated 10 times', 'same message repeated 4 times']);
  });

  it('does not collapse the same text at another level, or lines that differ', () => {
    const { sink } = setup({ info: true, notice: true, debug: false });
    sink.log('info', 'a');
    sink.log('notice', 'a');
    sink.log('info', 'b');
    sink.log('info', 'a');
    expect(sink.entries().map((entry) => entry.message)).toEqual(['a', 'a', 'b', 'a']);
  });
});

