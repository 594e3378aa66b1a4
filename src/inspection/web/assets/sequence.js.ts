/**
 * Browser script: draws a process group (the server's SequenceDiagram) as the spec draws its processes: one lifeline
 * per party left to right, the service providing system's processors grouped, then one row per step: messages as
 * arrows (type above; signers, addressee, sealed and verified below), refusals in red, inferred hops between
 * processors dashed, transitions as notes on the lifeline. Time travel dims the steps after the cursor.
 */
export const SEQUENCE_JS = String.raw`
var Sequence = (function () {
  var LEFT = 40;
  var GROUP_LABEL = 22;
  var HEAD_H = 44;
  var MIN_SPACING = 150;
  var MAX_LABEL = 440;
  var ROWS = { message: 50, refusal: 50, hop: 34, note: 30 };
  var RED = '#d62828';
  var COLORS = { line: '#1f2933', hop: '#66788a', lifeline: '#9aa5b1', head: '#e9eef6', headStroke: '#7b8794', sp: '#f2f6fc', note: '#fff8db', noteStroke: '#e3b341', ok: '#2b8a3e', faint: '#52606d', current: '#ffe8a3', selected: '#dbe9ff' };
  var uid = 0;

  function caption(step) {
    if (step.kind === 'message') return (step.index + 1) + '. ' + step.type;
    if (step.kind === 'refusal') return (step.index + 1) + '. ✗ REFUSED ' + step.type + ': ' + step.reason;
    if (step.kind === 'hop') return (step.index + 1) + '. ' + step.type;
    return (step.index + 1) + '. ' + step.type + ': ' + (step.fromState === null ? 'new' : step.fromState) + ' → ' + (step.toState === null ? '?' : step.toState);
  }

  function subCaption(step) {
    if (step.kind === 'message') {
      var signers = step.signers.length > 0 ? 'signed ' + step.signers.join(' + ') : 'unsigned';
      return signers + ' → ' + (step.addressee || '?') + ' · ' + (step.sealed ? 'sealed' : 'open') + ' · ' + (step.verified ? 'verified ✓' : 'NOT VERIFIED ✗');
    }
    if (step.kind === 'refusal') return step.message;
    return '';
  }

  function headWidth(lifeline) {
    return Math.max(textWidth(lifeline.role, 12, 'bold'), lifeline.name === null ? 0 : textWidth(lifeline.name, 11)) + 22;
  }

  function labelWidth(step) {
    return Math.min(MAX_LABEL, Math.max(textWidth(caption(step), 12, '600'), textWidth(subCaption(step), 10.5)) + 24);
  }

  function layout(diagram) {
    var column = new Map(diagram.lifelines.map(function (lifeline, i) { return [lifeline.key, i]; }));
    var widths = diagram.lifelines.map(headWidth);
    var spacing = widths.map(function (width, i) { return i === 0 ? 0 : Math.max(MIN_SPACING, (widths[i - 1] + width) / 2 + 18); });
    diagram.steps.forEach(function (step) {
      if (step.kind === 'note') return;
      var a = column.get(step.from);
      var b = column.get(step.to);
      if (a === undefined || b === undefined) return;
      var low = Math.min(a, b);
      var high = Math.max(a, b);
      if (high === low) return;
      var share = labelWidth(step) / (high - low);
      for (var c = low + 1; c <= high; c++) spacing[c] = Math.max(spacing[c], share);
    });
    var xs = [];
    var x = LEFT + (widths[0] || 0) / 2 + 8;
    spacing.forEach(function (gap, i) { x += gap; xs.push(x); });
    var y = GROUP_LABEL + HEAD_H + 22;
    var rows = diagram.steps.map(function (step) {
      var top = y;
      y += ROWS[step.kind] || 30;
      return { top: top, height: y - top };
    });
    return { column: column, widths: widths, xs: xs, rows: rows, width: Math.ceil(x + (widths[widths.length - 1] || 0) / 2 + 24), height: Math.ceil(y + 16) };
  }

  function arrow(parent, x1, x2, y, color, dashed, marker) {
    if (x1 === x2) {
      parent.appendChild(s('path', { d: 'M' + x1 + ',' + (y - 8) + ' h34 v16 h-32', fill: 'none', stroke: color, 'stroke-width': 1.5, 'stroke-dasharray': dashed ? '6 4' : null, 'marker-end': marker }));
      return;
    }
    parent.appendChild(s('line', { x1: x1, x2: x2 + (x2 > x1 ? -2 : 2), y1: y, y2: y, stroke: color, 'stroke-width': dashed ? 1.3 : 1.6, 'stroke-dasharray': dashed ? '6 4' : null, 'marker-end': marker }));
  }

  function drawStep(step, geometry, cursor, selected, marks) {
    var row = geometry.rows[step.index];
    var g = s('g', { class: 'step', 'data-index': step.index, 'data-kind': step.kind, 'data-type': step.type, tabindex: 0 });
    var future = cursor !== null && step.index > cursor;
    if (future) g.setAttribute('opacity', 0.13);
    var band = cursor !== null && step.index === cursor ? COLORS.current : selected === step.index ? COLORS.selected : 'transparent';
    g.appendChild(s('rect', { class: 'step-band', x: 0, y: row.top, width: geometry.width, height: row.height, fill: band }));
    g.appendChild(svgText(10, row.top + row.height / 2 + 4, String(step.index + 1), { 'font-size': 10.5, fill: COLORS.faint }));
    if (step.kind === 'note') {
      var x = geometry.xs[geometry.column.get(step.lifeline)];
      var text = fitText(caption(step).replace(/^[0-9]+\. /, ''), 300, 11);
      var width = textWidth(text, 11) + 16;
      g.setAttribute('data-lifeline', step.lifeline);
      g.appendChild(s('rect', { x: x - width / 2, y: row.top + 4, width: width, height: row.height - 8, rx: 4, fill: COLORS.note, stroke: COLORS.noteStroke }));
      g.appendChild(svgText(x, row.top + row.height / 2 + 4, text, { 'font-size': 11, 'text-anchor': 'middle' }));
      return g;
    }
    var x1 = geometry.xs[geometry.column.get(step.from)];
    var x2 = geometry.xs[geometry.column.get(step.to)];
    var failed = step.kind === 'refusal' || (step.kind === 'message' && !step.verified);
    var color = failed ? RED : step.kind === 'hop' ? COLORS.hop : COLORS.line;
    var y = row.top + (step.kind === 'hop' ? 22 : 26);
    g.setAttribute('data-from', step.from);
    g.setAttribute('data-to', step.to);
    g.setAttribute('data-refused', failed ? 'true' : 'false');
    g.setAttribute('data-color', color);
    var marker = 'url(#' + (failed ? marks.cross : step.kind === 'hop' ? marks.open : marks.solid) + ')';
    arrow(g, x1, x2, y, color, step.kind === 'hop', marker);
    var middle = x1 === x2 ? x1 + 40 : (x1 + x2) / 2;
    var anchor = x1 === x2 ? 'start' : 'middle';
    var room = Math.max(120, Math.abs(x2 - x1) - 12);
    g.appendChild(svgText(middle, y - 7, fitText(caption(step), room, 12, '600'), { 'text-anchor': anchor, 'font-size': 12, 'font-weight': '600', fill: failed ? RED : COLORS.line, 'font-style': step.kind === 'hop' ? 'italic' : null }));
    var sub = subCaption(step);
    if (sub !== '') g.appendChild(svgText(middle, y + 14, fitText(sub, room, 10.5), { 'text-anchor': anchor, 'font-size': 10.5, fill: failed ? RED : step.kind === 'message' ? COLORS.ok : COLORS.faint }));
    return g;
  }

  function markers(defs, id) {
    var names = { solid: 'seq-solid-' + id, open: 'seq-open-' + id, cross: 'seq-cross-' + id };
    defs.appendChild(s('marker', { id: names.solid, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 8, markerHeight: 8, orient: 'auto-start-reverse' }, [s('path', { d: 'M0,0 L10,5 L0,10 z', fill: COLORS.line })]));
    defs.appendChild(s('marker', { id: names.open, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 8, markerHeight: 8, orient: 'auto-start-reverse' }, [s('path', { d: 'M0,0 L10,5 L0,10', fill: 'none', stroke: COLORS.hop, 'stroke-width': 1.5 })]));
    defs.appendChild(s('marker', { id: names.cross, viewBox: '0 0 10 10', refX: 5, refY: 5, markerWidth: 10, markerHeight: 10, orient: 'auto' }, [s('path', { d: 'M1,1 L9,9 M9,1 L1,9', stroke: RED, 'stroke-width': 2 })]));
    return names;
  }

  function drawHeads(svg, diagram, geometry) {
    var sp = [];
    diagram.lifelines.forEach(function (lifeline, i) { if (lifeline.side === 'sp') sp.push(i); });
    if (sp.length > 0) {
      var first = sp[0];
      var last = sp[sp.length - 1];
      var left = geometry.xs[first] - geometry.widths[first] / 2 - 10;
      var right = geometry.xs[last] + geometry.widths[last] / 2 + 10;
      svg.appendChild(s('rect', { class: 'sp-group', x: left, y: 4, width: right - left, height: geometry.height - 8, rx: 8, fill: COLORS.sp, stroke: '#c5d3e8', 'stroke-dasharray': '4 3' }));
      svg.appendChild(svgText(left + 8, 17, 'Service providing system 110', { 'font-size': 11, fill: COLORS.faint, 'font-weight': '600' }));
    }
    diagram.lifelines.forEach(function (lifeline, i) {
      var x = geometry.xs[i];
      var width = geometry.widths[i];
      var g = s('g', { class: 'lifeline', 'data-key': lifeline.key, 'data-role': lifeline.role });
      g.appendChild(s('line', { x1: x, x2: x, y1: GROUP_LABEL + HEAD_H, y2: geometry.height - 10, stroke: COLORS.lifeline, 'stroke-width': 1.2, 'stroke-dasharray': '5 4' }));
      g.appendChild(s('rect', { x: x - width / 2, y: GROUP_LABEL, width: width, height: HEAD_H - 6, rx: 5, fill: COLORS.head, stroke: COLORS.headStroke }));
      g.appendChild(svgText(x, GROUP_LABEL + (lifeline.name === null ? 23 : 16), lifeline.role, { 'text-anchor': 'middle', 'font-weight': 'bold' }));
      if (lifeline.name !== null) g.appendChild(svgText(x, GROUP_LABEL + 31, lifeline.name, { 'text-anchor': 'middle', 'font-size': 11, fill: COLORS.faint, 'font-family': MONO_FAMILY }));
      svg.appendChild(g);
    });
  }

  /**
   * Draws a diagram. options.cursor: the time-travel step (null = everything, live); options.selected: the step whose
   * details are open; options.onSelect(index): called when a step is clicked.
   */
  function render(diagram, options) {
    uid += 1;
    var opts = options || {};
    var cursor = opts.cursor === undefined ? null : opts.cursor;
    var geometry = layout(diagram);
    var svg = s('svg', { class: 'sequence', xmlns: SVG_NS, width: geometry.width, height: geometry.height, viewBox: '0 0 ' + geometry.width + ' ' + geometry.height, 'data-process-group': diagram.processGroup, role: 'img', 'aria-label': 'sequence of ' + diagram.processGroup });
    var defs = s('defs');
    svg.appendChild(defs);
    var marks = markers(defs, uid);
    svg.appendChild(s('rect', { x: 0, y: 0, width: geometry.width, height: geometry.height, fill: '#ffffff' }));
    drawHeads(svg, diagram, geometry);
    var steps = s('g', { class: 'steps' });
    diagram.steps.forEach(function (step) {
      var g = drawStep(step, geometry, cursor, opts.selected, marks);
      if (typeof opts.onSelect === 'function') {
        g.addEventListener('click', function () { opts.onSelect(step.index); });
        g.addEventListener('keydown', function (event) { if (event.key === 'Enter') opts.onSelect(step.index); });
      }
      steps.appendChild(g);
    });
    svg.appendChild(steps);
    return svg;
  }

  return { render: render, caption: caption, subCaption: subCaption };
})();
`;
