import type { EntityManager } from 'typeorm';
import { fromBase64, toBase64 } from '../../../common/bytes.js';
import { decodeStrict, encodeCanonical } from '../../../protocol/cbor.js';
import type { KeyDirectory, MessageCodec, Recipient } from '../../../protocol/codec.js';
import { ProtocolError } from '../../../protocol/errors.js';
import type { Message, MessageDefinition } from '../../../protocol/message.js';
import { answeredByRequestNumber, serviceProviderKeys } from '../../../external/transaction-processing/service-provider-trust.js';
import { issuerTicketOrder, issuerTicketOrderResponse } from '../order/order.messages.js';
import {
  electronicTicketIssuingCommission,
  issuerTicketPurchaseOrder,
  issuerTicketPurchaseRefusal,
  issuerTicketReceipt,
  ticketClearingCompletion,
  ticketIssuingCancellation,
  ticketIssuingCancelled,
} from '../purchase/purchase.messages.js';
import { electronicTicketInstallationCommission, ticketInstallationRefusal, ticketInstallationRequest } from '../installation/installation.messages.js';
import { refundClearingCompletionNotification, refundCommission, refundReceipt, refundRequest, refundRequestRefusal } from '../refund/refund.messages.js';
import { issuerSql } from './issuer-sql.js';
import type { IssuerContext } from './issuer-context.js';
import type { IssuerAnswer } from './handlers/issuer-answer.js';
import { handleTicketOrder } from './handlers/handle-ticket-order.js';
import { handleTicketPurchaseOrder } from './handlers/handle-ticket-purchase-order.js';
import { handleClearingCompletion } from './handlers/handle-clearing-completion.js';
import { handleIssuingCancellation } from './handlers/handle-issuing-cancellation.js';
import { handleTicketInstallation } from './handlers/handle-ticket-installation.js';
import { handleRefundRequest } from './handlers/handle-refund-request.js';
import { handleRefundClearingCompletion } from './handlers/handle-refund-clearing-completion.js';
import { usageReport, usageReportAcknowledgement } from '../reference/usage-report.messages.js';
import { handleUsageReport } from './handlers/handle-usage-report.js';

/** The messages the ticket issuing system takes from the SP (register them in its codec). Add a case below for each. */
export const ISSUER_INBOUND_MESSAGES: readonly MessageDefinition[] = [issuerTicketOrder, issuerTicketPurchaseOrder, ticketClearingCompletion, ticketIssuingCancellation, ticketInstallationRequest, refundRequest, refundClearingCompletionNotification, usageReport];

interface Dispatch {
  /** Names the request, so the SP sending it again gets the stored answer and nothing changes twice. */
  readonly requestKey: string;
  run(em: EntityManager): Promise<IssuerAnswer>;
}

/**
 * The ticket issuing system's inbound path: the codec opens and checks the frame (sealed to the issuer, signed by the
 * SP, fresh), one handler per message answers inside one transaction, and the answer is signed by the issuer and
 * sealed to the SP. A refusal throws a ProtocolError (the transport makes it a typed error reply) with nothing changed.
 */
export class IssuerFrameHandler {
  private readonly keys: KeyDirectory;

  constructor(
    private readonly codec: MessageCodec,
    private readonly me: Recipient,
    private readonly sp: { readonly id: string; readonly signingPublicKey: Uint8Array; readonly sealingPublicKey: Uint8Array },
    private readonly context: IssuerContext,
  ) {
    this.keys = serviceProviderKeys({ id: sp.id as `sp:${string}`, signingPublicKey: sp.signingPublicKey, sealingPublicKey: sp.sealingPublicKey });
  }

  async handle(frame: Uint8Array): Promise<Uint8Array> {
    const { message } = await this.codec.receive(frame, this.me, this.keys, answeredByRequestNumber);
    const dispatch = this.dispatch(message);
    const answer = await this.context.db.transaction((em) => this.answerOnce(em, dispatch));
    const header = { from: this.me.id, to: this.sp.id as `sp:${string}`, re: message.id, fields: answer.fields, ...(message.pg === undefined ? {} : { pg: message.pg }) };
    return this.codec.compose(answer.definition, header, [this.context.signer], this.sp.sealingPublicKey).bytes;
  }

