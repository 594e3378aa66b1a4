import { Logger } from '@nestjs/common';
import type { KeyDirectory, MessageCodec, Recipient } from '../../protocol/codec.js';
import type { Signer } from '../../protocol/envelope.js';
import { ProtocolError } from '../../protocol/errors.js';
import type { PrincipalId } from '../../protocol/ids.js';
import type { Message, MessageDefinition } from '../../protocol/message.js';
import type { Ledger } from './ledger/ledger.js';
import {
  accountOpenRequest,
  accountOpenResponse,
  clearingBatchRequest,
  clearingBatchResponse,
  clearingRequest,
  clearingResponse,
  refundClearingRequest,
  refundClearingResponse,
} from './tps-messages.js';
import { answeredByRequestNumber, serviceProviderKeys } from './service-provider-trust.js';
import type { TrustedServiceProvider } from './tps-options.js';

interface Answer {
  readonly definition: MessageDefinition;
  readonly fields: { readonly result: string };
}

/**
 * The TPS's inbound path: a frame is opened and checked by the codec (sealed to the TPS, signed by the SP, fresh),
 * answered by the ledger, and the answer is signed and sealed to the SP. A frame that fails a check throws a
 * ProtocolError (the transport turns it into a typed error reply) after nothing has changed.
 */
export class TpsFrameHandler {
  private readonly logger = new Logger('TransactionProcessing');
  private readonly keys: KeyDirectory;
  private readonly signer: Signer;

  constructor(
    private readonly codec: MessageCodec,
    private readonly me: Recipient & { readonly signingSecretKey: Uint8Array },
    private readonly sp: TrustedServiceProvider,
    private readonly ledger: Ledger,
  ) {
    this.keys = serviceProviderKeys(sp);
    this.signer = { kid: me.id, secretKey: me.signingSecretKey };
  }

  async handle(frame: Uint8Array): Promise<Uint8Array> {
    // A refusal thrown here is logged where it becomes the typed error reply (ExternalPartyController).
    const { message } = await this.codec.receive(frame, this.me, this.keys, answeredByRequestNumber);
    const answer = await this.answer(message.from, message);
    if (answer.fields.result === 'refused') this.logger.log(`${message.type} ${message.id} from ${message.from}: ${JSON.stringify(answer.fields)}`);
    const header = { from: this.me.id, to: this.sp.id, re: message.id, fields: answer.fields, ...(message.pg === undefined ? {} : { pg: message.pg }) };
    return this.codec.compose(answer.definition, header, [this.signer], this.sp.sealingPublicKey).bytes;
  }

  private async answer(sender: PrincipalId, message: Message): Promise<Answer> {
    // The codec has validated the fields against the same schemas; parsing again gives them their types.
    switch (message.type) {
      case clearingRequest.type:
        return { definition: clearingResponse, fields: await this.ledger.clear(sender, clearingRequest.fields.parse(message.fields)) };
      case refundClearingRequest.type:
        return { definition: refundClearingResponse, fields: await this.ledger.refund(sender, refundClearingRequest.fields.parse(message.fields)) };
      case clearingBatchRequest.type:
        return { definition: clearingBatchResponse, fields: await this.ledger.clearBatch(sender, clearingBatchRequest.fields.parse(message.fields)) };
      case accountOpenRequest.type:
        return { definition: accountOpenResponse, fields: await this.ledger.openAccount(sender, accountOpenRequest.fields.parse(message.fields)) };
      default:
        throw new ProtocolError('unknown-type', `the transaction processor does not take ${message.type}`, { type: message.type });
    }
  }
}
