/**
 * Informational exchanges under the ISAKMP SA (RFC 2409 §5.7): `HDR*, HASH(1), N|D`, each in
 * its own random M-ID with a fresh IV from the last Phase 1 block. Dead Peer Detection is a
 * notify pair (RFC 3706 §5: R-U-THERE / R-U-THERE-ACK, SPI = CKY-I | CKY-R, a 4-byte sequence).
 */
import { ExchangeType, NotifyType, ProtocolId, notifyTypeName } from '../constants.js';
import { deletePayload, isakmpSpi, notifyPayload, type DecodedPayload, type Payload } from '../codec/index.js';
import { endIvExchange, ZERO_PADDING, type PaddingPolicy } from '../crypto/index.js';
import { dpdNotify, readDpdNotify } from '../dpd.js';
import { openHashedMessage, sealHashedMessage, type IsakmpSa, type OpenFailure, type SealedMessage } from './isakmp-sa.js';

export type InformationalItem =
  | { readonly kind: 'r-u-there'; readonly sequence: number }
  | { readonly kind: 'r-u-there-ack'; readonly sequence: number }
  | { readonly kind: 'initial-contact' }
  /** Any other notification; SPI defaults to the cookies (ISAKMP-level), protocol to ISAKMP. */
  | { readonly kind: 'notify'; readonly notifyType: number; readonly protocolId?: number; readonly spi?: Buffer; readonly data?: Buffer }
  /** Delete of this ISAKMP SA (protocol ISAKMP, SPI = the cookies). */
  | { readonly kind: 'delete-isakmp-sa' }
  /** Delete of IPsec SAs by their SPIs. */
  | { readonly kind: 'delete'; readonly protocolId: number; readonly spis: readonly Buffer[] };

export function buildInformational(
  sa: IsakmpSa,
  items: readonly InformationalItem[],
  messageId: number,
  padding: PaddingPolicy = ZERO_PADDING,
): SealedMessage {
  const sealed = sealHashedMessage(sa, {
    exchangeType: ExchangeType.INFORMATIONAL,
    messageId,
    payloads: items.map((item) => itemPayload(sa, item)),
    padding,
  });
  // One message per M-ID: the exchange's IV chain has no further use.
  return { ...sealed, sa: { ...sealed.sa, ivChains: endIvExchange(sealed.sa.ivChains, messageId) } };
}

function itemPayload(sa: IsakmpSa, item: InformationalItem): Payload {
  const spi = isakmpSpi(sa.initiatorCookie, sa.responderCookie);
  switch (item.kind) {
    case 'r-u-there':
    case 'r-u-there-ack':
      return dpdNotify(item.kind, sa, item.sequence);
    case 'initial-contact':
      return notifyPayload({ notifyType: NotifyType.INITIAL_CONTACT, spi });
    case 'notify':
      return notifyPayload({ notifyType: item.notifyType, protocolId: item.protocolId ?? ProtocolId.ISAKMP, spi: item.spi ?? spi, data: item.data });
    case 'delete-isakmp-sa':
      return deletePayload({ protocolId: ProtocolId.ISAKMP, spis: [spi] });
    case 'delete':
      return deletePayload({ protocolId: item.protocolId, spis: [...item.spis], spiSize: item.spis[0]?.length ?? 4 });
  }
}

export interface ReceivedInformational {
  readonly messageId: number;
  /**
   * False for an Informational sent in clear (a responder may send NO-PROPOSAL-CHOSEN or
   * PAYLOAD-MALFORMED that way): readable, but nothing proves who sent it.
   */
  readonly protected: boolean;
  readonly items: readonly (InformationalItem & { readonly name: string })[];
  readonly payloads: readonly DecodedPayload[];
  /** The SA to continue with (unchanged for a cleartext message). */
  readonly sa: IsakmpSa;
}

export type InformationalFailure =
  | Exclude<OpenFailure, { kind: 'cleartext' }>
  | { readonly kind: 'not-informational'; readonly exchangeType: number; readonly text: string };

export type InformationalResult =
  | { readonly ok: true; readonly value: ReceivedInformational }
  | { readonly ok: false; readonly failure: InformationalFailure };

export function parseInformational(sa: IsakmpSa, bytes: Buffer): InformationalResult {
  const opened = openHashedMessage(sa, bytes);
  if (!opened.ok && opened.failure.kind !== 'cleartext') return { ok: false, failure: opened.failure };
  const { header, payloads } = opened.ok ? opened.value : (opened.failure as Extract<OpenFailure, { kind: 'cleartext' }>);
  if (header.exchangeType !== ExchangeType.INFORMATIONAL) {
    return { ok: false, failure: { kind: 'not-informational', exchangeType: header.exchangeType, text: `exchange type ${header.exchangeType}` } };
  }
  const items = payloads.flatMap((payload) => readItem(sa, payload));
  const next = opened.ok ? { ...sa, ivChains: endIvExchange(opened.value.ivChains, header.messageId) } : sa;
  return { ok: true, value: { messageId: header.messageId, protected: opened.ok, items, payloads, sa: next } };
}

function readItem(sa: IsakmpSa, payload: DecodedPayload): (InformationalItem & { name: string })[] {
  if (payload.type === 'notify') {
    const name = notifyTypeName(payload.notifyType);
    const dpd = readDpdNotify(payload);
    if (dpd) return [{ ...dpd, name }];
    if (payload.notifyType === NotifyType.INITIAL_CONTACT) return [{ kind: 'initial-contact', name }];
    return [{ kind: 'notify', notifyType: payload.notifyType, protocolId: payload.protocolId, spi: payload.spi, data: payload.data, name }];
  }
  if (payload.type === 'delete') {
    const ours = isakmpSpi(sa.initiatorCookie, sa.responderCookie);
    if (payload.protocolId === ProtocolId.ISAKMP && payload.spis.some((spi) => spi.equals(ours))) return [{ kind: 'delete-isakmp-sa', name: 'DELETE(ISAKMP)' }];
    return [{ kind: 'delete', protocolId: payload.protocolId, spis: payload.spis, name: 'DELETE' }];
  }
  return [];
}
