/**
 * Browser script: the Actors view. A filtered list of persisted actors kept current by the live feed, and one actor's
 * chart with its current state highlighted; time travel steps through the actor's transitions.
 */
export const ACTORS_VIEW_JS = String.raw`
var ActorsView = (function () {
  var MAX_ROWS = 5000;
  var view = null;

  function stateCell(summary) {
    return h('span', { class: 'state-pill status-' + summary.status, text: summary.stateValue });
  }

  function row(summary) {
    var tr = h('div', { class: 'actor-row', role: 'row', 'data-actor-id': summary.actorId, tabindex: 0 });
    fillRow(tr, summary);
    return tr;
  }

  function fillRow(tr, summary) {
    clear(tr);
    tr.setAttribute('data-status', summary.status);
    tr.setAttribute('data-state', summary.stateValue);
    tr.appendChild(h('span', { class: 'mono', role: 'cell', title: summary.actorId, text: summary.actorId }));
    tr.appendChild(h('span', { role: 'cell', text: summary.kind }));
    tr.appendChild(h('span', { class: 'state-cell', role: 'cell' }, [stateCell(summary)]));
    tr.appendChild(h('span', { role: 'cell', text: summary.status }));
    tr.appendChild(h('span', { class: 'mono', role: 'cell' }, summary.processGroup === null ? '' : [h('a', { href: '#/processes/' + encodeURIComponent(summary.processGroup), text: summary.processGroup })]));
    tr.appendChild(h('span', { class: 'mono', role: 'cell', text: formatTime(summary.updatedAt) }));
  }

  /**
   * Replaces the rows of a list body by one row per actor, in one DOM insertion; returns the rows by actor ID. Rows are
   * grid rows with content-visibility: auto, so the browser lays out only those in view (1,000 rows stay cheap).
   */
  function renderRows(tbody, list) {
    var byId = new Map();
    var fragment = document.createDocumentFragment();
    list.forEach(function (summary) {
      var tr = row(summary);
      byId.set(summary.actorId, { summary: summary, tr: tr });
      fragment.appendChild(tr);
    });
    clear(tbody);
    tbody.appendChild(fragment);
    return byId;
  }

  function query(filters) {
    var parts = ['limit=1000'];
    Object.keys(filters).forEach(function (key) { if (filters[key] !== '') parts.push(key + '=' + encodeURIComponent(filters[key])); });
    return 'actors?' + parts.join('&');
  }

  function matches(filters, summary) {
    if (filters.party !== '') return false;
    if (filters.kind !== '' && summary.kind !== filters.kind) return false;
    if (filters.status !== '' && summary.status !== filters.status) return false;
    if (filters.processGroup !== '' && (summary.processGroup || '').indexOf(filters.processGroup) !== 0) return false;
    if (filters.text !== '' && summary.actorId.indexOf(filters.text) < 0) return false;
    return true;
  }

  function filterForm(kinds, onChange) {
    var input = function (name, placeholder) { return h('input', { name: name, placeholder: placeholder, 'aria-label': placeholder, type: 'search' }); };
    var kind = h('select', { name: 'kind', 'aria-label': 'kind' }, [h('option', { value: '', text: 'every kind' })].concat(kinds.map(function (k) { return h('option', { value: k, text: k }); })));
    var status = h('select', { name: 'status', 'aria-label': 'status' }, ['', 'active', 'done', 'error', 'stopped'].map(function (value) { return h('option', { value: value, text: value === '' ? 'any status' : value }); }));
    var form = h('form', { class: 'filters', onsubmit: function (event) { event.preventDefault(); } }, [
      kind, status, input('party', 'device or user (dev:mobile:…, usr:…)'), input('processGroup', 'process group (txn:…)'), input('text', 'actor ID contains')
    ]);
    var changed = debounce(onChange, 200);
    form.addEventListener('input', changed);
    form.addEventListener('change', changed);
    return form;
  }

  function readFilters(form) {
    var value = function (name) { return form.elements[name].value.trim(); };
    return { kind: value('kind'), status: value('status'), party: value('party'), processGroup: value('processGroup'), text: value('text') };
  }

  function show(root, selectedId) {
    clear(root);
    return MachinesView.load().then(function (charts) {
      var chartOf = new Map(charts.map(function (chart) { return [chart.kind, chart]; }));
      var tbody = h('div', { class: 'actor-rows', role: 'rowgroup' });
      var count = h('span', { class: 'muted' });
      var detail = h('div', { class: 'actor-detail' }, [h('p', { class: 'muted', text: 'Choose an actor to see its chart and step through its history.' })]);
      var form = filterForm(charts.filter(function (c) { return c.side === 'sp'; }).map(function (c) { return c.kind; }), function () { reload(); });
      view = { root: root, tbody: tbody, rows: new Map(), filters: readFilters(form), chartOf: chartOf, detail: detail, actor: null, count: count };
      var reload = function () {
        view.filters = readFilters(form);
        return api(query(view.filters)).then(function (list) {
          view.rows = renderRows(tbody, list);
          if (view.actor !== null && view.rows.has(view.actor.id)) view.rows.get(view.actor.id).tr.classList.add('selected');
          count.textContent = list.length + ' actors';
        });
      };
      tbody.addEventListener('click', function (event) {
        var tr = event.target.closest('[data-actor-id]');
        if (tr !== null && event.target.closest('a') === null) location.hash = '#/actors/' + encodeURIComponent(tr.getAttribute('data-actor-id'));
      });
      root.appendChild(h('div', { class: 'toolbar' }, [h('h1', { text: 'Actors' }), count]));
      root.appendChild(form);
      root.appendChild(h('div', { class: 'split' }, [
        h('div', { class: 'list-pane' }, [h('div', { class: 'actors', role: 'table' }, [
          h('div', { class: 'actor-row head', role: 'row' }, ['Actor', 'Kind', 'State', 'Status', 'Process group', 'Updated'].map(function (title) { return h('span', { role: 'columnheader', text: title }); })),
          tbody
        ])]),
        detail
      ]));
      return reload().then(function () { if (selectedId) return openActor(selectedId); });
    });
  }

  function openActor(actorId) {
    view.rows.forEach(function (entry, id) { entry.tr.classList.toggle('selected', id === actorId); });
    return api('actors/' + encodeURIComponent(actorId) + '/history').then(function (history) {
      view.actor = { id: actorId, history: history, cursor: null, svg: null };
      drawDetail();
    }, function (error) {
      clear(view.detail).appendChild(h('p', { class: 'error', text: String(error.message || error) }));
    });
  }

  function activeAt(actor) {
    var history = actor.history;
    if (actor.cursor === null) return history.actor.activeStates;
    if (actor.cursor < 0) return history.initialStates;
    return history.steps[actor.cursor].activeStates;
  }

  function travel(to) {
    var actor = view.actor;
    var last = actor.history.steps.length - 1;
    var current = actor.cursor === null ? last : actor.cursor;
    if (to === 'first') actor.cursor = -1;
    else if (to === 'previous') actor.cursor = Math.max(-1, current - 1);
    else if (to === 'next') actor.cursor = Math.min(last, current + 1);
    else if (to === 'last') actor.cursor = last;
    else actor.cursor = null;
    updateDetail();
  }

  function drawDetail() {
    var actor = view.actor;
    var summary = actor.history.actor;
    var chart = view.chartOf.get(summary.kind);
    clear(view.detail);
    view.detail.appendChild(h('h2', { class: 'mono', text: summary.actorId }));
    view.detail.appendChild(h('p', { class: 'actor-facts' }, [
      h('span', { text: summary.kind }), ' · ', h('span', { class: 'actor-status', text: summary.status }), ' · state ', h('strong', { class: 'actor-state', text: summary.stateValue }),
      summary.processGroup === null ? '' : h('span', null, [' · ', h('a', { href: '#/processes/' + encodeURIComponent(summary.processGroup), text: summary.processGroup })])
    ]));
    var button = function (label, to, title) { return h('button', { type: 'button', 'data-travel': to, title: title, text: label, onclick: function () { travel(to); } }); };
    actor.position = h('span', { class: 'travel-position' });
    view.detail.appendChild(h('div', { class: 'travel' }, [
      button('First', 'first', 'before the first step'), button('◀ Back', 'previous', 'previous step'), button('Step ▶', 'next', 'next step'), button('Last', 'last', 'last step'), button('● Live', 'live', 'follow live'), actor.position
    ]));
    actor.svg = chart === undefined ? null : Statechart.render(chart, activeAt(actor));
    view.detail.appendChild(h('div', { class: 'chart-scroll' }, actor.svg === null ? [h('p', { class: 'muted', text: 'no chart for kind ' + summary.kind })] : [actor.svg]));
    actor.list = h('ol', { class: 'history' });
    view.detail.appendChild(h('h3', { text: 'History' + (actor.history.truncated ? ' (latest steps)' : '') }));
    view.detail.appendChild(actor.list);
    updateDetail();
  }

  function updateDetail() {
    var actor = view.actor;
    var steps = actor.history.steps;
    if (actor.svg !== null) Statechart.highlight(actor.svg, activeAt(actor));
    actor.position.textContent = actor.cursor === null ? 'live · ' + steps.length + ' steps' : actor.cursor < 0 ? 'before step 1 of ' + steps.length : 'step ' + (actor.cursor + 1) + ' of ' + steps.length;
    actor.position.setAttribute('data-cursor', actor.cursor === null ? 'live' : String(actor.cursor));
    clear(actor.list);
    steps.forEach(function (step, i) {
      var current = actor.cursor === i || (actor.cursor === null && i === steps.length - 1);
      actor.list.appendChild(h('li', { class: current ? 'current' : '', 'data-step': i, onclick: function () { actor.cursor = i; updateDetail(); } }, [
        h('span', { class: 'mono muted', text: formatTime(step.at) + ' ' }),
        h('strong', { text: step.event }), ' ', (step.fromState === null ? 'new' : step.fromState) + ' → ' + (step.toState === null ? '?' : step.toState), ' ',
        h('a', { class: 'muted', href: '#/processes/' + encodeURIComponent(step.processGroup), text: step.processGroup })
      ]));
    });
  }

  var refreshActor = debounce(function () {
    if (view === null || view.actor === null) return;
    var actor = view.actor;
    api('actors/' + encodeURIComponent(actor.id) + '/history').then(function (history) {
      if (view.actor !== actor) return;
      actor.history = history;
      drawDetail();
    });
  }, 120);

  /** A live update of one actor: its row changes in place, or appears when it matches the filters. */
  function onActor(summary) {
    if (view === null || !document.body.contains(view.tbody)) return;
    var entry = view.rows.get(summary.actorId);
    if (entry !== undefined) {
      entry.summary = summary;
      fillRow(entry.tr, summary);
    } else if (matches(view.filters, summary)) {
      var tr = row(summary);
      view.rows.set(summary.actorId, { summary: summary, tr: tr });
      view.tbody.insertBefore(tr, view.tbody.firstChild);
      if (view.rows.size > MAX_ROWS) {
        var oldest = view.tbody.lastChild;
        view.rows.delete(oldest.getAttribute('data-actor-id'));
        oldest.remove();
      }
      view.count.textContent = view.rows.size + ' actors';
    }
    if (view.actor !== null && view.actor.id === summary.actorId && view.actor.cursor === null) refreshActor();
  }

  return { show: show, onActor: onActor, renderRows: renderRows };
})();
`;
