import { z } from 'zod';
import { defineMessage } from '../protocol/message.js';

/**
 * Tessera's answer to a message an external party (an issuing system) sends the service providing system on its own
 * initiative (a modification request 8000 / 8100): the SP has verified it and holds it durably (`accepted`), or
 * refused it after verifying who sent it (`reason`). Not in the spec: its transport needs an acknowledgement.
 */
export const externalReceipt = defineMessage({
  type: 'externalReceipt',
  ref: 'Tessera (acknowledges an external party\'s request)',
  sealed: true,
  fields: z.object({ accepted: z.boolean(), processGroup: z.string().max(160).nullable(), reason: z.string().max(300).nullable() }).strict(),
});
