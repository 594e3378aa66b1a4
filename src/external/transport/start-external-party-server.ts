import { ExternalPartyServerModule } from './external-party-server.module.js';
import type { FrameHandler } from './frame-handler.js';
import { startTcpMicroservice, type TcpMicroserviceOptions } from './tcp-microservice.js';

export interface ExternalPartyServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Serves a plain FrameHandler over TCP: the quickest way to stand up a reference party or a test double. */
export async function startExternalPartyServer(handler: FrameHandler, options: TcpMicroserviceOptions): Promise<ExternalPartyServer> {
  const { app, port } = await startTcpMicroservice(ExternalPartyServerModule.forHandler(handler), options);
  return { port, close: () => app.close() };
}
