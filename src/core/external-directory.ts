import { ExternalPartyClient, type ExternalPartyAddress } from '../external/transport/index.js';
import type { ExternalExchange } from './outbox-dispatcher.js';

/** Where each external party (issuing system, transaction processing system) is reached. Clients are made on demand. */
export class ExternalDirectory implements ExternalExchange {
  private readonly addresses = new Map<string, ExternalPartyAddress>();
  private readonly clients = new Map<string, ExternalPartyClient>();

  constructor(private readonly timeoutMs: number) {}

  register(party: string, address: ExternalPartyAddress): void {
    this.addresses.set(party, address);
    const client = this.clients.get(party);
    this.clients.delete(party);
    void client?.close();
  }

  async exchange(party: string, frame: Uint8Array): Promise<Uint8Array> {
    let client = this.clients.get(party);
    if (client === undefined) {
      const address = this.addresses.get(party);
      if (address === undefined) throw new Error(`no address for external party ${party}`);
      client = new ExternalPartyClient(address);
      this.clients.set(party, client);
    }
    return client.exchange(frame, this.timeoutMs);
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((client) => client.close()));
    this.clients.clear();
  }
}
