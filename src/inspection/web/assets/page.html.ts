const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/**
 * The inspector's page. `base` is where the inspector is mounted; `token` is the operator token the request proved,
 * put where the page's script reads it for its own API calls and live feed (EventSource cannot send headers).
 */
export function inspectorPage(base: string, token: string): string {
  const query = `?token=${encodeURIComponent(token)}`;
  const asset = (name: string) => escapeHtml(`${base}/assets/${name}${query}`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="tessera-inspector-base" content="${escapeHtml(base)}">
<meta name="tessera-inspector-token" content="${escapeHtml(token)}">
<title>Tessera inspector</title>
<link rel="icon" href="${asset('icon.svg')}" type="image/svg+xml">
<link rel="stylesheet" href="${asset('inspector.css')}">
<script src="${asset('inspector.js')}" defer></script>
</head>
<body>
<header class="topbar">
  <span class="brand">Tessera inspector</span>
  <nav>
    <a href="#/machines" data-view="machines">Machines</a>
    <a href="#/actors" data-view="actors">Actors</a>
    <a href="#/processes" data-view="processes">Processes</a>
  </nav>
  <span id="live-status" data-state="connecting">connecting…</span>
</header>
<main id="view"></main>
</body>
</html>
`;
}

/** The page's icon: a small statechart. */
export const INSPECTOR_ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#102a43"/><rect x="5" y="9" width="9" height="14" rx="3" fill="#9fb3c8"/><rect x="18" y="9" width="9" height="14" rx="3" fill="#f0b429"/><path d="M14 16h4" stroke="#fff" stroke-width="2"/></svg>
`;
