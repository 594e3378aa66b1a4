// Proves every terminal kind runs data updating, forcible data updating, data backup and mandatory expiration
// ([1484]-[1555]) as pure machine steps: what it sends, when, what it applies once, and what it refuses afterwards.
import { describe, expect, it } from '@jest/globals';
import { createActor, type Actor, type Snapshot } from 'xstate';
import type { UpdateContent } from '../../core/data-update/terminal-image.js';
import type { DeviceKind } from '../../protocol/ids.js';
import { accountingMachineMachine } from './accounting-machine.machine.js';
import { gateTerminalMachine } from './gate-terminal.machine.js';
import { merchantTerminalMachine } from './merchant-terminal.machine.js';
import { mobileUserTerminalMachine } from './mobile-user-terminal.machine.js';
import { phoneCardAccountingMachineMachine } from './phone-card-accounting-machine.machine.js';
import type { TerminalContext, TerminalEffect, TerminalEvent, TerminalInput, UploadEffect } from './terminal-events.js';
import type { createTerminalMachine } from './terminal.machine-kit.js';
import { terminalStateName } from './terminal-state.js';

type TerminalMachine = ReturnType<typeof createTerminalMachine>;

const kinds: [string, TerminalMachine, DeviceKind, boolean][] = [
  ['mobile user terminal', mobileUserTerminalMachine, 'mobile', true],
  ['gate terminal', gateTerminalMachine, 'gate', false],
  ['merchant terminal', merchantTerminalMachine, 'merchant', true],
  ['accounting machine', accountingMachineMachine, 'vending', false],
  ['telephone-card accounting machine', phoneCardAccountingMachineMachine, 'phone-accounting', false],
];

const T0 = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const hexId = (n: number) => n.toString(16).padStart(32, '0');
let nextId = 1;
const freshId = () => hexId(nextId++);

const inputFor = (kind: DeviceKind): TerminalInput =>
  kind === 'mobile'
    ? { deviceId: 'dev:mobile:p1', principal: 'usr:alice', merchantId: null }
    : { deviceId: `dev:${kind}:d1`, principal: `dev:${kind}:d1`, merchantId: kind === 'phone-accounting' ? 'csp:telco' : 'mer:shop' };

const content = (over: Partial<UpdateContent> = {}): UpdateContent => ({
  basicProgram: { version: '2.0.0' },
  serviceData: { fare: { value: 250, accessedAt: T0 }, line: { value: 'U1', accessedAt: T0 } },
  userArea: null,
  acceptedRecords: [],
  updateTimeRegister: T0 + DAY,
  ...over,
});

/** One terminal under test: its actor, the effects it emitted, and the steps of the protocol as one-liners. */
class Terminal {
  readonly effects: TerminalEffect[] = [];
  constructor(readonly sut: Actor<TerminalMachine>) {
    sut.on('*', (effect) => this.effects.push(effect));
    sut.start();
  }
  static create(machine: TerminalMachine, kind: DeviceKind): Terminal {
    return new Terminal(createActor(machine, { input: inputFor(kind) }));
  }
  /** Restores from the snapshot as JSON; the input is required by the typed options and ignored when a snapshot is given. */
  static restore(machine: TerminalMachine, kind: DeviceKind, snapshot: unknown): Terminal {
    return new Terminal(createActor(machine, { snapshot: JSON.parse(JSON.stringify(snapshot)) as Snapshot<unknown>, input: inputFor(kind) }));
  }
  get context(): TerminalContext {
    return this.sut.getSnapshot().context;
  }
  get state(): string {
    return terminalStateName(this.sut.getSnapshot().value);
  }
  send(event: TerminalEvent): this {
    this.sut.send(event);
    return this;
  }
  tick(now: number): this {
    return this.send({ type: 'clock.tick', now, messageId: freshId() });
  }
  start(now = T0, timeoutMs?: number): this {
    return this.send({ type: 'update.start', now, messageId: freshId(), ...(timeoutMs === undefined ? {} : { timeoutMs }) });
  }
  /** The SP's data update request response to the session's request. */
  respond(pg: string, optionCode: 1 | 2 | 3 | 4 | 5, at = T0): this {
    return this.send({ type: 'update.responded', messageId: freshId(), re: this.context.session?.requestId ?? 'none', pg, optionCode, at });
  }
  uploaded(pg: string, at = T0): this {
    return this.send({ type: 'upload.sent', pg, at });
  }
  receive(pg: string, update: UpdateContent = content(), at = T0): this {
    return this.send({ type: 'update.received', pg, content: update, at });
  }
  /** A whole session the terminal starts, answered with update data. */
  roundTrip(pg: string, update: UpdateContent = content(), optionCode: 1 | 2 | 3 | 4 | 5 = 1): this {
    return this.start().respond(pg, optionCode).uploaded(pg).receive(pg, update);
  }
  last<T extends TerminalEffect['type']>(type: T): Extract<TerminalEffect, { type: T }> | undefined {
    return this.effects.filter((effect): effect is Extract<TerminalEffect, { type: T }> => effect.type === type).at(-1);
  }
}

