import type { MessageDefinition } from './message.js';
import { InvariantError } from './errors.js';

/** Every message type the platform understands. Core and plugins register theirs at start. */
export class MessageRegistry {
  private readonly definitions = new Map<string, MessageDefinition>();

  register(...definitions: readonly MessageDefinition[]): this {
    for (const definition of definitions) {
      if (this.definitions.has(definition.type)) throw new InvariantError(`message type '${definition.type}' registered twice`);
      this.definitions.set(definition.type, definition);
    }
    return this;
  }

  get(type: string): MessageDefinition | undefined {
    return this.definitions.get(type);
  }

  all(): readonly MessageDefinition[] {
    return [...this.definitions.values()];
  }
}
