import type { AddressInfo, Server } from 'node:net';
import type { INestMicroservice, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory, type IEntryNestModule } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { MAX_FRAME_BYTES } from './frame-packet.js';

export interface TcpMicroserviceOptions {
  readonly host: string;
  /** 0 asks the OS for a free port; the bound one is returned. */
  readonly port: number;
  readonly logger?: LoggerService | LogLevel[] | false;
}

export interface RunningMicroservice {
  readonly app: INestMicroservice;
  readonly port: number;
}

/** Starts a Nest TCP microservice and reports the port it actually bound. */
export async function startTcpMicroservice(module: IEntryNestModule, options: TcpMicroserviceOptions): Promise<RunningMicroservice> {
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(module, {
    transport: Transport.TCP,
    // JsonSocket counts characters: base64 plus the JSON around it.
    options: { host: options.host, port: options.port, maxBufferSize: 2 * MAX_FRAME_BYTES },
    // Nest's default is process.abort() when a provider fails to start (a database that is down): reject instead.
    abortOnError: false,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  try {
    await app.listen();
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.unwrap<Server>().address();
  if (address === null || typeof address === 'string') {
    await app.close();
    throw new Error(`microservice bound to an unexpected address: ${String(address)}`);
  }
  return { app, port: (address as AddressInfo).port };
}