describe.each(kinds)('%s', (_name, machine, kind, backsUp) => {
  const party = kind === 'mobile' ? { userId: 'usr:alice' } : { terminalId: `dev:${kind}:d1`, merchantId: kind === 'phone-accounting' ? 'csp:telco' : 'mer:shop' };

  it('starts a data update when the clock reaches the update time register, uploads its memory, and applies the update once', () => {
    const terminal = Terminal.create(machine, kind).roundTrip('txn:data-update:first');
    expect(terminal.context.updateTimeRegister).toBe(T0 + DAY);
    terminal.send({ type: 'record.add', record: { kind: 'examinationResponse', id: 'r1', payload: { ok: true } } });
    terminal.send({ type: 'record.add', record: { kind: 'examinationResponse', id: 'r2', payload: { ok: false } } });
    terminal.send({ type: 'serviceData.access', key: 'fare', at: T0 + 5 });
    terminal.effects.length = 0;

    terminal.tick(T0 + DAY - 1);
    expect(terminal.effects).toEqual([]);
    terminal.tick(T0 + DAY);
    const request = terminal.last('effect.uplink');
    expect(request).toEqual({ type: 'effect.uplink', id: terminal.context.session?.requestId, messageType: 'dataUpdateRequest', fields: party });
    expect(terminal.state).toBe('requestingUpdate');

    terminal.send({ type: 'update.responded', messageId: freshId(), re: hexId(999_999), pg: 'txn:data-update:x', optionCode: 1, at: T0 + DAY });
    expect(terminal.state).toBe('requestingUpdate');
    terminal.respond('txn:data-update:second', 2, T0 + DAY);
    const upload = terminal.last('effect.upload') as UploadEffect;
    expect(upload).toMatchObject({ pg: 'txn:data-update:second', optionCode: 2, party });
    expect(upload.image.changedAccessTimes).toEqual({ fare: T0 + 5 });
    expect(upload.image.records.map((record) => record.id)).toEqual(['r1', 'r2']);
    expect(upload.image.serviceData['fare']).toEqual({ value: 250, accessedAt: T0 + 5 });
    expect(terminal.state).toBe('uploading');

    terminal.uploaded('txn:data-update:second', T0 + DAY);
    expect(terminal.state).toBe('awaitingUpdateData');
    const update = content({ basicProgram: { version: '2.1.0' }, serviceData: { fare: { value: 300, accessedAt: T0 + 5 } }, userArea: { nick: { value: 'al', accessedAt: T0 } }, acceptedRecords: ['r1'], updateTimeRegister: T0 + 2 * DAY });
    terminal.receive('txn:data-update:second', update, T0 + DAY + 10);
    const applied = terminal.context;
    expect(terminal.state).toBe('ready');
    expect(applied.memory.basicProgram).toEqual({ version: '2.1.0' });
    expect(applied.memory.serviceData).toEqual(update.serviceData);
    expect(applied.memory.userArea).toEqual(update.userArea);
    expect(applied.memory.records.map((record) => record.id)).toEqual(['r2']);
    expect(applied.changedAccessTimes).toEqual({});
    expect(applied.updateTimeRegister).toBe(T0 + 2 * DAY);
    expect(applied.lastSession).toMatchObject({ kind: 'update', pg: 'txn:data-update:second', outcome: 'updated' });

    terminal.receive('txn:data-update:second', content({ serviceData: {} }));
    expect(terminal.context).toEqual(applied);
  });

  it('keeps its user area when the update data carry none', () => {
    const terminal = Terminal.create(machine, kind);
    terminal.send({ type: 'userArea.write', key: 'nick', value: 'al', at: T0 });
    terminal.roundTrip('txn:data-update:a', content({ userArea: null }));
    expect(terminal.context.memory.userArea).toEqual({ nick: { value: 'al', accessedAt: T0 } });
  });

  it('runs a forcible data update the SP instructs, once per instruction', () => {
    const terminal = Terminal.create(machine, kind);
    const instruction: TerminalEvent = { type: 'update.instructed', messageId: freshId(), pg: 'txn:forcible:f1', optionCode: 5, at: T0 };
    terminal.send(instruction);
    expect(terminal.state).toBe('uploading');
    expect(terminal.effects).toEqual([expect.objectContaining({ type: 'effect.upload', pg: 'txn:forcible:f1', optionCode: 5, party })]);
    expect(terminal.context.session).toMatchObject({ kind: 'forcible', requestId: null, pg: 'txn:forcible:f1' });

    terminal.uploaded('txn:forcible:f1').receive('txn:forcible:f1');
    expect(terminal.context.lastSession).toMatchObject({ kind: 'forcible', outcome: 'updated' });
    terminal.send(instruction);
    expect(terminal.state).toBe('ready');
    expect(terminal.effects).toHaveLength(1);
  });

  it('keeps remote access working while a data update session runs', () => {
    const terminal = Terminal.create(machine, kind).start().respond('txn:data-update:r', 1);
    terminal.send({ type: 'remoteAccess.start', requestId: 'r1', dataAddress: 'sp:t/doc' });
    expect(terminal.state).toBe('awaitingRemoteData+uploading');
    terminal.send({ type: 'message.received', messageType: kind === 'mobile' ? 'remoteAccessData' : 'merchantRemoteAccessData', id: freshId(), re: 'r1', fields: { dataAddress: 'sp:t/doc', found: true, contentType: 'text/plain', data: 'aGk=' } });
    expect(terminal.state).toBe('uploading');
    expect(terminal.context.memory.temporaryArea['sp:t/doc']?.found).toBe(true);
  });

  if (backsUp) {
    it('backs up when the battery falls to Q, is writing disabled after it, and writes again after the battery recovers and an update succeeds', () => {
      const terminal = Terminal.create(machine, kind);
      terminal.send({ type: 'battery.measured', level: 21 }).tick(T0);
      expect(terminal.effects).toEqual([]);
      terminal.send({ type: 'battery.measured', level: 20 }).tick(T0 + 1);
      expect(terminal.last('effect.uplink')).toMatchObject({ messageType: 'dataBackupRequest', fields: party });
      terminal.respond('txn:backup:b1', 4).uploaded('txn:backup:b1').receive('txn:backup:b1', content({ updateTimeRegister: T0 + DAY }));
      expect(terminal.context.status).toEqual({ useDisabled: false, writingDisabled: true });
      expect(terminal.context.lastSession).toMatchObject({ kind: 'backup', outcome: 'updated' });

      terminal.send({ type: 'record.add', record: { kind: 'k', id: 'r1', payload: null } });
      terminal.send({ type: 'userArea.write', key: 'nick', value: 'x', at: T0 });
      terminal.send({ type: 'serviceData.access', key: 'fare', at: T0 + 7 });
      expect(terminal.context.memory.records).toEqual([]);
      expect(terminal.context.memory.userArea).toEqual({});
      expect(terminal.context.memory.serviceData['fare']?.accessedAt).toBe(T0 + 7);

      const sent = terminal.effects.length;
      terminal.tick(T0 + 2);
      expect(terminal.effects).toHaveLength(sent);
      terminal.send({ type: 'battery.measured', level: 80 }).tick(T0 + 3);
      expect(terminal.last('effect.uplink')).toMatchObject({ messageType: 'dataUpdateRequest' });
      expect(terminal.context.status.writingDisabled).toBe(true);
      terminal.respond('txn:data-update:u2', 1).uploaded('txn:data-update:u2').receive('txn:data-update:u2');
      expect(terminal.context.status.writingDisabled).toBe(false);
      terminal.send({ type: 'record.add', record: { kind: 'k', id: 'r1', payload: null } });
      expect(terminal.context.memory.records).toHaveLength(1);
    });

    it('sends a data backup request instead of a data update request while the battery is at or below Q', () => {
      const terminal = Terminal.create(machine, kind).send({ type: 'battery.measured', level: 5 }).start();
      expect(terminal.last('effect.uplink')).toMatchObject({ messageType: 'dataBackupRequest' });
    });

    it('is use disabled and writing disabled when a backup ends in a mandatory expiration', () => {
      const terminal = Terminal.create(machine, kind).send({ type: 'battery.measured', level: 10 }).tick(T0).respond('txn:backup:b2', 3).uploaded('txn:backup:b2');
      terminal.send({ type: 'expiration.instructed', messageId: freshId(), pg: 'txn:backup:b2', at: T0 });
      expect(terminal.state).toBe('useDisabled');
      expect(terminal.context.status).toEqual({ useDisabled: true, writingDisabled: true });
      expect(terminal.context.lastSession).toMatchObject({ kind: 'backup', outcome: 'use-disabled' });
    });
  } else {
    it('never backs up, whatever the battery', () => {
      const terminal = Terminal.create(machine, kind).send({ type: 'battery.measured', level: 3 }).tick(T0);
      expect(terminal.effects).toEqual([]);
      terminal.start();
      expect(terminal.last('effect.uplink')).toMatchObject({ messageType: 'dataUpdateRequest' });
      terminal.respond('txn:data-update:lo', 1).uploaded('txn:data-update:lo').receive('txn:data-update:lo');
      expect(terminal.context.status.writingDisabled).toBe(false);
    });
  }

  it('is use disabled after a mandatory expiration and refuses every operation from then on', () => {
    const terminal = Terminal.create(machine, kind).start().respond('txn:data-update:bad', 3).uploaded('txn:data-update:bad');
    terminal.send({ type: 'expiration.instructed', messageId: freshId(), pg: 'txn:data-update:bad', at: T0 + 1 });
    expect(terminal.state).toBe('useDisabled');
    expect(terminal.context.status).toEqual({ useDisabled: true, writingDisabled: false });
    expect(terminal.context.lastSession).toMatchObject({ pg: 'txn:data-update:bad', outcome: 'use-disabled' });
    const before = terminal.context;
    terminal.effects.length = 0;

    terminal.send({ type: 'remoteAccess.start', requestId: 'r9', dataAddress: 'sp:t/doc' });
    terminal.start(T0 + 2).tick(T0 + 10 * DAY);
    terminal.send({ type: 'update.instructed', messageId: freshId(), pg: 'txn:forcible:f9', optionCode: 1, at: T0 });
    terminal.receive('txn:data-update:bad');
    terminal.send({ type: 'record.add', record: { kind: 'k', id: 'r9', payload: null } });
    terminal.send({ type: 'userArea.write', key: 'k', value: 1, at: T0 });
    terminal.send({ type: 'serviceData.access', key: 'fare', at: T0 });
    expect(terminal.effects).toEqual([]);
    expect(terminal.state).toBe('useDisabled');
    expect(terminal.context).toEqual(before);
  });

  it('abandons a session the SP does not answer by its deadline, ignores late answers, and retries at the next tick', () => {
    const terminal = Terminal.create(machine, kind).start(T0, 1000);
    const first = terminal.context.session?.requestId;
    terminal.tick(T0 + 999);
    expect(terminal.state).toBe('requestingUpdate');
    terminal.tick(T0 + 1000);
    expect(terminal.state).toBe('ready');
    expect(terminal.context.session).toBeNull();
    expect(terminal.context.lastSession).toMatchObject({ id: first, outcome: 'abandoned', endedAt: T0 + 1000 });

    terminal.send({ type: 'update.responded', messageId: freshId(), re: first ?? '', pg: 'txn:data-update:late', optionCode: 1, at: T0 + 1001 });
    expect(terminal.state).toBe('ready');
    terminal.tick(T0 + 1002);
    const retry = terminal.last('effect.uplink');
    expect(retry?.messageType).toBe('dataUpdateRequest');
    expect(retry?.id).not.toBe(first);

    const timeout = terminal.context.session?.timeoutMs ?? 0;
    terminal.respond('txn:data-update:slow', 1, T0 + 1003).uploaded('txn:data-update:slow', T0 + 1004);
    terminal.tick(T0 + 1004 + timeout);
    expect(terminal.context.lastSession).toMatchObject({ pg: 'txn:data-update:slow', outcome: 'abandoned' });
    terminal.receive('txn:data-update:slow');
    expect(terminal.context.memory.serviceData).toEqual({});
  });

  it('survives a JSON snapshot round trip mid-session: the restored terminal applies the update, or sees the deadline fire', () => {
    const first = Terminal.create(machine, kind).start(T0, 5000).respond('txn:data-update:snap', 4, T0 + 1).uploaded('txn:data-update:snap', T0 + 2);
    const persisted = first.sut.getPersistedSnapshot();

    const applying = Terminal.restore(machine, kind, persisted);
    expect(applying.state).toBe('awaitingUpdateData');
    applying.receive('txn:data-update:snap');
    expect(applying.context.memory.basicProgram.version).toBe('2.0.0');
    expect(applying.context.lastSession?.outcome).toBe('updated');

    const waiting = Terminal.restore(machine, kind, persisted);
    waiting.tick(T0 + 5001);
    expect(waiting.state).toBe('awaitingUpdateData');
    waiting.tick(T0 + 5002);
    expect(waiting.context.lastSession?.outcome).toBe('abandoned');
  });
});
