/** What an external party does with one inbound frame: its sealed reply, or a thrown ProtocolError for a refusal. */
export type FrameHandler = (frame: Uint8Array) => Promise<Uint8Array>;

/** Nest token under which a module provides the FrameHandler the ExternalPartyController calls. */
export const FRAME_HANDLER = Symbol('FrameHandler');
