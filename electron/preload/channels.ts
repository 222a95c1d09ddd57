/**
 * The bridge's names, as plain constants: the sandboxed preload stays free of zod and of the
 * contract's schemas (preload.test.ts checks these against shared/ipc.ts).
 */
export const NAMESPACE = 'dataflow';
export const EVENT_CHANNEL = 'dataflow:event';
export const GLOBAL_NAME = 'dataflowBridge';
/** The form of every channel name of the contract (`domain.action`). */
export const CHANNEL_FORM = /^[a-z]+\.[A-Za-z]+$/;
