// views/streams.js — Kinesis streams: list, shards, put a record, and a
// live tail (GetShardIterator LATEST on every open shard, then GetRecords
// polling, following NextShardIterator).
import { h, clear, toast, fmtTime, badge } from '../dom.js';
import { awsJSON, b64decode } from '../api.js';

export function streamsView(main, args) {
  const list = h('ul', { class: 'list', id: 'streams' });
  const detail = h('div', {}, h('div', { class: 'panel muted' }, 'Select a stream.'));
  main.append(h('h2', {}, 'Kinesis streams'), h('div', { class: 'split' }, h('div', { class: 'panel' }, list), detail));
  let stop = () => {};
  (async () => {
    try {
      const r = await awsJSON('kinesis', 'ListStreams', { Limit: 100 });
      const names = r.StreamNames || [];
      if (!names.length) list.append(h('li', { class: 'muted' }, 'No streams.'));
      for (const n of names) {
        const li = h('li', { onclick: () => {
          for (const x of list.children) x.classList.toggle('active', x === li);
          stop();
          stop = showStream(detail, n);
        } }, n);
        list.append(li);
        if (n === args[0]) li.click();
      }
    } catch (e) { toast(e.message); }
  })();
  return () => stop();
}

function showStream(detail, name) {
  let tailing = false;
  const summary = h('div', {});
  const shards = h('tbody', {});
  const out = h('div', { class: 'tail', id: 'tail' });
  const rate = h('div', { class: 'muted', id: 'stream-rate' }, 'Rates appear while the live tail runs.');
  const rateCells = {};
  const btn = h('button', { class: 'primary', id: 'tail-toggle' }, 'Start live tail');
  const pk = h('input', { placeholder: 'partition key', value: 'console' });
  const data = h('input', { placeholder: 'data', class: 'grow' });
  clear(detail,
    h('div', { class: 'panel' }, h('h3', {}, name), summary,
      h('table', { class: 'plain' }, h('thead', {}, h('tr', {}, h('th', {}, 'Shard'), h('th', {}, 'Hash range'), h('th', {}, 'Parent'),
        h('th', { title: 'Records per second seen by the live tail (last 10 s)' }, 'Rate'))), shards), rate),
    h('div', { class: 'panel' }, h('div', { class: 'row' }, pk, data, h('button', { onclick: async () => {
      try {
        const r = await awsJSON('kinesis', 'PutRecord', { StreamName: name, PartitionKey: pk.value || 'console', Data: btoa(unescape(encodeURIComponent(data.value))) });
        toast('Put ' + r.SequenceNumber + ' on ' + r.ShardId, 'info');
        data.value = '';
      } catch (e) { toast(e.message); }
    } }, 'Put record'))),
    h('div', { class: 'panel' }, h('div', { class: 'row' }, btn, h('span', { class: 'muted' }, 'Shows records that arrive after the tail starts.')), out));
  (async () => {
    try {
      const { StreamDescriptionSummary: s } = await awsJSON('kinesis', 'DescribeStreamSummary', { StreamName: name });
      clear(summary, h('div', { class: 'row' }, badge(s.StreamStatus), h('span', { class: 'muted' },
        (s.StreamModeDetails?.StreamMode || 'PROVISIONED') + ' · ' + s.OpenShardCount + ' open shards · retention ' + s.RetentionPeriodHours + ' h · created ' + fmtTime(s.StreamCreationTimestamp))));
      const r = await awsJSON('kinesis', 'ListShards', { StreamName: name });
      for (const sh of r.Shards || []) {
        rateCells[sh.ShardId] = h('td', { class: 'mono' }, '');
        shards.append(h('tr', {}, h('td', { class: 'mono' }, sh.ShardId),
          h('td', { class: 'mono' }, sh.HashKeyRange.StartingHashKey.slice(0, 8) + '…–' + sh.HashKeyRange.EndingHashKey.slice(0, 8) + '…'),
          h('td', { class: 'mono' }, sh.ParentShardId || ''), rateCells[sh.ShardId]));
      }
    } catch (e) { toast(e.message); }
  })();

  let gen = 0;
  async function tail() {
    const my = ++gen;
    const r = await awsJSON('kinesis', 'ListShards', { StreamName: name });
    const open = (r.Shards || []).filter((s) => !s.SequenceNumberRange?.EndingSequenceNumber);
    const its = {};
    for (const s of open) {
      its[s.ShardId] = (await awsJSON('kinesis', 'GetShardIterator', { StreamName: name, ShardId: s.ShardId, ShardIteratorType: 'LATEST' })).ShardIterator;
    }
    const seen = []; // {t, shard, n} per poll, for the rates
    const started = Date.now();
    while (tailing && my === gen) {
      for (const [shard, it] of Object.entries(its)) {
        if (!it) continue;
        const g = await awsJSON('kinesis', 'GetRecords', { ShardIterator: it, Limit: 500 });
        its[shard] = g.NextShardIterator;
        seen.push({ t: Date.now(), shard, n: (g.Records || []).length });
        for (const rec of g.Records || []) {
          let text;
          try { text = new TextDecoder('utf-8', { fatal: true }).decode(b64decode(rec.Data)); } catch { text = '(binary, ' + rec.Data.length + ' base64 chars)'; }
          out.prepend(h('div', { class: 'record' }, h('span', { class: 'muted' }, fmtTime(rec.ApproximateArrivalTimestamp) + ' ' + shard + ' ' + rec.PartitionKey + ' '), text));
          while (out.children.length > 500) out.lastChild.remove();
        }
      }
      showRates(seen, started);
      await new Promise((res) => setTimeout(res, 1000));
    }
  }
  // showRates prints records/s per shard and in all over the last 10 s.
  function showRates(seen, started) {
    const now = Date.now();
    while (seen.length && now - seen[0].t > 10000) seen.shift();
    const secs = Math.max(1, Math.min(10, (now - started) / 1000));
    const per = {};
    let total = 0;
    for (const s of seen) { per[s.shard] = (per[s.shard] || 0) + s.n; total += s.n; }
    for (const [shard, td] of Object.entries(rateCells)) td.textContent = ((per[shard] || 0) / secs).toFixed(1) + '/s';
    rate.textContent = 'Incoming: ' + (total / secs).toFixed(1) + ' records/s over the last ' + Math.round(secs) + ' s';
  }
  btn.onclick = () => {
    tailing = !tailing;
    btn.textContent = tailing ? 'Stop live tail' : 'Start live tail';
    if (tailing) tail().catch((e) => { toast(e.message); tailing = false; btn.textContent = 'Start live tail'; });
  };
  return () => { tailing = false; gen++; };
}
