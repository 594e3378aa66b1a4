/**
 * Browser script: draws a statechart (the server's ChartState tree) as SVG. Layered layout: the children of each
 * compound state are put in columns by longest path from the initial state (back edges ignored), nested states are
 * boxes inside their parent, targetless transitions and entry/exit actions are listed inside their state's box, and
 * transitions between states are curves with "event [guard] / actions" labels placed clear of boxes and each other.
 */
export const STATECHART_JS = String.raw`
var Statechart = (function () {
  var PAD = 12;
  var TITLE = 26;
  var LINE = 15;
  var GAP_Y = 24;
  var MIN_GAP_X = 56;
  var MAX_GAP_X = 300;
  var MIN_W = 92;
  var INITIAL_ROOM = 24;
  var BACK_ROW = 36;
  var TITLE_SIZE = 12.5;
  var LINE_SIZE = 11;
  var COLORS = {
    box: '#ffffff', compound: '#f6f8fb', region: '#fbfcfe', stroke: '#8592a6', text: '#1f2933', faint: '#52606d',
    edge: '#55627a', label: '#243b53', activeFill: '#fff1c2', activeStroke: '#e8590c', final: '#3e4c59'
  };
  var uid = 0;

  function head(transition) {
    var name;
    if (transition.trigger === 'event') name = transition.event;
    else if (transition.trigger === 'after') name = 'after ' + transition.event + (/^[0-9]+$/.test(transition.event) ? ' ms' : '');
    else if (transition.trigger === 'always') name = 'always';
    else if (transition.trigger === 'done') name = 'done';
    else name = (transition.trigger === 'invoke.done' ? 'done: ' : 'error: ') + transition.event;
    return transition.guard ? name + ' [' + transition.guard + ']' : name;
  }

  function tail(transition) {
    return transition.actions.length > 0 ? '/ ' + transition.actions.join(', ') : '';
  }

  /** Lines written inside a state's box: entry, exit, invocations, and transitions that stay in the state. */
  function innerLines(state) {
    var lines = [];
    if (state.entry.length > 0) lines.push('entry / ' + state.entry.join(', '));
    if (state.exit.length > 0) lines.push('exit / ' + state.exit.join(', '));
    state.invoke.forEach(function (invocation) { lines.push('invoke ' + invocation.src); });
    state.transitions.forEach(function (transition) {
      var self = transition.targets.length === 1 && transition.targets[0] === state.id;
      if (transition.targets.length > 0 && !self) return;
      var text = (self ? '↻ ' : '') + head(transition);
      var actions = tail(transition);
      lines.push(actions === '' ? text : text + ' ' + actions);
    });
    return lines;
  }

  function indexChart(root) {
    var parentOf = new Map();
    var edges = [];
    var visit = function (state, parent) {
      parentOf.set(state.id, parent);
      state.transitions.forEach(function (transition) {
        transition.targets.forEach(function (target) {
          if (target === state.id && transition.targets.length === 1) return;
          var top = head(transition);
          var bottom = tail(transition);
          var width = Math.max(textWidth(top, LINE_SIZE, '600'), bottom === '' ? 0 : textWidth(bottom, LINE_SIZE));
          edges.push({ source: state.id, target: target, transition: transition, top: top, bottom: bottom, width: width });
        });
      });
      state.states.forEach(function (child) { visit(child, state.id); });
    };
    visit(root, null);
    return { parentOf: parentOf, edges: edges };
  }

  /** The child of 'ancestor' on the way down to 'id' (or null when 'id' is not below it). */
  function childOn(ancestor, id, index) {
    var cursor = id;
    for (var depth = 0; depth < 64 && cursor !== null && cursor !== undefined; depth++) {
      var parent = index.parentOf.get(cursor);
      if (parent === ancestor) return cursor;
      cursor = parent;
    }
    return null;
  }

  function measure(state, index) {
    var lines = innerLines(state);
    var node = { state: state, lines: lines, children: [], x: 0, y: 0, w: 0, h: 0, backEdges: 0 };
    node.header = TITLE + (lines.length > 0 ? lines.length * LINE + 6 : 0);
    var titleWidth = textWidth(state.key, TITLE_SIZE, 'bold') + 2 * PAD;
    var linesWidth = lines.reduce(function (max, line) { return Math.max(max, textWidth(line, LINE_SIZE) + 2 * PAD); }, 0);
    if (state.type === 'history') {
      node.w = 34;
      node.h = 34;
      return node;
    }
    if (state.states.length === 0) {
      node.w = Math.max(MIN_W, titleWidth, linesWidth);
      node.h = node.header + (lines.length > 0 ? 2 : 4);
      return node;
    }
    node.children = state.states.map(function (child) { return measure(child, index); });
    if (state.type === 'parallel') layoutRegions(node);
    else layoutColumns(node, index);
    node.w = Math.max(node.w, titleWidth, linesWidth);
    return node;
  }

  /** Parallel regions are stacked, each as wide as the widest, separated by dashed borders. */
  function layoutRegions(node) {
    var y = node.header + PAD;
    var widest = node.children.reduce(function (max, child) { return Math.max(max, child.w); }, 0);
    node.children.forEach(function (child) {
      child.x = PAD;
      child.y = y;
      child.w = widest;
      child.region = true;
      y += child.h + PAD;
    });
    node.w = widest + 2 * PAD;
    node.h = y;
  }

  function layoutColumns(node, index) {
    var kids = node.children;
    var position = new Map(kids.map(function (kid, i) { return [kid.state.id, i]; }));
    var out = kids.map(function () { return []; });
    index.edges.forEach(function (edge) {
      var a = childOn(node.state.id, edge.source, index);
      var b = childOn(node.state.id, edge.target, index);
      if (a === null || b === null || a === b) return;
      out[position.get(a)].push({ to: position.get(b), edge: edge });
    });
    var start = position.has(node.state.initial) ? position.get(node.state.initial) : 0;
    var mark = kids.map(function () { return 0; });
    var dfs = function (i) {
      mark[i] = 1;
      out[i].forEach(function (link) {
        if (mark[link.to] === 1) link.back = true;
        else if (mark[link.to] === 0) dfs(link.to);
      });
      mark[i] = 2;
    };
    dfs(start);
    kids.forEach(function (kid, i) { if (mark[i] === 0) dfs(i); });
    var layer = kids.map(function () { return 0; });
    for (var pass = 0; pass <= kids.length; pass++) {
      var changed = false;
      out.forEach(function (links, i) {
        links.forEach(function (link) {
          if (!link.back && layer[link.to] < layer[i] + 1) { layer[link.to] = layer[i] + 1; changed = true; }
        });
      });
      if (!changed) break;
    }
    var linked = kids.map(function () { return false; });
    out.forEach(function (links, i) { links.forEach(function (link) { linked[i] = true; linked[link.to] = true; }); });
    var last = Math.max.apply(null, layer);
    kids.forEach(function (kid, i) { if (!linked[i] && i !== start) { layer[i] = last; kid.isolated = true; } });
    var columns = [];
    for (var c = 0; c <= last; c++) columns.push([]);
    kids.forEach(function (kid, i) {
      kid.column = layer[i];
      if (kid.isolated) columns[layer[i]].unshift(i);
      else columns[layer[i]].push(i);
    });
    var gaps = columns.map(function () { return MIN_GAP_X; });
    var backEdges = 0;
    out.forEach(function (links, i) {
      links.forEach(function (link) {
        if (layer[link.to] === layer[i] + 1) gaps[layer[i]] = Math.max(gaps[layer[i]], Math.min(MAX_GAP_X, link.edge.width + 32));
        else if (layer[link.to] !== layer[i]) backEdges += 1;
      });
    });
    var widths = columns.map(function (column) { return column.reduce(function (max, i) { return Math.max(max, kids[i].w); }, 0); });
    var heights = columns.map(function (column) {
      return column.reduce(function (sum, i) { return sum + kids[i].h; }, 0) + GAP_Y * Math.max(0, column.length - 1);
    });
    var body = Math.max.apply(null, heights);
    var x = PAD + INITIAL_ROOM;
    columns.forEach(function (column, c) {
      var y = node.header + PAD + (body - heights[c]) / 2;
      column.forEach(function (i) {
        kids[i].x = x + (widths[c] - kids[i].w) / 2;
        kids[i].y = y;
        y += kids[i].h + GAP_Y;
      });
      x += widths[c] + (c < columns.length - 1 ? gaps[c] : 0);
    });
    node.bodyBottom = node.header + PAD + body;
    node.backEdges = backEdges;
    node.w = x + PAD;
    node.h = node.bodyBottom + (backEdges > 0 ? 14 + backEdges * BACK_ROW : PAD);
  }

  function place(node, offsetX, offsetY, boxes) {
    node.ax = offsetX + node.x;
    node.ay = offsetY + node.y;
    node.backUsed = 0;
    boxes.set(node.state.id, node);
    node.children.forEach(function (child) { place(child, node.ax, node.ay, boxes); });
  }

  function contains(outer, id, index) {
    for (var cursor = id, depth = 0; cursor !== null && cursor !== undefined && depth < 64; depth++) {
      if (cursor === outer) return true;
      cursor = index.parentOf.get(cursor);
    }
    return false;
  }

  function commonParent(a, b, index) {
    for (var cursor = index.parentOf.get(a), depth = 0; cursor !== null && cursor !== undefined && depth < 64; depth++) {
      if (contains(cursor, b, index)) return cursor;
      cursor = index.parentOf.get(cursor);
    }
    return null;
  }

  function drawState(node, group, uidValue) {
    var state = node.state;
    var attrs = { class: 'state', 'data-state-id': state.id, 'data-state-type': state.type };
    var g = s('g', attrs);
    var fill = state.states.length > 0 ? (node.region ? COLORS.region : COLORS.compound) : COLORS.box;
    if (state.type === 'history') {
      g.appendChild(s('circle', { class: 'state-box', cx: node.ax + 17, cy: node.ay + 17, r: 16, fill: fill, stroke: COLORS.stroke, 'stroke-width': 1.2, 'data-fill': fill, 'data-stroke': COLORS.stroke }));
      g.appendChild(svgText(node.ax + 17, node.ay + 21, state.history === 'deep' ? 'H*' : 'H', { 'text-anchor': 'middle', 'font-weight': 'bold' }));
      group.appendChild(g);
      return;
    }
    g.appendChild(s('rect', {
      class: 'state-box', x: node.ax, y: node.ay, width: node.w, height: node.h, rx: 9, fill: fill, stroke: COLORS.stroke,
      'stroke-width': 1.2, 'stroke-dasharray': node.region ? '5 4' : null, 'data-fill': fill, 'data-stroke': COLORS.stroke
    }));
    if (state.type === 'final') g.appendChild(s('rect', { x: node.ax + 3.5, y: node.ay + 3.5, width: node.w - 7, height: node.h - 7, rx: 6, fill: 'none', stroke: COLORS.final, 'stroke-width': 1 }));
    g.appendChild(svgText(node.ax + PAD, node.ay + 18, state.key, { 'font-weight': 'bold', 'font-size': TITLE_SIZE }));
    if (node.lines.length > 0) {
      g.appendChild(s('line', { x1: node.ax, x2: node.ax + node.w, y1: node.ay + TITLE - 2, y2: node.ay + TITLE - 2, stroke: '#d5dbe5', 'stroke-width': 1 }));
      node.lines.forEach(function (line, i) {
        g.appendChild(svgText(node.ax + PAD, node.ay + TITLE + 10 + i * LINE, line, { 'font-size': LINE_SIZE, fill: COLORS.faint }));
      });
    }
    group.appendChild(g);
    node.children.forEach(function (child) { drawState(child, group, uidValue); });
    var initial = node.children.find(function (child) { return child.state.id === state.initial; });
    if (initial !== undefined && state.type !== 'parallel') {
      var cy = initial.ay + Math.min(initial.h / 2, 16);
      group.appendChild(s('circle', { cx: initial.ax - 18, cy: cy, r: 4.5, fill: COLORS.final }));
      group.appendChild(s('line', { x1: initial.ax - 13, y1: cy, x2: initial.ax - 1, y2: cy, stroke: COLORS.final, 'stroke-width': 1.3, 'marker-end': 'url(#arrow-' + uidValue + ')' }));
    }
  }

  /** Edges along the floor leave and reach a box at distinct points: 0, +10, -10, +20... */
  function spread(box, way) {
    var key = way === 'in' ? 'floorIn' : 'floorOut';
    var n = box[key] || 0;
    box[key] = n + 1;
    var step = Math.min(10, box.w / 8);
    return (n % 2 === 0 ? 1 : -1) * Math.ceil(n / 2) * step;
  }

  function edgePath(edge, boxes, index, pairCount) {
    var a = boxes.get(edge.source);
    var b = boxes.get(edge.target);
    if (a === undefined || b === undefined) return null;
    var key = edge.source + '>' + edge.target;
    var nth = pairCount.get(key) || 0;
    pairCount.set(key, nth + 1);
    var offset = nth * 12;
    if (contains(edge.source, edge.target, index)) {
      var x = Math.min(Math.max(b.ax + b.w / 2 + offset, a.ax + 8), a.ax + a.w - 8);
      var y0 = a.ay + TITLE - 2;
      return { d: 'M' + x + ',' + y0 + ' L' + x + ',' + (b.ay - 1), lx: x + 6, ly: (y0 + b.ay) / 2, anchor: 'start' };
    }
    if (contains(edge.target, edge.source, index)) {
      var sx = a.ax + a.w / 2;
      return { d: 'M' + sx + ',' + a.ay + ' L' + sx + ',' + (b.ay + TITLE - 2), lx: sx + 6, ly: (a.ay + b.ay + TITLE) / 2, anchor: 'start' };
    }
    var parentId = commonParent(edge.source, edge.target, index);
    var from = boxes.get(childOn(parentId, edge.source, index));
    var to = boxes.get(childOn(parentId, edge.target, index));
    var columns = from !== undefined && to !== undefined && from.column !== undefined && to.column !== undefined ? to.column - from.column : null;
    if (columns === 1 || (columns === null && b.ax >= a.ax + a.w - 1)) {
      var y1 = a.ay + Math.min(a.h / 2, 16) + offset;
      var y2 = b.ay + Math.min(b.h / 2, 16) + offset;
      var x1 = a.ax + a.w;
      var x2 = b.ax - 1;
      var dx = Math.max(24, (x2 - x1) / 2);
      return { d: 'M' + x1 + ',' + y1 + ' C' + (x1 + dx) + ',' + y1 + ' ' + (x2 - dx) + ',' + y2 + ' ' + x2 + ',' + y2, lx: (x1 + x2) / 2, ly: (y1 + y2) / 2, anchor: 'middle' };
    }
    if ((columns !== null && columns !== 0) || (columns === null && b.ax + b.w <= a.ax + 1)) {
      // Backwards, or over the columns between: along the floor of the common parent, under every box.
      var parent = boxes.get(parentId);
      var row = parent === undefined ? 0 : parent.backUsed++;
      var floor = parent === undefined || parent.bodyBottom === undefined ? Math.max(a.ay + a.h, b.ay + b.h) + 20 : parent.ay + parent.bodyBottom + 14 + row * BACK_ROW;
      var ax = a.ax + a.w / 2 + spread(a, 'out');
      var bx = b.ax + b.w / 2 + spread(b, 'in');
      var bend = Math.min(24, Math.abs(bx - ax) / 3);
      var toward = bx > ax ? 1 : -1;
      var d = 'M' + ax + ',' + (a.ay + a.h) + ' L' + ax + ',' + (floor - bend) + ' Q' + ax + ',' + floor + ' ' + (ax + toward * bend) + ',' + floor +
        ' L' + (bx - toward * bend) + ',' + floor + ' Q' + bx + ',' + floor + ' ' + bx + ',' + (floor - bend) + ' L' + bx + ',' + (b.ay + b.h + 1);
      return { d: d, lx: (ax + bx) / 2, ly: floor + 2 + (edge.bottom === '' ? LINE : 2 * LINE) / 2, anchor: 'middle', fixed: true, from: Math.min(ax, bx), to: Math.max(ax, bx) };
    }
    if (b.ay >= a.ay + a.h) {
      var cx = Math.max(a.ax, b.ax) + Math.min(a.w, b.w) / 2 + offset;
      return { d: 'M' + cx + ',' + (a.ay + a.h) + ' L' + cx + ',' + (b.ay - 1), lx: cx + 6, ly: (a.ay + a.h + b.ay) / 2, anchor: 'start' };
    }
    var right = Math.max(a.ax + a.w, b.ax + b.w);
    var ya = a.ay + a.h / 2;
    var yb = b.ay + b.h / 2;
    var bulge = right + 34 + offset;
    return { d: 'M' + (a.ax + a.w) + ',' + ya + ' C' + bulge + ',' + ya + ' ' + bulge + ',' + yb + ' ' + (b.ax + b.w + 1) + ',' + yb, lx: bulge - 10, ly: (ya + yb) / 2, anchor: 'start' };
  }

  function overlaps(r, list) {
    for (var i = 0; i < list.length; i++) {
      var o = list[i];
      if (r.x < o.x + o.w && r.x + r.w > o.x && r.y < o.y + o.h && r.y + r.h > o.y) return true;
    }
    return false;
  }

  /**
   * Puts a label near its anchor, moving it up or down (or, on a floor, along it) until it covers no state box and no
   * other label; if nothing is free, it stays at its anchor.
   */
  function placeLabel(edge, path, obstacles) {
    var height = edge.bottom === '' ? LINE : 2 * LINE;
    var width = edge.width + 8;
    var left = function (x) { return path.anchor === 'middle' ? x - width / 2 : x - 4; };
    var candidates = [];
    if (path.fixed) {
      [0, -1, 1, -2, 2, -3, 3, -4, 4].forEach(function (k) {
        var x = Math.min(Math.max(path.lx + k * (width / 2 + 8), path.from + width / 2), path.to - width / 2);
        [0, 6].forEach(function (dy) { candidates.push({ x: left(path.from + width > path.to ? path.lx : x), y: path.ly - height / 2 + dy }); });
      });
    } else {
      [0, -16, 16, -32, 32, -48, 48, -64, 64, -80, 80].forEach(function (dy) { candidates.push({ x: left(path.lx), y: path.ly - height / 2 + dy }); });
    }
    for (var i = 0; i < candidates.length; i++) {
      var rect = { x: candidates[i].x, y: candidates[i].y, w: width, h: height };
      if (!overlaps(rect, obstacles)) return rect;
    }
    return { x: left(path.lx), y: path.ly - height / 2, w: width, h: height };
  }

  function drawEdges(index, boxes, edgeGroup, labelGroup, uidValue) {
    var obstacles = [];
    boxes.forEach(function (node) {
      if (node.children.length === 0) obstacles.push({ x: node.ax, y: node.ay, w: node.w, h: node.h });
      else obstacles.push({ x: node.ax, y: node.ay, w: node.w, h: node.header });
    });
    var pairCount = new Map();
    index.edges.forEach(function (edge) {
      var path = edgePath(edge, boxes, index, pairCount);
      if (path === null) return;
      var g = s('g', { class: 'transition', 'data-event': edge.transition.event, 'data-source': edge.source, 'data-target': edge.target });
      g.appendChild(s('path', { d: path.d, fill: 'none', stroke: COLORS.edge, 'stroke-width': 1.3, 'marker-end': 'url(#arrow-' + uidValue + ')' }));
      edgeGroup.appendChild(g);
      var rect = placeLabel(edge, path, obstacles);
      obstacles.push(rect);
      var label = s('g', { class: 'transition-label', 'data-event': edge.transition.event });
      label.appendChild(s('rect', { x: rect.x, y: rect.y, width: rect.w, height: rect.h, rx: 3, fill: '#ffffff', 'fill-opacity': 0.92 }));
      label.appendChild(svgText(rect.x + 4, rect.y + 11, edge.top, { 'font-size': LINE_SIZE, fill: COLORS.label, 'font-weight': '600' }));
      if (edge.bottom !== '') label.appendChild(svgText(rect.x + 4, rect.y + 11 + LINE, edge.bottom, { 'font-size': LINE_SIZE, fill: COLORS.faint }));
      labelGroup.appendChild(label);
    });
  }

  /** Draws a chart; 'active' is a list of state IDs to highlight. Returns the <svg class="statechart">. */
  function render(chart, active) {
    uid += 1;
    var index = indexChart(chart.root);
    var root = measure(chart.root, index);
    var boxes = new Map();
    place(root, 8, 8, boxes);
    var width = Math.ceil(root.w + 16);
    var height = Math.ceil(root.h + 16);
    var svg = s('svg', { class: 'statechart', xmlns: SVG_NS, width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, 'data-kind': chart.kind, 'data-machine': chart.machineId, role: 'img', 'aria-label': 'statechart of ' + chart.kind });
    svg.appendChild(s('defs', null, [
      s('marker', { id: 'arrow-' + uid, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, [
        s('path', { d: 'M0,0 L10,5 L0,10 z', fill: COLORS.edge })
      ])
    ]));
    svg.appendChild(s('rect', { x: 0, y: 0, width: width, height: height, fill: '#ffffff' }));
    var stateGroup = s('g', { class: 'states' });
    var edgeGroup = s('g', { class: 'transitions' });
    var labelGroup = s('g', { class: 'labels' });
    drawState(root, stateGroup, uid);
    drawEdges(index, boxes, edgeGroup, labelGroup, uid);
    svg.appendChild(stateGroup);
    svg.appendChild(edgeGroup);
    svg.appendChild(labelGroup);
    highlight(svg, active || []);
    return svg;
  }

  /** Marks the given state IDs active (and every other state not), in place. */
  function highlight(svg, active) {
    var set = new Set(active);
    svg.querySelectorAll('g.state').forEach(function (g) {
      var on = set.has(g.getAttribute('data-state-id'));
      g.classList.toggle('active', on);
      var box = g.querySelector('.state-box');
      if (box === null) return;
      var leaf = g.getAttribute('data-state-type') !== 'compound' && g.getAttribute('data-state-type') !== 'parallel';
      box.setAttribute('fill', on && leaf ? COLORS.activeFill : box.getAttribute('data-fill'));
      box.setAttribute('stroke', on ? COLORS.activeStroke : box.getAttribute('data-stroke'));
      box.setAttribute('stroke-width', on ? (leaf ? 2.6 : 1.8) : 1.2);
    });
  }

  return { render: render, highlight: highlight, head: head };
})();
`;
