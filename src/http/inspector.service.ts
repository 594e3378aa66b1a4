import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ActorDirectory } from '../inspection/web/actor-directory.js';
import { LiveFeed } from '../inspection/web/live-feed.js';
import { statechartOf, type Statechart } from '../inspection/web/statechart-model.js';
import type { Platform } from '../platform/platform.js';
import { PLATFORM } from './platform.token.js';

/** What the inspector's controllers share: the charts (derived once, machines do not change at run time), actors, the live feed. */
@Injectable()
export class InspectorService implements OnModuleDestroy {
  readonly actors: ActorDirectory;
  readonly feed: LiveFeed;
  private statecharts: readonly Statechart[] | undefined;
  private readonly closers = new Set<() => void>();

  constructor(@Inject(PLATFORM) readonly platform: Platform) {
    this.actors = new ActorDirectory(platform.dataSource, platform.catalog);
    this.feed = new LiveFeed(platform.inspection, this.actors);
  }

  charts(): readonly Statechart[] {
    this.statecharts ??= this.platform.catalog.all().map(statechartOf);
    return this.statecharts;
  }

  chart(kind: string): Statechart | undefined {
    return this.charts().find((chart) => chart.kind === kind);
  }

  /** Registers how to end one open live stream, so that closing the app does not wait on it. */
  track(close: () => void): () => void {
    this.closers.add(close);
    return () => this.closers.delete(close);
  }

  onModuleDestroy(): void {
    for (const close of [...this.closers]) close();
    this.closers.clear();
    this.feed.close();
  }
}