  /** One case per message: parse its fields (the codec validated them against the same schema) and call its handler. */
  private dispatch(message: Message): Dispatch {
    const context = this.context;
    switch (message.type) {
      case issuerTicketOrder.type: {
        const fields = issuerTicketOrder.fields.parse(message.fields);
        return { requestKey: `order:${fields.customerNumber}:${fields.requestNumber}`, run: (em) => handleTicketOrder(context, em, fields) };
      }
      case issuerTicketPurchaseOrder.type: {
        const fields = issuerTicketPurchaseOrder.fields.parse(message.fields);
        return { requestKey: `purchase:${fields.customerNumber}:${fields.requestNumber}`, run: (em) => handleTicketPurchaseOrder(context, em, fields) };
      }
      case ticketClearingCompletion.type: {
        const fields = ticketClearingCompletion.fields.parse(message.fields);
        return { requestKey: `clearing:${fields.transactionNumber}`, run: (em) => handleClearingCompletion(context, em, fields) };
      }
      case ticketIssuingCancellation.type: {
        const fields = ticketIssuingCancellation.fields.parse(message.fields);
        return { requestKey: `cancel:${fields.transactionNumber}`, run: (em) => handleIssuingCancellation(context, em, fields) };
      }
      case ticketInstallationRequest.type: {
        const fields = ticketInstallationRequest.fields.parse(message.fields);
        return { requestKey: `installation:${fields.customerNumber}:${fields.requestNumber}`, run: (em) => handleTicketInstallation(context, em, fields) };
      }
      case refundRequest.type: {
        const fields = refundRequest.fields.parse(message.fields);
        return { requestKey: `refund:${fields.customerNumber}:${fields.requestNumber}`, run: (em) => handleRefundRequest(context, em, fields) };
      }
      case refundClearingCompletionNotification.type: {
        const fields = refundClearingCompletionNotification.fields.parse(message.fields);
        return { requestKey: `refund-clearing:${fields.transactionNumber}:${fields.clearingNumber}`, run: (em) => handleRefundClearingCompletion(context, em, fields) };
      }
      case usageReport.type: {
        const fields = usageReport.fields.parse(message.fields);
        return { requestKey: `usage:${fields.reportNumber}`, run: (em) => handleUsageReport(context, em, fields) };
      }
      default:
        throw new ProtocolError('unknown-type', `the ticket issuing system does not take ${message.type}`, { type: message.type });
    }
  }

  private async answerOnce(em: EntityManager, dispatch: Dispatch): Promise<IssuerAnswer> {
    const stored = await issuerSql.answer(em, dispatch.requestKey);
    if (stored !== undefined) {
      const definition = ISSUER_ANSWERS.get(stored.answerType);
      if (definition === undefined) throw new Error(`stored answer of unknown type ${stored.answerType}`);
      return { definition, fields: decodeStrict(fromBase64(stored.fields)) as Record<string, unknown> };
    }
    const answer = await dispatch.run(em);
    await issuerSql.insertAnswer(em, dispatch.requestKey, answer.definition.type, toBase64(encodeCanonical(answer.fields)), this.context.clock.now());
    return answer;
  }
}

/** The answer types the handlers give, so a stored answer can be composed again. */
const ISSUER_ANSWERS = new Map<string, MessageDefinition>(
  [issuerTicketOrderResponse, electronicTicketIssuingCommission, issuerTicketPurchaseRefusal, issuerTicketReceipt, ticketIssuingCancelled, electronicTicketInstallationCommission, ticketInstallationRefusal, refundCommission, refundRequestRefusal, refundReceipt, usageReportAcknowledgement].map((definition) => [definition.type, definition]),
);
