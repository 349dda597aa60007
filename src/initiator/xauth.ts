/**
 * The XAUTH client (draft-beaulieu-ike-xauth-02 §4): the gateway, as the IKE responder, asks
 * with a REQUEST and we answer with a REPLY carrying the user name and password; it ends with a
 * SET(XAUTH_STATUS) that we acknowledge. Every decision here is about one ATTR payload; the
 * Transaction module seals and opens the messages around them.
 *
 * Clients write the REPLY and the ACK differently, and a responder that is strict about any of
 * it fails some of them, so each difference is a knob of `XauthBehaviour`.
 */
import { CfgType, ModeCfgAttribute, XauthStatus, XauthType, modeCfgAttributeName } from '../ike/constants.js';
import {
  attributeNumber,
  attributePayload,
  emptyAttribute,
  findAttribute,
  textAttribute,
  tvAttribute,
  type AttributePayload,
  type DataAttribute,
} from '../ike/codec/index.js';

export interface XauthCredentials {
  readonly userName: string;
  readonly password: string;
}

export interface XauthBehaviour {
  /**
   * The identifier of the REPLY. `echo`: the REQUEST's (vpnc `do_phase2_xauth`, racoon
   * `isakmp_cfg_request`); `zero`: always 0 (strongSwan `tasks/xauth.c`, ikev1-notes §3).
   */
  readonly replyIdentifier: 'echo' | 'zero';
  /** Answer a REQUEST's XAUTH_TYPE with XAUTH_TYPE=generic (racoon `isakmp_xauth_req`); vpnc and strongSwan leave it out. */
  readonly echoXauthType: boolean;
  /** The identifier of the ACK to the status SET; all three clients echo the SET's. */
  readonly ackIdentifier: 'echo' | 'zero';
  /**
   * How the ACK carries XAUTH_STATUS. `empty-tlv`: a 0-length TLV (strongSwan, capture
   * strongswan-push frame 7); `tv-echo`: the SET's TV attribute sent back as is (vpnc turns the
   * SET payload into the ACK, capture vpnc-0.5.3 frame 7); `tv-zero`: TV with value 0 (racoon
   * `isakmp_xauth_set`).
   */
  readonly ackStatus: 'empty-tlv' | 'tv-echo' | 'tv-zero';
  /**
   * Refuse a status SET holding anything but exactly one TV XAUTH_STATUS (vpnc S5.6 rejects it
   * with INVALID-PAYLOAD-TYPE); otherwise other attributes are ignored.
   */
  readonly statusSetMustBeAlone: boolean;
  /** Send a Delete of the ISAKMP SA after acknowledging STATUS=FAIL (racoon `ISAKMP_CFG_DELETE_PH1`). */
  readonly deleteOnFailure: boolean;
}

export const STRONGSWAN_XAUTH: XauthBehaviour = {
  replyIdentifier: 'zero',
  echoXauthType: false,
  ackIdentifier: 'echo',
  ackStatus: 'empty-tlv',
  statusSetMustBeAlone: false,
  deleteOnFailure: false,
};

export const VPNC_XAUTH: XauthBehaviour = {
  replyIdentifier: 'echo',
  echoXauthType: false,
  ackIdentifier: 'echo',
  ackStatus: 'tv-echo',
  statusSetMustBeAlone: true,
  deleteOnFailure: false,
};

export const RACOON_XAUTH: XauthBehaviour = {
  replyIdentifier: 'echo',
  echoXauthType: true,
  ackIdentifier: 'echo',
  ackStatus: 'tv-zero',
  statusSetMustBeAlone: false,
  deleteOnFailure: true,
};

/** Attributes a REQUEST may ask for that carry no secret we would have to invent. */
const INFORMATIONAL_REQUEST_ATTRIBUTES: ReadonlySet<number> = new Set([ModeCfgAttribute.XAUTH_MESSAGE, ModeCfgAttribute.XAUTH_TYPE]);

export type XauthRequestAnswer =
  | { readonly ok: true; readonly reply: AttributePayload; readonly message?: string }
  /** A REQUEST this client cannot answer: another XAUTH type, a passcode, a challenge... */
  | { readonly ok: false; readonly unsupported: readonly string[]; readonly text: string };

