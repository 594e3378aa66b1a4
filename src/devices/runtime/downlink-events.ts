import type { dataUpdateInstruction, dataUpdateRequestResponse, updateData } from '../../core/data-update/data-update.messages.js';
import { toBase64 } from '../../common/bytes.js';
import { ProtocolError } from '../../protocol/errors.js';
import type { FieldsOf, Message } from '../../protocol/message.js';
import type { TerminalEvent } from '../machines/terminal-events.js';

/** One packet of update data 5605 / 5705 (and 5608, 5708, 5612, 5712): the runtime collects them per process group. */
export interface UpdatePacket {
  readonly pg: string;
  readonly packetNumber: number;
  readonly packetCount: number;
  readonly data: Uint8Array;
}

export type Downlink = { readonly kind: 'event'; readonly event: TerminalEvent } | { readonly kind: 'updatePacket'; readonly packet: UpdatePacket };

/** Converts verified message fields to the plain JSON a machine context can hold (bytes as base64). */
export function plainFields(value: unknown): unknown {
  if (value instanceof Uint8Array) return toBase64(value);
  if (Array.isArray(value)) return value.map(plainFields);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, plainFields(member)]));
  return value;
}

function requireHeader(message: Message, name: 'pg' | 're'): string {
  const value = message[name];
  if (value === undefined) throw new ProtocolError('schema', `${message.type} needs header ${name}`, { type: message.type });
  return value;
}

/** The service provider ID a data update message carries must be its verified signer's. */
function checkServiceProvider(message: Message): void {
  const { serviceProviderId } = message.fields as { serviceProviderId: string };
  if (serviceProviderId !== message.from) throw new ProtocolError('sender-mismatch', `${message.type} names ${serviceProviderId}, signed by ${message.from}`, { type: message.type });
}

/**
 * The one place a verified downlink becomes what the terminal's machine sees (STYLE 11): a typed event, or an update
 * data packet for the runtime to collect. A data update message without the header it needs is a ProtocolError.
 */
export function mapDownlink(message: Message, at: number): Downlink {
  const event = (value: TerminalEvent): Downlink => ({ kind: 'event', event: value });
  switch (message.type) {
    case 'dataUpdateRequestResponse': {
      checkServiceProvider(message);
      const { updateOptionCode } = message.fields as FieldsOf<typeof dataUpdateRequestResponse>;
      return event({ type: 'update.responded', messageId: message.id, re: requireHeader(message, 're'), pg: requireHeader(message, 'pg'), optionCode: updateOptionCode, at });
    }
    case 'dataUpdateInstruction': {
      checkServiceProvider(message);
      const { updateOptionCode } = message.fields as FieldsOf<typeof dataUpdateInstruction>;
      return event({ type: 'update.instructed', messageId: message.id, pg: requireHeader(message, 'pg'), optionCode: updateOptionCode, at });
    }
    case 'mandatoryExpirationInstruction':
      checkServiceProvider(message);
      return event({ type: 'expiration.instructed', messageId: message.id, pg: message.pg ?? null, at });
    case 'updateData': {
      checkServiceProvider(message);
      const fields = message.fields as FieldsOf<typeof updateData>;
      return { kind: 'updatePacket', packet: { pg: requireHeader(message, 'pg'), packetNumber: fields.packetNumber, packetCount: fields.packetCount, data: fields.compressedData } };
    }
    default:
      return event({ type: 'message.received', messageType: message.type, id: message.id, ...(message.re === undefined ? {} : { re: message.re }), fields: plainFields(message.fields) as Record<string, unknown> });
  }
}
