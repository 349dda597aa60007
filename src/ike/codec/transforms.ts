import {
  IpsecAttribute,
  IsakmpTransformId,
  LifeType,
  Phase1Attribute,
} from '../constants.js';
import { attributeNumber, numberAttribute, tvAttribute } from './attributes.js';
import type { DataAttribute, Transform } from './types.js';

/** A phase 1 (Oakley) transform's choices (RFC 2409 Appendix A); values from ../constants.ts. */
export interface Phase1TransformSpec {
  encryption: number;
  keyLength?: number; // AES only
  hash: number;
  authMethod: number;
  group: number;
  lifeSeconds?: number;
  lifeKilobytes?: number;
}

/** A Quick Mode ESP/AH transform's choices (RFC 2407 §4.5). */
export interface IpsecTransformSpec {
  transformId: number;
  encapsulationMode?: number;
  authAlgorithm?: number;
  keyLength?: number;
  group?: number; // PFS
  lifeSeconds?: number;
  lifeKilobytes?: number;
}

/** What a received transform carries: each choice if present, and every attribute not understood. */
export type TransformValues<Spec> = Partial<Spec> & { unrecognized: DataAttribute[] };

/**
 * A KEY_IKE transform with its attributes in strongSwan's order (encryption, [key length], hash,
 * group, auth, life): peers match attributes by type, the order only keeps our bytes familiar.
 */
export function phase1Transform(spec: Phase1TransformSpec, transformNumber = 1): Transform {
  const attributes = [
    tvAttribute(Phase1Attribute.ENCRYPTION_ALGORITHM, spec.encryption),
    ...(spec.keyLength === undefined ? [] : [tvAttribute(Phase1Attribute.KEY_LENGTH, spec.keyLength)]),
    tvAttribute(Phase1Attribute.HASH_ALGORITHM, spec.hash),
    tvAttribute(Phase1Attribute.GROUP_DESCRIPTION, spec.group),
    tvAttribute(Phase1Attribute.AUTHENTICATION_METHOD, spec.authMethod),
    ...lifeAttributes(Phase1Attribute.LIFE_TYPE, Phase1Attribute.LIFE_DURATION, spec),
  ];
  return { transformNumber, transformId: IsakmpTransformId.KEY_IKE, attributes };
}

export function ipsecTransform(spec: IpsecTransformSpec, transformNumber = 1): Transform {
  const optional = (type: number, value: number | undefined): DataAttribute[] =>
    value === undefined ? [] : [tvAttribute(type, value)];
  const attributes = [
    ...lifeAttributes(IpsecAttribute.SA_LIFE_TYPE, IpsecAttribute.SA_LIFE_DURATION, spec),
    ...optional(IpsecAttribute.GROUP_DESCRIPTION, spec.group),
    ...optional(IpsecAttribute.ENCAPSULATION_MODE, spec.encapsulationMode),
    ...optional(IpsecAttribute.AUTHENTICATION_ALGORITHM, spec.authAlgorithm),
    ...optional(IpsecAttribute.KEY_LENGTH, spec.keyLength),
  ];
  return { transformNumber, transformId: spec.transformId, attributes };
}

export function readPhase1Transform(transform: Transform): TransformValues<Phase1TransformSpec> {
  const fields: Record<number, keyof Phase1TransformSpec> = {
    [Phase1Attribute.ENCRYPTION_ALGORITHM]: 'encryption',
    [Phase1Attribute.KEY_LENGTH]: 'keyLength',
    [Phase1Attribute.HASH_ALGORITHM]: 'hash',
    [Phase1Attribute.AUTHENTICATION_METHOD]: 'authMethod',
    [Phase1Attribute.GROUP_DESCRIPTION]: 'group',
  };
  return readValues(transform.attributes, fields, Phase1Attribute.LIFE_TYPE, Phase1Attribute.LIFE_DURATION);
}

export function readIpsecTransform(transform: Transform): TransformValues<IpsecTransformSpec> {
  const fields: Record<number, keyof IpsecTransformSpec> = {
    [IpsecAttribute.ENCAPSULATION_MODE]: 'encapsulationMode',
    [IpsecAttribute.AUTHENTICATION_ALGORITHM]: 'authAlgorithm',
    [IpsecAttribute.KEY_LENGTH]: 'keyLength',
    [IpsecAttribute.GROUP_DESCRIPTION]: 'group',
  };
  const values = readValues<IpsecTransformSpec>(transform.attributes, fields, IpsecAttribute.SA_LIFE_TYPE, IpsecAttribute.SA_LIFE_DURATION);
  return { ...values, transformId: transform.transformId };
}

type LifeSpec = { lifeSeconds?: number; lifeKilobytes?: number };

/** Life type/duration pairs: seconds first, then kilobytes (RFC 2409 App. A, RFC 2407 §4.5). */
function lifeAttributes(typeAttribute: number, durationAttribute: number, spec: LifeSpec): DataAttribute[] {
  const pairs: [number, number | undefined][] = [
    [LifeType.SECONDS, spec.lifeSeconds],
    [LifeType.KILOBYTES, spec.lifeKilobytes],
  ];
  return pairs.flatMap(([lifeType, duration]) =>
    duration === undefined ? [] : [tvAttribute(typeAttribute, lifeType), numberAttribute(durationAttribute, duration)],
  );
}

/**
 * A life duration applies to the life type right before it (RFC 2409 Appendix A and RFC 2407
 * §4.5 pair them that way); a duration without a type, or a value that is not an integer, is
 * unrecognized. When a choice appears twice, the later one wins.
 */
function readValues<Spec extends LifeSpec>(
  attributes: readonly DataAttribute[],
  fields: Record<number, keyof Spec>,
  typeAttribute: number,
  durationAttribute: number,
): TransformValues<Spec> {
  const values: Partial<Record<keyof Spec, number>> = {};
  const unrecognized: DataAttribute[] = [];
  let lifeType: number | undefined;
  for (const attribute of attributes) {
    const value = attributeNumber(attribute);
    const field = fields[attribute.type];
    if (value !== undefined && field !== undefined) {
      values[field] = value;
    } else if (attribute.type === typeAttribute && (value === LifeType.SECONDS || value === LifeType.KILOBYTES)) {
      lifeType = value;
      continue;
    } else if (value !== undefined && attribute.type === durationAttribute && lifeType === LifeType.SECONDS) {
      values.lifeSeconds = value;
    } else if (value !== undefined && attribute.type === durationAttribute && lifeType === LifeType.KILOBYTES) {
      values.lifeKilobytes = value;
    } else {
      unrecognized.push(attribute);
    }
    lifeType = undefined;
  }
  return { ...(values as Partial<Spec>), unrecognized };
}
