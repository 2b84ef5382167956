/** Bad command-line arguments: the CLI prints the message and the command's usage, and exits with 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
