/** Browser script: hash routing between the three views, and the live feed (Server-Sent Events) that keeps them current. */
export const APP_JS = String.raw`
var InspectorApp = (function () {
  var viewRoot = null;
  var status = null;
  var source = null;

  function route() {
    var hash = location.hash.replace(/^#\/?/, '');
    var slash = hash.indexOf('/');
    var name = slash < 0 ? hash : hash.slice(0, slash);
    var argument = slash < 0 ? '' : decodeURIComponent(hash.slice(slash + 1));
    if (name !== 'actors' && name !== 'processes') name = 'machines';
    document.querySelectorAll('nav a[data-view]').forEach(function (link) { link.classList.toggle('current', link.getAttribute('data-view') === name); });
    document.body.setAttribute('data-view', name);
    document.body.removeAttribute('data-ready');
    var shown = name === 'actors' ? ActorsView.show(viewRoot, argument) : name === 'processes' ? ProcessesView.show(viewRoot, argument) : MachinesView.show(viewRoot, argument);
    Promise.resolve(shown).then(function () {
      document.body.setAttribute('data-ready', name);
    }, function (error) {
      viewRoot.appendChild(h('p', { class: 'error', text: String(error && error.message ? error.message : error) }));
    });
  }

  function setStatus(text, state) {
    status.textContent = text;
    status.setAttribute('data-state', state);
  }

  function connect() {
    source = new EventSource(withToken('/api/events'));
    source.addEventListener('open', function () { setStatus('live', 'open'); });
    source.addEventListener('error', function () { setStatus(source.readyState === EventSource.CLOSED ? 'disconnected' : 'reconnecting…', 'closed'); });
    source.addEventListener('record', function (event) { ProcessesView.onRecord(JSON.parse(event.data)); });
    source.addEventListener('actor', function (event) { ActorsView.onActor(JSON.parse(event.data)); });
  }

  function start() {
    viewRoot = document.getElementById('view');
    status = document.getElementById('live-status');
    window.addEventListener('hashchange', route);
    document.addEventListener('keydown', ProcessesView.onKey);
    connect();
    route();
  }

  return { start: start };
})();

window.tesseraInspector = { Statechart: Statechart, Sequence: Sequence, ActorsView: ActorsView, api: api };
document.addEventListener('DOMContentLoaded', InspectorApp.start);
`;
