import { uploadData } from '../../core/data-update/data-update.messages.js';
import { PACKET_BYTES, toPackets } from '../../core/data-update/packets.js';
import type { MessageCodec } from '../../protocol/codec.js';
import type { CryptoBackend } from '../../protocol/crypto/crypto-backend.js';
import type { PrincipalId } from '../../protocol/ids.js';
import type { DeviceCredentials } from '../credentials.js';
import type { DeviceTransport } from '../link/device-transport.js';
import type { UplinkEffect, UploadEffect } from '../machines/terminal-events.js';
import { buildUploadContent } from './upload-content.js';

/**
 * Turns a terminal's effects into uplinks: signed by its principal (the user, or the device for merchant devices),
 * closed and addressed to the service providing system, handed to the link in order.
 */
export class TerminalUplinks {
  constructor(
    private readonly codec: MessageCodec,
    private readonly credentials: DeviceCredentials,
    private readonly transport: DeviceTransport,
    private readonly crypto: CryptoBackend,
    private readonly packetBytes: number = PACKET_BYTES,
  ) {}

  async send(effect: UplinkEffect): Promise<void> {
    const header = { id: effect.id, ...(effect.pg === undefined ? {} : { pg: effect.pg }), ...(effect.re === undefined ? {} : { re: effect.re }) };
    await this.transport.send(this.compose(effect.messageType, effect.fields, header));
  }

  /** Upload data: the content the option code designates, packed, one `uploadData` per packet with header `pg`. */
  async upload(effect: UploadEffect): Promise<void> {
    const packets = toPackets(buildUploadContent(effect.image, effect.optionCode, this.crypto), this.packetBytes);
    for (const [index, compressedData] of packets.entries()) {
      await this.transport.send(this.compose(uploadData.type, { packetNumber: index + 1, packetCount: packets.length, compressedData, ...effect.party }, { pg: effect.pg }));
    }
  }

  private compose(messageType: string, fields: Record<string, unknown>, header: { id?: string; pg?: string; re?: string }): Uint8Array {
    const principal = this.credentials.principal;
    return this.codec.compose(
      this.codec.definition(messageType),
      { ...header, from: principal.id as PrincipalId, to: this.credentials.sp.id as PrincipalId, fields },
      [{ kid: principal.id, secretKey: principal.keys.signing.secretKey }],
      this.credentials.sp.sealingPublicKey,
    ).bytes;
  }
}
