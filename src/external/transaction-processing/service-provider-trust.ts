import type { KeyDirectory, KeyLookup, ReplayGuard } from '../../protocol/codec.js';
import type { TrustedServiceProvider } from './tps-options.js';

/** The TPS knows one signing key, the SP's: any other signer is an unknown principal. */
export function serviceProviderKeys(sp: TrustedServiceProvider): KeyDirectory {
  return {
    signingKey: (kid: string): KeyLookup =>
      kid === sp.id ? { usable: true, publicKey: sp.signingPublicKey, holder: sp.id } : { usable: false, reason: 'unknown-principal' },
  };
}

/**
 * Replays are answered, not refused: every TPS request carries a request number whose answer is stored, so a frame
 * received twice (the SP resending after a timeout) gets the stored answer again and moves no money. Refusing it
 * would leave the SP without the answer it lost. Freshness (the issued-time skew) still bounds how old a frame may be.
 */
export const answeredByRequestNumber: ReplayGuard = { remember: () => true };
