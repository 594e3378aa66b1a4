import { z } from 'zod';
import { isDeviceId, isPrincipalId, type DeviceId, type MerchantId, type CspId, type UserId } from '../../protocol/ids.js';
import { bytes, defineMessage } from '../../protocol/message.js';
import { updateOptionCode } from './terminal-image.js';
import { MAX_PACKETS } from './packets.js';

const userId = z.custom<UserId>((value) => typeof value === 'string' && value.startsWith('usr:') && isPrincipalId(value), 'not a user ID');
const merchantId = z.custom<MerchantId | CspId>((value) => typeof value === 'string' && /^(mer|csp):/.test(value) && isPrincipalId(value), 'not a merchant ID');
const terminalId = z.custom<DeviceId>((value) => typeof value === 'string' && isDeviceId(value), 'not a device ID');
const serviceProviderId = z.string().startsWith('sp:');

/** Who asks: the user (mobile user terminal, [1487]) or the device and its merchant / CSP (other terminals, [1504]). */
export const terminalParty = z.union([z.object({ userId }).strict(), z.object({ terminalId, merchantId }).strict()]);
export type TerminalParty = z.infer<typeof terminalParty>;

const packet = {
  packetNumber: z.number().int().min(1).max(MAX_PACKETS), // upload / update packet number 8716, 8725, 8817, 8827
  packetCount: z.number().int().min(1).max(MAX_PACKETS),
  compressedData: bytes(), // compressed upload / update data 8717, 8726, 8818, 8828
};

// 5602 [1487] (mobile user terminal) and 5702 [1504] (gate, merchant terminals, accounting machines): the clock counter
// reached the update time register. Signed by the user / the device, closed and addressed to the service provider.
export const dataUpdateRequest = defineMessage({ type: 'dataUpdateRequest', ref: '5602 [1487], 5702 [1504]', sealed: true, fields: terminalParty });

// 5609 [1541] and 5709 [1549]: the battery is at or below Q; same fields as the data update request.
export const dataBackupRequest = defineMessage({ type: 'dataBackupRequest', ref: '5609 [1541], 5709 [1549]', sealed: true, fields: terminalParty });

// 5603 [1489], 5703 [1506], 5610, 5710: the range to upload. Signed by the service provider, closed and addressed to
// the user (mobile) or the device.
export const dataUpdateRequestResponse = defineMessage({
  type: 'dataUpdateRequestResponse',
  ref: '5603 [1489], 5703 [1506], 5610 [1542], 5710 [1550]',
  sealed: true,
  fields: z.object({ updateOptionCode, serviceProviderId }).strict(), // update option code 8708 / 8809
});

// 5606 [1522], 5706 [1532]: forcible data updating, started by the service providing system.
export const dataUpdateInstruction = defineMessage({
  type: 'dataUpdateInstruction',
  ref: '5606 [1522], 5706 [1532]',
  sealed: true,
  fields: z.object({ updateOptionCode, serviceProviderId }).strict(), // update option code 8741 / 8843
});

// 5604 [1493], 5704 [1510], 5607, 5707, 5611, 5711. The spec says "closed and addressed to the user" here; DESIGN reads
// it as sealed to the service provider, its actual receiver.
export const uploadData = defineMessage({
  type: 'uploadData',
  ref: '5604 [1493], 5704 [1510], 5607 [1523], 5707 [1533], 5611 [1543], 5711 [1551]',
  sealed: true,
  fields: z.union([z.object({ ...packet, userId }).strict(), z.object({ ...packet, terminalId, merchantId }).strict()]),
});

// 5605 [1495], 5705 [1512], 5608, 5708, 5612, 5712.
export const updateData = defineMessage({
  type: 'updateData',
  ref: '5605 [1495], 5705 [1512], 5608 [1525], 5708 [1535], 5612 [1544], 5712 [1552]',
  sealed: true,
  fields: z.object({ ...packet, serviceProviderId }).strict(),
});

// 5605' [1499], 5705' [1516], 5608', 5708', 5612', 5712': halts the terminal ("use disabled").
export const mandatoryExpirationInstruction = defineMessage({
  type: 'mandatoryExpirationInstruction',
  ref: "5605' [1499], 5705' [1516], 5608' [1527], 5708' [1537], 5612' [1546], 5712' [1554]",
  sealed: true,
  fields: z.object({ serviceProviderId }).strict(),
});

export const DATA_UPDATE_MESSAGES = [dataUpdateRequest, dataBackupRequest, dataUpdateRequestResponse, dataUpdateInstruction, uploadData, updateData, mandatoryExpirationInstruction];
