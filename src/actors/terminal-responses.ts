import { fromBase64 } from '../common/bytes.js';
import type { SendEffect } from './effects.js';
import type { RemoteAccessRequested } from './processor-events.js';

/** The remote access data message (5601 or 5701) answering a request, as an effect. */
export function remoteAccessDataEffect(
  request: RemoteAccessRequested,
  spId: string,
  result: { readonly found: boolean; readonly contentType: string; readonly data: string },
  durable = true,
): SendEffect {
  return {
    durable,
    type: 'effect.send',
    channel: 'device',
    via: request.terminalId,
    to: request.requester as SendEffect['to'],
    messageType: request.responseType,
    fields: { dataAddress: request.dataAddress, found: result.found, contentType: result.contentType, data: fromBase64(result.data), serviceProviderId: spId },
    pg: request.pg,
    re: request.requestId,
  };
}
