// logs.js — CloudWatch Logs reads (GetLogEvents, FilterLogEvents) and the
// Lambda log parser the Functions view draws its statistics from.
import { awsJSON } from './api.js';

// streamEvents reads a whole log stream oldest first (GetLogEvents from the
// head, following nextForwardToken until it stops moving), up to max events.
// A missing group or stream reads as no events.
export async function streamEvents(group, stream, max = 10000) {
  const out = [];
  let token;
  for (;;) {
    let r;
    try {
      r = await awsJSON('logs', 'GetLogEvents', { logGroupName: group, logStreamName: stream, startFromHead: true, ...(token ? { nextToken: token } : {}) });
    } catch (e) {
      if (e.code === 'ResourceNotFoundException') return out;
      throw e;
    }
    out.push(...(r.events || []));
    if (!r.nextForwardToken || r.nextForwardToken === token || !(r.events || []).length || out.length >= max) return out;
    token = r.nextForwardToken;
  }
}

// filterEvents runs FilterLogEvents over group (oldest first) from
// startTime (ms), following nextToken, up to max events.
export async function filterEvents(group, { pattern = '', startTime, max = 5000 } = {}) {
  const out = [];
  let token;
  do {
    let r;
    try {
      r = await awsJSON('logs', 'FilterLogEvents', {
        logGroupName: group, ...(pattern ? { filterPattern: pattern } : {}), ...(startTime != null ? { startTime } : {}),
        ...(token ? { nextToken: token } : {}),
      });
    } catch (e) {
      if (e.code === 'ResourceNotFoundException') return out;
      throw e;
    }
    out.push(...(r.events || []));
    token = r.nextToken;
  } while (token && out.length < max);
  return out;
}

// invocations groups Lambda log events (oldest first) into invocations by
// the START / END / REPORT lines: [{id, stream, time, lines, duration,
// error}]. error is the REPORT's "Status:" (timeout, error) or "[ERROR]"
// when a line of the invocation logged one.
export function invocations(events) {
  const open = new Map(); // stream -> invocation
  const out = [];
  for (const e of events) {
    const m = e.message || '';
    const stream = e.logStreamName || '';
    let start = /^START RequestId: (\S+)/.exec(m);
    if (start) {
      const inv = { id: start[1], stream, time: e.timestamp, lines: [m], duration: null, error: '' };
      open.set(stream, inv);
      out.push(inv);
      continue;
    }
    const inv = open.get(stream);
    if (!inv) continue;
    inv.lines.push(m);
    const rep = /^REPORT RequestId: \S+\s+Duration: ([0-9.]+) ms/.exec(m);
    if (rep) {
      inv.duration = Number(rep[1]);
      const st = /Status: (\S+)/.exec(m);
      if (st) inv.error = st[1];
      open.delete(stream);
    } else if (!inv.error && /\[ERROR\]/.test(m)) {
      inv.error = '[ERROR]';
    }
  }
  return out;
}

// percentile returns the p-th percentile (0..100, nearest rank) of xs.
export function percentile(xs, p) {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