/** The REPLY to one REQUEST: the requested name and password, in the order they were asked for. */
export function answerXauthRequest(request: AttributePayload, credentials: XauthCredentials, behaviour: XauthBehaviour): XauthRequestAnswer {
  const unsupported: string[] = [];
  const reply: DataAttribute[] = [];
  for (const attribute of request.attributes) {
    switch (attribute.type) {
      case ModeCfgAttribute.XAUTH_TYPE: {
        const type = attributeNumber(attribute);
        if (type !== XauthType.GENERIC) unsupported.push(`XAUTH-TYPE ${type ?? '?'}`);
        else if (behaviour.echoXauthType) reply.push(tvAttribute(ModeCfgAttribute.XAUTH_TYPE, XauthType.GENERIC));
        break;
      }
      case ModeCfgAttribute.XAUTH_USER_NAME:
        reply.push(textAttribute(ModeCfgAttribute.XAUTH_USER_NAME, credentials.userName));
        break;
      case ModeCfgAttribute.XAUTH_USER_PASSWORD:
        reply.push(textAttribute(ModeCfgAttribute.XAUTH_USER_PASSWORD, credentials.password));
        break;
      default:
        if (!INFORMATIONAL_REQUEST_ATTRIBUTES.has(attribute.type)) unsupported.push(modeCfgAttributeName(attribute.type));
    }
  }
  if (unsupported.length > 0) return { ok: false, unsupported, text: `the REQUEST asks for ${unsupported.join(', ')}` };
  const identifier = behaviour.replyIdentifier === 'echo' ? request.identifier : 0;
  const message = findAttribute(request.attributes, ModeCfgAttribute.XAUTH_MESSAGE);
  const text = message?.format === 'tlv' ? message.value.toString('utf8') : undefined;
  return { ok: true, reply: attributePayload(CfgType.REPLY, reply, identifier), ...(text === undefined ? {} : { message: text }) };
}

export type XauthStatusAnswer =
  | { readonly ok: true; readonly status: 'ok' | 'failed'; readonly ack: AttributePayload }
  | { readonly ok: false; readonly text: string };

/** Whether a SET is the XAUTH verdict (it carries XAUTH_STATUS) rather than mode-cfg. */
export function isXauthStatusSet(set: AttributePayload): boolean {
  return set.cfgType === CfgType.SET && findAttribute(set.attributes, ModeCfgAttribute.XAUTH_STATUS) !== undefined;
}

/** Reads the verdict of a status SET and writes its ACK (draft-beaulieu-ike-xauth-02 §4.2). */
export function answerXauthStatus(set: AttributePayload, behaviour: XauthBehaviour): XauthStatusAnswer {
  const status = findAttribute(set.attributes, ModeCfgAttribute.XAUTH_STATUS);
  if (status === undefined) return { ok: false, text: 'the SET has no XAUTH-STATUS' };
  if (behaviour.statusSetMustBeAlone && (set.attributes.length !== 1 || status.format !== 'tv')) {
    return { ok: false, text: 'the status SET must hold exactly one TV XAUTH-STATUS' };
  }
  const value = attributeNumber(status);
  if (value === undefined) return { ok: false, text: 'XAUTH-STATUS holds no number' };
  const ackAttribute = ((): DataAttribute => {
    switch (behaviour.ackStatus) {
      case 'empty-tlv':
        return emptyAttribute(ModeCfgAttribute.XAUTH_STATUS);
      case 'tv-echo':
        return status;
      case 'tv-zero':
        return tvAttribute(ModeCfgAttribute.XAUTH_STATUS, 0);
    }
  })();
  const identifier = behaviour.ackIdentifier === 'echo' ? set.identifier : 0;
  // Any value but OK is a refusal (draft-beaulieu-ike-xauth-02 §5.2.3: 0 = FAIL, 1 = OK).
  return { ok: true, status: value === XauthStatus.OK ? 'ok' : 'failed', ack: attributePayload(CfgType.ACK, [ackAttribute], identifier) };
}
