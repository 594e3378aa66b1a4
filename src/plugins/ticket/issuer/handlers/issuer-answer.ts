import type { EntityManager } from 'typeorm';
import type { MessageDefinition } from '../../../../protocol/message.js';
import type { IssuerContext } from '../issuer-context.js';

/** What a handler answers: the message type and its fields (signed and sealed to the SP by the frame handler). */
export interface IssuerAnswer {
  readonly definition: MessageDefinition;
  readonly fields: Record<string, unknown>;
}

/** One message handler of the issuing system: runs inside the issuer's transaction; a refusal throws a ProtocolError. */
export type IssuerHandler<F> = (context: IssuerContext, em: EntityManager, fields: F) => Promise<IssuerAnswer>;
