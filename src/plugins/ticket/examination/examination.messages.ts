import { z } from 'zod';
import { isDeviceId, type DeviceId } from '../../../protocol/ids.js';
import { bytes, defineMessage } from '../../../protocol/message.js';
import { ticketCode, ticketId } from '../model/ticket-information.js';
import { INSTRUCTION_CODES } from '../model/ticket-templates.js';
import { ticketStatus, variableTicketInformation } from '../model/ticket-status.js';

const deviceId = z.custom<DeviceId>((value) => typeof value === 'string' && isDeviceId(value), 'not a device ID');
const merchantId = z.string().regex(/^mer:[a-z0-9][a-z0-9._-]{0,63}$/, 'not a merchant ID');
/** Request numbers are chosen by the terminal (32 hex digits). */
const requestNumber = z.string().regex(/^[0-9a-f]{32}$/, 'request number');
/** [1644]: chosen by the gate, unique per examination; 0 when the gate cannot examine the ticket. */
export const transactionNumber = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** A test pattern is a 32-byte random nonce; sealed to a key it travels as a sealed frame. */
export const TEST_PATTERN_BYTES = 32;

export const EXAMINATION_SERVICE_CODE = 'ticket.examination';

// The four examination messages travel over the proximity link (the spec's infrared) between the mobile user terminal
// and the gate, never through the service providing system. DESIGN: "Messages the spec leaves open (the ticket
// presentation over infrared, [1638]) are signed, not sealed"; the spec closes none of 6701-6704, so none is sealed.
// Their header's `from` / `to` are the two devices (the link's addresses); who signs is given per message below.

// 6701 [1638]: mobile user terminal -> gate, signed with the ticket signature private key (kid `ticket:<ticketId>`).
export const ticketPresentation = defineMessage({
  type: 'ticketPresentation',
  ref: '6701 [1638]',
  sealed: false,
  fields: z
    .object({
      serviceCode: z.literal(EXAMINATION_SERVICE_CODE), // 11001
      requestNumber, // 11002
      presentationTicket: bytes(), // 11003: the issuer-signed ticket data
      ticketCertificate: bytes(), // 11004: the (registered) ticket certificate, SP-signed
      ticketStatus, // 11005
      variableTicketInformation, // 11006
      ticketId, // 11007 (issued time 11008 is the header's)
      gateTestPattern: bytes(), // 11010: sealed to the gate public key of the ticket kind
    })
    .strict(),
});

// 6702 [1643]: gate -> mobile user terminal, signed by the merchant (the gate's device key).
export const ticketExamination = defineMessage({
  type: 'ticketExamination',
  ref: '6702 [1643]',
  sealed: false,
  fields: z
    .object({
      transactionNumber, // 11013
      responseMessage: z.string().max(300).nullable(), // 11014
      requestNumber, // 11015
      ticketId, // 11016
      instructionCode: z.enum(INSTRUCTION_CODES).nullable(), // 11017; null with transaction number 0
      gateTestPattern: bytes(TEST_PATTERN_BYTES).nullable(), // 11018: decrypted; null with transaction number 0
      ticketTestPattern: bytes().nullable(), // 11019: sealed to the ticket public key; null with transaction number 0
      gateId: deviceId, // 11021
      merchantId, // 11022 (issued time 11023 is the header's)
    })
    .strict(),
});

// 6703 [1648]: mobile user terminal -> gate, signed with the ticket signature private key AND by the user.
export const ticketExaminationResponse = defineMessage({
  type: 'ticketExaminationResponse',
  ref: '6703 [1648]',
  sealed: false,
  fields: z
    .object({
      ticketExaminationNumber: z.number().int().min(1), // 11101
      ticketTestPattern: bytes(TEST_PATTERN_BYTES), // 11102: decrypted
      ticketStatus, // 11103: modified
      variableTicketInformation, // 11104: modified
      gateId: deviceId, // 11105
      merchantId, // 11106
      requestNumber, // 11107
      transactionNumber: transactionNumber.min(1), // 11108
      ticketCode, // 11109
      ticketId, // 11110 (issued time 11111 is the header's)
      userId: z.string().regex(/^usr:[a-z0-9][a-z0-9._-]{0,63}$/), // names the user key that signed (not a numbered field)
    })
    .strict(),
});

// 6704 [1651]: gate -> mobile user terminal, signed by the merchant (the gate's device key).
export const examinationCertificate = defineMessage({
  type: 'examinationCertificate',
  ref: '6704 [1651]',
  sealed: false,
  fields: z
    .object({
      examinationInformation: z.string().max(300), // 11114
      ticketId, // 11115
      requestNumber, // 11116
      transactionNumber: transactionNumber.min(1), // 11117
      ticketExaminationNumber: z.number().int().min(1), // 11118
      gateId: deviceId, // 11119
      merchantId, // 11120 (issued time 11121 is the header's)
    })
    .strict(),
});

export const EXAMINATION_MESSAGES = [ticketPresentation, ticketExamination, ticketExaminationResponse, examinationCertificate];
