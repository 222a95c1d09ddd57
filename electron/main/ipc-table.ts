/**
 * The handler table: one typed handler per channel of shared/ipc.ts, registered per domain against
 * `IpcMainLike`, dispatched by Electron's ipcMain and by the web host alike. Dispatch refuses an
 * unknown channel and an untrusted sender, validates the payload with the channel's schema, and
 * turns every failure into an IpcError.
 */
import { DataflowError, type ErrorCode } from '../../shared/errors.ts';
import {
  parseRequest,
  requests,
  type AppEvent,
  type Channel,
  type IpcError,
  UNKNOWN_REQUEST,
  type Payload,
  type Responses,
} from '../../shared/ipc.ts';

/** Whoever sent a request: a window's main frame or an authenticated socket. Events go back through `send`. */
export interface IpcSender {
  /** Stable for the life of the window or socket. */
  readonly id: string;
  send(event: AppEvent): void;
}

export type Handler<C extends Channel> = (
  sender: IpcSender,
  payload: Payload<C>,
) => Promise<Responses[C]> | Responses[C];

/** Where domains register their handlers (Bruno's IpcMainLike). */
export interface IpcMainLike {
  handle<C extends Channel>(channel: C, handler: Handler<C>): void;
}

/** The codes of a request the handler table or a handler refuses. */
export type IpcFailureCode = Extract<ErrorCode, 'invalid_payload' | 'unknown_channel' | 'forbidden'>;

/**
 * A request a handler refuses (code `invalid_payload` by default, or `forbidden`); `field` names
 * the payload field at fault. Any other DataflowError a handler throws reaches the caller with its
 * own code and field too (see `HandlerTable.dispatch`).
 */
export class IpcFailure extends DataflowError {
  constructor(message: string, field?: string, code: IpcFailureCode = 'invalid_payload') {
    super(code, message, { field });
    this.name = 'IpcFailure';
  }
}

export type IpcAnswer = { ok: true; result: unknown } | { ok: false; error: IpcError };

export class HandlerTable implements IpcMainLike {
  private readonly handlers = new Map<string, Handler<Channel>>();

  /** `trusts` decides whether a sender may call at all (the main window, an authenticated socket). */
  constructor(private readonly trusts: (sender: IpcSender) => boolean) {}

  handle<C extends Channel>(channel: C, handler: Handler<C>): void {
    if (this.handlers.has(channel)) throw new Error(`IPC channel "${channel}" registered twice`);
    this.handlers.set(channel, handler as unknown as Handler<Channel>);
  }

  /** Channels of the contract that have no handler (the table is complete when empty). */
  missing(): Channel[] {
    return (Object.keys(requests) as Channel[]).filter((c) => !this.handlers.has(c));
  }

  async dispatch(channel: string, sender: IpcSender, payload: unknown): Promise<IpcAnswer> {
    if (!this.trusts(sender))
      return {
        ok: false,
        error: { code: 'forbidden', channel, message: "refused: the request does not come from the app's window" },
      };
    const parsed = parseRequest(channel, payload);
    if (!parsed.ok) return { ok: false, error: parsed.error };
    const handler = this.handlers.get(parsed.channel);
    if (!handler) return { ok: false, error: { code: 'unknown_channel', channel, message: UNKNOWN_REQUEST } };
    try {
      return { ok: true, result: await handler(sender, parsed.payload) };
    } catch (e) {
      if (e instanceof DataflowError) {
        const error: IpcError = {
          ...e.toData(),
          channel,
          message: `${e.field ? `field "${e.field}": ` : ''}${e.message}`,
        };
        return { ok: false, error };
      }
      return {
        ok: false,
        error: { code: 'failed', channel, message: e instanceof Error ? e.message : String(e) },
      };
    }
  }
}
