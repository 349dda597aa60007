import type { ByteReader } from './reader.js';
import type { DeletePayload, NotifyPayload } from './types.js';
import type { ByteWriter } from './writer.js';

/** Notification body: DOI(4) | protocol(1) | SPI size(1) | type(2) | SPI | data (RFC 2408 §3.14). */
export function readNotifyBody(reader: ByteReader): NotifyPayload {
  const doi = reader.u32('DOI');
  const protocolId = reader.u8('protocol id');
  const spiSize = reader.u8('SPI size');
  const notifyType = reader.u16('notify message type');
  const spi = reader.take(spiSize, 'SPI');
  return { type: 'notify', doi, protocolId, notifyType, spi, data: reader.rest() };
}

export function writeNotifyBody(writer: ByteWriter, notify: NotifyPayload): void {
  writer.u32(notify.doi).u8(notify.protocolId).u8(notify.spi.length).u16(notify.notifyType);
  writer.bytes(notify.spi).bytes(notify.data);
}

/** Delete body: DOI(4) | protocol(1) | SPI size(1) | #SPIs(2) | SPIs (RFC 2408 §3.15). */
export function readDeleteBody(reader: ByteReader): DeletePayload {
  const doi = reader.u32('DOI');
  const protocolId = reader.u8('protocol id');
  const spiSize = reader.u8('SPI size');
  const spiCount = reader.u16('number of SPIs');
  // Zero-size SPIs cannot name an SA; refusing them also bounds the list by the payload's bytes.
  if (spiSize === 0 && spiCount > 0) reader.fail(`${spiCount} SPIs of size 0`);
  if (spiSize * spiCount !== reader.remaining) {
    reader.fail(`${spiCount} SPIs of ${spiSize} bytes need ${spiSize * spiCount} bytes, the payload has ${reader.remaining} left`);
  }
  const spis = Array.from({ length: spiCount }, () => reader.take(spiSize, 'SPI'));
  return { type: 'delete', doi, protocolId, spiSize, spis };
}

export function writeDeleteBody(writer: ByteWriter, deletion: DeletePayload): void {
  const wrongSize = deletion.spis.find((spi) => spi.length !== deletion.spiSize);
  if (wrongSize) throw new RangeError(`delete SPI of ${wrongSize.length} bytes, SPI size is ${deletion.spiSize}`);
  writer.u32(deletion.doi).u8(deletion.protocolId).u8(deletion.spiSize).u16(deletion.spis.length);
  for (const spi of deletion.spis) writer.bytes(spi);
}
