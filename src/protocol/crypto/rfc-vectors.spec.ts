// Proves both crypto backends reproduce the published vectors of RFC 8032, RFC 7748, RFC 5869 and RFC 8439.
import type { CryptoBackend } from './crypto-backend.js';
import { NobleCryptoBackend } from './noble-backend.js';
import { NodeCryptoBackend } from './node-backend.js';

const fromHex = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'));
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const flipped = (bytes: Uint8Array, index: number): Uint8Array => {
  const copy = bytes.slice();
  copy[index] = (copy[index] ?? 0) ^ 0x01;
  return copy;
};

interface Ed25519Vector {
  readonly name: string;
  readonly secretKey: string;
  readonly publicKey: string;
  readonly message: string;
  readonly signature: string;
}

// RFC 8032 section 7.1. TEST 1024's message is 1023 bytes.
const ED25519_VECTORS: readonly Ed25519Vector[] = [
  {
    name: 'TEST 1',
    secretKey: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature:
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    name: 'TEST 2',
    secretKey: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature:
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    name: 'TEST 3',
    secretKey: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    publicKey: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    message: 'af82',
    signature:
      '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  },
  {
    name: 'TEST 1024',
    secretKey: 'f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5',
    publicKey: '278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e',
    message: [
      '08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98fa6e264bf09efe12ee50f8f54e9f77b1',
      'e355f6c50544e23fb1433ddf73be84d879de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d',
      '658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc1a858efcb8550ee3a5e1998bd177e93a',
      '7363c344fe6b199ee5d02e82d522c4feba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e',
      '06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbefefd75499da96bd68a8a97b928a8bbc10',
      '3b6621fcde2beca1231d206be6cd9ec7aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1',
      '85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2d17ba70eb6248e594e1a2297acbbb39d',
      '502f1a8c6eb6f1ce22b3de1a1f40cc24554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270',
      '88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc2732e69485bbc9c90bfbd62481d9089b',
      'eccf80cfe2df16a2cf65bd92dd597b0707e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba',
      'b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51addd3b75a2b1ae0784504df543af8969b',
      'e3ea7082ff7fc9888c144da2af58429ec96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7',
      '51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c42f58c30c04aafdb038dda0847dd988d',
      'cda6f3bfd15c4b4c4525004aa06eeff8ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df',
      'f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08d78ff4ef5d63653a65040cf9bfd4aca7',
      '984a74d37145986780fc0b16ac451649de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4',
      '88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a32ef5b52a1ecc820e308aa342721aac09',
      '43bf6686b64b2579376504ccc493d97e6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f',
      'b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b50d334ba77c225bc307ba537152f3f161',
      '0e4eafe595f6d9d90d11faa933a15ef1369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d',
      'b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c0618983f8741c5ef68d3a101e8a3b8ca',
      'c60c905c15fc910840b94c00a0b9d0',
    ].join(''),
    signature:
      '0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03',
  },
];

// RFC 7748 section 5.2: the two single-step scalar multiplications (the second u has its top bit set, which must be masked).
const X25519_VECTORS = [
  {
    scalar: 'a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4',
    u: 'e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c',
    output: 'c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552',
  },
  {
    scalar: '4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d',
    u: 'e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493',
    output: '95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957',
  },
] as const;

// RFC 7748 section 6.1.
const DH = {
  alicePrivate: '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a',
  alicePublic: '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a',
  bobPrivate: '5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb',
  bobPublic: 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f',
  shared: '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742',
} as const;

// RFC 5869 appendix A.1, test case 1.
const HKDF = {
  ikm: '0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b',
  salt: '000102030405060708090a0b0c',
  info: 'f0f1f2f3f4f5f6f7f8f9',
  length: 42,
  okm: '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
} as const;

// RFC 8439 section 2.8.2.
const AEAD = {
  key: '808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f',
  nonce: '070000004041424344454647',
  aad: '50515253c0c1c2c3c4c5c6c7',
  plaintext: "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
  ciphertext:
    'd31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116',
  tag: '1ae10b594f09e26a7e902ecbd0600691',
} as const;

const BACKENDS: readonly CryptoBackend[] = [new NobleCryptoBackend(), new NodeCryptoBackend()];

describe.each(BACKENDS.map((backend) => [backend.name, backend] as const))('%s backend', (_name, sut) => {
  describe('Ed25519 (RFC 8032 section 7.1)', () => {
    it('has the 1023-byte message of TEST 1024 transcribed whole', () => {
      expect(fromHex(ED25519_VECTORS[3]?.message ?? '').length).toBe(1023);
    });

    it.each(ED25519_VECTORS.map((vector) => [vector.name, vector] as const))('%s: derives the public key', (_n, vector) => {
      expect(toHex(sut.ed25519PublicKey(fromHex(vector.secretKey)))).toBe(vector.publicKey);
    });

    it.each(ED25519_VECTORS.map((vector) => [vector.name, vector] as const))('%s: signs to the published signature', (_n, vector) => {
      expect(toHex(sut.ed25519Sign(fromHex(vector.message), fromHex(vector.secretKey)))).toBe(vector.signature);
    });

    it.each(ED25519_VECTORS.map((vector) => [vector.name, vector] as const))('%s: verifies it, and refuses it tampered', (_n, vector) => {
      const signature = fromHex(vector.signature);
      const message = fromHex(vector.message);
      const publicKey = fromHex(vector.publicKey);
      expect(sut.ed25519Verify(signature, message, publicKey)).toBe(true);
      expect(sut.ed25519Verify(flipped(signature, 0), message, publicKey)).toBe(false);
      expect(sut.ed25519Verify(flipped(signature, 63), message, publicKey)).toBe(false);
      expect(sut.ed25519Verify(signature, new Uint8Array([...message, 0]), publicKey)).toBe(false);
      const otherKey = ED25519_VECTORS.find((other) => other.name !== vector.name)?.publicKey ?? '';
      expect(sut.ed25519Verify(signature, message, fromHex(otherKey))).toBe(false);
    });
  });

  describe('X25519 (RFC 7748)', () => {
    it.each(X25519_VECTORS.map((vector, index) => [index + 1, vector] as const))('section 5.2 vector %i', (_n, vector) => {
      expect(toHex(sut.x25519SharedSecret(fromHex(vector.scalar), fromHex(vector.u)))).toBe(vector.output);
    });

    it('section 6.1: derives Alice and Bob public keys', () => {
      expect(toHex(sut.x25519PublicKey(fromHex(DH.alicePrivate)))).toBe(DH.alicePublic);
      expect(toHex(sut.x25519PublicKey(fromHex(DH.bobPrivate)))).toBe(DH.bobPublic);
    });

    it('section 6.1: both sides reach the same shared secret', () => {
      expect(toHex(sut.x25519SharedSecret(fromHex(DH.alicePrivate), fromHex(DH.bobPublic)))).toBe(DH.shared);
      expect(toHex(sut.x25519SharedSecret(fromHex(DH.bobPrivate), fromHex(DH.alicePublic)))).toBe(DH.shared);
    });
  });

  describe('HKDF-SHA256 (RFC 5869)', () => {
    it('test case 1', () => {
      const okm = sut.hkdfSha256(fromHex(HKDF.ikm), fromHex(HKDF.salt), fromHex(HKDF.info), HKDF.length);
      expect(toHex(okm)).toBe(HKDF.okm);
    });
  });

  describe('ChaCha20-Poly1305 (RFC 8439 section 2.8.2)', () => {
    const key = fromHex(AEAD.key);
    const nonce = fromHex(AEAD.nonce);
    const aad = fromHex(AEAD.aad);
    const plaintext = new TextEncoder().encode(AEAD.plaintext);

    it('seals to ciphertext followed by the tag', () => {
      expect(toHex(sut.aeadSeal(key, nonce, plaintext, aad))).toBe(AEAD.ciphertext + AEAD.tag);
    });

    it('opens the published ciphertext and tag', () => {
      const opened = sut.aeadOpen(key, nonce, fromHex(AEAD.ciphertext + AEAD.tag), aad);
      expect(opened === undefined ? undefined : new TextDecoder().decode(opened)).toBe(AEAD.plaintext);
    });

    it('refuses a flipped tag, a flipped ciphertext byte and different associated data', () => {
      const sealed = fromHex(AEAD.ciphertext + AEAD.tag);
      expect(sut.aeadOpen(key, nonce, flipped(sealed, sealed.length - 1), aad)).toBeUndefined();
      expect(sut.aeadOpen(key, nonce, flipped(sealed, 0), aad)).toBeUndefined();
      expect(sut.aeadOpen(key, nonce, sealed, flipped(aad, 0))).toBeUndefined();
    });
  });
});
