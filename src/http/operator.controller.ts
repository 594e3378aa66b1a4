import { Body, Controller, Get, Inject, NotFoundException, Param, Put, Query, BadRequestException, UseGuards } from '@nestjs/common';
import { Like } from 'typeorm';
import { dataAddress } from '../core/remote-access.messages.js';
import { ActorSnapshotEntity, DeviceEntity } from '../persistence/entities/index.js';
import type { Platform } from '../platform/platform.js';
import { PLATFORM } from './platform.token.js';
import { OperatorAccessGuard } from './operator-access.guard.js';

const limitOf = (value: string | undefined, fallback: number) => Math.min(Math.max(Number.parseInt(value ?? '', 10) || fallback, 1), 1000);

/** The operator's read API: devices, audit log, actors, machines and the inspection trace, as JSON. */
@Controller('api')
@UseGuards(OperatorAccessGuard)
export class OperatorController {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  @Get('devices')
  devices(): Promise<DeviceEntity[]> {
    return this.platform.dataSource.getRepository(DeviceEntity).find({ order: { id: 'ASC' } });
  }

  @Get('audit')
  audit(@Query('limit') limit?: string, @Query('category') category?: 'refusal' | 'alert' | 'operator' | 'lifecycle') {
    return this.platform.audit.list(limitOf(limit, 100), category);
  }

  @Get('machines')
  machines() {
    return this.platform.catalog.all().map((entry) => ({ kind: entry.kind, version: entry.version, side: entry.side, description: entry.description, definition: entry.machine.definition }));
  }

  @Get('actors')
  actors(@Query('kind') kind?: string, @Query('status') status?: string, @Query('processGroup') processGroup?: string, @Query('limit') limit?: string) {
    return this.platform.dataSource.getRepository(ActorSnapshotEntity).find({
      select: { actorId: true, kind: true, status: true, processGroup: true, stateValue: true, sequence: true, updatedAt: true, machineVersion: true },
      where: { ...(kind === undefined ? {} : { kind }), ...(status === undefined ? {} : { status: status as ActorSnapshotEntity['status'] }), ...(processGroup === undefined ? {} : { processGroup: Like(`${processGroup}%`) }) },
      order: { updatedAt: 'DESC' },
      take: limitOf(limit, 100),
    });
  }

  @Get('actors/:id')
  async actor(@Param('id') id: string): Promise<ActorSnapshotEntity> {
    const row = await this.platform.actors.snapshotOf(id);
    if (row === null) throw new NotFoundException(`no actor ${id}`);
    return row;
  }

  @Get('inspection/process-groups')
  processGroups(@Query('limit') limit?: string) {
    return this.platform.inspection.processGroups(limitOf(limit, 100));
  }

  @Get('inspection/process-groups/:pg')
  processGroup(@Param('pg') pg: string) {
    return this.platform.inspection.processGroup(pg);
  }

  @Get('remote-data')
  remoteData() {
    return this.platform.remoteData.list();
  }

  /** Puts a document at one of the service provider's remote addresses (body: { contentType, text } or { contentType, base64 }). */
  @Put('remote-data/*address')
  async putRemoteData(@Param('address') address: string | string[], @Body() body: { contentType?: string; text?: string; base64?: string }) {
    const full = `${this.platform.spId}/${Array.isArray(address) ? address.join('/') : address}`;
    if (!dataAddress.safeParse(full).success) throw new BadRequestException(`'${full}' is not a data address`);
    const data = body.base64 !== undefined ? Buffer.from(body.base64, 'base64') : Buffer.from(body.text ?? '', 'utf8');
    await this.platform.remoteData.put(full, body.contentType ?? 'application/octet-stream', data);
    return { address: full, bytes: data.length };
  }
}
