import { BadRequestException, Body, ConflictException, Controller, Inject, Post, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { isPrincipalId, type PrincipalId } from '../protocol/ids.js';
import type { Platform } from '../platform/platform.js';
import { PLATFORM } from './platform.token.js';
import { OperatorAccessGuard } from './operator-access.guard.js';

const base64Key = z.string().refine((value) => Buffer.from(value, 'base64').length === 32, 'must be a base64 32-byte key');
const partyBody = z
  .object({
    id: z.string().refine((value) => isPrincipalId(value) && /^(iss|tps|mer|csp):/.test(value), 'must be an issuer, transaction processor, merchant or CSP ID'),
    displayName: z.string().min(1).max(200),
    signingPublicKey: base64Key,
    sealingPublicKey: base64Key,
  })
  .strict();

const KIND_BY_PREFIX = { iss: 'issuer', tps: 'tps', mer: 'merchant', csp: 'csp' } as const;

/** Operator enrolment of other companies' systems and merchants by their public keys (certificates are issued). */
@Controller('api/parties')
@UseGuards(OperatorAccessGuard)
export class PartiesController {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  @Post()
  async register(@Body() body: unknown): Promise<{ id: string; certificateId: string }> {
    const parsed = partyBody.safeParse(body);
    if (!parsed.success) throw new BadRequestException(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
    const { id, displayName, signingPublicKey, sealingPublicKey } = parsed.data;
    const existing = await this.platform.identity.signingKey(id, this.platform.clock.now());
    if (existing.usable || existing.reason !== 'unknown-principal') throw new ConflictException(`${id} is already registered`);
    const kind = KIND_BY_PREFIX[id.split(':')[0] as keyof typeof KIND_BY_PREFIX];
    const certificate = await this.platform.identity.registerParty(id as PrincipalId, kind, displayName, {
      signingPublicKey: Buffer.from(signingPublicKey, 'base64'),
      sealingPublicKey: Buffer.from(sealingPublicKey, 'base64'),
    });
    await this.platform.audit.record({ category: 'operator', reason: 'party-registered', principal: id, message: `${displayName} registered as ${kind}` });
    return { id, certificateId: certificate.id };
  }
}
