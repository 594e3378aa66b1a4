import { isDeepStrictEqual } from 'node:util';
import type { MirrorImage } from '../../persistence/entities/terminal-mirror.entity.js';
import type { DataItem, UploadContent } from './terminal-image.js';

/** The service data items the terminal holds in RAM. */
export function residentItems(mirror: Readonly<MirrorImage>): Record<string, DataItem> {
  const resident: Record<string, DataItem> = {};
  for (const key of mirror.residentKeys) {
    const item = mirror.serviceData[key];
    if (item !== undefined) resident[key] = item;
  }
  return resident;
}

/**
 * Compares an upload with the SP's mirror ([1494], [1498], [1511], [1515]). The service data area is written only by
 * the service providing system, so any difference in a value, a missing or an extra entry, or another program version
 * is an illegal alteration. Returns the reason, or null when the upload matches.
 */
export function findAlteration(mirror: Readonly<MirrorImage>, upload: UploadContent, digestOf: (serviceData: MirrorImage['serviceData']) => string): string | null {
  if (upload.basicProgram.version !== mirror.programVersion) return `basic program ${upload.basicProgram.version} is not the installed ${mirror.programVersion}`;
  const resident = residentItems(mirror);
  for (const key of Object.keys(upload.accessTimes)) if (resident[key] === undefined) return `access time for '${key}', which the terminal does not hold`;
  if (upload.serviceData !== null) {
    // A whole-area upload says precisely what was altered; the digest below then covers the "changes" uploads too.
    const uploadedKeys = Object.keys(upload.serviceData).sort();
    const mirrorKeys = Object.keys(resident).sort();
    if (!isDeepStrictEqual(uploadedKeys, mirrorKeys)) return `service data list altered (${uploadedKeys.length} entries uploaded, ${mirrorKeys.length} in the mirror)`;
    for (const key of mirrorKeys) {
      if (!isDeepStrictEqual(upload.serviceData[key]?.value, resident[key]?.value)) return `service data value '${key}' altered`;
    }
  }
  if (upload.serviceDataDigest !== digestOf(resident)) return 'service data area digest does not match the mirror';
  return null;
}
