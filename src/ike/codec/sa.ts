import { GENERIC_PAYLOAD_HEADER_LENGTH, PayloadType } from '../constants.js';
import { readAttributes, writeAttributes } from './attributes.js';
import type { ByteReader } from './reader.js';
import type { Proposal, SaPayload, Transform } from './types.js';
import { ByteWriter, writeChained } from './writer.js';

/** Proposal and transform headers: generic header(4) + four one-byte fields (RFC 2408 §3.5, §3.6). */
const SUBSTRUCTURE_FIXED_LENGTH = 8;

/** SA body: DOI(4) | situation(4) | proposals (RFC 2408 §3.4, RFC 2407 §4.6.1). */
export function readSaBody(reader: ByteReader): SaPayload {
  const doi = reader.u32('DOI');
  const situation = reader.u32('situation');
  const proposals = readChain(reader, PayloadType.PROPOSAL, 'proposal', readProposal);
  return { type: 'sa', doi, situation, proposals };
}

export function writeSaBody(writer: ByteWriter, sa: SaPayload): void {
  writer.u32(sa.doi).u32(sa.situation);
  writeChain(writer, PayloadType.PROPOSAL, sa.proposals, 'proposal', writeProposalBody);
}

function readProposal(reader: ByteReader): Proposal {
  const proposalNumber = reader.u8('proposal number');
  const protocolId = reader.u8('protocol id');
  const spiSize = reader.u8('SPI size');
  const declaredTransforms = reader.u8('number of transforms');
  const spi = reader.take(spiSize, 'SPI');
  const transforms = readChain(reader, PayloadType.TRANSFORM, 'transform', readTransform);
  if (transforms.length !== declaredTransforms) {
    reader.fail(`proposal ${proposalNumber} declares ${declaredTransforms} transforms and carries ${transforms.length}`);
  }
  return { proposalNumber, protocolId, spi, transforms };
}

function writeProposalBody(writer: ByteWriter, proposal: Proposal): void {
  writer.u8(proposal.proposalNumber).u8(proposal.protocolId).u8(proposal.spi.length).u8(proposal.transforms.length);
  writer.bytes(proposal.spi);
  writeChain(writer, PayloadType.TRANSFORM, proposal.transforms, 'transform', writeTransformBody);
}

function readTransform(reader: ByteReader): Transform {
  const transformNumber = reader.u8('transform number');
  const transformId = reader.u8('transform id');
  reader.u16('transform reserved');
  return { transformNumber, transformId, attributes: readAttributes(reader) };
}

function writeTransformBody(writer: ByteWriter, transform: Transform): void {
  writer.u8(transform.transformNumber).u8(transform.transformId).u16(0);
  writeAttributes(writer, transform.attributes);
}

/**
 * Proposals inside an SA, and transforms inside a proposal, chain like payloads: each says
 * whether another of its kind follows (`moreType`) or it is the last (0). The chain must fill
 * its container exactly; anything else is a malformed SA.
 */
function readChain<T>(reader: ByteReader, moreType: number, what: string, readItem: (item: ByteReader) => T): T[] {
  const items: T[] = [];
  let next = reader.remaining > 0 ? moreType : PayloadType.NONE;
  while (next !== PayloadType.NONE) {
    const start = reader.offset;
    reader.budget.payload(start, moreType);
    next = reader.u8(`${what} next payload`);
    reader.u8(`${what} reserved`);
    const length = reader.u16(`${what} length`);
    if (length < SUBSTRUCTURE_FIXED_LENGTH) reader.fail(`${what} length ${length} is below ${SUBSTRUCTURE_FIXED_LENGTH}`, start);
    if (next !== moreType && next !== PayloadType.NONE) reader.fail(`${what} next payload ${next} is neither ${moreType} nor 0`, start);
    items.push(readItem(reader.sub(length - GENERIC_PAYLOAD_HEADER_LENGTH, what)));
    if (next === PayloadType.NONE && reader.remaining > 0) reader.fail(`${reader.remaining} bytes follow the last ${what}`);
    if (next === moreType && reader.remaining === 0) reader.fail(`the last ${what} announces another one`);
  }
  return items;
}

function writeChain<T>(
  writer: ByteWriter,
  moreType: number,
  items: readonly T[],
  what: string,
  writeItem: (item: ByteWriter, value: T) => void,
): void {
  items.forEach((item, index) => {
    const body = new ByteWriter();
    writeItem(body, item);
    writeChained(writer, index === items.length - 1 ? PayloadType.NONE : moreType, body.toBuffer(), what);
  });
}
