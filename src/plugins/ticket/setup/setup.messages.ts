import { z } from 'zod';
import { isDeviceId, type DeviceId } from '../../../protocol/ids.js';
import { bytes, defineMessage } from '../../../protocol/message.js';
import { templateCode, ticketCode } from '../model/ticket-information.js';
import { INSTRUCTION_CODES } from '../model/ticket-templates.js';

const deviceId = z.custom<DeviceId>((value) => typeof value === 'string' && isDeviceId(value), 'not a device ID');
const merchantId = z.string().regex(/^mer:[a-z0-9][a-z0-9._-]{0,63}$/, 'not a merchant ID');

/**
 * The ticket examination module 10916 as the gate receives it: declarative (DESIGN "Plugins"), the module the template
 * names (4922) with its parameters: the instruction code it gives tickets ([1646]) and, so that the gate can check the
 * issuer's signature on presentation tickets ([1641]), the issuer's signing public key when the SP knows it.
 */
export const ticketExaminationModule = z
  .object({
    moduleId: z.string().min(1).max(64),
    version: z.string().min(1).max(16),
    templateCode,
    instruction: z.enum(INSTRUCTION_CODES),
    issuerSigningPublicKey: bytes(32).nullable(),
  })
  .strict();

// 6601 [1631]: gate terminal -> merchant processor, signed by the merchant (the gate's device key), closed and
// addressed to the service provider.
export const ticketSetupRequest = defineMessage({
  type: 'ticketSetupRequest',
  ref: '6601 [1631]',
  sealed: true,
  fields: z.object({ ticketCode, gateId: deviceId, merchantId }).strict(), // 10901, 10902, 10903 (issued time 10904 in the header)
});

// 6602 [1633]: service director -> gate terminal, signed by the service provider, closed and addressed to the merchant
// (that is, to the gate that asked: DESIGN "Readings of the spec's slips").
export const ticketSetupMessage = defineMessage({
  type: 'ticketSetup',
  ref: '6602 [1633]',
  sealed: true,
  fields: z
    .object({
      ticketName: z.string().min(1).max(120), // 10910
      ticketCode, // 10911
      issuerId: z.string().startsWith('iss:ticket:'), // 10912
      validityTerm: z.object({ validFrom: z.number().int().nonnegative(), validUntil: z.number().int().nonnegative() }).strict(), // 10913
      // 10914. Sealed once more to the gate, inside the sealed message: the message's fields are also kept in the
      // outbox and summarised in the inspection trace, and a private key must appear in neither.
      gatePrivateKey: bytes(),
      ticketPublicKey: bytes(32), // 10915
      ticketExaminationModule, // 10916
      serviceProviderId: z.string().startsWith('sp:'), // 10917 (issued time 10918 in the header)
    })
    .strict(),
});

// Tessera extension: [1632] says what the director checks but gives no answer when the merchant is not on the merchant
// list 5302. The gate is told so (and the refusal audited) instead of waiting for a setup message that never comes.
export const ticketSetupRefused = defineMessage({
  type: 'ticketSetupRefused',
  ref: 'Tessera extension (refusal of 6601, [1632])',
  sealed: true,
  fields: z.object({ ticketCode, reason: z.string().max(300), serviceProviderId: z.string().startsWith('sp:') }).strict(),
});

export const SETUP_MESSAGES = [ticketSetupRequest, ticketSetupMessage, ticketSetupRefused];

/** The label the gate private key is sealed under inside 6602. */
export const GATE_KEY_SEAL_LABEL = (gateId: string, ticketCode: string): string => `${gateId}/gate-key/${ticketCode}`;
