/**
 * The config engine's public API: read RTX config text into a model, view it typed (defaults
 * applied), print it as `show config`. docs/config.md explains the rules and decisions.
 */
export { readConfig, ConfigSession, MAX_COMMAND_LENGTH } from './read-config.js';
export type { ReadResult, ReadOptions, ConfigProblem, ConfigWarning, LineResult, LineTally } from './read-config.js';
export { ConfigModel, GLOBAL_CONTEXT } from './model.js';
export type { ConfigCommand, ConfigContext, SourceRef, Heredoc } from './model.js';
export { showConfig, showConfigLines } from './show-config/show-config.js';
export type { ShowConfigOptions, ConfigPart } from './show-config/show-config.js';
export { DEFAULT_CONFIG_TEXT, DEFAULT_CONFIG_CHANGES, readDefaultConfig } from './default-config.js';
export { RTX1500_REV_8_03_75 } from './device-identity.js';
export type { DeviceIdentity } from './device-identity.js';
export { RTX_ERRORS, RtxError, rtxErrorMessage } from './errors.js';
export type { RtxErrorId, ConsoleLanguage } from './errors.js';
export { hardWrap, displayWidth } from './text/display-width.js';
export * from './views/index.js';
export { startupReport } from './startup-report.js';
export type { StartupReport, StartupReportOptions } from './startup-report.js';
export { lineTallyText, quoteConfigText } from './report-text.js';
export { judgeConfigBytes } from './text/decode.js';
export type { BytesJudgement, ConfigEncoding } from './text/decode.js';
