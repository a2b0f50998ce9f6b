// views/jobs.js — batch: Glue jobs (details, runs, StartJobRun with
// arguments, a run's output and error logs from CloudWatch Logs), triggers
// (state, StartTrigger / StopTrigger), workflows (last run), and EMR
// clusters with their steps.
import { h, clear, toast, badge, fmtTime, dialog } from '../dom.js';
import { awsJSON } from '../api.js';
import { streamEvents } from '../logs.js';

const glue = (op, input) => awsJSON('glue', op, input);
const emr = (op, input) => awsJSON('elasticmapreduce', op, input);

// all pages of a NextToken/Marker-paginated call.
async function pages(call, op, input, field, tokenName = 'NextToken') {
  const out = [];
  let token;
  do {
    const r = await call(op, { ...input, ...(token ? { [tokenName]: token } : {}) });
    out.push(...(r[field] || []));
    token = r[tokenName];
  } while (token);
  return out;
}

const row = (...cells) => h('tr', {}, ...cells.map((c) => h('td', {}, c)));
const head = (...names) => h('thead', {}, h('tr', {}, ...names.map((n) => h('th', {}, n))));
const empty = (body, cols, text) => { if (!body.children.length) body.append(h('tr', {}, h('td', { colspan: cols, class: 'muted' }, text))); };

// duration formats seconds (or the span between two epoch-second times).
export function duration(sec) {
  if (sec == null || !isFinite(sec)) return '';
  if (sec < 60) return sec.toFixed(sec < 10 ? 1 : 0) + ' s';
  const m = Math.floor(sec / 60), s = Math.round(sec % 60);
  return m < 60 ? m + ' min ' + s + ' s' : Math.floor(m / 60) + ' h ' + (m % 60) + ' min';
}

