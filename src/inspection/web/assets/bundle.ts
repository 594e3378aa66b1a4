import { ACTORS_VIEW_JS } from './actors-view.js.js';
import { APP_JS } from './app.js.js';
import { DOM_JS } from './dom.js.js';
import { MACHINES_VIEW_JS } from './machines-view.js.js';
import { PROCESSES_VIEW_JS } from './processes-view.js.js';
import { SEQUENCE_JS } from './sequence.js.js';
import { STATECHART_JS } from './statechart.js.js';

/** The inspector's script, one file for the browser: the modules in dependency order inside one strict-mode scope. */
export const INSPECTOR_JS = ['(function () {', "'use strict';", DOM_JS, STATECHART_JS, SEQUENCE_JS, MACHINES_VIEW_JS, ACTORS_VIEW_JS, PROCESSES_VIEW_JS, APP_JS, '})();', ''].join('\n');
