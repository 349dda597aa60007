import { describe, expect, it } from 'vitest';
import { RTX_ERRORS, RtxError, rtxErrorMessage, type RtxErrorId } from '../../src/config/errors.js';

describe('RTX error catalogue', () => {
  it('prints the real console form: `Error: ` in English, `エラー: ` (ASCII colon) in Japanese', () => {
    expect(rtxErrorMessage('invalid-command-name')).toBe('Error: Invalid command name');
    expect(rtxErrorMessage('invalid-command-name', 'ja')).toBe('エラー: コマンド名を確認してください');
    expect(rtxErrorMessage('insufficient-or-too-many-parameters')).toBe('Error: Insufficient or too many parameters');
    expect(rtxErrorMessage('administrator-use-only')).toBe('Error: Administrator use only');
  });

  it('marks the texts seen in real sessions verified and the simulator-only ones assumed', () => {
    const verifiedEn = (Object.keys(RTX_ERRORS) as RtxErrorId[]).filter((id) => RTX_ERRORS[id].evidenceEn.status === 'verified');
    expect(verifiedEn.sort()).toEqual(['administrator-use-only', 'insufficient-or-too-many-parameters', 'invalid-command-name']);
    expect(RTX_ERRORS['illegal-keyword'].evidenceJa.status).toBe('verified');
    expect(RTX_ERRORS['parameter-out-of-range'].evidenceJa.status).toBe('verified');
    expect(RTX_ERRORS['unrecognized-ip-address'].evidenceEn.status).toBe('assumed');
  });

  it('gives every error both languages and a source', () => {
    for (const text of Object.values(RTX_ERRORS)) {
      expect(text.en.length).toBeGreaterThan(0);
      expect(text.ja.length).toBeGreaterThan(0);
      expect(text.evidenceEn.source.length).toBeGreaterThan(0);
      expect(text.evidenceJa.source.length).toBeGreaterThan(0);
    }
  });

  it('RtxError carries its id and prints in either language', () => {
    const error = new RtxError('parameter-out-of-range', 'tunnel number must be 1..100');
    expect(error.id).toBe('parameter-out-of-range');
    expect(error.message).toBe('Error: Parameter out of range');
    expect(error.messageIn('ja')).toBe('エラー: パラメータが範囲を越えています');
  });
});
