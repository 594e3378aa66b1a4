import { encodeCanonical } from '../../protocol/cbor.js';
import type { CryptoBackend } from '../../protocol/crypto/crypto-backend.js';
import { includesUserArea, serviceDataDigest, uploadContent, uploadsWholeServiceData, type UpdateOptionCode, type UploadContent } from '../../core/data-update/terminal-image.js';
import type { UploadImage } from '../machines/terminal-events.js';

/**
 * The data an option code designates ([1490], [1507]). Every code carries the basic program version, the digest of the
 * service data area, the access times changed since the last update, the records not yet accepted and the battery
 * level; 1 and 2 send the service data area as that digest only, 3 to 5 send it whole; 2, 4 and 5 add the user area.
 */
export function buildUploadContent(image: UploadImage, optionCode: UpdateOptionCode, crypto: Pick<CryptoBackend, 'sha256'>): UploadContent {
  return uploadContent.parse({
    optionCode,
    basicProgram: image.basicProgram,
    serviceDataDigest: serviceDataDigest(image.serviceData, (data) => crypto.sha256(data), encodeCanonical),
    serviceData: uploadsWholeServiceData(optionCode) ? image.serviceData : null,
    accessTimes: image.changedAccessTimes,
    userArea: includesUserArea(optionCode) ? image.userArea : null,
    records: image.records,
    batteryLevel: Math.round(image.batteryLevel),
  });
}
