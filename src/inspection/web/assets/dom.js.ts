/**
 * Browser script: DOM and SVG builders, text measurement, the inspector's API client and downloads. Plain ES2020 for
 * the browser, kept in a string so the single executable carries it (no file reads at run time). No inline styles:
 * the page's Content-Security-Policy forbids them, so drawings use SVG presentation attributes.
 */
export const DOM_JS = String.raw`
var SVG_NS = 'http://www.w3.org/2000/svg';
var FONT_FAMILY = 'system-ui, -apple-system, Segoe UI, Roboto, DejaVu Sans, Helvetica, Arial, sans-serif';
var MONO_FAMILY = 'ui-monospace, SFMono-Regular, DejaVu Sans Mono, Menlo, Consolas, monospace';

var inspectorConfig = (function () {
  var meta = function (name) {
    var node = document.querySelector('meta[name="' + name + '"]');
    return node === null ? '' : node.getAttribute('content') || '';
  };
  return { base: meta('tessera-inspector-base'), token: meta('tessera-inspector-token') };
})();

function setAttributes(node, attrs) {
  if (!attrs) return node;
  Object.keys(attrs).forEach(function (key) {
    var value = attrs[key];
    if (value === undefined || value === null || value === false) return;
    if (key === 'text') node.textContent = String(value);
    else if (key.indexOf('on') === 0 && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  });
  return node;
}

function appendChildren(node, children) {
  if (children === undefined || children === null) return node;
  (Array.isArray(children) ? children : [children]).forEach(function (child) {
    if (child === undefined || child === null || child === false) return;
    node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  });
  return node;
}

/** An HTML element: h('div', { class: 'x', onclick: fn }, [children]). */
function h(tag, attrs, children) {
  return appendChildren(setAttributes(document.createElement(tag), attrs), children);
}

/** An SVG element, same form as h(). */
function s(tag, attrs, children) {
  return appendChildren(setAttributes(document.createElementNS(SVG_NS, tag), attrs), children);
}

function svgText(x, y, text, attrs) {
  var base = { x: x, y: y, 'font-family': FONT_FAMILY, 'font-size': 12, fill: '#1f2933', text: text };
  Object.keys(attrs || {}).forEach(function (key) { base[key] = attrs[key]; });
  return s('text', base);
}

var measureContext = document.createElement('canvas').getContext('2d');
var measureCache = new Map();

/** The width of a text in the drawing font, in px (cached: charts and sequences measure the same labels often). */
function textWidth(text, size, weight, family) {
  var key = (weight || '') + '|' + size + '|' + (family || '') + '|' + text;
  var width = measureCache.get(key);
  if (width === undefined) {
    measureContext.font = (weight ? weight + ' ' : '') + size + 'px ' + (family || FONT_FAMILY);
    width = measureContext.measureText(text).width;
    if (measureCache.size > 50000) measureCache.clear();
    measureCache.set(key, width);
  }
  return width;
}

/** Cuts a text to a width with an ellipsis. */
function fitText(text, maxWidth, size, weight) {
  if (textWidth(text, size, weight) <= maxWidth) return text;
  var low = 0;
  var high = text.length;
  while (low < high) {
    var middle = Math.ceil((low + high) / 2);
    if (textWidth(text.slice(0, middle) + '…', size, weight) <= maxWidth) low = middle;
    else high = middle - 1;
  }
  return text.slice(0, low) + '…';
}

function withToken(path) {
  return inspectorConfig.base + path + (path.indexOf('?') >= 0 ? '&' : '?') + 'token=' + encodeURIComponent(inspectorConfig.token);
}

/** GET one inspector API resource as JSON, with the operator token. */
function api(path) {
  return fetch(inspectorConfig.base + '/api/' + path, { headers: { Authorization: 'Bearer ' + inspectorConfig.token }, cache: 'no-store' }).then(function (response) {
    if (!response.ok) throw new Error('GET ' + path + ': HTTP ' + response.status);
    return response.json();
  });
}

function download(name, mime, text) {
  var url = URL.createObjectURL(new Blob([text], { type: mime }));
  var link = h('a', { href: url, download: name, class: 'hidden' });
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(function () { URL.revokeObjectURL(url); }, 5000);
}

/** An SVG element as a standalone document: every colour and font is an attribute, so it draws the same anywhere. */
function svgDocument(svg) {
  var copy = svg.cloneNode(true);
  copy.setAttribute('xmlns', SVG_NS);
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(copy) + '\n';
}

function formatTime(ms) {
  if (typeof ms !== 'number') return '';
  var date = new Date(ms);
  var pad = function (value, width) { return String(value).padStart(width || 2, '0'); };
  return pad(date.getHours()) + ':' + pad(date.getMinutes()) + ':' + pad(date.getSeconds()) + '.' + pad(date.getMilliseconds(), 3);
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

function debounce(fn, ms) {
  var timer = null;
  return function () {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(function () { timer = null; fn(); }, ms);
  };
}
`;
