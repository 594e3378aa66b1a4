import { parseArgs } from 'node:util';
import { systemClock } from '../../common/clock.js';
import { NodeCryptoBackend } from '../../protocol/crypto/node-backend.js';
import { deviceKindOf, type DeviceId } from '../../protocol/ids.js';
import { readCredentialsFile, type DeviceCredentials } from '../credentials.js';
import type { SessionOutcome } from '../machines/terminal-context.js';
import { TERMINAL_PROFILES } from '../machines/terminal-profile.js';
import { attachDevice } from '../runtime/attach-device.js';
import type { DeviceRuntime } from '../runtime/device-runtime.js';
import { terminalInputFor, terminalMachineFor } from '../runtime/terminal-machines.js';
import { initialSnapshot, readStateFile, writeStateFile, type Mutable, type PersistedTerminalSnapshot } from '../runtime/terminal-state-file.js';
import { applyTamper, parseTamperOptions, TamperError, type TamperEdit } from './tamper.js';
import { terminalStatus } from './terminal-status.js';
import { ticketService } from '../../plugins/ticket/ticket.service.js';
import { MqttProximityLink } from '../link/mqtt-proximity-link.js';
import { ticketCommand, TICKET_USAGE } from './ticket-commands.js';

const USAGE = `usage: tessera-device --credentials FILE [--mqtt-url URL] [--state-file FILE] [--outbox-dir DIR]
                      [--backup-threshold Q] [--timeout MS] [tamper options] COMMAND
commands:
  remote-access ADDRESS  request the data at ADDRESS (remote access, [1471]-[1483]), print it and exit
  data-update            run a data update now ([1484]-[1518]) and print its outcome as JSON; exit 0 updated,
                         3 use disabled (the SP sent a mandatory expiration), 4 abandoned (no answer within
                         --timeout MS at a step, default 30000)
  backup --battery N     set the battery to N percent (at or below Q, default 20), which backs the memory up
                         ([1539]-[1555]; mobile user terminals and merchant terminals only); outcome and exit code
                         as data-update; afterwards the terminal is writing disabled until the battery is above Q
                         and a data update succeeds
  status                 print the terminal's statuses, memory summary and state from --state-file as JSON,
                         without connecting
  run                    stay attached: data updates start when the update time register is reached (and
                         forcible ones when the SP instructs); print each outcome until interrupted
${TICKET_USAGE}
A use-disabled terminal (mandatory expiration) refuses every command but status without connecting: exit 3.
tamper options (repeatable; applied to --state-file before anything else, as a hacked device would edit its memory):
  --tamper-set AREA.KEY=JSON    change the value of an entry (AREA: serviceData or userArea)
  --tamper-add AREA.KEY=JSON    add an entry
  --tamper-delete AREA.KEY      delete an entry
  --tamper-record KIND:ID=JSON  add a record (JSON payload) the terminal never made legitimately
The device's memory (service data, user area, records, statuses, update time register) lives in its state file:
without --state-file every run starts from empty memory, and tampering needs one to persist to.`;

const EXIT: Readonly<Record<SessionOutcome, number>> = { updated: 0, 'use-disabled': 3, abandoned: 4 };

class UsageError extends Error {}

function parse() {
  return parseArgs({
    options: {
      credentials: { type: 'string' },
      'mqtt-url': { type: 'string' },
      'state-file': { type: 'string' },
      'outbox-dir': { type: 'string' },
      'backup-threshold': { type: 'string' },
      timeout: { type: 'string' },
      battery: { type: 'string' },
      'tamper-set': { type: 'string', multiple: true },
      'tamper-add': { type: 'string', multiple: true },
      'tamper-delete': { type: 'string', multiple: true },
      'tamper-record': { type: 'string', multiple: true },
      serve: { type: 'boolean' },
      setup: { type: 'string', multiple: true },
      gate: { type: 'string' },
      date: { type: 'string' },
      count: { type: 'string' },
      issuer: { type: 'string' },
      payment: { type: 'string' },
      help: { type: 'boolean' },
    },
    allowPositionals: true,
  });
}

type Values = ReturnType<typeof parse>['values'];

function integer(text: string | undefined, option: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`--${option} must be a whole number, not '${text}'`);
  return Number(text);
}

/** The battery level of `backup`, checked before connecting: only kinds that back up take one. */
function backupLevel(deviceId: DeviceId, values: Values): number {
  if (!TERMINAL_PROFILES[deviceKindOf(deviceId)].backsUp) throw new UsageError(`${deviceId} never backs up: only mobile user terminals and merchant terminals do ([1541], [1549])`);
  const level = integer(values.battery, 'battery');
  if (level === undefined) throw new UsageError('backup needs --battery N');
  return level;
}

/** The state file's snapshot, or the snapshot of a terminal that has never run. */
function loadSnapshot(credentials: DeviceCredentials, stateFile: string, settings: { backupThreshold?: number }): { snapshot: PersistedTerminalSnapshot; persisted: boolean } {
  const stored = readStateFile(stateFile);
  if (stored !== undefined) return { snapshot: stored, persisted: true };
  return { snapshot: initialSnapshot(terminalMachineFor(credentials.deviceId as DeviceId), terminalInputFor(credentials, settings)), persisted: false };
}

function tamperStateFile(credentials: DeviceCredentials, stateFile: string | undefined, edits: readonly TamperEdit[], settings: { backupThreshold?: number }): void {
  if (edits.length === 0) return;
  if (stateFile === undefined) throw new UsageError('tampering needs --state-file: the device memory lives there');
  const { snapshot } = loadSnapshot(credentials, stateFile, settings);
  const edited = structuredClone(snapshot) as Mutable<PersistedTerminalSnapshot>;
  applyTamper(edited.context, edits, systemClock.now());
  writeStateFile(stateFile, edited as PersistedTerminalSnapshot);
  console.error(`tampered ${edits.length} entr${edits.length === 1 ? 'y' : 'ies'} of ${credentials.deviceId}'s memory in ${stateFile}`);
}

