import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import type { Clock } from '../../../common/clock.js';
import type { PrincipalId } from '../../../protocol/ids.js';
import { InsufficientFunds } from './journal.js';
import { requestFingerprint } from './request-fingerprint.js';
import type { TpsDatabase } from './tps-database.js';
import { TpsRequest } from './tps-request.entity.js';

/** One request to answer at most once per (sender, request number). */
export interface OnceRequest<R> {
  readonly sender: PrincipalId;
  readonly requestNumber: string;
  readonly messageType: string;
  readonly fields: object;
  /** Reads a stored answer back. */
  readonly outcome: z.ZodType<R>;
  /** The answer when the request number was used before for other content. Never stored. */
  readonly conflict: () => R;
  /** The answer when a debit would pass a credit limit (the work's writes are rolled back). */
  readonly insufficientFunds: () => R;
  /** Decides and writes, inside the transaction that also stores the answer. */
  readonly work: (tx: EntityManager, now: number) => Promise<R>;
}

/**
 * Every money-moving operation in this order: the idempotency check, then one transaction that writes the
 * movement and the stored answer together, then the answer. A resent request gets the stored answer and moves nothing.
 */
export function answerOnce<R>(db: TpsDatabase, clock: Clock, request: OnceRequest<R>): Promise<R> {
  return db.exclusive(async () => {
    const fingerprint = requestFingerprint(request.messageType, request.fields);
    const stored = await db.dataSource.getRepository(TpsRequest).findOneBy({ sender: request.sender, requestNumber: request.requestNumber });
    if (stored !== null) return stored.fingerprint === fingerprint ? request.outcome.parse(JSON.parse(stored.response)) : request.conflict();
    const now = clock.now();
    const record = (outcome: R): TpsRequest => ({
      sender: request.sender,
      requestNumber: request.requestNumber,
      messageType: request.messageType,
      fingerprint,
      response: JSON.stringify(outcome),
      answeredAt: now,
    });
    try {
      return await db.dataSource.transaction(async (tx) => {
        const outcome = await request.work(tx, now);
        await tx.insert(TpsRequest, record(outcome));
        return outcome;
      });
    } catch (error) {
      if (!(error instanceof InsufficientFunds)) throw error;
      const outcome = request.insufficientFunds();
      await db.dataSource.getRepository(TpsRequest).insert(record(outcome));
      return outcome;
    }
  });
}
