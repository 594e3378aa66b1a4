import { BadRequestException, Controller, Get, Header, NotFoundException, Param, Query, Res, UseGuards, UseInterceptors } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { ActorHistory, ActorSummary } from '../inspection/web/actor-directory.js';
import { isActorStatus } from '../inspection/web/actor-directory.js';
import { exportMachineConfig, type ExportedMachine } from '../inspection/web/machine-export.js';
import { sequenceToMermaid } from '../inspection/web/mermaid-export.js';
import { sequenceOf, type SequenceDiagram } from '../inspection/web/sequence-model.js';
import type { Statechart } from '../inspection/web/statechart-model.js';
import { InspectionAccessGuard } from './inspection-access.guard.js';
import { InspectorHeadersInterceptor } from './inspector-headers.interceptor.js';
import { InspectorService } from './inspector.service.js';

const bounded = (value: string | undefined, fallback: number, max: number): number => Math.min(Math.max(Number.parseInt(value ?? '', 10) || fallback, 1), max);
const optional = (value: string | undefined): string | undefined => (value === undefined || value.trim() === '' ? undefined : value.trim());
const fileName = (value: string): string => value.replace(/[^a-zA-Z0-9-]+/g, '-');

/** The inspector's read API: statecharts and their export, actors and their histories, process groups as sequences. */
@Controller('inspect/api')
@UseGuards(InspectionAccessGuard)
@UseInterceptors(InspectorHeadersInterceptor)
export class InspectorApiController {
  constructor(private readonly inspector: InspectorService) {}

  @Get('machines')
  machines(): readonly Statechart[] {
    return this.inspector.charts();
  }

  @Get('machines/:kind')
  machine(@Param('kind') kind: string): Statechart {
    return this.chartOf(kind);
  }

  /** `createMachine` config JSON: opens in Stately's editor and the XState VS Code extension. */
  @Get('machines/:kind/stately.json')
  stately(@Param('kind') kind: string, @Res({ passthrough: true }) response: ServerResponse): ExportedMachine {
    const chart = this.chartOf(kind);
    response.setHeader('Content-Disposition', `attachment; filename="${fileName(kind)}.machine.json"`);
    return exportMachineConfig(chart);
  }

  @Get('actors')
  async actors(
    @Query('kind') kind?: string,
    @Query('status') status?: string,
    @Query('processGroup') processGroup?: string,
    @Query('party') party?: string,
    @Query('text') text?: string,
    @Query('limit') limit?: string,
  ): Promise<ActorSummary[]> {
    const wanted = optional(status);
    if (wanted !== undefined && !isActorStatus(wanted)) throw new BadRequestException(`status must be active, done, error or stopped`);
    return this.inspector.actors.list({ kind: optional(kind), status: wanted, processGroup: optional(processGroup), party: optional(party), text: optional(text), limit: bounded(limit, 1000, 5000) });
  }

  @Get('actors/:id')
  async actor(@Param('id') id: string): Promise<ActorSummary> {
    const actor = await this.inspector.actors.get(id);
    if (actor === undefined) throw new NotFoundException(`no actor ${id}`);
    return actor;
  }

  @Get('actors/:id/history')
  async history(@Param('id') id: string, @Query('limit') limit?: string): Promise<ActorHistory> {
    const history = await this.inspector.actors.history(id, bounded(limit, 500, 2000));
    if (history === undefined) throw new NotFoundException(`no actor ${id}`);
    return history;
  }

  @Get('process-groups')
  processGroups(@Query('limit') limit?: string) {
    return this.inspector.platform.inspection.processGroups(bounded(limit, 200, 1000));
  }

  @Get('process-groups/:pg/sequence')
  sequence(@Param('pg') pg: string): Promise<SequenceDiagram> {
    return this.sequenceOf(pg);
  }

  @Get('process-groups/:pg/sequence.mmd')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  async mermaid(@Param('pg') pg: string, @Res({ passthrough: true }) response: ServerResponse): Promise<string> {
    const diagram = await this.sequenceOf(pg);
    response.setHeader('Content-Disposition', `attachment; filename="${fileName(pg)}.mmd"`);
    return sequenceToMermaid(diagram);
  }

  private chartOf(kind: string): Statechart {
    const chart = this.inspector.chart(kind);
    if (chart === undefined) throw new NotFoundException(`no machine kind ${kind}`);
    return chart;
  }

  private async sequenceOf(pg: string): Promise<SequenceDiagram> {
    const records = await this.inspector.platform.inspection.processGroup(pg);
    if (records.length === 0) throw new NotFoundException(`no process group ${pg}`);
    return sequenceOf(pg, records);
  }
}
