export { EXTERNAL_FRAME_PATTERN, MAX_FRAME_BYTES, decodeFramePacket, encodeFramePacket, type FramePacket } from './frame-packet.js';
export { frameRefusalOf, isFrameRefusal, type FrameRefusal, type FrameRefusalReason } from './frame-refusal.js';
export { ExternalPartyError, isExternalPartyError, type ExternalPartyErrorKind } from './external-party-error.js';
export { ExternalPartyClient, type ExternalPartyAddress } from './external-party-client.js';
export { FRAME_HANDLER, type FrameHandler } from './frame-handler.js';
export { ExternalPartyController } from './external-party.controller.js';
export { ExternalPartyServerModule } from './external-party-server.module.js';
export { startTcpMicroservice, type RunningMicroservice, type TcpMicroserviceOptions } from './tcp-microservice.js';
export { startExternalPartyServer, type ExternalPartyServer } from './start-external-party-server.js';