function printOutcome(runtime: DeviceRuntime, outcome: SessionOutcome): void {
  const { status, memory, updateTimeRegister, lastSession } = runtime.context;
  console.log(JSON.stringify({ deviceId: runtime.deviceId, outcome, state: runtime.state, status, basicProgram: memory.basicProgram, updateTimeRegister, session: lastSession }));
}

async function attached(runtime: DeviceRuntime, command: string, argument: string | undefined, values: Values, timeoutMs: number | undefined, rest: readonly string[] = []): Promise<number> {
  switch (command) {
    case 'remote-access': {
      if (argument === undefined) throw new UsageError('remote-access needs an ADDRESS');
      const entry = await runtime.remoteAccess(argument);
      console.log(JSON.stringify({ dataAddress: argument, found: entry.found, contentType: entry.contentType, text: entry.contentType.startsWith('text/') ? Buffer.from(entry.data, 'base64').toString('utf8') : undefined, base64: entry.data, state: runtime.state }));
      return entry.found ? 0 : 1;
    }
    case 'data-update': {
      const outcome = await runtime.dataUpdate(timeoutMs);
      printOutcome(runtime, outcome);
      return EXIT[outcome];
    }
    case 'backup': {
      const outcome = await runtime.backup(backupLevel(runtime.deviceId, values), timeoutMs);
      printOutcome(runtime, outcome);
      return EXIT[outcome];
    }
    case 'gate':
    case 'ticket':
      return ticketCommand(runtime, command, rest, { serve: values.serve === true, setup: values.setup ?? [], gate: values.gate, timeoutMs, date: values.date, count: integer(values.count, 'count'), issuer: values.issuer, payment: values.payment }, () => waitForSignal());
    default:
      await waitForSignal();
      return 0;
  }
}

function waitForSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

/** Runs one device of any kind as its own process attached over MQTT. */
async function main(): Promise<number> {
  const { values, positionals } = parse();
  const [command, argument] = positionals;
  if (values.help === true || values.credentials === undefined || command === undefined || !['remote-access', 'data-update', 'backup', 'status', 'run', 'gate', 'ticket'].includes(command)) {
    console.error(USAGE);
    return values.help === true ? 0 : 2;
  }
  const credentials = readCredentialsFile(values.credentials);
  const backupThreshold = integer(values['backup-threshold'], 'backup-threshold');
  const timeoutMs = integer(values.timeout, 'timeout');
  const settings = { ...(backupThreshold === undefined ? {} : { backupThreshold }), ...(timeoutMs === undefined ? {} : { sessionTimeoutMs: timeoutMs }) };
  const stateFile = values['state-file'];
  if (command === 'backup') backupLevel(credentials.deviceId as DeviceId, values);
  tamperStateFile(credentials, stateFile, parseTamperOptions({ set: values['tamper-set'], add: values['tamper-add'], delete: values['tamper-delete'], record: values['tamper-record'] }), settings);
  if (command === 'status') {
    if (stateFile === undefined) throw new UsageError('status reads --state-file');
    const { snapshot, persisted } = loadSnapshot(credentials, stateFile, settings);
    console.log(JSON.stringify({ ...terminalStatus(snapshot), persisted }, null, 2));
    return 0;
  }
  // A use-disabled terminal does nothing any more ([1500], [1517]): it does not even connect.
  if (stateFile !== undefined && readStateFile(stateFile)?.context.status.useDisabled === true) {
    console.log(JSON.stringify({ deviceId: credentials.deviceId, outcome: 'use-disabled', state: 'useDisabled' }));
    return EXIT['use-disabled'];
  }
  const { runtime } = await attachDevice(credentials, {
    crypto: new NodeCryptoBackend(),
    clock: systemClock,
    maxSkewMs: 300_000,
    ...settings,
    // --timeout also bounds the wait for the broker (a loaded machine can take more than the default 10 s).
    ...(timeoutMs === undefined ? {} : { onlineTimeoutMs: Math.max(10_000, timeoutMs) }),
    ...(values['mqtt-url'] === undefined ? {} : { mqttUrl: values['mqtt-url'] }),
    ...(stateFile === undefined ? {} : { stateFile }),
    ...(values['outbox-dir'] === undefined ? {} : { outboxDir: values['outbox-dir'] }),
    onRefusal: (error) => console.error(`refused downlink: ${error.message}`),
    onUplinkError: (error) => console.error(`uplink not sent: ${error.message}`),
    // The ticket service's terminal modules (a gate's examination module, a phone's wallet) and the MQTT-relayed
    // proximity link (the spec's infrared) to other device processes.
    modules: ticketService.deviceModules ?? [],
    proximity: (link) => new MqttProximityLink(link, credentials.deviceId as DeviceId),
    ...(command === 'run' ? { onSessionEnded: (session) => console.log(JSON.stringify({ deviceId: credentials.deviceId, ...session })) } : {}),
  });
  console.error(`${credentials.deviceId} attached to ${values['mqtt-url'] ?? credentials.mqttUrl}`);
  try {
    return await attached(runtime, command, argument, values, timeoutMs, positionals.slice(1));
  } finally {
    await runtime.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    if (error instanceof UsageError || error instanceof TamperError) console.error(USAGE);
    process.exit(error instanceof UsageError || error instanceof TamperError ? 2 : 1);
  },
);
