import type { KeyDirectory, KeyLookup, ReplayGuard } from '../../protocol/codec.js';

/** A device trusts exactly one signer for downlinks: the service provider whose certificate it was given. */
export class ServiceProviderKeys implements KeyDirectory {
  constructor(
    private readonly spId: string,
    private readonly publicKey: Uint8Array,
  ) {}

  signingKey(kid: string): KeyLookup {
    return kid === this.spId ? { usable: true, publicKey: this.publicKey, holder: kid } : { usable: false, reason: 'unknown-principal' };
  }
}

/** A bounded in-memory replay window for a device (downlinks are also de-duplicated by message ID in the machine). */
export class DeviceReplayWindow implements ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly limit = 4096) {}

  remember(scope: string, key: string, expiresAt: number): boolean {
    const id = `${scope}\0${key}`;
    if (this.seen.has(id)) return false;
    if (this.seen.size >= this.limit) this.seen.delete(this.seen.keys().next().value as string);
    this.seen.set(id, expiresAt);
    return true;
  }
}
