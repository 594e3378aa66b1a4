/**
 * Browser script: the Processes view. Process groups, newest first and kept current by the live feed; the chosen one
 * as a sequence diagram with its messages' decoded fields on click; time travel step by step; Mermaid and SVG export.
 */
export const PROCESSES_VIEW_JS = String.raw`
var ProcessesView = (function () {
  var view = null;

  function groupItem(group) {
    return h('li', { 'data-pg': group.processGroup }, [
      h('a', { href: '#/processes/' + encodeURIComponent(group.processGroup) }, [
        h('span', { class: 'mono pg-name', text: group.processGroup }),
        h('span', { class: 'muted pg-meta', text: group.events + ' events · ' + formatTime(group.lastAt) })
      ])
    ]);
  }

  function drawGroups() {
    clear(view.list);
    var needle = view.search.value.trim();
    view.groups.filter(function (group) { return needle === '' || group.processGroup.indexOf(needle) >= 0; }).forEach(function (group) {
      var item = groupItem(group);
      if (group.processGroup === view.pg) item.classList.add('selected');
      if (group.processGroup.indexOf('refusals:') === 0) item.classList.add('refusals');
      view.list.appendChild(item);
    });
  }

  function show(root, pg) {
    clear(root);
    var search = h('input', { type: 'search', placeholder: 'process group contains', 'aria-label': 'process group contains' });
    var list = h('ul', { class: 'groups' });
    var main = h('div', { class: 'sequence-pane' }, [h('p', { class: 'muted', text: 'Choose a process group to draw its sequence.' })]);
    view = { root: root, list: list, search: search, main: main, groups: [], pg: pg || null, diagram: null, cursor: null, selected: null };
    search.addEventListener('input', drawGroups);
    root.appendChild(h('div', { class: 'toolbar' }, [h('h1', { text: 'Processes' })]));
    root.appendChild(h('div', { class: 'split' }, [h('div', { class: 'list-pane groups-pane' }, [search, list]), main]));
    var loaded = api('process-groups?limit=500').then(function (groups) { view.groups = groups; drawGroups(); });
    return Promise.all([loaded, view.pg === null ? null : loadSequence()]);
  }

  function loadSequence() {
    var pg = view.pg;
    return api('process-groups/' + encodeURIComponent(pg) + '/sequence').then(function (diagram) {
      if (view.pg !== pg) return;
      view.diagram = diagram;
      if (view.cursor !== null && view.cursor >= diagram.steps.length) view.cursor = diagram.steps.length - 1;
      drawSequence();
    });
  }

  function travel(to) {
    var last = view.diagram.steps.length - 1;
    var current = view.cursor === null ? last : view.cursor;
    if (to === 'first') view.cursor = 0;
    else if (to === 'previous') view.cursor = Math.max(0, current - 1);
    else if (to === 'next') view.cursor = Math.min(last, current + 1);
    else if (to === 'last') view.cursor = last;
    else view.cursor = null;
    view.selected = view.cursor;
    drawSequence();
  }

  function toolbar() {
    var diagram = view.diagram;
    var button = function (label, to, title) { return h('button', { type: 'button', 'data-travel': to, title: title, text: label, onclick: function () { travel(to); } }); };
    var position = view.cursor === null ? 'live · ' + diagram.steps.length + ' steps' : 'step ' + (view.cursor + 1) + ' of ' + diagram.steps.length;
    var file = diagram.processGroup.replace(/[^a-z0-9-]+/gi, '-');
    return h('div', { class: 'travel' }, [
      button('First', 'first', 'first step'), button('◀ Back', 'previous', 'previous step'), button('Step ▶', 'next', 'next step'), button('Last', 'last', 'last step'), button('● Live', 'live', 'follow live'),
      h('span', { class: 'travel-position', 'data-cursor': view.cursor === null ? 'live' : String(view.cursor), text: position }),
      h('span', { class: 'spacer' }),
      h('a', { class: 'button', id: 'export-mermaid', href: withToken('/api/process-groups/' + encodeURIComponent(diagram.processGroup) + '/sequence.mmd'), download: file + '.mmd', text: 'Mermaid' }),
      h('button', { type: 'button', id: 'export-svg', text: 'SVG', onclick: function () {
        var svg = view.main.querySelector('svg.sequence');
        if (svg !== null) download(file + '.svg', 'image/svg+xml', svgDocument(svg));
      } })
    ]);
  }

  function field(name, value, cls) {
    return [h('dt', { text: name }), h('dd', { class: cls || '', text: value === null || value === undefined ? '—' : String(value) })];
  }

  function details(step) {
    if (step === undefined) return h('div', { class: 'step-detail muted', text: 'Click a message to see its decoded fields.' });
    var rows = [];
    if (step.kind === 'message') {
      rows = rows.concat(field('message', step.type), field('direction', step.direction === 'in' ? 'received by the service providing system' : 'sent by the service providing system'),
        field('from', step.sender, 'mono'), field('addressee', step.addressee, 'mono'), field('signers', step.signers.join(', '), 'mono'),
        field('sealed', step.sealed ? 'yes, to its addressee' : 'no (signed, open)'), field('verified', step.verified ? 'yes' : 'NO', step.verified ? 'ok' : 'bad'),
        field('message ID', step.messageId, 'mono'), field('answers', step.re, 'mono'), field('transport', step.transport, 'mono'), field('at', formatTime(step.at)));
    } else if (step.kind === 'refusal') {
      rows = rows.concat(field('refused', step.type, 'bad'), field('reason', step.reason, 'bad'), field('why', step.message), field('transport', step.transport, 'mono'), field('at', formatTime(step.at)));
    } else if (step.kind === 'hop') {
      rows = rows.concat(field('event', step.type), field('from', step.from, 'mono'), field('to', step.to, 'mono'), field('at', formatTime(step.at)));
    } else {
      rows = rows.concat(field('transition', step.type), field('actor', step.lifeline, 'mono'), field('machine', step.machineKind), field('from state', step.fromState), field('to state', step.toState), field('at', formatTime(step.at)));
    }
    var facts = [h('dl', null, rows)];
    if (step.kind === 'note' && step.lifeline) facts.push(h('p', null, [h('a', { href: '#/actors/' + encodeURIComponent(step.lifeline), text: 'open this actor' })]));
    var children = [h('h3', { text: (step.index + 1) + '. ' + step.type }), h('div', null, facts)];
    if (step.kind === 'message') children.push(h('div', null, [h('pre', { class: 'fields', text: JSON.stringify(step.fields, null, 2) })]));
    return h('div', { class: 'step-detail', 'data-step': step.index }, children);
  }

  function drawSequence() {
    var diagram = view.diagram;
    clear(view.main);
    view.main.appendChild(h('h2', { class: 'mono', text: diagram.processGroup }));
    view.main.appendChild(toolbar());
    var svg = Sequence.render(diagram, { cursor: view.cursor, selected: view.selected, onSelect: function (index) { view.selected = index; drawSequence(); } });
    view.main.appendChild(h('div', { class: 'sequence-layout' }, [h('div', { class: 'chart-scroll' }, [svg]), details(diagram.steps[view.selected === null ? -1 : view.selected])]));
    view.list.querySelectorAll('li').forEach(function (item) { item.classList.toggle('selected', item.getAttribute('data-pg') === diagram.processGroup); });
  }

  var refreshSequence = debounce(function () { if (view !== null && view.pg !== null) loadSequence(); }, 120);

  /** A live trace record: the group list counts it, and the open diagram redraws when it belongs to it. */
  function onRecord(record) {
    if (view === null || !document.body.contains(view.list)) return;
    var group = view.groups.find(function (item) { return item.processGroup === record.processGroup; });
    if (group === undefined) {
      group = { processGroup: record.processGroup, events: 0, lastAt: record.at };
      view.groups.unshift(group);
    } else {
      view.groups.splice(view.groups.indexOf(group), 1);
      view.groups.unshift(group);
    }
    group.events += 1;
    group.lastAt = record.at;
    drawGroups();
    if (record.processGroup === view.pg) refreshSequence();
  }

  function onKey(event) {
    if (view === null || view.diagram === null || !document.body.contains(view.main)) return;
    if (event.target instanceof HTMLInputElement) return;
    if (event.key === 'ArrowLeft') travel('previous');
    if (event.key === 'ArrowRight') travel('next');
  }

  return { show: show, onRecord: onRecord, onKey: onKey };
})();
`;
