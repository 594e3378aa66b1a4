/** Browser script: the Machines view, every machine of the catalog drawn as a statechart with its export link. */
export const MACHINES_VIEW_JS = String.raw`
var MachinesView = (function () {
  var charts = null;

  function load() {
    if (charts !== null) return Promise.resolve(charts);
    return api('machines').then(function (list) { charts = list; return list; });
  }

  function card(chart) {
    var counts = countOf(chart.root);
    var svg = Statechart.render(chart, []);
    var wide = Number(svg.getAttribute('width')) > 640;
    return h('section', { class: wide ? 'card machine wide' : 'card machine', id: 'machine-' + chart.kind.replace(/[^a-z0-9-]/gi, '-'), 'data-kind': chart.kind }, [
      h('header', { class: 'card-head' }, [
        h('h2', { text: chart.kind }),
        h('span', { class: 'badge side-' + chart.side, text: chart.side === 'sp' ? 'service providing system' : 'device' }),
        h('span', { class: 'muted', text: 'v' + chart.version + ' · ' + counts.states + ' states · ' + counts.transitions + ' transitions' }),
        h('a', { class: 'button', href: withToken('/api/machines/' + encodeURIComponent(chart.kind) + '/stately.json'), download: chart.kind.replace(/[^a-z0-9-]/gi, '-') + '.machine.json', title: 'createMachine config JSON for the Stately editor and the XState VS Code extension', text: 'Export JSON' })
      ]),
      h('p', { class: 'muted description', text: chart.description }),
      h('div', { class: 'chart-scroll' }, [svg])
    ]);
  }

  function countOf(state) {
    var result = { states: 0, transitions: 0 };
    var visit = function (node) {
      result.states += 1;
      result.transitions += node.transitions.length;
      node.states.forEach(visit);
    };
    visit(state);
    return result;
  }

  function show(root, focus) {
    clear(root);
    var side = h('select', { id: 'machine-side', 'aria-label': 'side' }, [
      h('option', { value: '', text: 'all machines' }), h('option', { value: 'sp', text: 'service providing system' }), h('option', { value: 'device', text: 'devices' })
    ]);
    var grid = h('div', { class: 'machine-grid' });
    var summary = h('span', { class: 'muted' });
    root.appendChild(h('div', { class: 'toolbar' }, [h('h1', { text: 'Machines' }), side, summary]));
    root.appendChild(grid);
    return load().then(function (list) {
      var draw = function () {
        clear(grid);
        var shown = list.filter(function (chart) { return side.value === '' || chart.side === side.value; });
        shown.forEach(function (chart) { grid.appendChild(card(chart)); });
        summary.textContent = shown.length + ' of ' + list.length + ' machines, drawn from the machine objects';
      };
      side.addEventListener('change', draw);
      draw();
      if (focus) {
        var target = grid.querySelector('[data-kind="' + CSS.escape(focus) + '"]');
        if (target !== null) target.scrollIntoView();
      }
    });
  }

  return { show: show, load: load };
})();
`;
