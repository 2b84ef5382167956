import { UserInputError } from '../engine/errors';

/**
 * The server could not listen where it was asked to: the port is taken, not allowed, or the host is
 * not an address of this machine. The user chose host and port, so it is their error to fix; `reason`
 * lets a caller add advice in its own terms (the CLI names its flags).
 */
export class ListenError extends UserInputError {
  constructor(
    message: string,
    readonly reason: 'port-in-use' | 'permission-denied' | 'bad-host' | 'other',
  ) {
    super(message);
    this.name = 'ListenError';
  }

  static fromSystemError(error: NodeJS.ErrnoException, host: string, port: number): ListenError {
    const where = `${host}:${port}`;
    switch (error.code) {
      case 'EADDRINUSE':
        return new ListenError(`cannot listen on ${where}: the port is already in use (another CurveLab or another program)`, 'port-in-use');
      case 'EACCES':
        return new ListenError(`cannot listen on ${where}: permission denied (ports below 1024 need privileges)`, 'permission-denied');
      case 'EADDRNOTAVAIL':
        return new ListenError(`cannot listen on ${where}: ${host} is not an address of this machine`, 'bad-host');
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return new ListenError(`cannot listen on ${where}: no such host name ${JSON.stringify(host)}`, 'bad-host');
      default:
        return new ListenError(`cannot listen on ${where}: ${error.message}`, 'other');
    }
  }
}
