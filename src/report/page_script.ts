/**
 * The report page's own script, inlined into the HTML next to uPlot. It reads
 * the embedded ReportData (./data.ts) and builds the page with DOM calls
 * only: log text is always set as textContent, never parsed as HTML, so a
 * hostile log line cannot inject markup. Times show in UTC. Kept as plain
 * browser JavaScript in a string so the report needs no bundler and the same
 * text runs in every browser the page is opened in.
 */
export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var GROUPS = ['error', 'warn', 'info', 'debug', 'unknown'];
  var COLORS = { error: '#d7301f', warn: '#f0a30a', info: '#3a7bd5', debug: '#9aa5b1', unknown: '#c7b9e0' };
  var SEV_COLORS = { critical: '#7a0177', high: '#d7301f', medium: '#f0a30a', low: '#3a9d8f' };
  var SEVERITIES = ['critical', 'high', 'medium', 'low'];

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'class') node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return node;
  }
  function utc(t) { return new Date(t).toISOString().replace('T', ' ').slice(0, 19) + 'Z'; }
  function num(n) { return Number(n).toLocaleString('en-US'); }
  function table(headers, rows, cls) {
    var thead = el('thead', null, [el('tr', null, headers.map(function (h) { return el('th', { text: h }); }))]);
    var tbody = el('tbody', null, rows);
    return el('table', { class: cls || '' }, [thead, tbody]);
  }
  function td(text, cls) { return el('td', { text: String(text), class: cls || '' }); }
  function badge(sev) { var b = el('span', { class: 'badge', text: sev }); b.style.background = SEV_COLORS[sev] || '#666'; return b; }
  function section(id, title, intro) {
    var s = el('section', { id: id }, [el('h2', { text: title })]);
    if (intro) s.appendChild(el('p', { class: 'intro', text: intro }));
    document.getElementById('main').appendChild(s);
    return s;
  }

  // Header
  var sevCounts = {};
  data.anomalies.forEach(function (a) { sevCounts[a.severity] = (sevCounts[a.severity] || 0) + 1; });
  document.getElementById('title').textContent = data.title;
  var summary = document.getElementById('summary');
  summary.appendChild(el('span', { text: utc(data.range.start) + ' to ' + utc(data.range.end) + ' (' + data.range.days + ' days) · ' + num(data.quality.records) + ' records · ' + num(data.quality.streams) + ' streams · ' + num(data.quality.windows) + ' windows · ' + num(data.anomalies.length) + ' anomalies' }));
  SEVERITIES.forEach(function (s) { if (sevCounts[s]) { summary.appendChild(document.createTextNode(' ')); summary.appendChild(badge(sevCounts[s] + ' ' + s)); } });

  // Tooltip shared by every marker
  var tip = el('div', { id: 'tip', role: 'tooltip' });
  document.body.appendChild(tip);
  function showTip(a, x, y) {
    tip.textContent = '';
    tip.appendChild(el('div', { class: 'tip-head' }, [badge(a.severity), ' ' + a.type + ' · ' + a.stream + ' · ' + utc(a.time)]));
    tip.appendChild(el('p', { text: a.summary }));
    var ul = el('ul', { class: 'evidence' });
    a.evidence.forEach(function (e) { ul.appendChild(el('li', { text: e })); });
    tip.appendChild(ul);
    tip.style.display = 'block';
    var left = Math.min(x + 12, window.innerWidth - tip.offsetWidth - 8);
    tip.style.left = Math.max(8, left) + 'px';
    tip.style.top = (y + 12) + 'px';
  }
  function hideTip() { tip.style.display = 'none'; }

  // Timelines
  var tl = section('timeline', 'Volume by level, per stream', 'Drag across a chart to zoom in (all charts follow), double-click to zoom out. Markers are anomalies: hover one for its summary and evidence. Bucket: ' + Math.round(data.bucketMs / 60000) + ' min or more.');
  var byStream = {};
  data.anomalies.forEach(function (a) { (byStream[a.stream] = byStream[a.stream] || []).push(a); });
  var charts = [];
  var syncKey = uPlot.sync('lookout');
  function placeMarkers(u, list, layer) {
    layer.textContent = '';
    var min = u.scales.x.min, max = u.scales.x.max;
    list.forEach(function (a) {
      var t = a.time / 1000;
      if (t < min || t > max) return;
      var m = el('div', { class: 'marker', 'data-anomaly-id': a.id, tabindex: '0', 'aria-label': a.severity + ' ' + a.type });
      m.style.left = u.valToPos(t, 'x') + 'px';
      m.style.borderTopColor = SEV_COLORS[a.severity];
      m.addEventListener('mouseenter', function (ev) { showTip(a, ev.clientX, ev.clientY); });
      m.addEventListener('focus', function () { var r = m.getBoundingClientRect(); showTip(a, r.left, r.bottom); });
      m.addEventListener('mouseleave', hideTip);
      m.addEventListener('blur', hideTip);
      layer.appendChild(m);
    });
  }
  data.streams.forEach(function (s) {
    var box = el('div', { class: 'chart', 'data-stream': s.stream });
    box.appendChild(el('h3', { text: s.stream + ' — ' + num(s.records) + ' records' + (byStream[s.stream] ? ', ' + byStream[s.stream].length + ' anomalies' : '') }));
    tl.appendChild(box);
    var xs = s.times.map(function (t) { return t / 1000; });
    var series = [{}];
    var values = [xs];
    GROUPS.forEach(function (g) {
      if (!s.levels[g].some(function (v) { return v > 0; })) return;
      series.push({ label: g, stroke: COLORS[g], fill: COLORS[g] + '33', width: 1.5, points: { show: false } });
      values.push(s.levels[g]);
    });
    var markers = el('div', { class: 'markers' });
    var list = byStream[s.stream] || [];
    var u = new uPlot({
      width: Math.max(320, tl.clientWidth - 20),
      height: 180,
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); },
      cursor: { sync: { key: syncKey.key, setSeries: false }, drag: { x: true, y: false } },
      scales: { x: { time: true } },
      axes: [{}, { label: 'lines', size: 60 }],
      series: series,
      hooks: {
        draw: [function (u) { placeMarkers(u, list, markers); }],
        ready: [function (u) { u.over.appendChild(markers); }]
      }
    }, values, box);
    charts.push(u);
  });
  if (data.otherStreams.count > 0) tl.appendChild(el('p', { class: 'note', text: num(data.otherStreams.count) + ' more streams (' + num(data.otherStreams.records) + ' records) are not charted; their anomalies are in the table below.' }));
  if (data.streams.length === 0) tl.appendChild(el('p', { class: 'note', text: 'No records.' }));
  window.addEventListener('resize', function () { charts.forEach(function (u) { u.setSize({ width: Math.max(320, tl.clientWidth - 20), height: 180 }); }); });

  // Anomalies
  var an = section('anomalies', 'Anomalies', 'Where each would have gone under the configured notification routes, and whether suppression (' + 'repeats of the same service, type and template' + ') would have held it back. Every anomaly also goes to the pipeline sinks.');
  var channelNames = {};
  data.perDay.forEach(function (d) { Object.keys(d.byChannel).forEach(function (c) { channelNames[c] = true; }); });
  var chans = Object.keys(channelNames).sort();
  an.appendChild(el('h3', { text: 'Per day' }));
  an.appendChild(table(['day'].concat(SEVERITIES, chans.map(function (c) { return '→ ' + c; }), ['suppressed']), data.perDay.map(function (d) {
    return el('tr', null, [td(d.day)].concat(SEVERITIES.map(function (s) { return td(d.bySeverity[s] || 0, 'n'); }), chans.map(function (c) { return td(d.byChannel[c] || 0, 'n'); }), [td(d.suppressed, 'n')]));
  }), 'per-day'));
  var filter = el('select', { id: 'severity-filter', 'aria-label': 'minimum severity' }, ['all', 'low', 'medium', 'high', 'critical'].map(function (s) { return el('option', { value: s, text: s === 'all' ? 'all severities' : s + ' and worse' }); }));
  an.appendChild(el('h3', { text: 'All anomalies ' }, [filter]));
  var rank = { low: 1, medium: 2, high: 3, critical: 4 };
  var rows = data.anomalies.map(function (a) {
    var ev = el('ul', { class: 'evidence' });
    a.evidence.forEach(function (e) { ev.appendChild(el('li', { text: e })); });
    var dest = a.channels.length === 0 ? 'pipeline sinks only' : a.channels.map(function (c) { return c.name + (c.configured ? '' : ' (not configured)'); }).join(', ');
    var tr = el('tr', { 'data-anomaly-id': a.id, 'data-severity': a.severity }, [
      td(utc(a.time)), el('td', null, [badge(a.severity)]), td(a.type), td(a.stream),
      el('td', null, [el('div', { text: a.summary }), ev]),
      td(dest), td(a.suppressed ? 'suppressed' : 'notified')
    ]);
    return tr;
  });
  an.appendChild(table(['time (window end)', 'severity', 'type', 'stream', 'summary and evidence', 'would go to', 'suppression'], rows, 'anomaly-table'));
  filter.addEventListener('change', function () {
    var min = rank[filter.value] || 0;
    rows.forEach(function (r) { r.style.display = rank[r.getAttribute('data-severity')] >= min ? '' : 'none'; });
  });
  if (data.anomalies.length === 0) an.appendChild(el('p', { class: 'note', text: 'No anomalies.' }));

  // Templates
  var te = section('templates', 'Templates', num(data.templates.total) + ' templates mined with the configured miner settings.');
  te.appendChild(el('h3', { text: 'Top by volume' }));
  var total = data.quality.records || 1;
  te.appendChild(table(['count', 'share', 'first seen', 'template'], data.templates.top.map(function (t) {
    return el('tr', null, [td(num(t.count), 'n'), td((100 * t.count / total).toFixed(2) + ' %', 'n'), td(utc(t.firstSeen)), el('td', null, [el('code', { text: t.template })])]);
  })));
  te.appendChild(el('h3', { text: 'New templates (first seen after the history settled), newest first' }));
  if (data.templates.newest.length === 0) te.appendChild(el('p', { class: 'note', text: 'None.' }));
  else te.appendChild(table(['first seen', 'count', 'template'], data.templates.newest.map(function (t) {
    return el('tr', null, [td(utc(t.firstSeen)), td(num(t.count), 'n'), el('td', null, [el('code', { text: t.template })])]);
  })));
  te.appendChild(el('h3', { text: 'Numeric parameters of the busiest templates' }));
  data.templates.spreads.forEach(function (t) {
    te.appendChild(el('p', null, [el('code', { text: t.template })]));
    if (t.params.length === 0) { te.appendChild(el('p', { class: 'note', text: 'No numeric parameters.' })); return; }
    te.appendChild(table(['position', 'token', 'values', 'min', 'median', 'p95', 'max'], t.params.map(function (p) {
      return el('tr', null, [td(p.position, 'n'), el('td', null, [el('code', { text: p.token })]), td(num(p.samples), 'n'), td(p.min, 'n'), td(p.p50, 'n'), td(p.p95, 'n'), td(p.max, 'n')]);
    })));
  });

  // What if
  var w = data.whatIf;
  var wi = section('what-if', 'What if', 'Anomalies per day each signal raised at the configured thresholds and at one notch stricter and looser (real runs of the detector over the same windows, not extrapolations).');
  wi.appendChild(table(['signal', 'stricter', 'current', 'looser'], w.signals.map(function (s) {
    return el('tr', null, [td(s.type), td(s.perDay.stricter, 'n'), td(s.perDay.current, 'n'), td(s.perDay.looser, 'n')]);
  }), 'what-if-signals'));
  if (w.signals.length === 0) wi.appendChild(el('p', { class: 'note', text: 'No signal fired at any setting.' }));
  wi.appendChild(el('p', { class: 'note', text: 'stricter: ' + w.notes.stricter + '. looser: ' + w.notes.looser + '. Note: ' + w.notes.merged + '.' }));
  wi.appendChild(el('h3', { text: 'LLM gate' }));
  wi.appendChild(el('p', { class: 'intro', text: 'Windows the gate would send to the LLM per day at each threshold (plus a ' + (w.sampleRate * 100) + ' % sample of quiet windows), the tokens they would take (prompt measured at 4 characters per token, ' + w.completionTokensPerCall + ' completion tokens per call) and the cost at ' + w.pricePerMillionTokens + ' per million tokens. LLM now: ' + w.llm.mode + (w.llm.model ? ' (' + w.llm.model + ')' : '') + '.' }));
  wi.appendChild(table(['gate threshold', 'LLM windows / day', 'tokens / day', 'cost / day'], w.gate.map(function (g) {
    return el('tr', { class: g.current ? 'current' : '' }, [td(g.threshold + (g.current ? ' (configured)' : '')), td(g.windowsPerDay, 'n'), td(num(g.tokensPerDay), 'n'), td(g.costPerDay.toFixed(2), 'n')]);
  }), 'gate'));

  // Data quality
  var q = data.quality;
  var dq = section('quality', 'Data quality');
  dq.appendChild(table(['input', 'format', 'compression', 'lines', 'records', 'unparsed lines', 'without a time'], data.inputs.map(function (i) {
    var s = i.stats;
    return el('tr', null, [td(i.name), td((s.format || '?') + (s.detected ? ' (detected)' : ' (forced)')), td(s.compression || 'none'), td(num(s.lines), 'n'), td(num(s.records), 'n'),
      td(num(s.unparsed) + (s.firstUnparsedLine ? ' (first: line ' + s.firstUnparsedLine + ')' : ''), 'n'), td(num(s.untimed), 'n')]);
  }), 'inputs'));
  dq.appendChild(el('p', { text: num(q.late) + ' late records (dated over one window before their stream\'s newest record; they joined a later window) · ' + num(q.future) + ' records dated in the future (writer clock ahead) · ' + num(q.unparsed) + ' unparsed lines read as raw text · ' + num(q.streams) + ' streams.' }));
  dq.appendChild(table(['stream', 'records', 'first', 'last', 'late'], data.streams.map(function (s) {
    return el('tr', null, [td(s.stream), td(num(s.records), 'n'), td(utc(s.first)), td(utc(s.last)), td(num(s.late), 'n')]);
  }), 'streams'));
  document.body.setAttribute('data-ready', 'true');
})();
`;
