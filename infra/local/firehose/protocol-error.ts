// The Firehose stand-in's one error type: an AWS JSON-protocol error answer (status, `__type`, message).

/** Thrown anywhere in the stand-in; the server answers it as `{"__type":type,"message":…}` with `status`. */
export class ProtocolError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}