export function jobsView(main) {
  const jobs = h('ul', { class: 'list', id: 'glue-jobs' });
  const detail = h('div', { id: 'job-detail' }, h('div', { class: 'panel muted' }, 'Select a job.'));
  const triggers = h('tbody', {});
  const workflows = h('tbody', {});
  const clusters = h('tbody', {});
  const steps = h('div', { id: 'emr-steps' });
  let timer = null, current = null;
  const refreshBtn = (fn) => h('button', { onclick: () => fn() }, 'Refresh');
  main.append(h('h2', {}, 'Jobs'),
    h('div', { class: 'split' }, h('div', { class: 'panel' }, h('div', { class: 'row' }, h('h3', { class: 'grow' }, 'Glue jobs'), refreshBtn(() => loadJobs())), jobs), detail),
    h('div', { class: 'panel' }, h('div', { class: 'row' }, h('h3', { class: 'grow' }, 'Triggers'), refreshBtn(() => loadTriggers())),
      h('table', { class: 'plain', id: 'glue-triggers' }, head('Name', 'Type', 'State', 'Schedule / condition', 'Starts', ''), triggers)),
    h('div', { class: 'panel' }, h('div', { class: 'row' }, h('h3', { class: 'grow' }, 'Workflows'), refreshBtn(() => loadWorkflows())),
      h('table', { class: 'plain', id: 'glue-workflows' }, head('Name', 'Last run', 'Started', 'Completed', 'Actions', ''), workflows)),
    h('div', { class: 'panel' }, h('div', { class: 'row' }, h('h3', { class: 'grow' }, 'EMR clusters'), refreshBtn(() => loadClusters())),
      h('table', { class: 'plain', id: 'emr-clusters' }, head('Id', 'Name', 'State', 'Created', 'Reason'), clusters), steps));

  async function loadJobs() {
    try {
      const list = await pages(glue, 'GetJobs', {}, 'Jobs');
      clear(jobs, ...list.map((j) => {
        const li = h('li', { 'data-job': j.Name, onclick: () => { for (const x of jobs.children) x.classList.toggle('active', x === li); current = j.Name; showJob(j.Name); } },
          j.Name, h('span', { class: 'muted' }, j.Command?.Name || ''));
        if (j.Name === current) li.classList.add('active');
        return li;
      }));
      if (!list.length) jobs.append(h('li', { class: 'muted' }, 'No jobs.'));
    } catch (e) { toast(e.message); }
  }

  async function showJob(name) {
    clearInterval(timer);
    let j;
    try { j = (await glue('GetJob', { JobName: name })).Job; } catch (e) { toast(e.message); return; }
    const runs = h('tbody', {});
    const logs = h('div', { id: 'run-logs' });
    const args = Object.entries(j.DefaultArguments || {});
    const info = [['Command', (j.Command?.Name || '') + (j.Command?.PythonVersion ? ' (Python ' + j.Command.PythonVersion + ')' : '')],
      ['Script', j.Command?.ScriptLocation], ['Role', j.Role], ['Glue version', j.GlueVersion],
      ['Workers', j.NumberOfWorkers ? j.NumberOfWorkers + ' × ' + (j.WorkerType || '') : j.MaxCapacity ? j.MaxCapacity + ' DPU' : ''],
      ['Timeout', j.Timeout ? j.Timeout + ' min' : ''], ['Max retries', j.MaxRetries], ['Max concurrent runs', j.ExecutionProperty?.MaxConcurrentRuns],
      ['Created', fmtTime(j.CreatedOn)], ['Modified', fmtTime(j.LastModifiedOn)]].filter(([, v]) => v != null && v !== '');
    clear(detail,
      h('div', { class: 'panel' }, h('div', { class: 'row' }, h('h3', { class: 'grow' }, j.Name),
        h('button', { class: 'primary', id: 'start-job-run', onclick: () => startRun(j) }, 'Run')),
      j.Description ? h('div', { class: 'muted' }, j.Description) : null,
      h('table', { class: 'plain', id: 'job-info' }, h('tbody', {}, ...info.map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', { class: 'mono' }, String(v)))))),
      args.length ? [h('h3', {}, 'Default arguments'), h('table', { class: 'plain', id: 'job-args' }, h('tbody', {}, ...args.map(([k, v]) => h('tr', {}, h('td', { class: 'mono' }, k), h('td', { class: 'mono' }, v)))))] : null),
      h('div', { class: 'panel' }, h('div', { class: 'row' }, h('h3', { class: 'grow' }, 'Runs'), h('button', { onclick: () => loadRuns() }, 'Refresh')),
        h('table', { class: 'plain', id: 'job-runs' }, head('Run', 'State', 'Started', 'Duration', 'Attempt', 'Error', ''), runs)),
      logs);
    async function loadRuns() {
      try {
        const list = await pages(glue, 'GetJobRuns', { JobName: name }, 'JobRuns');
        clear(runs, ...list.map((r) => {
          const secs = r.ExecutionTime || (r.CompletedOn && r.StartedOn ? r.CompletedOn - r.StartedOn : r.StartedOn ? Date.now() / 1000 - r.StartedOn : null);
          return h('tr', { 'data-run': r.Id },
            h('td', { class: 'mono', title: r.Id }, r.Id.length > 16 ? r.Id.slice(0, 14) + '…' : r.Id), h('td', {}, badge(r.JobRunState)), h('td', {}, fmtTime(r.StartedOn)),
            h('td', {}, duration(secs)), h('td', {}, String(r.Attempt ?? 0)),
            h('td', { class: 'error' }, r.ErrorMessage || ''),
            h('td', {}, h('button', { class: 'run-logs', onclick: () => showLogs(logs, r) }, 'Logs')));
        }));
        empty(runs, 7, 'No runs yet.');
        // Poll while a run is still going.
        clearInterval(timer);
        if (list.some((r) => ['STARTING', 'RUNNING', 'STOPPING', 'WAITING'].includes(r.JobRunState))) timer = setInterval(loadRuns, 2000);
      } catch (e) { toast(e.message); }
    }
    loadRuns();

    async function startRun(job) {
      const ta = h('textarea', { id: 'run-args', rows: 5, class: 'mono', style: 'width:100%', placeholder: '{"--day": "2024-01-01"}' });
      const id = await dialog('Run ' + job.Name, h('div', {}, h('div', { class: 'muted' }, 'Arguments for this run (JSON object, keys like --name); they override the job\'s defaults.'), ta), [{
        label: 'Start run', primary: true, id: 'run-start', run: async () => {
          let a = {};
          if (ta.value.trim()) {
            try { a = JSON.parse(ta.value); } catch (e) { throw new Error('Arguments are not JSON: ' + e.message); }
            if (typeof a !== 'object' || Array.isArray(a) || a === null) throw new Error('Arguments must be a JSON object');
            for (const [k, v] of Object.entries(a)) a[k] = String(v);
          }
          return (await glue('StartJobRun', { JobName: job.Name, ...(Object.keys(a).length ? { Arguments: a } : {}) })).JobRunId;
        },
      }]);
      if (id) { toast('Started run ' + id, 'info'); loadRuns(); }
    }
  }

  async function showLogs(panel, run) {
    const out = h('pre', { id: 'run-output' }, 'Loading…');
    const err = h('pre', { id: 'run-error' }, 'Loading…');
    clear(panel, h('div', { class: 'panel' }, h('div', { class: 'row' }, h('h3', { class: 'grow' }, 'Logs of ' + run.Id), badge(run.JobRunState),
      h('button', { onclick: () => showLogs(panel, run) }, 'Reload')),
    run.Arguments && Object.keys(run.Arguments).length ? h('div', { class: 'muted mono' }, 'Arguments: ' + JSON.stringify(run.Arguments)) : null,
    h('h3', {}, 'Output (/aws-glue/jobs/output)'), out, h('h3', {}, 'Errors (/aws-glue/jobs/error)'), err));
    const fill = async (pre, group) => {
      try {
        const evs = await streamEvents(group, run.Id);
        pre.textContent = evs.length ? evs.map((e) => e.message).join('\n') : '(no events)';
      } catch (e) { pre.textContent = e.message; pre.classList.add('error'); }
    };
    await Promise.all([fill(out, '/aws-glue/jobs/output'), fill(err, '/aws-glue/jobs/error')]);
  }

  async function loadTriggers() {
    try {
      const list = await pages(glue, 'GetTriggers', {}, 'Triggers');
      clear(triggers, ...list.map((t) => {
        const cond = t.Schedule || (t.Predicate?.Conditions || []).map((c) => (c.JobName || c.CrawlerName) + ' ' + (c.State || c.CrawlState)).join(' ' + (t.Predicate?.Logical || 'AND') + ' ');
        const active = t.State === 'ACTIVATED' || t.State === 'ACTIVATING';
        return h('tr', { 'data-trigger': t.Name }, h('td', {}, t.Name), h('td', {}, t.Type), h('td', {}, badge(t.State)),
          h('td', { class: 'mono' }, cond || ''), h('td', { class: 'mono' }, (t.Actions || []).map((a) => a.JobName || a.CrawlerName).join(', ')),
          h('td', {}, t.Type === 'ON_DEMAND' && !active ? h('button', { onclick: () => act('StartTrigger', t.Name) }, 'Fire')
            : h('button', { class: 'trigger-toggle', onclick: () => act(active ? 'StopTrigger' : 'StartTrigger', t.Name) }, active ? 'Stop' : 'Start')));
      }));
      empty(triggers, 6, 'No triggers.');
    } catch (e) { toast(e.message); }
  }
  async function act(op, name) {
    try { await glue(op, { Name: name }); toast(op.replace('Trigger', '') + ' ' + name, 'info'); loadTriggers(); setTimeout(loadJobs, 500); } catch (e) { toast(e.message); }
  }

  async function loadWorkflows() {
    try {
      const names = await pages(glue, 'ListWorkflows', {}, 'Workflows');
      const list = names.length ? (await glue('BatchGetWorkflows', { Names: names, IncludeGraph: false })).Workflows || [] : [];
      clear(workflows, ...list.map((w) => {
        const r = w.LastRun || {};
        const st = r.Statistics;
        return h('tr', { 'data-workflow': w.Name }, h('td', {}, w.Name), h('td', {}, r.Status ? badge(r.Status) : h('span', { class: 'muted' }, 'never run')),
          h('td', {}, fmtTime(r.StartedOn)), h('td', {}, fmtTime(r.CompletedOn)),
          h('td', { class: 'muted' }, st ? `${st.SucceededActions || 0} ok · ${st.FailedActions || 0} failed · ${st.RunningActions || 0} running` : ''),
          h('td', {}, h('button', { onclick: async () => {
            try { await glue('StartWorkflowRun', { Name: w.Name }); toast('Started ' + w.Name, 'info'); loadWorkflows(); } catch (e) { toast(e.message); }
          } }, 'Run')));
      }));
      empty(workflows, 6, 'No workflows.');
    } catch (e) { toast(e.message); }
  }

  async function loadClusters() {
    try {
      const list = await pages(emr, 'ListClusters', {}, 'Clusters', 'Marker');
      clear(clusters, ...list.map((c) => h('tr', { class: 'click', 'data-cluster': c.Id, onclick: () => showSteps(c) },
        h('td', { class: 'mono' }, h('a', {}, c.Id)), h('td', {}, c.Name), h('td', {}, badge(c.Status?.State)),
        h('td', {}, fmtTime(c.Status?.Timeline?.CreationDateTime)), h('td', { class: 'muted' }, c.Status?.StateChangeReason?.Message || ''))));
      empty(clusters, 5, 'No clusters.');
    } catch (e) { toast(e.message); }
  }
  async function showSteps(c) {
    const body = h('tbody', {});
    clear(steps, h('h3', {}, 'Steps of ' + c.Name + ' (' + c.Id + ')'), h('table', { class: 'plain', id: 'emr-step-list' }, head('Id', 'Name', 'State', 'Started', 'Duration', 'Failure'), body));
    try {
      const list = await pages(emr, 'ListSteps', { ClusterId: c.Id }, 'Steps', 'Marker');
      for (const s of list) {
        const tl = s.Status?.Timeline || {};
        const f = s.Status?.FailureDetails;
        body.append(row(h('span', { class: 'mono' }, s.Id), s.Name, badge(s.Status?.State), fmtTime(tl.StartDateTime),
          duration(tl.StartDateTime ? (tl.EndDateTime || Date.now() / 1000) - tl.StartDateTime : null),
          f ? h('span', { class: 'error' }, [f.Reason, f.Message, f.LogFile].filter(Boolean).join(' · ')) : ''));
      }
      empty(body, 6, 'No steps.');
    } catch (e) { toast(e.message); }
  }

  loadJobs(); loadTriggers(); loadWorkflows(); loadClusters();
  return () => clearInterval(timer);
}
