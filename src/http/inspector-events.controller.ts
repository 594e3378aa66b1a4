import { Controller, Get, Headers, Query, Res, UseGuards, UseInterceptors } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { StoredInspectionRecord } from '../inspection/inspection-log.js';
import type { FeedEvent, FeedFilter } from '../inspection/web/live-feed.js';
import { recordsAfter } from '../inspection/web/trace-reads.js';
import { InspectionAccessGuard } from './inspection-access.guard.js';
import { InspectorHeadersInterceptor } from './inspector-headers.interceptor.js';
import { InspectorService } from './inspector.service.js';

/** A client that stops reading is dropped past this much unsent data (it reconnects and resumes from its last ID). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const HEARTBEAT_MS = 15_000;
/** Records replayed to a client that reconnects with Last-Event-ID. */
const MAX_REPLAY = 500;

function frame(event: FeedEvent): string {
  if (event.type === 'record') return `event: record\nid: ${event.record.seq}\ndata: ${JSON.stringify(event.record)}\n\n`;
  return `event: actor\ndata: ${JSON.stringify(event.actor)}\n\n`;
}

/**
 * The live feed as Server-Sent Events: trace records (`record`) and actor state changes (`actor`), for everything or
 * filtered by `?pg=` or `?actor=`. A client reconnecting with Last-Event-ID first gets the records it missed.
 */
@Controller('inspect/api')
@UseGuards(InspectionAccessGuard)
@UseInterceptors(InspectorHeadersInterceptor)
export class InspectorEventsController {
  constructor(private readonly inspector: InspectorService) {}

  @Get('events')
  async events(@Res() response: ServerResponse, @Headers('last-event-id') lastEventId?: string, @Query('pg') pg?: string, @Query('actor') actor?: string): Promise<void> {
    const filter: FeedFilter = { ...(pg === undefined || pg === '' ? {} : { processGroup: pg }), ...(actor === undefined || actor === '' ? {} : { actorId: actor }) };
    response.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    response.write('retry: 2000\n\n');
    let ended = false;
    let replaying = true;
    let lastSent = 0;
    const held: FeedEvent[] = [];
    const write = (event: FeedEvent) => {
      if (ended) return;
      if (response.writableLength > MAX_BUFFERED_BYTES) return end();
      if (event.type === 'record') {
        if (event.record.seq <= lastSent) return;
        lastSent = event.record.seq;
      }
      response.write(frame(event));
    };
    const unsubscribe = this.inspector.feed.subscribe({ filter, send: (event) => (replaying ? held.push(event) : write(event)) });
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    const untrack = this.inspector.track(() => end());
    function end(): void {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      unsubscribe();
      untrack();
      response.end();
    }
    response.on('close', end);
    const resumeFrom = Number.parseInt(lastEventId ?? '', 10);
    const missed: StoredInspectionRecord[] = Number.isSafeInteger(resumeFrom) && resumeFrom >= 0 ? await recordsAfter(this.inspector.platform.dataSource, resumeFrom, filter, MAX_REPLAY).catch(() => []) : [];
    for (const record of missed) write({ type: 'record', record });
    replaying = false;
    for (const event of held.splice(0)) write(event);
  }
}
