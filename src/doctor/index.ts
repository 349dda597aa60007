/** `rtxlab doctor`: why a client does not connect to a config, and the smallest change that makes it. */
export { diagnose, type DoctorAttempt, type DoctorOptions, type DoctorReport, type DoctorStep, type AttemptResult } from './doctor.js';
export { applyFix, proposeFixes, type Fix, type FixProposal } from './fixes.js';
export { describeClient, describeFix, doctorJson, explainStop, formatDoctorReport } from './format.js';
export { runScenario, type RouterEvidence, type ScenarioRun } from './run-scenario.js';
export type { ClientSetup, DoctorScenario } from './scenario.js';
export { locateStop, stageOf, stoppingPoint, type LocatedStop, type StoppingKind, type StoppingPoint } from './stopping-point.js';
export { formatCaptureReport, judgeCapture, type CaptureReport, type CaptureVerdict } from './capture-judge.js';
export { readPcapIke, type CapturedIke, type PcapReading } from './pcap-file.js';
