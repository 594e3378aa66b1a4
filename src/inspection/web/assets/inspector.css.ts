/** The inspector page's style sheet (served from the platform: the page's policy allows no inline or remote styles). */
export const INSPECTOR_CSS = `
:root { color-scheme: light; --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --accent: #1c64f2; --bg: #f5f7fa; --red: #d62828; --green: #2b8a3e; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Helvetica, Arial, sans-serif; color: var(--ink); background: var(--bg); }
.hidden { display: none; }
.topbar { display: flex; align-items: center; gap: 24px; padding: 10px 20px; background: #102a43; color: #f0f4f8; position: sticky; top: 0; z-index: 2; }
.topbar .brand { font-weight: 700; font-size: 16px; letter-spacing: .02em; }
.topbar nav { display: flex; gap: 4px; }
.topbar nav a { color: #d9e2ec; text-decoration: none; padding: 5px 12px; border-radius: 6px; }
.topbar nav a.current, .topbar nav a:hover { background: #334e68; color: #fff; }
#live-status { margin-left: auto; font-size: 12px; padding: 3px 10px; border-radius: 10px; background: #627d98; }
#live-status[data-state="open"] { background: var(--green); }
#live-status[data-state="closed"] { background: var(--red); }
main { padding: 16px 20px 40px; }
h1 { font-size: 20px; margin: 0; }
h2 { font-size: 15px; margin: 0; }
h3 { font-size: 14px; margin: 14px 0 6px; }
a { color: var(--accent); }
.muted { color: var(--muted); }
.mono, pre, code { font-family: ui-monospace, SFMono-Regular, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
.error { color: var(--red); font-weight: 600; }
.toolbar { display: flex; align-items: center; gap: 14px; margin-bottom: 12px; flex-wrap: wrap; }
button, .button, select, input { font: inherit; font-size: 13px; border: 1px solid #bcccdc; border-radius: 6px; background: #fff; color: var(--ink); padding: 4px 10px; }
button, .button { cursor: pointer; text-decoration: none; display: inline-block; }
button:hover, .button:hover { background: #e6f0ff; }
.machine-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); grid-auto-flow: row dense; gap: 16px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; min-width: 0; }
.card.wide { grid-column: 1 / -1; }
.card { scroll-margin-top: 64px; }
svg.statechart { max-width: 100%; height: auto; }
.card-head { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
.card-head .button { margin-left: auto; }
.description { margin: 4px 0 8px; }
.badge { font-size: 11px; padding: 1px 8px; border-radius: 9px; background: #e3f8ff; color: #035388; }
.badge.side-device { background: #fff3c4; color: #8d2b0b; }
.chart-scroll { overflow: auto; max-width: 100%; }
.chart-scroll svg { display: block; }
.filters { display: flex; gap: 8px; flex-wrap: wrap; margin-bottom: 12px; }
.filters input { min-width: 220px; }
.split { display: grid; grid-template-columns: minmax(420px, 1.1fr) minmax(420px, 1.2fr); gap: 16px; align-items: start; }
.list-pane { background: #fff; border: 1px solid var(--line); border-radius: 10px; max-height: calc(100vh - 190px); overflow: auto; }
.actors { font-size: 13px; min-width: 680px; }
.actor-row { display: grid; grid-template-columns: 30% 17% 15% 8% 20% 10%; border-bottom: 1px solid #eef2f6; content-visibility: auto; contain-intrinsic-size: auto 29px; }
.actor-row > span { padding: 5px 8px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.actor-row.head { position: sticky; top: 0; z-index: 1; background: #f0f4f8; font-weight: 600; border-bottom: 1px solid var(--line); content-visibility: visible; }
.actor-rows .actor-row { cursor: pointer; }
.actor-rows .actor-row:hover { background: #f0f7ff; }
.actor-rows .actor-row.selected { background: #dbe9ff; }
.state-pill { padding: 1px 8px; border-radius: 9px; background: #e0e8f9; font-size: 12px; }
.state-pill.status-done { background: #e3f9e5; color: #05400a; }
.state-pill.status-error { background: #ffe3e3; color: #8a041a; }
.actor-detail, .sequence-pane { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; min-width: 0; }
.travel { display: flex; align-items: center; gap: 6px; margin: 10px 0; flex-wrap: wrap; }
.travel .spacer { flex: 1; }
.travel-position { font-size: 12.5px; color: var(--muted); margin-left: 6px; }
ol.history { margin: 0; padding-left: 22px; font-size: 13px; max-height: 260px; overflow: auto; }
ol.history li { cursor: pointer; padding: 2px 4px; border-radius: 4px; }
ol.history li.current { background: #ffe8a3; }
ul.groups { list-style: none; margin: 0; padding: 0; }
ul.groups li a { display: block; padding: 6px 10px; text-decoration: none; color: var(--ink); border-bottom: 1px solid #eef2f6; }
ul.groups li.selected a { background: #dbe9ff; }
ul.groups li.refusals .pg-name { color: var(--red); }
ul.groups .pg-name { display: block; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
ul.groups .pg-meta { font-size: 11.5px; }
.groups-pane input { margin: 8px; width: calc(100% - 16px); }
.split:has(.sequence-pane) { grid-template-columns: minmax(220px, 270px) minmax(0, 1fr); }
.sequence-layout { display: grid; grid-template-columns: minmax(0, 1fr); gap: 12px; align-items: start; }
@media (min-width: 1900px) { .sequence-layout { grid-template-columns: minmax(0, 1fr) 340px; } }
svg.sequence { max-width: 100%; height: auto; }
svg.sequence g.step { cursor: pointer; }
svg.sequence g.step:focus { outline: none; }
.step-detail { border-left: 3px solid var(--accent); padding: 4px 12px; font-size: 13px; min-width: 0; display: grid; grid-template-columns: minmax(280px, 1fr) minmax(280px, 1fr); gap: 0 24px; align-items: start; }
.step-detail > h3 { grid-column: 1 / -1; }
.step-detail.muted { display: block; }
.step-detail dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; margin: 0; }
.step-detail dt { color: var(--muted); }
.step-detail dd { margin: 0; overflow-wrap: anywhere; }
.step-detail dd.ok { color: var(--green); font-weight: 600; }
.step-detail dd.bad { color: var(--red); font-weight: 600; }
pre.fields { background: #f5f7fa; border: 1px solid var(--line); border-radius: 6px; padding: 8px; max-height: 320px; overflow: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
@media (max-width: 1100px) { .split, .sequence-layout, .split:has(.sequence-pane) { grid-template-columns: 1fr; } }
`;
