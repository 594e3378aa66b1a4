import type { UpdateOptionCode } from '../../core/data-update/terminal-image.js';
import type { SessionKind, SessionOutcome, TerminalContext, UpdateSession } from './terminal-context.js';
import { batteryAboveThreshold } from './terminal-memory.js';

const SEEN_LIMIT = 64;

export const isNewMessage = (context: TerminalContext, messageId: string): boolean => !context.seenMessageIds.includes(messageId);
export const rememberMessage = (context: TerminalContext, messageId: string): readonly string[] => [...context.seenMessageIds, messageId].slice(-SEEN_LIMIT);

/** Battery at or below Q on a kind that backs up, and not yet backed up at this level ([1541], [1549]). */
export const needsBackup = (context: TerminalContext, backsUp: boolean): boolean => backsUp && !batteryAboveThreshold(context) && !context.status.writingDisabled;

/** Whether a tick at `now` starts a session: a backup is needed, an update is owed, or the register is reached. */
export function isSessionDue(context: TerminalContext, now: number, backsUp: boolean): boolean {
  const registerReached = context.updateTimeRegister !== null && now >= context.updateTimeRegister;
  return needsBackup(context, backsUp) || context.updateOwed || registerReached;
}

/** A session the terminal starts is a backup while the battery is at or below Q on a backing-up kind, else an update. */
export const requestedKind = (context: TerminalContext, backsUp: boolean): SessionKind => (backsUp && !batteryAboveThreshold(context) ? 'backup' : 'update');

export function beginRequestedSession(context: TerminalContext, messageId: string, now: number, kind: SessionKind, timeoutMs?: number): UpdateSession {
  const timeout = timeoutMs ?? context.settings.sessionTimeoutMs;
  return { id: messageId, kind, requestId: messageId, pg: null, optionCode: null, timeoutMs: timeout, startedAt: now, deadlineAt: now + timeout };
}

export function beginForcibleSession(context: TerminalContext, messageId: string, pg: string, optionCode: UpdateOptionCode, at: number): UpdateSession {
  const timeout = context.settings.sessionTimeoutMs;
  return { id: messageId, kind: 'forcible', requestId: null, pg, optionCode, timeoutMs: timeout, startedAt: at, deadlineAt: at + timeout };
}

export function acceptResponse(session: UpdateSession, pg: string, optionCode: UpdateOptionCode, at: number): UpdateSession {
  return { ...session, pg, optionCode, deadlineAt: at + session.timeoutMs };
}

/** The SP has until `at + timeout` after the last upload packet to answer with update data or an expiration. */
export const armUpdateDeadline = (session: UpdateSession, at: number): UpdateSession => ({ ...session, deadlineAt: at + session.timeoutMs });

export const isPastDeadline = (context: TerminalContext, now: number): boolean => context.session !== null && now >= context.session.deadlineAt;

/** Clears the session; an abandoned one leaves a data update owed, so the next tick retries. */
export function endSession(context: TerminalContext, outcome: SessionOutcome, at: number): Partial<TerminalContext> {
  const session = context.session;
  if (session === null) return {};
  return {
    session: null,
    lastSession: { id: session.id, kind: session.kind, pg: session.pg, outcome, endedAt: at },
    updateOwed: outcome === 'abandoned',
  };
}
